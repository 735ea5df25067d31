"""Shared fixtures: an app over a fresh in-memory store, its client, and the CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.app import create_app
from service.store import Store, open_store

pytest_plugins = ["tests.endpoint_support"]  # endpoint_store, make_endpoint_app

ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def memory_store() -> Iterator[Store]:
    store = open_store(path=None)
    yield store
    store.close()


@pytest.fixture
def app(memory_store: Store) -> Flask:
    return create_app({"TESTING": True, "STORE": ":memory:"}, store=memory_store)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def count_calls(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """Record each call of the store's `count` (its graph argument) from now on; the count is
    still the store's own."""
    calls: list[str | None] = []
    real_count = store.count

    def count(graph: str | None = None) -> int:
        calls.append(graph)
        return real_count(graph)

    monkeypatch.setattr(store, "count", count)
    return calls


def run_cli(
    *args: str | Path,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """Run the real `stadtgraph` command in a subprocess and capture its output."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("STADTGRAPH_")}
    environment.update(env or {})
    environment["COLUMNS"] = "200"
    return subprocess.run(
        [sys.executable, "-m", "service", *map(str, args)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd or ROOT,
        timeout=timeout,
        check=False,
    )
