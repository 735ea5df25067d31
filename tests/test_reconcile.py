"""The W3C Reconciliation Service API at /reconcile, over the Kassel graph.

Requests follow the shapes of the specification's examples (manifest, query batches with type
and property conditions in version 0.2 and the 1.0 draft, suggest, preview, data extension),
and a scripted session replays what OpenRefine sends: the manifest, a batched `queries` form
POST, suggest, preview, and data extension (propose, then extend).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.app import create_app
from service.project import ROOT, graph_for_path, project_files
from service.store import RdfFormat, Store, open_store

ORG = "http://www.w3.org/ns/org#Organization"
PLACE = "https://schema.org/Place"
CITY = "https://schema.org/City"
AGS = "https://w3id.org/stadtgraph/ontology#ags"
CONTAINED = "https://schema.org/containedInPlace"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def load_project(store: Store) -> Store:
    for path in project_files():
        if path.relative_to(ROOT).parts[0] != "shapes":
            store.load(path, RdfFormat.for_path(path), graph_for_path(path))
    return store


@pytest.fixture(scope="module")
def kassel_app() -> Iterator[Flask]:
    store = load_project(open_store(path=None))
    yield create_app({"TESTING": True, "STORE": ":memory:"}, store=store)
    store.close()


@pytest.fixture
def client(kassel_app: Flask) -> FlaskClient:
    return kassel_app.test_client()


def queries(client: FlaskClient, batch: dict[str, Any], **headers: str) -> dict[str, Any]:
    """A version 0.2 batch as OpenRefine posts it: a form field `queries` holding JSON."""
    response = client.post("/reconcile", data={"queries": json.dumps(batch)}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    result: dict[str, Any] = response.get_json()
    return result


# -- the manifest ----------------------------------------------------------------------------------


def test_the_manifest_names_the_spaces_and_the_services(client: FlaskClient) -> None:
    response = client.get("/reconcile")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    manifest = response.get_json()
    assert "0.2" in manifest["versions"]
    assert manifest["name"]
    assert manifest["identifierSpace"] == "https://w3id.org/stadtgraph/id/"
    assert manifest["schemaSpace"] == "https://w3id.org/stadtgraph/ontology#"
    assert {t["id"] for t in manifest["defaultTypes"]} >= {PLACE, ORG}
    assert all(t["name"] for t in manifest["defaultTypes"])
    assert manifest["view"]["url"].endswith("/page/{{id}}")
    assert manifest["preview"]["url"].endswith("/reconcile/preview?id={{id}}")
    assert manifest["preview"]["width"] > 0 and manifest["preview"]["height"] > 0
    for kind in ("entity", "type", "property"):
        service = manifest["suggest"][kind]
        assert service["service_path"] == f"/reconcile/suggest/{kind}"
        assert service["service_url"].startswith("http")
    assert manifest["suggest"]["entity"]["flyout_service_path"].endswith("?id=${id}")
    assert manifest["extend"]["propose_properties"]["service_path"] == "/reconcile/extend/propose"
    assert manifest["extend"]["property_settings"][0]["name"] == "limit"
    assert manifest["batchSize"] >= 10


def test_the_manifest_behind_a_proxy_names_each_path_once() -> None:
    """OpenRefine joins service_url and service_path: the proxy's prefix belongs in one."""
    store = load_project(open_store(path=None))
    app = create_app({"TESTING": True, "STORE": ":memory:", "TRUSTED_PROXIES": 1}, store=store)
    headers = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "data.example.org",
        "X-Forwarded-Prefix": "/stadtgraph",
    }
    manifest = app.test_client().get("/reconcile", headers=headers).get_json()
    store.close()
    site = "https://data.example.org/stadtgraph"
    assert manifest["preview"]["url"] == f"{site}/reconcile/preview?id={{{{id}}}}"
    assert manifest["view"]["url"].startswith(f"{site}/page/")
    for service in (*manifest["suggest"].values(), manifest["extend"]["propose_properties"]):
        assert service["service_url"] + service["service_path"] in (
            f"{site}/reconcile/suggest/entity",
            f"{site}/reconcile/suggest/type",
            f"{site}/reconcile/suggest/property",
            f"{site}/reconcile/extend/propose",
        )


