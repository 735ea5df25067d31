"""The state token of the embedded store: what dumps and the analytics projection are filed
under. It must change with every write, even one that keeps the quad count (a corrected
label), and stay the same across restarts when nothing was written."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.app import create_app
from service.dataset_stats import StoreState, fingerprint
from service.store import RdfFormat, open_store
from service.store.state_token import state_file_for

from .conftest import count_calls

G = "https://example.org/graph/labels"
LABEL = "<urn:test:a> <http://www.w3.org/2000/01/rdf-schema#label> {} ."


def label_file(text: str) -> bytes:
    return LABEL.format(f'"{text}"').encode()


def test_the_token_survives_a_restart_without_writes(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    with open_store(path=folder) as store:
        store.load(label_file("Alt"), RdfFormat.NTRIPLES, G)
        written = store.state_token()
    assert state_file_for(folder).read_text().strip() == written
    with open_store(path=folder, serve_from_memory=False) as store:
        assert store.state_token() == written


def test_every_kind_of_write_gives_a_new_token(tmp_path: Path) -> None:
    with open_store(path=tmp_path / "store") as store:
        seen = {store.state_token()}
        store.load(label_file("Alt"), RdfFormat.NTRIPLES, G)
        seen.add(store.state_token())
        store.load(label_file("Neu"), RdfFormat.NTRIPLES, G, replace=True)
        seen.add(store.state_token())
        store.update(f"INSERT DATA {{ GRAPH <{G}> {{ <urn:test:b> <urn:test:p> 1 }} }}")
        seen.add(store.state_token())
        store.replace_graph(G, [])
        seen.add(store.state_token())
    assert len(seen) == 5


def test_an_edit_that_keeps_the_count_still_changes_the_fingerprint(tmp_path: Path) -> None:
    with open_store(path=tmp_path / "store") as store:
        store.load(label_file("Alt"), RdfFormat.NTRIPLES, G)
        before = fingerprint(store)
        store.load(label_file("Neu"), RdfFormat.NTRIPLES, G, replace=True)
        after = fingerprint(store)
    assert (before.quads, before.graphs) == (after.quads, after.graphs)
    assert before != after


def test_a_corrected_label_is_in_the_next_dump(tmp_path: Path) -> None:
    """`stadtgraph load` of a corrected file, then a new server: the dump must not be stale."""
    folder, dumps = tmp_path / "store", tmp_path / "dumps"

    def dump_after_loading(text: str) -> str:
        with open_store(path=folder) as store:
            store.load(label_file(text), RdfFormat.NTRIPLES, G, replace=True)
            app = create_app({"STORE": str(folder), "DUMP_FOLDER": str(dumps)}, store=store)
            response = app.test_client().get("/dumps/stadtgraph.nt")
            try:
                return response.get_data(as_text=True)
            finally:
                response.close()  # (a dump is sent from its file)

    assert '"Alt"' in dump_after_loading("Alt")
    corrected = dump_after_loading("Neu")
    assert '"Neu"' in corrected and '"Alt"' not in corrected


def test_a_memory_store_has_a_token_too() -> None:
    with open_store(path=None) as store:
        first = store.state_token()
        store.update("INSERT DATA { <urn:test:a> <urn:test:p> 1 }")
        assert store.state_token() not in (None, first)


def test_an_embedded_store_is_counted_again_only_after_a_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = open_store(path=None)
    counted = count_calls(store, monkeypatch)
    state = StoreState(ttl=0)  # a remote store would be read again on every call
    first = state.current(store)
    assert [state.current(store) for _ in range(3)] == [first] * 3
    assert len(counted) == 1  # the store counts its writes: none, so no new count
    store.load(label_file("neu"), RdfFormat.TURTLE, "urn:test:g")
    second = state.current(store)
    assert second != first and second.quads == first.quads + 1
    assert len(counted) == 2
    store.close()
