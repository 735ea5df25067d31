"""What a serving worker prepares ahead of requests: dumps, explorer, pages' data, analytics.

`stadtgraph serve` calls `start_work_ahead` in each worker when PREPARE_AHEAD is on; every
write through the app then calls `store_written`. Without this, the first request after a
start or a write waits. Measured at 1M triples:
- the dumps, which VoID and the catalog describe by size and checksum: 11 s to a minute;
- the explorer's graph: about 14 s, its search index 1.5 s and its first view 0.8 s;
- the overview and inquiries of the home and inquiry pages: 4 s;
- the dataset statistics (VoID, the ontology page): 2.5 s;
- the analytics of the whole graph (centrality, communities): 15 s.

The workers share the dump files (one writes, the others wait and read them); each worker
builds its own graph. Apps that do not serve (tests, embedding) prepare nothing ahead.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

from ..analytics import place, report, whole_view
from ..app_store import get_store
from ..dataset_stats import Fingerprint
from ..search import index as search_index
from ..store import Store
from ..work_ahead import WorkAhead
from .graph_params import DEFAULT_LIMIT, projection_cache
from .home import inquiries_cache, overview_cache
from .publish import dump_cache
from .site import forget_state, stats_cache, store_state

AHEAD = "stadtgraph.work_ahead"


def start_work_ahead(app: Flask) -> WorkAhead:
    """Prepare the store's current state now, in the background, and after every write."""
    ahead: WorkAhead | None = app.extensions.get(AHEAD)
    if ahead is None:
        steps = [
            ("the dumps", _step(app, lambda store, state: dump_cache().dumps(store, state))),
            ("the explorer's graph, search index and first view", _step(app, _explorer)),
            ("the home and inquiry pages' data", _step(app, _home_data)),
            ("the dataset statistics", _step(app, lambda s, state: stats_cache().get(s, state))),
            ("the analytics of the whole graph", _step(app, _analytics)),
        ]
        ahead = app.extensions[AHEAD] = WorkAhead(steps, app.logger)
    ahead.request()
    return ahead


def _step(app: Flask, prepare: Callable[[Store, Fingerprint], object]) -> Callable[[], None]:
    def run() -> None:
        with app.app_context():
            # The state requests share: read once for all steps, and not again by requests.
            prepare(get_store(), store_state())

    return run


def _explorer(store: Store, state: Fingerprint) -> None:
    projection = projection_cache().get(store, state)
    search_index(projection)
    place(projection, whole_view(projection, limit=DEFAULT_LIMIT))  # what the explorer opens


def _analytics(store: Store, state: Fingerprint) -> None:
    report(projection_cache().get(store, state))  # what /analytics opens with


def _home_data(store: Store, state: Fingerprint) -> None:
    overview_cache().get(store, state)
    inquiries_cache().get(store, state)


def store_written() -> None:
    """After a write through the app: have the store's state read again, and prepare the new
    state if this app prepares ahead."""
    forget_state()
    ahead: WorkAhead | None = current_app.extensions.get(AHEAD)
    if ahead is not None:
        ahead.request()
