"""The SPARQL 1.1 Protocol at /sparql, section by section (https://www.w3.org/TR/sparql11-protocol/)."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import quote

import pytest
import rdflib
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Literal, Namespace, URIRef
from werkzeug.test import TestResponse

from service.rdf_output import FORMATS_BY_EXT, NotWritableAsXml, check_writable_as_xml
from service.rdf_output import serialize as serialize_rdf
from service.sparql_guard import RDFLIB_READS_AT_MOST
from service.store import RdfFormat, Store, open_store
from tests.endpoint_support import (
    DATA,
    EX,
    ORGS,
    PEOPLE,
    AppMaker,
    close_app,
    endpoint_app,
    rdf_graph,
)
from tests.servers import running_oxigraph

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
NAMES = f"PREFIX ex: <{EX}> SELECT ?name WHERE {{ ?person ex:name ?name }} ORDER BY ?name"
LABELS = f"PREFIX ex: <{EX}> SELECT ?o WHERE {{ ?s ?p ?o }} ORDER BY ?o"


@pytest.fixture
def store(endpoint_store: Store) -> Store:
    return endpoint_store


@pytest.fixture
def app(make_endpoint_app: AppMaker) -> Flask:
    return make_endpoint_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def values(response: TestResponse, variable: str) -> list[str]:
    """The values of one variable in a SPARQL JSON result, in order."""
    assert response.status_code == 200, response.get_data(as_text=True)
    data = json.loads(response.data)
    return [row[variable]["value"] for row in data["results"]["bindings"] if variable in row]


# -- 2.1.1 query via GET --------------------------------------------------------------------


def test_query_via_get(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": NAMES})
    assert response.mimetype == "application/sparql-results+json"
    assert values(response, "name") == ["Anna Muster", "Ben Beispiel"]


def test_ask_via_get(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": f"ASK {{ <{EX}anna> ?p ?o }}"})
    assert response.status_code == 200
    assert json.loads(response.data) == {"head": {}, "boolean": True}


def test_head_answers_like_get_without_a_body(client: FlaskClient) -> None:
    response = client.head("/sparql", query_string={"query": NAMES})
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    assert response.data == b""


# -- 2.1.2 query via URL-encoded POST -------------------------------------------------------


def test_query_via_urlencoded_post(client: FlaskClient) -> None:
    response = client.post("/sparql", data={"query": NAMES})
    assert values(response, "name") == ["Anna Muster", "Ben Beispiel"]


def test_urlencoded_post_takes_dataset_parameters_from_the_body(client: FlaskClient) -> None:
    response = client.post("/sparql", data={"query": LABELS, "default-graph-uri": ORGS})
    assert "Digitalbüro" in values(response, "o")
    assert "Anna Muster" not in values(response, "o")


# -- 2.1.3 query via POST directly ----------------------------------------------------------


def test_query_via_direct_post(client: FlaskClient) -> None:
    response = client.post("/sparql", data=NAMES.encode(), content_type="application/sparql-query")
    assert values(response, "name") == ["Anna Muster", "Ben Beispiel"]


def test_direct_post_with_charset_and_dataset_in_the_url(client: FlaskClient) -> None:
    response = client.post(
        f"/sparql?default-graph-uri={quote(PEOPLE)}",
        data=LABELS.encode(),
        content_type="application/sparql-query; charset=UTF-8",
    )
    assert "Anna Muster" in values(response, "o")
    assert "Digitalbüro" not in values(response, "o")


# -- 2.1.4 specifying an RDF dataset --------------------------------------------------------


def test_without_a_dataset_the_default_graph_is_the_union(client: FlaskClient) -> None:
    found = values(client.get("/sparql", query_string={"query": LABELS}), "o")
    assert "Anna Muster" in found
    assert "Digitalbüro" in found


def test_union_default_graph_can_be_switched_off(store: Store) -> None:
    app = endpoint_app(store, UNION_DEFAULT_GRAPH=False)
    try:
        client = app.test_client()
        assert values(client.get("/sparql", query_string={"query": LABELS}), "o") == []
        in_graphs = "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
        assert "Anna Muster" in values(
            client.get("/sparql", query_string={"query": in_graphs}), "o"
        )
    finally:
        close_app(app)


def test_default_graph_uri_restricts_the_default_graph(client: FlaskClient) -> None:
    found = values(
        client.get("/sparql", query_string={"query": LABELS, "default-graph-uri": ORGS}), "o"
    )
    assert sorted(found) == ["Digital office", "Digitalbüro", f"{EX}Organisation"]


def test_named_graph_uri_restricts_the_named_graphs(client: FlaskClient) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = client.get("/sparql", query_string={"query": query, "named-graph-uri": PEOPLE})
    assert values(response, "g") == [PEOPLE]


def test_named_graphs_alone_leave_the_default_graph_empty(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": LABELS, "named-graph-uri": PEOPLE})
    assert values(response, "o") == []


def test_several_default_graph_uris_are_merged(client: FlaskClient) -> None:
    response = client.get(
        f"/sparql?query={quote(LABELS)}&default-graph-uri={quote(PEOPLE)}"
        f"&default-graph-uri={quote(ORGS)}"
    )
    found = values(response, "o")
    assert "Anna Muster" in found
    assert "Digitalbüro" in found


def test_from_in_the_query_defines_the_dataset(client: FlaskClient) -> None:
    query = f"SELECT ?o FROM <{ORGS}> WHERE {{ ?s ?p ?o }} ORDER BY ?o"
    assert "Anna Muster" not in values(client.get("/sparql", query_string={"query": query}), "o")
    named = f"SELECT DISTINCT ?g FROM NAMED <{PEOPLE}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert values(client.get("/sparql", query_string={"query": named}), "g") == [PEOPLE]


def test_protocol_dataset_overrides_from(client: FlaskClient) -> None:
    query = f"SELECT ?o FROM <{ORGS}> WHERE {{ ?s ?p ?o }}"
    found = values(
        client.get("/sparql", query_string={"query": query, "default-graph-uri": PEOPLE}), "o"
    )
    assert "Anna Muster" in found
    assert "Digitalbüro" not in found


def test_a_graph_the_store_does_not_hold_is_refused(client: FlaskClient) -> None:
    response = client.get(
        "/sparql",
        query_string={"query": LABELS, "default-graph-uri": "http://example.org/graph/missing"},
    )
    assert response.status_code == 400
    assert "not in this store" in response.json["message"]


# -- 2.1.5 / 2.1.6 responses and content negotiation ----------------------------------------

SELECT_ONE = f"SELECT ?name WHERE {{ <{EX}anna> <{EX}name> ?name }}"
CONSTRUCT_ONE = f"CONSTRUCT WHERE {{ <{EX}anna> <{EX}name> ?name }}"


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.2, text/tab-separated-values;q=0.8", "text/tab-separated-values"),
        ("application/sparql-results+xml;q=0.5, text/csv", "text/csv"),
        (
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "application/sparql-results+json",
        ),
    ],
)
def test_select_content_negotiation(
    client: FlaskClient, accept: str | None, media_type: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", query_string={"query": SELECT_ONE}, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Anna Muster" in response.get_data(as_text=True)
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
        ("text/turtle", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/ld+json", "application/ld+json"),
        ("application/json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/n-quads", "application/n-quads"),
        ("text/turtle;q=0.1, application/rdf+xml;q=0.9", "application/rdf+xml"),
        ("application/n-quads;q=0.5, */*", "text/turtle"),
    ],
)
def test_construct_content_negotiation(
    client: FlaskClient, accept: str | None, media_type: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", query_string={"query": CONSTRUCT_ONE}, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == media_type
    parsed = rdf_graph(response.data, media_type)
    assert (URIRef(f"{EX}anna"), URIRef(f"{EX}name"), None) in parsed


def test_describe_answers_rdf(client: FlaskClient) -> None:
    response = client.get(
        "/sparql",
        query_string={"query": f"DESCRIBE <{EX}office>"},
        headers={"Accept": "application/n-triples"},
    )
    assert response.mimetype == "application/n-triples"
    assert b"Digitalb" in response.data


def test_csv_result_reads_as_csv(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": NAMES}, headers={"Accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows == [["name"], ["Anna Muster"], ["Ben Beispiel"]]


def test_format_parameter_overrides_accept(client: FlaskClient) -> None:
    response = client.get(
        "/sparql",
        query_string={"query": NAMES, "format": "tsv"},
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert response.mimetype == "text/tab-separated-values"


def test_an_error_is_json_for_a_client_that_takes_anything(client: FlaskClient) -> None:
    """curl sends */*: a page of HTML would bury the message; a browser names text/html."""
    for accept in ("*/*", None):
        headers = {"Accept": accept} if accept else {}
        response = client.get("/sparql", query_string={"query": "SELEC"}, headers=headers)
        assert response.status_code == 400
        assert response.mimetype == "application/json"
        assert "line 1" in response.get_json()["message"]
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", query_string={"query": "SELEC"}, headers={"Accept": browser})
    assert response.status_code == 400
    assert response.mimetype == "text/html"


