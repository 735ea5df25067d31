"""Safety of the public endpoint: read-only, no server-side fetching, bounded work, many clients."""

from __future__ import annotations

import json
import os
import struct
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import query_runner as query_runner_module
from service.app import create_app
from service.query_execution import QueryJob, execute
from service.query_runner import (
    Limits,
    QueryBusy,
    QueryRunner,
    QueryTimeout,
    _Closed,
    _Deadline,
    _receive,
)
from service.rate_limit import RateLimiter
from service.sparql_guard import (
    QueryRefused,
    cap_select,
    check_query,
    graphs_named_in_update,
    inspect_query,
    tokens,
)
from service.store import RdfFormat, Store, StoreError, open_store
from service.web.sparql import query_runner
from tests.endpoint_support import (
    EX,
    PEOPLE,
    AppMaker,
    ConnectionRecorder,
    close_app,
    endpoint_app,
    live_server,
    quads,
)
from tests.servers import running_oxigraph

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture
def store(endpoint_store: Store) -> Store:
    return endpoint_store


@pytest.fixture
def app(make_endpoint_app: AppMaker) -> Flask:
    return make_endpoint_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def big_store() -> Iterator[Store]:
    """A store of 3,000 triples: four-way cartesian products over it never finish."""
    store = open_store(path=None)
    data = "".join(f'<{EX}s{i}> <{EX}p{i % 7}> "{i}" .\n' for i in range(3000))
    store.load(data.encode(), RdfFormat.NTRIPLES, "http://example.org/graph/big")
    yield store
    store.close()


# -- read-only ------------------------------------------------------------------------------

UPDATES = [
    f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}x> <{EX}p> 1 }} }}",
    f"DELETE DATA {{ GRAPH <{PEOPLE}> {{ <{EX}anna> <{EX}name> 'Anna Muster' }} }}",
    "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
    "DELETE { GRAPH ?g { ?s ?p ?o } } INSERT { GRAPH ?g { ?s ?p 1 } } "
    "WHERE { GRAPH ?g { ?s ?p ?o } }",
    f"WITH <{EX}g> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
    "CLEAR ALL",
    "DROP ALL",
    f"CREATE GRAPH <{EX}new>",
    "COPY <http://example.org/graph/people> TO <http://example.org/graph/orgs>",
    "MOVE <http://example.org/graph/people> TO <http://example.org/graph/orgs>",
    "ADD <http://example.org/graph/people> TO <http://example.org/graph/orgs>",
    "LOAD <http://example.org/data.ttl>",
    "PREFIX ex: <http://example.org/test/>\nclear silent all",
]


@pytest.mark.parametrize("update", UPDATES)
@pytest.mark.parametrize(
    "way", ["get", "form-query", "form-update", "direct-update", "direct-query"]
)
def test_every_update_form_is_refused(
    client: FlaskClient, store: Store, update: str, way: str
) -> None:
    before = quads(store)
    if way == "get":
        response = client.get("/sparql", query_string={"query": update})
    elif way == "form-query":
        response = client.post("/sparql", data={"query": update})
    elif way == "form-update":
        response = client.post("/sparql", data={"update": update})
    elif way == "direct-update":
        response = client.post(
            "/sparql", data=update.encode(), content_type="application/sparql-update"
        )
    else:
        response = client.post(
            "/sparql", data=update.encode(), content_type="application/sparql-query"
        )
    assert response.status_code == 403
    assert "read-only" in response.json["message"]
    assert quads(store) == before


def test_an_update_hidden_after_a_query_changes_nothing(client: FlaskClient, store: Store) -> None:
    before = quads(store)
    text = f"SELECT * {{ ?s ?p ?o }} ; INSERT DATA {{ <{EX}x> <{EX}p> 1 }}"
    assert client.get("/sparql", query_string={"query": text}).status_code == 400
    assert quads(store) == before


# -- no server-side fetching ----------------------------------------------------------------


def test_the_engine_itself_would_connect(big_store: Store) -> None:
    """The control: without the guard, pyoxigraph contacts the SERVICE host itself."""
    with ConnectionRecorder() as recorder:
        with pytest.raises(ConnectionError):
            list(ox.Store().query(f"SELECT * {{ SERVICE <{recorder.url}> {{ ?s ?p ?o }} }}"))
        assert recorder.connections >= 1


