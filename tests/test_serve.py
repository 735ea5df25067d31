"""`stadtgraph serve` as users run it: a real process under Granian, answering over HTTP,
writing with one worker, read-only with several, stopping cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT, TEST_DATA, run_cli
from tests.servers import free_port, running_oxigraph

TOKEN = "serve-test-token"
G = "https://example.org/graph"
INSERT = (
    "INSERT DATA { GRAPH <urn:test:serve> { "
    '<urn:test:a> <http://www.w3.org/2000/01/rdf-schema#comment> "neu" } }'
)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:test:serve> { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("serve") / "store"
    result = run_cli("load", TEST_DATA / "cli" / "small.ttl", "--graph", G, "--store", store)
    assert result.returncode == 0, result.stderr
    return store


@contextmanager
def started(
    store: Path | None, *args: str, dumps: Path | None = None
) -> Iterator[subprocess.Popen[str]]:
    """Start `stadtgraph serve` (killed afterwards if still running); its dumps go to `dumps`
    (by default a new temporary folder: never the checkout's instance folder, whose dumps
    belong to the developer's store)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STADTGRAPH_")}
    env["STADTGRAPH_WRITE_TOKENS"] = TOKEN
    env["STADTGRAPH_DUMP_FOLDER"] = str(dumps or tempfile.mkdtemp(prefix="serve-dumps-"))
    command = [sys.executable, "-m", "service", "serve"]
    if store is not None:
        command += ["--store", str(store)]
    process = subprocess.Popen(
        [*command, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


@contextmanager
def serving(
    store: Path | None, *args: str, dumps: Path | None = None
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Run `stadtgraph serve` on a free port until it answers /health."""
    port = free_port()
    with started(store, "--port", str(port), *args, dumps=dumps) as process:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base + "/health", process)
        yield base, process


def _wait_for(url: str, process: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            printed = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"serve ended early:\n{printed}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout} s")


def count(base: str, cache: str | None = None) -> int:
    url = base + "/sparql?" + urllib.parse.urlencode({"query": COUNT})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        rows = json.loads(response.read())["results"]["bindings"]
        if cache is not None:
            assert response.headers["X-Stadtgraph-Cache"] == cache
    return int(rows[0]["n"]["value"])


def update(base: str) -> tuple[int, str]:
    return send(base + "/update", INSERT, "POST", "application/sparql-update")


def put_graph(base: str, graph: str, ntriples: str) -> tuple[int, str]:
    """Replace a graph through the Graph Store Protocol (the engine's bulk loader writes it)."""
    url = base + "/store?" + urllib.parse.urlencode({"graph": graph})
    return send(url, ntriples, "PUT", "application/n-triples")


def send(url: str, body: str, method: str, content_type: str) -> tuple[int, str]:
    """Send an authorised write; return its status and body."""
    request = urllib.request.Request(
        url,
        data=body.encode(),
        method=method,
        headers={"Content-Type": content_type, "Authorization": f"Bearer {TOKEN}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def stop(process: subprocess.Popen[str]) -> str:
    """Send SIGTERM to the server and return what it printed; it must end by itself."""
    os.kill(process.pid, signal.SIGTERM)
    output, _ = process.communicate(timeout=30)
    return output


def group_members(process: subprocess.Popen[str]) -> list[int]:
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[2]) == process.pid and stat[0] != "Z":
                members.append(int(entry))
    return members


def dump_states(folder: Path, *, other_than: AbstractSet[str] = frozenset()) -> set[str]:
    """Wait until the dump folder holds a state's written dumps other than those named."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = {manifest.parent.name for manifest in folder.glob("*/manifest.json")}
        if found - other_than:
            return found
        time.sleep(0.2)
    raise AssertionError(f"no new dumps in {folder} within 60 s")


def test_one_worker_answers_writes_and_stops_cleanly(loaded: Path, tmp_path: Path) -> None:
    with serving(loaded, dumps=tmp_path) as (base, process):
        first = dump_states(tmp_path)  # written ahead, with no request for them
        assert count(base) == 0
        status, body = update(base)
        assert status == 204, body
        assert count(base) == 1
        assert dump_states(tmp_path, other_than=first) - first  # the new state's, ahead too
        # A new graph and a replaced one go through the engine's bulk loader, which needs the
        # engine's background threads in this process (a fork after opening would lose them).
        extra = "https://example.org/stadtgraph-test/extra"
        triple = "<urn:test:a> <http://www.w3.org/2000/01/rdf-schema#label> "
        assert put_graph(base, extra, triple + '"neu"@de .\n')[0] == 201
        assert put_graph(base, extra, triple + '"ersetzt"@de .\n')[0] == 204
        read = urllib.request.Request(
            base + "/store?" + urllib.parse.urlencode({"graph": extra}),
            headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/n-triples"},
        )
        with urllib.request.urlopen(read, timeout=30) as response:
            assert "ersetzt" in response.read().decode()
        page = urllib.request.urlopen(base + "/", timeout=30)
        assert page.status == 200 and "text/html" in page.headers["Content-Type"]
        output = stop(process)
        assert process.returncode == 0, output
        assert "1 worker" in output and "GET /sparql" in output  # start-up line, access log
        assert "Traceback" not in output
        deadline = time.monotonic() + 10
        while group_members(process) and time.monotonic() < deadline:
            time.sleep(0.2)  # query workers end when the server's pipes close
        assert group_members(process) == []
    # The write was made durable: a new server over the same folder sees it.
    result = run_cli("query", COUNT, "--store", loaded, "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "1"


def test_several_workers_share_a_read_only_store(loaded: Path) -> None:
    with serving(loaded, "--workers", "2") as (base, process):
        before = count(base)
        status, body = update(base)
        assert status == 403 and "read-only" in body.lower()
        assert [count(base) for _ in range(6)] == [before] * 6
        output = stop(process)
        assert "2 workers" in output and "read-only" in output


def _seed(remote: str) -> None:
    """Give a remote store one triple: `serve` refuses an empty store."""
    seed = urllib.request.Request(
        remote + "/store?default",
        data=b'<urn:test:x> <http://www.w3.org/2000/01/rdf-schema#comment> "1" .',
        method="POST",
        headers={"Content-Type": "application/n-triples"},
    )
    urllib.request.urlopen(seed, timeout=10).close()


def test_several_workers_write_to_a_remote_store() -> None:
    with running_oxigraph() as remote:
        _seed(remote)
        endpoints = ["--endpoint", remote + "/query", "--update-endpoint", remote + "/update"]
        with serving(None, *endpoints, "--gsp-endpoint", remote + "/store", "--workers", "2") as (
            base,
            process,
        ):
            assert count(base, cache="off") == 0  # others may write: nothing is kept
            status, body = update(base)
            assert status == 204, body
            assert [count(base, cache="off") for _ in range(6)] == [1] * 6
            output = stop(process)
            assert "2 workers" in output and "read-only" not in output


def test_a_bad_setting_stops_serve_before_it_listens(loaded: Path) -> None:
    result = run_cli(
        "serve", "--store", loaded, "--port", "5998", env={"STADTGRAPH_SERVER_THREADS": "none"}
    )
    assert result.returncode == 2
    assert "SERVER_THREADS" in result.stderr and "Traceback" not in result.stderr


def test_a_server_whose_default_graph_is_not_the_union_is_refused() -> None:
    # Every page reads the union of the graphs; over a plain `oxigraph serve` it would find
    # nothing while /health said all was well.
    with running_oxigraph(union_default_graph=False) as remote:
        seed = urllib.request.Request(
            remote + "/store?" + urllib.parse.urlencode({"graph": G}),
            data=b'<urn:test:x> <http://www.w3.org/2000/01/rdf-schema#comment> "1" .',
            method="POST",
            headers={"Content-Type": "application/n-triples"},
        )
        urllib.request.urlopen(seed, timeout=10).close()
        env = {k: v for k, v in os.environ.items() if not k.startswith("STADTGRAPH_")}
        command = [sys.executable, "-m", "service", "serve", "--endpoint", remote + "/query"]
        process = subprocess.Popen(
            [*command, "--port", str(free_port())],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # so that a server that did start is stopped whole
        )
        try:
            _, stderr = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
    assert process.returncode != 0
    assert "does not answer queries over the union of its graphs" in stderr
    assert "--union-default-graph" in stderr


def test_a_stop_signal_while_the_workers_still_load_ends_the_server() -> None:
    # Each worker makes its app after the fork (a remote store: ~0.6 s). A SIGTERM in that
    # time ran the master's handler, inherited with the fork, and was lost: the master then
    # waited for the worker forever.
    with running_oxigraph() as remote:
        _seed(remote)
        endpoint = ("--endpoint", remote + "/query")
        with started(None, *endpoint, "--port", str(free_port()), "--workers", "2") as process:
            assert process.stdout is not None
            printed = []
            for line in process.stdout:
                printed.append(line)
                if "Spawning worker-2" in line:
                    break
            assert "Spawning worker-2" in printed[-1], "".join(printed)
            time.sleep(0.3)  # the workers are making their apps
            os.kill(process.pid, signal.SIGTERM)
            process.communicate(timeout=30)
