"""The one error type the service raises on purpose, and the handler that answers it.

A client's mistake is a 4xx with a message; a store that cannot answer is a 503; anything
else is a bug in our code and stays a 500, never dressed up as a client error.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from .store import QuerySyntaxError, StoreError
from .web import i18n
from .web.negotiation import best_match

log = logging.getLogger(__name__)

STORE_RETRY_AFTER = 10
"""Seconds a client is asked to wait when the store does not answer."""


class StadtgraphError(Exception):
    """An error with an HTTP status and a message meant for the person who caused it.

    `ui_text` names the message in the UI's table of strings (filled from `ui_values`): an
    error page shows it in the reader's language, while JSON keeps `message`, in English.
    """

    def __init__(
        self,
        message: str,
        status: int = 400,
        *,
        title: str | None = None,
        details: Any = None,
        headers: dict[str, str] | None = None,
        ui_text: str | None = None,
        ui_values: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.title = title
        self.details = details
        self.headers = headers or {}
        self.ui_text = ui_text
        self.ui_values = dict(ui_values or {})

    @classmethod
    def translated(cls, key: str, status: int = 400, **values: Any) -> StadtgraphError:
        """An error whose message is the UI string `key`: its English text for JSON, the
        reader's language on an error page."""
        return cls(i18n.text(key, "en", **values), status, ui_text=key, ui_values=values)


_SYNTAX = re.compile(r"SPARQL syntax error at line (\d+), column (\d+): (.*)", re.S)


def query_error(message: str, status: int = 400) -> StadtgraphError:
    """An error about a query's text: a syntax error names its line and column on an error
    page in the reader's language (the engine's own reason stays as it gave it)."""
    found = _SYNTAX.fullmatch(message)
    if found is None:
        return StadtgraphError(message, status)
    values = {"line": found[1], "column": found[2], "reason": found[3]}
    return StadtgraphError(message, status, ui_text="error.sparql_syntax", ui_values=values)


def wants_json() -> bool:
    """Say whether this request's error should be JSON (else an HTML page)."""
    if request.path.endswith((".json", ".jsonld")):  # the address asks for JSON, whoever follows it
        return True
    # JSON for API clients (curl sends */*); an HTML page for one that prefers text/html (a
    # browser names it).
    accept = request.accept_mimetypes
    return best_match(accept, ["application/json", "text/html"]) != "text/html"


def error_response(error: StadtgraphError) -> Response:
    """Render an error as JSON or HTML, by what the client accepts."""
    title = error.title or _default_title(error.status)
    if wants_json():
        body: dict[str, Any] = {"error": title, "message": error.message, "status": error.status}
        if error.details is not None:
            body["details"] = error.details
        response = jsonify(body)
    else:
        language = i18n.current_language()
        message = error.message
        if error.ui_text is not None:
            message = i18n.text(error.ui_text, language, **error.ui_values)
        if error.title is None and f"error.status.{error.status}" in i18n.STRINGS:
            title = i18n.text(f"error.status.{error.status}", language)
        response = Response(
            render_template("error.html", title=title, message=message, error=error),
            mimetype="text/html",
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
        code = error.code or 500
        key = f"error.http.{code}"
        generic = error.description == type(error).description  # (not a message of ours)
        wrapped = StadtgraphError(
            error.description or error.name,
            code,
            ui_text=key if generic and key in i18n.STRINGS else None,
        )
        response = error_response(wrapped)
        if error.code == 405 and error.valid_methods:  # type: ignore[attr-defined]
            response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
        return response

    @app.errorhandler(QuerySyntaxError)
    def handle_query_syntax_error(error: QuerySyntaxError) -> Response:
        # One of our own queries that the store could not read (the endpoint answers a
        # client's own syntax errors itself): a bug, not an unavailable store.
        return handle_unexpected(error)

    @app.errorhandler(StoreError)
    def handle_store_error(error: StoreError) -> Response:
        # A store that cannot answer (a remote server that is down, say) is no bug of ours:
        # 503 and a time to come back, with the reason in the log, not the endpoint's address
        # in the answer.
        log.warning("the store failed on %s %s: %s", request.method, request.path, error)
        unavailable = StadtgraphError.translated("error.store_unavailable", 503)
        unavailable.headers["Retry-After"] = str(STORE_RETRY_AFTER)
        return error_response(unavailable)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(StadtgraphError.translated("error.internal", 500))