def _fetching_queries(url: str) -> list[str]:
    return [
        f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * {{ service silent <{url}sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERVICE<{url}>{{ ?s ?p ?o }} }}",
        f"PREFIX : <{url}> SELECT * {{ SERVICE:x {{ ?s ?p ?o }} }}",
        f"PREFIX : <{url}> SELECT * {{ SERVICE SILENT:x {{ ?s ?p ?o }} }}",
        f"PREFIX r: <{url}> SELECT * {{ # a comment\n SERVICE r:q {{ ?s ?p ?o }} }}",
        f"SELECT * {{ {{ SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * {{ ?s ?p ?o OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?x }} }} }}",
        f"SELECT * {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        f"BASE <{url}> SELECT * {{ SERVICE <q> {{ ?s ?p ?o }} }}",
        f"DESCRIBE ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        # `<` is less-than here; read as the start of an IRI, `<?b)SERVICE:x#>` hid the SERVICE
        f"PREFIX : <{url}> SELECT * {{ BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a<?b)SERVICE:x#>\n"
        "{ ?s ?p ?o } }",
        f"PREFIX : <{url}> SELECT * {{ FILTER(1<2)SERVICE:x#>\n{{ ?s ?p ?o }} }}",
        f"PREFIX : <{url}> PREFIX f: <urn:f:> SELECT * {{ FILTER f:g(1<2)SERVICE:x#>\n"
        "{ ?s ?p ?o } }",
        f"PREFIX : <{url}> SELECT * {{ FILTER(?a IN (1, 2)<3)SERVICE:x#>\n{{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{url}data.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"PREFIX : <{url}> SELECT * FROM:data WHERE {{ ?s ?p ?o }}",
        f"LOAD <{url}data.ttl>",
        f"LOAD <{url}data.ttl> INTO GRAPH <{EX}g>",
    ]


def test_service_from_and_load_never_contact_another_host(client: FlaskClient) -> None:
    with ConnectionRecorder() as recorder:
        for query in _fetching_queries(recorder.url):
            for response in (
                client.get("/sparql", query_string={"query": query}),
                client.post("/sparql", data={"update": query}),
            ):
                assert response.status_code in (400, 403), (query, response.json)
        params = {"query": "SELECT * { ?s ?p ?o }", "default-graph-uri": recorder.url}
        assert client.get("/sparql", query_string=params).status_code == 400
        time.sleep(0.2)
        assert recorder.connections == 0


def test_service_refusal_explains_itself(client: FlaskClient) -> None:
    response = client.get(
        "/sparql",
        query_string={
            "query": "SELECT * { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }"
        },
    )
    assert response.status_code == 403
    assert "SERVICE <https://query.wikidata.org/sparql> is not allowed" in response.json["message"]


def test_sealed_workers_cannot_connect_even_past_the_guard(store: Store) -> None:
    """Defence in depth: a worker of a memory store may not open sockets at all."""
    runner = QueryRunner(store, Limits(timeout=5, concurrent=1))
    try:
        with ConnectionRecorder() as recorder:
            job = QueryJob(
                f"SELECT * {{ SERVICE <{recorder.url}> {{ ?s ?p ?o }} }}",
                "SELECT",
                "application/sparql-results+json",
                10,
            )
            with pytest.raises(StoreError):
                runner.run(job)
            time.sleep(0.2)
            assert recorder.connections == 0
    finally:
        runner.close()


