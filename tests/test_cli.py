"""The command line, run as a real subprocess: loading, validating, querying, errors."""

from __future__ import annotations

import base64
import json
import socket
import time
import urllib.request
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from service.store import RdfFormat, open_store

from .conftest import TEST_DATA, run_cli
from .servers import running_oxigraph, serving_handler

CLI = TEST_DATA / "cli"
G = "https://example.org/graph"


def quads(store_path: Path) -> set[tuple[str, ...]]:
    store = open_store(path=store_path, serve_from_memory=False)
    try:
        rows = store.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return {tuple(str(row[v]) for v in ("s", "p", "o", "g")) for row in rows}
    finally:
        store.close()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store"


def test_load_makes_the_store_s_folders(tmp_path: Path) -> None:
    # `make run` loads into instance/store, and a fresh checkout has no instance/ folder.
    store = tmp_path / "instance" / "store"
    result = run_cli("load", CLI / "small.ttl", "--graph", G, "--store", store)
    assert result.returncode == 0, result.stderr
    assert quads(store)


def test_load_named_graph_then_query_and_stats(store_path: Path) -> None:
    result = run_cli("load", CLI / "small.ttl", "--graph", G, "--store", store_path)
    assert result.returncode == 0, result.stderr
    assert "read 2 triples from 1 file(s) and loaded into 1 graph(s)" in result.stderr
    assert "now holds 2 quads (+2)" in result.stderr
    assert quads(store_path) == {
        ("https://example.org/a", "http://www.w3.org/2000/01/rdf-schema#label", "A", G),
        ("https://example.org/b", "http://www.w3.org/2000/01/rdf-schema#label", "B", G),
    }
    query = run_cli(
        "query",
        "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o",
        "--format",
        "csv",
        "--store",
        store_path,
    )
    assert query.returncode == 0, query.stderr
    assert query.stdout.split() == ["o", "A", "B"]
    stats = run_cli("stats", "--store", store_path)
    assert G in stats.stdout and "2" in stats.stdout


def test_store_from_environment(store_path: Path) -> None:
    env = {"STADTGRAPH_STORE": str(store_path)}
    assert run_cli("load", CLI / "small.ttl", "--graph", G, env=env).returncode == 0
    assert len(quads(store_path)) == 2


def test_quads_keep_their_graphs_and_default_triples_get_the_path_graph(store_path: Path) -> None:
    result = run_cli("load", CLI / "quads.nq", "--store", store_path)
    assert result.returncode == 0, result.stderr
    graphs = {q[3] for q in quads(store_path)}
    assert graphs == {
        "https://example.org/g1",
        "https://example.org/g2",
        "https://w3id.org/stadtgraph/graph/tests/data/cli/quads",
    }


def test_replace_swaps_the_graph(store_path: Path, tmp_path: Path) -> None:
    run_cli("load", CLI / "small.ttl", "--graph", G, "--store", store_path)
    other = tmp_path / "other.ttl"
    other.write_text('<https://example.org/z> <http://www.w3.org/2000/01/rdf-schema#label> "Z" .\n')
    result = run_cli("load", other, "--graph", G, "--replace", "--store", store_path)
    assert result.returncode == 0, result.stderr
    assert quads(store_path) == {
        ("https://example.org/z", "http://www.w3.org/2000/01/rdf-schema#label", "Z", G)
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["load", CLI / "syntax-error.ttl"], "syntax-error.ttl:3:11"),
        (["load", CLI / "notes.txt"], "unknown RDF file suffix '.txt'"),
        (["load", CLI / "missing.ttl"], "missing.ttl: no such file"),
        (["load", CLI / "small.ttl", "--format", "yaml"], "unknown RDF format 'yaml'"),
        (["validate", CLI / "syntax-error.ttl"], "syntax-error.ttl:3:11"),
        (["query", "no-such-query"], "no query named 'no-such-query'"),
        (["query", "SELECT * WHERE { ?s ?p }", "--format", "csv"], "SPARQL syntax error"),
        (["export", "--format", "ttl", "-o", "/no/such/folder/dump.ttl"], "does not exist"),
        (["load", CLI / "small.ttl", "--graph", "my graph"], "'my graph' is not an absolute IRI"),
        (["load", CLI / "small.ttl", "--graph", "graph"], "'graph' is not an absolute IRI"),
        (["validate", CLI / "small.ttl", "--graph", "a b"], "'a b' is not an absolute IRI"),
    ],
)
def test_bad_input_gets_one_clear_message(
    store_path: Path, args: list[object], message: str
) -> None:
    run_cli("load", CLI / "small.ttl", "--graph", G, "--store", store_path)
    before = quads(store_path)
    result = run_cli(*args, "--store", store_path)  # type: ignore[arg-type]
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert quads(store_path) == before


