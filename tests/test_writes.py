"""Authenticated writes: bearer tokens, SPARQL Update at /update, the Graph Store Protocol at
/store, the SHACL gate (422, store unchanged), atomicity and the provenance record."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Namespace, URIRef
from werkzeug.test import TestResponse

from service.gate import Gate
from service.project import ROOT
from service.sparql_guard import graphs_named_in_update, reads_default_graph
from service.store import RdfFormat, Store, open_store
from service.web.writes import GATE, _write_lock
from service.write_provenance import PROVENANCE_GRAPH, token_fingerprint
from tests.endpoint_support import (
    DATA,
    EX,
    ORGS,
    PEOPLE,
    AppMaker,
    ConnectionRecorder,
    close_app,
    endpoint_app,
    quads,
    rdf_graph,
)
from tests.servers import running_oxigraph

TOKEN = "s3cret-curator-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PROV = Namespace("http://www.w3.org/ns/prov#")
NEW = "http://example.org/graph/new"
UPDATE = "application/sparql-update"


@pytest.fixture
def store(endpoint_store: Store) -> Store:
    return endpoint_store


@pytest.fixture
def app(make_endpoint_app: AppMaker) -> Flask:
    """An app whose gate checks the fixture shapes (a person needs a name, memberOf an org)."""
    app = make_endpoint_app(WRITE_TOKENS=f"other-token,{TOKEN}")
    app.extensions[GATE] = Gate(shapes=[DATA / "shapes.ttl"], ontology=[])
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def update(client: FlaskClient, text: str, **headers: str) -> TestResponse:
    return client.post(
        "/update", data=text.encode(), content_type=UPDATE, headers={**AUTH, **headers}
    )


def names(client: FlaskClient) -> list[str]:
    query = f"SELECT ?n WHERE {{ ?p <{EX}name> ?n }} ORDER BY ?n"
    response = client.get("/sparql", query_string={"query": query})
    return [row["n"]["value"] for row in json.loads(response.data)["results"]["bindings"]]


# -- tokens ---------------------------------------------------------------------------------

INSERT_CARLA = (
    f"PREFIX ex: <{EX}> INSERT DATA {{ GRAPH <{PEOPLE}> {{ "
    f"ex:carla a ex:Person ; ex:name 'Carla' ; ex:memberOf ex:office }} }}"
)


def test_missing_token_is_401_with_a_challenge(client: FlaskClient, store: Store) -> None:
    before = quads(store)
    response = client.post("/update", data=INSERT_CARLA.encode(), content_type=UPDATE)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Writing needs" in response.json["message"]
    assert quads(store) == before
    read = client.get(f"/store?graph={quote(PEOPLE)}")
    assert read.status_code == 401 and "Reading the Graph Store needs" in read.json["message"]


@pytest.mark.parametrize(
    "header", ["Bearer wrong-token", f"Basic {TOKEN}", "Bearer ", f"Bearer {TOKEN}x"]
)
def test_wrong_token_is_401(client: FlaskClient, store: Store, header: str) -> None:
    before = quads(store)
    response = client.post(
        "/update",
        data=INSERT_CARLA.encode(),
        content_type=UPDATE,
        headers={"Authorization": header},
    )
    assert response.status_code == 401
    assert "Bearer" in response.headers["WWW-Authenticate"]
    assert (
        client.get(f"/store?graph={quote(PEOPLE)}", headers={"Authorization": header}).status_code
        == 401
    )
    assert quads(store) == before


def test_any_configured_token_works(client: FlaskClient) -> None:
    response = client.post(
        "/update",
        data=INSERT_CARLA.encode(),
        content_type=UPDATE,
        headers={"Authorization": "Bearer other-token"},
    )
    assert response.status_code == 204
    assert "Content-Type" not in response.headers and response.data == b""


def test_without_configured_tokens_writing_is_off(store: Store) -> None:
    app = endpoint_app(store)
    try:
        response = app.test_client().post(
            "/update", data=INSERT_CARLA.encode(), content_type=UPDATE, headers=AUTH
        )
        assert response.status_code == 403
        assert "WRITE_TOKENS" in response.json["message"]
    finally:
        close_app(app)


def test_read_only_server_refuses_writes(store: Store) -> None:
    app = endpoint_app(store, WRITE_TOKENS=TOKEN, READ_ONLY=True)
    try:
        client = app.test_client()
        before = quads(store)
        assert update(client, INSERT_CARLA).status_code == 403
        put = client.put(
            f"/store?graph={quote(NEW)}", data=b"", content_type="text/turtle", headers=AUTH
        )
        assert put.status_code == 405
        assert put.headers["Allow"] == "GET, HEAD"
        assert client.get(f"/store?graph={quote(PEOPLE)}", headers=AUTH).status_code == 200
        assert quads(store) == before
    finally:
        close_app(app)


# -- SPARQL Update --------------------------------------------------------------------------


def test_update_is_applied_and_queries_see_it(client: FlaskClient) -> None:
    assert names(client) == ["Anna Muster", "Ben Beispiel"]  # forks a query worker first
    response = update(client, INSERT_CARLA)
    assert response.status_code == 204
    assert names(client) == ["Anna Muster", "Ben Beispiel", "Carla"]


def test_update_as_form_field(client: FlaskClient) -> None:
    response = client.post("/update", data={"update": INSERT_CARLA}, headers=AUTH)
    assert response.status_code == 204
    assert "Carla" in names(client)


def test_update_with_using_graph_uri_is_a_400(client: FlaskClient) -> None:
    response = client.post(
        "/update", data={"update": INSERT_CARLA, "using-graph-uri": PEOPLE}, headers=AUTH
    )
    assert response.status_code == 400


def test_update_syntax_error_is_a_400_with_position(client: FlaskClient, store: Store) -> None:
    before = quads(store)
    response = update(
        client, "INSERT DATA {\n  GRAPH <http://e/g> { <http://e/a> <http://e/b> }\n}"
    )
    assert response.status_code == 400
    assert "line 2, column" in response.json["message"]
    assert quads(store) == before


def test_invalid_update_is_422_with_report_and_store_unchanged(
    client: FlaskClient, store: Store
) -> None:
    before = quads(store)
    text = f"PREFIX ex: <{EX}> INSERT DATA {{ GRAPH <{PEOPLE}> {{ ex:dora a ex:Person }} }}"
    response = update(client, text)
    assert response.status_code == 422
    body = response.json
    assert "nothing was changed" in body["message"]
    assert "A person needs a name." in body["details"]["text"]
    violation = body["details"]["report"]["violations"][0]
    assert violation["focusNode"] == f"<{EX}dora>"
    assert quads(store) == before


def test_validation_report_as_turtle(client: FlaskClient) -> None:
    text = f"PREFIX ex: <{EX}> INSERT DATA {{ GRAPH <{PEOPLE}> {{ ex:dora a ex:Person }} }}"
    response = update(client, text, Accept="text/turtle", **{"Accept-Language": "en"})
    assert response.status_code == 422
    assert response.mimetype == "text/turtle"
    turtle = response.data
    assert turtle.startswith(b"# 1 violation(s)")
    report = rdf_graph(turtle, "text/turtle")
    sh = Namespace("http://www.w3.org/ns/shacl#")
    assert (None, sh.focusNode, URIRef(f"{EX}dora")) in report


def test_validation_report_as_text(client: FlaskClient) -> None:
    text = f"PREFIX ex: <{EX}> INSERT DATA {{ GRAPH <{PEOPLE}> {{ ex:dora a ex:Person }} }}"
    response = update(client, text, Accept="text/plain")
    assert response.status_code == 422
    assert "A person needs a name." in response.get_data(as_text=True)


def test_a_refused_writes_report_speaks_the_readers_language_and_names_the_graph(
    client: FlaskClient,
) -> None:
    text = f"PREFIX ex: <{EX}> INSERT DATA {{ GRAPH <{PEOPLE}> {{ ex:dora a ex:Person }} }}"
    german = update(client, text, Accept="text/plain", **{"Accept-Language": "de"})
    body = german.get_data(as_text=True)
    assert body.startswith("1 Verstoß/Verstöße gegen die SHACL-Formen")
    assert german.headers["Content-Language"] == "de"
    # the graph written to, not "(store)", and the German message first
    assert f"- <{PEOPLE}>: " in body
    assert body.index("Eine Person braucht einen Namen.") < body.index("A person needs a name.")
    english = update(client, text, Accept="text/plain", **{"Accept-Language": "en"})
    assert english.get_data(as_text=True).startswith("1 violation(s) of the SHACL shapes")
    assert english.headers["Content-Language"] == "en"


def test_deleting_a_required_value_is_refused(client: FlaskClient, store: Store) -> None:
    before = quads(store)
    text = f"DELETE WHERE {{ GRAPH <{PEOPLE}> {{ <{EX}anna> <{EX}name> ?n }} }}"
    response = update(client, text)
    assert response.status_code == 422
    assert quads(store) == before


def test_changing_another_graph_is_checked_against_its_referrers(
    client: FlaskClient, store: Store
) -> None:
    """Retyping the office breaks the people who are members of it (sh:class), in another graph."""
    before = quads(store)
    text = (
        f"PREFIX ex: <{EX}> DELETE DATA {{ GRAPH <{ORGS}> {{ ex:office a ex:Organisation }} }} ;"
        f" INSERT DATA {{ GRAPH <{ORGS}> {{ ex:office a ex:Place }} }}"
    )
    response = update(client, text)
    assert response.status_code == 422
    assert "organisation" in response.json["details"]["text"]
    assert quads(store) == before


def test_update_is_atomic(client: FlaskClient, store: Store) -> None:
    """A valid first operation is not applied when a later one fails or is invalid."""
    before = quads(store)
    invalid_second = (
        INSERT_CARLA + f" ; INSERT DATA {{ GRAPH <{PEOPLE}> {{ ex:dora a ex:Person }} }}"
    )
    assert update(client, invalid_second).status_code == 422
    failing_second = INSERT_CARLA + f" ; CREATE GRAPH <{PEOPLE}>"
    response = update(client, failing_second)
    assert response.status_code == 400
    assert "already exists" in response.json["message"]
    assert quads(store) == before


def test_update_rewriting_many_triples_with_a_where_clause(client: FlaskClient) -> None:
    text = (
        f"PREFIX ex: <{EX}> DELETE {{ GRAPH <{PEOPLE}> {{ ?p ex:name ?n }} }} "
        f"INSERT {{ GRAPH <{PEOPLE}> {{ ?p ex:name ?upper }} }} "
        f"WHERE {{ GRAPH <{PEOPLE}> {{ ?p ex:name ?n }} BIND(UCASE(STR(?n)) AS ?upper) }}"
    )
    assert update(client, text).status_code == 204
    assert names(client) == ["ANNA MUSTER", "BEN BEISPIEL"]


def test_update_over_all_graphs_with_a_graph_variable(client: FlaskClient) -> None:
    text = (
        f"PREFIX ex: <{EX}> DELETE {{ GRAPH ?g {{ ?p ex:name ?n }} }} "
        "INSERT { GRAPH ?g { ?p ex:name ?short } } "
        "WHERE { GRAPH ?g { ?p ex:name ?n } BIND(SUBSTR(STR(?n), 1, 3) AS ?short) }"
    )
    assert update(client, text).status_code == 204
    assert names(client) == ["Ann", "Ben"]


def test_update_with_blank_nodes_is_written_as_validated(client: FlaskClient, store: Store) -> None:
    insert = (
        f"PREFIX ex: <{EX}> INSERT DATA {{ GRAPH <{PEOPLE}> {{ "
        "ex:anna ex:address [ ex:city 'Kassel' ; ex:zip '34117' ] } }"
    )
    assert update(client, insert).status_code == 204
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{PEOPLE}> {{ ?s ?p ?o }} }}"
    response = client.get("/sparql", query_string={"query": count})
    assert json.loads(response.data)["results"]["bindings"][0]["n"]["value"] == "9"
    delete = (
        f"PREFIX ex: <{EX}> DELETE {{ GRAPH <{PEOPLE}> {{ ?a ex:zip ?z }} }} "
        f"WHERE {{ GRAPH <{PEOPLE}> {{ ex:anna ex:address ?a . ?a ex:zip ?z }} }}"
    )
    assert update(client, delete).status_code == 204
    city = f"SELECT ?c WHERE {{ <{EX}anna> <{EX}address> [ <{EX}city> ?c ] }}"
    response = client.get("/sparql", query_string={"query": city})
    assert [r["c"]["value"] for r in json.loads(response.data)["results"]["bindings"]] == ["Kassel"]
    response = client.get("/sparql", query_string={"query": count})
    assert json.loads(response.data)["results"]["bindings"][0]["n"]["value"] == "8"


def test_literals_keep_their_lexical_form(client: FlaskClient) -> None:
    text = (
        f"PREFIX ex: <{EX}> "
        f"INSERT DATA {{ GRAPH <{PEOPLE}> {{ ex:anna ex:rank '01'^^ex:code ; "
        r"ex:motto 'Tab\tand \"quote\"'@de } }"
    )
    assert update(client, text).status_code == 204
    query = f"SELECT ?o WHERE {{ <{EX}anna> ?p ?o FILTER(?p IN (<{EX}rank>, <{EX}motto>)) }}"
    rows = json.loads(client.get("/sparql", query_string={"query": query}).data)
    assert sorted(r["o"]["value"] for r in rows["results"]["bindings"]) == [
        "01",
        'Tab\tand "quote"',
    ]


def test_update_to_the_default_graph_is_refused(client: FlaskClient, store: Store) -> None:
    before = quads(store)
    response = update(client, f"INSERT DATA {{ <{EX}x> <{EX}name> 'x' }}")
    assert response.status_code == 400
    assert "named graph" in response.json["message"]
    assert quads(store) == before


@pytest.mark.parametrize(
    "text",
    [
        f"DELETE WHERE {{ ?p <{EX}name> ?n }}",
        f"DELETE {{ GRAPH <{PEOPLE}> {{ ?p <{EX}name> ?n }} }} WHERE {{ ?p <{EX}name> ?n }}",
        f"INSERT {{ GRAPH <{PEOPLE}> {{ ?p <{EX}seen> true }} }} "
        f"WHERE {{ GRAPH <{PEOPLE}> {{ ?p ?q ?o }} OPTIONAL {{ ?p <{EX}name> ?n }} }}",
        "CLEAR DEFAULT",
        f"COPY DEFAULT TO <{PEOPLE}>",
    ],
)
def test_an_update_reading_the_default_graph_is_refused(
    client: FlaskClient, store: Store, text: str
) -> None:
    """Queries see the union as the default graph, an update the engine's empty one: such an
    update used to answer 204 and change nothing (or, COPY DEFAULT, empty a graph)."""
    before = quads(store)
    response = update(client, text)
    assert response.status_code == 400
    assert "default graph" in response.json["message"]
    assert quads(store) == before


def test_an_update_that_names_its_graphs_passes_the_default_graph_check(
    client: FlaskClient,
) -> None:
    using = (
        f"DELETE {{ GRAPH <{PEOPLE}> {{ ?p <{EX}name> ?n }} }} "
        f"INSERT {{ GRAPH <{PEOPLE}> {{ ?p <{EX}name> ?short }} }} USING <{PEOPLE}> "
        f"WHERE {{ ?p <{EX}name> ?n VALUES ?cut {{ 3 }} BIND(SUBSTR(?n, 1, ?cut) AS ?short) }}"
    )
    assert update(client, using).status_code == 204
    assert names(client) == ["Ann", "Ben"]
    with_graph = f"WITH <{PEOPLE}> DELETE {{ ?p <{EX}name> 'Ann' }} WHERE {{ ?p <{EX}name> 'Ann' }}"
    assert update(client, with_graph).status_code == 422  # reached the gate: a name is required


def test_using_graph_uri_in_the_url_is_a_400_too(client: FlaskClient) -> None:
    response = client.post(
        "/update?using-graph-uri=" + quote(PEOPLE),
        data=INSERT_CARLA,
        content_type="application/sparql-update",
        headers=AUTH,
    )
    assert response.status_code == 400
    assert "USING" in response.json["message"]


def test_provenance_graph_cannot_be_written(client: FlaskClient, store: Store) -> None:
    assert update(client, INSERT_CARLA).status_code == 204
    before = quads(store)
    for text in (
        f"DROP GRAPH <{PROVENANCE_GRAPH}>",
        "DROP ALL",
        f"INSERT DATA {{ GRAPH <{PROVENANCE_GRAPH}> {{ <{EX}a> <{EX}b> 'forged' }} }}",
    ):
        response = update(client, text)
        assert response.status_code == 403  # as the Graph Store answers
        assert "kept by the service" in response.json["message"]
    put = client.put(
        f"/store?graph={quote(PROVENANCE_GRAPH)}",
        data=b"",
        content_type="text/turtle",
        headers=AUTH,
    )
    assert put.status_code == 403
    assert quads(store) == before


@pytest.mark.parametrize(
    "graph",
    [
        "https://w3id.org/stadtgraph/graph/ontology/stadtgraph",
        "https://w3id.org/stadtgraph/graph/shapes/involvement",
    ],
)
def test_the_ontology_and_the_shapes_cannot_be_written_over_http(
    client: FlaskClient, store: Store, graph: str
) -> None:
    # A token that could drop the shapes could switch the gate off for every later write.
    store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <{EX}rule> <{EX}says> 'x' }} }}")
    before = quads(store)
    for text in (
        f"DROP GRAPH <{graph}>",
        f"CLEAR GRAPH <{graph}>",
        f"INSERT DATA {{ GRAPH <{graph}> {{ <{EX}a> <{EX}b> 'c' }} }}",
    ):
        response = update(client, text)
        assert response.status_code == 403, text
        assert "stadtgraph load" in response.json["message"]
    url = f"/store?graph={quote(graph)}"
    for method in ("PUT", "POST", "DELETE"):
        response = client.open(
            url, method=method, data=NEW_TURTLE, content_type="text/turtle", headers=AUTH
        )
        assert response.status_code == 403, method
    assert quads(store) == before
    assert client.get(url, headers=AUTH).status_code == 200  # reading it is fine


def test_update_never_contacts_another_host(client: FlaskClient, store: Store) -> None:
    before = quads(store)
    with ConnectionRecorder() as recorder:
        for text in (
            f"LOAD <{recorder.url}data.ttl> INTO GRAPH <{NEW}>",
            f"INSERT {{ GRAPH <{NEW}> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{recorder.url}> "
            "{ ?s ?p ?o } }",
            # `<` as less-than, which read as an IRI would hide the SERVICE up to `#>`
            f"PREFIX : <{recorder.url}> INSERT {{ GRAPH <{NEW}> {{ ?s ?p ?o }} }} WHERE {{ "
            "GRAPH ?g { FILTER(1<2)SERVICE:x#>\n{ ?s ?p ?o } } }",
        ):
            assert update(client, text).status_code == 403
        assert recorder.connections == 0
    assert quads(store) == before


def test_no_op_update_changes_nothing_and_records_nothing(
    client: FlaskClient, store: Store
) -> None:
    before = quads(store)
    assert (
        update(client, f"DELETE DATA {{ GRAPH <{PEOPLE}> {{ <{EX}x> <{EX}y> 'z' }} }}").status_code
        == 204
    )
    assert quads(store) == before


def test_body_above_the_write_limit_is_413(store: Store) -> None:
    app = endpoint_app(store, WRITE_TOKENS=TOKEN, MAX_WRITE_BYTES=100)
    try:
        response = update(app.test_client(), INSERT_CARLA + " #" + "x" * 200)
        assert response.status_code == 413
    finally:
        close_app(app)


# -- Graph Store HTTP Protocol --------------------------------------------------------------

NEW_TURTLE = f"""@prefix ex: <{EX}> .
ex:eva a ex:Person ; ex:name "Eva" ; ex:memberOf ex:office .
""".encode()


def test_gsp_put_creates_then_replaces_a_graph(client: FlaskClient) -> None:
    url = f"/store?graph={quote(NEW)}"
    assert (
        client.put(url, data=NEW_TURTLE, content_type="text/turtle", headers=AUTH).status_code
        == 201
    )
    assert "Eva" in names(client)
    replacement = f'<{EX}fritz> a <{EX}Person> ; <{EX}name> "Fritz" .'.encode()
    assert (
        client.put(url, data=replacement, content_type="text/turtle", headers=AUTH).status_code
        == 204
    )
    assert "Eva" not in names(client)
    assert "Fritz" in names(client)


def test_gsp_get_and_head(client: FlaskClient) -> None:
    url = f"/store?graph={quote(ORGS)}"
    response = client.get(url, headers={**AUTH, "Accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.mimetype == "application/n-triples"
    assert len(rdf_graph(response.data, "application/n-triples")) == 3
    head = client.head(url, headers=AUTH)
    assert head.status_code == 200 and head.data == b""
    assert client.get(f"/store?graph={quote(NEW)}", headers=AUTH).status_code == 404


def test_gsp_default_graph_reads_the_union_and_refuses_writes(client: FlaskClient) -> None:
    response = client.get("/store?default", headers={**AUTH, "Accept": "text/turtle"})
    assert response.status_code == 200
    assert len(rdf_graph(response.data, "text/turtle")) == 9
    put = client.put("/store?default", data=NEW_TURTLE, content_type="text/turtle", headers=AUTH)
    assert put.status_code == 405
    assert "GET" in put.headers["Allow"]


def test_gsp_post_adds_to_a_graph(client: FlaskClient) -> None:
    url = f"/store?graph={quote(PEOPLE)}"
    response = client.post(url, data=NEW_TURTLE, content_type="text/turtle", headers=AUTH)
    assert response.status_code == 204
    assert names(client) == ["Anna Muster", "Ben Beispiel", "Eva"]


def test_gsp_delete_drops_a_graph(client: FlaskClient) -> None:
    client.put(
        f"/store?graph={quote(NEW)}", data=NEW_TURTLE, content_type="text/turtle", headers=AUTH
    )
    assert client.delete(f"/store?graph={quote(NEW)}", headers=AUTH).status_code == 204
    assert client.get(f"/store?graph={quote(NEW)}", headers=AUTH).status_code == 404
    assert client.delete(f"/store?graph={quote(NEW)}", headers=AUTH).status_code == 404


def test_gsp_delete_that_breaks_references_is_422(client: FlaskClient, store: Store) -> None:
    before = quads(store)
    response = client.delete(f"/store?graph={quote(ORGS)}", headers=AUTH)
    assert response.status_code == 422
    assert quads(store) == before


def test_gsp_invalid_put_is_422_and_store_unchanged(client: FlaskClient, store: Store) -> None:
    before = quads(store)
    data = f"<{EX}nameless> a <{EX}Person> .".encode()
    response = client.put(
        f"/store?graph={quote(PEOPLE)}", data=data, content_type="text/turtle", headers=AUTH
    )
    assert response.status_code == 422
    assert quads(store) == before


@pytest.mark.parametrize(
    ("query", "body", "content_type", "status", "message"),
    [
        ("", NEW_TURTLE, "text/turtle", 400, "exactly one graph"),
        (f"graph={quote(NEW)}&default", NEW_TURTLE, "text/turtle", 400, "exactly one graph"),
        ("graph=not-an-iri", NEW_TURTLE, "text/turtle", 400, "absolute IRI"),
        (f"graph={quote(NEW)}", b"<a> <b> .", "text/turtle", 400, "1:"),
        (f"graph={quote(NEW)}", NEW_TURTLE, "text/plain", 415, "text/turtle"),
        (
            f"graph={quote(NEW)}",
            f"<{EX}a> <{EX}b> <{EX}c> <{ORGS}> .".encode(),
            "application/n-quads",
            400,
            "other graphs",
        ),
    ],
)
def test_gsp_bad_requests(
    client: FlaskClient,
    store: Store,
    query: str,
    body: bytes,
    content_type: str,
    status: int,
    message: str,
) -> None:
    before = quads(store)
    response = client.put(f"/store?{query}", data=body, content_type=content_type, headers=AUTH)
    assert response.status_code == status
    assert message in response.json["message"]
    assert quads(store) == before


def test_gsp_post_to_the_store_itself_makes_a_new_graph(client: FlaskClient, store: Store) -> None:
    """GSP §5.5: the server names the new graph and answers 201 with its IRI in Location."""
    response = client.post("/store", data=NEW_TURTLE, content_type="text/turtle", headers=AUTH)
    assert response.status_code == 201
    graph = response.headers["Location"]
    assert graph.startswith("https://w3id.org/stadtgraph/graph/posted/")
    assert graph in store.graphs()
    assert "Eva" in names(client)
    read = client.get(f"/store?graph={quote(graph)}", headers={**AUTH, "Accept": "text/turtle"})
    assert read.status_code == 200 and b"Eva" in read.data
    again = client.post("/store", data=NEW_TURTLE, content_type="text/turtle", headers=AUTH)
    assert again.status_code == 201 and again.headers["Location"] != graph
    before = quads(store)
    nameless = f"<{EX}nameless> a <{EX}Person> .".encode()
    refused = client.post("/store", data=nameless, content_type="text/turtle", headers=AUTH)
    assert refused.status_code == 422
    empty = client.post("/store", data=b"", content_type="text/turtle", headers=AUTH)
    assert empty.status_code == 400 and "no triples" in empty.json["message"]
    assert "Location" not in empty.headers
    assert quads(store) == before


def test_gsp_reads_refuse_rdf_xml_that_xml_cannot_write(client: FlaskClient) -> None:
    odd = (
        f"<{EX}eva> <{EX}p/> 'x' ; a <{EX}Person> ; <{EX}name> 'Eva' ; "
        f"<{EX}memberOf> <{EX}office> ."
    )
    put = client.put(
        f"/store?graph={quote(NEW)}", data=odd, content_type="text/turtle", headers=AUTH
    )
    assert put.status_code == 201
    read = client.get(
        f"/store?graph={quote(NEW)}", headers={**AUTH, "Accept": "application/rdf+xml"}
    )
    assert read.status_code == 406 and f"{EX}p/" in read.json["message"]
    people = client.get(
        f"/store?graph={quote(PEOPLE)}", headers={**AUTH, "Accept": "application/rdf+xml"}
    )
    assert people.status_code == 200 and len(rdf_graph(people.data, "application/rdf+xml")) > 0


def test_gsp_put_accepts_other_rdf_formats(client: FlaskClient) -> None:
    data = json.dumps({"@id": f"{EX}gil", "@type": f"{EX}Person", f"{EX}name": "Gil"}).encode()
    response = client.put(
        f"/store?graph={quote(NEW)}", data=data, content_type="application/ld+json", headers=AUTH
    )
    assert response.status_code == 201
    assert "Gil" in names(client)


# -- provenance -----------------------------------------------------------------------------


def test_each_write_is_recorded_with_prov(client: FlaskClient, store: Store) -> None:
    assert update(client, INSERT_CARLA).status_code == 204
    assert (
        client.put(
            f"/store?graph={quote(NEW)}", data=NEW_TURTLE, content_type="text/turtle", headers=AUTH
        ).status_code
        == 201
    )
    response = client.get(
        f"/store?graph={quote(PROVENANCE_GRAPH)}",
        headers={**AUTH, "Accept": "application/n-triples"},
    )
    record = rdf_graph(response.data, "application/n-triples")
    activities = set(record.subjects(None, PROV.Activity))
    assert len(activities) == 2
    agent = URIRef(f"https://w3id.org/stadtgraph/agent/write-token/{token_fingerprint(TOKEN)}")
    # The record is public: it names the token by a slow hash, not by a quick one that a
    # guess could be checked against offline.
    quick = hashlib.sha256(TOKEN.encode()).hexdigest()
    assert quick[:16] not in response.get_data(as_text=True)
    assert TOKEN not in response.get_data(as_text=True)
    for activity in activities:
        assert (activity, PROV.wasAssociatedWith, agent) in record
        assert record.value(activity, PROV.startedAtTime) is not None
        assert record.value(activity, PROV.endedAtTime) is not None
    versions = {
        record.value(v, PROV.specializationOf) for v in record.subjects(PROV.wasGeneratedBy)
    }
    assert versions == {URIRef(PEOPLE), URIRef(NEW)}
    labels = {
        str(label)
        for a in activities
        for label in record.objects(a, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
        if label.language == "en"  # type: ignore[attr-defined]
    }
    assert labels == {"Write: SPARQL Update", "Write: Graph Store PUT"}
    sources = set(record.objects(None, URIRef("http://purl.org/dc/terms/source")))
    assert sources == {URIRef("http://localhost/update"), URIRef("http://localhost/store")}
    assert TOKEN.encode() not in b"".join(quads(store))
    # The record passes the project's own shapes, like everything else in the dumps.
    report = Gate().validate(record)
    assert report.conforms, report.to_text()


def test_refused_writes_leave_no_record(client: FlaskClient, store: Store) -> None:
    text = f"PREFIX ex: <{EX}> INSERT DATA {{ GRAPH <{PEOPLE}> {{ ex:dora a ex:Person }} }}"
    assert update(client, text).status_code == 422
    assert PROVENANCE_GRAPH not in store.graphs()


# -- the project's own gate -----------------------------------------------------------------


PLAIN_THING = f"""@prefix schema: <https://schema.org/> .
<{EX}eva> a schema:Thing ; schema:name "Eva" .
"""


def test_accepted_write_through_the_project_shapes(store: Store) -> None:
    """Without a gate handed in, the project's shapes are used; none targets schema:Thing."""
    app = endpoint_app(store, WRITE_TOKENS=TOKEN)
    try:
        client = app.test_client()
        response = client.put(
            f"/store?graph={quote(NEW)}", data=PLAIN_THING, content_type="text/turtle", headers=AUTH
        )
        assert response.status_code == 201, response.json
        assert isinstance(app.extensions[GATE], Gate)
    finally:
        close_app(app)