@pytest.mark.slow
@pytest.mark.remote
def test_allowlisted_service_is_called(store: Store) -> None:
    with running_oxigraph() as base_url:
        remote = f"{base_url}/query"
        app = endpoint_app(store, SERVICE_ALLOWLIST=remote)
        try:
            query = f'SELECT ?x {{ SERVICE <{remote}> {{ BIND("from afar" AS ?x) }} }}'
            response = app.test_client().get("/sparql", query_string={"query": query})
            assert response.status_code == 200, response.json
            assert "from afar" in response.get_data(as_text=True)
        finally:
            close_app(app)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * { ?s ?p "SERVICE <http://evil/> { }" }',
        "SELECT * { ?s ?p '''SERVICE\n<http://evil/> {}''' }",
        "SELECT * { ?s ?p ?o } # SERVICE <http://evil/> {}",
        "SELECT * { ?s <http://e/SERVICE> ?service }",
        "PREFIX cpsv: <http://purl.org/vocab/cpsv#> SELECT * { ?s a cpsv:PublicService }",
        'SELECT * { ?s ?p "x"@service }',
        "PREFIX service: <http://e/> SELECT * { service:x ?p ?o }",
        # an IRI after a term, in a pattern, a collection or VALUES data, stays an IRI
        "SELECT * { ?s <http://e/service> ?o }",
        "SELECT * { ?s <http://e/p> (<http://e/a> <http://e/service>) }",
        "SELECT * { VALUES (?a ?b) { (<http://e/a> <http://e/service>) } }",
        "SELECT * { ?s ?p ?o FILTER(?o = <http://e/service>) }",
        "SELECT * { ?s ?p ?o FILTER EXISTS { ?s <http://e/service> ?o } }",
    ],
)
def test_guard_lets_the_word_service_pass_where_it_is_no_keyword(query: str) -> None:
    check_query(inspect_query(query), service_allowlist=(), graphs_in_store=list)


def test_guard_finds_service_behind_a_tricky_comment_or_escape() -> None:
    for query in (
        "SELECT * { ?s ?p ?o #x\u2028 SERVICE <http://evil/> { } }",
        "PREFIX ex: <http://e/> SELECT * { ?s ex:a\\#b SERVICE <http://evil/> { } }",
        "SELECT * { ?s ?p 'a\\' SERVICE <http://evil/> { }' . SERVICE <http://evil/> {} }",
    ):
        with pytest.raises(QueryRefused):
            check_query(inspect_query(query), service_allowlist=(), graphs_in_store=list)


@pytest.mark.parametrize(
    ("query", "less_than"),
    [
        ("SELECT * { ?s ?p ?o FILTER(?o<?p) }", True),
        ("SELECT * { ?s ?p ?o FILTER(?o<=5) }", True),
        ("SELECT (?a<?b AS ?c) WHERE { }", True),
        ("SELECT * { BIND(STR(?a)<'x' AS ?c) }", True),
        ("SELECT * { ?s ?p ?o FILTER(?o = 1) <http://e/p> ?x }", False),
        ("SELECT * { ?s <http://e/p> (1 <http://e/a>) }", False),
        ("SELECT * { ?s ?p ?o FILTER EXISTS { ?o <http://e/p> ?x } }", False),
        ("SELECT * { VALUES (?a ?b) { (1 <http://e/a>) } }", False),
        ("SELECT * { ?s ?p ?o } GROUP BY ?s HAVING(COUNT(?o)<3)", True),
    ],
)
def test_guard_reads_less_than_where_the_engine_does(query: str, less_than: bool) -> None:
    found = [token.text for token in tokens(query) if token.text.startswith("<")]
    assert any(text in ("<", "<=") for text in found) == less_than, found


def test_guard_reads_iris_with_codepoint_escapes_as_the_engine_does() -> None:
    graph = "https://w3id.org/stadtgraph/graph/x"
    escaped = graph.replace("graph/x", "\\u0067raph/\\U00000078")
    text = f"WITH <{escaped}> INSERT {{ _:n <urn:p> 'z' }} WHERE {{}}"
    assert graphs_named_in_update(text) == {graph, "urn:p"}
    info = inspect_query(f"PREFIX e: <{escaped}> SELECT * {{ SERVICE e:y {{ }} }}")
    assert info.services == (graph + "y",)


def test_guard_allows_an_allowlisted_service() -> None:
    info = inspect_query(
        "PREFIX w: <https://query.wikidata.org/> SELECT * { SERVICE w:sparql { ?s ?p ?o } }"
    )
    assert info.services == ("https://query.wikidata.org/sparql",)
    check_query(
        info, service_allowlist=("https://query.wikidata.org/sparql",), graphs_in_store=list
    )


