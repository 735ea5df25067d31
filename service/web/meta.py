"""Small endpoints that describe the running service: health and versions."""

from __future__ import annotations

import logging
import platform
from importlib.metadata import version

from flask import Blueprint, Response, jsonify, redirect, url_for

from .. import __version__
from ..app_store import get_store
from ..errors import STORE_RETRY_AFTER
from ..store import RemoteStore, StoreError
from .site import store_state

bp = Blueprint("meta", __name__)
log = logging.getLogger(__name__)

HEALTH_SECONDS = 5.0
"""How long /health waits for a remote store to answer `ASK {}`."""


@bp.get("/health")
def health() -> Response:
    """Report whether the store answers, and how many triples it holds.

    The store is asked `ASK {}` each time; the count comes from the state the app shares
    (see `StoreState`): counting every quad takes 0.3 s at 1M triples, too much for a probe a
    load balancer sends every few seconds.
    """
    store = get_store()
    # A remote store that takes connections but never answers must not hold the probe (and
    # a server thread) for the whole ENDPOINT_TIMEOUT.
    probe = store.bounded(HEALTH_SECONDS, 4096) if isinstance(store, RemoteStore) else store
    try:
        probe.ask("ASK {}")
        triples = store_state().quads
    except StoreError as error:
        # The reason (the endpoint's address, what it said) goes to the log, not to anyone
        # who asks; the same shape as when all is well, so a monitor reads `status` either way.
        log.warning("health check: the store failed: %s", error)
        body = {
            "status": "unavailable",
            "store": type(store).__name__,
            "message": "The store is not reachable; the service's log says why.",
        }
        response = jsonify(body)
        response.status_code = 503
        response.headers["Retry-After"] = str(STORE_RETRY_AFTER)
    else:
        response = jsonify({"status": "ok", "store": type(store).__name__, "triples": triples})
    response.headers["Access-Control-Allow-Origin"] = "*"  # a status page elsewhere may read it
    return response


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Point browsers that ask for /favicon.ico at the SVG icon."""
    return redirect(url_for("static", filename="favicon.svg"), 301)  # type: ignore[return-value]


@bp.get("/-/version")
@bp.get("/-/versions.json")
def versions() -> Response:
    """List the versions of Stadtgraph and the libraries it runs on."""
    libraries = ("pyoxigraph", "rdflib", "pyshacl", "flask", "networkx", "sparqlwrapper")
    return jsonify(
        {
            "stadtgraph": __version__,
            "python": platform.python_version(),
            "libraries": {name: version(name) for name in libraries},
        }
    )
