"""Fixture data and an app for the Linked Data, publication, DCAT and language tests."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph

from service.app import create_app
from service.dumps import MANIFEST
from service.rdf_files import parse_rdf
from service.store import RdfFormat, Store

PAGES = Path(__file__).resolve().parent / "data" / "pages"
BASE = "https://w3id.org/stadtgraph/"
ID = BASE + "id/test/"
GRAPH = BASE + "graph/"


def load_pages_fixture(store: Store) -> None:
    """Load the test ontology and data, each into its own named graph."""
    store.load(PAGES / "ontology.ttl", RdfFormat.TURTLE, GRAPH + "ontology/test")
    store.load(PAGES / "city.ttl", RdfFormat.TURTLE, GRAPH + "data/test/city")


def pages_app(store: Store, tmp_path: Path, **config: Any) -> Flask:
    """An app over the store, with dumps in tmp_path and the fixture's named queries."""
    settings: dict[str, Any] = {
        "TESTING": True,
        "STORE": ":memory:",
        "DUMP_FOLDER": str(tmp_path / "dumps"),
        "QUERY_FOLDER": str(PAGES / "queries"),
    }
    settings.update(config)
    return create_app(settings, store=store)


def parse_body(body: bytes, fmt: RdfFormat) -> Graph:
    """Parse a response body (any RDF format, JSON-LD included) into one graph of all triples.

    pyoxigraph parses; rdflib's own JSON-LD parser warns about deprecated APIs in rdflib 7.6.
    """
    parsed = parse_rdf(body, fmt, "urn:test:default")
    union = Graph()
    for graph in parsed.graphs.values():
        for triple in graph:
            union.add(triple)
    return union


def listed_dumps(client: FlaskClient) -> dict[str, tuple[int, int, str]]:
    """Read the table of /dumps/: file suffix → (size, statements, SHA-256)."""
    body = client.get("/dumps/").get_data(as_text=True)
    rows = re.findall(
        r'stadtgraph\.(\w+)</a></td>\s*<td class="number"[^>]*data-value="(\d+)"[^>]*>[^<]*</td>\s*'
        r'<td class="number"[^>]*data-value="(\d+)"[^>]*>[^<]*</td>\s*'
        r'<td class="hash"[^>]*>([0-9a-f]{64})</td>',
        body,
    )
    return {ext: (int(size), int(count), digest) for ext, size, count, digest in rows}


def state_folders(folder: Path) -> list[Path]:
    """The dump folders of store states, each with its manifest (no `.building-` folders)."""
    return sorted(p for p in folder.iterdir() if p.is_dir() and (p / MANIFEST).exists())


def manifest_sha256(state_folder: Path, ext: str) -> str:
    """The SHA-256 a state folder's manifest gives for one dump."""
    manifest = json.loads((state_folder / MANIFEST).read_text(encoding="utf-8"))
    return str(next(item["sha256"] for item in manifest if item["ext"] == ext))
