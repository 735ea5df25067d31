"""Shared pieces of the endpoint tests: the fixture dataset, an app over it, a real HTTP server
in a thread, and a socket that records every connection made to it."""

from __future__ import annotations

import contextlib
import io
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from flask import Flask
from rdflib import Graph
from werkzeug.serving import make_server

from service.app import create_app
from service.store import RdfFormat, Store, open_store
from service.web.sparql import RUNNER

DATA = Path(__file__).resolve().parent / "data" / "endpoint"
EX = "http://example.org/test/"
PEOPLE = "http://example.org/graph/people"
ORGS = "http://example.org/graph/orgs"


AppMaker = Callable[..., Flask]


def loaded_store() -> Store:
    """Return an in-memory store holding the fixture's two named graphs."""
    store = open_store(path=None)
    store.load(DATA / "dataset.trig", RdfFormat.TRIG, None)
    return store


def endpoint_app(store: Store, **config: Any) -> Flask:
    return create_app({"TESTING": True, "STORE": ":memory:", **config}, store=store)


def close_app(app: Flask) -> None:
    """Stop the app's query workers (each test's app forks its own)."""
    runner = app.extensions.get(RUNNER)
    if runner is not None:
        runner.close()


@pytest.fixture
def endpoint_store() -> Iterator[Store]:
    """The fixture dataset (two named graphs) in a fresh in-memory store."""
    store = loaded_store()
    yield store
    store.close()


@pytest.fixture
def make_endpoint_app(endpoint_store: Store) -> Iterator[AppMaker]:
    """Make apps over the fixture store with settings; their query workers stop afterwards."""
    made: list[Flask] = []

    def make(**config: Any) -> Flask:
        app = endpoint_app(endpoint_store, **config)
        made.append(app)
        return app

    yield make
    for app in made:
        close_app(app)


def rdf_graph(data: bytes, media_type: str) -> Graph:
    """Read RDF in any format into an rdflib graph (pyoxigraph parses; rdflib's JSON-LD parser
    warns about its own deprecations)."""
    fmt = ox.RdfFormat.from_media_type(media_type)
    assert fmt is not None, media_type
    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=fmt))
    ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return Graph().parse(data=ntriples, format="nt")


def quads(store: Store) -> set[bytes]:
    """Return the store's content as a set of N-Quads lines, to compare before and after."""
    out = io.BytesIO()
    store.dump(out, RdfFormat.NQUADS)
    return set(out.getvalue().splitlines())


@contextmanager
def live_server(app: Flask) -> Iterator[str]:
    """Serve the app on 127.0.0.1 (a free port) from a thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


class ConnectionRecorder:
    """A listening socket on 127.0.0.1 that counts connection attempts and answers none."""

    def __init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}/"
        self.connections = 0
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> ConnectionRecorder:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError):
            self._socket.shutdown(socket.SHUT_RDWR)  # wakes the accept() below
        self._socket.close()
        self._thread.join(2)

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()
