"""The home page, the inquiry tracker, and the vocabulary the SPARQL editor completes from.

Data comes from `overview`, `inquiry` and `editor_vocabulary` (SPARQL over the store); this
module only picks the language, links resources to their pages and renders.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from ..app_store import get_store
from ..editor_vocabulary import build_vocabulary
from ..inquiry import load_inquiries
from ..overview import build_overview
from . import i18n
from .pages import make_linker
from .publish import query_folder
from .site import dataset_stats

bp = Blueprint("home", __name__)

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
def home() -> str:
    """Show what Stadtgraph is, the search, counts per type, action fields and the inquiry."""
    store = get_store()
    folder = query_folder()
    return render_template(
        "home/index.html",
        overview=build_overview(store, folder),
        inquiries=load_inquiries(store, folder),
        search_api=request.script_root + "/api/search",
        search_action=request.script_root + "/explorer",
        **_helpers(),
    )


@bp.get("/inquiry")
def inquiry() -> str:
    """Show each question of the inquiry with the answers given and its recorded status."""
    return render_template(
        "home/inquiry.html", inquiries=load_inquiries(get_store(), query_folder()), **_helpers()
    )


@bp.get("/api/vocabulary")
def vocabulary() -> Response:
    """Return the prefixes, classes and properties the SPARQL editor offers to complete."""
    response = jsonify(build_vocabulary(get_store(), dataset_stats()).as_json())
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
