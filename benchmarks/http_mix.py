"""A realistic query mix over HTTP against our server, oxigraph serve and rdflib-endpoint.

Our server runs twice: `ours` with its response cache on (the default: a repeated query is
answered from the cache until the next write) and `ours-fresh` with it off (every request runs
its query). The client records each answer's `X-Stadtgraph-Cache` header (hit, miss or off),
so the report can say how many of ours' answers came from the cache.

All servers hold the same file (a generated graph plus the ontology) and run at the same time
on 127.0.0.1. For each query: a warm-up of two requests per server (whose result sizes are
compared), then interleaved rounds in which every server, in rotating order, answers a batch of
requests sent by a few client threads. Every loop is bounded: a fixed number of rounds and
requests, a per-request timeout, and a time budget per query and server after which the rest
of that server's requests for the query are skipped (the table says so). Entity pages
(`/page/...`) exist on our server only and are measured the same way on both variants.

    python -m benchmarks --only http --sizes 10k,100k
"""

from __future__ import annotations

import http.client
import json
import math
import statistics
import sys
import time
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from benchmarks import servers as srv
from benchmarks.datasets import served_file
from benchmarks.mix import PAGES, QUERIES, Query
from benchmarks.process import LoadSampler, Machine

SERVER_NAMES = ("ours", "ours-fresh", "oxigraph-memory", "oxigraph-disk", "rdflib-endpoint")
OURS = ("ours", "ours-fresh")
"""Our server with its response cache on (default), and with it off."""
BASELINES = ("oxigraph-memory", "rdflib-endpoint")
CACHE_HEADER = "X-Stadtgraph-Cache"


@dataclass
class Settings:
    rounds: int = 5
    batch: int = 8
    threads: int = 4
    warmup: int = 2
    slow_budget: float = 60.0
    """Seconds one server may spend on one query (warm-up included) before it is skipped."""
    startup_timeout: float = 900.0
    recover_timeout: float = 300.0
    """Seconds to wait for a server still busy with a request its client gave up on."""
    servers: list[str] = field(default_factory=lambda: list(SERVER_NAMES))

    @classmethod
    def for_run(
        cls,
        *,
        quick: bool,
        rounds: int | None,
        batch: int | None,
        threads: int,
        slow_budget: float | None,
        servers: list[str],
    ) -> Settings:
        base = cls(rounds=2, batch=4, slow_budget=20.0) if quick else cls()
        unknown = set(servers) - set(SERVER_NAMES)
        if unknown or "ours" not in servers:
            raise SystemExit(f"--servers takes 'ours' and any of {', '.join(SERVER_NAMES[1:])}")
        return cls(
            rounds=rounds or base.rounds,
            batch=batch or base.batch,
            threads=threads,
            slow_budget=slow_budget or base.slow_budget,
            servers=servers,
        )


@dataclass
class Cell:
    """One query on one server: latencies of the measured requests and their batches' time."""

    latencies: list[float] = field(default_factory=list)
    warmup: list[float] = field(default_factory=list)
    busy: float = 0.0
    failures: list[str] = field(default_factory=list)
    results: int | None = None
    capped: str | None = None
    spent: float = 0.0
    cache: list[str] = field(default_factory=list)
    """The X-Stadtgraph-Cache header of each measured answer (hit, miss, off; '' if absent)."""
    alone: list[float] = field(default_factory=list)
    """Pages only: latencies of requests sent one after another by a single client."""

    @property
    def cache_hits(self) -> int:
        """Measured answers our server took from its response cache."""
        return self.cache.count("hit")

    @property
    def throughput(self) -> float | None:
        return len(self.latencies) / self.busy if self.busy > 0 and self.latencies else None

    def percentile(self, fraction: float, *, alone: bool = False) -> float | None:
        """A percentile of the measured latencies (under load, or of the single client)."""
        seen = self.alone if alone else self.latencies
        if not seen:
            return None
        ordered = sorted(seen)
        index = min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))
        return ordered[index]