def test_guard_costs_well_under_a_millisecond() -> None:
    query = (
        "PREFIX ex: <http://e/> SELECT ?a (COUNT(?b) AS ?n) WHERE { ?a ex:p ?b ; ex:q 'x' . "
        "OPTIONAL { ?b ex:r ?c } FILTER(?c > 3) } GROUP BY ?a ORDER BY DESC(?n) LIMIT 10"
    )
    started = time.perf_counter()
    for _ in range(200):
        inspect_query(query)
    assert (time.perf_counter() - started) / 200 < 0.002


# -- bounded work ---------------------------------------------------------------------------


@pytest.mark.slow
def test_runaway_query_is_stopped_while_others_are_answered(big_store: Store) -> None:
    app = endpoint_app(big_store, QUERY_TIMEOUT=1.5)
    try:
        with live_server(app) as base_url:
            outcome: dict[str, object] = {}

            def heavy() -> None:
                started = time.monotonic()
                outcome["heavy"] = _get(base_url, RUNAWAY)
                outcome["heavy_seconds"] = time.monotonic() - started

            thread = threading.Thread(target=heavy)
            thread.start()
            time.sleep(0.3)
            started = time.monotonic()
            status, body, _ = _get(base_url, f"ASK {{ <{EX}s1> ?p ?o }}")
            light_seconds = time.monotonic() - started
            thread.join(10)
            assert status == 200 and json.loads(body)["boolean"] is True
            assert light_seconds < 1.0
            heavy_status, heavy_body, _ = outcome["heavy"]  # type: ignore[misc]
            assert heavy_status == 503
            assert "longer than the limit of 1.5 s" in json.loads(heavy_body)["message"]
            assert 1.4 < outcome["heavy_seconds"] < 4  # type: ignore[operator]
            # the killed worker is replaced: the endpoint keeps answering
            assert _get(base_url, f"ASK {{ <{EX}s2> ?p ?o }}")[0] == 200
        assert len(query_runner(app).worker_pids()) <= 2
        assert _no_zombies()
    finally:
        close_app(app)


