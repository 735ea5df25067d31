"""Analytics over the involvement graph: the projection, centrality, communities, components,
paths, views, layouts, exports and search — on a small graph with answers worked out by hand
(tests/data/analytics/small.ttl) and on the Kassel graph."""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from service import analytics as a
from service import graph_export, layout, search
from service.dataset_stats import fingerprint
from service.per_state import PerState
from service.projection import build_projection
from service.store import RdfFormat, Store, open_store

from .graph_fixtures import kassel_store_loaded

SMALL = Path(__file__).parent / "data" / "analytics" / "small.ttl"
EX = "https://example.org/small/"
K = "https://w3id.org/stadtgraph/id/kassel/"


def ex(name: str) -> str:
    return EX + name


@pytest.fixture(scope="module")
def small_store() -> Iterator[Store]:
    store = open_store(path=None)
    store.load(SMALL, RdfFormat.TURTLE, "https://example.org/graph/small")
    yield store
    store.close()


@pytest.fixture(scope="module")
def small(small_store: Store) -> a.Projection:
    return build_projection(small_store)


@pytest.fixture(scope="module")
def kassel() -> Iterator[a.Projection]:
    store = kassel_store_loaded()
    yield build_projection(store)
    store.close()


# -- the projection ----------------------------------------------------------------------------


def test_projection_has_the_typed_nodes_and_relation_typed_edges(small: a.Projection) -> None:
    graph = small.graph
    assert set(graph.nodes) == {ex(n) for n in ("A", "B", "C", "D", "E", "S", "F1", "F2", "City",
                                                "Collab")}  # fmt: skip
    assert graph.nodes[ex("A")]["kind"] == "enterprise"
    assert graph.nodes[ex("C")]["kind"] == "unit"
    assert graph.nodes[ex("City")]["kind"] == "organisation"
    assert graph.nodes[ex("F1")]["kind"] == "actionfield"
    relations = sorted(d["relation"] for _, _, d in graph.edges(data=True))
    assert relations == sorted(
        ["involvedIn"] * 3 + ["hasActionField"] * 2 + ["unitOf"] * 2 + ["memberOf"]
    )


def test_an_involvement_edge_carries_role_date_and_source(small: a.Projection) -> None:
    ((key, data),) = small.graph[ex("A")][ex("S")].items()
    assert key == f"involvedIn {ex('involvement-a')}"
    assert data["role"] == "https://w3id.org/stadtgraph/ontology#Integrated"
    assert data["statement"] == ex("statement")
    assert data["asOf"] == "2019-03-06"
    assert small.label(data["role"], "en") == "integrated"


def test_labels_prefer_the_language_then_german_then_any(small: a.Projection) -> None:
    assert small.label(ex("F1"), "de") == "Mobilität"
    assert small.label(ex("F1"), "en") == "Mobility"
    assert small.label(ex("statement"), "fr") == "Eine Aussage"


def test_a_shortcut_without_its_qualified_node_still_counts() -> None:
    store = open_store(path=None)
    store.load(
        b"""@prefix sg: <https://w3id.org/stadtgraph/ontology#> .
        @prefix prov: <http://www.w3.org/ns/prov#> .
        <urn:x:a> a prov:Agent ; sg:involvedIn <urn:x:s> .
        <urn:x:s> a sg:Strategy .""",
        RdfFormat.TURTLE,
        "urn:x:graph",
    )
    graph = build_projection(store).graph
    assert [(u, v, d["relation"]) for u, v, d in graph.edges(data=True)] == [
        ("urn:x:a", "urn:x:s", "involvedIn")
    ]
    store.close()


