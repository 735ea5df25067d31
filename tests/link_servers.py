"""Real local HTTP servers that misbehave like registries do: slow, failing, malformed, limiting.

`misbehaving_registry(mode, upstream, good=n)` starts an `http.server` on 127.0.0.1 that
forwards the first `n` requests to a real SPARQL endpoint (`upstream`) and answers every later
one according to `mode`. `head_server(statuses)` answers HEAD requests by path.
"""

from __future__ import annotations

import contextlib
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SLOW_SECONDS = 3.0


class _Registry(ThreadingHTTPServer):
    daemon_threads = True
    mode: str
    upstream: str
    good: int
    retry_after: str
    requests: int
    lock: threading.Lock


class _RegistryHandler(BaseHTTPRequestHandler):
    server: _Registry

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.requests += 1
            number = self.server.requests
        if number <= self.server.good:
            self._forward()
            return
        mode = self.server.mode
        if mode == "slow":
            time.sleep(SLOW_SECONDS)
            self._send(200, b'{"head": {"vars": []}, "results": {"bindings": []}}')
        elif mode == "error":
            self._send(500, b"Internal Server Error: the query engine fell over", "text/plain")
        elif mode == "malformed":
            self._send(200, b'{"head": {"vars": ["item"]}, "results": {"bindi')
        elif mode == "not-json":
            self._send(200, b"<html><body>Maintenance</body></html>", "text/html")
        elif mode == "rate-limit":
            self._send(
                429, b"Too Many Requests", "text/plain", {"Retry-After": self.server.retry_after}
            )
        elif mode == "rate-limit-once":
            if number == self.server.good + 1:
                self._send(
                    429, b"slow down", "text/plain", {"Retry-After": self.server.retry_after}
                )
            else:
                self._forward()
        else:
            raise AssertionError(f"unknown mode {mode}")

    def _forward(self) -> None:
        target = self.server.upstream + self.path[self.path.index("?") :]
        request = urllib.request.Request(target, headers={"Accept": self.headers.get("Accept", "")})
        with urllib.request.urlopen(request, timeout=10) as answer:
            self._send(answer.status, answer.read(), answer.headers.get("Content-Type", ""))

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = "application/sparql-results+json",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        # The client may have given up waiting (the timeout test).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)


@contextmanager
def misbehaving_registry(
    mode: str, upstream: str, *, good: int = 0, retry_after: str = "1"
) -> Iterator[str]:
    """Yield the query URL of a registry that forwards `good` requests, then misbehaves."""
    server = _Registry(("127.0.0.1", 0), _RegistryHandler)
    server.mode, server.upstream, server.good = mode, upstream, good
    server.retry_after, server.requests, server.lock = retry_after, 0, threading.Lock()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


class _Heads(ThreadingHTTPServer):
    daemon_threads = True
    statuses: Mapping[str, tuple[int, str | None]]


class _HeadHandler(BaseHTTPRequestHandler):
    server: _Heads

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        status, location = self.server.statuses.get(self.path, (404, None))
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


@contextmanager
def head_server(statuses: Mapping[str, tuple[int, str | None]]) -> Iterator[str]:
    """Yield the base URL of a server answering HEAD by path: {path: (status, location)}."""
    server = _Heads(("127.0.0.1", 0), _HeadHandler)
    server.statuses = statuses
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