@pytest.mark.remote
@pytest.mark.parametrize(
    "runaway",
    [
        RUNAWAY,  # computes long, then answers one row
        # streams triples from the start: every single read is short, the answer never ends
        "CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    ],
    ids=["computing", "streaming"],
)
def test_a_remote_store_s_runaway_query_is_given_up_and_its_slot_freed_soon(runaway: str) -> None:
    # A remote server cannot be told to stop a query: the client gets 503 at the limit, and
    # the query's slot is free once its answer is given up, 2 s later (not after the 30 s the
    # app's own reads may wait, and not never, for an answer that keeps streaming).
    data = "".join(f'<{EX}s{i}> <{EX}p{i % 7}> "{i}" .\n' for i in range(3000)).encode()
    with running_oxigraph() as base_url:
        store = open_store(endpoint=f"{base_url}/query")
        store.load(data, RdfFormat.NTRIPLES, "http://example.org/graph/big")
        settings = {"QUERY_TIMEOUT": 1.0, "MAX_HEAVY_QUERIES": 1, "QUERY_QUEUE_WAIT": 10.0}
        config = {"TESTING": True, "ENDPOINT": f"{base_url}/query", **settings}
        app = create_app(config, store=store)
        client = app.test_client()
        accept = {"Accept": "application/sparql-results+json, text/turtle"}
        started = time.monotonic()
        heavy = client.get("/sparql", query_string={"query": runaway}, headers=accept)
        heavy_seconds = time.monotonic() - started
        assert heavy.status_code == 503
        message = heavy.get_json()["message"]
        assert "longer than the limit of 1 s and is no longer waited for" in message
        assert 0.9 < heavy_seconds < 2.5
        started = time.monotonic()
        light = client.get("/sparql", query_string={"query": "ASK {}"}, headers=accept)
        assert light.status_code == 200
        assert time.monotonic() - started < 4


def test_memory_hungry_query_is_stopped(big_store: Store) -> None:
    app = endpoint_app(big_store, QUERY_MEMORY_MB=64, QUERY_TIMEOUT=20)
    try:
        query = (
            "SELECT ?a ?b ?c ?d WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z . ?d ?t ?w } "
            "ORDER BY ?d ?c ?b ?a"
        )
        response = app.test_client().get("/sparql", query_string={"query": query})
        assert response.status_code == 503
        assert "64 MB" in response.json["message"]
    finally:
        close_app(app)


def test_workers_are_reused_then_replaced_after_writes_and_big_queries(store: Store) -> None:
    runner = QueryRunner(store, Limits(timeout=5, concurrent=1))
    ask = QueryJob(f"ASK {{ <{EX}anna> ?p ?o }}", "ASK", "application/sparql-results+json", 10)
    try:
        runner.run(ask)
        first = runner.worker_pids()
        runner.run(ask)
        assert runner.worker_pids() == first
        runner.store_changed()
        runner.run(ask)
        assert runner.worker_pids().isdisjoint(first)
        assert _no_zombies()
    finally:
        runner.close()
    recycling = QueryRunner(store, Limits(timeout=5, concurrent=1, recycle_bytes=-1))
    try:
        assert json.loads(recycling.run(ask).body)["boolean"] is True
        assert recycling.worker_pids() == set()
    finally:
        recycling.close()


def test_answers_of_every_size_cross_from_the_worker_whole() -> None:
    """Frames are read in as few reads as the pipe allows; big ones take many, small ones one."""
    store = open_store(path=None)
    long = "x" * 1000
    data = "".join(f'<{EX}s{i}> <{EX}p> "{i} {long}" .\n' for i in range(3000))
    store.load(data.encode(), RdfFormat.NTRIPLES, "http://example.org/graph/long")
    runner = QueryRunner(store, Limits(timeout=30, concurrent=1))
    jobs = [
        QueryJob("ASK { ?s ?p ?o }", "ASK", "application/sparql-results+json", 10),
        QueryJob("SELECT * { ?s ?p ?o } LIMIT 2", "SELECT", "text/csv", 10),
        QueryJob("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT", "text/turtle", 5000),
    ]
    try:
        for job in jobs * 2:
            answer = runner.run(job)
            assert answer.body == execute(store, job).body
        assert len(answer.body) > 3_000_000  # more than a pipe holds, and than one read takes
        assert answer.count == 3000
    finally:
        runner.close()
        store.close()


def _frame(header: bytes, body: bytes) -> bytes:
    return struct.pack("!II", len(header), len(body)) + header + body


def test_a_frame_is_read_whole_however_it_arrives() -> None:
    body = bytes(range(256)) * 1200  # 300 kB: more than a pipe holds
    frame = _frame(b'{"status": "ok"}', body)
    read_end, write_end = os.pipe()

    def write_in_pieces() -> None:
        for start, end in ((0, 3), (3, 10), (10, 70_000), (70_000, len(frame))):
            _write_all(write_end, frame[start:end])
            time.sleep(0.01)

    writer = threading.Thread(target=write_in_pieces)
    writer.start()
    try:
        assert _receive(read_end, time.monotonic() + 10) == (b'{"status": "ok"}', body)
    finally:
        writer.join()
        os.close(read_end)
        os.close(write_end)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def test_a_broken_frame_is_told_apart() -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, _frame(b"{}", b"body")[:9])  # the sizes and one byte, then nothing
    with pytest.raises(_Deadline):
        _receive(read_end, time.monotonic() + 0.2)
    os.close(write_end)
    with pytest.raises(_Closed):
        _receive(read_end, time.monotonic() + 5)
    os.close(read_end)
    read_end, write_end = os.pipe()
    os.write(write_end, _frame(b"{}", b"a") + _frame(b"{}", b"b"))
    with pytest.raises(RuntimeError, match="more than one frame"):
        _receive(read_end, time.monotonic() + 5)
    os.close(read_end)
    os.close(write_end)


