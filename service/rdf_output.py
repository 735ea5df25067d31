"""The RDF formats a resource's data is offered in, and writing triples in each of them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rdflib import Graph

from . import vocabulary as v
from .store import Triple


@dataclass(frozen=True)
class DataFormat:
    ext: str
    name: str
    media_type: str
    rdflib_format: str

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


DATA_FORMATS: tuple[DataFormat, ...] = (
    DataFormat("ttl", "Turtle", "text/turtle", "turtle"),
    DataFormat("jsonld", "JSON-LD", "application/ld+json", "json-ld"),
    DataFormat("nt", "N-Triples", "application/n-triples", "nt"),
    DataFormat("rdf", "RDF/XML", "application/rdf+xml", "xml"),
)
FORMATS_BY_EXT = {fmt.ext: fmt for fmt in DATA_FORMATS}
EXTENSIONS = tuple(FORMATS_BY_EXT)


_XML_LOCAL_NAME = re.compile(r"(?:[^\W\d]|_)[\w.\-\u00b7]*\Z")


class NotWritableAsXml(ValueError):
    """RDF/XML writes a predicate as an XML element name, which some IRIs cannot end in."""

    def __init__(self, predicate: str) -> None:
        super().__init__(
            f"The result cannot be written as RDF/XML: the predicate <{predicate}> does not end "
            "in a name XML allows as an element name (a letter or _ followed by letters, "
            "digits, '.', '-' or '_'). Ask for Turtle, N-Triples or JSON-LD instead."
        )
        self.predicate = predicate


def check_writable_as_xml(predicates: Iterable[str]) -> None:
    """Raise NotWritableAsXml for the first predicate RDF/XML cannot name (`…/p/`,
    `…/123`, `urn:isbn:1`): engines write such a graph as XML that is not well-formed."""
    for predicate in predicates:
        if _XML_LOCAL_NAME.search(predicate) is None:
            raise NotWritableAsXml(predicate)


def prefixes_for(base_iri: str) -> dict[str, str]:
    """Return the prefixes to write our data with: the standard ones and our own."""
    return {**v.PREFIXES, "sg": base_iri + "ontology#", "id": base_iri + "id/"}


def to_graph(triples: Iterable[Triple], prefixes: Mapping[str, str]) -> Graph:
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace)
    for triple in triples:
        graph.add(triple)
    return graph


def serialize(triples: Iterable[Triple], fmt: DataFormat, prefixes: Mapping[str, str]) -> bytes:
    """Write triples in fmt, with prefixes (Turtle) or as a JSON-LD context."""
    graph = to_graph(triples, prefixes)
    if fmt.ext == "jsonld":
        used = {
            p: ns
            for p, ns in prefixes.items()
            if any(str(t).startswith(ns) for triple in graph for t in triple)
        }
        return graph.serialize(format="json-ld", context=used, auto_compact=True, encoding="utf-8")
    if fmt.ext == "rdf":
        check_writable_as_xml({str(p) for p in graph.predicates()})
    return graph.serialize(format=fmt.rdflib_format, encoding="utf-8")
