"""What the explorer's pages and APIs read from a request: IRIs, numbers, filters, language.

Every parameter is checked here; a bad value is a 400 naming the parameter, an IRI that is
not in the involvement graph a 404. Values never reach SPARQL: the graph is read once per
state of the store (projection.py) and queried in Python.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, request, url_for

from ..analytics import Filter
from ..app_store import get_store
from ..errors import StadtgraphError
from ..graph_export import Linker
from ..per_state import PerState
from ..projection import Projection, build_projection, is_iri
from . import i18n
from .pages import make_linker
from .site import store_state

PROJECTIONS = "stadtgraph.projection"
MAX_IRI = 2000
DEFAULT_DEPTH, MAX_DEPTH = 1, 4
DEFAULT_LIMIT, MAX_LIMIT = 500, 2000
"""A view shows at most this many nodes (the default cap, and the largest cap one may ask)."""


def install(bp: Blueprint) -> None:
    """Give the app one projection cache when the blueprint is registered."""
    bp.record_once(
        lambda state: state.app.extensions.setdefault(PROJECTIONS, PerState(build_projection))
    )


def projection_cache() -> PerState[Projection]:
    """Return the app's cache of the involvement graph (one per worker process)."""
    cache: PerState[Projection] = current_app.extensions[PROJECTIONS]
    return cache


def projection() -> Projection:
    """Return the involvement graph of the store's current state."""
    return projection_cache().get(get_store(), store_state())


def language() -> str:
    """Return `lang` if given (de or en), else the page language."""
    asked = request.args.get("lang")
    if asked is None or asked == "":
        return i18n.current_language()
    if asked not in i18n.LANGUAGES:
        raise StadtgraphError(f"lang must be one of {', '.join(i18n.LANGUAGES)}, not {asked!r}.")
    return asked


def iri_arg(name: str) -> str:
    """Return the required IRI parameter `name`."""
    value = optional_iri_arg(name)
    if value is None:
        raise StadtgraphError(f"The parameter {name} is missing; give the IRI of a resource.")
    return value


def optional_iri_arg(name: str) -> str | None:
    value = request.args.get(name, "").strip()
    if not value:
        return None
    if len(value) > MAX_IRI or not is_iri(value):
        raise StadtgraphError(
            f"The parameter {name} must be an absolute IRI (such as "
            f"https://w3id.org/stadtgraph/id/kassel/org/kvv), not {value[:100]!r}."
        )
    return value


def request_text(name: str, longest: int = 200) -> str:
    """Return the text parameter `name`, stripped; 400 if longer than `longest`."""
    value = request.args.get(name, "").strip()
    if len(value) > longest:
        raise StadtgraphError(f"The parameter {name} is longer than {longest} characters.")
    return value


def int_arg(name: str, default: int, low: int, high: int) -> int:
    """Return the integer parameter `name` between low and high (inclusive)."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise StadtgraphError(
            f"The parameter {name} must be a whole number from {low} to {high}, not {raw[:20]!r}."
        )
    return int(raw)


def list_arg(name: str) -> frozenset[str] | None:
    """Return a list parameter given as `a,b` or repeated (`name=a&name=b`); None if absent."""
    values = [part.strip() for raw in request.args.getlist(name) for part in raw.split(",")]
    values = [value for value in values if value]
    return frozenset(values) if values else None


def graph_filter() -> Filter:
    """Return the filter of `types` and `relations`."""
    try:
        return Filter(list_arg("types"), list_arg("relations"))
    except ValueError as error:
        raise StadtgraphError(f"{error}.") from None


def require_node(graph: Projection, iri: str, name: str = "node") -> None:
    """Answer 404 unless iri is a node of the involvement graph."""
    if iri in graph.graph:
        return
    known = iri in graph.resources
    reason = "is not part of the involvement graph" if known else "is not in the data"
    raise StadtgraphError(f"{name} {iri} {reason}.", 404)


def linker() -> Linker:
    """Link resources to their entity pages."""
    return make_linker()


def explorer_url(**values: str | int | None) -> str:
    """Return the URL of the explorer with these parameters."""
    given: dict[str, Any] = {k: v for k, v in values.items() if v not in (None, "")}
    return url_for("explorer.explorer", **given)
