"""Fixture data and an app for the Linked Data, publication, DCAT and language tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from rdflib import Graph

from service.app import create_app
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
