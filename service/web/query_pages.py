"""The named queries of `queries/` for people who do not write SPARQL: a list, and each query
as a page with a parameter form and a results table, as SPARQL results JSON and as CSV."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, render_template, request, url_for
from rdflib.term import URIRef

from ..app_store import get_store
from ..errors import StadtgraphError, wants_json
from ..labels import Labels
from ..queries import NamedQuery, ParameterError, QueryNotFound, all_queries, get_query
from ..resource_queries import fetch_names
from ..result_table import Cell, Column, cell, columns
from ..store import Node, QuerySyntaxError
from ..store.binding import with_bindings
from . import i18n
from .caching import kept_or_made, kept_page
from .pages import make_linker
from .publish import query_folder

bp = Blueprint("named_queries", __name__)

DOWNLOADS = {"json": "application/sparql-results+json", "csv": "text/csv"}
HTML_ROWS = 1000
"""Rows shown in the page's table; the downloads carry all."""


def _query(name: str) -> NamedQuery:
    try:
        return get_query(name, query_folder())
    except QueryNotFound:
        raise StadtgraphError.translated("error.no_such_query", 404, name=repr(name)) from None


def _given() -> dict[str, str]:
    """The parameter values in the address (the language is not one)."""
    return {k: val for k, val in request.args.items() if k != "lang"}


def _bindings(query: NamedQuery) -> dict[str, Node]:
    try:
        return query.bindings(_given())
    except ParameterError as error:
        raise StadtgraphError(str(error), 400, ui_text=error.key, ui_values=error.values) from None


@bp.get("/queries/")
def query_list() -> str:
    """List the named queries with their titles and descriptions."""
    return render_template("pages/queries.html", queries=all_queries(query_folder()))


@bp.get("/queries/<name>.<any(json, csv):ext>")
def query_download(name: str, ext: str) -> Response:
    """Return a named query's results as SPARQL results JSON or CSV (kept until a write)."""
    return kept_or_made(("queries", request.url), lambda: _download(name, ext))


def _download(name: str, ext: str) -> Response:
    query = _query(name)
    sparql = with_bindings(query.sparql, _bindings(query))
    try:
        body = get_store().query_serialized(sparql, DOWNLOADS[ext])
    except QuerySyntaxError as error:
        raise StadtgraphError(str(error), 400) from None
    response = Response(body, content_type=f"{DOWNLOADS[ext]}; charset=utf-8")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "ETag, X-Stadtgraph-Cache"
    if ext == "csv":
        response.headers["Content-Disposition"] = f'inline; filename="{query.name}.csv"'
    return response


@bp.get("/queries/<name>")
def query_page(name: str) -> Response:
    """Show a named query: its description, a form for its parameters and its results.

    A value that does not fit its parameter gets the form again (400), the values kept and
    the problem said at its field, for a reader; a client that prefers JSON gets the error.
    """
    query = _query(name)
    problem = _parameter_problem(query)
    if problem is None:
        return kept_page(lambda: _render_query_page(query))
    if wants_json():
        raise StadtgraphError(str(problem), 400, ui_text=problem.key, ui_values=problem.values)
    return Response(_render_query_page(query, problem), status=400, mimetype="text/html")


def _missing(query: NamedQuery) -> list[str]:
    return [p.name for p in query.parameters if not p.optional and not request.args.get(p.name)]


def _parameter_problem(query: NamedQuery) -> ParameterError | None:
    """The problem with the given values, once every required one is given."""
    if _missing(query):
        return None  # the form asks for them first
    try:
        query.bindings(_given())
    except ParameterError as error:
        return error
    return None


def _render_query_page(query: NamedQuery, problem: ParameterError | None = None) -> str:
    language = i18n.current_language()
    result = None
    shown: list[Column] = []
    cells: list[list[Cell]] = []
    if problem is None and not _missing(query):
        bindings = _bindings(query)
        result = get_store().select(query.sparql, bindings)
        link = make_linker()
        base = current_app.config["BASE_IRI"]
        shown = columns(result.variables, language)
        rows = result.rows[:HTML_ROWS]
        names = Labels(language, current_app.config["DEFAULT_LANGUAGE"])
        unnamed = {
            str(row[name])
            for c in shown
            if not c.labels
            for row in rows
            for name in c.values
            if isinstance(row.get(name), URIRef)
        }
        fetch_names(get_store(), unnamed, names)
        cells = [[cell(row, c, link, base, language, names) for c in shown] for row in rows]
    args: dict[str, Any] = _given()
    return render_template(
        "pages/query.html",
        query=query,
        title=query.title(language),
        description=query.description(language),
        values=args,
        result=result,
        columns=shown,
        cells=cells,
        shown=min(len(result.rows), HTML_ROWS) if result else 0,
        downloads={
            ext: url_for("named_queries.query_download", name=query.name, ext=ext, **args)
            for ext in DOWNLOADS
        },
        max_rows=current_app.config["MAX_RESULTS"],
        problem=problem and i18n.text(problem.key, language, **problem.values),
        problem_field=problem and problem.values.get("parameter"),
    )
