"""Render the HTTP mix as Markdown: throughput and ratios, latencies, caps, and the setting.

Ratios are given for both variants of our server: `ours` (response cache on, so a repeated
query is mostly answered from the cache) and `ours-fresh` (cache off: every request runs its
query), each against oxigraph-memory and rdflib-endpoint.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.mix import PAGES, QUERIES

if TYPE_CHECKING:
    from benchmarks.http_mix import Cell, Settings
    from benchmarks.process import Machine
    from benchmarks.servers import Server

TARGETS = {"oxigraph-memory": 0.8, "rdflib-endpoint": 20.0}
OURS = ("ours", "ours-fresh")


def render(
    label: str,
    triples: int,
    data: Path,
    settings: Settings,
    running: list[Server],
    results: dict[str, dict[str, Cell]],
    machine: Machine,
    load_summary: str,
    duration: float,
) -> str:
    names = [s.name for s in running]
    ours_names = [o for o in OURS if o in names]
    baselines = [b for b in TARGETS if b in names]
    pairs = [(o, b) for b in baselines for o in ours_names]
    lines = [
        f"## HTTP query mix at {label} ({triples:,} generated triples + the ontology)",
        "",
        f"Data: `{data.name}`. {settings.rounds} interleaved rounds × {settings.batch} requests "
        f"per query per server (after {settings.warmup} warm-up requests), {settings.threads} "
        f"client threads, a new connection per request; each server may spend at most "
        f"{settings.slow_budget:.0f} s on one query (per-request timeout the same). "
        f"Measured in {duration:.0f} s.",
        "",
        f"Machine at the start: {machine.describe()}. During the run: {load_summary}.",
        "",
        "### Throughput (requests/s) and ratios",
        "",
        "| query | "
        + " | ".join(names)
        + " | "
        + " | ".join(f"{o} / {b}" for o, b in pairs)
        + " |",
        "|---|" + "---:|" * (len(names) + len(pairs)),
    ]
    ratios: dict[tuple[str, str], list[float]] = {pair: [] for pair in pairs}
    for query in QUERIES:
        cells = results[query.name]
        row = [query.name + (" (diagnostic)" if query.diagnostic else "")]
        for name in names:
            row.append(_throughput(cells[name]))
        for ours_name, baseline in pairs:
            ours = cells[ours_name].throughput
            other = cells[baseline].throughput
            if ours and other:
                ratio = ours / other
                if not query.diagnostic:
                    ratios[ours_name, baseline].append(ratio)
                row.append(f"{ratio:.2f}×{'' if ratio >= TARGETS[baseline] else ' ✗'}")
            else:
                row.append("–")
        lines.append("| " + " | ".join(row) + " |")
    summary = ["**geometric mean** (diagnostic rows excluded)", *([""] * len(names))]
    for pair in pairs:
        values = ratios[pair]
        if values:
            mean = math.exp(sum(math.log(v) for v in values) / len(values))
            summary.append(f"**{mean:.2f}×** (target ≥ {TARGETS[pair[1]]:g}×)")
        else:
            summary.append("–")
    lines.append("| " + " | ".join(summary) + " |")
    lines += [
        "",
        "✗: below the issue's target for that ratio. A throughput marked * was capped: see "
        "the notes below.",
        "",
        *_cache_lines(results, ours_names),
        "### Latency p50 / p99 (ms) and result sizes",
        "",
        "| query | " + " | ".join(names) + " | rows |",
        "|---|" + "---:|" * len(names) + "---|",
    ]
    for query in QUERIES:
        cells = results[query.name]
        row = [query.name, *(_latency(cells[name]) for name in names), _rows(cells, names)]
        lines.append("| " + " | ".join(row) + " |")
    lines += [
        "",
        "### Entity pages (our server only, both variants)",
        "",
        f"Under load: {settings.threads} client threads, as for the queries. One client: the "
        "same number of requests sent one after another (what a single reader waits).",
        "",
        "| page | path | server | requests/s | p50 ms | p99 ms | n | cache hits | "
        "p50 ms, one client | p99 ms, one client | bytes |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page in PAGES:
        for name in ours_names:
            cell = results[page.name][name]
            lines.append(
                f"| {page.name} | `{page.page}` | {name} | {_throughput(cell)} | "
                f"{_ms(cell.percentile(0.5))} | {_ms(cell.percentile(0.99))} | "
                f"{len(cell.latencies)} | {cell.cache_hits} | "
                f"{_ms(cell.percentile(0.5, alone=True))} | "
                f"{_ms(cell.percentile(0.99, alone=True))} | {cell.results or '–'} |"
            )
    lines += ["", "### The queries", ""]
    lines += [f"- **{q.name}**: {q.what}" for q in QUERIES]
    lines += ["", "### Notes", ""]
    for server in running:
        notes = "; ".join(server.notes)
        lines.append(
            f"- {server.name}: ready {server.startup_seconds:.1f} s after start"
            + (f"; {notes}" if notes else "")
        )
    for query in (*QUERIES, *PAGES):
        for name, cell in results[query.name].items():
            if cell.capped or cell.failures:
                failures = sorted(set(cell.failures))
                lines.append(
                    f"- {query.name} on {name}: {len(cell.latencies)} measured requests"
                    + (f"; capped: {cell.capped}" if cell.capped else "")
                    + (f"; failures: {', '.join(failures)[:300]}" if failures else "")
                )
    return "\n".join(lines) + "\n"


def _cache_lines(results: dict[str, dict[str, Cell]], ours_names: list[str]) -> list[str]:
    """Say how many measured answers of each variant came from the response cache."""
    if not ours_names:
        return []
    parts = []
    for name in ours_names:
        cells = [results[q.name][name] for q in QUERIES]
        answers = sum(len(c.cache) for c in cells)
        hits = sum(c.cache_hits for c in cells)
        share = f" ({hits / answers:.0%})" if answers else ""
        outcomes: dict[str, int] = {}
        for cell in cells:
            for outcome in cell.cache:
                outcomes[outcome or "no header"] = outcomes.get(outcome or "no header", 0) + 1
        detail = ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
        parts.append(
            f"{name}: {hits} of {answers} measured answers{share} were response-cache hits"
            + (f" (X-Stadtgraph-Cache: {detail})" if detail else "")
        )
    return [
        "Cache (the queries above, summed): " + "; ".join(parts) + ". "
        "ours answers repeated queries from its response cache (kept until the next write); "
        "ours-fresh runs every query (cache off) — it is the engine path.",
        "",
    ]


def _throughput(cell: Cell) -> str:
    value = cell.throughput
    if value is None:
        return "failed" if cell.failures else "–"
    mark = "*" if cell.capped or cell.failures else ""
    return f"{value:.1f}{mark}" if value >= 1 else f"{value:.3f}{mark}"


def _ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:.1f}"


def _latency(cell: Cell) -> str:
    if not cell.latencies:
        return "–"
    return f"{_ms(cell.percentile(0.5))} / {_ms(cell.percentile(0.99))}"


def _rows(cells: dict[str, Cell], names: list[str]) -> str:
    counts = {name: cells[name].results for name in names if cells[name].results is not None}
    if not counts:
        return "–"
    values = set(counts.values())
    if len(values) == 1:
        return str(values.pop())
    return "differ: " + ", ".join(f"{n} {c}" for n, c in counts.items())
