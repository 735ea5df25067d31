"""Operations on a pyoxigraph store that the embedded store is built from.

Error mapping, bulk loading, the staging graphs of a write, the recovery that removes what a
killed write left behind, and the dataset a query sees while a write is in progress.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from service.store.base import (
    Dataset,
    QueryEvaluationError,
    RdfFormat,
    StoreError,
    StoreLocked,
)
from service.store.binding import sparql_iri
from service.store.terms import OX_FORMATS, data_syntax_message, query_syntax_error

STAGING = "urn:stadtgraph:staging:"
LOADING_INTO = ox.NamedNode("urn:stadtgraph:loadingInto")

OxGraph = ox.NamedNode | ox.DefaultGraph
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class Staging:
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
def engine_errors() -> Iterator[None]:
    """Turn pyoxigraph's exceptions into the store's own."""
    try:
        yield
    except SyntaxError as error:
        raise query_syntax_error(error) from None
    except RuntimeError as error:  # pyoxigraph's errors of evaluation
        raise QueryEvaluationError(str(error)) from None
    except OSError as error:
        raise StoreError(f"the embedded store failed: {error}") from error


def run_update(store: ox.Store, sparql: str) -> None:
    with engine_errors():
        store.update(sparql)


def open_disk(path: Path) -> ox.Store:
    """Open (or create) the store in the folder path, making its parent folders first: the
    engine makes the last folder only, and a fresh checkout has no `instance/`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as error:
        if "lock" in str(error).lower():
            raise StoreLocked(
                f"the store at {path} is locked by another process (a running server or "
                "stadtgraph command); stop that process and try again"
            ) from None
        raise StoreError(f"cannot open the store at {path}: {error}") from None


def open_read_only(path: Path) -> ox.Store:
    """Open the store in the folder path for reading alone, also while another process holds
    it for writing; what it reads is the store as it was when opened."""
    try:
        return ox.Store.read_only(str(path))
    except OSError as error:
        raise StoreError(f"cannot open the store at {path} for reading: {error}") from None


def recover(store: ox.Store) -> None:
    """Remove what a killed write left: staging graphs, and graphs whose first load broke off."""
    with engine_errors():
        for name in list(store.named_graphs()):
            if isinstance(name, ox.NamedNode) and name.value.startswith(STAGING):
                for marker in list(store.quads_for_pattern(None, LOADING_INTO, None, name)):
                    if isinstance(marker.object, ox.NamedNode):
                        store.remove_graph(marker.object)
                store.remove_graph(name)


def copy_to_memory(store: ox.Store) -> ox.Store:
    """Return an in-memory copy of store, blank node identifiers included."""
    memory = ox.Store()
    with engine_errors():
        memory.bulk_extend(store)
        for name in store.named_graphs():
            memory.add_graph(name)
    return memory


def parse_quads(source: Path | bytes | IO[bytes], fmt: RdfFormat) -> Iterator[ox.Quad]:
    try:
        if isinstance(source, Path):
            yield from ox.parse(path=source, format=OX_FORMATS[fmt], rename_blank_nodes=True)
        else:
            yield from ox.parse(source, OX_FORMATS[fmt], rename_blank_nodes=True)
    except SyntaxError as error:
        raise StoreError(f"the {fmt.name} data is invalid: {data_syntax_message(error)}") from None


def bulk_load(
    store: ox.Store, source: Path | bytes | IO[bytes], fmt: RdfFormat, graph: OxGraph
) -> None:
    try:
        if isinstance(source, Path):
            store.bulk_load(path=source, format=OX_FORMATS[fmt], to_graph=graph)
        else:
            store.bulk_load(source, OX_FORMATS[fmt], to_graph=graph)
    except SyntaxError as error:
        raise StoreError(f"the {fmt.name} data is invalid: {data_syntax_message(error)}") from None


def is_empty(store: ox.Store, graph: ox.NamedNode) -> bool:
    with engine_errors():
        return next(iter(store.quads_for_pattern(None, None, None, graph)), None) is None


def count_graph(store: ox.Store, graph: ox.NamedNode) -> int:
    query = f"SELECT (COUNT(*) AS ?n) {{ GRAPH {sparql_iri(graph.value)} {{ ?s ?p ?o }} }}"
    with engine_errors():
        return single_count(store.query(query))


def single_count(result: QueryResult) -> int:
    assert isinstance(result, ox.QuerySolutions)
    (row,) = list(result)
    value = row["n"]
    assert isinstance(value, ox.Literal)
    return int(value.value)


def visible(name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph, hidden: frozenset[str]) -> bool:
    if isinstance(name, ox.NamedNode):
        return not name.value.startswith(STAGING) and name.value not in hidden
    return True


def visible_graphs(store: ox.Store, hidden: frozenset[str]) -> list[ox.NamedNode | ox.BlankNode]:
    with engine_errors():
        return [name for name in store.named_graphs() if visible(name, hidden)]


def dataset_args(
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
    visible = visible_graphs(store, hidden)
    return {"default_graph": [ox.DefaultGraph(), *visible], "named_graphs": visible}
