"""Graph analytics over the involvement graph: views, centrality, communities, paths, layouts.

Everything works on a `Projection` (see projection.py) seen through a `Filter` of kinds and
relations. Centrality, communities and components treat the graph as undirected and simple
(two resources are connected or not); views and paths keep every typed edge. Results that
cost something are memoised on the projection, so they live as long as the store's state.
No Flask here.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import networkx as nx

from .layout import METHODS, layout
from .projection import KIND_BY_KEY, RELATION_BY_KEY, Projection

SEED = 42
"""Seed of every randomised algorithm here, so that the same data gives the same answer."""
LAYOUT_THRESHOLD = 300
"""Views with more nodes than this are laid out on the server; browsers lay out smaller ones."""
BETWEENNESS_EXACT_UP_TO = 1000
"""Above this many nodes betweenness is estimated from a seeded sample of source nodes:"""
BETWEENNESS_SAMPLE = 256
"""at most this many,"""
BETWEENNESS_BUDGET = 2_000_000
"""and fewer (down to BETWEENNESS_FLOOR) when sources × (nodes + edges) would exceed this:
networkx needs about 50 ms per source at 7,000 nodes and 0.8 s at 68,000, so the budget
keeps a first analytics request at seconds (the result is then kept for the store's state)."""
BETWEENNESS_FLOOR = 16
LAYOUTS = METHODS
LAYOUT_CACHE = 32
DIRECTIONS = ("out", "in")

T = TypeVar("T")


@dataclass(frozen=True)
class Filter:
    """Which kinds of nodes and which relations a view keeps (None keeps all)."""

    kinds: frozenset[str] | None = None
    relations: frozenset[str] | None = None

    def __post_init__(self) -> None:
        unknown_kinds = sorted((self.kinds or frozenset()) - set(KIND_BY_KEY))
        if unknown_kinds:
            raise ValueError(f"unknown type {unknown_kinds[0]!r}; known: {', '.join(KIND_BY_KEY)}")
        unknown = sorted((self.relations or frozenset()) - set(RELATION_BY_KEY))
        if unknown:
            raise ValueError(
                f"unknown relation {unknown[0]!r}; known: {', '.join(RELATION_BY_KEY)}"
            )


NO_FILTER = Filter()


@dataclass
class View:
    """Part of the graph to show: nodes in order of importance, the edges among them."""

    graph: nx.MultiDiGraph[str]
    focus: str | None = None
    depth: int = 0
    truncated: bool = False
    total: int = 0
    """How many nodes the view would have without the cap."""
    positions: dict[str, tuple[float, float]] | None = None
    available: dict[str, Counter[str]] = field(default_factory=dict)
    """Counts of kinds and relations around the focus before the filter, for the legend."""


@dataclass(frozen=True)
class Score:
    iri: str
    value: float
    degree: int


def memo(projection: Projection, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """Return the memoised result for key, computing it once per projection.

    The lock is not held while computing (results nest, and a slow one must not block the
    others); two threads may then compute the same result, and the first one stored wins.
    """
    with projection.lock:
        if key in projection.memo:
            return projection.memo[key]  # type: ignore[no-any-return]
    result = compute()
    with projection.lock:
        return projection.memo.setdefault(key, result)  # type: ignore[no-any-return]


# -- filtered graphs -----------------------------------------------------------------------


def filtered(projection: Projection, flt: Filter = NO_FILTER) -> nx.MultiDiGraph[str]:
    """Return the projection with only the kinds and relations the filter keeps."""
    if flt == NO_FILTER:
        return projection.graph

    def compute() -> nx.MultiDiGraph[str]:
        graph = projection.graph
        nodes = [n for n in graph if flt.kinds is None or graph.nodes[n]["kind"] in flt.kinds]
        sub: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        sub.add_nodes_from((n, graph.nodes[n]) for n in nodes)
        for u, v, k, d in graph.subgraph(nodes).edges(keys=True, data=True):
            if flt.relations is None or d["relation"] in flt.relations:
                sub.add_edge(u, v, key=k, **d)
        return sub

    return memo(projection, ("filtered", flt), compute)


def simple(graph: nx.MultiDiGraph[str]) -> nx.Graph[str]:
    """Collapse a typed multigraph into an undirected simple graph (connected or not)."""
    result: nx.Graph[str] = nx.Graph()
    result.add_nodes_from(graph.nodes)
    result.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    return result


def _in_order(graph: nx.Graph[str]) -> nx.Graph[str]:
    """The same graph with its nodes and edges in sorted order: the seeded algorithms (Louvain,
    sampled betweenness) follow the graph's order, which is the order the store returned its
    rows in, and an embedded and a remote store of the same data return them differently."""
    ordered: nx.Graph[str] = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes))
    ordered.add_edges_from(sorted((min(u, v), max(u, v)) for u, v in graph.edges()))
    return ordered