def test_the_cache_keeps_a_projection_until_the_store_changes(small_store: Store) -> None:
    cache = PerState(build_projection)
    first = cache.get(small_store, fingerprint(small_store))
    assert cache.get(small_store, fingerprint(small_store)) is first
    small_store.load(
        b"<https://example.org/small/G> a <http://www.w3.org/ns/prov#Agent> ; "
        b"<http://www.w3.org/ns/org#memberOf> <https://example.org/small/Collab> .",
        RdfFormat.TURTLE,
        "https://example.org/graph/extra",
    )
    try:
        second = cache.get(small_store, fingerprint(small_store))
        assert second is not first
        assert ex("G") in second.graph
    finally:
        small_store.update("DROP GRAPH <https://example.org/graph/extra>")
    assert ex("G") not in cache.get(small_store, fingerprint(small_store)).graph


# -- centrality, components, communities -------------------------------------------------------


def test_degree_centrality_by_hand(small: a.Projection) -> None:
    scores = {s.iri: s for s in a.degree_scores(a.undirected(small))}
    assert scores[ex("S")].degree == 4
    assert scores[ex("S")].value == pytest.approx(4 / 9)
    assert scores[ex("F1")].degree == scores[ex("C")].degree == scores[ex("City")].degree == 2
    assert scores[ex("A")].value == pytest.approx(1 / 9)
    assert a.degree_scores(a.undirected(small))[0].iri == ex("S")


def test_betweenness_by_hand(small: a.Projection) -> None:
    # In a tree a node lies on the path of every pair it separates. Removing S leaves parts of
    # 1, 1, 1 and 4 nodes (15 pairs); F1: 4 and 3 (12); C: 5 and 2 (10); City: 6 and 1 (6).
    # Normalised for 10 nodes: divided by (n-1)(n-2)/2 = 36.
    scores, sample = a.betweenness_scores(a.undirected(small))
    values = {s.iri: s.value for s in scores}
    assert sample is None
    assert values[ex("S")] == pytest.approx(15 / 36)
    assert values[ex("F1")] == pytest.approx(12 / 36)
    assert values[ex("C")] == pytest.approx(10 / 36)
    assert values[ex("City")] == pytest.approx(6 / 36)
    assert values[ex("A")] == values[ex("E")] == 0
    assert [s.iri for s in scores[:4]] == [ex("S"), ex("F1"), ex("C"), ex("City")]


def test_betweenness_is_sampled_above_the_threshold() -> None:
    graph: nx.Graph[str] = nx.path_graph([f"n{i:02d}" for i in range(40)])
    scores, sample = a.betweenness_scores(graph, exact_up_to=30, sample=8)
    assert sample == 8
    assert scores == a.betweenness_scores(graph, exact_up_to=30, sample=8)[0]  # seeded
    assert scores[0].iri in {f"n{i:02d}" for i in range(10, 30)}  # the middle of the path
    assert a.betweenness_scores(graph)[1] is None


def test_components_by_hand(small: a.Projection) -> None:
    components = a.component_sets(a.undirected(small))
    assert [len(c) for c in components] == [8, 2]
    assert set(components[1]) == {ex("E"), ex("Collab")}
    assert components[0][0] == ex("S")  # members by degree


def test_communities_partition_the_graph_and_are_seeded(small: a.Projection) -> None:
    graph = a.undirected(small)
    communities = a.community_sets(graph)
    members = [node for community in communities for node in community]
    assert sorted(members) == sorted(graph.nodes)
    assert {ex("E"), ex("Collab")} in [set(c) for c in communities]
    assert communities == a.community_sets(graph)
    assert 0 < a.modularity(graph, communities) < 1


def test_communities_do_not_depend_on_the_order_the_store_returned_rows_in() -> None:
    # Two rings joined by one edge, in two insertion orders (an embedded store's and a remote
    # server's rows come in different orders): the seeded algorithms must agree.
    edges = [(f"r{ring}n{i}", f"r{ring}n{(i + 1) % 12}") for ring in range(2) for i in range(12)]
    edges.append(("r0n0", "r1n6"))
    graphs = []
    for order in (edges, list(reversed([(v, u) for u, v in edges]))):
        multi: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        multi.add_edges_from(order)
        graphs.append(a.simple(multi))
    first, second = graphs
    assert a.community_sets(first) == a.community_sets(second)
    assert a.betweenness_scores(first, exact_up_to=5, sample=6) == a.betweenness_scores(
        second, exact_up_to=5, sample=6
    )


