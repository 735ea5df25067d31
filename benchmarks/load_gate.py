"""Loading and the SHACL gate: `stadtgraph load` of a generated graph, and a 1,000-triple write.

For each size:
- `stadtgraph load FILE --store NEW` (parse, gate, write): wall and CPU time, peak RSS;
  beside it `oxigraph load` of the same file and the embedded store's own load without the
  gate, to show what the engine costs; and where the CLI's time goes (parse / gate / write)
  measured in a child process that reports each phase as it ends;
- the gate: `Gate().validate_change` of a 1,000-triple write (new statements and involvements
  of existing actors, editorial notes on existing resources) into a store of that size, alone,
  and the whole `stadtgraph load` of that write into a copy of the store.

Every child process runs under a deadline and is killed when it passes it.

    python -m benchmarks --only load --sizes 1m
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.datasets import OUT, data_file, write_file
from benchmarks.process import BIN, Measured, measure, python, stadtgraph


@dataclass
class SizeResult:
    """Everything measured for one size."""

    label: str
    triples: int
    cli_load: Measured | None = None
    oxigraph_load: Measured | None = None
    store_load: Measured | None = None
    phases: dict[str, float] = field(default_factory=dict)
    phases_run: Measured | None = None
    gate_seconds: list[float] = field(default_factory=list)
    gate_cold: float | None = None
    gate_cpu: list[float] = field(default_factory=list)
    gate_focus: int | None = None
    gate_run: Measured | None = None
    write_loads: list[Measured] = field(default_factory=list)


@dataclass
class Options:
    load_timeout: float = 1500.0
    phases_timeout: float = 600.0
    step_timeout: float = 600.0
    repeats: int = 3
    skip_cli_load: bool = False


def run_size(label: str, triples: int, seed: int, options: Options, work: Path) -> SizeResult:
    """Measure loading and the gate at one size."""
    data = data_file(label, triples, seed)
    write = write_file(data, seed)
    result = SizeResult(label, triples)
    stores = work / label
    shutil.rmtree(stores, ignore_errors=True)
    stores.mkdir(parents=True)

    say(f"[{label}] oxigraph load (engine baseline)")
    result.oxigraph_load = measure(
        [BIN / "oxigraph", "load", "--location", stores / "oxigraph", "--file", data],
        timeout=options.step_timeout,
    )
    say(f"[{label}] the embedded store's load without the gate")
    result.store_load = measure(
        python("-m", "benchmarks.load_gate", "store-load", data, stores / "base"),
        timeout=options.step_timeout,
    )
    if not options.skip_cli_load:
        say(f"[{label}] stadtgraph load (deadline {options.load_timeout:.0f} s)")
        result.cli_load = measure(
            stadtgraph("load", data, "--store", stores / "cli"),
            timeout=options.load_timeout,
        )
        shutil.rmtree(stores / "cli", ignore_errors=True)
        say(f"[{label}] where stadtgraph load spends its time")
        result.phases_run = measure(
            python("-m", "benchmarks.load_gate", "phases", data),
            timeout=options.phases_timeout,
        )
        result.phases = _json_lines(result.phases_run.output)

    if result.store_load.ok:
        say(f"[{label}] the gate: a 1,000-triple write into {triples:,} triples")
        result.gate_run = measure(
            python(
                "-m",
                "benchmarks.load_gate",
                "gate",
                stores / "base",
                write,
                "--repeat",
                str(options.repeats),
            ),
            timeout=options.step_timeout,
        )
        found = _json_lines(result.gate_run.output)
        result.gate_cold = found.get("cold")
        result.gate_seconds = [v for k, v in found.items() if k.startswith("warm")]
        result.gate_cpu = [v for k, v in found.items() if k.startswith("cpu")]
        result.gate_focus = int(found["focus"]) if "focus" in found else None
        for number in range(options.repeats):
            say(f"[{label}] stadtgraph load of the write, run {number + 1}")
            copy = stores / "write-copy"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(stores / "base", copy)
            result.write_loads.append(
                measure(stadtgraph("load", write, "--store", copy), timeout=options.step_timeout)
            )
            shutil.rmtree(copy, ignore_errors=True)
    shutil.rmtree(stores, ignore_errors=True)
    return result


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _json_lines(output: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for line in output.splitlines():
        if line.startswith("{") and line.endswith("}"):
            found.update(json.loads(line))
    return found


# -- the report ----------------------------------------------------------------------------------


def report(results: list[SizeResult], machine: str) -> str:
    """Render the results as Markdown."""
    lines = [
        "## Loading a generated graph into a fresh store",
        "",
        f"Machine: {machine}.",
        "",
        "| size | command | wall s | CPU s | peak RSS MB | outcome |",
        "|---|---|---:|---:|---:|---|",
    ]
    for r in results:
        for name, run in (
            ("`stadtgraph load` (parse, gate, write)", r.cli_load),
            ("store load without gate (`OxigraphStore.load`)", r.store_load),
            ("`oxigraph load` (engine baseline)", r.oxigraph_load),
        ):
            if run is not None:
                lines.append(
                    f"| {r.label} | {name} | {run.wall:.1f} | {run.cpu:.1f} | "
                    f"{run.peak_rss_mb:.0f} | {_outcome(run)} |"
                )
    lines += [
        "",
        "Where `stadtgraph load` spends its time (same steps in one child process; a phase "
        "missing did not finish before the deadline):",
        "",
        "| size | parse into rdflib s | gate s | focus nodes | store write s | outcome |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in results:
        if r.phases_run is None:
            continue
        p = r.phases
        lines.append(
            f"| {r.label} | {_num(p.get('parse'))} | {_num(p.get('gate'))} | "
            f"{_num(p.get('focus'), 0)} | {_num(p.get('write'))} | {_outcome(r.phases_run)} |"
        )
    lines += [
        "",
        "## The SHACL gate: a 1,000-triple write into a store of N triples",
        "",
        "| store size | focus nodes | `validate_change` cold s | warm s (median of runs) | "
        "warm CPU s (median) | whole `stadtgraph load` of the write: wall s (median) | CPU s "
        "| peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        if r.gate_run is None:
            continue
        warm = statistics.median(r.gate_seconds) if r.gate_seconds else None
        loads = [m for m in r.write_loads if m.ok]
        if loads:
            wall = statistics.median(m.wall for m in loads)
            cpu = statistics.median(m.cpu for m in loads)
            rss = max(m.peak_rss_mb for m in loads)
            whole = f"{wall:.2f} | {cpu:.2f} | {rss:.0f}"
        else:
            failed = r.write_loads[0] if r.write_loads else None
            whole = f"{_outcome(failed) if failed else 'not run'} | – | –"
        runs = ", ".join(f"{s:.2f}" for s in r.gate_seconds)
        lines.append(
            f"| {r.label} | {_num(r.gate_focus, 0)} | {_num(r.gate_cold, 2)} | "
            f"{_num(warm, 2)} ({runs}) | "
            f"{_num(statistics.median(r.gate_cpu) if r.gate_cpu else None, 2)} | {whole} |"
        )
        if not r.gate_run.ok:
            lines.append(f"| {r.label} | gate run: {_outcome(r.gate_run)} | | | | | | |")
    lines += [
        "",
        "Target (issue 2): the gate for a 1,000-triple write into 1M triples under 2 s. Wall "
        "times on a loaded 2-core machine; CPU time is the process's own.",
    ]
    return "\n".join(lines) + "\n"


def _num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _outcome(run: Measured) -> str:
    if not run.finished:
        return f"**stopped at the {run.wall:.0f} s deadline**"
    if not run.ok:
        last = run.output.strip().splitlines()[-1:] or [""]
        return f"failed (exit {run.returncode}): {last[0][:80]}"
    return "ok"


# -- the measuring children ----------------------------------------------------------------------


def _store_load(data: Path, store_path: Path) -> None:
    """Load a file with the embedded store's own load, no gate (how the benchmarks fill stores)."""
    from service.store import RdfFormat, open_store

    started = time.perf_counter()
    with open_store(path=store_path, serve_from_memory=False) as store:
        store.load(data, RdfFormat.NQUADS, None)
        count = store.count()
    _emit(write=time.perf_counter() - started, quads=count)


