"""The embedded store: pyoxigraph, durable on disk and served from memory (DESIGN.md, Store).

Writes are crash-safe. New content is bulk-loaded into a staging graph named under
`urn:stadtgraph:staging:` and swapped onto its target in one SPARQL Update, which pyoxigraph
runs as one transaction; `bulk_load` itself is not transactional, so whatever a killed process
left in staging graphs is removed on the next open. A graph that is still empty skips the swap:
a marker graph records the load, the data goes straight in, and removing the marker commits it
(a marker left behind rolls the graph back to empty on the next open).

While a write is in progress, queries over the default graph see the union of the finished
graphs only, never staging graphs or a graph still being filled.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib.term import BNode

from service.store.base import (
    Dataset,
    Node,
    RdfFormat,
    SelectResult,
    StoreError,
    Triple,
)
from service.store.binding import sparql_iri, with_bindings
from service.store.terms import (
    OX_FORMATS,
    data_syntax_message,
    graph_node,
    query_syntax_error,
    to_oxigraph,
    to_rdflib,
)

STAGING = "urn:stadtgraph:staging:"
_LOADING_INTO = ox.NamedNode("urn:stadtgraph:loadingInto")
# Updates whose result differs between two runs (fresh blank nodes, clocks, randomness,
# fetched documents) cannot simply be replayed on the memory copy.
_NONDETERMINISTIC = re.compile(r"_:|\[|\b(?:BNODE|UUID|STRUUID|RAND|NOW|LOAD)\b", re.IGNORECASE)

OxGraph = ox.NamedNode | ox.DefaultGraph
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class OxigraphStore:
    """A pyoxigraph store on disk (RocksDB) with an in-memory copy for queries, or memory only."""

    def __init__(self, path: Path | None = None, *, serve_from_memory: bool = True) -> None:
        self.path = path
        self._write_lock = threading.Lock()
        # Readers that saw no write in progress are counted until their query has its snapshot;
        # a writer waits for them before it lets staged data into the store.
        self._guard = threading.Condition()
        self._writing = False
        self._hidden: frozenset[str] = frozenset()
        self._unsafe_readers = 0
        self._mirror: ox.Store | None = None
        if path is None:
            self._primary: ox.Store | None = ox.Store()
        else:
            self._primary = _open_disk(path)
            _recover(self._primary)
            if serve_from_memory:
                self._mirror = _copy(self._primary)

    def __enter__(self) -> OxigraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- queries ------------------------------------------------------------------------------

    def select(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        dataset: Dataset | None = None,
    ) -> SelectResult:
        """Run a SELECT query and return its rows; bindings are joined as a trailing VALUES."""
        result = self._query(with_bindings(sparql, bindings), dataset)
        if not isinstance(result, ox.QuerySolutions):
            raise ValueError("expected a SELECT query")
        names = [variable.value for variable in result.variables]
        with _engine_errors():
            rows = [
                {name: to_rdflib(term) for name in names if (term := row[name]) is not None}
                for row in result
            ]
        return SelectResult(names, rows)

    def ask(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        dataset: Dataset | None = None,
    ) -> bool:
        """Run an ASK query."""
        result = self._query(with_bindings(sparql, bindings), dataset)
        if not isinstance(result, ox.QueryBoolean):
            raise ValueError("expected an ASK query")
        return bool(result)

    def construct(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        dataset: Dataset | None = None,
    ) -> list[Triple]:
        """Run a CONSTRUCT or DESCRIBE query and return its triples."""
        result = self._query(with_bindings(sparql, bindings), dataset)
        if not isinstance(result, ox.QueryTriples):
            raise ValueError("expected a CONSTRUCT or DESCRIBE query")
        with _engine_errors():
            return [
                (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))  # type: ignore[misc]
                for t in result
            ]

    def query_serialized(
        self, sparql: str, media_type: str, dataset: Dataset | None = None
    ) -> bytes:
        """Run any query and return its result serialised in media_type (results or RDF format)."""
        result = self._query(sparql, dataset)
        with _engine_errors():
            if isinstance(result, ox.QueryTriples):
                rdf_format = ox.RdfFormat.from_media_type(media_type)
                if rdf_format is None:
                    raise ValueError(f"cannot write a graph result as {media_type}")
                return result.serialize(format=rdf_format) or b""
            results_format = ox.QueryResultsFormat.from_media_type(media_type)
            if results_format is None:
                raise ValueError(f"cannot write query results as {media_type}")
            return result.serialize(format=results_format) or b""

    # -- writes -------------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update, on disk first, then on the memory copy."""
        with self._write_lock:
            primary = self._open()
            _run_update(primary, sparql)
            if self._mirror is None:
                return
            if _NONDETERMINISTIC.search(sparql):
                self._mirror = _copy(primary)
            else:
                self._mirror_update(primary, sparql)

    def load(
        self,
        source: Path | bytes | IO[bytes],
        fmt: RdfFormat,
        graph: str | None,
        *,
        replace: bool = False,
    ) -> int:
        """Add RDF to graph (TriG/N-Quads keep their graph names); replace swaps atomically.

        Return the number of distinct quads the data held.
        """
        target = graph_node(graph)
        with self._write_lock:
            primary = self._open()
            triples = not fmt.has_graphs
            if triples and isinstance(target, ox.NamedNode) and _is_empty(primary, target):
                return self._write_fresh(
                    target, lambda store: _bulk_load(store, source, fmt, target)
                )
            staging = _Staging()
            if fmt.has_graphs:
                quads = _parse(source, fmt)

                def fill(store: ox.Store) -> None:
                    store.bulk_extend(staging.remap(quads, target))

            else:
                staged = staging.graph_for(target)

                def fill(store: ox.Store) -> None:
                    _bulk_load(store, source, fmt, staged)

            return self._write_staged(staging, fill, replace=replace)

    def replace_graph(self, graph: str, quads: Iterable[Triple]) -> int:
        """Swap the content of a named graph atomically; return its new size."""
        target = ox.NamedNode(graph)
        blank_nodes: dict[BNode, ox.BlankNode] = {}

        def as_quads(name: ox.NamedNode) -> Iterator[ox.Quad]:
            for s, p, o in quads:
                yield ox.Quad(
                    to_oxigraph(s, blank_nodes),  # type: ignore[arg-type]
                    to_oxigraph(p, blank_nodes),  # type: ignore[arg-type]
                    to_oxigraph(o, blank_nodes),
                    name,
                )

        with self._write_lock:
            primary = self._open()
            if _is_empty(primary, target):
                return self._write_fresh(target, lambda store: store.bulk_extend(as_quads(target)))
            staging = _Staging()
            staged = staging.graph_for(target)
            return self._write_staged(
                staging, lambda store: store.bulk_extend(as_quads(staged)), replace=True
            )

    # -- reading the whole store --------------------------------------------------------------

    def dump(self, out: IO[bytes], fmt: RdfFormat, graph: str | None = None) -> None:
        """Write the whole dataset (or one graph) to out; triple formats get the union."""
        store = self._serving()
        if graph is None and not fmt.has_graphs:
            result = self._query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", None)
            assert isinstance(result, ox.QueryTriples)
            with _engine_errors():
                result.serialize(out, OX_FORMATS[fmt])
            return
        with self._reading() as hidden, _engine_errors():
            if graph is not None:
                store.dump(out, OX_FORMATS[fmt], from_graph=ox.NamedNode(graph))
            elif hidden is None:
                store.dump(out, OX_FORMATS[fmt])
            else:
                visible = (q for q in store if _visible(q.graph_name, hidden))
                ox.serialize(visible, out, OX_FORMATS[fmt])

    def count(self, graph: str | None = None) -> int:
        """Count quads in the store, or triples in one named graph."""
        store = self._serving()
        if graph is not None:
            return _count_graph(store, ox.NamedNode(graph))
        with self._reading() as hidden:
            names = None if hidden is None else _visible_graphs(store, hidden)
            query = "SELECT (COUNT(*) AS ?n) { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
            with _engine_errors():
                result = store.query(query, default_graph=ox.DefaultGraph(), named_graphs=names)
        return _single_count(result)

    def graphs(self) -> list[str]:
        """List the named graphs (staging graphs and graphs being filled excluded)."""
        store = self._serving()
        with self._reading() as hidden:
            names = _visible_graphs(store, hidden or frozenset())
        return sorted(name.value for name in names if isinstance(name, ox.NamedNode))

    def close(self) -> None:
        """Flush the disk store and release it (and its lock) for other processes."""
        with self._write_lock:
            if self._primary is not None and self.path is not None:
                with _engine_errors():
                    self._primary.flush()
            # pyoxigraph has no close(): RocksDB is released when the last reference goes.
            self._primary = None
            self._mirror = None

    # -- internals ----------------------------------------------------------------------------

    def _open(self) -> ox.Store:
        if self._primary is None:
            raise StoreError("the store is closed")
        return self._primary

    def _serving(self) -> ox.Store:
        primary = self._open()
        return primary if self._mirror is None else self._mirror

    @contextmanager
    def _reading(self) -> Iterator[frozenset[str] | None]:
        """Yield None when no write is in progress, else the graphs to keep out of sight."""
        with self._guard:
            hidden = self._hidden if self._writing else None
            if hidden is None:
                self._unsafe_readers += 1
        try:
            yield hidden
        finally:
            if hidden is None:
                with self._guard:
                    self._unsafe_readers -= 1
                    self._guard.notify_all()

    @contextmanager
    def _writing_graphs(self, hidden: frozenset[str] = frozenset()) -> Iterator[None]:
        with self._guard:
            self._writing = True
            self._hidden = hidden
            self._guard.wait_for(lambda: self._unsafe_readers == 0)
        try:
            yield
        finally:
            with self._guard:
                self._writing = False
                self._hidden = frozenset()

    def _query(self, sparql: str, dataset: Dataset | None) -> QueryResult:
        store = self._serving()
        with self._reading() as hidden, _engine_errors():
            return store.query(sparql, **_dataset_args(store, dataset, hidden))

    def _write_fresh(self, target: ox.NamedNode, fill: Callable[[ox.Store], None]) -> int:
        """Load into an empty graph directly; a marker graph makes it undone after a crash."""
        primary = self._open()
        marker = ox.NamedNode(_Staging().prefix)
        with self._writing_graphs(frozenset({target.value})):
            primary.add(ox.Quad(marker, _LOADING_INTO, target, marker))
            try:
                with _engine_errors():
                    fill(primary)
            except BaseException:
                primary.remove_graph(target)
                primary.remove_graph(marker)
                raise
            primary.remove_graph(marker)  # the commit point
            if self._mirror is not None:
                self._mirror_graphs(primary, {target: target})
            return _count_graph(primary, target)

    def _write_staged(
        self, staging: _Staging, fill: Callable[[ox.Store], None], *, replace: bool
    ) -> int:
        """Fill staging graphs, then swap them onto their targets in one transaction."""
        primary = self._open()
        with self._writing_graphs():
            try:
                with _engine_errors():
                    fill(primary)
                count = sum(_count_graph(primary, name) for name in staging.graphs.values())
                swap = staging.swap_update(replace=replace)
                _run_update(primary, swap)  # the commit point
                if self._mirror is not None:
                    self._mirror_graphs(primary, {name: name for name in staging.graphs.values()})
                    self._mirror_update(primary, swap)
            finally:
                for name in staging.graphs.values():
                    primary.remove_graph(name)
                    if self._mirror is not None:
                        self._mirror.remove_graph(name)
        return count

    def _mirror_update(self, primary: ox.Store, sparql: str) -> None:
        """Replay an update on the memory copy; rebuild the copy if that fails."""
        assert self._mirror is not None
        try:
            _run_update(self._mirror, sparql)
        except StoreError:
            self._mirror = _copy(primary)

    def _mirror_graphs(self, primary: ox.Store, graphs: Mapping[ox.NamedNode, OxGraph]) -> None:
        """Copy graphs from disk into the memory copy; rebuild the copy if that fails."""
        assert self._mirror is not None
        try:
            for source, target in graphs.items():
                self._mirror.bulk_extend(
                    ox.Quad(q.subject, q.predicate, q.object, target)
                    for q in primary.quads_for_pattern(None, None, None, source)
                )
        except OSError:
            self._mirror = _copy(primary)


