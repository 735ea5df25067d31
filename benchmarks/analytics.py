"""Time the explorer's analytics on a generated graph: projection, centrality, communities,
components, a 2,000-node view with its server layout, a path and a search.

    python -m benchmarks.generate --triples 100000 --seed 1 -o benchmarks/out/100k.nq
    python -m benchmarks.analytics benchmarks/out/100k.nq
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from service import analytics, search
from service.project import graph_for_path, ontology_files
from service.projection import build_projection
from service.store import RdfFormat, open_store

T = TypeVar("T")


def timed(name: str, work: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = work()
    print(f"{name:<46} {time.perf_counter() - started:8.2f} s")
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="an N-Quads file from benchmarks.generate")
    args = parser.parse_args(argv)
    store = open_store(path=None)
    for path in ontology_files():
        store.load(path, RdfFormat.for_path(path), graph_for_path(path))
    timed("load (pyoxigraph)", lambda: store.load(args.data, RdfFormat.NQUADS, None))
    print(f"{'quads':<46} {store.count():>10,}")
    projection = timed("projection (3 SPARQL queries + networkx)", lambda: build_projection(store))
    graph = analytics.undirected(projection)
    print(f"{'nodes / edges':<46} {graph.number_of_nodes():,} / {graph.number_of_edges():,}")
    timed("degree centrality", lambda: analytics.degree_scores(graph))
    _, sample = timed("betweenness (sampled above 1,000 nodes)",
                      lambda: analytics.betweenness_scores(graph))  # fmt: skip
    print(f"{'  betweenness sample':<46} {sample}")
    communities = timed("communities (Louvain)", lambda: analytics.community_sets(graph))
    print(f"{'  communities':<46} {len(communities):,}")
    components = timed("connected components", lambda: analytics.component_sets(graph))
    print(f"{'  components':<46} {len(components):,}")
    hub = analytics.degree_scores(graph)[0].iri
    for depth in (1, 2):
        view = timed(f"ego view of the top hub, depth {depth}, cap 2,000",
                     lambda d=depth: analytics.ego_view(projection, hub, d, limit=2000))  # type: ignore[misc]  # fmt: skip
        print(f"{'  nodes (total before the cap)':<46} {view.graph.number_of_nodes():,} "
              f"({view.total:,})")  # fmt: skip
    view = analytics.whole_view(projection, limit=2000)
    timed("server layout of a 2,000-node view", lambda: analytics.place(projection, view))
    timed("the same layout again (cached)", lambda: analytics.place(projection, view))
    nodes = list(graph)
    timed("shortest path", lambda: analytics.shortest_path(projection, nodes[0], nodes[-1]))
    timed("search index + query 'kvv'", lambda: search.search(projection, "kvv", "de"))
    timed("query 'strategie' (index built)", lambda: search.search(projection, "strategie", "de"))
    store.close()


if __name__ == "__main__":
    main()
