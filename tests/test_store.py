"""One suite for every Store backend: embedded in memory, embedded on disk, and remote.

The remote backend talks to a real `oxigraph serve` process; nothing here is mocked.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDFS
from rdflib.term import BNode, Literal, URIRef

from service.store import (
    Dataset,
    OxigraphStore,
    QuerySyntaxError,
    RdfFormat,
    RemoteStore,
    Store,
    StoreError,
    WriteOutcomeUnknown,
    open_store,
)
from service.store.engine import STAGING
from tests.servers import free_port, running_oxigraph, serving_handler

ROOT = Path(__file__).resolve().parent.parent
EX = "http://example.org/"
G1, G2, G3 = f"{EX}graph/one", f"{EX}graph/two", f"{EX}graph/three"
KVV, STADT = URIRef(f"{EX}kvv"), URIRef(f"{EX}stadt")
LABEL = str(RDFS.label)

TRIG = f"""
@prefix ex: <{EX}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{G1}> {{ ex:kvv rdfs:label "KVV"@de , "Kasseler Verkehrs-Gesellschaft" ; ex:employees 1900 . }}
<{G2}> {{ ex:stadt rdfs:label "Stadt Kassel"@de ; ex:partner ex:kvv . }}
""".encode()


@pytest.fixture(scope="session")
def oxigraph_server() -> Iterator[str]:
    """Run one real `oxigraph serve` for the whole session."""
    with running_oxigraph() as base_url:
        yield base_url


@pytest.fixture(
    params=[
        "oxigraph-memory",
        "oxigraph-disk",
        pytest.param("remote", marks=pytest.mark.remote),
    ]
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Open an empty store of each backend."""
    if request.param == "remote":
        base_url = request.getfixturevalue("oxigraph_server")
        opened = open_store(endpoint=f"{base_url}/query")
        opened.update("DROP SILENT ALL")
    elif request.param == "oxigraph-disk":
        opened = open_store(path=tmp_path / "store")
    else:
        opened = open_store()
    yield opened
    opened.close()


@pytest.fixture
def loaded(store: Store) -> Store:
    """Return the store holding TRIG: three triples in G1, two in G2."""
    assert store.load(TRIG, RdfFormat.TRIG, None) == 5
    return store


def labels(store: Store, sparql: str, **kwargs: object) -> set[str]:
    return {str(row["label"]) for row in store.select(sparql, **kwargs)}  # type: ignore[arg-type]


# -- queries ----------------------------------------------------------------------------------


def test_backends_implement_the_protocol(store: Store) -> None:
    assert isinstance(store, Store)


def test_select_sees_the_union_of_all_graphs(loaded: Store) -> None:
    result = loaded.select(f"SELECT ?s ?label WHERE {{ ?s <{LABEL}> ?label }} ORDER BY STR(?label)")
    assert result.variables == ["s", "label"]
    assert [row["label"] for row in result] == [
        Literal("KVV", lang="de"),
        Literal("Kasseler Verkehrs-Gesellschaft"),
        Literal("Stadt Kassel", lang="de"),
    ]
    assert len(result) == 3


def test_select_with_bindings(loaded: Store) -> None:
    sparql = f"SELECT ?label WHERE {{ ?s <{LABEL}> ?label }}"
    assert labels(loaded, sparql, bindings={"s": STADT}) == {"Stadt Kassel"}
    hostile = Literal('"} ; DROP ALL ; #')
    assert labels(loaded, sparql, bindings={"label": hostile}) == set()
    assert loaded.count() == 5


def test_select_leaves_unbound_variables_out(loaded: Store) -> None:
    rows = loaded.select(f"SELECT ?s ?n WHERE {{ ?s ?p ?o OPTIONAL {{ ?s <{EX}employees> ?n }} }}")
    assert {"s"} in [set(row) for row in rows]
    assert Literal(1900) in [row.get("n") for row in rows]


def test_ask_with_and_without_bindings(loaded: Store) -> None:
    assert loaded.ask(f"ASK {{ ?s <{EX}partner> <{KVV}> }}")
    assert loaded.ask("ASK { ?s ?p ?o }", {"s": STADT})
    assert not loaded.ask("ASK { ?s ?p ?o }", {"s": URIRef(f"{EX}nobody")})


def test_construct_with_and_without_bindings(loaded: Store) -> None:
    everything = loaded.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert len(everything) == 5
    triples = loaded.construct("CONSTRUCT WHERE { ?s ?p ?o }", {"s": STADT})
    assert (STADT, URIRef(f"{EX}partner"), KVV) in triples
    assert len(triples) == 2


