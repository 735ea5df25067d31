"""The one error type the service raises on purpose, and the handler that answers it.

A client's mistake is a 4xx with a message; a store that cannot answer is a 503; anything
else is a bug in our code and stays a 500, never dressed up as a client error.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class StadtgraphError(Exception):
    """An error with an HTTP status and a message meant for the person who caused it."""

    def __init__(
        self,
        message: str,
        status: int = 400,
        *,
        title: str | None = None,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.title = title
        self.details = details
        self.headers = headers or {}


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    if request.path.startswith(("/api/", "/-/", "/health")):
        return best != "text/html" or request.accept_mimetypes["text/html"] < 1
    return best == "application/json" or not request.accept_mimetypes.accept_html


def error_response(error: StadtgraphError) -> Response:
    """Render an error as JSON or HTML, by what the client accepts."""
    title = error.title or _default_title(error.status)
    if _wants_json():
        body: dict[str, Any] = {"error": title, "message": error.message, "status": error.status}
        if error.details is not None:
            body["details"] = error.details
        response = jsonify(body)
    else:
        response = Response(
            render_template("error.html", title=title, error=error), mimetype="text/html"
        )
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


def _default_title(status: int) -> str:
    from werkzeug.http import HTTP_STATUS_CODES

    return HTTP_STATUS_CODES.get(status, "Error")


def init_app(app: Flask) -> None:
    """Register the handlers for our error type, HTTP errors and unexpected exceptions."""

    @app.errorhandler(StadtgraphError)
    def handle_stadtgraph_error(error: StadtgraphError) -> Response:
        return error_response(error)

    @app.errorhandler(HTTPException)
    def handle_http_exception(error: HTTPException) -> Response:
        wrapped = StadtgraphError(
            error.description or error.name, error.code or 500, title=error.name
        )
        response = error_response(wrapped)
        if error.code == 405 and error.valid_methods:  # type: ignore[attr-defined]
            response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
        return response

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(
            StadtgraphError("An internal error occurred; it has been logged.", 500)
        )
