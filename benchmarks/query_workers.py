"""What bounding a query costs: in-process vs. a fork per query vs. the pre-forked workers.

Loads a generated strategy graph into an in-memory store and runs the same queries three ways:
in the server process (no time limit possible) and through `QueryRunner` (a worker forked once,
fed through a pipe), interleaved round by round; then in a process forked for each query.

    python -m benchmarks.query_workers --triples 100000 --rounds 300
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.generate import generate
from service.query_execution import QueryJob, execute
from service.query_runner import Limits, QueryRunner
from service.store import RdfFormat, Store, open_store

JSON = "application/sparql-results+json"
QUERIES = {
    "point": "SELECT ?p ?o WHERE { <https://w3id.org/stadtgraph/id/synth-00001/org/kvv> ?p ?o }",
    "labels-100": "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } "
    "LIMIT 100",
    "count-types": "SELECT ?t (COUNT(*) AS ?n) WHERE { ?s a ?t } GROUP BY ?t",
}


def forked_once(store: Store, job: QueryJob) -> bytes:
    """Fork a process for one query and read its answer through a pipe."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        try:
            os.close(read_end)
            body = execute(store, job).body
            view = memoryview(body)
            while view:
                view = view[os.write(write_end, view) :]
        finally:
            os._exit(0)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 1 << 20):
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    return b"".join(chunks)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args(argv)

    store = open_store(path=None)
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data.nq"
        generate(args.triples, 1, data)
        store.load(data, RdfFormat.NQUADS, None)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{store.count()} quads loaded; server process peak RSS {rss:.0f} MB")

    runner = QueryRunner(store, Limits(timeout=10, concurrent=1))
    ways: dict[str, Callable[[QueryJob], bytes]] = {
        "in-process": lambda job: execute(store, job).body,
        "pre-forked worker": lambda job: runner.run(job).body,
        "fork per query": lambda job: forked_once(store, job),
    }
    print(f"{'query':<12} {'way':<18} {'p50 ms':>8} {'p99 ms':>8} {'overhead p50':>13}")
    for name, sparql in QUERIES.items():
        job = QueryJob(sparql, "SELECT", JSON, 10_000)
        expected = execute(store, job).body
        for way in ways.values():
            assert way(job) == expected  # warm up, and check all ways agree
        times: dict[str, list[float]] = {name_of_way: [] for name_of_way in ways}
        # In-process and worker runs are interleaved; forks per query run apart, after them,
        # because every fork write-protects the server's pages and slows what runs next.
        for group in (("in-process", "pre-forked worker"), ("fork per query",)):
            for _ in range(args.rounds):
                for way_name in group:
                    started = time.perf_counter()
                    ways[way_name](job)
                    times[way_name].append((time.perf_counter() - started) * 1000)
        base = statistics.median(times["in-process"])
        for way_name, samples in times.items():
            samples.sort()
            p50, p99 = statistics.median(samples), samples[int(len(samples) * 0.99) - 1]
            print(f"{name:<12} {way_name:<18} {p50:8.2f} {p99:8.2f} {p50 - base:+12.2f}")
    runner.close()


if __name__ == "__main__":
    main()
