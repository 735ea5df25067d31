"""The application factory, the error handler and the service-description endpoints."""

from __future__ import annotations

import socket
import time

import pytest
from flask import Flask, abort
from flask.testing import FlaskClient

from service import __version__
from service.app import create_app
from service.errors import StadtgraphError
from service.settings import SettingsError
from service.store import QuerySyntaxError, RdfFormat, Store, open_store

from .conftest import TEST_DATA
from .servers import free_port


def test_factory_applies_overrides(app: Flask) -> None:
    assert app.config["TESTING"] is True
    assert app.config["QUERY_TIMEOUT"] == 10.0
    assert create_app({"QUERY_TIMEOUT": "3", "STORE": ":memory:"}).config["QUERY_TIMEOUT"] == 3.0


def test_factory_refuses_a_bad_setting() -> None:
    with pytest.raises(SettingsError, match="STADTGRAPH_MAX_RESULTS"):
        create_app({"MAX_RESULTS": "many"})


def test_health_counts_triples(client: FlaskClient, memory_store: Store) -> None:
    assert client.get("/health").get_json()["triples"] == 0
    memory_store.load(TEST_DATA / "gate" / "people.ttl", RdfFormat.TURTLE, "urn:g:people")
    response = client.get("/health")
    assert response.get_json() == {
        "status": "ok",
        "store": type(memory_store).__name__,
        "triples": 1,
    }
    assert response.headers["Access-Control-Allow-Origin"] == "*"  # a status page may read it


def test_version(client: FlaskClient) -> None:
    body = client.get("/-/version").get_json()
    assert body["stadtgraph"] == __version__
    assert set(body["libraries"]) >= {"pyoxigraph", "rdflib", "pyshacl", "flask"}


def test_unknown_path_answers_json_or_html_by_accept(client: FlaskClient) -> None:
    as_json = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert as_json.status_code == 404
    assert as_json.get_json()["status"] == 404
    as_html = client.get("/no/such/page", headers={"Accept": "text/html"})
    assert as_html.status_code == 404
    assert as_html.mimetype == "text/html"
    assert "404" in as_html.get_data(as_text=True)


@pytest.mark.parametrize(
    ("language", "heading", "message"),
    [
        ("de", "404 Nicht gefunden", "Diese Seite gibt es nicht."),
        ("en", "404 Not Found", "There is no such page."),
    ],
)
def test_error_pages_speak_the_readers_language(
    client: FlaskClient, language: str, heading: str, message: str
) -> None:
    page = client.get("/no/such/page", headers={"Accept": "text/html", "Accept-Language": language})
    body = page.get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in body and message in body


def test_error_messages_for_pages_are_translated_and_json_keeps_english(
    client: FlaskClient,
) -> None:
    german = client.get("/page", headers={"Accept": "text/html", "Accept-Language": "de"})
    assert german.status_code == 400
    body = german.get_data(as_text=True)
    assert "<h1>400 Ungültige Anfrage</h1>" in body and "Der Parameter iri fehlt." in body
    machine = client.get("/page", headers={"Accept": "application/json", "Accept-Language": "de"})
    assert machine.get_json() == {
        "error": "Bad Request",
        "message": "The parameter iri is missing.",
        "status": 400,
    }
    tracker = client.get(
        "/inquiry?page=x", headers={"Accept": "text/html", "Accept-Language": "de"}
    )
    assert (
        "Der Parameter page muss eine ganze Zahl ab 1 sein, nicht &#39;x&#39;."
        in tracker.get_data(as_text=True)
    )
    query = client.get("/queries/nichts", headers={"Accept": "text/html", "Accept-Language": "de"})
    assert query.status_code == 404
    assert "Es gibt keine Abfrage namens &#39;nichts&#39;." in query.get_data(as_text=True)


def test_a_refused_method_is_explained_in_german(client: FlaskClient) -> None:
    page = client.delete("/inquiry", headers={"Accept": "text/html", "Accept-Language": "de"})
    assert page.status_code == 405
    body = page.get_data(as_text=True)
    assert "<h1>405 Methode nicht erlaubt</h1>" in body
    assert "Diese Adresse nimmt diese Art von Anfrage nicht an." in body


