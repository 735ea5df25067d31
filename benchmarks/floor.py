"""Where a cheap query's time goes: the cost of one request through each server's stack.

Sustained load (4 client threads, a new connection per request, like the HTTP mix) for a few
seconds per server, interleaved, with `ASK {}` and the mix's entity lookup; reported:
requests/s and the CPU time the server's processes spent per request (from /proc, summed
over the server's process group: HTTP workers and query workers alike).

- `oxigraph-memory`: `oxigraph serve` in memory (Rust all the way);
- `python-floor`: a WSGI app under Granian, as ours is served, that answers every request
  with a fixed body: the least any Python web app served this way can cost;
- `ours` / `ours-fresh`: `stadtgraph serve` with the response cache on (answers reused) and
  off (every request runs its query in a query worker).

    python -m benchmarks.floor --size 100k --seconds 4 --rounds 3
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from benchmarks import servers as srv
from benchmarks.datasets import OUT, parse_sizes, served_file
from benchmarks.mix import QUERIES, SELECT_JSON
from benchmarks.process import Tree

FLOOR_APP = """
from granian.constants import Interfaces
from granian.server import Server

BODY = b'{"head":{},"boolean":true}'

def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/sparql-results+json")])
    return [BODY]

Server("floor", address="127.0.0.1", port={port}, interface=Interfaces.WSGI, workers=2,
       blocking_threads={threads}).serve(target_loader=lambda: app, wrap_loader=False)
"""


def start_floor(work: Path, timeout: float) -> srv.Server:
    """Start the fixed-answer WSGI app under Granian with ours' worker and thread counts."""
    port = srv.free_port()
    log = work / "python-floor.log"
    started = time.monotonic()
    process = srv._spawn(
        [
            sys.executable,
            "-c",
            FLOOR_APP.replace("{port}", str(port)).replace("{threads}", str(srv.SERVER_THREADS)),
        ],
        log,
    )
    base = f"http://127.0.0.1:{port}"
    srv._wait_ready(process, base + "/", timeout, log)
    return srv.Server(
        "python-floor", base + "/sparql", base, process, log, time.monotonic() - started
    )


def group_cpu_seconds(pgid: int) -> float:
    """CPU seconds (user + system) of every live process in a process group."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def sustained(server: srv.Server, path: str, seconds: float, threads: int) -> tuple[float, float]:
    """Load a server for `seconds`; return requests/s and server CPU ms per request."""
    parts = urllib.parse.urlsplit(server.base_url)
    assert parts.hostname is not None
    host, port = parts.hostname, parts.port
    done = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def work() -> None:
        count = 0
        while time.monotonic() < stop:
            connection = http.client.HTTPConnection(host, port, timeout=30)
            connection.request("GET", path, headers={"Accept": SELECT_JSON})
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status != 200:
                raise RuntimeError(f"{server.name} answered {response.status}")
            count += 1
        with lock:
            done[0] += count

    pgid = os.getpgid(server.process.pid)
    cpu_before = group_cpu_seconds(pgid)
    started = time.monotonic()
    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    cpu = group_cpu_seconds(pgid) - cpu_before
    return done[0] / elapsed, cpu / max(done[0], 1) * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.floor", description=__doc__)
    parser.add_argument("--size", default="100k")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--queries",
        default="entity",
        help="the mix's queries to run besides ASK {}, comma-separated",
    )
    args = parser.parse_args(argv)
    sparql = {q.name: q.sparql for q in QUERIES if q.page is None}
    unknown = [name for name in args.queries.split(",") if name not in sparql]
    if unknown:
        parser.error(
            f"not a SPARQL query of the mix: {', '.join(unknown)}; use {', '.join(sparql)}"
        )
    args.probes = {"ASK {}": "ASK {}", **{name: sparql[name] for name in args.queries.split(",")}}
    [(label, triples)] = parse_sizes(args.size)
    tree = OUT / f"tree-floor-{os.getpid()}"
    Tree.snapshot(tree)
    try:
        text = _measure(label, triples, args)
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    text = f"Code measured: {Tree.described}.\n\n{text}"
    path = OUT / f"floor-{label}-{time.strftime('%Y%m%d-%H%M%S')}.md"
    path.write_text(text + "\n", encoding="utf-8")
    print(text)
    print(f"wrote {path}", file=sys.stderr)


def _measure(label: str, triples: int, args: argparse.Namespace) -> str:
    data = served_file(label, triples, args.seed)
    work = OUT / "work" / f"floor-{label}"
    srv.remove(work)
    work.mkdir(parents=True)
    running: list[srv.Server] = []
    try:
        running.append(srv.start_oxigraph_memory(data, work, 900))
        running.append(start_floor(work, 60))
        running.append(srv.start_ours(work / "ours-store", data, work, 900))
        running.append(srv.start_ours(work / "fresh-store", data, work, 900, fresh=True))
        probes: dict[str, str] = args.probes
        results: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for name, sparql in probes.items():
            for server in running:  # warm up: workers forked, caches filled
                path = _path(server, sparql)
                sustained(server, path, 0.5, args.threads)
            for number in range(args.rounds):
                shift = number % len(running)
                for server in running[shift:] + running[:shift]:
                    path = _path(server, sparql)
                    measured = sustained(server, path, args.seconds, args.threads)
                    results.setdefault((name, server.name), []).append(measured)
        return _report(label, args, running, probes, results)
    finally:
        for server in running:
            server.stop()
        srv.remove(work)


def _path(server: srv.Server, sparql: str) -> str:
    return (
        urllib.parse.urlsplit(server.sparql_url).path
        + "?"
        + urllib.parse.urlencode({"query": sparql})
    )


def _report(
    label: str,
    args: argparse.Namespace,
    running: list[srv.Server],
    probes: dict[str, str],
    results: dict[tuple[str, str], list[tuple[float, float]]],
) -> str:
    lines = [
        f"## Cost of one request at {label} ({args.threads} client threads, a new connection "
        f"per request, {args.rounds} interleaved rounds of {args.seconds:g} s)",
        "",
        "| probe | server | requests/s (median) | server CPU ms per request | vs oxigraph-memory |",
        "|---|---|---:|---:|---:|",
    ]
    for name in probes:
        reference = _median([r for r, _ in results[(name, "oxigraph-memory")]])
        for server in running:
            rates = [r for r, _ in results[(name, server.name)]]
            cpu = [c for _, c in results[(name, server.name)]]
            lines.append(
                f"| {name} | {server.name} | {_median(rates):.0f} | {_median(cpu):.2f} | "
                f"{_median(rates) / reference:.2f}× |"
            )
    lines += [
        "",
        "python-floor answers every request with a fixed body (no routing, no query): what",
        f"any Python WSGI app served by Granian with 2 workers × {srv.SERVER_THREADS} threads "
        "costs at least.",
    ]
    return "\n".join(lines)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


if __name__ == "__main__":
    main()