class _Staging:
    """Staging graph names for one write, one per target graph."""

    def __init__(self) -> None:
        self.prefix = f"{STAGING}{uuid.uuid4().hex}"
        self.graphs: dict[OxGraph, ox.NamedNode] = {}

    def graph_for(self, target: OxGraph) -> ox.NamedNode:
        if target not in self.graphs:
            self.graphs[target] = ox.NamedNode(f"{self.prefix}:{len(self.graphs)}")
        return self.graphs[target]

    def remap(self, quads: Iterable[ox.Quad], default: OxGraph) -> Iterator[ox.Quad]:
        """Move each quad into its target's staging graph; default-graph quads target default."""
        for quad in quads:
            name = quad.graph_name
            if isinstance(name, ox.BlankNode):
                raise StoreError("graphs named by blank nodes cannot be loaded; name them by IRI")
            target = default if isinstance(name, ox.DefaultGraph) else name
            yield ox.Quad(quad.subject, quad.predicate, quad.object, self.graph_for(target))

    def swap_update(self, *, replace: bool) -> str:
        """Return the one SPARQL Update that moves every staging graph onto its target."""
        operations = []
        for target, staged in self.graphs.items():
            if isinstance(target, ox.DefaultGraph):
                drop, into = "DEFAULT", "DEFAULT"
            else:
                into = sparql_iri(target.value)
                drop = f"GRAPH {into}"
            if replace:
                operations.append(f"DROP SILENT {drop}")
            operations.append(f"ADD SILENT {sparql_iri(staged.value)} TO {into}")
        return " ;\n".join(operations) or "CLEAR SILENT GRAPH <urn:stadtgraph:nothing>"


