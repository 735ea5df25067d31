"""Run the side-by-side benchmarks and write their tables to benchmarks/out/ (`make bench`).

python -m benchmarks                          # load/gate and HTTP mix at 10k and 100k
python -m benchmarks --sizes 1m               # the big run
python -m benchmarks --quick                  # a smoke run: 10k, few requests, short caps
python -m benchmarks --only http --sizes 100k
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

from benchmarks import http_mix, load_gate
from benchmarks.datasets import OUT, parse_sizes
from benchmarks.process import LoadSampler, Machine, Tree


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated, e.g. 10k,100k,1m")
    parser.add_argument("--only", choices=["load", "http"], help="run one benchmark only")
    parser.add_argument("--quick", action="store_true", help="smoke run: 10k, few requests")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--load-timeout", type=float, default=1500, help="deadline of one `stadtgraph load` (s)"
    )
    parser.add_argument(
        "--phases-timeout",
        type=float,
        default=600,
        help="deadline of the run that times parse, gate and write of a load separately (s)",
    )
    parser.add_argument(
        "--skip-cli-load",
        action="store_true",
        help="measure the gate on a 1k write but not `stadtgraph load` of the whole graph",
    )
    parser.add_argument("--rounds", type=int, help="HTTP: interleaved rounds per query")
    parser.add_argument("--batch", type=int, help="HTTP: requests per server per round")
    parser.add_argument("--threads", type=int, default=4, help="HTTP: client threads")
    parser.add_argument(
        "--slow-budget",
        type=float,
        help="HTTP: seconds a server may spend on one query before its remaining requests "
        "are skipped (caps rdflib-endpoint at large sizes)",
    )
    parser.add_argument(
        "--servers",
        default=",".join(http_mix.SERVER_NAMES),
        help="HTTP: comma-separated subset of " + ", ".join(http_mix.SERVER_NAMES),
    )
    args = parser.parse_args(argv)
    sizes = parse_sizes("10k" if args.quick and args.sizes == "10k,100k" else args.sizes)
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    work = OUT / "work"
    tree = OUT / f"tree-{stamp}-{os.getpid()}"
    Tree.snapshot(tree)
    try:
        _run(args, sizes, stamp, work)
    finally:
        shutil.rmtree(tree, ignore_errors=True)


def _run(args: argparse.Namespace, sizes: list[tuple[str, int]], stamp: str, work: Path) -> None:
    sections = [f"Code measured: {Tree.described}.\n"]

    if args.only in (None, "load"):
        machine = Machine.snapshot()
        options = load_gate.Options(
            load_timeout=args.load_timeout,
            phases_timeout=args.phases_timeout,
            repeats=1 if args.quick else 3,
            skip_cli_load=args.skip_cli_load,
        )
        results = []
        with LoadSampler() as sampler:
            for label, triples in sizes:
                results.append(load_gate.run_size(label, triples, args.seed, options, work))
        text = load_gate.report(
            results, f"{machine.describe()}; during the run: {sampler.summary()}"
        )
        sections.append(text)
        _write(OUT / f"load-gate-{stamp}.md", text)

    if args.only in (None, "http"):
        settings = http_mix.Settings.for_run(
            quick=args.quick,
            rounds=args.rounds,
            batch=args.batch,
            threads=args.threads,
            slow_budget=args.slow_budget,
            servers=[s.strip() for s in args.servers.split(",") if s.strip()],
        )
        for label, triples in sizes:
            text = http_mix.run_size(label, triples, args.seed, settings, work)
            sections.append(text)
            _write(OUT / f"http-mix-{label}-{stamp}.md", text)

    print("\n".join(sections))


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
