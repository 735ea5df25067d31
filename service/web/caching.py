"""Reuse finished responses while the store is unchanged, and answer conditional requests.

Views that only read the store wrap their work in `kept_or_made`: the first request computes
the response, later ones with the same key get the same bytes until a write changes the store
(see `service.response_cache`). Every such response carries a strong ETag, so a client that
sends `If-None-Match` gets 304 Not Modified, and `X-Stadtgraph-Cache: hit|miss` says whether it
was reused.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import Flask, Response, current_app, request

from ..app_store import get_store
from ..errors import StadtgraphError
from ..response_cache import KeptResponse, ResponseCache, etag_for
from . import i18n

CACHE = "stadtgraph.response_cache"
CACHE_HEADER = "X-Stadtgraph-Cache"
_NOT_KEPT = frozenset({"content-length", "content-type", "set-cookie", "vary", "etag"})


def init_app(app: Flask) -> None:
    """Give the app its response cache, sized by RESPONSE_CACHE_MB (0 switches it off), and
    replay complete answers before the framework (see `replay`)."""
    from ..app_store import EXTENSION
    from .replay import ReplayKept
    from .sparql import rate_limiter

    cache = ResponseCache(int(app.config["RESPONSE_CACHE_MB"]) * 1024 * 1024)
    app.extensions[CACHE] = cache

    def store_version() -> int | None:
        store = app.extensions[EXTENSION]["store"]
        return None if store is None else store.version()

    app.wsgi_app = ReplayKept(  # type: ignore[method-assign]
        app.wsgi_app,
        cache,
        store_version,
        frozenset({"/sparql"}),
        lambda client: rate_limiter(app).check(client),
    )


def response_cache() -> ResponseCache:
    """Return the app's response cache."""
    cache: ResponseCache = current_app.extensions[CACHE]
    return cache


def kept_or_made(key: Hashable, make: Callable[[], Response]) -> Response:
    """Return the response kept under key for the store as it is, else make and keep it.

    Only complete 200 responses are kept; errors raised by `make` pass through untouched.
    Requests that miss the same key at once make it once: the others wait for the first and
    get its answer, or the same error (a query that timed out for one would for them too).
    """
    cache = response_cache()
    version = get_store().version() if cache.enabled else None
    kept = cache.get(key, version)
    if kept is not None:
        return _send(kept, "hit")
    if version is None:
        return _keep(cache, key, version, make())
    flight, leading = cache.lead_or_follow(key)
    if not leading:
        if flight.done.wait(_longest_wait()):
            if flight.error is not None:
                raise flight.error
            kept = cache.get(key, version)
            if kept is not None:
                return _send(kept, "hit")
        return _keep(cache, key, version, make())  # its answer was not kept: make our own
    try:
        response = _keep(cache, key, version, make())
    except StadtgraphError as error:
        cache.land(key, flight, error)
        raise
    except BaseException:
        cache.land(key, flight)
        raise
    cache.land(key, flight)
    return response


def kept_page(render: Callable[[], str]) -> Response:
    """An HTML page, made by `render` and reused while the store is unchanged, per URL and
    language."""
    key = ("page", request.url, i18n.current_language())
    return kept_or_made(key, lambda: Response(render(), mimetype="text/html"))


def _longest_wait() -> float:
    """How long a request waits for another computing the same answer."""
    config = current_app.config
    return float(config["QUERY_TIMEOUT"]) + float(config["QUERY_QUEUE_WAIT"]) + 5.0


def _keep(cache: ResponseCache, key: Hashable, version: int | None, response: Response) -> Response:
    if response.status_code != 200 or response.is_streamed:
        return response
    body = response.get_data()
    kept = KeptResponse(
        body,
        response.content_type or "application/octet-stream",
        tuple((k, v) for k, v in response.headers.items() if k.lower() not in _NOT_KEPT),
        etag_for(body),
    )
    cache.put(key, version, kept)
    return _send(kept, "miss" if version is not None else "off")


def _send(kept: KeptResponse, outcome: str) -> Response:
    if kept.matches(request.headers.get("If-None-Match")):
        response = Response(status=304)
    else:
        response = Response(kept.body, content_type=kept.content_type)
    response.headers.extend(kept.headers)
    response.headers["ETag"] = kept.etag
    response.headers[CACHE_HEADER] = outcome
    return response