def test_the_project_gate_refuses_terms_the_ontology_does_not_know(store: Store) -> None:
    # No shape targets a misspelt class, so the write went through and got a page; nor an
    # untyped resource. The ontology closes the vocabulary: its own and the standard ones.
    sg = "https://w3id.org/stadtgraph/ontology#"
    app = endpoint_app(store, WRITE_TOKENS=TOKEN)
    before = quads(store)
    try:
        client = app.test_client()
        cases = {
            f"<{EX}inv> a <{sg}Involvment> .": f"The class <{sg}Involvment> is not declared",
            f"<{EX}eva> a <https://schema.org/Thing> ; <{sg}hasRole> <{EX}r> .": (
                f"The property <{sg}hasRole> is not declared"
            ),
            f"<{EX}eva> <{EX}partnerOf> <{EX}kvv> .": f"The property <{EX}partnerOf>",
            "<https://w3id.org/stadtgraph/id/test/stadtwerke> "
            '<http://www.w3.org/2000/01/rdf-schema#label> "Stadtwerke" .': (
                "The resource has no type"
            ),
        }
        for turtle, message in cases.items():
            response = client.put(
                f"/store?graph={quote(NEW)}",
                data=turtle,
                content_type="text/turtle",
                headers={**AUTH, "Accept": "text/plain"},
            )
            assert response.status_code == 422, turtle
            assert message in response.get_data(as_text=True), response.get_data(as_text=True)
        assert quads(store) == before
    finally:
        close_app(app)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"PREFIX ex: <{EX}> INSERT DATA {{ GRAPH ex:g {{ ex:a ex:b 1 }} }}", {f"{EX}g"}),
        (f"WITH <{PEOPLE}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}", {PEOPLE}),
        (f"COPY <{PEOPLE}> TO <{ORGS}>", {PEOPLE, ORGS}),
        (f"PREFIX : <{EX}> INSERT DATA {{ GRAPH:g {{ :a :b 1 }} }}", {f"{EX}g"}),
        ("DELETE WHERE { GRAPH ?g { ?s ?p ?o } }", None),
        ("CLEAR ALL", None),
        ("DROP NAMED", None),
        (f"ADD DEFAULT TO <{PEOPLE}>", None),
        (f"BASE <{EX}> INSERT DATA {{ GRAPH <g> {{ <a> <b> 1 }} }}", None),
        (f"INSERT DATA {{ GRAPH <{PEOPLE}> {{ <{EX}a> <{EX}b> 'GRAPH ?g ALL' }} }}", {PEOPLE}),
    ],
)
def test_graphs_an_update_names(text: str, expected: set[str] | None) -> None:
    named = graphs_named_in_update(text)
    if expected is None:
        assert named is None
    else:
        assert named is not None and expected <= named


