"""The `Store` protocol every backend implements, and the value types it speaks in.

Backends are spoken to in SPARQL 1.1 and RDF only. Results come back as rdflib terms so that
callers never depend on the backend's own term classes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import IO, Protocol, runtime_checkable

from rdflib.term import BNode, Literal, URIRef

Node = URIRef | Literal | BNode


class StoreError(Exception):
    """A store could not do what was asked (unreachable, locked, refused)."""


class QueryEvaluationError(StoreError):
    """The engine read the query but cannot evaluate it (an unsupported function, say): the
    query's fault, which asking again cannot mend, not the store's."""


class WriteOutcomeUnknown(StoreError):
    """The store took a write but gave no answer (the connection closed or timed out after
    the request was sent): it may or may not have applied it."""


class StoreLocked(StoreError):
    """An embedded store another process holds for writing (a running server, a load)."""


class QuerySyntaxError(StoreError):
    """The SPARQL text does not parse; the message names line and column when known."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


class RdfFormat(Enum):
    """RDF serialisations the stores read and write, with their media type and file suffixes."""

    TURTLE = ("text/turtle", (".ttl",), False)
    NTRIPLES = ("application/n-triples", (".nt",), False)
    NQUADS = ("application/n-quads", (".nq",), True)
    TRIG = ("application/trig", (".trig",), True)
    JSONLD = ("application/ld+json", (".jsonld", ".json"), True)
    RDFXML = ("application/rdf+xml", (".rdf", ".owl", ".xml"), False)

    def __init__(self, media_type: str, suffixes: tuple[str, ...], has_graphs: bool) -> None:
        self.media_type = media_type
        self.suffixes = suffixes
        self.has_graphs = has_graphs

    @classmethod
    def for_path(cls, path: str | Path) -> RdfFormat:
        """Pick the format from a file name; raise ValueError for an unknown suffix."""
        suffix = Path(path).suffix.lower()
        for fmt in cls:
            if suffix in fmt.suffixes:
                return fmt
        known = ", ".join(s for f in cls for s in f.suffixes)
        raise ValueError(f"unknown RDF file suffix {suffix!r} (known: {known})")

    @classmethod
    def for_name(cls, name: str) -> RdfFormat:
        """Pick the format from a short name (ttl, nt, nq, trig, jsonld, rdf) or a media type."""
        wanted = name.lower().lstrip(".")
        for fmt in cls:
            if (
                wanted == fmt.media_type
                or f".{wanted}" in fmt.suffixes
                or wanted == fmt.name.lower()
            ):
                return fmt
        raise ValueError(f"unknown RDF format {name!r} (known: ttl, nt, nq, trig, jsonld, rdf)")


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset a query runs over (SPARQL 1.1 Protocol default-/named-graph-uri).

    With neither list given, the default graph is the union of all graphs.
    """

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    @property
    def is_restricted(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


@dataclass
class SelectResult:
    """Rows of a SELECT query: variable names in order, each row maps bound names to terms."""

    variables: list[str]
    rows: list[dict[str, Node]] = field(default_factory=list)

    def __iter__(self) -> Iterator[dict[str, Node]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


Triple = tuple[Node, URIRef, Node]
Quad = tuple[Node, URIRef, Node, URIRef | None]
"""A quad's fourth part is the graph IRI, or None for the default graph."""


@runtime_checkable
class Store(Protocol):
    """What Stadtgraph needs of a quad store."""

    def select(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        dataset: Dataset | None = None,
    ) -> SelectResult:
        """Run a SELECT query and return its rows; bindings open the WHERE group as VALUES."""

    def ask(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        dataset: Dataset | None = None,
    ) -> bool:
        """Run an ASK query."""

    def construct(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        dataset: Dataset | None = None,
    ) -> list[Triple]:
        """Run a CONSTRUCT or DESCRIBE query and return its triples."""

    def query_serialized(
        self, sparql: str, media_type: str, dataset: Dataset | None = None
    ) -> bytes:
        """Run any query and return its result serialised in media_type (results or RDF format);
        raise ValueError when the result cannot be written in media_type."""

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update."""

    def load(
        self,
        source: Path | bytes | IO[bytes],
        fmt: RdfFormat,
        graph: str | None,
        *,
        replace: bool = False,
    ) -> int:
        """Add RDF to a named graph (or the default graph for None); TriG, N-Quads and JSON-LD
        keep the graph names in the data and send only their default graph to graph.

        With replace, swap each graph the data fills atomically instead of adding to it.
        Return the number of distinct quads the data held; raise StoreError for invalid data
        (nothing is written then).
        """

    def replace_graph(self, graph: str, quads: Iterable[Triple]) -> int:
        """Swap the content of a named graph atomically; return its new size."""

    def dump(self, out: IO[bytes], fmt: RdfFormat, graph: str | None = None) -> None:
        """Write the whole dataset (or one graph) to out."""

    def count(self, graph: str | None = None) -> int:
        """Count quads in the store, or triples in one named graph."""

    def graphs(self) -> list[str]:
        """List the named graphs."""

    def state_token(self) -> str | None:
        """Return a token that changes with every write to the store, also across restarts
        (what dumps and other results derived from the whole store are filed under), or None
        when that cannot be known (a remote store: count and graphs must do)."""

    def version(self) -> int | None:
        """Return a number that changes after every write made through this store object, or
        None when others may write to the store too (a remote store): answers computed from it
        may then not be kept for reuse."""

    def close(self) -> None:
        """Release the store; later calls raise StoreError."""

    def __enter__(self) -> Store:
        """Return the store, to be closed at the end of the with block."""

    def __exit__(self, *exc: object) -> None:
        """Close the store."""
