"""What a serving worker prepares ahead of requests: dumps, the explorer's graph, home data.

`stadtgraph serve` calls `start_work_ahead` in each worker when PREPARE_AHEAD is on; every
write through the app then calls `store_written`. Without this, the first request after a
start or a write waits for them: at 1M triples about a minute for the dumps (which VoID and
the catalog describe by size and checksum), about 14 s for the explorer's graph and 4 s for
the overview and inquiries of the home and inquiry pages. Dumps are
files that the workers share (one writes, the others wait and read them); each worker builds
its own graph. Apps that do not serve (tests, embedding) prepare nothing ahead.
"""

from __future__ import annotations

from flask import Flask, current_app

from ..app_store import get_store
from ..dataset_stats import fingerprint
from ..work_ahead import WorkAhead
from .graph_params import projection_cache
from .home import inquiries_cache, overview_cache
from .publish import dump_cache

AHEAD = "stadtgraph.work_ahead"


def start_work_ahead(app: Flask) -> WorkAhead:
    """Prepare the store's current state now, in the background, and after every write."""
    ahead: WorkAhead | None = app.extensions.get(AHEAD)
    if ahead is None:

        def dumps() -> None:
            with app.app_context():
                store = get_store()
                # The state read now, not the one requests share (re-read every few seconds).
                dump_cache().dumps(store, fingerprint(store))

        def explorer_graph() -> None:
            with app.app_context():
                store = get_store()
                projection_cache().get(store, fingerprint(store))

        def home_data() -> None:
            with app.app_context():
                store = get_store()
                state = fingerprint(store)
                overview_cache().get(store, state)
                inquiries_cache().get(store, state)

        steps = [
            ("the dumps", dumps),
            ("the explorer's graph", explorer_graph),
            ("the home and inquiry pages' data", home_data),
        ]
        ahead = app.extensions[AHEAD] = WorkAhead(steps, app.logger)
    ahead.request()
    return ahead


def store_written() -> None:
    """After a write through the app: prepare the new state, if this app prepares ahead."""
    ahead: WorkAhead | None = current_app.extensions.get(AHEAD)
    if ahead is not None:
        ahead.request()