_G = "GRAPH <http://example.org/g>"
_INSERT = f"INSERT {{ {_G} {{ ?s ?p 1 }} }} WHERE"


@pytest.mark.parametrize(
    ("text", "reads"),
    [
        ("DELETE WHERE { <http://e/s> <http://e/p> ?l }", True),
        ("DROP DEFAULT", True),
        (f"DELETE {{ {_G} {{ ?s ?p ?c }} }} WHERE {{ ?s ?p ?c }}", True),
        (
            f"INSERT {{ {_G} {{ ?s ?p ?c }} }} WHERE {{ {{ SELECT ?s WHERE {{ ?s ?p ?o }} }} }}",
            True,
        ),
        (
            f"{_INSERT} {{ {_G} {{ ?s ?p ?o }} FILTER EXISTS {{ ?s ?q ?x }} }}",
            True,
        ),
        (f"{_INSERT} {{ [ ?p ?s ] }}", True),
        (
            f"{_INSERT} {{ {_G} {{ ?s ?p ?o }} }} ; DELETE WHERE {{ ?a ?b ?c }}",
            True,
        ),
        (f"INSERT DATA {{ {_G} {{ <http://e/s> <http://e/p> 'o' }} }}", False),
        (f"DELETE WHERE {{ {_G} {{ ?s ?p ?o }} }}", False),
        (
            "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?o != 'x') }",
            False,
        ),
        (
            f"DELETE {{ {_G} {{ ?s ?p ?o }} }} "
            f"WHERE {{ {_G} {{ ?s ?p ?o }} BIND(UCASE(?o) AS ?u) }}",
            False,
        ),
        ("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", False),
        ("DELETE { GRAPH <http://e/g> { ?s ?p ?o } } USING <http://e/g> WHERE { ?s ?p ?o }", False),
        (
            f"{_INSERT} {{ VALUES (?s ?o) {{ (<http://e/a> 1) (<http://e/b> UNDEF) }} "
            f"{_G} {{ ?s ?p ?o }} }}",
            False,
        ),
        (
            f"INSERT {{ {_G} {{ ?s ?p ?c }} }} WHERE {{ {{ SELECT ?s (COUNT(*) AS ?c) "
            "WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?s ORDER BY ?s LIMIT 3 } }",
            False,
        ),
        (
            f"{_INSERT} {{ {_G} {{ ?s ?p ?o }} MINUS {{ {_G} {{ ?s ?q ?x }} }} }}",
            False,
        ),
        (
            "PREFIX ex: <http://e/> "
            "INSERT { GRAPH ex:g { ?s ex:p 1 } } WHERE { GRAPH ex:g { ?s ex:p ?o } }",
            False,
        ),
        ("# DEFAULT in a comment\nDROP GRAPH <http://e/g>", False),
        ("CLEAR ALL", False),
        # USING NAMED alone leaves the default graph empty, and overrides WITH (Update §3.1.3)
        (
            "DELETE { GRAPH <http://e/g> { ?s ?p ?o } } USING NAMED <http://e/g> "
            "WHERE { ?s ?p ?o }",
            True,
        ),
        ("WITH <http://e/g> DELETE { ?s ?p ?o } USING NAMED <http://e/g> WHERE { ?s ?p ?o }", True),
        (
            "DELETE { GRAPH <http://e/g> { ?s ?p ?o } } USING <http://e/g> "
            "USING NAMED <http://e/h> WHERE { ?s ?p ?o }",
            False,
        ),
        # a function named by an IRI after FILTER is no pattern
        (
            f"{_INSERT} {{ GRAPH ?g {{ ?s ?p ?o }} "
            "FILTER <http://www.w3.org/2001/XMLSchema#boolean>(?o) }",
            False,
        ),
        (
            f"PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> {_INSERT} {{ GRAPH ?g {{ ?s ?p ?o }} "
            "FILTER xsd:boolean(?o) }",
            False,
        ),
    ],
)
def test_the_guard_sees_where_an_update_reads_the_default_graph(text: str, reads: bool) -> None:
    assert (reads_default_graph(text) is not None) == reads