def test_a_specific_http_error_message_is_kept(app: Flask) -> None:
    @app.get("/gone")
    def gone() -> str:
        abort(404, "Diese Liste wurde zusammengelegt.")

    page = app.test_client().get("/gone", headers={"Accept": "text/html"})
    assert "Diese Liste wurde zusammengelegt." in page.get_data(as_text=True)


def test_an_explicit_title_is_kept(app: Flask) -> None:
    @app.get("/slow")
    def slow() -> str:
        raise StadtgraphError("stopped", 503, title="Query timeout")

    page = app.test_client().get("/slow", headers={"Accept": "text/html", "Accept-Language": "de"})
    assert "<h1>503 Query timeout</h1>" in page.get_data(as_text=True)


def test_our_error_keeps_status_and_escapes_message(app: Flask) -> None:
    @app.get("/boom")
    def boom() -> str:
        raise StadtgraphError("bad <script>alert(1)</script>", 422, headers={"X-Why": "test"})

    client = app.test_client()
    page = client.get("/boom", headers={"Accept": "text/html"})
    assert page.status_code == 422
    assert page.headers["X-Why"] == "test"
    assert "<script>alert" not in page.get_data(as_text=True)
    assert client.get("/boom", headers={"Accept": "application/json"}).get_json()["message"] == (
        "bad <script>alert(1)</script>"
    )


def test_a_bug_is_a_500_not_a_client_error(app: Flask) -> None:
    @app.get("/bug")
    def bug() -> str:
        raise RuntimeError("our fault")

    response = app.test_client().get("/bug", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert "our fault" not in response.get_data(as_text=True)


def test_method_not_allowed_lists_allowed_methods(client: FlaskClient) -> None:
    response = client.delete("/health")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_favicon_points_at_the_svg_icon(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/static/favicon.svg")
    with client.get("/static/favicon.svg") as icon:
        assert icon.status_code == 200


def test_health_says_when_the_store_does_not_answer() -> None:
    silent = f"http://127.0.0.1:{free_port()}/query"  # nothing listens there
    store = open_store(endpoint=silent)
    app = create_app({"TESTING": True, "ENDPOINT": silent}, store=store)
    response = app.test_client().get("/health", headers={"Accept": "application/json"})
    assert response.status_code == 503
    body = response.get_json()
    assert "The store is not reachable" in body["message"]
    assert silent not in response.get_data(as_text=True)  # the address is for the log only
    assert body["status"] == "unavailable" and body["store"] == "RemoteStore"  # as when ok
    assert response.headers["Retry-After"] == "10"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/inquiry",
        "/explorer",
        "/analytics",
        "/page/kassel/place/kassel",
        "/data/kassel/place/kassel.ttl",
        "/queries/frage-4",
        "/queries/frage-4.csv",
        "/ontology",
        "/dumps/",
        "/.well-known/void",
        "/catalog",
        "/api/search?q=Kassel",
        "/api/graph",
    ],
)
def test_every_page_says_when_the_store_does_not_answer(
    path: str, caplog: pytest.LogCaptureFixture
) -> None:
    silent = f"http://127.0.0.1:{free_port()}/query"  # nothing listens there
    store = open_store(endpoint=silent)
    app = create_app({"TESTING": False, "ENDPOINT": silent}, store=store)
    client = app.test_client()
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 503, path
    assert page.headers["Retry-After"] == "10"
    text = page.get_data(as_text=True)
    if page.mimetype == "text/html":
        assert "Der Datenspeicher antwortet gerade nicht" in text
    assert silent not in text  # the store's address stays in the log
    data = client.get(path, headers={"Accept": "application/json"})
    if data.mimetype == "application/json":
        assert data.status_code == 503
        assert data.get_json()["message"].startswith("The store is not answering right now")
    assert "Traceback" not in caplog.text
    assert any(silent in record.getMessage() for record in caplog.records)


