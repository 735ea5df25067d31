"""Send a kept answer again before the web framework sees the request.

`caching.kept_or_made` reuses a view's work; this middleware also skips the framework's own
per-request work (routing, request and response objects, the after-request hooks) for a GET
that was answered before, byte for byte, while the store is unchanged. It sits inside ProxyFix,
so host, scheme and client address are already the public ones.

What it replays is the complete response the app sent the first time (status 200, every
header, the body), captured only when the view opted in (`X-Stadtgraph-Cache` set) and nothing
personal was set (no `Set-Cookie`). Every request header the app reads to shape such a
response is part of the key (path, query string, Accept, Accept-Language, Cookie, host,
scheme). `If-None-Match` gets 304. The SPARQL endpoint's rate limit is applied here too: a
client over its limit goes on to the app, which answers 429 without counting it again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..response_cache import KeptResponse, ResponseCache
from .caching import CACHE_HEADER

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
RATE_WAIT = "stadtgraph.rate_limit_wait"
"""Environ key: the rate limiter already counted this request; its answer (None or seconds)."""
_KEY_PARTS = (
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_ACCEPT",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_COOKIE",
    "HTTP_HOST",
    "SCRIPT_NAME",
    "wsgi.url_scheme",
)
_NOT_REPLAYED = frozenset({"content-length", "date", "server", "connection"})


class ReplayKept:
    """WSGI middleware: replay complete GET answers while the store is unchanged."""

    def __init__(
        self,
        app: WsgiApp,
        cache: ResponseCache,
        version: Callable[[], int | None],
        rate_limited_paths: frozenset[str],
        limiter: Callable[[str], int | None],
    ) -> None:
        self.app = app
        self.cache = cache
        self.version = version
        self.rate_limited_paths = rate_limited_paths
        self.limiter = limiter

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("REQUEST_METHOD") != "GET" or not self.cache.enabled:
            return self.app(environ, start_response)
        version = self.version()
        if version is None:
            return self.app(environ, start_response)
        key = ("replay", *(environ.get(part, "") for part in _KEY_PARTS))
        kept = self.cache.get(key, version)
        if kept is not None:
            if environ.get("PATH_INFO", "") in self.rate_limited_paths:
                wait = self.limiter(str(environ.get("REMOTE_ADDR") or "unknown"))
                if wait is not None:
                    environ[RATE_WAIT] = wait
                    return self.app(environ, start_response)
            return _replay(kept, environ, start_response)
        return self._capture(key, version, environ, start_response)

    def _capture(
        self,
        key: tuple[str, ...],
        version: int,
        environ: dict[str, Any],
        start_response: Callable[..., Any],
    ) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def capturing_start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.app(environ, capturing_start_response)
        headers: list[tuple[str, str]] = seen.get("headers", [])
        names = {name.lower(): value for name, value in headers}
        if (
            not str(seen.get("status", "")).startswith("200")
            or names.get(CACHE_HEADER.lower()) not in ("miss", "hit")
            or "set-cookie" in names
        ):
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        kept_headers = tuple(
            (name, "hit" if name.lower() == CACHE_HEADER.lower() else value)
            for name, value in headers
            if name.lower() not in _NOT_REPLAYED
        )
        self.cache.put(
            key,
            version,
            KeptResponse(body, names.get("content-type", ""), kept_headers, names.get("etag", "")),
        )
        return [body]


def _replay(
    kept: KeptResponse, environ: dict[str, Any], start_response: Callable[..., Any]
) -> Iterable[bytes]:
    if kept.matches(environ.get("HTTP_IF_NONE_MATCH")):
        headers = [(k, v) for k, v in kept.headers if k.lower() != "content-type"]
        start_response("304 Not Modified", headers)
        return []
    start_response("200 OK", [*kept.headers, ("Content-Length", str(len(kept.body)))])
    return [kept.body]