class Answer(NamedTuple):
    """One response: its latency (s), status, body and X-Stadtgraph-Cache header ('' if none)."""

    latency: float
    status: int
    body: bytes
    cache: str


class Client:
    """Send one request to a server and time it; a fresh connection each time."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout

    def __call__(self, base_url: str, path: str, accept: str) -> Answer:
        parts = urllib.parse.urlsplit(base_url)
        host = parts.hostname or "127.0.0.1"
        started = time.perf_counter()
        connection = http.client.HTTPConnection(host, parts.port, timeout=self.timeout)
        try:
            connection.request("GET", path, headers={"Accept": accept})
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        latency = time.perf_counter() - started
        cache = (response.getheader(CACHE_HEADER) or "").strip().lower()
        return Answer(latency, response.status, body, cache)


def request_path(server: srv.Server, query: Query) -> str:
    if query.page is not None:
        return query.page
    sparql_path = urllib.parse.urlsplit(server.sparql_url).path
    return sparql_path + "?" + urllib.parse.urlencode({"query": query.sparql})


def count_results(query: Query, body: bytes) -> int:
    if query.page is not None:
        return len(body)
    if query.accept.endswith("json"):
        document = json.loads(body)
        return len(document["results"]["bindings"]) if "results" in document else 1
    return sum(1 for line in body.splitlines() if line.strip())


def measure_query(
    query: Query,
    running: list[srv.Server],
    settings: Settings,
    pool: ThreadPoolExecutor,
    client: Client,
) -> dict[str, Cell]:
    """Warm up, then run interleaved rounds of batches for one query on every server."""
    cells = {server.name: Cell() for server in running}
    targets = [s for s in running if query.page is None or s.name in OURS]
    for server in targets:
        cell = cells[server.name]
        for _ in range(settings.warmup):
            if not _send(cell, server, query, client, settings, warmup=True):
                break
    for number in range(settings.rounds):
        shift = number % len(targets)
        for server in targets[shift:] + targets[:shift]:
            cell = cells[server.name]
            if cell.capped:
                continue
            remaining = settings.slow_budget - cell.spent
            if remaining <= 0:
                cell.capped = f"time budget {settings.slow_budget:.0f} s spent"
                continue
            # A server far slower than the budget allows gets smaller batches, never none.
            seen = cell.latencies or cell.warmup
            estimate = statistics.median(seen) if seen else 0.0
            size = settings.batch
            if estimate > 0:
                size = max(1, min(size, int(remaining / estimate)))
            started = time.perf_counter()
            futures = [
                pool.submit(_send, cell, server, query, client, settings) for _ in range(size)
            ]
            for future in futures:
                future.result()
            elapsed = time.perf_counter() - started
            cell.busy += elapsed
            cell.spent += elapsed
            if size < settings.batch and not cell.capped:
                cell.capped = f"batches cut to {size} to stay within {settings.slow_budget:.0f} s"
    if query.page is not None:
        _measure_alone(query, targets, cells, settings, client)
    return cells


def _measure_alone(
    query: Query,
    targets: list[srv.Server],
    cells: dict[str, Cell],
    settings: Settings,
    client: Client,
) -> None:
    """Time a page without concurrent requests: one client, one request after another.

    Under the mix's client threads a page's latency includes waiting for a core (two cores
    serve four clients and the clients themselves); this is what one reader waits.
    """
    for server in targets:
        cell = cells[server.name]
        for _ in range(settings.rounds * settings.batch):
            if cell.capped:
                break
            try:
                answer = client(server.base_url, request_path(server, query), query.accept)
            except OSError as error:
                cell.failures.append(f"one client: {type(error).__name__}")
                break
            if answer.status != 200:
                cell.failures.append(f"one client: HTTP {answer.status}")
                break
            cell.alone.append(answer.latency)


def _send(
    cell: Cell,
    server: srv.Server,
    query: Query,
    client: Client,
    settings: Settings,
    *,
    warmup: bool = False,
) -> bool:
    try:
        answer = client(server.base_url, request_path(server, query), query.accept)
    except TimeoutError:
        cell.failures.append("timeout")
        cell.capped = f"a request passed the {client.timeout:.0f} s timeout"
        cell.spent += client.timeout
        _wait_until_free(server, settings)
        return False
    except OSError as error:
        cell.failures.append(type(error).__name__)
        return False
    if answer.status != 200:
        cell.failures.append(f"HTTP {answer.status}: {answer.body[:120]!r}")
        return False
    if warmup:
        cell.spent += answer.latency
        cell.warmup.append(answer.latency)
        cell.results = count_results(query, answer.body)
    else:
        cell.latencies.append(answer.latency)
        cell.cache.append(answer.cache)
    return True


def _warm_up(
    running: list[srv.Server], settings: Settings, pool: ThreadPoolExecutor, client: Client
) -> None:
    """Let every server start its workers (ours forks its query workers on first use)."""
    query = QUERIES[0]
    for server in running:
        futures = [
            pool.submit(_send, Cell(), server, query, client, settings, warmup=True)
            for _ in range(4 * settings.threads)
        ]
        for future in futures:
            future.result()


def _wait_until_free(server: srv.Server, settings: Settings) -> None:
    """A single-threaded server keeps running a query its client gave up on: wait for it."""
    client = Client(settings.recover_timeout)
    probe = urllib.parse.urlsplit(server.sparql_url).path + "?query=ASK%7B%7D"
    try:
        client(server.base_url, probe, "application/sparql-results+json")
    except OSError as error:
        # Still busy: stop it; run_size starts it again before the next query.
        print(f"{server.name} still busy ({error}); restarting it", file=sys.stderr)
        server.stop()


# -- a run at one size ----------------------------------------------------------------------------


def run_size(label: str, triples: int, seed: int, settings: Settings, work: Path) -> str:
    """Start the servers over the same data, measure the mix, stop them; return the report."""
    data = served_file(label, triples, seed)
    folder = work / f"http-{label}"
    srv.remove(folder)
    folder.mkdir(parents=True)
    starters: dict[str, Callable[[], srv.Server]] = {
        "ours": lambda: srv.start_ours(
            folder / "ours-store", data, folder, settings.startup_timeout
        ),
        # Its own store folder (loaded again): the running `ours` holds its folder's lock.
        "ours-fresh": lambda: srv.start_ours(
            folder / "ours-fresh-store", data, folder, settings.startup_timeout, fresh=True
        ),
        "oxigraph-memory": lambda: srv.start_oxigraph_memory(
            data, folder, settings.startup_timeout
        ),
        "oxigraph-disk": lambda: srv.start_oxigraph_disk(
            data, folder / "oxigraph-store", folder, settings.startup_timeout
        ),
        "rdflib-endpoint": lambda: srv.start_rdflib_endpoint(
            data, folder, settings.startup_timeout
        ),
    }
    running: list[srv.Server] = []
    machine = Machine.snapshot()
    results: dict[str, dict[str, Cell]] = {}
    try:
        for name in settings.servers:
            print(f"[{label}] starting {name}", file=sys.stderr, flush=True)
            running.append(starters[name]())
        client = Client(timeout=settings.slow_budget)
        with LoadSampler() as sampler, ThreadPoolExecutor(settings.threads) as pool:
            _warm_up(running, settings, pool, client)
            started = time.perf_counter()
            for query in (*QUERIES, *PAGES):
                print(f"[{label}] {query.name}", file=sys.stderr, flush=True)
                for index, server in enumerate(running):
                    if server.process.poll() is not None:
                        print(f"[{label}] restarting {server.name}", file=sys.stderr, flush=True)
                        running[index] = starters[server.name]()
                        running[index].notes += [*server.notes, "restarted after a stuck query"]
                results[query.name] = measure_query(query, running, settings, pool, client)
            duration = time.perf_counter() - started
    finally:
        for server in running:
            server.stop()
        srv.remove(folder)
    from benchmarks.mix_report import render

    return render(
        label, triples, data, settings, running, results, machine, sampler.summary(), duration
    )