def test_the_report_is_computed_once_per_projection_and_filter(small: a.Projection) -> None:
    report = a.report(small)
    assert (report.nodes, report.edges) == (10, 8)
    assert a.report(small) is report
    assert {"projection", "degree", "betweenness", "communities", "components"} <= set(
        report.seconds
    )
    actors_only = a.report(small, a.Filter(kinds=frozenset({"enterprise", "unit"})))
    assert (actors_only.nodes, actors_only.edges) == (4, 0)


# -- views, expansion, paths -------------------------------------------------------------------


def test_an_ego_network_keeps_the_nearest_then_best_connected(small: a.Projection) -> None:
    view = a.ego_view(small, ex("S"), 1)
    assert next(iter(view.graph.nodes)) == ex("S")
    assert set(view.graph.nodes) == {ex(n) for n in ("S", "A", "B", "F1", "F2")}
    assert view.graph.number_of_edges() == 4
    assert (view.total, view.truncated) == (5, False)
    capped = a.ego_view(small, ex("S"), 2, limit=3)
    assert list(capped.graph.nodes) == [ex("S"), ex("F1"), ex("A")]
    assert (capped.total, capped.truncated) == (6, True)


def test_filters_drop_kinds_and_relations(small: a.Projection) -> None:
    kinds = a.Filter(kinds=frozenset({"enterprise", "strategy"}))
    assert set(a.ego_view(small, ex("S"), 3, kinds).graph.nodes) == {ex("S"), ex("A"), ex("B")}
    involvement = a.Filter(relations=frozenset({"involvedIn"}))
    view = a.ego_view(small, ex("S"), 3, involvement)
    assert set(view.graph.nodes) == {ex("S"), ex("A"), ex("B")}
    assert view.available["kinds"]["actionfield"] == 2  # the legend still counts what it hides
    with pytest.raises(ValueError, match="unknown relation"):
        a.Filter(relations=frozenset({"knows"}))


def test_expansion_counts_first_then_one_group(small: a.Projection) -> None:
    groups = a.expansion_groups(small, ex("S"))
    assert [(g.relation, g.direction, g.count) for g in groups] == [
        ("hasActionField", "out", 2),
        ("involvedIn", "in", 2),
    ]
    view = a.expand(small, ex("S"), "hasActionField", "out", limit=1)
    assert list(view.graph.nodes) == [ex("S"), ex("F1")]
    assert (view.total, view.truncated) == (2, True)
    rest = a.expand(small, ex("S"), "hasActionField", "out", limit=1, offset=1)
    assert list(rest.graph.nodes) == [ex("S"), ex("F2")]
    assert not rest.truncated


def test_shortest_path_by_hand(small: a.Projection) -> None:
    path = a.shortest_path(small, ex("A"), ex("D"))
    assert path is not None
    assert list(path.graph.nodes) == [ex(n) for n in ("A", "S", "F1", "C", "City", "D")]
    relations = [d["relation"] for _, _, d in path.graph.edges(data=True)]
    assert sorted(relations) == ["hasActionField", "involvedIn", "involvedIn", "unitOf", "unitOf"]
    assert a.shortest_path(small, ex("A"), ex("E")) is None
    with pytest.raises(KeyError):
        a.shortest_path(small, ex("A"), ex("nowhere"))


# -- layouts and exports -----------------------------------------------------------------------


