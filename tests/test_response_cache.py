"""Reuse of finished responses: bounded, per store version, never across a write; ETags and
304; query results and entity pages; off for a store others may write to."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, Response
from flask.testing import FlaskClient

from service.errors import StadtgraphError
from service.gate import Gate
from service.project import ROOT
from service.response_cache import KeptResponse, ResponseCache, etag_for
from service.store import QuerySyntaxError, RdfFormat, Store
from service.store.remote import RemoteStore
from service.web.caching import CACHE, CACHE_HEADER, kept_or_made
from service.web.i18n import COOKIE
from service.web.replay import ReplayKept
from service.web.writes import GATE
from tests.endpoint_support import EX, PEOPLE, AppMaker, close_app

from .conftest import TEST_DATA
from .pages_support import ID, load_pages_fixture, pages_app

TOKEN = "cache-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
NAMES = f"SELECT ?n WHERE {{ ?p <{EX}name> ?n }} ORDER BY ?n"
JSON = "application/sparql-results+json"


def kept(body: bytes) -> KeptResponse:
    return KeptResponse(body, "text/plain", (), etag_for(body))


# -- the cache itself --------------------------------------------------------------------------


def test_an_answer_is_reused_only_for_its_store_version() -> None:
    cache = ResponseCache(10_000)
    cache.put("q", 1, kept(b"one"))
    hit = cache.get("q", 1)
    assert hit is not None and hit.body == b"one"
    assert cache.get("q", 2) is None  # the store moved on: everything kept is gone
    assert len(cache) == 0
    assert cache.hits == 1 and cache.misses == 1


def test_an_answer_computed_before_a_finished_write_is_not_kept() -> None:
    cache = ResponseCache(10_000)
    assert cache.get("other", 5) is None
    cache.put("q", 4, kept(b"old data"))
    assert cache.get("q", 4) is None and cache.get("q", 5) is None


def test_memory_is_bounded_and_the_least_recently_used_go_first() -> None:
    cache = ResponseCache(1_300, max_body_bytes=500)
    for name in "abc":
        cache.put(name, 1, kept(name.encode() * 100))  # 401 bytes counted each
    assert cache.get("a", 1) is not None  # a is now the most recently used
    cache.put("d", 1, kept(b"d" * 100))
    assert cache.get("b", 1) is None
    assert all(cache.get(name, 1) is not None for name in "acd")
    assert cache.size_bytes <= 1_300
    cache.put("huge", 1, kept(b"x" * 501))
    assert cache.get("huge", 1) is None


def test_long_query_texts_count_against_the_bound() -> None:
    cache = ResponseCache(10_000)
    cache.put(("sparql", "ASK {} # " + "x" * 20_000, (), None), 1, kept(b"true"))
    assert len(cache) == 0 and cache.size_bytes == 0
    for number in range(100):
        cache.put(("sparql", f"ASK {{}} # {number:03} " + "x" * 900), 1, kept(b"true"))
    assert cache.size_bytes <= 10_000 and 0 < len(cache) < 10


def test_nothing_is_kept_when_switched_off_or_without_a_version() -> None:
    off = ResponseCache(0)
    off.put("q", 1, kept(b"x"))
    assert off.get("q", 1) is None
    on = ResponseCache(10_000)
    on.put("q", None, kept(b"x"))
    assert on.get("q", None) is None and len(on) == 0


def test_a_remote_store_has_no_version() -> None:
    assert RemoteStore("http://127.0.0.1:9/query").version() is None


def test_every_write_through_the_embedded_store_counts(memory_store: Store) -> None:
    before = memory_store.version()
    memory_store.update(f"INSERT DATA {{ <{EX}a> <{EX}p> 1 }}")
    assert memory_store.version() == (before or 0) + 1
    with pytest.raises(QuerySyntaxError):  # (a failed write may have changed something)
        memory_store.update("INSERT DATA { nonsense")
    assert memory_store.version() == (before or 0) + 2


# -- the SPARQL endpoint -----------------------------------------------------------------------


@pytest.fixture
def store(endpoint_store: Store) -> Store:
    return endpoint_store


@pytest.fixture
def app(make_endpoint_app: AppMaker) -> Flask:
    """An app whose gate checks the endpoint fixture's shapes (with its ex: vocabulary)."""
    app = make_endpoint_app(WRITE_TOKENS=TOKEN)
    app.extensions[GATE] = Gate(shapes=[TEST_DATA / "endpoint" / "shapes.ttl"], ontology=[])
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def names(client: FlaskClient, **headers: str) -> tuple[list[str], str]:
    response = client.get("/sparql", query_string={"query": NAMES}, headers=headers)
    assert response.status_code == 200
    rows = json.loads(response.data)["results"]["bindings"]
    return [row["n"]["value"] for row in rows], response.headers[CACHE_HEADER]