def undirected(projection: Projection, flt: Filter = NO_FILTER) -> nx.Graph[str]:
    return memo(projection, ("undirected", flt), lambda: simple(filtered(projection, flt)))


# -- centrality, communities, components -----------------------------------------------------


def degree_scores(graph: nx.Graph[str]) -> list[Score]:
    """Rank nodes by degree centrality: distinct neighbours over (n - 1)."""
    n = graph.number_of_nodes()
    scale = 1 / (n - 1) if n > 1 else 0.0
    return _ranked(Score(node, degree * scale, degree) for node, degree in graph.degree)


def betweenness_scores(
    graph: nx.Graph[str],
    exact_up_to: int = BETWEENNESS_EXACT_UP_TO,
    sample: int = BETWEENNESS_SAMPLE,
) -> tuple[list[Score], int | None]:
    """Rank nodes by normalised betweenness; return the scores and the sample size, if any.

    Above `exact_up_to` nodes, betweenness is estimated from `sample` seeded source nodes.
    """
    n = graph.number_of_nodes()
    size = n + graph.number_of_edges()
    k = (
        min(sample, max(BETWEENNESS_FLOOR, BETWEENNESS_BUDGET // size), n)
        if n > exact_up_to
        else None
    )
    values = nx.betweenness_centrality(
        _in_order(graph) if k is not None else graph, k=k, normalized=True, seed=SEED
    )
    degrees = dict(graph.degree)
    return _ranked(Score(node, value, degrees[node]) for node, value in values.items()), k


def _ranked(scores: Iterable[Score]) -> list[Score]:
    return sorted(scores, key=lambda s: (-round(s.value, 12), -s.degree, s.iri))


def community_sets(graph: nx.Graph[str]) -> list[list[str]]:
    """Find communities (Louvain, seeded), largest first, members by degree then IRI."""
    if graph.number_of_edges() == 0:
        found: list[set[str]] = [{node} for node in graph]
    else:
        found = nx.community.louvain_communities(_in_order(graph), seed=SEED)
    return _ordered_sets(graph, found)


def modularity(graph: nx.Graph[str], communities: list[list[str]]) -> float:
    if graph.number_of_edges() == 0:
        return 0.0
    return float(nx.community.modularity(graph, [set(c) for c in communities]))


def component_sets(graph: nx.Graph[str]) -> list[list[str]]:
    """Return the connected components, largest first."""
    return _ordered_sets(graph, nx.connected_components(graph))


def _ordered_sets(graph: nx.Graph[str], sets: Iterable[set[str]]) -> list[list[str]]:
    degree = dict(graph.degree)
    members = [sorted(s, key=lambda n: (-degree[n], n)) for s in sets]
    return sorted(members, key=lambda m: (-len(m), m[0] if m else ""))


@dataclass
class Report:
    """The analytics of one filtered graph, with how long each part took."""

    nodes: int
    edges: int
    degree: list[Score]
    betweenness: list[Score]
    betweenness_sample: int | None
    communities: list[list[str]]
    modularity: float
    components: list[list[str]]
    seconds: dict[str, float]


def report(projection: Projection, flt: Filter = NO_FILTER) -> Report:
    """Compute (once per projection and filter) every measure the analytics page shows."""

    def compute() -> Report:
        timings: dict[str, float] = {"projection": projection.seconds}
        clock = time.perf_counter()

        def lap(name: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            timings[name] = now - clock
            clock = now

        graph = undirected(projection, flt)
        lap("simple graph")
        degree = degree_scores(graph)
        lap("degree")
        betweenness, sample = betweenness_scores(graph)
        lap("betweenness")
        communities = community_sets(graph)
        quality = modularity(graph, communities)
        lap("communities")
        components = component_sets(graph)
        lap("components")
        return Report(
            graph.number_of_nodes(),
            graph.number_of_edges(),
            degree,
            betweenness,
            sample,
            communities,
            quality,
            components,
            timings,
        )

    return memo(projection, ("report", flt), compute)


# -- views: ego networks, the whole graph, expansion, paths ----------------------------------


def _degree_order(graph: nx.Graph[str], nodes: Iterable[str]) -> list[str]:
    return sorted(nodes, key=lambda n: (-graph.degree[n], n))


def connected_selection(graph: nx.Graph[str], ordered: list[str], limit: int) -> list[str]:
    """Choose `limit` nodes that show how the graph hangs together: starting from the best
    connected node (first in `ordered`), add neighbours breadth first, best connected first;
    when a region is used up, go on from the best connected node not yet chosen.

    The `limit` best connected nodes alone can share no edge at all: in a graph of many
    cities they are the cities' strategies, each linked only to its own actors and fields.
    """
    chosen: dict[str, None] = {}
    for start in ordered:
        if len(chosen) >= limit:
            break
        if start in chosen:
            continue
        chosen[start] = None
        frontier = [start]
        while frontier and len(chosen) < limit:
            following: list[str] = []
            for node in frontier:
                for neighbour in _degree_order(graph, graph.neighbors(node)):
                    if neighbour not in chosen and len(chosen) < limit:
                        chosen[neighbour] = None
                        following.append(neighbour)
            frontier = following
    return list(chosen)


def _view(projection: Projection, flt: Filter, nodes: list[str], **attributes: Any) -> View:
    graph = filtered(projection, flt).subgraph(nodes)
    ordered: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    ordered.add_nodes_from((n, graph.nodes[n]) for n in nodes)
    for u, v, k, d in graph.edges(keys=True, data=True):
        ordered.add_edge(u, v, key=k, **d)
    return View(ordered, **attributes)


def ego_view(
    projection: Projection, focus: str, depth: int, flt: Filter = NO_FILTER, limit: int = 500
) -> View:
    """Return the nodes within depth hops of focus (nearest first, then by degree), capped."""
    graph = undirected(projection, flt)
    if focus not in graph:
        raise KeyError(focus)
    layers = [[focus]]
    seen = {focus}
    while len(layers) <= depth:
        ring = {n for node in layers[-1] for n in graph[node] if n not in seen}
        if not ring:
            break
        seen |= ring
        layers.append(_degree_order(graph, ring))
    ordered = [node for layer in layers for node in layer]
    view = _view(
        projection,
        flt,
        ordered[:limit],
        focus=focus,
        depth=depth,
        truncated=len(ordered) > limit,
        total=len(ordered),
    )
    view.available = _available(projection, focus, depth)
    return view


def whole_view(projection: Projection, flt: Filter = NO_FILTER, limit: int = 500) -> View:
    """Return the whole (filtered) graph, or up to limit nodes of it: connected regions around
    its best connected nodes (see `connected_selection`)."""
    graph = undirected(projection, flt)
    # Kept with the projection: at 1M triples ordering and counting took 0.5 s a request.
    ordered = memo(projection, ("degree-order", flt), lambda: _degree_order(graph, graph.nodes))
    chosen = ordered
    if len(ordered) > limit:
        chosen = memo(
            projection,
            ("connected-selection", flt, limit),
            lambda: connected_selection(graph, ordered, limit),
        )
    view = _view(projection, flt, chosen, truncated=len(ordered) > limit, total=len(ordered))
    counts = memo(projection, ("counts",), lambda: _counts(projection.graph))
    view.available = {name: Counter(counter) for name, counter in counts.items()}
    return view


def _available(projection: Projection, focus: str, depth: int) -> dict[str, Counter[str]]:
    nodes = nx.single_source_shortest_path_length(undirected(projection), focus, cutoff=depth)
    return _counts(projection.graph.subgraph(nodes))


def _counts(graph: nx.MultiDiGraph[str]) -> dict[str, Counter[str]]:
    return {
        "kinds": Counter(str(graph.nodes[n]["kind"]) for n in graph),
        "relations": Counter(str(d["relation"]) for _, _, d in graph.edges(data=True)),
    }


def view_counts(view: View) -> dict[str, Counter[str]]:
    return _counts(view.graph)


@dataclass(frozen=True)
class Group:
    """The neighbours of a node by one relation in one direction, before they are shown."""

    relation: str
    direction: str
    count: int


def expansion_groups(projection: Projection, node: str, flt: Filter = NO_FILTER) -> list[Group]:
    """Count a node's neighbours per relation and direction (out: node is the source)."""
    graph = filtered(projection, flt)
    if node not in graph:
        raise KeyError(node)
    counts: dict[tuple[str, str], set[str]] = {}
    for _, other, data in graph.out_edges(node, data=True):
        counts.setdefault((data["relation"], "out"), set()).add(other)
    for other, _, data in graph.in_edges(node, data=True):
        counts.setdefault((data["relation"], "in"), set()).add(other)
    groups = [Group(r, d, len(others)) for (r, d), others in counts.items()]
    return sorted(groups, key=lambda g: (-g.count, g.relation, g.direction))


def expand(
    projection: Projection,
    node: str,
    relation: str,
    direction: str,
    flt: Filter = NO_FILTER,
    limit: int = 50,
    offset: int = 0,
) -> View:
    """Return node with up to limit neighbours of one group (by degree) and their edges."""
    graph = filtered(projection, flt)
    if node not in graph:
        raise KeyError(node)
    found: Iterable[tuple[str, str, str, dict[str, Any]]] = (
        graph.out_edges(node, keys=True, data=True)
        if direction == "out"
        else graph.in_edges(node, keys=True, data=True)
    )
    edges = [(u, v, k, d) for u, v, k, d in found if d["relation"] == relation]
    neighbour = 1 if direction == "out" else 0
    others = _degree_order(undirected(projection, flt), {(u, v)[neighbour] for u, v, _, _ in edges})
    chosen = others[offset : offset + limit]
    kept = set(chosen)
    view_graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    view_graph.add_nodes_from((n, graph.nodes[n]) for n in [node, *chosen])
    for u, v, k, d in edges:
        if (u, v)[neighbour] in kept:
            view_graph.add_edge(u, v, key=k, **d)
    return View(
        view_graph, focus=node, depth=1, truncated=offset + limit < len(others), total=len(others)
    )


def shortest_path(
    projection: Projection, source: str, target: str, flt: Filter = NO_FILTER
) -> View | None:
    """Return a shortest path between two nodes (edges in either direction), or None."""
    graph = undirected(projection, flt)
    for node in (source, target):
        if node not in graph:
            raise KeyError(node)
    try:
        nodes = nx.shortest_path(graph, source, target)
    except nx.NetworkXNoPath:
        return None
    multi = filtered(projection, flt)
    path: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    path.add_nodes_from((n, multi.nodes[n]) for n in nodes)
    for u, v in itertools.pairwise(nodes):
        u, v = (u, v) if multi.has_edge(u, v) else (v, u)
        key = min(multi[u][v])
        path.add_edge(u, v, key=key, **multi.edges[u, v, key])
    return View(path, focus=source, depth=len(nodes) - 1, total=len(nodes))


# -- layouts ---------------------------------------------------------------------------------


def place(
    projection: Projection, view: View, method: str = "spring", threshold: int = LAYOUT_THRESHOLD
) -> View:
    """Give a view server-side positions when it has more nodes than threshold.

    The last LAYOUT_CACHE layouts are kept, so a shared link or a reload costs nothing.
    """
    if view.graph.number_of_nodes() <= threshold:
        return view
    key = (method, tuple(view.graph.nodes), view.graph.number_of_edges())
    with projection.lock:
        layouts: OrderedDict[Any, dict[str, tuple[float, float]]] = projection.memo.setdefault(
            "layouts", OrderedDict()
        )
        found = layouts.get(key)
    if found is None:
        found = layout(simple(view.graph), method)
        with projection.lock:
            layouts[key] = found
            while len(layouts) > LAYOUT_CACHE:
                layouts.popitem(last=False)
    view.positions = found
    return view