def test_a_worker_whose_answer_cannot_be_read_is_not_used_again(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = QueryRunner(store, Limits(timeout=5, concurrent=1))
    ask = QueryJob(f"ASK {{ <{EX}anna> ?p ?o }}", "ASK", "application/sparql-results+json", 10)
    try:
        runner.run(ask)
        first = runner.worker_pids()
        assert first

        def unreadable(fd: int, deadline: float | None) -> tuple[bytes, bytes]:
            raise RuntimeError("a query pipe held more than one frame")

        monkeypatch.setattr(query_runner_module, "_receive", unreadable)
        with pytest.raises(RuntimeError):
            runner.run(ask)
        assert runner.worker_pids() == set()
        monkeypatch.undo()
        assert json.loads(runner.run(ask).body)["boolean"] is True
        assert runner.worker_pids().isdisjoint(first)
    finally:
        runner.close()


def test_queries_that_may_not_wait_for_a_slow_query_s_slot_are_busy_at_once(
    big_store: Store,
) -> None:
    # A waiting query holds a server thread; while a slow query holds the slot and every
    # waiting place is taken, the next query gets 503 at once instead of taking another
    # thread from the pages. (Queries that come and go quickly all wait: fifty clients at
    # once are answered, see below.)
    limits = Limits(timeout=3, concurrent=1, queue_wait=3, waiting=1, slow_after=0.2)
    runner = QueryRunner(big_store, limits)
    job = QueryJob(RUNAWAY, "SELECT", "application/sparql-results+json", 10)
    outcomes: dict[str, BaseException | None] = {}

    def run(name: str) -> None:
        try:
            runner.run(job)
            outcomes[name] = None
        except BaseException as error:  # compared below
            outcomes[name] = error

    try:
        running = threading.Thread(target=run, args=("running",))
        running.start()
        while not runner.worker_pids():  # the first query has its slot
            time.sleep(0.01)
        time.sleep(0.3)  # and now counts as slow
        waiting = threading.Thread(target=run, args=("waiting",))
        waiting.start()
        while not runner._waiting:
            time.sleep(0.01)
        with pytest.raises(QueryBusy):
            runner.run(job)
        assert running.is_alive() and waiting.is_alive()  # turned away before either ended
        running.join()
        waiting.join()
        assert isinstance(outcomes["running"], QueryTimeout)
        assert isinstance(outcomes["waiting"], (QueryTimeout, QueryBusy))
    finally:
        runner.close()


def test_result_size_cap_says_it_truncated(store: Store) -> None:
    app = endpoint_app(store, MAX_RESULTS=3)
    try:
        client = app.test_client()
        response = client.get(
            "/sparql",
            query_string={"query": "SELECT * { ?s ?p ?o }"},
            headers={"Accept": "text/csv"},
        )
        assert response.headers["X-Stadtgraph-Truncated"] == "true"
        assert response.headers["X-Stadtgraph-Result-Limit"] == "3"
        assert len(response.get_data(as_text=True).strip().splitlines()) == 1 + 3
        small = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o } LIMIT 2"})
        assert small.headers["X-Stadtgraph-Truncated"] == "false"
        graph = client.get(
            "/sparql",
            query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
            headers={"Accept": "application/n-triples"},
        )
        assert graph.headers["X-Stadtgraph-Truncated"] == "true"
        assert len(graph.get_data(as_text=True).strip().splitlines()) == 3
        exactly = client.get(
            "/sparql", query_string={"query": f"SELECT ?o WHERE {{ <{EX}office> ?p ?o }}"}
        )
        assert exactly.headers["X-Stadtgraph-Truncated"] == "false"
        assert len(json.loads(exactly.data)["results"]["bindings"]) == 3
    finally:
        close_app(app)


def test_cap_select_appends_a_limit_only_where_it_is_exact() -> None:
    assert cap_select("SELECT * { ?s ?p ?o } # done", 11).endswith("# done\nLIMIT 11\n")
    assert cap_select("SELECT * { ?s ?p ?o } LIMIT 5", 11) == "SELECT * { ?s ?p ?o } LIMIT 5"
    nested = "SELECT * { { SELECT * { ?s ?p ?o } LIMIT 5 } }"
    assert cap_select(nested, 11).endswith("LIMIT 11\n")
    trailing = "SELECT * { ?s ?p ?o } VALUES ?s { <http://e/a> }"
    assert cap_select(trailing, 11) == trailing
    assert cap_select("SELECT * { ?s ?p ?o ", 11) == "SELECT * { ?s ?p ?o "