@contextmanager
def _engine_errors() -> Iterator[None]:
    """Turn pyoxigraph's exceptions into the store's own."""
    try:
        yield
    except SyntaxError as error:
        raise query_syntax_error(error) from None
    except (OSError, RuntimeError) as error:
        raise StoreError(f"the embedded store failed: {error}") from error


def _run_update(store: ox.Store, sparql: str) -> None:
    with _engine_errors():
        store.update(sparql)


def _open_disk(path: Path) -> ox.Store:
    try:
        return ox.Store(str(path))
    except OSError as error:
        if "lock" in str(error).lower():
            raise StoreError(
                f"the store at {path} is locked by another process (a running server or "
                "stadtgraph command); stop that process and try again"
            ) from None
        raise StoreError(f"cannot open the store at {path}: {error}") from None


def _recover(store: ox.Store) -> None:
    """Remove what a killed write left: staging graphs, and graphs whose first load broke off."""
    with _engine_errors():
        for name in list(store.named_graphs()):
            if isinstance(name, ox.NamedNode) and name.value.startswith(STAGING):
                for marker in list(store.quads_for_pattern(None, _LOADING_INTO, None, name)):
                    if isinstance(marker.object, ox.NamedNode):
                        store.remove_graph(marker.object)
                store.remove_graph(name)


