"""What a SPARQL Update would change, whether the shapes allow it, and the change as one update.

An update is first run on a scratch store: an in-memory pyoxigraph store holding a copy of the
graphs the update names (all graphs when it can address graphs it does not name: `GRAPH ?g`,
ALL, NAMED, DEFAULT). Comparing the scratch dump before and after gives the exact quads the
update adds and removes in each graph, however it is written (DELETE/INSERT WHERE, CLEAR,
COPY, MOVE, ADD…). The SHACL gate then checks the store as it would be after the write:

- a graph that only gains triples about IRIs is checked at the subjects of the new triples,
  with their neighbourhood read from the store (`Gate.validate_change(additions=…)`);
- a graph that loses triples, or whose change involves blank nodes (which cannot be looked up
  in the store), is checked as a replaced graph: its whole new content, the subjects it used to
  describe and the nodes elsewhere that point at them (`replaced=…`).

What is then written is the change itself, not the client's text: one update of DELETE DATA /
INSERT DATA per graph (a graph whose change involves blank nodes is dropped and inserted
whole), run by the store as one transaction. So exactly what was validated is written, even
if the client's update reads clocks or random numbers, and a graph missing from the scratch
copy can only make the update do less, never write something unchecked.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from .gate import Gate, ValidationReport
from .project import GRAPH_BASE
from .rdf_files import parse_rdf
from .store import RdfFormat, Store
from .store.binding import sparql_iri, sparql_literal
from .write_provenance import PROVENANCE_GRAPH

INTERNAL_GRAPH_PREFIXES = ("urn:stadtgraph:",)
RULE_GRAPH_PREFIXES = (GRAPH_BASE + "ontology/", GRAPH_BASE + "shapes/")
"""The graphs of ontology/ and shapes/ (see `project.graph_for_path`)."""
_DEFAULT = "urn:stadtgraph:write:default-graph"


class UpdateRejected(Exception):
    """The update cannot be applied as written (syntax, a missing graph, a graph it may not
    write); the message says why."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class Change:
    """What a write adds to and removes from each graph, and which graphs it creates or drops."""

    added: dict[str, list[ox.Quad]] = field(default_factory=dict)
    removed: dict[str, list[ox.Quad]] = field(default_factory=dict)
    new_content: dict[str, list[ox.Quad]] = field(default_factory=dict)
    """The whole content after the write, for graphs validated and written whole."""
    graphs_created: set[str] = field(default_factory=set)
    graphs_dropped: set[str] = field(default_factory=set)

    @property
    def graphs(self) -> set[str]:
        """Every graph the write touches."""
        return {*self.added, *self.removed, *self.graphs_created, *self.graphs_dropped}

    @property
    def is_empty(self) -> bool:
        return not self.graphs

    @property
    def written_whole(self) -> set[str]:
        """Graphs whose change involves blank nodes: DELETE DATA cannot name a stored blank
        node, and INSERT DATA cannot refer to one, so such a graph is rewritten whole."""
        involved = {
            name
            for quads_by_graph in (self.added, self.removed)
            for name, quads in quads_by_graph.items()
            if _has_blank_nodes(quads)
        }
        return involved - {_DEFAULT}

    @property
    def replaced(self) -> set[str]:
        """Graphs validated whole: they lose triples, or their change involves blank nodes."""
        return (set(self.removed) | self.graphs_dropped | self.written_whole) - {_DEFAULT}

    def counts(self) -> tuple[int, int]:
        """Return (triples added, triples removed) over all graphs."""
        return (sum(map(len, self.added.values())), sum(map(len, self.removed.values())))


