"""The home page, the inquiry tracker, and the vocabulary the SPARQL editor completes from.

Data comes from `overview`, `inquiry` and `editor_vocabulary` (SPARQL over the store); this
module only picks the language, links resources to their pages and renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from .. import vocabulary as v
from ..app_store import get_store
from ..editor_vocabulary import build_vocabulary
from ..errors import StadtgraphError
from ..inquiry import Inquiry, load_inquiries
from ..overview import Overview, Tile, build_overview
from ..per_state import PerState
from ..store import Store
from .caching import kept_page
from .pages import make_linker
from .publish import query_folder
from .site import dataset_stats, store_state

bp = Blueprint("home", __name__)

OVERVIEW = "stadtgraph.overview"
INQUIRIES = "stadtgraph.inquiries"

HOME_FIELDS, HOME_STRATEGIES, HOME_INQUIRIES = 12, 5, 3
"""The home page shows at most this many action fields, strategies and inquiries, and links
to the complete lists (a graph of many cities has thousands of action fields)."""
INQUIRIES_PER_PAGE = 10
"""Inquiries on one page of the inquiry tracker (at most HOME_INQUIRIES on the home page, so
that the home page's links to questions all point at the first page)."""


@dataclass(frozen=True)
class InquiryPage:
    """One page of the inquiry tracker: its inquiries with their positions among all (from 1)."""

    entries: list[tuple[int, Inquiry]]
    number: int
    pages: int
    total: int

    @property
    def first(self) -> int:
        return self.entries[0][0] if self.entries else 0

    @property
    def last(self) -> int:
        return self.entries[-1][0] if self.entries else 0


def inquiry_page(
    inquiries: list[Inquiry], number: int, size: int = INQUIRIES_PER_PAGE
) -> InquiryPage:
    """Cut page `number` (from 1) out of all inquiries; LookupError if there is no such page."""
    pages = max(1, -(-len(inquiries) // size))
    if number > pages:
        raise LookupError(number)
    start = (number - 1) * size
    entries = list(enumerate(inquiries[start : start + size], start=start + 1))
    return InquiryPage(entries, number, pages, len(inquiries))


def requested_page() -> int:
    """Return the `page` parameter (1 when absent); 400 unless it is a positive whole number."""
    raw = request.args.get("page", "1").strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or int(raw) < 1:
        raise StadtgraphError.translated("error.page_number", value=repr(raw[:20]))
    return int(raw)


@bp.record_once
def _install(state: Any) -> None:
    """Keep the home page's overview and the inquiries once per state of the store (at 1M
    triples they take about 1.4 s and 2.5 s to read)."""
    # The overview's queries are the project's own (its code reads their columns); the folder
    # served at /queries/ may be another (QUERY_FOLDER).
    state.app.extensions[OVERVIEW] = PerState(build_overview)
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


def _type_list_url(class_iri: str) -> str:
    """The named query page listing everything of a class (and its subclasses)."""
    return url_for("named_queries.query_page", name="actors-of-type", type=class_iri)


def _tile_list_url(tile: Tile) -> str:
    """The named query page listing what a tile counts."""
    if tile.list_query == "actors-of-type":
        return _type_list_url(tile.class_iri)
    return url_for("named_queries.query_page", name=tile.list_query)


def _helpers() -> dict[str, object]:
    return {
        "link": make_linker(),
        "editor_url": lambda name: url_for("sparql.endpoint", named=name),
        "type_list_url": _type_list_url,
        "tile_list_url": _tile_list_url,
    }


@bp.get("/")
def home() -> Response:
    """Show what Stadtgraph is, the search, counts per type, action fields and the inquiry."""

    def render() -> str:
        store = get_store()
        return render_template(
            "home/index.html",
            overview=_overview(store),
            inquiries=inquiry_page(_inquiries(store), 1, HOME_INQUIRIES),
            shown_fields=HOME_FIELDS,
            shown_strategies=HOME_STRATEGIES,
            all_fields_url=_type_list_url(v.SG + "ActionField"),
            all_strategies_url=_type_list_url(v.SG + "Strategy"),
            search_api=request.script_root + "/api/search",
            search_action=request.script_root + "/explorer",
            **_helpers(),
        )

    return kept_page(render)


@bp.get("/inquiry")
def inquiry() -> Response:
    """Show each question of the inquiries with the answers given and its recorded status,
    INQUIRIES_PER_PAGE inquiries a page (`?page=N`)."""
    number = requested_page()

    def render() -> str:
        try:
            page = inquiry_page(_inquiries(get_store()), number)
        except LookupError:
            raise StadtgraphError.translated(
                "error.no_such_tracker_page", 404, number=number
            ) from None
        return render_template("home/inquiry.html", page=page, **_helpers())

    return kept_page(render)


@bp.get("/api/vocabulary")
def vocabulary() -> Response:
    """Return the prefixes, classes and properties the SPARQL editor offers to complete."""
    response = jsonify(build_vocabulary(get_store(), dataset_stats()).as_json())
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