def _copy(store: ox.Store) -> ox.Store:
    """Return an in-memory copy of store, blank node identifiers included."""
    memory = ox.Store()
    with _engine_errors():
        memory.bulk_extend(store)
        for name in store.named_graphs():
            memory.add_graph(name)
    return memory


def _parse(source: Path | bytes | IO[bytes], fmt: RdfFormat) -> Iterator[ox.Quad]:
    try:
        if isinstance(source, Path):
            yield from ox.parse(path=source, format=OX_FORMATS[fmt], rename_blank_nodes=True)
        else:
            yield from ox.parse(source, OX_FORMATS[fmt], rename_blank_nodes=True)
    except SyntaxError as error:
        raise StoreError(f"the {fmt.name} data is invalid: {data_syntax_message(error)}") from None


def _bulk_load(
    store: ox.Store, source: Path | bytes | IO[bytes], fmt: RdfFormat, graph: OxGraph
) -> None:
    try:
        if isinstance(source, Path):
            store.bulk_load(path=source, format=OX_FORMATS[fmt], to_graph=graph)
        else:
            store.bulk_load(source, OX_FORMATS[fmt], to_graph=graph)
    except SyntaxError as error:
        raise StoreError(f"the {fmt.name} data is invalid: {data_syntax_message(error)}") from None


def _is_empty(store: ox.Store, graph: ox.NamedNode) -> bool:
    with _engine_errors():
        return next(iter(store.quads_for_pattern(None, None, None, graph)), None) is None


def _count_graph(store: ox.Store, graph: ox.NamedNode) -> int:
    query = f"SELECT (COUNT(*) AS ?n) {{ GRAPH {sparql_iri(graph.value)} {{ ?s ?p ?o }} }}"
    with _engine_errors():
        return _single_count(store.query(query))


def _single_count(result: QueryResult) -> int:
    assert isinstance(result, ox.QuerySolutions)
    (row,) = list(result)
    value = row["n"]
    assert isinstance(value, ox.Literal)
    return int(value.value)


def _visible(name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph, hidden: frozenset[str]) -> bool:
    if isinstance(name, ox.NamedNode):
        return not name.value.startswith(STAGING) and name.value not in hidden
    return True


def _visible_graphs(store: ox.Store, hidden: frozenset[str]) -> list[ox.NamedNode | ox.BlankNode]:
    with _engine_errors():
        return [name for name in store.named_graphs() if _visible(name, hidden)]


def _dataset_args(
    store: ox.Store, dataset: Dataset | None, hidden: frozenset[str] | None
) -> dict[str, Any]:
    """Return pyoxigraph's query arguments for the dataset a query should see."""
    if dataset is not None and dataset.is_restricted:
        return {
            "default_graph": [ox.NamedNode(name) for name in dataset.default_graphs],
            "named_graphs": [ox.NamedNode(name) for name in dataset.named_graphs],
        }
    if hidden is None:
        return {"use_default_graph_as_union": True}
    visible = _visible_graphs(store, hidden)
    return {"default_graph": [ox.DefaultGraph(), *visible], "named_graphs": visible}
