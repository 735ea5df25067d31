"""Stores over the project's data for tests that need the real Kassel graph."""

from __future__ import annotations

from service.project import graph_for_path, project_files
from service.store import RdfFormat, Store, open_store


def kassel_store_loaded() -> Store:
    """Open an in-memory store with ontology/, shapes/ and data/, each file in its graph."""
    store = open_store(path=None)
    for path in project_files():
        store.load(path, RdfFormat.for_path(path), graph_for_path(path))
    return store