def test_queries_check_their_kind(loaded: Store) -> None:
    with pytest.raises(ValueError, match="SELECT"):
        loaded.select("ASK {}")
    with pytest.raises(ValueError, match="ASK"):
        loaded.ask("SELECT * WHERE {}")
    with pytest.raises(ValueError, match="CONSTRUCT"):
        loaded.construct("SELECT * WHERE {}")


def test_dataset_restricts_default_and_named_graphs(loaded: Store) -> None:
    sparql = f"SELECT ?label WHERE {{ ?s <{LABEL}> ?label }}"
    assert labels(loaded, sparql, dataset=Dataset(default_graphs=(G2,))) == {"Stadt Kassel"}
    named = "SELECT ?label WHERE { GRAPH ?g { ?s ?p ?label } }"
    assert labels(loaded, named, dataset=Dataset(named_graphs=(G2,))) == {"Stadt Kassel", str(KVV)}
    # Naming only graphs for GRAPH leaves the default graph empty (SPARQL 1.1 Protocol §2.1.4).
    assert labels(loaded, sparql, dataset=Dataset(named_graphs=(G1,))) == set()
    assert loaded.ask("ASK { ?s ?p ?o }", {"s": STADT}, Dataset(default_graphs=(G2,)))
    assert loaded.construct("CONSTRUCT WHERE { ?s ?p ?o }", dataset=Dataset((G1,), ()))


@pytest.mark.parametrize(
    ("media_type", "check"),
    [
        ("application/sparql-results+json", lambda body: json.loads(body)["head"]["vars"]),
        ("application/sparql-results+xml", lambda body: b"<sparql" in body),
        ("text/csv", lambda body: body.startswith(b"label\r\n")),
        ("text/tab-separated-values", lambda body: body.startswith(b"?label\n")),
    ],
)
def test_query_serialized_writes_results_formats(
    loaded: Store, media_type: str, check: object
) -> None:
    body = loaded.query_serialized(
        f"SELECT ?label WHERE {{ <{STADT}> <{LABEL}> ?label }}", media_type
    )
    assert b"Stadt Kassel" in body
    assert check(body)  # type: ignore[operator]
    ask = loaded.query_serialized("ASK { ?s ?p ?o }", media_type)
    assert b"true" in ask.lower() or b"1" in ask


@pytest.mark.parametrize(
    "fmt", [RdfFormat.TURTLE, RdfFormat.NTRIPLES, RdfFormat.RDFXML, RdfFormat.JSONLD]
)
def test_query_serialized_writes_rdf_formats(loaded: Store, fmt: RdfFormat) -> None:
    sparql = f"CONSTRUCT WHERE {{ <{STADT}> ?p ?o }}"
    body = loaded.query_serialized(sparql, fmt.media_type, Dataset(default_graphs=(G2,)))
    parsed = list(ox.parse(body, ox.RdfFormat.from_media_type(fmt.media_type)))
    assert len(parsed) == 2


def test_query_serialized_keeps_to_the_query_s_own_from(loaded: Store) -> None:
    # Every backend serves the union as default graph; a query's FROM still decides (a
    # union-default server would otherwise let the union win, as pyoxigraph does).
    count = "SELECT (COUNT(*) AS ?n) FROM <{}> WHERE {{ ?s ?p ?o }}"
    for graph, expected in ((G1, 3), (G2, 2)):
        body = loaded.query_serialized(count.format(graph), "text/csv")
        assert body.decode().split() == ["n", str(expected)]
    named = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{G2}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert loaded.query_serialized(named, "text/csv").decode().split() == ["n", "2"]


def test_query_serialized_refuses_a_results_format_for_a_graph(loaded: Store) -> None:
    with pytest.raises(ValueError, match="cannot"):
        loaded.query_serialized("CONSTRUCT WHERE { ?s ?p ?o }", "text/csv")


def test_syntax_error_names_line_and_column(store: Store) -> None:
    # The object is missing; the parser notices at the closing brace on line 4.
    with pytest.raises(QuerySyntaxError, match="line 4, column 2") as caught:
        store.select("SELECT ?s\nWHERE {\n ?s ?p\n}")
    assert (caught.value.line, caught.value.column) == (4, 2)
    with pytest.raises(QuerySyntaxError):
        store.update("INSERT DATA { <http://example.org/a> }")


