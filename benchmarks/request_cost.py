"""What one `/sparql` request costs in our own code, without HTTP and its noise.

Calls the app as a WSGI server would (the response cache off, so every request runs its query
in a query worker) over a generated graph, and reports per request: CPU time of the server
process, CPU time of the query workers (from /proc), and wall time; then what the same query
costs run in a loop in-process, where the worker's caches are always warm. The median of
`--rounds` rounds is shown.

`--tree DIR` measures the code of another checkout (e.g. `git worktree add /tmp/base REV`), so
that two commits can be compared on the same machine one after the other:

    python -m benchmarks.request_cost --size 100k
    python -m benchmarks.request_cost --size 100k --tree /tmp/base
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.mix import QUERIES

_TICK = os.sysconf("SC_CLK_TCK")


def _workers_cpu_seconds(pids: set[int]) -> float:
    """Return the CPU time the query workers have used so far: the live ones from /proc, the
    ones already replaced (and waited for) from this process's children."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = children.ru_utime + children.ru_stime
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # replaced meanwhile: counted with the children
            continue
        total += (int(fields[11]) + int(fields[12])) / _TICK
    return total


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k", help="a generated graph: 10k, 100k or 1m")
    parser.add_argument("--queries", default="floor-ask,entity", help="names from the mix")
    parser.add_argument("--requests", type=int, default=4000, help="requests per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tree", type=Path, help="measure this checkout's service/ instead")
    args = parser.parse_args(argv)

    queries = {q.name: q for q in QUERIES if q.page is None}
    unknown = [name for name in args.queries.split(",") if name not in queries]
    if unknown:
        parser.error(
            f"not a SPARQL query of the mix: {', '.join(unknown)}; use {', '.join(queries)}"
        )
    if args.tree is not None:  # before anything imports service/
        sys.path.insert(0, str(args.tree.resolve()))
    from benchmarks.datasets import parse_sizes, served_file
    from service.app import create_app
    from service.query_execution import QueryJob, execute
    from service.sparql_guard import cap_select, inspect_query
    from service.store import RdfFormat, open_store
    from service.web.sparql import query_runner

    [(label, triples)] = parse_sizes(args.size)
    store = open_store(path=None)
    store.load(served_file(label, triples, 1), RdfFormat.NQUADS, None)
    app = create_app(
        {"RESPONSE_CACHE_MB": 0, "RATE_LIMIT": 100_000_000, "PREPARE_AHEAD": False}, store=store
    )
    source = Path(sys.modules["service"].__file__ or "").parent
    print(f"service/ from {source}; {store.count():,} quads; {args.requests} requests a round\n")
    print("| query | server process CPU µs | query worker CPU µs | wall µs | in-process loop µs |")
    print("|---|---:|---:|---:|---:|")
    limit = int(app.config["MAX_RESULTS"])
    for name in args.queries.split(","):
        query = queries[name]
        environ = _environ(query.sparql, query.accept)
        call = _caller(app, environ)
        for _ in range(200):
            call()
        rounds = []
        for _ in range(args.rounds):
            workers = query_runner(app).worker_pids()
            cpu, worker_cpu, wall = (
                time.process_time(),
                _workers_cpu_seconds(workers),
                time.perf_counter(),
            )
            for _ in range(args.requests):
                call()
            rounds.append(
                (
                    time.process_time() - cpu,
                    _workers_cpu_seconds(workers | query_runner(app).worker_pids()) - worker_cpu,
                    time.perf_counter() - wall,
                )
            )
        info = inspect_query(query.sparql)
        text = cap_select(query.sparql, limit + 1) if info.form == "SELECT" else query.sparql
        job = QueryJob(text, info.form, query.accept, limit)
        loop = []
        for _ in range(args.rounds):
            started = time.process_time()
            for _ in range(args.requests // 4):
                execute(store, job)
            loop.append((time.process_time() - started) / (args.requests // 4))
        main_cpu, worker_cpu, wall = (
            statistics.median(r[i] for r in rounds) / args.requests * 1e6 for i in range(3)
        )
        print(
            f"| {name} | {main_cpu:.0f} | {worker_cpu:.0f} | {wall:.0f} | "
            f"{statistics.median(loop) * 1e6:.0f} |"
        )
    query_runner(app).close()
    store.close()


def _environ(sparql: str, accept: str) -> dict[str, Any]:
    from werkzeug.test import EnvironBuilder

    builder = EnvironBuilder(
        path="/sparql",
        query_string=urllib.parse.urlencode({"query": sparql}),
        headers=[("Accept", accept)],
    )
    try:
        return builder.get_environ()
    finally:
        builder.close()


def _caller(app: Any, environ: dict[str, Any]) -> Callable[[], None]:
    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        if not status.startswith("200"):
            raise RuntimeError(f"/sparql answered {status}")

    def call() -> None:
        body = app(dict(environ), start_response)
        try:
            b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()

    return call


if __name__ == "__main__":
    main()