def test_an_update_naming_its_graph_with_codepoint_escapes_keeps_the_graph_s_triples(
    client: FlaskClient, store: Store
) -> None:
    # The engine decodes `\u0070` in an IRI; the update is tried on a copy of the graphs it
    # names, and a graph it named only in escaped form was left out of that copy, so a blank
    # node insert rewrote the graph with nothing but the new triple.
    in_people = f"<{PEOPLE}> .".encode()
    before = {line for line in quads(store) if line.rstrip().endswith(in_people)}
    escaped = PEOPLE.replace("/graph/", "/\\u0067raph/")
    response = update(client, f"WITH <{escaped}> INSERT {{ _:n <{EX}p> 'z' }} WHERE {{}}")
    assert response.status_code == 204, response.get_data(as_text=True)
    after = {line for line in quads(store) if line.rstrip().endswith(in_people)}
    assert before < after and len(after) == len(before) + 1


def test_writes_through_two_processes_to_one_remote_store_wait_for_each_other() -> None:
    # `serve --workers 2` over a remote store: each worker has its own app. Checked against
    # the store as it was, two conflicting writes could each pass the gate; so a write holds
    # a lock that every process of this host writing to the store shares.
    with running_oxigraph() as remote:
        stores = [open_store(endpoint=remote + "/query") for _ in range(2)]
        stores[0].load(DATA / "dataset.trig", RdfFormat.TRIG, None)
        apps = [endpoint_app(store, WRITE_TOKENS=TOKEN) for store in stores]
        for app in apps:
            app.extensions[GATE] = Gate(shapes=[DATA / "shapes.ttl"], ontology=[])
        answers: list[TestResponse] = []
        second = threading.Thread(
            target=lambda: answers.append(update(apps[1].test_client(), INSERT_CARLA))
        )
        try:
            with apps[0].test_request_context(), _write_lock():
                second.start()
                second.join(0.5)
                assert second.is_alive() and not answers  # waits for the first process
            second.join(30)
            assert [answer.status_code for answer in answers] == [204]
        finally:
            for app in apps:
                close_app(app)
            for store in stores:
                store.close()