# -- writes -----------------------------------------------------------------------------------


def test_update_changes_what_queries_see(loaded: Store) -> None:
    loaded.update(f'INSERT DATA {{ GRAPH <{G3}> {{ <{STADT}> <{LABEL}> "City of Kassel"@en }} }}')
    loaded.update(f"DELETE WHERE {{ GRAPH <{G1}> {{ <{KVV}> <{EX}employees> ?n }} }}")
    assert loaded.graphs() == sorted([G1, G2, G3])
    assert loaded.count(G1) == 2
    assert "City of Kassel" in labels(loaded, f"SELECT ?label WHERE {{ ?s <{LABEL}> ?label }}")


def test_update_with_fresh_blank_nodes(loaded: Store) -> None:
    loaded.update(f'INSERT DATA {{ GRAPH <{G3}> {{ _:a <{LABEL}> "anonymous" }} }}')
    (row,) = loaded.select(f"SELECT ?s WHERE {{ GRAPH <{G3}> {{ ?s ?p ?o }} }}")
    assert isinstance(row["s"], BNode)


def _dataset_in(fmt: RdfFormat) -> bytes:
    """Return TRIG's content, plus one default-graph triple, serialised in fmt."""
    quads = list(ox.parse(TRIG, ox.RdfFormat.TRIG))
    quads.append(ox.Quad(ox.NamedNode(f"{EX}x"), ox.NamedNode(LABEL), ox.Literal("default")))
    if not fmt.has_graphs:
        quads = [q for q in quads if q.graph_name == ox.NamedNode(G1)]
        return ox.serialize(
            [q.triple for q in quads], format=ox.RdfFormat.from_media_type(fmt.media_type)
        )
    return ox.serialize(quads, format=ox.RdfFormat.from_media_type(fmt.media_type))


@pytest.mark.parametrize("fmt", list(RdfFormat), ids=lambda fmt: fmt.name)
def test_load_each_format(store: Store, fmt: RdfFormat) -> None:
    data = _dataset_in(fmt)
    if fmt.has_graphs:
        assert store.load(data, fmt, G3) == 6
        assert store.graphs() == sorted([G1, G2, G3])
        assert store.count(G1) == 3
        assert store.count(G3) == 1  # the default-graph triple went to the graph named
    else:
        assert store.load(io.BytesIO(data), fmt, G3) == 3
        assert store.graphs() == [G3]
        assert store.ask(f'ASK {{ GRAPH <{G3}> {{ <{KVV}> <{LABEL}> "KVV"@de }} }}')


def test_load_a_quad_format_without_a_graph_keeps_the_default_graph(store: Store) -> None:
    assert store.load(_dataset_in(RdfFormat.NQUADS), RdfFormat.NQUADS, None) == 6
    assert store.count() == 6
    assert store.graphs() == sorted([G1, G2])


