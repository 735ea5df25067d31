"""The SHACL gate at the command line: `stadtgraph load` refuses data that breaks a shape,
says why, and leaves the store exactly as it was; the whole project loads and validates."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from rdflib import SH, Graph, URIRef

from service.project import ROOT, shape_files
from service.store import RdfFormat, open_store

from .conftest import TEST_DATA, run_cli

KASSEL = sorted((ROOT / "data" / "kassel").glob("*.ttl"))
WITHOUT_SPEAKER = TEST_DATA / "shapes" / "statement-without-speaker.ttl"
SPEAKER_SHAPE = URIRef("https://w3id.org/stadtgraph/shapes#Statement-speaker")
LORD_MAYOR = "<https://w3id.org/stadtgraph/id/kassel/person/oberbuergermeister-2019-03-06>"


@pytest.fixture(scope="module")
def kassel_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the Kassel data, loaded through the gate; tests copy it before writing."""
    path = tmp_path_factory.mktemp("kassel") / "store"
    result = run_cli("load", *KASSEL, "--store", path)
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def store_copy(kassel_store: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(kassel_store, tmp_path / "store"))


def quads(path: Path) -> set[str]:
    """Every quad of a store as N-Quads lines."""
    out = io.BytesIO()
    with open_store(path=path) as store:
        store.dump(out, RdfFormat.NQUADS)
    return set(out.getvalue().decode("utf-8").splitlines())


def with_speaker(turtle: str) -> str:
    """The test statement with the Lord Mayor as its speaker."""
    return turtle.replace(
        "    sg:speakerNamedInSource", f"    sg:speaker {LORD_MAYOR} ;\n    sg:speakerNamedInSource"
    )


def messages(shape: URIRef) -> dict[str, str]:
    shapes = Graph()
    for path in shape_files():
        shapes.parse(path)
    return {m.language: str(m) for m in shapes.objects(shape, SH.message)}


def test_load_refuses_a_statement_without_speaker_and_writes_nothing(store_copy: Path) -> None:
    before = quads(store_copy)
    result = run_cli("load", WITHOUT_SPEAKER, "--store", store_copy)
    assert result.returncode == 1, result.stderr
    report = result.stderr
    assert re.search(r"statement-without-speaker\.ttl: \S*statement/test-ohne-sprecher", report)
    assert re.search(r"path: +\S*speaker", report)
    assert messages(SPEAKER_SHAPE)["en"] in report
    assert messages(SPEAKER_SHAPE)["de"] in report
    assert "sh:MinCountConstraintComponent" in report
    assert "Nothing was written." in report
    assert quads(store_copy) == before


def test_load_accepts_the_statement_once_it_has_a_speaker(store_copy: Path, tmp_path: Path) -> None:
    fixed = tmp_path / "statement-with-speaker.ttl"
    fixed.write_text(with_speaker(WITHOUT_SPEAKER.read_text(encoding="utf-8")), encoding="utf-8")
    before = quads(store_copy)
    result = run_cli("load", fixed, "--store", store_copy)
    assert result.returncode == 0, result.stderr
    added = quads(store_copy) - before
    assert len(added) == len(Graph().parse(fixed))
    assert quads(store_copy) >= before


def test_load_refuses_a_resource_without_german_label(store_copy: Path, tmp_path: Path) -> None:
    english_only = tmp_path / "english-only.ttl"
    text = with_speaker(WITHOUT_SPEAKER.read_text(encoding="utf-8"))
    english_only.write_text(
        text.replace('"Aussage ohne Sprecher (Testdaten)"@de, ', ""), encoding="utf-8"
    )
    before = quads(store_copy)
    result = run_cli("load", english_only, "--store", store_copy)
    assert quads(store_copy) == before
    assert result.returncode == 1, result.stderr


def test_whole_project_loads_and_validates(tmp_path: Path) -> None:
    store = tmp_path / "store"
    load = run_cli("load", "--store", store)
    assert load.returncode == 0, load.stderr
    validate = run_cli("validate", "--store", store)
    assert validate.returncode == 0, validate.stderr