def test_a_quote_the_source_does_not_hold_is_refused(tmp_path: Path) -> None:
    # The curator's invented sentence was published on the inquiry page as the notes' words.
    from .graph_fixtures import kassel_store_loaded

    seed = ROOT.parent / "shared" / "seed" / "anfrage-digitalisierungsstrategie-kassel-2019.txt"
    (tmp_path / "source.txt").write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    store = kassel_store_loaded()
    app = endpoint_app(store, WRITE_TOKENS=TOKEN, SOURCE_TEXTS=str(tmp_path))
    stmt = "https://w3id.org/stadtgraph/id/kassel/statement/s23-alle-aemter-mit-arbeitsgruppen"
    graph = "https://w3id.org/stadtgraph/graph/data/kassel/statements"
    sg = "https://w3id.org/stadtgraph/ontology#"
    try:
        client = app.test_client()
        before = quads(store)
        invented = "Bis 2022 werde die ganze Stadt mit Glasfaser versorgt."
        response = update(
            client,
            f'INSERT DATA {{ GRAPH <{graph}> {{ <{stmt}> <{sg}quote> "{invented}"@de }} }}',
            Accept="text/plain",
            **{"Accept-Language": "en"},
        )
        assert response.status_code == 422
        body = response.get_data(as_text=True)
        assert "is not in any source (source.txt) word for word" in body and invented in body
        assert "path:    sg:quote" in body  # our terms by their prefix, as in the files
        assert quads(store) == before
        # a quote the source holds passes (the line break need not match)
        held = "Alle Ämter seien\\nmit Arbeitsgruppen beteiligt"
        text = (
            f"WITH <{graph}> DELETE {{ <{stmt}> <{sg}quote> ?old }} "
            f'INSERT {{ <{stmt}> <{sg}quote> "{held}"@de }} WHERE {{ <{stmt}> <{sg}quote> ?old }}'
        )
        accepted = update(client, text, Accept="text/plain")
        assert accepted.status_code == 204, accepted.get_data(as_text=True)
    finally:
        close_app(app)
        store.close()


