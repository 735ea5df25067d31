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
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO

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
from service.store.binding import declares_dataset, with_bindings
from service.store.engine import (
    LOADING_INTO,
    QueryResult,
    Staging,
    bulk_load,
    copy_to_memory,
    count_graph,
    dataset_args,
    engine_errors,
    is_empty,
    open_disk,
    open_read_only,
    parse_quads,
    recover,
    run_update,
    single_count,
    visible,
    visible_graphs,
)
from service.store.state_token import StateToken, state_file_for
from service.store.terms import OX_FORMATS, graph_node, solution_rows, to_oxigraph, to_rdflib

# Updates whose result differs between two runs (fresh blank nodes, clocks, randomness,
# fetched documents) cannot simply be replayed on the memory copy.
_NONDETERMINISTIC = re.compile(r"_:|\[|\b(?:BNODE|UUID|STRUUID|RAND|NOW|LOAD)\b", re.IGNORECASE)


class OxigraphStore:
    """A pyoxigraph store on disk (RocksDB) with an in-memory copy for queries, or memory only."""

    def __init__(
        self, path: Path | None = None, *, serve_from_memory: bool = True, read_only: bool = False
    ) -> None:
        self.path = path
        self._read_only = read_only
        self._write_lock = threading.Lock()
        # Readers that saw no write in progress are counted until their query has its snapshot;
        # a writer waits for them before it lets staged data into the store.
        self._guard = threading.Condition()
        self._writing = False
        self._hidden: frozenset[str] = frozenset()
        self._unsafe_readers = 0
        self._mirror: ox.Store | None = None
        self._version = 0
        if path is None:
            self._primary: ox.Store | None = ox.Store()
        elif read_only:  # beside a process that holds the store: reads it as it is now
            self._primary = open_read_only(path)
        else:
            self._primary = open_disk(path)
            recover(self._primary)
            if serve_from_memory:
                self._mirror = copy_to_memory(self._primary)
        # (after the folder exists: the token file lives beside it)
        self._state = StateToken(None if path is None else state_file_for(path))

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
        """Run a SELECT query and return its rows; bindings open the WHERE group as VALUES."""
        result = self._query(sparql, dataset, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise ValueError("expected a SELECT query")
        names = [variable.value for variable in result.variables]
        with engine_errors():
            rows = solution_rows(names, result)
        return SelectResult(names, rows)

    def ask(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        dataset: Dataset | None = None,
    ) -> bool:
        """Run an ASK query."""
        result = self._query(sparql, dataset, bindings)
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
        result = self._query(sparql, dataset, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise ValueError("expected a CONSTRUCT or DESCRIBE query")
        with engine_errors():
            return [
                (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))  # type: ignore[misc]
                for t in result
            ]

    def query_serialized(
        self, sparql: str, media_type: str, dataset: Dataset | None = None
    ) -> bytes:
        """Run any query and return its result serialised in media_type (results or RDF format)."""
        result = self._query(sparql, dataset)
        with engine_errors():
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

    def state_token(self) -> str:
        """Return the token of the store's state; each write replaces it (kept in a file beside
        the store folder, so that it survives restarts and loads by other commands)."""
        return self._state.current

    def version(self) -> int:
        """Return the number of writes made through this store (it holds the store's lock, so
        no other process writes to it)."""
        return self._version

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update, on disk first, then on the memory copy."""
        with self._write_lock, self._counted_write():
            primary = self._open()
            run_update(primary, sparql)
            if self._mirror is None:
                return
            if _NONDETERMINISTIC.search(sparql):
                self._mirror = copy_to_memory(primary)
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
        with self._write_lock, self._counted_write():
            primary = self._open()
            triples = not fmt.has_graphs
            if triples and isinstance(target, ox.NamedNode) and is_empty(primary, target):
                return self._write_fresh(
                    target, lambda store: bulk_load(store, source, fmt, target)
                )
            staging = Staging()
            if fmt.has_graphs:
                quads = parse_quads(source, fmt)

                def fill(store: ox.Store) -> None:
                    store.bulk_extend(staging.remap(quads, target))

            else:
                staged = staging.graph_for(target)

                def fill(store: ox.Store) -> None:
                    bulk_load(store, source, fmt, staged)

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

        with self._write_lock, self._counted_write():
            primary = self._open()
            if is_empty(primary, target):
                return self._write_fresh(target, lambda store: store.bulk_extend(as_quads(target)))
            staging = Staging()
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
            with engine_errors():
                result.serialize(out, OX_FORMATS[fmt])
            return
        with self._reading() as hidden, engine_errors():
            if graph is not None:
                store.dump(out, OX_FORMATS[fmt], from_graph=ox.NamedNode(graph))
            elif hidden is None:
                store.dump(out, OX_FORMATS[fmt])
            else:
                shown = (quad for quad in store if visible(quad.graph_name, hidden))
                ox.serialize(shown, out, OX_FORMATS[fmt])

    def count(self, graph: str | None = None) -> int:
        """Count quads in the store, or triples in one named graph."""
        store = self._serving()
        with self._reading() as hidden:
            if graph is not None:
                return 0 if hidden and graph in hidden else count_graph(store, ox.NamedNode(graph))
            names = None if hidden is None else visible_graphs(store, hidden)
            query = "SELECT (COUNT(*) AS ?n) { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
            with engine_errors():
                result = store.query(query, default_graph=ox.DefaultGraph(), named_graphs=names)
        return single_count(result)

    def graphs(self) -> list[str]:
        """List the named graphs (staging graphs and graphs being filled excluded)."""
        store = self._serving()
        with self._reading() as hidden:
            names = visible_graphs(store, hidden or frozenset())
        return sorted(name.value for name in names if isinstance(name, ox.NamedNode))

    def close(self) -> None:
        """Flush the disk store and release it (and its lock) for other processes."""
        with self._write_lock:
            if self._primary is not None and self.path is not None and not self._read_only:
                with engine_errors():
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
    def _counted_write(self) -> Iterator[None]:
        """Count a write once it is over, whether it succeeded or not (it may have changed
        something before it failed), and give the store a new state token before and after
        (so that a write broken off by a crash leaves a token no derived result was made for)."""
        self._state.renew()
        try:
            yield
        finally:
            self._state.renew()
            self._version += 1

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

    def _query(
        self, sparql: str, dataset: Dataset | None, bindings: Mapping[str, Node] | None = None
    ) -> QueryResult:
        """Run a query template with its bindings (see `with_bindings`) over a dataset."""
        own_dataset = (dataset is None or not dataset.is_restricted) and declares_dataset(sparql)
        text = with_bindings(sparql, bindings)
        store = self._serving()
        with self._reading() as hidden, engine_errors():
            if own_dataset:
                return store.query(text)  # the query's FROM / FROM NAMED decide
            return store.query(text, **dataset_args(store, dataset, hidden))

    def _write_fresh(self, target: ox.NamedNode, fill: Callable[[ox.Store], None]) -> int:
        """Load into an empty graph directly; a marker graph makes it undone after a crash."""
        primary = self._open()
        marker = ox.NamedNode(Staging().prefix)
        with self._writing_graphs(frozenset({target.value})):
            primary.add(ox.Quad(marker, LOADING_INTO, target, marker))
            try:
                with engine_errors():
                    fill(primary)
            except BaseException:
                primary.remove_graph(target)
                primary.remove_graph(marker)
                raise
            primary.remove_graph(marker)  # the commit point
            if self._mirror is not None:
                self._mirror_graphs(primary, [target])
            return count_graph(primary, target)

    def _write_staged(
        self, staging: Staging, fill: Callable[[ox.Store], None], *, replace: bool
    ) -> int:
        """Fill staging graphs, then swap them onto their targets in one transaction."""
        primary = self._open()
        with self._writing_graphs():
            try:
                with engine_errors():
                    fill(primary)
                count = sum(count_graph(primary, name) for name in staging.graphs.values())
                swap = staging.swap_update(replace=replace)
                run_update(primary, swap)  # the commit point
                if self._mirror is not None:
                    self._mirror_graphs(primary, staging.graphs.values())
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
            run_update(self._mirror, sparql)
        except StoreError:
            self._mirror = copy_to_memory(primary)

    def _mirror_graphs(self, primary: ox.Store, graphs: Iterable[ox.NamedNode]) -> None:
        """Copy graphs from disk into the memory copy; rebuild the copy if that fails."""
        assert self._mirror is not None
        try:
            for name in graphs:
                self._mirror.bulk_extend(primary.quads_for_pattern(None, None, None, name))
        except OSError:
            self._mirror = copy_to_memory(primary)
