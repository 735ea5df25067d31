"""Work a serving worker does ahead of requests: the dumps and the explorer's graph, prepared
when it starts and after each write through it; nothing ahead in apps that do not serve; a
failing step logged, the others done, and requests served as without it."""

from __future__ import annotations

import logging
from pathlib import Path
from threading import Event

import pytest
from flask import Flask

from service.analytics import NO_FILTER
from service.dataset_stats import fingerprint
from service.project import ROOT
from service.store import Store
from service.web.ahead import start_work_ahead
from service.web.graph_params import PROJECTIONS
from service.web.home import INQUIRIES, OVERVIEW
from service.web.site import STATS
from service.work_ahead import WorkAhead

from .pages_support import (
    BASE,
    ID,
    listed_dumps,
    load_pages_fixture,
    manifest_sha256,
    pages_app,
    state_folders,
)

QUERIES = ROOT / "queries"
INSERT = (
    f"INSERT DATA {{ GRAPH <{BASE}graph/data/test/extra> {{ <{ID}neu> "
    "a <https://schema.org/Thing> ; <http://www.w3.org/2000/01/rdf-schema#label> 'neu'@de } }"
)


def write(app: Flask) -> None:
    response = app.test_client().post(
        "/update",
        data=INSERT,
        headers={"Authorization": "Bearer secret", "Content-Type": "application/sparql-update"},
    )
    assert response.status_code in (200, 204), response.get_data(as_text=True)


def prepared_graph_key(app: Flask) -> object:
    return app.extensions[PROJECTIONS].kept_for


def prepared_home_keys(app: Flask) -> tuple[object, object]:
    return app.extensions[OVERVIEW].kept_for, app.extensions[INQUIRIES].kept_for


def prepared_stats_key(app: Flask) -> object:
    return app.extensions[STATS].kept_for


def test_dumps_explorer_page_data_and_stats_are_prepared_on_start_and_after_each_write(
    memory_store: Store, tmp_path: Path
) -> None:
    load_pages_fixture(memory_store)
    # The project's named queries: the home page reads its overview through them.
    app = pages_app(memory_store, tmp_path, WRITE_TOKENS="secret", QUERY_FOLDER=str(QUERIES))
    folder = tmp_path / "dumps"
    ahead = start_work_ahead(app)  # what `stadtgraph serve` does in each worker
    assert ahead.wait(60)
    [first] = state_folders(folder)  # written before anybody asked
    assert prepared_graph_key(app) == fingerprint(memory_store)
    assert prepared_home_keys(app) == (fingerprint(memory_store),) * 2
    assert prepared_stats_key(app) == fingerprint(memory_store)
    graph = app.extensions[PROJECTIONS].kept
    assert ("search-index",) in graph.memo  # the explorer's search index too
    assert ("counts",) in graph.memo  # and what its first view needs
    assert ("report", NO_FILTER) in graph.memo  # and the analytics of the whole graph
    overview = app.extensions[OVERVIEW].kept
    client = app.test_client()
    assert listed_dumps(client)["nt"][2] == manifest_sha256(first, "nt")
    assert state_folders(folder) == [first]  # the listing found them; nothing written again
    assert client.get("/api/search?q=Stadtwerke").status_code == 200
    assert app.extensions[PROJECTIONS].kept is graph  # the explorer used it as built
    assert client.get("/").status_code == 200
    assert app.extensions[OVERVIEW].kept is overview  # so did the home page

    write(app)
    assert ahead.wait(60)
    [second] = state_folders(folder)  # the new state's, written without a request
    assert second != first
    assert b"/test/neu>" in (second / "stadtgraph.nt").read_bytes()
    assert prepared_graph_key(app) == fingerprint(memory_store)
    assert prepared_home_keys(app) == (fingerprint(memory_store),) * 2
    assert app.extensions[PROJECTIONS].kept is not graph
    assert listed_dumps(client)["nt"][2] == manifest_sha256(second, "nt")


def test_an_app_that_does_not_serve_prepares_nothing_ahead(
    memory_store: Store, tmp_path: Path
) -> None:
    load_pages_fixture(memory_store)
    app = pages_app(memory_store, tmp_path, WRITE_TOKENS="secret")
    write(app)
    assert not (tmp_path / "dumps").exists()  # tests and embedding apps: on request only
    assert prepared_graph_key(app) is None
    assert prepared_home_keys(app) == (None, None)
    assert prepared_stats_key(app) is None


def test_a_failing_step_is_logged_the_others_run_and_requests_are_served(
    memory_store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    load_pages_fixture(memory_store)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the dump folder should be")
    app = pages_app(memory_store, tmp_path, DUMP_FOLDER=str(blocker / "dumps"))
    with caplog.at_level(logging.ERROR):
        assert start_work_ahead(app).wait(60)
    assert "Preparing the dumps ahead of requests failed" in caplog.text
    assert prepared_graph_key(app) == fingerprint(memory_store)  # the next step still ran
    blocker.unlink()
    assert listed_dumps(app.test_client())["nt"][1] > 0  # written on request, as without it


def test_requests_while_a_run_is_under_way_fold_into_one_more_run() -> None:
    started, release = Event(), Event()
    runs: list[int] = []

    def step() -> None:
        runs.append(len(runs))
        started.set()
        release.wait(10)

    ahead = WorkAhead([("a step", step)], logging.getLogger("test"))
    ahead.request()
    assert started.wait(10)
    for _ in range(5):
        ahead.request()  # while the first run waits
    assert not ahead.wait(0.05)
    release.set()
    assert ahead.wait(10)
    assert runs == [0, 1]  # the first run and one more for all five requests
