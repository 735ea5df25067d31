"""The SPARQL servers the HTTP benchmark compares, each started on 127.0.0.1 and stopped after.

- `ours`: `stadtgraph serve --workers 2` (Granian) over an embedded store holding the file,
  with its response cache on (the default): a repeated query is answered from the cache;
- `ours-fresh`: the same over its own copy of the store, with the response cache off
  (`STADTGRAPH_RESPONSE_CACHE_MB=0`): every request runs its query — the engine path;
- `oxigraph-memory`: `oxigraph serve` in memory, the file POSTed to its Graph Store endpoint;
- `oxigraph-disk`: `oxigraph load` into a RocksDB folder, then `oxigraph serve --location`;
- `rdflib-endpoint`: its CLI in its own venv (benchmarks/.venv-rdflib-endpoint, created on
  first use from PyPI), which parses the files into an rdflib Dataset with a union default
  graph (a conjunctive graph).
All oxigraph servers run with `--union-default-graph`, like ours.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.process import BIN, PROJECT, Tree, python, stadtgraph
from service.settings import SETTINGS_BY_NAME

RDFLIB_ENDPOINT_VENV = PROJECT / "benchmarks" / ".venv-rdflib-endpoint"
RDFLIB_ENDPOINT_REQUIREMENT = "rdflib-endpoint[cli]==0.6.3"

# Generous limits for a benchmark: nothing may refuse or truncate the mix.
OUR_SETTINGS = {
    "STADTGRAPH_RATE_LIMIT": "100000000",
    "STADTGRAPH_MAX_RESULTS": "1000000",
    "STADTGRAPH_QUERY_TIMEOUT": "120",
    "STADTGRAPH_QUERY_MEMORY_MB": "4096",
    # The defaults, set here so that the runner's environment cannot change them unseen:
    **{
        f"STADTGRAPH_{name}": str(SETTINGS_BY_NAME[name].default)
        for name in ("SERVER_THREADS", "RESPONSE_CACHE_MB")
    },
    # Not the default: a server prepares its dumps and the explorer's graph in the background
    # after it starts (at 1M about a minute and 14 s per worker), which would share the cores
    # with the measured requests. The mix uses neither.
    "STADTGRAPH_PREPARE_AHEAD": "false",
}
SERVER_THREADS = int(OUR_SETTINGS["STADTGRAPH_SERVER_THREADS"])
"""Requests one worker process of ours handles at once (the setting's default)."""
# ours-fresh: the same, but no reuse of finished responses — every request runs its query.
FRESH_SETTINGS = {"STADTGRAPH_RESPONSE_CACHE_MB": "0"}


@dataclass
class Server:
    """A running server: where to send queries, and how to stop it."""

    name: str
    sparql_url: str
    base_url: str
    process: subprocess.Popen[bytes]
    log: Path
    startup_seconds: float
    notes: list[str] = field(default_factory=list)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _spawn(
    args: list[str | Path], log: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(a) for a in args],
            cwd=Tree.root,
            env={**os.environ, **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


def _wait_ready(process: subprocess.Popen[bytes], url: str, timeout: float, log: Path) -> None:
    """Poll url until it answers 200; fail when the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    os.killpg(process.pid, signal.SIGKILL)
    raise RuntimeError(f"server not ready within {timeout:.0f} s; see {log}")


def start_ours(
    store: Path, data: Path, work: Path, timeout: float, *, fresh: bool = False
) -> Server:
    """Fill an embedded store from data (the store's own load) and serve it with 2 workers.

    fresh: start `ours-fresh`, whose response cache is off, so that every request runs its
    query. Each variant needs its own store folder: a folder is locked by the process using it.
    """
    if not store.exists():
        subprocess.run(
            [str(a) for a in python("-m", "benchmarks.load_gate", "store-load", data, store)],
            cwd=Tree.root,
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=timeout,
        )
    name = "ours-fresh" if fresh else "ours"
    settings = {**OUR_SETTINGS, **(FRESH_SETTINGS if fresh else {})}
    port = free_port()
    log = work / f"{name}.log"
    started = time.monotonic()
    process = _spawn(
        stadtgraph(
            "serve", "--store", store, "--host", "127.0.0.1", "--port", str(port), "--workers", "2"
        ),
        log,
        env=settings,
    )
    base = f"http://127.0.0.1:{port}"
    _wait_ready(process, base + "/health", timeout, log)
    server = Server(name, base + "/sparql", base, process, log, time.monotonic() - started)
    cache = (
        "response cache off (STADTGRAPH_RESPONSE_CACHE_MB=0)"
        if fresh
        else "response cache on (default)"
    )
    server.notes.append(
        f"Granian, 2 worker processes × {SERVER_THREADS} threads, store served from memory, "
        f"{cache}; " + ", ".join(f"{k}={v}" for k, v in settings.items())
    )
    return server


def start_oxigraph_memory(data: Path, work: Path, timeout: float) -> Server:
    port = free_port()
    log = work / "oxigraph-memory.log"
    started = time.monotonic()
    process = _spawn(
        [BIN / "oxigraph", "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"], log
    )
    base = f"http://127.0.0.1:{port}"
    _wait_ready(process, base + "/query", timeout, log)
    with data.open("rb") as body:
        request = urllib.request.Request(
            base + "/store",
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/n-quads",
                "Content-Length": str(data.stat().st_size),
            },
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    return Server(
        "oxigraph-memory", base + "/query", base, process, log, time.monotonic() - started
    )


def start_oxigraph_disk(data: Path, location: Path, work: Path, timeout: float) -> Server:
    if not location.exists():
        subprocess.run(
            [str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(data)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
        )
    port = free_port()
    log = work / "oxigraph-disk.log"
    started = time.monotonic()
    process = _spawn(
        [
            BIN / "oxigraph",
            "serve",
            "--location",
            location,
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        log,
    )
    base = f"http://127.0.0.1:{port}"
    _wait_ready(process, base + "/query", timeout, log)
    return Server("oxigraph-disk", base + "/query", base, process, log, time.monotonic() - started)


def rdflib_endpoint_bin() -> Path:
    """Return the rdflib-endpoint CLI from its own venv, creating the venv on first use."""
    executable = RDFLIB_ENDPOINT_VENV / "bin" / "rdflib-endpoint"
    if not executable.exists():
        print(
            f"creating {RDFLIB_ENDPOINT_VENV} with {RDFLIB_ENDPOINT_REQUIREMENT}", file=sys.stderr
        )
        subprocess.run([sys.executable, "-m", "venv", str(RDFLIB_ENDPOINT_VENV)], check=True)
        subprocess.run(
            [
                str(RDFLIB_ENDPOINT_VENV / "bin" / "pip"),
                "install",
                "--quiet",
                RDFLIB_ENDPOINT_REQUIREMENT,
            ],
            check=True,
        )
    return executable


def start_rdflib_endpoint(data: Path, work: Path, timeout: float) -> Server:
    port = free_port()
    log = work / "rdflib-endpoint.log"
    started = time.monotonic()
    process = _spawn(
        [rdflib_endpoint_bin(), "serve", data, "--host", "127.0.0.1", "--port", str(port)], log
    )
    base = f"http://127.0.0.1:{port}"
    _wait_ready(process, base + "/?query=ASK%7B%7D", timeout, log)
    return Server("rdflib-endpoint", base + "/", base, process, log, time.monotonic() - started)


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