def test_load_from_a_path(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "data.trig"
    path.write_bytes(TRIG)
    assert store.load(path, RdfFormat.TRIG, None) == 5
    assert store.count() == 5


def test_load_adds_and_replace_swaps(loaded: Store) -> None:
    extra = f'<{KVV}> <{EX}founded> "1898" .'.encode()
    loaded.load(extra, RdfFormat.NTRIPLES, G1)
    assert loaded.count(G1) == 4
    loaded.load(extra, RdfFormat.NTRIPLES, G1, replace=True)
    assert loaded.count(G1) == 1
    assert loaded.count(G2) == 2


def test_load_refuses_invalid_data_and_changes_nothing(loaded: Store) -> None:
    for fmt in (RdfFormat.TURTLE, RdfFormat.TRIG):
        with pytest.raises(StoreError, match="line 1"):
            loaded.load(b"<http://example.org/a> <http://example.org/b> .", fmt, G1, replace=True)
        with pytest.raises(StoreError):
            loaded.load(b"<http://example.org/a> <http://example.org/b> .", fmt, G3)
    assert loaded.count() == 5
    assert loaded.graphs() == sorted([G1, G2])


def test_replace_graph_swaps_one_graph(loaded: Store) -> None:
    node = BNode()
    triples = [
        (KVV, RDFS.label, Literal("KVV neu", lang="de")),
        (KVV, URIRef(f"{EX}contact"), node),
        (node, RDFS.label, Literal("Kundenzentrum")),
    ]
    assert loaded.replace_graph(G1, triples) == 3
    assert loaded.count(G1) == 3
    assert loaded.count(G2) == 2
    assert labels(loaded, f"SELECT ?label {{ <{KVV}> <{LABEL}> ?label }}") == {"KVV neu"}
    # the blank node still joins its two triples
    assert loaded.ask(f'ASK {{ <{KVV}> <{EX}contact> ?c . ?c <{LABEL}> "Kundenzentrum" }}')


def test_replace_graph_into_a_new_graph(store: Store) -> None:
    assert store.replace_graph(G3, [(KVV, RDFS.label, Literal("KVV"))]) == 1
    assert store.graphs() == [G3]


def test_dump_round_trips(loaded: Store) -> None:
    loaded.update(f'INSERT DATA {{ GRAPH <{G3}> {{ _:a <{LABEL}> "anonymous" }} }}')
    for fmt in (RdfFormat.NQUADS, RdfFormat.TRIG, RdfFormat.JSONLD):
        out = io.BytesIO()
        loaded.dump(out, fmt)
        with OxigraphStore(None) as copy:
            assert copy.load(out.getvalue(), fmt, None) == 6
            assert copy.graphs() == loaded.graphs()
            assert copy.ask(f'ASK {{ GRAPH <{G3}> {{ [] <{LABEL}> "anonymous" }} }}')


def test_dump_one_graph_and_the_union(loaded: Store) -> None:
    out = io.BytesIO()
    loaded.dump(out, RdfFormat.TURTLE, G2)
    assert len(list(ox.parse(out.getvalue(), ox.RdfFormat.TURTLE))) == 2
    union = io.BytesIO()
    loaded.dump(union, RdfFormat.NTRIPLES)
    assert len(union.getvalue().splitlines()) == 5


def test_count_and_graphs_of_an_empty_store(store: Store) -> None:
    assert store.count() == 0
    assert store.count(G1) == 0
    assert store.graphs() == []


def test_close_is_final(store: Store) -> None:
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.count()


def test_open_store_derives_oxigraph_urls() -> None:
    remote = open_store(endpoint="http://127.0.0.1:7878/query")
    assert isinstance(remote, RemoteStore)
    assert remote.update_url == "http://127.0.0.1:7878/update"
    assert remote.gsp_url == "http://127.0.0.1:7878/store"
    remote.close()


def test_unreachable_endpoint_says_so() -> None:
    base_url = f"http://127.0.0.1:{free_port()}"
    url = f"{base_url}/query"
    with RemoteStore(url, f"{base_url}/update", f"{base_url}/store") as remote:
        with pytest.raises(StoreError, match=f"cannot reach the SPARQL endpoint {url}"):
            remote.count()
        with pytest.raises(StoreError, match="cannot reach the Graph Store"):
            remote.load(TRIG, RdfFormat.TRIG, None)


@pytest.mark.remote
def test_remote_http_errors_become_store_errors(oxigraph_server: str) -> None:
    with RemoteStore(f"{oxigraph_server}/nowhere", gsp_url=f"{oxigraph_server}/nowhere") as remote:
        with pytest.raises(StoreError, match="/nowhere"):
            remote.ask("ASK {}")
        with pytest.raises(StoreError, match="/nowhere"):
            remote.replace_graph(G1, [])


# -- the embedded store on disk ---------------------------------------------------------------


def test_disk_store_is_durable(tmp_path: Path) -> None:
    with OxigraphStore(tmp_path / "store") as store:
        store.load(TRIG, RdfFormat.TRIG, None)
        store.update(f"DELETE WHERE {{ GRAPH <{G1}> {{ <{KVV}> <{EX}employees> ?n }} }}")
    with OxigraphStore(tmp_path / "store") as reopened:
        assert reopened.graphs() == sorted([G1, G2])
        assert reopened.count() == 4


def test_memory_copy_equals_the_disk_store(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with OxigraphStore(path, serve_from_memory=True) as store:
        store.load(TRIG, RdfFormat.TRIG, None)
        store.load(_dataset_in(RdfFormat.NQUADS), RdfFormat.NQUADS, G3, replace=True)
        store.replace_graph(
            G2, [(STADT, RDFS.label, Literal("Kassel")), (STADT, RDFS.seeAlso, BNode())]
        )
        store.update(f'INSERT DATA {{ GRAPH <{G3}> {{ _:a <{LABEL}> "anonymous" }} }}')
        store.update(f"DELETE WHERE {{ GRAPH <{G1}> {{ ?s <{EX}employees> ?n }} }}")
        served = io.BytesIO()
        store.dump(served, RdfFormat.NQUADS)
    with OxigraphStore(path, serve_from_memory=False) as disk:
        on_disk = io.BytesIO()
        disk.dump(on_disk, RdfFormat.NQUADS)
    assert sorted(served.getvalue().splitlines()) == sorted(on_disk.getvalue().splitlines())
    assert len(on_disk.getvalue().splitlines()) == 6


def test_a_second_process_gets_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with OxigraphStore(path):
        script = (
            "import sys\nfrom pathlib import Path\n"
            "from service.store import open_store, StoreError\n"
            "try:\n    open_store(path=Path(sys.argv[1]))\n"
            "except StoreError as error:\n    print(error)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", script, str(path)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
            check=True,
        )
    assert done.stdout.strip() == (
        f"the store at {path} is locked by another process (a running server or stadtgraph "
        "command); stop that process and try again"
    )


@pytest.mark.parametrize("fresh", [False, True], ids=["existing-graph", "empty-graph"])
def test_queries_never_see_a_write_in_progress(tmp_path: Path, fresh: bool) -> None:
    with OxigraphStore(tmp_path / "store") as store:
        store.load(TRIG, RdfFormat.TRIG, None)
        target = G3 if fresh else G1
        halfway, resume = threading.Event(), threading.Event()

        def triples() -> Iterator[tuple[URIRef, URIRef, Literal]]:
            for number in range(1000):
                if number == 500:
                    halfway.set()
                    resume.wait(10)
                yield URIRef(f"{EX}n{number}"), RDFS.label, Literal(f"new {number}")

        writer = threading.Thread(target=store.replace_graph, args=(target, triples()))
        writer.start()
        try:
            assert halfway.wait(10)
            assert store.count() == 5
            assert store.graphs() == sorted([G1, G2])
            assert store.select("SELECT ?s WHERE { ?s ?p ?o }").rows.__len__() == 5
            assert not store.ask('ASK { GRAPH ?g { ?s ?p "new 1" } }')
            assert store.count(target) == (0 if fresh else 3)
            for fmt in (RdfFormat.NQUADS, RdfFormat.NTRIPLES):
                out = io.BytesIO()
                store.dump(out, fmt)
                assert len(out.getvalue().splitlines()) == 5
        finally:
            resume.set()
            writer.join()
        assert store.count(target) == 1000
        assert not [g for g in store.graphs() if g.startswith(STAGING)]


# -- crash safety -----------------------------------------------------------------------------

CRASH_SCRIPT = """
import sys
from pathlib import Path
from service.store import OxigraphStore, RdfFormat
store = OxigraphStore(Path(sys.argv[1]))
print("writing", flush=True)
store.load(Path(sys.argv[2]), RdfFormat.NTRIPLES, sys.argv[3], replace=True)
print("done", flush=True)
"""


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Write 200,000 triples, enough for a load to take a few seconds."""
    path = tmp_path_factory.mktemp("big") / "big.nt"
    with path.open("w") as out:
        for number in range(BIG):
            out.write(f'<{EX}s{number // 10}> <{EX}p{number % 10}> "value {number}" .\n')
    return path


BIG = 200_000


@pytest.mark.slow
@pytest.mark.parametrize("target", [G1, G3], ids=["replacing", "first-load"])
@pytest.mark.parametrize("delay", [0.25, 3.0], ids=["early", "late"])
def test_sigkill_halfway_leaves_the_graph_as_it_was(
    tmp_path: Path, big_file: Path, target: str, delay: float
) -> None:
    """Kill a replacing load; the graph must be as before, or (only late) wholly replaced."""
    path = tmp_path / "store"
    with OxigraphStore(path) as store:
        store.load(TRIG, RdfFormat.TRIG, None)
    before = 3 if target == G1 else 0
    with subprocess.Popen(
        [sys.executable, "-c", CRASH_SCRIPT, str(path), str(big_file), target],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ) as writer:
        assert writer.stdout is not None
        assert writer.stdout.readline() == b"writing\n"
        time.sleep(delay)
        if delay < 1:
            assert writer.poll() is None, "the load finished before it could be killed"
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
    with OxigraphStore(path, serve_from_memory=False) as reopened:
        size = reopened.count(target)
        # Early on the new data is still being staged; later the swap may have committed.
        assert size == before if delay < 1 else size in (before, BIG)
        assert reopened.count(G2) == 2
        assert reopened.count() == 5 - before + size
        rows = reopened.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        left = {str(row["g"]) for row in rows} - {G1, G2, G3}
        assert not left, f"staging graphs left behind: {left}"


def test_reopen_removes_what_a_killed_write_left(tmp_path: Path) -> None:
    """Build the state a killed process leaves on disk, then open the store over it."""
    path = tmp_path / "store"
    with OxigraphStore(path) as store:
        store.load(TRIG, RdfFormat.TRIG, None)
    raw = ox.Store(str(path))
    label = ox.NamedNode(LABEL)
    # a half-filled staging graph of a replace
    staged = ox.NamedNode(f"{STAGING}0123:0")
    raw.add(ox.Quad(ox.NamedNode(KVV), label, ox.Literal("staged"), staged))
    # a first load into an empty graph that broke off before its marker was removed
    marker = ox.NamedNode(f"{STAGING}4567")
    raw.add(ox.Quad(marker, ox.NamedNode("urn:stadtgraph:loadingInto"), ox.NamedNode(G3), marker))
    raw.add(ox.Quad(ox.NamedNode(KVV), label, ox.Literal("half"), ox.NamedNode(G3)))
    raw.flush()
    del raw  # releases the RocksDB lock
    with OxigraphStore(path) as reopened:
        assert reopened.graphs() == sorted([G1, G2])
        assert reopened.count() == 5
        assert not reopened.ask('ASK { GRAPH ?g { ?s ?p "staged" } }')


@pytest.mark.remote
def test_the_union_check_samples_a_triple_it_can_name(oxigraph_server: str) -> None:
    with RemoteStore(f"{oxigraph_server}/query", f"{oxigraph_server}/update") as remote:
        remote.update("DROP SILENT ALL")
        remote.update("INSERT DATA { GRAPH <urn:test:g> { <urn:test:z> <urn:test:p> [] } }")
        assert remote.default_graph_is_union() is None  # only a blank node to sample
        remote.update('INSERT DATA { GRAPH <urn:test:g> { <urn:test:y> <urn:test:p> "x" } }')
        assert remote.default_graph_is_union() is True  # the server runs with the union
        remote.update("DROP SILENT ALL")


class _TakesUpdatesSilently(BaseHTTPRequestHandler):
    """Read a request whole, then close the connection without an answer."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.close_connection = True

    def log_message(self, *args: object) -> None:
        pass


def test_an_update_the_server_takes_without_answering_has_an_unknown_outcome() -> None:
    # The write may have been applied: "refused" would mislead whoever sends it again.
    with serving_handler(_TakesUpdatesSilently) as base:
        store = open_store(endpoint=base + "/query", update_endpoint=base + "/update")
        with pytest.raises(WriteOutcomeUnknown, match="gave no answer"):
            store.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


class _BreaksOff(BaseHTTPRequestHandler):
    """Answer 200 and end the body mid-way, as `oxigraph serve --timeout-s` does."""

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer()

    def _answer(self) -> None:
        body = (
            b'{"head":{"vars":["n"]},"results":{"bindings":[The SPARQL operation has been cancelled'
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_an_answer_that_breaks_off_is_a_store_error_not_a_result() -> None:
    with serving_handler(_BreaksOff) as base:
        store = open_store(endpoint=base + "/query")
        with pytest.raises(StoreError, match="breaks off"):
            store.query_serialized(
                "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "application/sparql-results+json"
            )


class _FailsSecondGraph(BaseHTTPRequestHandler):
    """A Graph Store that takes the first graph and fails on the second."""

    requests = 0

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).requests += 1
        status = 201 if type(self).requests == 1 else 500
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_a_remote_load_that_fails_part_way_says_which_graphs_it_already_replaced() -> None:
    with serving_handler(_FailsSecondGraph) as base:
        store = open_store(endpoint=base + "/query", gsp_endpoint=base + "/store")
        trig = b"".join(
            f"<urn:g:{name}> {{ <urn:s> <urn:p> {index} . }}\n".encode()
            for index, name in enumerate("abc")
        )
        with pytest.raises(StoreError) as raised:
            store.load(trig, RdfFormat.TRIG, None, replace=True)
        message = str(raised.value)
        assert (
            "HTTP 500" in message and "1 graph(s) of the same data were already replaced" in message
        )
        assert message.count("<urn:g:") == 1