def test_the_same_query_is_answered_again_from_the_kept_response(client: FlaskClient) -> None:
    first = client.get("/sparql", query_string={"query": NAMES}, headers={"Accept": JSON})
    second = client.get("/sparql", query_string={"query": NAMES}, headers={"Accept": JSON})
    assert first.headers[CACHE_HEADER] == "miss" and second.headers[CACHE_HEADER] == "hit"
    assert first.data == second.data
    assert first.headers["ETag"] == second.headers["ETag"]
    for header in ("X-Stadtgraph-Truncated", "X-Stadtgraph-Result-Limit", "Content-Type"):
        assert first.headers[header] == second.headers[header]
    assert second.headers["Access-Control-Allow-Origin"] == "*"
    assert "Accept" in second.headers["Vary"]


def test_a_write_makes_the_next_answer_fresh(client: FlaskClient) -> None:
    assert names(client) == (["Anna Muster", "Ben Beispiel"], "miss")
    assert names(client) == (["Anna Muster", "Ben Beispiel"], "hit")
    insert = (
        f"PREFIX ex: <{EX}> INSERT DATA {{ GRAPH <{PEOPLE}> {{ "
        "ex:carla a ex:Person ; ex:name 'Carla' ; ex:memberOf ex:office } }"
    )
    response = client.post(
        "/update", data=insert.encode(), content_type="application/sparql-update", headers=AUTH
    )
    assert response.status_code == 204
    assert names(client) == (["Anna Muster", "Ben Beispiel", "Carla"], "miss")


def test_another_format_is_another_answer(client: FlaskClient) -> None:
    as_json = client.get("/sparql", query_string={"query": NAMES}, headers={"Accept": JSON})
    as_csv = client.get("/sparql", query_string={"query": NAMES}, headers={"Accept": "text/csv"})
    assert as_csv.headers[CACHE_HEADER] == "miss"
    assert as_csv.mimetype == "text/csv" and as_json.data != as_csv.data
    by_param = client.get("/sparql", query_string={"query": NAMES, "format": "xml"})
    assert by_param.mimetype == "application/sparql-results+xml"


