"""The store as the app's shared resource: opened once per process, closed at exit."""

from __future__ import annotations

import atexit
import hashlib
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from .store import Store, open_store

EXTENSION = "stadtgraph.store"
MEMORY = ":memory:"


def instance_folder() -> Path:
    """Return the instance folder: `instance/` beside the `service` package."""
    return Path(__file__).resolve().parent.parent / "instance"


def store_from_settings(settings: Mapping[str, Any]) -> Store:
    """Open the store the settings describe: a remote endpoint, or the embedded store."""
    if settings.get("ENDPOINT"):
        return open_store(
            endpoint=settings["ENDPOINT"],
            update_endpoint=settings.get("UPDATE_ENDPOINT"),
            gsp_endpoint=settings.get("GSP_ENDPOINT"),
            user=settings.get("ENDPOINT_USER"),
            password=settings.get("ENDPOINT_PASSWORD"),
            timeout=float(settings.get("ENDPOINT_TIMEOUT", 30.0)),
        )
    path = store_folder(settings)
    if path is None:
        return open_store(path=None)
    return open_store(path=path, serve_from_memory=bool(settings.get("SERVE_FROM_MEMORY", True)))


def store_folder(settings: Mapping[str, Any]) -> Path | None:
    """Return the embedded store's folder the settings name; None for memory or a remote store."""
    location = settings.get("STORE")
    if settings.get("ENDPOINT") or location == MEMORY:
        return None
    return Path(location) if location else instance_folder() / "store"


def dump_folder(settings: Mapping[str, Any]) -> Path:
    """Return where the dumps go, as an absolute path: DUMP_FOLDER, else beside the store folder
    (`<store>.dumps`, so that two stores never share their dumps), else, for a remote store,
    a folder of its own per endpoint in the instance folder's dumps/ (two servers' dumps
    would otherwise be taken for each other's, or cleared as stale), and for a store in
    memory the instance folder's dumps/. Relative paths are taken from the working directory,
    as the store's are."""
    if settings.get("DUMP_FOLDER"):
        return Path(settings["DUMP_FOLDER"]).resolve()
    if settings.get("ENDPOINT"):
        name = hashlib.sha256(str(settings["ENDPOINT"]).encode()).hexdigest()[:16]
        return instance_folder() / "dumps" / f"endpoint-{name}"
    store = store_folder(settings)
    if store is None:
        return instance_folder() / "dumps"
    # Absolute, like the store's own path: a relative one would be read from the app's folder.
    store = store.resolve()
    return store.parent / f"{store.name}.dumps"


def get_store() -> Store:
    """Return the current app's store, opening it on first use."""
    holder: dict[str, Any] = current_app.extensions[EXTENSION]
    with holder["lock"]:
        store: Store | None = holder["store"]
        if store is None:
            store = holder["store"] = store_from_settings(current_app.config)
            atexit.register(store.close)
    return store


def init_app(app: Flask, store: Store | None = None) -> None:
    """Register the store holder; an already opened store may be handed in (tests, CLI)."""
    app.extensions[EXTENSION] = {"store": store, "lock": threading.Lock()}