def test_whether_the_first_candidate_is_a_match_does_not_depend_on_the_limit(
    client: FlaskClient,
) -> None:
    one = queries(client, {"q0": {"query": "Kassel", "limit": 1}})["q0"]["result"]
    two = queries(client, {"q0": {"query": "Kassel", "limit": 2}})["q0"]["result"]
    assert one[0]["id"] == two[0]["id"] == "kassel/place/kassel"
    assert one[0]["match"] is two[0]["match"] is False  # a namesake comes close


def test_the_manifest_speaks_the_language_asked_for(client: FlaskClient) -> None:
    english = client.get("/reconcile", headers={"Accept-Language": "en"})
    names = {t["id"]: t["name"] for t in english.get_json()["defaultTypes"]}
    assert names[PLACE].lower() == "place"
    assert english.headers["Content-Language"] == "en"
    german = client.get("/reconcile?lang=de").get_json()
    assert {t["id"]: t["name"] for t in german["defaultTypes"]}[PLACE] == "Ort"


def test_preflight_requests_are_allowed(client: FlaskClient) -> None:
    response = client.options("/reconcile", headers={"Origin": "http://localhost:3333"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]


# -- queries: version 0.2 --------------------------------------------------------------------------


def test_a_query_with_a_type_finds_the_entity_first(client: FlaskClient) -> None:
    answer = queries(client, {"q0": {"query": "KVV", "type": ORG, "limit": 3}})
    best = answer["q0"]["result"][0]
    assert best["id"] == "kassel/org/kvv"
    assert best["name"] == "KVV"
    assert best["score"] == 100 and best["match"] is True
    assert {"id": ORG, "name": "Organisation"} in best["type"]
    assert best["features"][0]["id"] == "name"


def test_namesakes_are_scored_but_not_matched(client: FlaskClient) -> None:
    results = queries(client, {"q0": {"query": "Kassel", "limit": 5}})["q0"]["result"]
    ids = [c["id"] for c in results]
    assert ids[0] == "kassel/place/kassel"
    assert "kassel/place/landkreis-kassel" in ids  # "Kassel" is one of its alternative labels
    assert not any(c["match"] for c in results)  # too close to call: a person decides
    assert [c["score"] for c in results] == sorted((c["score"] for c in results), reverse=True)


def test_a_type_restricts_the_candidates(client: FlaskClient) -> None:
    results = queries(client, {"q0": {"query": "Kassel", "type": CITY}})["q0"]["result"]
    assert [c["id"] for c in results] == ["kassel/place/kassel"]


def test_property_conditions_raise_the_right_candidate(client: FlaskClient) -> None:
    batch = {
        "q0": {"query": "Kasel", "type": PLACE, "properties": [{"pid": AGS, "v": "06611000"}]},
        "q1": {
            "query": "Kassel",
            "properties": [{"pid": "schema:containedInPlace", "v": {"id": "kassel/place/hessen"}}],
        },
        "q2": {"query": "Kassel", "properties": [{"pid": AGS, "v": "99999999", "required": True}]},
    }
    answer = queries(client, batch)
    typo = answer["q0"]["result"][0]
    assert typo["id"] == "kassel/place/kassel"  # a typo, but the AGS agrees
    assert {
        "id": f"property:{AGS}",
        "name": "Amtlicher Gemeindeschlüssel (AGS)",
        "value": True,
    } in typo["features"]
    assert answer["q1"]["result"][0]["id"] == "kassel/place/kassel"
    assert all(c["score"] <= 10 for c in answer["q2"]["result"])  # a required condition fails


def test_the_entity_id_as_query_returns_that_entity(client: FlaskClient) -> None:
    result = queries(client, {"q0": {"query": "kassel/org/kvv"}})["q0"]["result"]
    assert result[0]["id"] == "kassel/org/kvv" and result[0]["score"] == 100


def test_another_services_type_and_properties_match_nothing_but_are_no_error(
    client: FlaskClient,
) -> None:
    # The shape of the specification's example batch, with its foreign ids.
    batch = {
        "q0": {
            "query": "Christel Hanewinckel",
            "type": "DifferentiatedPerson",
            "type_strict": "should",
            "limit": 5,
            "properties": [
                {"pid": "professionOrOccupation", "v": "Politik*"},
                {"pid": "affiliation", "v": "http://d-nb.info/gnd/2022139-3"},
            ],
        }
    }
    assert queries(client, batch) == {"q0": {"result": []}}


def test_a_single_query_of_version_0_1(client: FlaskClient) -> None:
    response = client.get("/reconcile", query_string={"query": "KVV"})
    assert response.get_json()["result"][0]["id"] == "kassel/org/kvv"


def test_queries_also_come_by_get(client: FlaskClient) -> None:
    response = client.get(
        "/reconcile", query_string={"queries": json.dumps({"q0": {"query": "KVV"}})}
    )
    assert response.get_json()["q0"]["result"][0]["id"] == "kassel/org/kvv"


# -- queries: the 1.0 draft ------------------------------------------------------------------------


def test_a_draft_batch_with_conditions(client: FlaskClient) -> None:
    batch = {
        "queries": [
            {
                "type": CITY,
                "limit": 3,
                "conditions": [
                    {"matchType": "name", "propertyValue": "Wien"},
                    {
                        "matchType": "property",
                        "propertyId": "https://w3id.org/stadtgraph/ontology#geonamesId",
                        "propertyValue": "2761369",
                        "required": False,
                        "matchQuantifier": "any",
                        "matchQualifier": "ExactMatch",
                    },
                ],
            },
            {"conditions": [{"match_type": "name", "v": "Stadt Kassel"}], "limit": 1},
        ]
    }
    response = client.post("/reconcile/reconcile", json=batch)
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert len(results) == 2
    assert results[0]["candidates"][0]["id"] == "kassel/place/wien"
    assert results[0]["candidates"][0]["match"] is True
    assert results[1]["candidates"][0]["id"] == "kassel/org/stadt-kassel"


def test_a_draft_batch_with_name_as_property_and_several_values(client: FlaskClient) -> None:
    batch = {
        "queries": [
            {
                "type": ORG,
                "limit": 2,
                "properties": [
                    {"v": "Kasseler Verkehrs-Gesellschaft"},
                    {"pid": LABEL, "v": ["KVV", {"id": "kassel/org/kvv", "name": "KVV"}]},
                ],
            }
        ]
    }
    response = client.post("/reconcile", json=batch)  # the root takes JSON bodies too
    candidates = response.get_json()["results"][0]["candidates"]
    assert candidates[0]["id"] == "kassel/org/kvv"


# -- bad requests ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"queries": "{not json"}, 400, "not valid JSON"),
        ({"queries": json.dumps(["a list"])}, 400, "q0"),
        ({"queries": json.dumps({"q0": {"limit": 3}})}, 400, "query string"),
        ({"queries": json.dumps({"q0": {"query": "x", "limit": 0}})}, 400, "limit"),
        ({"queries": json.dumps({f"q{i}": {"query": "x"} for i in range(51)})}, 413, "at most"),
        ({"extend": json.dumps({"ids": "kassel/org/kvv", "properties": []})}, 400, "ids"),
    ],
)
def test_bad_requests_get_one_clear_message(
    client: FlaskClient, data: dict[str, str], status: int, message: str
) -> None:
    response = client.post("/reconcile", data=data, headers={"Accept": "application/json"})
    assert response.status_code == status
    assert message in response.get_json()["message"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_hostile_query_text_is_only_ever_a_literal(client: FlaskClient, kassel_app: Flask) -> None:
    store: Store = kassel_app.extensions["stadtgraph.store"]["store"]
    before = store.count()
    hostile = '" } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #'
    batch = {"q0": {"query": hostile, "properties": [{"pid": AGS, "v": hostile}]}}
    results = queries(client, batch)["q0"]["result"]
    assert all(c["score"] < 50 for c in results)  # its words match a few labels, weakly
    assert store.count() == before


# -- suggest, flyout, preview ----------------------------------------------------------------------


def test_suggest_entities_by_the_start_of_their_names(client: FlaskClient) -> None:
    response = client.get("/reconcile/suggest/entity", query_string={"prefix": "Kas"})
    result = response.get_json()["result"]
    assert result[0] == {
        "id": "kassel/place/kassel",
        "name": "Kassel",
        "description": result[0]["description"],
        "notable": result[0]["notable"],
    }
    assert {"id": CITY, "name": "Stadt"} in result[0]["notable"]
    more = client.get("/reconcile/suggest/entity", query_string={"prefix": "Kas", "cursor": 1})
    assert more.get_json()["result"][0] == result[1]


def test_suggest_types_and_properties(client: FlaskClient) -> None:
    types = client.get("/reconcile/suggest/type?prefix=Org").get_json()["result"]
    assert {"id": ORG, "name": "Organisation", "description": "org:Organization"} in types
    english = client.get("/reconcile/suggest/type?prefix=pla&lang=en").get_json()["result"]
    assert english[0]["id"] == PLACE
    properties = client.get("/reconcile/suggest/property?prefix=AGS").get_json()["result"]
    assert properties[0]["id"] == AGS


def test_suggest_answers_jsonp_for_well_formed_callbacks_only(client: FlaskClient) -> None:
    good = client.get("/reconcile/suggest/type?prefix=Ort&callback=jQuery123_456")
    assert good.mimetype == "application/javascript"
    assert good.get_data(as_text=True).startswith("/**/jQuery123_456({")
    bad = client.get("/reconcile/suggest/type?prefix=Ort&callback=alert(1)//")
    assert bad.status_code == 400


def test_the_preview_is_small_escaped_html_that_other_sites_may_frame(
    client: FlaskClient,
) -> None:
    response = client.get("/reconcile/preview?id=kassel/org/kvv")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    assert ">KVV</a>" in html and "/page/kassel/org/kvv" in html
    assert "„der KVV“" in html
    assert client.get("/reconcile/preview?id=kassel/org/nowhere").status_code == 404
    assert client.get("/reconcile/preview").status_code == 400


def test_the_flyout_wraps_the_preview_in_json(client: FlaskClient) -> None:
    answer = client.get("/reconcile/suggest/entity/flyout?id=kassel/place/kassel").get_json()
    assert answer["id"] == "kassel/place/kassel"
    assert "Kassel" in answer["html"]


def test_labels_are_escaped_in_previews_and_flyouts() -> None:
    store = open_store(path=None)
    store.update(
        "INSERT DATA { GRAPH <https://w3id.org/stadtgraph/graph/test> { "
        "<https://w3id.org/stadtgraph/id/test/x> "
        '<http://www.w3.org/2000/01/rdf-schema#label> "<script>alert(1)</script>"@de ; '
        '<http://www.w3.org/2004/02/skos/core#note> "a & b <b>bold</b>"@de } }'
    )
    client = create_app({"TESTING": True, "STORE": ":memory:"}, store=store).test_client()
    html = client.get("/reconcile/preview?id=test/x").get_data(as_text=True)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "a &amp; b &lt;b&gt;bold&lt;/b&gt;" in html
    flyout = client.get("/reconcile/suggest/entity/flyout?id=test/x").get_json()["html"]
    assert "<script>" not in flyout
    store.close()


# -- data extension --------------------------------------------------------------------------------


def test_propose_properties_for_a_type(client: FlaskClient) -> None:
    answer = client.get(f"/reconcile/extend/propose?type={PLACE}&limit=50").get_json()
    assert answer["type"] == PLACE and answer["limit"] == 50
    ids = [p["id"] for p in answer["properties"]]
    assert AGS in ids and CONTAINED in ids
    names = {p["id"]: p["name"] for p in answer["properties"]}
    assert names[CONTAINED] == "Liegt in"
    assert client.get("/reconcile/extend/propose?type=NoSuchType").get_json()["properties"] == []


def test_extend_returns_values_per_entity_and_property(client: FlaskClient) -> None:
    extend = {
        "ids": ["kassel/place/kassel", "kassel/org/kvv"],
        "properties": [{"id": AGS}, {"id": CONTAINED}, {"id": LABEL, "settings": {"limit": 1}}],
    }
    response = client.post("/reconcile", data={"extend": json.dumps(extend)})
    answer = response.get_json()
    assert [m["id"] for m in answer["meta"]] == [AGS, CONTAINED, LABEL]
    kassel = answer["rows"]["kassel/place/kassel"]
    assert kassel[AGS] == [{"str": "06611000"}]
    assert kassel[CONTAINED] == [{"id": "kassel/place/hessen", "name": "Hessen"}]
    assert len(kassel[LABEL]) == 1
    assert answer["rows"]["kassel/org/kvv"][AGS] == []


def test_extend_in_the_draft_shape(client: FlaskClient) -> None:
    extend = {"ids": ["kassel/place/kassel"], "properties": [{"id": "sg:ags"}]}
    answer = client.post("/reconcile/extend", json=extend).get_json()
    assert answer["rows"] == [
        {"id": "kassel/place/kassel", "properties": [{"id": AGS, "values": [{"str": "06611000"}]}]}
    ]


# -- an OpenRefine session, replayed ---------------------------------------------------------------


def test_an_openrefine_session(client: FlaskClient) -> None:
    """Add the service, reconcile a column of organisations by type with a property column,
    look at a candidate, then pull the AGS of the places in."""
    headers = {"Accept": "*/*", "User-Agent": "OpenRefine/3.8"}
    manifest = client.get("/reconcile", headers=headers).get_json()
    assert manifest["versions"]

    # OpenRefine first guesses types from a sample of the column, without a type.
    guess = queries(
        client, {"q0": {"query": "KVV", "limit": 3}, "q1": {"query": "GWG", "limit": 3}}, **headers
    )
    guessed = {t["id"] for r in guess.values() for c in r["result"] for t in c["type"]}
    assert ORG in guessed

    # The user picks the type with the type suggest box, then reconciles in batches.
    picked = client.get("/reconcile/suggest/type", query_string={"prefix": "Organ"}).get_json()
    assert ORG in {t["id"] for t in picked["result"]}
    rows = ["KVV", "GWG", "Städtische Werke", "Stadt Kassel", "Kasseler Sparkasse"]
    batch = {
        f"q{i}": {"query": text, "type": ORG, "type_strict": "should", "limit": 6}
        for i, text in enumerate(rows)
    }
    answer = queries(client, batch, **headers)
    assert list(answer) == [f"q{i}" for i in range(len(rows))]
    assert answer["q0"]["result"][0]["id"] == "kassel/org/kvv"
    assert answer["q0"]["result"][0]["match"] is True
    for result in answer.values():
        for candidate in result["result"]:
            assert {"id", "name", "type", "score", "match"} <= candidate.keys()

    # Hovering a candidate shows the preview; searching by hand uses the entity suggest box.
    shown = client.get(manifest["preview"]["url"].replace("{{id}}", "kassel/org/kvv"))
    assert shown.status_code == 200
    found = client.get("/reconcile/suggest/entity", query_string={"prefix": "KV"}).get_json()
    assert "kassel/org/kvv" in {e["id"] for e in found["result"]}

    # "Add columns from reconciled values": propose properties, then extend.
    proposed = client.get(
        "/reconcile/extend/propose", query_string={"type": PLACE}, headers=headers
    ).get_json()
    assert AGS in {p["id"] for p in proposed["properties"]}
    places = queries(client, {"q0": {"query": "Kassel", "type": CITY}})["q0"]["result"]
    extend = {"ids": [places[0]["id"]], "properties": [{"id": AGS}]}
    extended = client.post("/reconcile", data={"extend": json.dumps(extend)}, headers=headers)
    assert extended.get_json()["rows"][places[0]["id"]][AGS] == [{"str": "06611000"}]


def _call(app: Flask, path: str, body: bytes, content_type: str, *, chunked: bool) -> Any:
    """Call the app as a WSGI server would, the body sent in chunks (no Content-Length)."""
    from werkzeug.test import EnvironBuilder, run_wsgi_app
    from werkzeug.wrappers import Response as WerkzeugResponse

    environ = EnvironBuilder(
        path=path, method="POST", data=body, content_type=content_type
    ).get_environ()
    if chunked:
        del environ["CONTENT_LENGTH"]
        environ["HTTP_TRANSFER_ENCODING"] = "chunked"
        environ["wsgi.input_terminated"] = True
    return WerkzeugResponse(*run_wsgi_app(app, environ))


@pytest.mark.parametrize("chunked", [False, True], ids=["with-length", "chunked"])
def test_a_body_above_the_request_limit_is_413_however_it_is_sent(
    kassel_app: Flask, chunked: bool
) -> None:
    limit = int(kassel_app.config["MAX_REQUEST_BYTES"])
    words = " ".join(["kassel"] * (limit // 6))
    big_json = json.dumps({"queries": [{"query": words}]}).encode()
    response = _call(kassel_app, "/reconcile", big_json, "application/json", chunked=chunked)
    assert response.status_code == 413, response.get_data(as_text=True)
    boundary = "b0undary"
    multipart = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n{'x' * (limit + 10)}\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="queries"\r\n\r\n'
        f'{{"q0": {{"query": "KVV"}}}}\r\n--{boundary}--\r\n'
    ).encode()
    response = _call(
        kassel_app,
        "/reconcile",
        multipart,
        f"multipart/form-data; boundary={boundary}",
        chunked=chunked,
    )
    assert response.status_code == 413, response.get_data(as_text=True)


def test_a_chunked_body_within_the_limit_is_read_whole(kassel_app: Flask) -> None:
    batch = json.dumps({"queries": [{"query": "KVV"}]}).encode()
    response = _call(kassel_app, "/reconcile", batch, "application/json", chunked=True)
    assert response.status_code == 200
    assert response.json["results"][0]["candidates"][0]["id"] == "kassel/org/kvv"
    answer = _call(kassel_app, "/sparql", b"ASK {}", "application/sparql-query", chunked=True)
    assert answer.status_code == 200 and answer.json["boolean"] is True


def test_english_asked_for_gives_english_names(client: FlaskClient) -> None:
    batch = {"q0": {"query": "Overall strategy of the City of Kassel"}}
    response = client.post("/reconcile?lang=en", data={"queries": json.dumps(batch)})
    (best, *_) = response.get_json()["q0"]["result"]
    assert best["name"] == "Overall strategy of the City of Kassel"
    german = client.post("/reconcile?lang=de", data={"queries": json.dumps(batch)})
    assert german.get_json()["q0"]["result"][0]["name"] == "Gesamtstrategie der Stadt Kassel"
    # chosen by the header, the answer says that it varies by it
    by_header = client.post(
        "/reconcile", data={"queries": json.dumps(batch)}, headers={"Accept-Language": "en"}
    )
    assert by_header.headers["Content-Language"] == "en"
    assert "Accept-Language" in by_header.vary