def test_layouts_are_seeded_and_only_for_large_views(small: a.Projection) -> None:
    view = a.whole_view(small)
    assert a.place(small, view).positions is None
    placed = a.place(small, a.whole_view(small), threshold=5)
    assert placed.positions is not None and set(placed.positions) == set(small.graph.nodes)
    flat = a.simple(view.graph)
    assert layout.layout(flat) == layout.layout(flat)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in placed.positions.values())
    kk = layout.layout(a.simple(a.ego_view(small, ex("S"), 4).graph), "kamada_kawai")
    assert len(kk) == 8
    with pytest.raises(ValueError, match="unknown layout"):
        layout.layout(flat, "circle")


def test_the_grid_force_layout_spreads_a_large_graph() -> None:
    graph: nx.Graph[str] = nx.relabel_nodes(
        nx.barabasi_albert_graph(layout.SPRING_UP_TO + 100, 2, seed=1), str
    )
    placed = layout.layout(graph)
    assert placed == layout.layout(graph)
    points = sorted(placed.values())
    assert len(set(points)) == len(points)  # no two nodes on one spot
    xs = [x for x, _ in points]
    assert max(xs) - min(xs) > 20 * layout.SPACING  # spread out, not collapsed


def test_exports_carry_the_same_nodes_and_edges(small: a.Projection) -> None:
    view = a.place(small, a.ego_view(small, ex("S"), 1), threshold=0)
    read_graphml = nx.read_graphml(io.BytesIO(graph_export.graphml(small, view, "en")))
    assert set(read_graphml.nodes) == set(view.graph.nodes)
    assert read_graphml.number_of_edges() == 4
    assert read_graphml.nodes[ex("F1")]["label"] == "Mobility"
    assert read_graphml.nodes[ex("F1")]["label_de"] == "Mobilität"
    relations = {d["relation"] for _, _, d in read_graphml.edges(data=True)}
    assert relations == {"involvedIn", "hasActionField"}
    read_gexf = nx.read_gexf(io.BytesIO(graph_export.gexf(small, view, "de")))
    assert read_gexf.number_of_nodes() == 5 and read_gexf.number_of_edges() == 4
    document = graph_export.cytoscape_document(small, view, "de", lambda iri: "/page?iri=" + iri)
    json.dumps(document)
    nodes = document["elements"]["nodes"]
    assert {n["data"]["id"] for n in nodes} == set(view.graph.nodes)
    assert all("position" in n for n in nodes)
    edge = next(e["data"] for e in document["elements"]["edges"] if e["data"]["source"] == ex("A"))
    assert edge["roleLabel"] == "eingebunden"
    assert edge["statements"] == [
        {"id": ex("statement"), "label": "Eine Aussage", "url": "/page?iri=" + ex("statement")}
    ]


# -- search ------------------------------------------------------------------------------------


def test_search_folds_case_and_accents_and_ranks_prefix_first(small: a.Projection) -> None:
    assert search.search(small, "mobilitat", "de").hits[0].iri == ex("F1")
    assert search.search(small, "STRASSEN", "de").hits[0].iri == ex("C")
    assert search.search(small, "verkehr", "de").hits[0].matched == "Verkehr"
    found = search.search(small, "stadt", "de")
    assert [h.iri for h in found.hits] == [ex("A"), ex("City")]  # word start before substring
    assert search.search(small, "teststadt", "de").hits[0].score > found.hits[0].score
    assert search.search(small, "roads", "de").hits[0].matched_language == "en"
    assert search.search(small, "", "de").total == 0


def test_search_filters_by_kind_and_counts_kinds(small: a.Projection) -> None:
    found = search.search(small, "a", "de")
    assert found.total == sum(found.counts.values())
    only = search.search(small, "a", "de", frozenset({"actionfield"}))
    assert {h.kind for h in only.hits} == {"actionfield"}
    assert not any(h.iri == ex("involvement-a") for h in found.hits)  # involvements are edges


# -- the Kassel graph --------------------------------------------------------------------------


