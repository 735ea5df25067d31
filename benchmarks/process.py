"""Run child processes under a deadline and measure them (wall, CPU, peak RSS); machine load."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

PROJECT = Path(__file__).resolve().parent.parent
BIN = PROJECT / ".venv" / "bin"
SNAPSHOT_PARTS = (
    "service",
    "shapes",
    "ontology",
    "data",
    "queries",
    "benchmarks",
    "pyproject.toml",
)


class Tree:
    """The source tree the measured processes run from.

    The work tree is shared and edited while benchmarks run, so a run copies the code, shapes,
    ontology and data once at its start (`snapshot`) and every child process imports from that
    copy: one run measures one state of the code.
    """

    root: Path = PROJECT
    described: str = "the work tree"

    @classmethod
    def snapshot(cls, folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        ignore = shutil.ignore_patterns("__pycache__", "out", ".venv*", "*.pyc")
        for part in SNAPSHOT_PARTS:
            source = PROJECT / part
            if source.is_dir():
                shutil.copytree(source, folder / part, ignore=ignore)
            elif source.exists():
                shutil.copy2(source, folder / part)
        head = _git("rev-parse", "--short", "HEAD")
        changed = len(_git("status", "--short", "--", *SNAPSHOT_PARTS).splitlines())
        cls.root = folder
        cls.described = (
            f"a copy of the work tree taken {time.strftime('%H:%M')} at commit {head} "
            f"with {changed} uncommitted paths"
        )
        check = subprocess.run(
            [str(BIN / "python"), "-c", "import service.cli, service.app"],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
        if check.returncode != 0:
            raise SystemExit(
                "the service in the work tree does not import right now (someone is mid-edit?):\n"
                + check.stderr[-1500:]
            )


def _git(*args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=PROJECT, capture_output=True, text=True, check=False
    )
    return result.stdout.strip()


@dataclass
class Measured:
    """How one child process ran."""

    command: str
    wall: float
    cpu: float
    peak_rss_mb: float
    returncode: int | None
    """None when the deadline stopped it."""
    output: str = ""

    @property
    def finished(self) -> bool:
        return self.returncode is not None

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def measure(
    args: Sequence[str | Path],
    *,
    timeout: float,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Measured:
    """Run args to completion or until `timeout` seconds; then kill its process group.

    Peak RSS and CPU come from wait4() for this child alone (and the children it waited for).
    """
    command = " ".join(str(a) for a in args)
    started = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+") as output:
        process = subprocess.Popen(
            [str(a) for a in args],
            cwd=cwd or Tree.root,
            env={**os.environ, **(env or {})},
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = started + timeout
        status = None
        while status is None:
            pid, raw_status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                status = raw_status
                break
            if time.perf_counter() > deadline:
                _kill_group(process.pid)
                _, raw_status, usage = os.wait4(process.pid, 0)
                process.returncode = -9
                wall = time.perf_counter() - started
                return Measured(
                    command,
                    wall,
                    usage.ru_utime + usage.ru_stime,
                    usage.ru_maxrss / 1024,
                    None,
                    _tail(output),
                )
            time.sleep(0.05)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        return Measured(
            command,
            wall,
            usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss / 1024,
            process.returncode,
            _tail(output),
        )


def _tail(output: IO[str], chars: int = 4000) -> str:
    output.seek(0)
    return output.read()[-chars:]


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


class LoadSampler:
    """Sample the 1-minute load average every few seconds while a benchmark runs."""

    def __init__(self, every: float = 5.0) -> None:
        self.samples: list[float] = []
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> LoadSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=self._every + 1)

    def _run(self) -> None:
        while True:
            self.samples.append(os.getloadavg()[0])
            if self._stop.wait(self._every):
                return

    def summary(self) -> str:
        if not self.samples:
            return "load average not sampled"
        low, high = min(self.samples), max(self.samples)
        mean = sum(self.samples) / len(self.samples)
        return (
            f"1-min load average on {os.cpu_count()} cores: mean {mean:.1f}, "
            f"min {low:.1f}, max {high:.1f} ({len(self.samples)} samples)"
        )


@dataclass
class Machine:
    """What else the machine was doing when a run started."""

    load: tuple[float, float, float] = field(default_factory=os.getloadavg)
    others: list[str] = field(default_factory=list)

    @classmethod
    def snapshot(cls) -> Machine:
        mine = _own_tree()
        result = subprocess.run(
            ["ps", "-eo", "pid,pcpu,rss,etime,args", "--sort=-pcpu"],
            capture_output=True,
            text=True,
            check=False,
        )
        others = []
        for line in result.stdout.splitlines()[1:]:
            fields = line.split(None, 4)
            if len(fields) < 5 or int(fields[0]) in mine or float(fields[1]) < 5.0:
                continue
            others.append(f"{fields[1]}% CPU, {int(fields[2]) // 1024} MB: {fields[4][:90]}")
        return cls(others=others[:6])

    def describe(self) -> str:
        one, five, fifteen = self.load
        text = f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} on {os.cpu_count()} cores"
        if self.others:
            text += "; other busy processes: " + "; ".join(self.others)
        return text


def _own_tree() -> set[int]:
    own = {os.getpid()}
    parent = os.getppid()
    own.add(parent)
    return own


def stadtgraph(*args: str | Path) -> list[str | Path]:
    """The project's CLI with arguments (`python -m service`, so that it runs from Tree.root)."""
    return [BIN / "python", "-m", "service", *args]


def python(*args: str | Path) -> list[str | Path]:
    """The project's Python with arguments."""
    return [BIN / "python", *args]