def app_over_a_silent_server() -> Flask:
    """An app whose remote store (queries, updates, Graph Store) nothing answers for."""
    silent = f"http://127.0.0.1:{free_port()}"
    store = open_store(
        endpoint=silent + "/query",
        update_endpoint=silent + "/update",
        gsp_endpoint=silent + "/store",
    )
    config = {"TESTING": False, "ENDPOINT": silent + "/query", "WRITE_TOKENS": "geheim"}
    return create_app(config, store=store)


def test_a_read_of_the_graph_store_that_does_not_answer_gets_503_as_json() -> None:
    app = app_over_a_silent_server()
    response = app.test_client().get(
        "/store?graph=https://example.org/g", headers={"Authorization": "Bearer geheim"}
    )
    assert response.status_code == 503
    assert response.mimetype == "application/json"  # curl's */* on an API gets JSON
    assert response.get_json()["status"] == 503


def test_a_write_to_a_store_that_does_not_answer_gets_503_as_json() -> None:
    app = app_over_a_silent_server()
    client = app.test_client()
    token = {"Authorization": "Bearer geheim"}
    update = client.post(
        "/update",
        data="INSERT DATA { GRAPH <https://example.org/g> { <urn:a> <urn:b> <urn:c> } }",
        headers={**token, "Content-Type": "application/sparql-update"},
    )
    put = client.put(
        "/store?graph=https://example.org/g",
        data=b"<urn:a> <urn:b> <urn:c> .",
        headers={**token, "Content-Type": "application/n-triples"},
    )
    for response in (update, put):
        assert response.status_code == 503, response.get_data(as_text=True)
        assert response.mimetype == "application/json"


def test_a_query_of_ours_that_the_store_cannot_read_is_a_bug_not_an_outage(app: Flask) -> None:
    # QuerySyntaxError is a StoreError too; it must not pass for an unavailable store.
    @app.get("/bad-query")
    def bad_query() -> str:
        raise QuerySyntaxError("line 1, column 1: expected a query")

    response = app.test_client().get("/bad-query", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert "Retry-After" not in response.headers


def test_reconciliation_says_when_the_store_does_not_answer() -> None:
    queries = '{"q0": {"query": "Kassel"}}'
    response = (
        app_over_a_silent_server()
        .test_client()
        .get("/reconcile", query_string={"queries": queries})
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    assert response.get_json()["status"] == 503


def test_only_trusted_hosts_are_answered_when_they_are_set(
    memory_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STADTGRAPH_TRUSTED_HOSTS", "stadtgraph.example,localhost")
    app = create_app({"STORE": ":memory:"}, store=memory_store)
    client = app.test_client()
    refused = client.get("/.well-known/void", headers={"Host": "evil.example"})
    assert refused.status_code == 400
    assert "evil.example" in refused.get_data(as_text=True)
    assert client.get("/health", headers={"Host": "stadtgraph.example"}).status_code == 200
    monkeypatch.delenv("STADTGRAPH_TRUSTED_HOSTS")
    anyone = create_app({"STORE": ":memory:"}, store=memory_store).test_client()
    assert anyone.get("/health", headers={"Host": "evil.example"}).status_code == 200


def test_health_gives_up_on_a_store_that_never_answers_after_a_few_seconds() -> None:
    # A server that takes the connection and says nothing: /health must not hold a server
    # thread for the whole ENDPOINT_TIMEOUT (60 s here).
    listener = socket.create_server(("127.0.0.1", 0))
    try:
        silent = f"http://127.0.0.1:{listener.getsockname()[1]}/query"
        store = open_store(endpoint=silent, timeout=60)
        app = create_app({"TESTING": True, "ENDPOINT": silent, "ENDPOINT_TIMEOUT": 60}, store=store)
        started = time.monotonic()
        response = app.test_client().get("/health", headers={"Accept": "application/json"})
        assert response.status_code == 503
        assert time.monotonic() - started < 30
    finally:
        listener.close()