@pytest.mark.parametrize(
    "predicate",
    [
        "http://ex.org/p/",
        "http://ex.org/123",
        "urn:isbn:1",
        "http://ex.org/a\u00b2",  # ² is no XML name character
        "http://ex.org/x\u203fy",  # XML 1.0 5th edition allows ‿, expat (rdflib's parser) not
    ],
)
def test_a_graph_rdf_xml_cannot_name_is_refused_not_sent_broken(
    client: FlaskClient, predicate: str
) -> None:
    """pyoxigraph wrote such predicates as XML that is not well-formed, with 200."""
    query = f'CONSTRUCT {{ <http://ex.org/s> <{predicate}> "x" }} WHERE {{}}'
    response = client.get("/sparql", query_string={"query": query}, headers=RDF_XML_ACCEPT)
    assert response.status_code == 406
    message = response.get_json()["message"]
    assert predicate in message or "outside the older XML rules" in message
    turtle = client.get("/sparql", query_string={"query": query, "format": "ttl"})
    assert turtle.status_code == 200 and predicate in turtle.get_data(as_text=True)
    fine = query.replace(predicate, "http://ex.org/p/name-1.x")
    written = client.get("/sparql", query_string={"query": fine}, headers=RDF_XML_ACCEPT)
    assert written.status_code == 200
    assert len(rdflib.Graph().parse(data=written.data, format="xml")) == 1