def test_kassel_every_involvement_is_an_edge_with_its_source(kassel: a.Projection) -> None:
    involvements = [d for _, _, d in kassel.graph.edges(data=True) if d["relation"] == "involvedIn"]
    assert len(involvements) == 10
    assert all(d["statement"] and d["role"] and d["involvement"] for d in involvements)
    (data,) = kassel.graph[K + "org/kvv"][K + "strategy/gesamtstrategie"].values()
    assert data["statement"] == K + "statement/s22-staedtische-betriebe-eingebunden"
    assert kassel.label(data["role"], "de") == "eingebunden"


def test_kassel_is_one_component_with_the_lord_mayor_as_its_bridge(kassel: a.Projection) -> None:
    report = a.report(kassel)
    assert len(report.components) == 1
    assert report.nodes == kassel.graph.number_of_nodes()
    assert report.betweenness[0].iri == K + "person/oberbuergermeister-2019-03-06"
    assert report.degree[0].degree >= 30
    assert len(report.communities) > 1


def test_kassel_who_is_involved_in_an_action_field(kassel: a.Projection) -> None:
    # The notes attach involvements to the overall strategy, which has the action fields: two
    # hops from an action field reach the actors, each edge naming its source statement.
    view = a.ego_view(kassel, K + "actionfield/digitalisierung", 2)
    for actor in ("org/kvv", "org/gwg", "org/glh", "org/sparkassen", "org/verwaltung"):
        assert K + actor in view.graph
    path = a.shortest_path(kassel, K + "org/kvv", K + "org/seniorenbeirat")
    assert path is not None
    assert list(path.graph.nodes) == [
        K + "org/kvv",
        K + "org/stadt-kassel",
        K + "org/seniorenbeirat",
    ]


def test_kassel_search_finds_kvv_first(kassel: a.Projection) -> None:
    assert search.search(kassel, "KVV", "de").hits[0].iri == K + "org/kvv"
    assert search.search(kassel, "lord mayor", "en").hits[0].kind in {"person", "post"}


def test_kassel_exports_read_back(kassel: a.Projection) -> None:
    view = a.whole_view(kassel)
    graphml = nx.read_graphml(io.BytesIO(graph_export.graphml(kassel, view, "de")))
    gexf = nx.read_gexf(io.BytesIO(graph_export.gexf(kassel, view, "de")))
    for read in (graphml, gexf):
        assert read.number_of_nodes() == kassel.graph.number_of_nodes()
        assert read.number_of_edges() == kassel.graph.number_of_edges()


def test_a_capped_whole_view_shows_connected_regions_not_isolated_hubs() -> None:
    # Three stars whose hubs (degree 4, 3, 2) share no edge: the three best connected nodes
    # alone would be a view without edges.
    graph: nx.Graph[str] = nx.Graph()
    for hub, leaves in (("h1", 4), ("h2", 3), ("h3", 2)):
        graph.add_edges_from((hub, f"{hub}-{n}") for n in range(leaves))
    ordered = sorted(graph.nodes, key=lambda n: (-graph.degree[n], n))
    assert a.connected_selection(graph, ordered, 3) == ["h1", "h1-0", "h1-1"]
    chosen = a.connected_selection(graph, ordered, 7)
    assert chosen == ["h1", "h1-0", "h1-1", "h1-2", "h1-3", "h2", "h2-0"]
    every = ["h1", "h1-0", "h1-1", "h1-2", "h1-3", "h2", "h2-0", "h2-1", "h2-2", "h3", "h3-0"]
    assert a.connected_selection(graph, ordered, 100) == [*every, "h3-1"]
    assert graph.subgraph(chosen).number_of_edges() == 5


def test_a_capped_whole_view_of_kassel_has_edges(kassel: a.Projection) -> None:
    view = a.whole_view(kassel, limit=10)
    assert view.truncated and view.graph.number_of_nodes() == 10
    assert view.graph.number_of_edges() >= 9  # one connected region around the best hub
