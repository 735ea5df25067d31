"""The home page, the inquiry tracker, and the vocabulary the SPARQL editor completes from.

Data comes from `overview`, `inquiry` and `editor_vocabulary` (SPARQL over the store); this
module only picks the language, links resources to their pages and renders.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from ..app_store import get_store
from ..editor_vocabulary import build_vocabulary
from ..inquiry import Inquiry, load_inquiries
from ..overview import Overview, build_overview
from ..per_state import PerState
from ..store import Store
from . import i18n
from .caching import kept_or_made
from .pages import make_linker
from .publish import query_folder
from .site import dataset_stats, store_state

bp = Blueprint("home", __name__)

OVERVIEW = "stadtgraph.overview"
INQUIRIES = "stadtgraph.inquiries"


@bp.record_once
def _install(state: Any) -> None:
    """Keep the home page's overview and the inquiries once per state of the store (at 1M
    triples they take about 1.4 s and 2.5 s to read)."""
    state.app.extensions[OVERVIEW] = PerState(lambda store: build_overview(store, query_folder()))
    state.app.extensions[INQUIRIES] = PerState(lambda store: load_inquiries(store, query_folder()))


def overview_cache() -> PerState[Overview]:
    """Return the app's overview of the store, kept per state (needs an app context)."""
    cache: PerState[Overview] = current_app.extensions[OVERVIEW]
    return cache


def inquiries_cache() -> PerState[list[Inquiry]]:
    """Return the app's inquiries with their answers, kept per state (needs an app context)."""
    cache: PerState[list[Inquiry]] = current_app.extensions[INQUIRIES]
    return cache


def _overview(store: Store) -> Overview:
    return overview_cache().get(store, store_state())


def _inquiries(store: Store) -> list[Inquiry]:
    return inquiries_cache().get(store, store_state())


MONTHS_DE = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def long_date(value: str | None, language: str) -> str:
    """Write an ISO date as `6. März 2019` or `6 March 2019`; anything else unchanged."""
    if not value:
        return ""
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return value
    if language == "de":
        return f"{day.day}. {MONTHS_DE[day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def _helpers() -> dict[str, object]:
    language = i18n.current_language()
    return {
        "link": make_linker(),
        "long_date": lambda value: long_date(value, language),
        "editor_url": lambda name: url_for("sparql.endpoint", named=name),
        "type_list_url": lambda iri: url_for(
            "named_queries.query_page", name="actors-of-type", type=iri
        ),
    }


@bp.get("/")
def home() -> Response:
    """Show what Stadtgraph is, the search, counts per type, action fields and the inquiry."""

    def render() -> Response:
        store = get_store()
        page = render_template(
            "home/index.html",
            overview=_overview(store),
            inquiries=_inquiries(store),
            search_api=request.script_root + "/api/search",
            search_action=request.script_root + "/explorer",
            **_helpers(),
        )
        return Response(page, mimetype="text/html")

    return kept_or_made(("page", request.url, i18n.current_language()), render)


@bp.get("/inquiry")
def inquiry() -> Response:
    """Show each question of the inquiry with the answers given and its recorded status."""

    def render() -> Response:
        page = render_template("home/inquiry.html", inquiries=_inquiries(get_store()), **_helpers())
        return Response(page, mimetype="text/html")

    return kept_or_made(("page", request.url, i18n.current_language()), render)


@bp.get("/api/vocabulary")
def vocabulary() -> Response:
    """Return the prefixes, classes and properties the SPARQL editor offers to complete."""
    response = jsonify(build_vocabulary(get_store(), dataset_stats()).as_json())
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
