"""Give every request body a length before the app reads it.

A body sent in chunks has no Content-Length, so a view cannot refuse it by its size before
reading it, and Werkzeug cuts a chunked body off at `max_content_length` without saying so.
This WSGI middleware reads such a body here, at most MAX_REQUEST_BYTES and one byte more,
and hands it on with the length it has: each view's own size check then answers 413 in its
own words, and form parsing is bounded like that of any other body. /update and /store read
their bodies themselves, under their own, larger limit (MAX_WRITE_BYTES), and only after the
token has been checked.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_READ_THEMSELVES = ("/update", "/store")


class LengthForChunkedBodies:
    """Read a body without Content-Length (at most limit + 1 bytes) and give it one."""

    def __init__(self, app: WSGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not environ.get("CONTENT_LENGTH") and not self._reads_itself(environ):
            body = environ["wsgi.input"].read(self.limit + 1)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            # No longer chunked for the app: Werkzeug ignores Content-Length beside it.
            del environ["HTTP_TRANSFER_ENCODING"]
            environ.pop("wsgi.input_terminated", None)
        return self.app(environ, start_response)

    @staticmethod
    def _reads_itself(environ: dict[str, Any]) -> bool:
        path = environ.get("PATH_INFO", "")
        return any(path == p or path.startswith(p + "/") for p in _READ_THEMSELVES)