@pytest.mark.slow
def test_concurrency_limit_answers_503_with_retry_after(big_store: Store) -> None:
    app = endpoint_app(big_store, MAX_HEAVY_QUERIES=1, QUERY_QUEUE_WAIT=0.3, QUERY_TIMEOUT=2)
    try:
        with live_server(app) as base_url:
            thread = threading.Thread(target=_get, args=(base_url, RUNAWAY))
            thread.start()
            time.sleep(0.3)
            status, body, headers = _get(base_url, "ASK {}")
            thread.join(10)
            assert status == 503
            assert headers["Retry-After"] == "2"
            assert "busy" in json.loads(body)["message"]
            assert _get(base_url, "ASK {}")[0] == 200
    finally:
        close_app(app)


def test_rate_limit_answers_429_with_retry_after(store: Store) -> None:
    app = endpoint_app(store, RATE_LIMIT=3)
    try:
        client = app.test_client()
        for _ in range(3):
            assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
        refused = client.get("/sparql", query_string={"query": "ASK {}"})
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        other = client.get(
            "/sparql", query_string={"query": "ASK {}"}, environ_base={"REMOTE_ADDR": "192.0.2.7"}
        )
        assert other.status_code == 200
    finally:
        close_app(app)


def test_rate_limiter_window_slides() -> None:
    now = [1000.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert limiter.check("a") is None
    now[0] += 30
    assert limiter.check("a") is None
    assert limiter.check("a") == 30
    now[0] += 30.5
    assert limiter.check("a") is None
    assert limiter.check("b") is None


@pytest.mark.slow
def test_fifty_concurrent_clients_are_all_answered_correctly(big_store: Store) -> None:
    app = endpoint_app(big_store)
    try:
        with live_server(app) as base_url:

            def ask(i: int) -> tuple[int, str]:
                query = f"SELECT ?o WHERE {{ <{EX}s{i}> ?p ?o }}"
                status, body, _ = _get(base_url, query)
                rows = json.loads(body)["results"]["bindings"]
                return status, rows[0]["o"]["value"]

            with ThreadPoolExecutor(max_workers=50) as pool:
                answers = list(pool.map(ask, range(50)))
        assert answers == [(200, str(i)) for i in range(50)]
    finally:
        close_app(app)


def _get(base_url: str, query: str) -> tuple[int, bytes, dict[str, str]]:
    url = f"{base_url}/sparql?{urllib.parse.urlencode({'query': query})}"
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read(), dict(error.headers)


def _no_zombies() -> bool:
    try:
        pid, _ = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return pid == 0


def test_what_the_guard_remembers_changes_no_decision() -> None:
    """Short texts are remembered, long ones read each time: the same answers either way,
    and a refusal is made again for every request, never remembered as an answer."""
    padding = "# " + "x" * 9000 + "\n"
    for text in ("SELECT * WHERE { ?s ?p ?o }", "ASK FROM <http://e/g> { ?s ?p ?o }"):
        for _ in range(2):
            assert inspect_query(text) == inspect_query(padding + text)
            assert cap_select(padding + text, 5) == padding + cap_select(text, 5)
    for _ in range(2):
        with pytest.raises(QueryRefused):
            inspect_query("DELETE WHERE { ?s ?p ?o }")
        with pytest.raises(QueryRefused):
            inspect_query(padding + "DELETE WHERE { ?s ?p ?o }")


def test_an_answer_above_the_size_limit_is_not_sent(store: Store) -> None:
    # The row cap does not bound bytes: one row of doubled strings grows to any size.
    doublings = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(18))
    query = f'SELECT ?v18 WHERE {{ BIND("12345678" AS ?v0) {doublings} }}'  # 2 MB
    app = endpoint_app(store, MAX_ANSWER_MB=1)
    try:
        client = app.test_client()
        response = client.post("/sparql", data={"query": query})
        assert response.status_code == 400
        assert "more than the 1 MB this endpoint sends" in response.json["message"]
        assert client.post("/sparql", data={"query": "ASK {}"}).status_code == 200
    finally:
        close_app(app)
