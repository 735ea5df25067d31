"""The explorer's JSON APIs and pages over the Kassel graph: answers, caps, bad parameters
(400 with a message), unknown IRIs (404), exports, the OpenAPI document and the UI strings."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import networkx as nx
import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import analytics
from service.app import create_app
from service.projection import LABEL_ORDER, internal_query
from service.store import RdfFormat, Store, open_store
from service.web import explorer, graph_params, i18n

from .conftest import count_calls
from .graph_fixtures import kassel_store_loaded

K = "https://w3id.org/stadtgraph/id/kassel/"
KVV = K + "org/kvv"
WEB = Path(__file__).resolve().parent.parent / "service" / "web"


@pytest.fixture(scope="module")
def kassel_app() -> Iterator[Flask]:
    store = kassel_store_loaded()
    yield create_app({"TESTING": True, "STORE": ":memory:"}, store=store)
    store.close()


@pytest.fixture
def client(kassel_app: Flask) -> FlaskClient:
    return kassel_app.test_client()


def get_json(client: FlaskClient, url: str, status: int = 200) -> Any:
    response = client.get(url, headers={"Accept": "application/json"})
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def q(iri: str) -> str:
    return quote(iri, safe="")


# -- search ------------------------------------------------------------------------------------


def test_search_finds_kvv_with_type_count_and_links(client: FlaskClient) -> None:
    body = get_json(client, "/api/search?q=KVV&lang=de")
    first = body["results"][0]
    assert first["iri"] == KVV
    assert first["label"] == "KVV"
    assert first["kind"] == "enterprise"
    assert first["kindLabel"] == "Städtisches Unternehmen"  # as the ontology and the pages say
    assert first["page"].endswith("/page/kassel/org/kvv")
    assert first["inGraph"] is True and first["degree"] == 3
    assert body["total"] == sum(c["count"] for c in body["counts"])


def test_search_matches_english_labels_prefix_and_substring(client: FlaskClient) -> None:
    body = get_json(client, "/api/search?q=savings&lang=en")
    assert body["results"][0]["iri"] == K + "org/sparkassen"
    assert body["results"][0]["label"] == "Savings banks (Sparkassen)"
    body = get_json(client, "/api/search?q=strategie&lang=de&limit=50")
    labels = [r["label"] for r in body["results"]]
    assert labels.index("Strategie zur Digitalisierung der Verwaltung") < labels.index(
        "Gesamtstrategie der Stadt Kassel"
    )  # a word that starts with the query before one that only contains it


def test_search_puts_what_a_label_names_before_an_alternative_name(client: FlaskClient) -> None:
    # "Kassel" is the city's name and the district's short name (skos:altLabel); the district
    # has far more links, which broke the tie in its favour.
    for language in ("de", "en"):
        body = get_json(client, f"/api/search?q=Kassel&lang={language}")
        assert body["results"][0]["iri"] == K + "place/kassel"
        assert body["results"][1]["iri"] == K + "place/landkreis-kassel"


def test_search_by_type_and_limit(client: FlaskClient) -> None:
    body = get_json(client, "/api/search?q=a&type=actionfield,enterprise&limit=2")
    assert len(body["results"]) == 2
    assert {r["kind"] for r in body["results"]} <= {"actionfield", "enterprise"}
    assert get_json(client, "/api/search?q=")["results"] == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/search?q=kvv&type=spaceship", "Unknown type"),
        ("/api/search?q=kvv&limit=0", "limit"),
        ("/api/search?q=kvv&limit=ten", "limit"),
        ("/api/search?q=kvv&lang=fr", "lang"),
        ("/api/search?q=" + "x" * 201, "longer than"),
        ("/api/search", "q is missing"),
        ("/api/search?lang=de", "q is missing"),
    ],
)
def test_search_refuses_bad_parameters(client: FlaskClient, url: str, message: str) -> None:
    assert message in get_json(client, url, 400)["message"]


# -- graph views -------------------------------------------------------------------------------


def test_graph_of_a_focus(client: FlaskClient) -> None:
    body = get_json(client, f"/api/graph?focus={q(KVV)}&depth=1")
    ids = {n["data"]["id"] for n in body["elements"]["nodes"]}
    assert ids == {KVV, K + "org/stadt-kassel", K + "strategy/gesamtstrategie",
                   K + "statement/s22-staedtische-betriebe-eingebunden"}  # fmt: skip
    assert body["nodeCount"] == 4 and body["edgeCount"] == len(body["elements"]["edges"])
    assert body["truncated"] is False and body["total"] == 4
    assert body["focus"]["label"] == "KVV"
    assert body["layout"] is None  # small views are laid out in the browser
    involvement = next(
        e["data"] for e in body["elements"]["edges"] if e["data"]["relation"] == "involvedIn"
    )
    assert involvement["statements"][0]["id"].endswith("s22-staedtische-betriebe-eingebunden")
    assert involvement["roleLabel"] == "eingebunden"
    kinds = {c["kind"]: c["count"] for c in body["counts"]["kinds"]}
    assert kinds["enterprise"] == 1 and kinds["statement"] == 1
    # a statement carries the source's words and caveat, for its details
    (statement,) = [
        n["data"] for n in body["elements"]["nodes"] if n["data"]["kind"] == "statement"
    ]
    assert statement["quote"].startswith("In die Strategie eingebunden sind auch städtische")
    assert (statement["quoteLanguage"], statement["caveat"]) == ("de", "ohne Gewähr")
    assert "quote" not in next(
        n["data"] for n in body["elements"]["nodes"] if n["data"]["id"] == KVV
    )


def test_graph_caps_nodes_and_says_so(client: FlaskClient) -> None:
    body = get_json(client, "/api/graph?limit=10")
    assert body["nodeCount"] == 10 and body["truncated"] is True and body["total"] > 100
    assert body["focus"] is None
    whole = get_json(client, "/api/graph")
    assert whole["truncated"] is False and whole["nodeCount"] == whole["total"]


def test_graph_filters_by_type_and_relation(client: FlaskClient) -> None:
    url = f"/api/graph?focus={q(K + 'strategy/gesamtstrategie')}&depth=1"
    body = get_json(client, url + "&relations=involvedIn")
    assert {e["data"]["relation"] for e in body["elements"]["edges"]} == {"involvedIn"}
    assert body["nodeCount"] == 11
    actors = get_json(client, url + "&types=strategy,enterprise&types=group")
    assert {n["data"]["kind"] for n in actors["elements"]["nodes"]} == {
        "strategy", "enterprise", "group"
    }  # fmt: skip
    assert {c["kind"] for c in actors["available"]["kinds"]} > {"strategy", "enterprise"}


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/api/graph?focus=kvv", 400, "absolute IRI"),
        ("/api/graph?focus=" + q(K + "org/nobody"), 404, "not in the data"),
        ("/api/graph?focus=" + q(K + "scheme/themen"), 404, "not part of the involvement graph"),
        ("/api/graph?depth=5", 400, "depth"),
        ("/api/graph?depth=-1", 400, "depth"),
        ("/api/graph?limit=2001", 400, "limit"),
        ("/api/graph?types=spaceship", 400, "unknown type"),
        ("/api/graph?relations=knows", 400, "unknown relation"),
        ("/api/graph?positions=circle", 400, "positions"),
        (f"/api/graph?focus={q(KVV)}&types=strategy", 400, "hides the focus"),
        ("/api/graph.graphml?focus=" + q(K + "org/nobody"), 404, "not in the data"),
    ],
)
def test_graph_refuses_bad_parameters(
    client: FlaskClient, url: str, status: int, message: str
) -> None:
    assert message in get_json(client, url, status)["message"]


def test_exports_in_three_formats(client: FlaskClient) -> None:
    view = get_json(client, f"/api/graph?focus={q(KVV)}&depth=2")
    response = client.get(f"/api/graph.graphml?focus={q(KVV)}&depth=2")
    assert response.status_code == 200
    assert response.mimetype == "application/graphml+xml"
    assert 'filename="kvv.graphml"' in response.headers["Content-Disposition"]
    graph = nx.read_graphml(io.BytesIO(response.data))
    assert graph.number_of_nodes() == view["nodeCount"]
    assert graph.number_of_edges() == view["edgeCount"]
    gexf = client.get(f"/api/graph.gexf?focus={q(KVV)}&depth=2")
    assert gexf.mimetype == "application/gexf+xml"
    assert nx.read_gexf(io.BytesIO(gexf.data)).number_of_nodes() == view["nodeCount"]
    cyjs = client.get(f"/api/graph.cyjs?focus={q(KVV)}&depth=2")
    document = json.loads(cyjs.data)
    assert document["format_version"] == "1.0"
    assert len(document["elements"]["nodes"]) == view["nodeCount"]
    assert client.get("/api/graph.svg").status_code == 404


# -- a view above the layout threshold ---------------------------------------------------------


@pytest.fixture(scope="module")
def big_client() -> Iterator[FlaskClient]:
    """A generated graph: 600 actors involved in one strategy, 60 of them in pairs of units."""
    lines = [
        "@prefix sg: <https://w3id.org/stadtgraph/ontology#> .",
        "@prefix prov: <http://www.w3.org/ns/prov#> .",
        "@prefix org: <http://www.w3.org/ns/org#> .",
        "<urn:big:s> a sg:Strategy .",
    ]
    for i in range(600):
        lines.append(f"<urn:big:a{i}> a prov:Agent ; sg:involvedIn <urn:big:s> .")
    for i in range(0, 60, 2):
        lines.append(f"<urn:big:a{i}> org:unitOf <urn:big:a{i + 1}> .")
    store: Store = open_store(path=None)
    store.load("\n".join(lines).encode(), RdfFormat.TURTLE, "urn:big:graph")
    yield create_app({"TESTING": True, "STORE": ":memory:"}, store=store).test_client()
    store.close()


def test_large_views_come_laid_out_by_the_server(big_client: FlaskClient) -> None:
    body = get_json(big_client, "/api/graph?focus=urn:big:s&depth=1&limit=2000")
    assert body["nodeCount"] == 601
    assert body["layout"] == "preset"
    assert all("position" in n for n in body["elements"]["nodes"])
    capped = get_json(big_client, "/api/graph?focus=urn:big:s&depth=1&limit=350")
    assert (capped["nodeCount"], capped["total"], capped["truncated"]) == (350, 601, True)
    small = get_json(big_client, "/api/graph?focus=urn:big:a0&depth=1")
    assert small["layout"] is None


def test_expansion_of_a_hub_shows_counts_first_then_a_capped_group(
    big_client: FlaskClient,
) -> None:
    counts = get_json(big_client, "/api/expand?node=urn:big:s")
    assert counts["groups"] == [
        {"relation": "involvedIn", "direction": "in", "count": 600, "label": "beteiligt an"}
    ]
    assert "elements" not in counts
    group = get_json(
        big_client, "/api/expand?node=urn:big:s&relation=involvedIn&direction=in&limit=50"
    )
    assert group["nodeCount"] == 51 and group["truncated"] is True and group["total"] == 600
    assert group["edgeCount"] == 50
    last = get_json(
        big_client,
        "/api/expand?node=urn:big:s&relation=involvedIn&direction=in&limit=50&offset=590",
    )
    assert last["nodeCount"] == 11 and last["truncated"] is False


# -- expansion and paths on Kassel -------------------------------------------------------------


def test_expand_counts_per_relation_and_direction(client: FlaskClient) -> None:
    body = get_json(client, f"/api/expand?node={q(K + 'org/stadt-kassel')}")
    groups = {(g["relation"], g["direction"]): g["count"] for g in body["groups"]}
    assert groups[("unitOf", "in")] == 5
    assert groups[("enterpriseOf", "in")] == 4
    assert body["total"] == sum(groups.values())
    one = get_json(
        client,
        f"/api/expand?node={q(K + 'org/stadt-kassel')}&relation=unitOf&direction=in&limit=2",
    )
    assert one["nodeCount"] == 3 and one["truncated"] is True and one["total"] == 5
    assert {e["data"]["relation"] for e in one["elements"]["edges"]} == {"unitOf"}


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/api/expand", 400, "node is missing"),
        ("/api/expand?node=" + q(K + "org/nobody"), 404, "not in the data"),
        ("/api/expand?node=" + q(KVV) + "&relation=knows&direction=out", 400, "relation"),
        ("/api/expand?node=" + q(KVV) + "&relation=unitOf&direction=up", 400, "direction"),
        ("/api/expand?node=" + q(KVV) + "&relation=unitOf&direction=in&limit=501", 400, "limit"),
        # a filter that hides the node itself (was a 500)
        ("/api/expand?node=" + q(KVV) + "&types=place", 400, "The filter hides the node"),
        ("/api/expand?node=" + q(KVV) + "&types=place&relation=unitOf&direction=in", 400, "hides"),
    ],
)
def test_expand_refuses_bad_parameters(
    client: FlaskClient, url: str, status: int, message: str
) -> None:
    assert message in get_json(client, url, status)["message"]


def test_path_between_two_actors(client: FlaskClient) -> None:
    body = get_json(client, f"/api/path?from={q(KVV)}&to={q(K + 'org/seniorenbeirat')}")
    assert body["found"] is True and body["length"] == 2
    assert [p["label"] for p in body["path"]] == [
        "KVV", "Stadt Kassel", "Seniorenbeirat der Stadt Kassel"
    ]  # fmt: skip
    assert len(body["elements"]["edges"]) == 2


def test_path_that_a_filter_cuts(client: FlaskClient) -> None:
    url = f"/api/path?from={q(KVV)}&to={q(K + 'org/seniorenbeirat')}&relations=involvedIn"
    body = get_json(client, url)
    assert body["found"] is False and body["path"] == [] and body["length"] is None


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/path?from=" + q(KVV), 400),
        ("/api/path?from=kvv&to=gwg", 400),
        ("/api/path?from=" + q(KVV) + "&to=" + q(K + "org/nobody"), 404),
    ],
)
def test_path_refuses_bad_parameters(client: FlaskClient, url: str, status: int) -> None:
    assert get_json(client, url, status)["message"]


# -- analytics ---------------------------------------------------------------------------------


def test_centrality_rankings(client: FlaskClient) -> None:
    body = get_json(client, "/api/centrality?limit=5")
    assert len(body["degree"]) == len(body["betweenness"]) == 5
    assert body["betweenness"][0]["iri"] == K + "person/oberbuergermeister-2019-03-06"
    assert [r["rank"] for r in body["degree"]] == [1, 2, 3, 4, 5]
    values = [r["value"] for r in body["degree"]]
    assert values == sorted(values, reverse=True)
    assert body["betweennessSample"] is None
    only = get_json(client, "/api/centrality?measure=degree&limit=3")
    assert "betweenness" not in only and len(only["degree"]) == 3
    assert "measure" in get_json(client, "/api/centrality?measure=pagerank", 400)["message"]


def test_communities_components_and_the_whole_report(client: FlaskClient) -> None:
    communities = get_json(client, "/api/communities")
    sizes = [c["size"] for c in communities["communities"]]
    assert sizes == sorted(sizes, reverse=True) and sum(sizes) == communities["nodes"]
    assert 0 < communities["modularity"] < 1
    components = get_json(client, "/api/components")
    assert [c["size"] for c in components["components"]] == [components["nodes"]]
    assert components["components"][0]["more"] == components["nodes"] - 50
    everything = get_json(client, "/api/analytics?limit=3")
    assert {"degree", "betweenness", "communities", "components", "seconds"} <= set(everything)
    filtered = get_json(client, "/api/components?types=enterprise,strategy,organisation")
    assert filtered["nodes"] == 7  # three enterprises, two strategies, two organisations


# -- the OpenAPI document ----------------------------------------------------------------------


def test_openapi_describes_every_api_route(client: FlaskClient, kassel_app: Flask) -> None:
    document = get_json(client, "/api/openapi.json")
    assert document["openapi"].startswith("3.1")
    routes = set()
    for rule in kassel_app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        if "<" in rule.rule:  # /api/graph.<any(graphml, gexf, cyjs):fmt>
            prefix, _, rest = rule.rule.partition("<any(")
            routes |= {prefix + ext.strip() for ext in rest.split(")")[0].split(",")}
        else:
            routes.add(rule.rule)
    assert routes <= set(document["paths"]), routes - set(document["paths"])
    text = json.dumps(document)
    for ref in set(re.findall(r'"\$ref": "#/components/schemas/(\w+)"', text)):
        assert ref in document["components"]["schemas"]
    for path, item in document["paths"].items():
        assert item["get"]["responses"]["200"], path
    # what an export says it sends is what it sends (the .cyjs body was declared a string)
    cyjs = document["paths"]["/api/graph.cyjs"]["get"]["responses"]["200"]["content"]
    assert cyjs["application/json"]["schema"] == {"type": "object"}
    assert isinstance(get_json(client, "/api/graph.cyjs"), dict)
    # a limit applies to rankings only: the groups' operations do not offer one
    for path in ("/api/communities", "/api/components"):
        names = {p["name"] for p in document["paths"][path]["get"]["parameters"]}
        assert "limit" not in names, path


# -- the pages ---------------------------------------------------------------------------------


def test_explorer_page_renders_the_view_as_tables(client: FlaskClient) -> None:
    response = client.get(f"/explorer?focus={q(KVV)}&depth=1&lang=de")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="explorer-config"' in html and "Graph-Explorer" in html
    assert html.count("<tr data-id=") == 4 + 5  # four nodes, five edges
    assert "Städtische Betriebe sind eingebunden" in html
    assert "cytoscape.min.js" in html and "explorer.js" in html


def test_explorer_page_searches_and_finds_paths_without_javascript(client: FlaskClient) -> None:
    html = client.get("/explorer?q=KVV").get_data(as_text=True)
    assert f"/explorer?focus={KVV}" in html
    html = client.get("/explorer?from=KVV&to=Seniorenbeirat&lang=en").get_data(as_text=True)
    assert html.count("<tr data-id=") == 3 + 2
    response = client.get("/explorer?focus=" + q(K + "org/nobody"))
    assert response.status_code == 404
    assert "not in the data" in response.get_data(as_text=True)


@pytest.mark.parametrize("accept", [None, "*/*", "application/json"])
def test_api_errors_are_json_for_api_clients(client: FlaskClient, accept: str | None) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get("/api/graph?focus=" + q(K + "org/nobody"), headers=headers)
    assert response.status_code == 404 and response.mimetype == "application/json"
    assert "not in the data" in response.get_json()["message"]
    browser = client.get("/api/graph?focus=" + q(K + "org/nobody"), headers={"Accept": "text/html"})
    assert browser.mimetype == "text/html"


def test_a_resource_outside_the_graph_opens_the_whole_graph_with_a_reason(
    client: FlaskClient,
) -> None:
    # The concept scheme is in the data but no node of the involvement graph: its page's
    # "open in the explorer" used to end in an empty graph and an English error.
    scheme = K + "scheme/themen"
    response = client.get("/explorer?focus=" + q(scheme))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "ist kein Knoten des Beteiligungsgraphen" in html
    assert 'href="/page/kassel/scheme/themen">Zur Seite der Ressource</a>' in html
    whole = get_json(client, "/api/graph")
    assert f"{whole['nodeCount']} Knoten" in html
    assert '"outside": "' + scheme + '"' in html


def test_analytics_page(client: FlaskClient) -> None:
    html = client.get("/analytics?lang=en").get_data(as_text=True)
    assert "Betweenness centrality" in html and "Communities" in html
    assert "Lord Mayor of the City of Kassel" in html
    assert "/api/analytics?lang=en" in html
    html = client.get("/analytics?types=enterprise&lang=de").get_data(as_text=True)
    assert "Grad-Zentralität" in html
    assert client.get("/analytics?types=spaceship").status_code == 400


def test_labels_from_the_data_are_escaped() -> None:
    store = open_store(path=None)
    store.load(
        b"""@prefix sg: <https://w3id.org/stadtgraph/ontology#> .
        @prefix prov: <http://www.w3.org/ns/prov#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <urn:x:evil> a prov:Agent ; rdfs:label "<script>alert(1)</script>"@de ;
            sg:involvedIn <urn:x:s> .
        <urn:x:s> a sg:Strategy ; rdfs:label "Strategie"@de .""",
        RdfFormat.TURTLE,
        "urn:x:graph",
    )
    client = create_app({"TESTING": True, "STORE": ":memory:"}, store=store).test_client()
    html = client.get("/explorer?focus=urn:x:s").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in client.get("/analytics").get_data(as_text=True)
    assert get_json(client, "/api/search?q=script")["results"][0]["label"].startswith("<script>")
    store.close()


# -- strings -----------------------------------------------------------------------------------


def test_every_ui_string_exists_in_german_and_english(kassel_app: Flask) -> None:
    used = set(explorer.UI_KEYS)
    for path in WEB.glob("static/explorer*.js"):
        used |= set(re.findall(r'S\["([a-z_.]+)"\]', path.read_text()))
    for path in WEB.glob("templates/explorer/*.html"):
        found = re.findall(r"\bt\('([a-z_.]+)'", path.read_text())
        used |= {key for key in found if not key.endswith(".")}  # (a prefix: see below)
    # The analytics page names each step it timed by a key made from the step's name.
    with kassel_app.test_request_context("/analytics"):
        steps = analytics.report(graph_params.projection()).seconds
    used |= {"analytics.step." + name.replace(" ", "_") for name in steps}
    assert used, "no strings found"
    for key in sorted(used):
        assert key in i18n.STRINGS, key
        assert i18n.STRINGS[key]["de"] and i18n.STRINGS[key]["en"], key
    js_keys = set()
    for path in WEB.glob("static/explorer*.js"):
        js_keys |= set(re.findall(r'S\["([a-z_.]+)"\]', path.read_text()))
    assert js_keys <= set(explorer.UI_KEYS), js_keys - set(explorer.UI_KEYS)


# -- the store's state -------------------------------------------------------------------------


AGENT = (
    "<urn:x:{name}> a <http://www.w3.org/ns/prov#Agent> ; "
    '<http://www.w3.org/2000/01/rdf-schema#label> "{name}"@de ; '
    "<http://purl.org/dc/terms/source> <urn:x:register> ."
)


def test_the_explorer_sees_a_write_at_once_without_counting_the_store_per_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = open_store(path=None)
    try:
        store.load(AGENT.format(name="a").encode(), RdfFormat.TURTLE, "urn:x:graph")
        app = create_app({"TESTING": True, "STORE": ":memory:", "WRITE_TOKENS": "t"}, store=store)
        client = app.test_client()
        counted = count_calls(store, monkeypatch)
        assert get_json(client, "/api/search?q=a")["results"][0]["iri"] == "urn:x:a"
        for _ in range(5):
            get_json(client, "/api/search?q=a")
        assert len(counted) <= 1  # the state is read again every few seconds, not per request

        insert = "INSERT DATA { GRAPH <urn:x:graph> { " + AGENT.format(name="b") + " } }"
        response = client.post(
            "/update",
            data=insert,
            headers={"Authorization": "Bearer t", "Content-Type": "application/sparql-update"},
        )
        assert response.status_code == 204, response.get_data(as_text=True)
        found = get_json(client, "/api/search?q=b")["results"]
        assert "urn:x:b" in [r["iri"] for r in found]  # at once after a write through us
    finally:
        store.close()


def test_the_explorer_links_the_most_connected_action_fields_of_many() -> None:
    lines = [
        "@prefix sg: <https://w3id.org/stadtgraph/ontology#> .",
        "@prefix prov: <http://www.w3.org/ns/prov#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        '<urn:x:akteur> a prov:Agent ; rdfs:label "Akteur"@de .',
    ]
    involvements = [(n, "akteur") for n in range(1, 36)]
    involvements += [(n, "zweiter") for n in (33, 34, 35)]  # the last three by label: two each
    lines.append('<urn:x:zweiter> a prov:Agent ; rdfs:label "Zweiter"@de .')
    for n in range(1, 36):
        lines.append(f'<urn:x:feld-{n:02d}> a sg:ActionField ; rdfs:label "Feld {n:02d}"@de .')
    for n, agent in involvements:
        lines.append(
            f"<urn:x:beteiligung-{n}-{agent}> a sg:Involvement ; prov:agent <urn:x:{agent}> ; "
            f"sg:target <urn:x:feld-{n:02d}> ."
        )
    store = open_store(path=None)
    try:
        store.load("\n".join(lines).encode(), RdfFormat.TURTLE, "urn:x:graph")
        client = create_app({"TESTING": True, "STORE": ":memory:"}, store=store).test_client()
        page = client.get("/explorer").get_data(as_text=True)
        links = page.split('class="action-field-links"')[1].split("</ul>")[0]
        shown = re.findall(r">(Feld \d+)</a>", links)
        assert len(shown) == 30 and shown == sorted(shown)
        assert {"Feld 33", "Feld 34", "Feld 35"} <= set(shown)  # the connected ones first
        assert "Die 30 Handlungsfelder mit den meisten Verbindungen von 35" in page
    finally:
        store.close()


def test_queries_sent_by_post_do_not_make_the_store_counted_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only writes change the store: a POST query (or reconciliation request) is a read."""
    store = open_store(path=None)
    try:
        store.load(AGENT.format(name="a").encode(), RdfFormat.TURTLE, "urn:x:graph")
        client = create_app({"TESTING": True, "STORE": ":memory:"}, store=store).test_client()
        get_json(client, "/api/search?q=a")
        counted = count_calls(store, monkeypatch)
        for _ in range(3):
            assert client.post("/sparql", data={"query": "ASK {}"}).status_code == 200
            get_json(client, "/api/search?q=a")
        assert counted == []
    finally:
        store.close()


def test_the_label_query_reads_exactly_the_label_properties_ranked() -> None:
    """The explorer ranks labels by LABEL_ORDER; its query must fetch just those properties."""
    text = internal_query("resource-labels")
    block = text.split("VALUES ?property {")[1].split("}")[0]
    prefixes = dict(re.findall(r"PREFIX\s+(\w+):\s+<([^>]+)>", text))
    read = [
        term[1:-1] if term.startswith("<") else prefixes[term.split(":")[0]] + term.split(":")[1]
        for term in block.split()
    ]
    assert read == list(LABEL_ORDER)


@pytest.mark.parametrize("url", ["/api/search?q=KVV", "/api/graph", "/api/centrality"])
def test_answers_in_the_readers_language_say_that_they_vary_by_it(
    client: FlaskClient, url: str
) -> None:
    response = client.get(url, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert "Accept-Language" in response.vary