def test_unreachable_endpoint(tmp_path: Path) -> None:
    result = run_cli("stats", "--endpoint", "http://127.0.0.1:9/query")
    assert result.returncode != 0
    assert "127.0.0.1:9" in result.stderr
    assert "Traceback" not in result.stderr


def test_query_on_missing_store_says_load_first(store_path: Path) -> None:
    result = run_cli("query", "ASK {}", "--store", store_path)
    assert result.returncode == 2
    assert "run `stadtgraph load` first" in result.stderr


def test_serve_refuses_an_empty_store(store_path: Path) -> None:
    open_store(path=store_path, serve_from_memory=False).close()
    result = run_cli("serve", "--store", store_path, "--port", "5999", timeout=60)
    assert result.returncode == 2
    assert "is empty" in result.stderr


@pytest.mark.parametrize("fmt", ["ttl", "nt", "nq", "trig", "jsonld"])
def test_export_round_trips(store_path: Path, tmp_path: Path, fmt: str) -> None:
    run_cli("load", CLI / "small.ttl", "--graph", G, "--store", store_path)
    dump = tmp_path / f"dump.{fmt}"
    result = run_cli("export", "--format", fmt, "-o", dump, "--store", store_path)
    assert result.returncode == 0, result.stderr
    # A triple format holds the union of the graphs: it says so rather than "N quads".
    assert ("as triples" in result.stderr) is not RdfFormat.for_name(fmt).has_graphs
    again = tmp_path / "again"
    graph_args = ["--graph", G] if fmt in {"ttl", "nt"} else []
    assert run_cli("load", dump, *graph_args, "--store", again).returncode == 0
    assert {q[:3] for q in quads(again)} == {q[:3] for q in quads(store_path)}
    assert not list(tmp_path.glob(".dump*.tmp"))


def test_query_formats(store_path: Path) -> None:
    run_cli("load", CLI / "small.ttl", "--graph", G, "--store", store_path)
    as_json = run_cli(
        "query", "SELECT ?o WHERE { ?s ?p ?o }", "--format", "json", "--store", store_path
    )
    assert len(json.loads(as_json.stdout)["results"]["bindings"]) == 2
    turtle = run_cli(
        "query", "CONSTRUCT WHERE { ?s ?p ?o }", "--format", "turtle", "--store", store_path
    )
    assert "example.org/a" in turtle.stdout
    # piped, the default table is SPARQL TSV: no value cut to a terminal's width
    long = "x" * 300
    insert = f'<https://example.org/c> <http://www.w3.org/2000/01/rdf-schema#label> "{long}" .'
    (store_path.parent / "long.nt").write_text(insert + "\n")
    run_cli("load", store_path.parent / "long.nt", "--graph", G, "--store", store_path)
    table = run_cli("query", "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o", "--store", store_path)
    assert table.stdout.splitlines() == ["?o", '"A"', '"B"', f'"{long}"']
    # asked for by name, a table is a table there too
    asked = run_cli(
        "query",
        "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o",
        "--format",
        "table",
        "--store",
        store_path,
    )
    assert asked.returncode == 0 and "?o" not in asked.stdout and "A" in asked.stdout


def test_query_says_what_it_cannot_do_before_opening_the_store(store_path: Path) -> None:
    # No store at store_path: each of these is told apart before the store would be needed.
    cases = {
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "table"): "this is a SPARQL Update",
        ("CONSTRUCT WHERE { ?s ?p ?o }", "json"): "a CONSTRUCT query cannot be written as json; "
        "use --format turtle, ntriples, jsonld or table",
        ("SELECT * WHERE { ?s ?p ?o }", "turtle"): "a SELECT query cannot be written as turtle",
        ("nonsense here", "csv"): "SPARQL syntax error at line 1, column 1",
    }
    for (text, fmt), message in cases.items():
        result = run_cli("query", text, "--format", fmt, "--store", store_path)
        assert result.returncode == 2, text
        assert message in result.stderr, result.stderr