def _phases(data: Path) -> None:
    """Run the steps of `stadtgraph load` one by one and report each as it ends."""
    import tempfile

    from service.cli import Batch
    from service.gate import Gate
    from service.project import graph_for_path
    from service.rdf_files import parse_rdf
    from service.store import RdfFormat, open_store

    started = time.perf_counter()
    batch = Batch([parse_rdf(data, RdfFormat.NQUADS, graph_for_path(data), name=data.name)])
    _emit(parse=time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as folder:
        store_path = Path(folder) / "store"
        with open_store(path=store_path, serve_from_memory=False) as store:
            gate = Gate()
            started = time.perf_counter()
            report = gate.validate_change(store, batch.additions(), (), batch.sources())
            _emit(gate=time.perf_counter() - started, focus=report.focus_count)
            started = time.perf_counter()
            store.load(data, RdfFormat.NQUADS, None)
            _emit(write=time.perf_counter() - started)


def _gate(store_path: Path, write: Path, repeat: int) -> None:
    """Time `Gate().validate_change` for a write into an existing store."""
    from service.gate import Gate
    from service.rdf_files import parse_rdf
    from service.store import RdfFormat, open_store

    parsed = parse_rdf(write, RdfFormat.NQUADS, "urn:benchmark:default", name=write.name)
    with open_store(path=store_path, serve_from_memory=False) as store:
        started, cpu = time.perf_counter(), time.process_time()
        report = Gate().validate_change(store, parsed.graphs)
        _emit(
            cold=time.perf_counter() - started,
            cold_cpu=time.process_time() - cpu,
            focus=report.focus_count,
        )
        if not report.conforms:
            print(report.to_text()[:3000], file=sys.stderr)
            raise SystemExit("the benchmark write does not conform")
        gate = Gate()
        gate.shapes, gate.ontology  # noqa: B018 - parse the shapes outside the timing
        for number in range(repeat):
            started, cpu = time.perf_counter(), time.process_time()
            gate.validate_change(store, parsed.graphs)
            _emit(
                **{
                    f"warm{number}": time.perf_counter() - started,
                    f"cpu{number}": time.process_time() - cpu,
                }
            )


def _emit(**values: float) -> None:
    print(json.dumps(values), flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Children of the load and gate benchmark.")
    commands = parser.add_subparsers(dest="command", required=True)
    store_load = commands.add_parser("store-load")
    store_load.add_argument("data", type=Path)
    store_load.add_argument("store", type=Path)
    phases = commands.add_parser("phases")
    phases.add_argument("data", type=Path)
    gate = commands.add_parser("gate")
    gate.add_argument("store", type=Path)
    gate.add_argument("write", type=Path)
    gate.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if args.command == "store-load":
        _store_load(args.data, args.store)
    elif args.command == "phases":
        _phases(args.data)
    else:
        _gate(args.store, args.write, args.repeat)


if __name__ == "__main__":
    main()

__all__ = ["OUT", "Options", "SizeResult", "report", "run_size"]
