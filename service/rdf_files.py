"""Read RDF files (or request bodies) into graphs, with parse errors that name file:line:column."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import BNode

from .store import Node, RdfFormat
from .store.terms import OX_FORMATS, to_rdflib


class RdfParseError(ValueError):
    """A file or body is not valid RDF in its format; the message says where."""

    def __init__(
        self, source: str, message: str, line: int | None = None, column: int | None = None
    ):
        self.source, self.line, self.column = source, line, column
        where = source if line is None else f"{source}:{line}:{column}"
        super().__init__(f"{where}: {message}")


@dataclass
class ParsedRdf:
    """The triples of one source, by the named graph they go into."""

    source: str
    fmt: RdfFormat
    graphs: dict[str, Graph] = field(default_factory=dict)

    @property
    def triple_count(self) -> int:
        return sum(len(g) for g in self.graphs.values())

    def subjects(self) -> set[Node]:
        return {s for g in self.graphs.values() for s in g.subjects()}  # type: ignore[misc]


def parse_rdf(
    source: Path | bytes,
    fmt: RdfFormat,
    default_graph: str,
    *,
    name: str | None = None,
    base_iri: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ParsedRdf:
    """Parse a file or bytes: named-graph quads keep their graph, other triples go to
    `default_graph`."""
    label = name or (str(source) if isinstance(source, Path) else "request body")
    parsed = ParsedRdf(label, fmt)
    blanks: dict[str, BNode] = {}
    ox_format = OX_FORMATS[fmt]
    try:
        if isinstance(source, Path):
            quads: Iterable[ox.Quad] = ox.parse(
                path=str(source), format=ox_format, base_iri=base_iri
            )
        else:
            quads = ox.parse(source, format=ox_format, base_iri=base_iri)
        for count, quad in enumerate(quads, start=1):
            name_ = quad.graph_name
            target = name_.value if isinstance(name_, ox.NamedNode) else default_graph
            triple = (
                _term(quad.subject, blanks),
                _term(quad.predicate, blanks),
                _term(quad.object, blanks),
            )
            parsed.graphs.setdefault(target, Graph()).add(triple)
            if progress is not None and count % 10_000 == 0:
                progress(10_000)
    except SyntaxError as error:
        line, column = (error.lineno, error.offset) if error.lineno else (None, None)
        message = str(error.msg if hasattr(error, "msg") else error)
        raise RdfParseError(label, message, line, column) from None
    except (OSError, UnicodeDecodeError) as error:
        raise RdfParseError(label, f"cannot read: {error}") from None
    if not parsed.graphs:
        parsed.graphs[default_graph] = Graph()
    return parsed


def _term(term: object, blanks: dict[str, BNode]) -> Node:
    """Convert a parsed term; blank nodes are fresh per source so files never share them."""
    if isinstance(term, ox.BlankNode):
        return blanks.setdefault(term.value, BNode())
    if isinstance(term, ox.NamedNode | ox.Literal):
        return to_rdflib(term)
    raise RdfParseError("RDF", f"unsupported term {term!r} (RDF-star is not supported)")