def test_settings_piped_are_whole_lines_a_script_can_read() -> None:
    from service.settings import SETTINGS

    result = run_cli("settings")  # captured, as in a pipe: no terminal
    assert result.returncode == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [row[0] for row in rows] == [f"STADTGRAPH_{s.name}" for s in SETTINGS]
    assert all(len(row) == 3 for row in rows)


def test_validate_without_a_store_says_that_it_checks_the_files_alone(tmp_path: Path) -> None:
    result = run_cli("validate", CLI / "small.ttl", "--store", tmp_path / "none")
    assert result.returncode == 0, result.stderr
    assert f"no store at {tmp_path / 'none'}; the files are checked on their own" in (
        " ".join(result.stderr.split())
    )


def test_validate_reports_conformance_as_json(store_path: Path) -> None:
    result = run_cli("validate", CLI / "small.ttl", "--format", "json", "--store", store_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["conforms"] is True


def test_export_follows_a_link_takes_the_suffix_s_format_and_the_umask(
    store_path: Path, tmp_path: Path
) -> None:
    run_cli("load", CLI / "small.ttl", "--graph", G, "--store", store_path)
    target = tmp_path / "target.ttl"
    target.write_text("old")
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    result = run_cli("export", "-o", link, "--store", store_path)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and "{" not in target.read_text()  # Turtle by the suffix, no TriG
    assert "example.org/a" in target.read_text()
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()
    clash = run_cli("export", "-o", tmp_path / "d.ttl", "--format", "nq", "--store", store_path)
    assert clash.returncode == 2 and "its suffix names ttl, not --format nq" in clash.stderr
    devnull = run_cli("export", "-o", "/dev/null", "--store", store_path)
    assert devnull.returncode == 0 and Path("/dev/null").is_char_device()


def test_export_to_a_reader_that_stops_is_no_error(store_path: Path) -> None:
    import subprocess
    import sys

    run_cli("load", CLI / "small.ttl", "--graph", G, "--store", store_path)
    command = f"{sys.executable} -m service export -o - --store {store_path} | head -c 1"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True)
    assert result.returncode == 0, result.stderr
    assert b"Error" not in result.stderr


def test_replacing_one_graph_from_two_files_is_refused(store_path: Path, tmp_path: Path) -> None:
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.ttl").write_text((CLI / "small.ttl").read_text())
    run_cli("load", CLI / "small.ttl", "--graph", G, "--store", store_path)
    before = quads(store_path)
    files = (tmp_path / "one" / "same.ttl", tmp_path / "two" / "same.ttl")
    result = run_cli("load", *files, "--replace", "--store", store_path)
    assert result.returncode == 2
    assert "would both replace the graph" in result.stderr and "--graph" in result.stderr
    assert quads(store_path) == before