def test_a_graph_written_back_with_if_match_is_refused_when_someone_changed_it(
    client: FlaskClient, store: Store
) -> None:
    # Two curators read the same graph; the second PUT must not undo the first one's change.
    url = f"/store?graph={quote(PEOPLE)}"
    read = client.get(url, headers={**AUTH, "Accept": "text/turtle"})
    tag = read.headers["ETag"]
    assert (
        client.get(url, headers={**AUTH, "Accept": "application/n-triples"}).headers["ETag"] == tag
    )  # the same content in another format has the same tag
    assert client.get(url, headers={**AUTH, "If-None-Match": tag}).status_code == 304
    first = client.post(
        url, data=NEW_TURTLE, content_type="text/turtle", headers={**AUTH, "If-Match": tag}
    )
    assert first.status_code == 204 and first.headers["ETag"] != tag
    before = quads(store)
    second = client.put(
        url, data=read.data, content_type="text/turtle", headers={**AUTH, "If-Match": tag}
    )
    assert second.status_code == 412
    assert (
        "changed since" in second.json["message"]
        and first.headers["ETag"] in (second.json["message"])
    )
    assert quads(store) == before
    again = client.put(
        url,
        data=read.data,
        content_type="text/turtle",
        headers={**AUTH, "If-Match": first.headers["ETag"]},
    )
    assert again.status_code == 204
    # create-only: If-None-Match: * on a graph that exists
    create = client.put(
        url, data=read.data, content_type="text/turtle", headers={**AUTH, "If-None-Match": "*"}
    )
    assert create.status_code == 412
    missing = f"/store?graph={quote(NEW)}"
    gone = client.delete(missing, headers={**AUTH, "If-Match": tag})
    assert gone.status_code == 412


