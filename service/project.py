"""Where the project's RDF lives, and the named graph each file loads into."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .store import RdfFormat

ROOT = Path(__file__).resolve().parent.parent
RDF_FOLDERS = ("ontology", "shapes", "data")
GRAPH_BASE = "https://w3id.org/stadtgraph/graph/"
SOURCE_TEXTS = ROOT.parent / "shared" / "seed"
"""Where the text versions of the sources lie beside a checkout (see `quote_check`)."""


def source_texts_folder(setting: str | None) -> Path | None:
    """The folder of source texts: the setting's, else SOURCE_TEXTS when it exists."""
    if setting:
        return Path(setting)
    return SOURCE_TEXTS if SOURCE_TEXTS.is_dir() else None


def project_files(root: Path = ROOT) -> Iterator[Path]:
    """Yield the RDF files of ontology/, shapes/ and data/, in that order, sorted within each."""
    for folder in RDF_FOLDERS:
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_file() and _is_rdf(path):
                yield path


def graph_for_path(path: Path, root: Path = ROOT) -> str:
    """Name the graph a file loads into: GRAPH_BASE + its path below root, without suffix.

    `data/kassel/city.ttl` loads into `https://w3id.org/stadtgraph/graph/data/kassel/city`.
    Files outside root are named by their file name alone.
    """
    resolved = path.resolve()
    try:
        relative = resolved.relative_to(root.resolve())
    except ValueError:
        relative = Path(resolved.name)
    return GRAPH_BASE + relative.with_suffix("").as_posix()


def shape_files(root: Path = ROOT) -> list[Path]:
    """Return the SHACL shape files of the project."""
    return [p for p in project_files(root) if p.relative_to(root).parts[0] == "shapes"]


def ontology_files(root: Path = ROOT) -> list[Path]:
    """Return the ontology files of the project."""
    return [p for p in project_files(root) if p.relative_to(root).parts[0] == "ontology"]


def _is_rdf(path: Path) -> bool:
    try:
        RdfFormat.for_path(path)
    except ValueError:
        return False
    return path.suffix.lower() not in {".json", ".xml"}
