"""Writes over HTTP, without HTTP: what a write would change, whether the shapes allow it, and
its provenance record.

A SPARQL Update is first run on a scratch copy of the store: an in-memory pyoxigraph store
filled from an N-Quads dump (blank node labels kept, empty graphs too). Comparing the scratch
dump before and after gives the exact quads the update adds and removes in each graph, however
the update is written (DELETE/INSERT WHERE, CLEAR, COPY, MOVE, ADD…). The SHACL gate then
checks the store as it would be after the write:

- a graph that only gains triples is checked at the subjects of the new triples, with their
  neighbourhood read from the store (`Gate.validate_change(additions=…)`, the fast path);
- a graph that loses triples, or gains triples on blank nodes (which cannot be looked up in
  the store), is checked as a replaced graph: its whole new content, the subjects it used to
  describe and the nodes elsewhere that point at them (`replaced=…`).

Only when the report conforms is the update run on the store itself, in one transaction.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef

from .gate import Gate, ValidationReport
from .project import GRAPH_BASE
from .rdf_files import parse_rdf
from .store import RdfFormat, Store

PROV = Namespace("http://www.w3.org/ns/prov#")
PROVENANCE_GRAPH = GRAPH_BASE + "provenance"
INTERNAL_GRAPH_PREFIXES = ("urn:stadtgraph:",)
_DEFAULT = "urn:stadtgraph:write:default-graph"


class UpdateRejected(Exception):
    """The update cannot be applied as written (syntax, or a graph it needs is missing)."""

    def __init__(self, message: str, *, syntax: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.syntax = syntax


@dataclass
class Change:
    """What a write adds to and removes from each graph, and which graphs it creates or drops."""

    added: dict[str, Graph] = field(default_factory=dict)
    removed: dict[str, Graph] = field(default_factory=dict)
    new_content: dict[str, Graph] = field(default_factory=dict)
    """The whole content after the write, for graphs that must be validated as replaced."""
    graphs_created: set[str] = field(default_factory=set)
    graphs_dropped: set[str] = field(default_factory=set)

    @property
    def graphs(self) -> set[str]:
        """Every graph the write touches."""
        return {*self.added, *self.removed, *self.graphs_created, *self.graphs_dropped}

    @property
    def is_empty(self) -> bool:
        return not self.graphs

    def counts(self) -> tuple[int, int]:
        """Return (triples added, triples removed) over all graphs."""
        return (
            sum(len(g) for g in self.added.values()),
            sum(len(g) for g in self.removed.values()),
        )


def preview_update(store: Store, sparql: str) -> Change:
    """Run an update on a scratch copy of the store and return what it changes.

    Raise UpdateRejected when the update does not parse or cannot run.
    """
    before = io.BytesIO()
    store.dump(before, RdfFormat.NQUADS)
    graphs_before = set(store.graphs())
    scratch = ox.Store()
    scratch.bulk_extend(ox.parse(before.getvalue(), ox.RdfFormat.N_QUADS))
    for name in graphs_before:
        scratch.add_graph(ox.NamedNode(name))
    try:
        scratch.update(sparql)
    except SyntaxError as error:
        raise UpdateRejected(_syntax_message(error), syntax=True) from None
    except (RuntimeError, OSError, ValueError) as error:
        raise UpdateRejected(f"The update cannot be applied: {error}") from None
    after = scratch.dump(format=ox.RdfFormat.N_QUADS) or b""
    old_lines = set(before.getvalue().splitlines())
    new_lines = set(after.splitlines())
    graphs_after = {g.value for g in scratch.named_graphs() if isinstance(g, ox.NamedNode)}
    change = Change(
        added=_by_graph(new_lines - old_lines),
        removed=_by_graph(old_lines - new_lines),
        graphs_created=graphs_after - graphs_before,
        graphs_dropped=graphs_before - graphs_after,
    )
    for name in _replaced(change):
        content = scratch.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=_graph_node(name))
        change.new_content[name] = parse_rdf(content or b"", RdfFormat.NTRIPLES, name).graphs[name]
    return change


def check_graphs(change: Change) -> None:
    """Refuse writes to the default graph, the provenance record and the store's own graphs."""
    for name in sorted(change.graphs):
        if name == _DEFAULT:
            raise UpdateRejected(
                "The update writes to the default graph. Here the default graph is the union "
                "of the named graphs; write into a named graph (GRAPH <…> { … } or WITH <…>)."
            )
        if name == PROVENANCE_GRAPH or name.startswith(INTERNAL_GRAPH_PREFIXES):
            raise UpdateRejected(
                f"The graph <{name}> is kept by the service and cannot be written over HTTP."
            )