def preview_update(store: Store, sparql: str, named: Collection[str] | None) -> Change:
    """Run an update on a scratch copy of the graphs it names (all when `named` is None) and
    return what it changes. Raise UpdateRejected when it does not parse or cannot run."""
    graphs_before = set(store.graphs())
    scratch = ox.Store()
    if named is None:
        dump = io.BytesIO()
        store.dump(dump, RdfFormat.NQUADS)
        scratch.bulk_load(dump.getvalue(), ox.RdfFormat.N_QUADS)
    else:
        for name in sorted(set(named) & graphs_before):
            dump = io.BytesIO()
            store.dump(dump, RdfFormat.NTRIPLES, name)
            scratch.bulk_load(dump.getvalue(), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    for name in graphs_before:
        scratch.add_graph(ox.NamedNode(name))
    before = set((scratch.dump(format=ox.RdfFormat.N_QUADS) or b"").splitlines())
    try:
        scratch.update(sparql)
    except SyntaxError as error:
        raise UpdateRejected(_syntax_message(error)) from None
    except (RuntimeError, OSError, ValueError) as error:
        raise UpdateRejected(f"The update cannot be applied: {error}") from None
    after = set((scratch.dump(format=ox.RdfFormat.N_QUADS) or b"").splitlines())
    graphs_after = {g.value for g in scratch.named_graphs() if isinstance(g, ox.NamedNode)}
    change = Change(
        added=_by_graph(after - before),
        removed=_by_graph(before - after),
        graphs_created=graphs_after - graphs_before,
        graphs_dropped=graphs_before - graphs_after,
    )
    for name in change.replaced - change.graphs_dropped:
        content = scratch.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
        change.new_content[name] = list(ox.parse(content or b"", format=ox.RdfFormat.N_TRIPLES))
    return change


def check_graphs(change: Change) -> None:
    """Refuse writes to the default graph, the provenance record and the store's own graphs."""
    for name in sorted(change.graphs):
        if name == _DEFAULT:
            raise UpdateRejected(
                "The update writes to the default graph. Every triple here lives in a named "
                "graph (queries read their union as the default graph, unless configured "
                "otherwise); write into a named graph (GRAPH <…> { … } or WITH <…>)."
            )
        check_writable_graph(name)


def check_writable_graph(name: str) -> None:
    """Refuse (403) a write to the provenance record or another graph the service keeps, and
    to the ontology and the shapes: a token that could drop the shapes could switch off the
    gate for every later write."""
    if name == PROVENANCE_GRAPH or name.startswith(INTERNAL_GRAPH_PREFIXES):
        raise UpdateRejected(
            f"The graph <{name}> is kept by the service and cannot be written over HTTP.", 403
        )
    if name.startswith(RULE_GRAPH_PREFIXES):
        raise UpdateRejected(
            f"The graph <{name}> holds the ontology or the shapes every write is checked "
            "against; it changes with the files in ontology/ and shapes/, loaded with "
            "`stadtgraph load`, not over HTTP.",
            403,
        )


def validate_change(gate: Gate, store: Store, change: Change) -> ValidationReport:
    """Validate the store as it would be after the change, at the nodes it touches."""
    replaced = change.replaced
    additions: dict[str, Graph] = {}
    for name in change.graphs:
        if name in replaced:
            additions[name] = _rdflib_graph(change.new_content.get(name, []))
        elif name in change.added:
            additions[name] = _rdflib_graph(change.added[name])
    return gate.validate_change(store, additions=additions, replaced=replaced)


def change_as_update(change: Change) -> str:
    """Write the change as one SPARQL Update; terms go through the binding helper."""
    operations: list[str] = []
    for name in sorted(change.graphs):
        graph = sparql_iri(name)
        if name in change.graphs_dropped:
            operations.append(f"DROP SILENT GRAPH {graph}")
            continue
        if name in change.written_whole:
            operations.append(f"DROP SILENT GRAPH {graph}")
            operations.append(f"CREATE SILENT GRAPH {graph}")
            if change.new_content.get(name):
                operations.append(_data("INSERT", graph, change.new_content[name]))
            continue
        if name in change.graphs_created:
            operations.append(f"CREATE SILENT GRAPH {graph}")
        if change.removed.get(name):
            operations.append(_data("DELETE", graph, change.removed[name]))
        if change.added.get(name):
            operations.append(_data("INSERT", graph, change.added[name]))
    return " ;\n".join(operations)


def _data(verb: str, graph: str, quads: Iterable[ox.Quad]) -> str:
    lines = "\n".join(
        f"  {_term(q.subject)} {_term(q.predicate)} {_term(q.object)} ." for q in quads
    )
    return f"{verb} DATA {{ GRAPH {graph} {{\n{lines}\n}} }}"


def _term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return sparql_iri(term.value)
    if isinstance(term, ox.BlankNode):
        # Our own label (hex digits), valid within the one INSERT DATA that writes it.
        return f"_:b{term.value}"
    if isinstance(term, ox.Literal):
        if term.language:
            return sparql_literal(Literal(term.value, lang=term.language))
        # normalize=False keeps the lexical form ("01"^^xsd:integer stays "01").
        datatype = URIRef(term.datatype.value)
        return sparql_literal(Literal(term.value, datatype=datatype, normalize=False))
    raise UpdateRejected("RDF-star triples cannot be written over HTTP.")


def _by_graph(lines: Iterable[bytes]) -> dict[str, list[ox.Quad]]:
    grouped: dict[str, list[ox.Quad]] = {}
    data = b"\n".join(lines)
    for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS):
        name = quad.graph_name
        key = name.value if isinstance(name, ox.NamedNode) else _DEFAULT
        grouped.setdefault(key, []).append(quad)
    return grouped


def _rdflib_graph(quads: Iterable[ox.Quad]) -> Graph:
    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return parse_rdf(data, RdfFormat.NTRIPLES, "urn:stadtgraph:write:graph").graphs[
        "urn:stadtgraph:write:graph"
    ]


def _has_blank_nodes(quads: Iterable[ox.Quad]) -> bool:
    return any(isinstance(term, ox.BlankNode) for q in quads for term in (q.subject, q.object))


def _syntax_message(error: SyntaxError) -> str:
    text = str(error)
    if text.startswith("error at "):
        position, _, reason = text[len("error at ") :].partition(": ")
        line, _, column = position.partition(":")
        return f"SPARQL Update syntax error at line {line}, column {column}: {reason}"
    return f"SPARQL Update syntax error: {text}"