def test_if_none_match_gets_304_without_a_body(client: FlaskClient) -> None:
    first = client.get("/sparql", query_string={"query": NAMES})
    again = client.get(
        "/sparql", query_string={"query": NAMES}, headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""
    weak = client.get(  # If-None-Match compares weakly: a proxy may have weakened the tag
        "/sparql",
        query_string={"query": NAMES},
        headers={"If-None-Match": "W/" + first.headers["ETag"]},
    )
    assert weak.status_code == 304
    other = client.get(
        "/sparql", query_string={"query": NAMES}, headers={"If-None-Match": '"something-else"'}
    )
    assert other.status_code == 200 and other.data == first.data


def test_refused_and_failing_queries_are_never_kept(client: FlaskClient, app: Flask) -> None:
    for _ in range(2):
        refused = client.get(
            "/sparql", query_string={"query": "SELECT * { SERVICE <http://e/x> { ?s ?p ?o } }"}
        )
        assert refused.status_code == 403
        broken = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s"})
        assert broken.status_code == 400
    assert len(app.extensions[CACHE]) == 0


def test_the_rate_limit_counts_reused_answers_too(make_endpoint_app: AppMaker) -> None:
    client = make_endpoint_app(RATE_LIMIT=2).test_client()
    statuses = [client.get("/sparql", query_string={"query": NAMES}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_switched_off_every_answer_is_computed(make_endpoint_app: AppMaker) -> None:
    client = make_endpoint_app(RESPONSE_CACHE_MB=0).test_client()
    assert names(client)[1] == "off" and names(client)[1] == "off"


# -- entity pages ------------------------------------------------------------------------------


@pytest.fixture
def pages_client(memory_store: Store, tmp_path: Path) -> Iterator[FlaskClient]:
    load_pages_fixture(memory_store)
    app = pages_app(memory_store, tmp_path, WRITE_TOKENS=TOKEN)
    yield app.test_client()
    close_app(app)


def test_pages_are_kept_per_language_and_renewed_after_a_write(
    pages_client: FlaskClient, memory_store: Store
) -> None:
    path = "/page/test/stadtwerke"
    german = pages_client.get(path, headers={"Accept-Language": "de"})
    again = pages_client.get(path, headers={"Accept-Language": "de"})
    english = pages_client.get(path, headers={"Accept-Language": "en"})
    assert (german.headers[CACHE_HEADER], again.headers[CACHE_HEADER]) == ("miss", "hit")
    assert english.headers[CACHE_HEADER] == "miss"
    assert german.data == again.data and german.data != english.data
    assert '<html lang="de"' in german.get_data(as_text=True)
    assert again.headers["Content-Security-Policy"] == german.headers["Content-Security-Policy"]
    memory_store.update(
        f"INSERT DATA {{ GRAPH <urn:test:extra> {{ <{ID}stadtwerke> "
        '<http://www.w3.org/2004/02/skos/core#editorialNote> "Neu geprüft"@de } }'
    )
    renewed = pages_client.get(path, headers={"Accept-Language": "de"})
    assert renewed.headers[CACHE_HEADER] == "miss"
    assert "Neu geprüft" in renewed.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/inquiry"])
def test_home_and_inquiry_pages_are_kept_and_renewed_after_a_write(
    memory_store: Store, tmp_path: Path, path: str
) -> None:
    load_pages_fixture(memory_store)
    app = pages_app(memory_store, tmp_path, QUERY_FOLDER=str(ROOT / "queries"))
    client = app.test_client()
    first, again = client.get(path), client.get(path)
    assert first.status_code == 200, first.get_data(as_text=True)[:300]
    assert (first.headers[CACHE_HEADER], again.headers[CACHE_HEADER]) == ("miss", "hit")
    assert first.data == again.data
    memory_store.load(
        """@prefix sg: <https://w3id.org/stadtgraph/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        <urn:x:anfrage> a sg:Inquiry ; rdfs:label "Anfrage zur Prüfung des Caches"@de .
        <urn:x:frage> a sg:Question ; dcterms:isPartOf <urn:x:anfrage> .""".encode(),
        RdfFormat.TURTLE,
        "urn:test:inquiry",
    )
    renewed = client.get(path)  # written behind the app's back, seen at once
    assert renewed.headers[CACHE_HEADER] == "miss"
    assert "Anfrage zur Prüfung des Caches" in renewed.get_data(as_text=True)
    close_app(app)


def test_an_unknown_page_stays_a_404(pages_client: FlaskClient) -> None:
    for _ in range(2):
        assert pages_client.get("/page/test/nothing-here").status_code == 404


def test_named_query_results_are_kept_and_renewed_after_a_write(
    pages_client: FlaskClient, memory_store: Store
) -> None:
    city = ID + "musterstadt"
    first = pages_client.get("/queries/enterprises.csv", query_string={"city": city})
    again = pages_client.get("/queries/enterprises.csv", query_string={"city": city})
    page = pages_client.get("/queries/enterprises", query_string={"city": city})
    page_again = pages_client.get("/queries/enterprises", query_string={"city": city})
    assert (first.headers[CACHE_HEADER], again.headers[CACHE_HEADER]) == ("miss", "hit")
    assert (page.headers[CACHE_HEADER], page_again.headers[CACHE_HEADER]) == ("miss", "hit")
    assert first.data == again.data
    assert again.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    memory_store.update(
        "PREFIX sg: <https://w3id.org/stadtgraph/ontology#> "
        "PREFIX org: <http://www.w3.org/ns/org#> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        f"INSERT DATA {{ GRAPH <urn:test:extra> {{ <{ID}neu> a sg:Enterprise ; "
        f'org:subOrganizationOf <{city}> ; rdfs:label "Neue GmbH"@de }} }}'
    )
    renewed = pages_client.get("/queries/enterprises.csv", query_string={"city": city})
    assert renewed.headers[CACHE_HEADER] == "miss"
    assert "Neue GmbH" in renewed.get_data(as_text=True)


# -- replayed before the framework -------------------------------------------------------------


def counting_inner_app(app: Flask) -> list[str]:
    """Count the requests that reach the framework behind the replaying middleware."""
    replay = app.wsgi_app
    while not isinstance(replay, ReplayKept):
        replay = replay.app  # type: ignore[attr-defined]  # (ProxyFix, when configured)
    inner = replay.app
    seen: list[str] = []

    def counted(environ: dict[str, Any], start_response: Any) -> Any:
        seen.append(environ["PATH_INFO"])
        return inner(environ, start_response)

    replay.app = counted
    return seen


def test_a_replayed_answer_is_the_apps_answer_byte_for_byte(
    client: FlaskClient, app: Flask
) -> None:
    seen = counting_inner_app(app)
    first = client.get("/sparql", query_string={"query": NAMES}, headers={"Accept": JSON})
    second = client.get("/sparql", query_string={"query": NAMES}, headers={"Accept": JSON})
    assert seen == ["/sparql"]  # the second never reached the framework
    assert first.data == second.data
    assert second.headers[CACHE_HEADER] == "hit"
    ignore = {CACHE_HEADER}
    assert {(k, v) for k, v in first.headers.items() if k not in ignore} == {
        (k, v) for k, v in second.headers.items() if k not in ignore
    }
    not_modified = client.get(
        "/sparql",
        query_string={"query": NAMES},
        headers={"Accept": JSON, "If-None-Match": first.headers["ETag"]},
    )
    assert not_modified.status_code == 304 and seen == ["/sparql"]


def test_other_request_headers_are_other_answers(client: FlaskClient, app: Flask) -> None:
    seen = counting_inner_app(app)
    for accept in (JSON, "text/csv", JSON, "text/csv"):
        client.get("/sparql", query_string={"query": NAMES}, headers={"Accept": accept})
    assert len(seen) == 2


def test_pages_that_set_a_cookie_are_never_replayed(
    pages_client: FlaskClient, memory_store: Store
) -> None:
    app = pages_client.application
    seen = counting_inner_app(app)
    for _ in range(2):
        chosen = pages_client.get("/page/test/stadtwerke", query_string={"lang": "en"})
        assert chosen.headers.get("Set-Cookie", "").startswith(f"{COOKIE}=en")
    assert len(seen) == 2


def test_behind_a_proxy_each_public_host_gets_its_own_answer(
    memory_store: Store, tmp_path: Path
) -> None:
    load_pages_fixture(memory_store)
    app = pages_app(memory_store, tmp_path, TRUSTED_PROXIES=1)
    client = app.test_client()
    try:
        for host in ("stadt-a.example", "stadt-b.example", "stadt-a.example"):
            page = client.get(
                "/page/test/stadtwerke",
                headers={"X-Forwarded-Host": host, "X-Forwarded-Proto": "https"},
            )
            assert page.status_code == 200
            assert f"https://{host}/" in page.get_data(as_text=True)
    finally:
        close_app(app)


# -- requests that miss the same answer at once -----------------------------------------------


def at_once(app: Flask, make: Any, callers: int = 4) -> list[Any]:
    """Call kept_or_made for the same key from several threads at once; return outcomes."""
    barrier = threading.Barrier(callers)
    outcomes: list[Any] = [None] * callers

    def call(index: int) -> None:
        with app.test_request_context("/sparql"):
            barrier.wait()
            try:
                outcomes[index] = kept_or_made(("at-once",), make)
            except StadtgraphError as error:
                outcomes[index] = error

    threads = [threading.Thread(target=call, args=(i,)) for i in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_concurrent_misses_compute_the_answer_once(app: Flask) -> None:
    calls: list[int] = []

    def make() -> Response:
        calls.append(1)
        time.sleep(0.3)
        return Response(b"answer", mimetype="text/plain")

    outcomes = at_once(app, make)
    assert len(calls) == 1
    assert [o.get_data() for o in outcomes] == [b"answer"] * 4
    assert sorted(o.headers[CACHE_HEADER] for o in outcomes) == ["hit", "hit", "hit", "miss"]


def test_those_who_waited_get_the_same_error(app: Flask) -> None:
    calls: list[int] = []

    def make() -> Response:
        calls.append(1)
        time.sleep(0.3)
        raise StadtgraphError("The query ran longer than the limit.", 503)

    outcomes = at_once(app, make)
    assert len(calls) == 1
    assert all(isinstance(o, StadtgraphError) and o.status == 503 for o in outcomes)


def test_an_answer_that_is_not_kept_is_made_by_each(app: Flask) -> None:
    calls: list[int] = []

    def make() -> Response:
        calls.append(1)
        time.sleep(0.1)
        return Response(b"gone", status=404)

    outcomes = at_once(app, make)
    assert len(calls) == 4 and all(o.status_code == 404 for o in outcomes)
