"""The RDF formats a resource's data is offered in, and writing triples in each of them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from xml.parsers import expat

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


# XML 1.0 (fifth edition) NameStartChar and NameChar, without ":" (an NCName).
_XML_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_XML_LOCAL_NAME = re.compile(
    f"[{_XML_START}][{_XML_START}\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040]*\\Z"
)


class NotWritableAsXml(ValueError):
    """RDF/XML writes a predicate as an XML element name, which some IRIs cannot end in; the
    message says which and what to ask for instead."""


_ASK_INSTEAD = "Ask for Turtle, N-Triples or JSON-LD instead."


def check_writable_as_xml(predicates: Iterable[str]) -> None:
    """Raise NotWritableAsXml for the first predicate RDF/XML cannot name (`…/p/`,
    `…/123`, `urn:isbn:1`): engines write such a graph as XML that is not well-formed."""
    for predicate in predicates:
        if _XML_LOCAL_NAME.search(predicate) is None:
            raise NotWritableAsXml(
                f"The result cannot be written as RDF/XML: the predicate <{predicate}> does "
                "not end in a name XML allows as an element name (a letter or _ followed by "
                f"letters, digits, '.', '-' or '_'). {_ASK_INSTEAD}"
            )


def check_well_formed_xml(body: bytes) -> None:
    """Raise NotWritableAsXml when an XML parser cannot read what was written: names that
    the XML rules of 2008 allow but older parsers (expat, and so rdflib) do not."""
    parser = expat.ParserCreate()
    try:
        parser.Parse(body, True)
    except expat.ExpatError as error:
        raise NotWritableAsXml(
            "The result cannot be written as RDF/XML that XML parsers read: a predicate's name "
            f"is outside the older XML rules they follow ({error}). {_ASK_INSTEAD}"
        ) from None


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
        try:
            written = graph.serialize(format=fmt.rdflib_format, encoding="utf-8")
        except ValueError as error:  # rdflib's own refusal ("Can't split …")
            raise NotWritableAsXml(
                f"The data cannot be written as RDF/XML: {error}. {_ASK_INSTEAD}"
            ) from None
        check_well_formed_xml(written)
        return written
    return graph.serialize(format=fmt.rdflib_format, encoding="utf-8")