def validate_change(gate: Gate, store: Store, change: Change) -> ValidationReport:
    """Validate the store as it would be after the change, at the nodes it touches."""
    replaced = _replaced(change)
    additions: dict[str, Graph] = {}
    for name in change.graphs:
        if name in replaced:
            additions[name] = change.new_content.get(name, Graph())
        elif name in change.added:
            additions[name] = change.added[name]
    return gate.validate_change(store, additions=additions, replaced=replaced)


def _replaced(change: Change) -> set[str]:
    """Graphs validated whole: they lose triples, or gain triples about blank nodes."""
    replaced = set(change.removed) | change.graphs_dropped
    for name, graph in change.added.items():
        if any(isinstance(term, BNode) for triple in graph for term in triple):
            replaced.add(name)
    return replaced - {_DEFAULT}


def _by_graph(lines: Iterable[bytes]) -> dict[str, Graph]:
    data = b"\n".join(lines)
    if not data:
        return {}
    return parse_rdf(data + b"\n", RdfFormat.NQUADS, _DEFAULT).graphs


def _graph_node(name: str) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if name == _DEFAULT else ox.NamedNode(name)


def _syntax_message(error: SyntaxError) -> str:
    text = str(error)
    if text.startswith("error at "):
        position, _, reason = text[len("error at ") :].partition(": ")
        line, _, column = position.partition(":")
        return f"SPARQL Update syntax error at line {line}, column {column}: {reason}"
    return f"SPARQL Update syntax error: {text}"


# -- provenance ----------------------------------------------------------------------------


def token_fingerprint(token: str) -> str:
    """Name a write token without revealing it: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class WriteRecord:
    """Who wrote what, when."""

    operation: str
    fingerprint: str
    graphs: tuple[str, ...]
    started: datetime
    ended: datetime
    added: int | None = None
    removed: int | None = None


def provenance_graph(record: WriteRecord, base_iri: str) -> Graph:
    """Describe a write in PROV-O: the activity, its agent, and a new version of each graph."""
    graph = Graph()
    graph.bind("prov", PROV)
    activity = URIRef(f"{base_iri}write/{uuid.uuid4()}")
    agent = URIRef(f"{base_iri}agent/write-token/{record.fingerprint}")
    started = Literal(record.started.isoformat(), datatype=XSD.dateTime)
    ended = Literal(record.ended.isoformat(), datatype=XSD.dateTime)
    graph.add((activity, RDF.type, PROV.Activity))
    graph.add((activity, RDFS.label, Literal(record.operation, lang="en")))
    graph.add((activity, PROV.startedAtTime, started))
    graph.add((activity, PROV.endedAtTime, ended))
    graph.add((activity, PROV.wasAssociatedWith, agent))
    if record.added is not None and record.removed is not None:
        graph.add(
            (
                activity,
                RDFS.comment,
                Literal(f"{record.added} triple(s) added, {record.removed} removed", lang="en"),
            )
        )
    graph.add((agent, RDF.type, PROV.Agent))
    graph.add((agent, RDFS.label, Literal(f"write token {record.fingerprint}", lang="en")))
    for index, name in enumerate(sorted(record.graphs), start=1):
        version = URIRef(f"{activity}#graph-{index}")
        graph.add((activity, PROV.generated, version))
        graph.add((version, RDF.type, PROV.Entity))
        graph.add((version, PROV.specializationOf, URIRef(name)))
        graph.add((version, PROV.wasGeneratedBy, activity))
        graph.add((version, PROV.generatedAtTime, ended))
    return graph


def record_write(store: Store, record: WriteRecord, base_iri: str) -> None:
    """Add the provenance record of a write to the provenance graph."""
    data = provenance_graph(record, base_iri).serialize(format="nt", encoding="utf-8")
    store.load(data, RdfFormat.NTRIPLES, PROVENANCE_GRAPH)


def now() -> datetime:
    return datetime.now(UTC)