@pytest.mark.parametrize("command", ["load", "serve", "stats"])
def test_a_store_in_memory_is_refused_by_the_commands(command: str, tmp_path: Path) -> None:
    # It would be empty when the command starts and gone when it ends; `load` made a folder
    # called ":memory:" instead.
    for how in (["--store", ":memory:"], []):
        result = run_cli(
            command, *how, cwd=tmp_path, env={"STADTGRAPH_STORE": ":memory:"} if not how else {}
        )
        assert result.returncode == 2
        assert ":memory: is a store for tests and the Python API" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_serve_says_when_it_cannot_write_the_dumps(store_path: Path, tmp_path: Path) -> None:
    run_cli("load", CLI / "small.ttl", "--graph", G, "--store", store_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_cli(
        "serve",
        "--store",
        store_path,
        "--port",
        "5999",
        env={"STADTGRAPH_DUMP_FOLDER": str(blocker / "dumps")},
        timeout=60,
    )
    assert result.returncode == 2
    assert f"cannot write the dumps to {blocker / 'dumps'}" in result.stderr
    assert "STADTGRAPH_DUMP_FOLDER" in result.stderr and "serving" not in result.stderr


def test_serve_on_a_taken_port_says_so_in_one_line(store_path: Path) -> None:
    import socket

    run_cli("load", CLI / "small.ttl", "--graph", G, "--store", store_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--store", store_path, "--port", str(port), timeout=60)
    assert result.returncode == 2
    assert f"cannot serve at 127.0.0.1:{port}" in result.stderr
    assert "serving" not in result.stderr and "backtrace" not in result.stderr.lower()


def test_a_query_file_that_is_not_utf8_is_named(store_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_bytes(b"SELECT * WHERE { ?s ?p \xff }")
    run_cli("load", CLI / "small.ttl", "--graph", G, "--store", store_path)
    result = run_cli("query", bad, "--store", store_path)
    assert result.returncode == 2 and "bad.rq: not UTF-8 text" in result.stderr


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_reading_commands_read_a_store_another_process_holds(
    store_path: Path, tmp_path: Path
) -> None:
    """An operator takes a dump or a count from a running server's store."""
    run_cli("load", CLI / "small.ttl", "--graph", G, "--store", store_path)
    holder = open_store(path=store_path, serve_from_memory=False)  # holds the lock, as serve
    try:
        dump = tmp_path / "live.nq"
        exported = run_cli("export", "-o", dump, "--store", store_path)
        assert exported.returncode == 0, exported.stderr
        assert "in use by another process" in exported.stderr
        assert dump.read_text().count("\n") == 2
        counted = run_cli("query", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "--store", store_path)
        assert counted.returncode == 0 and counted.stdout.split() == ["?n", "2"]
        checked = run_cli("validate", CLI / "small.ttl", "--store", store_path)
        assert checked.returncode == 0, checked.stderr  # a curator checks a file beside it
        written = run_cli("load", CLI / "small.ttl", "--store", store_path)
        assert written.returncode == 2 and "locked by another process" in written.stderr
    finally:
        holder.close()


class _NeedsBasicAuth(BaseHTTPRequestHandler):
    """Forward to a SPARQL server only what carries the right Basic credentials."""

    upstream = ""
    expected = "Basic " + base64.b64encode(b"reader:s3cret").decode()

    def do_GET(self) -> None:
        self._forward()

    def do_POST(self) -> None:
        self._forward()

    def _forward(self) -> None:
        if self.headers.get("Authorization") != self.expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="test"')
            self.end_headers()
            self.wfile.write(b"auth required")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("accept", "content-type")}
        forwarded = urllib.request.Request(
            self.upstream + self.path, data=body, headers=headers, method=self.command
        )
        with urllib.request.urlopen(forwarded, timeout=30) as answer:
            data = answer.read()
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.headers.get("Content-Type", ""))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def test_every_command_reads_a_remote_store_with_the_settings_credentials() -> None:
    with running_oxigraph() as remote:
        _NeedsBasicAuth.upstream = remote
        with serving_handler(_NeedsBasicAuth) as proxy:
            endpoint = proxy + "/query"
            credentials = {
                "STADTGRAPH_ENDPOINT_USER": "reader",
                "STADTGRAPH_ENDPOINT_PASSWORD": "s3cret",
            }
            query = ["query", "--endpoint", endpoint, "--format", "json", "ASK {}"]
            refused = run_cli(*query)
            assert refused.returncode != 0 and "auth required" in refused.stderr
            answered = run_cli(*query, env=credentials)
            assert answered.returncode == 0, answered.stderr
            assert json.loads(answered.stdout)["boolean"] is True
            stats = run_cli("stats", "--endpoint", endpoint, env=credentials)
            assert stats.returncode == 0, stats.stderr


def test_a_command_waits_for_a_silent_remote_store_as_long_as_the_setting_says() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    try:
        silent = f"http://127.0.0.1:{listener.getsockname()[1]}/query"
        started = time.monotonic()
        result = run_cli("stats", "--endpoint", silent, env={"STADTGRAPH_ENDPOINT_TIMEOUT": "1"})
        assert result.returncode != 0 and "timed out" in result.stderr, result.stderr
        assert time.monotonic() - started < 20  # not the default 30 s
        bad = run_cli("stats", "--endpoint", silent, env={"STADTGRAPH_ENDPOINT_TIMEOUT": "soon"})
        assert bad.returncode != 0 and "ENDPOINT_TIMEOUT" in bad.stderr
    finally:
        listener.close()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("notaurl", "http:// or https:// URL"),
        ("ftp://example.org/query", "http:// or https:// URL"),
        ("http://reader:s3cret@127.0.0.1:1/query", "STADTGRAPH_ENDPOINT_USER"),
    ],
)
def test_an_endpoint_that_is_no_http_url_is_refused_by_name(url: str, reason: str) -> None:
    result = run_cli("stats", "--endpoint", url)
    assert result.returncode == 2
    assert "--endpoint" in result.stderr and reason in result.stderr
    assert "s3cret" not in result.stderr
    served = run_cli("serve", "--port", "5997", env={"STADTGRAPH_ENDPOINT": url})
    assert served.returncode == 2 and "ENDPOINT" in served.stderr and "s3cret" not in served.stderr