def test_a_graph_read_as_turtle_has_prefixes_to_edit_it_with(client: FlaskClient) -> None:
    update(
        client,
        "INSERT DATA { GRAPH <http://example.org/graph/sg> { "
        "<https://w3id.org/stadtgraph/id/x> a <https://w3id.org/stadtgraph/ontology#Topic> } }",
    )
    url = f"/store?graph={quote('http://example.org/graph/sg')}"
    body = client.get(url, headers={**AUTH, "Accept": "text/turtle"}).get_data(as_text=True)
    assert "@prefix sg: <https://w3id.org/stadtgraph/ontology#> ." in body
    assert "sg:Topic" in body


def test_a_named_token_says_whose_write_it_was(make_endpoint_app: AppMaker, store: Store) -> None:
    secret = "0123456789abcdef0123456789abcdef"
    app = make_endpoint_app(WRITE_TOKENS=f"curator-anna:{secret},{TOKEN}")
    app.extensions[GATE] = Gate(shapes=[DATA / "shapes.ttl"], ontology=[])
    client = app.test_client()
    for sent in (secret, f"curator-anna:{secret}"):  # the secret; the whole entry still works
        response = client.post(
            "/update",
            data=INSERT_CARLA.encode(),
            content_type=UPDATE,
            headers={"Authorization": f"Bearer {sent}"},
        )
        assert response.status_code == 204, sent
    assert (
        client.post(
            "/update",
            data=b"",
            content_type=UPDATE,
            headers={"Authorization": "Bearer curator-anna"},
        ).status_code
        == 401
    )  # the name alone is no token
    record = client.get(
        f"/store?graph={quote(PROVENANCE_GRAPH)}",
        headers={**AUTH, "Accept": "application/n-triples"},
    ).get_data(as_text=True)
    writer = f"curator-anna-{token_fingerprint(secret)}"
    assert f"agent/write-token/{writer}>" in record and f'"write token {writer}"@en' in record
    assert secret not in record


def test_an_update_says_what_it_changed(client: FlaskClient) -> None:
    # A write that changed nothing, or went into a graph it made (a misspelt name), looked
    # like any other 204.
    first = update(client, INSERT_CARLA)
    assert first.status_code == 204
    added = int(first.headers["X-Stadtgraph-Triples-Added"])
    assert added > 0 and first.headers["X-Stadtgraph-Triples-Removed"] == "0"
    assert "X-Stadtgraph-Graphs-Created" not in first.headers
    again = update(client, INSERT_CARLA)
    assert again.status_code == 204
    assert (
        again.headers["X-Stadtgraph-Triples-Added"],
        again.headers["X-Stadtgraph-Triples-Removed"],
    ) == ("0", "0")
    typo = INSERT_CARLA.replace(PEOPLE, PEOPLE + "-typo")
    made = update(client, typo)
    assert made.status_code == 204
    assert made.headers["X-Stadtgraph-Graphs-Created"] == f"<{PEOPLE}-typo>"
