"""Run the app under Granian: HTTP handled in Rust, the WSGI app in worker processes.

One worker (the default) opens the store itself after Granian has started it, so that the
embedded store's engine threads live in the process that writes; the master only supervises
(and starts a new worker should one die). Several workers share one in-memory copy of the
embedded store, made before they are forked; it is then served read-only, since a worker's
copy could not see the others' writes. A remote store can be written with any number of
workers (each worker opens its own connection).
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

WORKER_STOP_SECONDS = 15
"""How long a worker may take to finish its requests once told to stop (a query's default
time limit is 10 s) before the master ends it."""


@dataclass(frozen=True)
class ServerOptions:
    """Where and how to listen."""

    host: str
    port: int
    workers: int = 1
    threads: int = 4
    """Requests one worker handles at once (each in its own thread)."""
    access_log: bool = True


def run_server(make_app: Callable[[], Flask], options: ServerOptions, *, shared: bool) -> None:
    """Serve until interrupted (SIGINT/SIGTERM stop the workers, then the master).

    With `shared`, the app (and its store) is made once, here, and inherited by every forked
    worker; otherwise each worker makes its own.
    """
    from granian.constants import Interfaces
    from granian.server import Server

    # Workers must be forked (not spawned) to inherit a shared app; Python 3.14 changes the
    # default start method.
    multiprocessing.set_start_method("fork", force=True)
    app = make_app() if shared else None

    def load_app() -> Flask:  # runs in each worker, after the fork
        # Until Granian installs the worker's own handlers (after this returns), a stop
        # signal would run the master's handler, inherited with the fork, which only sets a
        # flag in this copy: the signal was lost and the master waited for the worker
        # forever. A worker still loading simply ends instead.
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, signal.SIG_DFL)
        worker_app = app if app is not None else make_app()
        start_background_work(worker_app)
        return worker_app

    server = Server(
        "stadtgraph",
        address=options.host,
        port=options.port,
        interface=Interfaces.WSGI,
        workers=options.workers,
        blocking_threads=options.threads,
        log_access=options.access_log,
        respawn_failed_workers=True,
        # Granian itself sometimes loses a stop signal that reaches a worker just after it
        # started; the master then ends such a worker after this long instead of waiting.
        workers_kill_timeout=WORKER_STOP_SECONDS,
    )
    server.serve(target_loader=load_app, wrap_loader=False)


def start_background_work(app: Flask) -> None:
    """Start what a serving worker does beside answering requests: preparing ahead of them."""
    from .web.ahead import start_work_ahead

    if app.config["PREPARE_AHEAD"]:
        start_work_ahead(app)