def test_the_rdf_xml_check_matches_what_xml_allows() -> None:
    check_writable_as_xml(
        ["http://ex.org/a#b", "http://ex.org/_1", "http://ex.org/ä1", "http://ex.org/ab\u0300"]
    )
    unwritable_names = (
        "http://ex.org/p/",
        "http://ex.org/1",
        "urn:isbn:1",
        "http://ex.org/a#",
        "http://ex.org/a\u00b2",
        "http://ex.org/x\u00bd",
    )
    for unwritable in unwritable_names:
        with pytest.raises(NotWritableAsXml):
            check_writable_as_xml([unwritable])
    graph = [(URIRef("http://ex.org/s"), URIRef("http://ex.org/p/"), Literal("x"))]
    with pytest.raises(NotWritableAsXml):
        serialize_rdf(graph, FORMATS_BY_EXT["rdf"], {})


RDF_XML_ACCEPT = {"Accept": "application/rdf+xml"}


def test_406_lists_the_offered_formats(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": NAMES}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    message = response.json["message"]
    assert "image/png" in message
    assert "application/sparql-results+json" in message and "text/csv" in message


def test_406_for_a_graph_format_on_a_select(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": NAMES}, headers={"Accept": "text/turtle"}
    )
    assert response.status_code == 406
    assert client.get("/sparql", query_string={"query": NAMES, "format": "ttl"}).status_code == 406


def test_unknown_format_parameter_is_a_400(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": NAMES, "format": "excel"})
    assert response.status_code == 400
    assert "known formats" in response.json["message"]


# -- 2.1.x errors: malformed requests -------------------------------------------------------


def test_syntax_error_names_line_and_column(client: FlaskClient) -> None:
    query = "SELECT ?s\nWHERE {\n  ?s ?p ?o .\n  FILTER( }\n"
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400
    assert "line 4, column" in response.json["message"]


def test_a_long_query_s_syntax_error_is_placed_by_the_engine_alone(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # rdflib re-reads a refused query to place its error, at a cost that grows with the text
    # and one request at a time: a long text keeps the engine's own line and column.
    import rdflib.plugins.sparql.parser as rdflib_parser

    def too_slow(text: str) -> None:
        raise AssertionError("rdflib read a long query")

    monkeypatch.setattr(rdflib_parser, "parseQuery", too_slow)
    filler = "+".join(["1"] * (RDFLIB_READS_AT_MOST // 2))
    query = f"SELECT * WHERE {{\n  FILTER({filler} ?x ?x)\n}}"
    response = client.post("/sparql", data=query, content_type="application/sparql-query")
    assert response.status_code == 400
    assert re.search(r"line 2, column \d+", response.json["message"]), response.json


def test_an_undeclared_prefix_is_named_where_it_is_used(client: FlaskClient) -> None:
    """The engine listed character classes ("expected one of Prefix not found, ['%'], …")."""
    query = "PREFIX ex: <http://e/>\nSELECT * WHERE {\n  ?s ex:a ?o . ?o foo:bar 1 }"
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400
    message = response.json["message"]
    assert "line 3, column 19" in message and "foo: of foo:bar is not declared" in message
    assert "['%']" not in message


@pytest.mark.parametrize(
    ("query", "where"),
    [
        # in a predicate or a subject the engine said "expected OPTIONAL"
        ("SELECT * WHERE { ?s y:q ?o }", "line 1, column 21: the prefix y: of y:q"),
        ("SELECT * WHERE {\n  y:s ?p ?o }", "line 2, column 3: the prefix y: of y:s"),
    ],
)
def test_an_undeclared_prefix_is_named_wherever_it_stands(
    client: FlaskClient, query: str, where: str
) -> None:
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400
    assert where in response.json["message"], response.json["message"]
    assert "OPTIONAL" not in response.json["message"]


def test_text_that_is_no_query_is_a_400_with_position(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "PREFIX ex: <http://x/>\nHELLO"})
    assert response.status_code == 400
    assert "line 2, column 1" in response.json["message"]


def test_two_query_parameters_are_a_400(client: FlaskClient) -> None:
    response = client.get(f"/sparql?query={quote(NAMES)}&query={quote(NAMES)}")
    assert response.status_code == 400
    assert "2 `query` parameters" in response.json["message"]


def test_query_in_url_and_form_body_counts_twice(client: FlaskClient) -> None:
    response = client.post(f"/sparql?query={quote(NAMES)}", data={"query": NAMES})
    assert response.status_code == 400


def test_direct_post_with_a_query_parameter_too_is_a_400(client: FlaskClient) -> None:
    response = client.post(
        f"/sparql?query={quote(NAMES)}",
        data=NAMES.encode(),
        content_type="application/sparql-query",
    )
    assert response.status_code == 400


def test_post_without_media_type_is_a_400(client: FlaskClient) -> None:
    response = client.post("/sparql", data=NAMES.encode())
    assert response.status_code == 400
    assert "no Content-Type" in response.json["message"]


def test_post_with_a_wrong_media_type_is_a_400(client: FlaskClient) -> None:
    response = client.post("/sparql", data=NAMES.encode(), content_type="text/plain")
    assert response.status_code == 400
    assert "application/sparql-query" in response.json["message"]


def test_post_form_without_query_is_a_400(client: FlaskClient) -> None:
    assert client.post("/sparql", data={"format": "json"}).status_code == 400


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.get("/sparql?query=SELECT%20%3Fs%20%7B%7D%20%23%FF"),
        lambda c: c.post(
            "/sparql", data=b"SELECT ?s {} #\xff\xfe", content_type="application/sparql-query"
        ),
        lambda c: c.post(
            "/sparql",
            data=b"query=SELECT%20*%20%7B%7D%20%23%C3%28",
            content_type="application/x-www-form-urlencoded",
        ),
        lambda c: c.post(
            "/sparql",
            data=b"SELECT ?s {}",
            content_type="application/sparql-query; charset=latin-1",
        ),
    ],
    ids=["get", "direct-post", "form-post", "declared-latin-1"],
)
def test_non_utf8_is_a_400(client: FlaskClient, send: object) -> None:
    response = send(client)  # type: ignore[operator]
    assert response.status_code == 400
    assert "UTF-8" in response.json["message"]


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_with_allow(client: FlaskClient, method: str) -> None:
    response = client.open("/sparql", method=method, query_string={"query": NAMES})
    assert response.status_code == 405
    allowed = {m.strip() for m in response.headers["Allow"].split(",")}
    assert {"GET", "POST"} <= allowed


def test_request_above_the_size_limit_is_413(store: Store) -> None:
    app = endpoint_app(store, MAX_REQUEST_BYTES=200)
    try:
        client = app.test_client()
        big = NAMES + " #" + "x" * 300
        assert (
            client.post(
                "/sparql", data=big.encode(), content_type="application/sparql-query"
            ).status_code
            == 413
        )
        assert client.post("/sparql", data={"query": big}).status_code == 413
        assert client.get("/sparql", query_string={"query": big}).status_code == 413
        assert client.get("/sparql", query_string={"query": NAMES}).status_code == 200
    finally:
        close_app(app)


# -- service description and the editor -----------------------------------------------------


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json", "*/*", None])
def test_service_description_for_machines(client: FlaskClient, accept: str | None) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", headers=headers)
    assert response.status_code == 200
    assert response.mimetype in {"text/turtle", "application/ld+json"}
    description = rdf_graph(response.data, response.mimetype)
    service = URIRef("http://localhost/sparql")
    assert (service, SD.endpoint, service) in description
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in description
    assert (service, SD.feature, SD.UnionDefaultGraph) in description
    formats = {str(f) for f in description.objects(service, SD.resultFormat)}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_CSV" in formats
    names = {str(n) for n in description.objects(None, SD.name)}
    assert names == {PEOPLE, ORGS}


def test_browsers_get_the_editor_with_the_named_queries(client: FlaskClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "<textarea" in page and 'name="query"' in page
    assert "frage-1" in page


def test_the_editor_can_start_from_a_named_query(client: FlaskClient) -> None:
    page = client.get("/sparql?named=frage-1", headers={"Accept": "text/html"}).get_data(
        as_text=True
    )
    assert "SELECT" in page or "CONSTRUCT" in page


# -- CORS -----------------------------------------------------------------------------------


def test_cors_is_open_for_reads(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": NAMES}, headers={"Origin": "https://elsewhere.example"}
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Stadtgraph-Truncated" in response.headers["Access-Control-Expose-Headers"]


def test_cors_preflight(client: FlaskClient) -> None:
    response = client.options(
        "/sparql",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]


def test_errors_are_readable_cross_origin(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": "SELECT"}, headers={"Origin": "https://elsewhere.example"}
    )
    assert response.status_code == 400
    assert response.headers["Access-Control-Allow-Origin"] == "*"


# -- the same protocol over a remote store --------------------------------------------------


@pytest.mark.slow
@pytest.mark.remote
def test_protocol_over_a_remote_store() -> None:
    """Queries reach a real `oxigraph serve` through the Store protocol; limits still apply."""
    with running_oxigraph() as base_url:
        remote = open_store(endpoint=f"{base_url}/query")
        remote.load(DATA / "dataset.trig", RdfFormat.TRIG, None)
        app = endpoint_app(remote, MAX_RESULTS=2, ENDPOINT=f"{base_url}/query")
        try:
            client = app.test_client()
            assert values(client.get("/sparql", query_string={"query": NAMES}), "name") == [
                "Anna Muster",
                "Ben Beispiel",
            ]
            everything = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }"})
            assert everything.headers["X-Stadtgraph-Truncated"] == "true"
            assert len(values(everything, "s")) == 2
            graph = client.get(
                "/sparql",
                query_string={"query": CONSTRUCT_ONE},
                headers={"Accept": "application/ld+json"},
            )
            assert (URIRef(f"{EX}anna"), URIRef(f"{EX}name"), None) in rdf_graph(
                graph.data, "application/ld+json"
            )
            restricted = client.get(
                "/sparql", query_string={"query": LABELS, "default-graph-uri": ORGS}
            )
            assert "Anna Muster" not in values(restricted, "o")
            broken = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p }"})
            assert broken.status_code == 400
            assert "line 1, column" in broken.json["message"]
        finally:
            close_app(app)
            remote.close()


def test_a_query_the_engine_cannot_evaluate_is_a_400_with_the_engine_s_reason(
    client: FlaskClient,
) -> None:
    # Not the store's 503 "try again": asking again cannot help.
    query = "SELECT * WHERE { ?s ?p ?o FILTER(<http://example.org/f>(?o)) } LIMIT 1"
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 400
    assert "Retry-After" not in response.headers
    assert "custom function <http://example.org/f> is not supported" in response.json["message"]
