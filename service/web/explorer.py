"""The graph explorer and the analytics page.

The explorer page works without JavaScript: it renders search results (`?q=`), the filters as
a form, and the current view (`?focus=…&depth=…&types=…&relations=…`) as tables. explorer.js
then draws the same view with Cytoscape.js from /api/graph and keeps the tables in step.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import Blueprint, render_template, request, url_for

from .. import analytics
from ..errors import StadtgraphError
from ..projection import KINDS, RELATIONS, Projection, is_iri
from ..search import search as search_labels
from . import graph_params as params
from . import i18n
from .graph_api import groups, ranking, requested_view, view_json

bp = Blueprint("explorer", __name__)
params.install(bp)

TABLE_CAP = 300
"""Rows of nodes (edges: twice as many) the page itself renders; explorer.js renders all."""

UI_KEYS = (
    "explorer.loading", "explorer.shown", "explorer.nodes", "explorer.nodes_one",
    "explorer.edges", "explorer.edges_one", "explorer.truncated", "explorer.no_nodes",
    "explorer.in_view", "explorer.not_in_view",
    "explorer.not_in_graph", "explorer.expand", "explorer.expand_counts", "explorer.expand_show",
    "explorer.expand_more", "explorer.expand_none", "explorer.direction_out",
    "explorer.direction_in", "explorer.open_page", "explorer.make_focus", "explorer.role",
    "explorer.as_of", "explorer.source", "explorer.path_found", "explorer.path_none",
    "explorer.path_links", "explorer.quote", "explorer.caveat",
    "explorer.path_pick", "explorer.error", "explorer.undo_empty", "explorer.selected",
    "explorer.select", "explorer.kind", "explorer.connections", "explorer.relation",
    "explorer.from", "explorer.to", "explorer.iri", "explorer.png_failed",
    "explorer.graph_label", "explorer.nothing_selected", "explorer.nodes_caption",
    "explorer.edges_caption",
)  # fmt: skip


def strings(language: str) -> dict[str, str]:
    """The UI strings explorer.js needs, in the page language."""
    return {key: i18n.text(key, language) for key in UI_KEYS}


def kind_options(language: str) -> list[dict[str, Any]]:
    return [{"key": k.key, "label": k.label(language), "actor": k.actor} for k in KINDS
            if k.in_graph]  # fmt: skip


def relation_options(language: str) -> list[dict[str, Any]]:
    return [{"key": r.key, "label": r.label(language), "group": r.group} for r in RELATIONS]


FIELDS_SHOWN = 30
"""The explorer links at most this many action fields (those most involved in); a graph of
many cities has thousands, which the search finds."""


def action_fields(graph: Projection, language: str) -> tuple[list[dict[str, str]], int]:
    """The action fields to open the neighbourhoods of: the FIELDS_SHOWN with the most links,
    by label; and how many there are in all."""

    def compute() -> tuple[list[dict[str, str]], int]:
        every = [n for n in graph.graph if graph.kind(n) == "actionfield"]
        found = sorted(every, key=lambda n: (-graph.graph.degree[n], n))[:FIELDS_SHOWN]
        shown = sorted(
            ({"iri": n, "label": graph.label(n, language)} for n in found),
            key=lambda field: field["label"].casefold(),
        )
        return shown, len(every)

    return analytics.memo(graph, ("explorer-action-fields", language), compute)


def resolve(graph: Projection, value: str, language: str) -> str:
    """Take an IRI as it is, and a name as the best match of a node in the graph."""
    if is_iri(value):
        return value
    for hit in search_labels(graph, value, language, None, 20).hits:
        if hit.in_graph:
            return hit.iri
    raise StadtgraphError(i18n.text("explorer.search_none", language) + f" ({value})", 404)


def path_view(graph: Projection, language: str) -> dict[str, Any]:
    """The shortest path between `from` and `to` (IRIs or names), shaped as a view."""
    ends = [resolve(graph, params.request_text(name, 2000), language) for name in ("from", "to")]
    for name, iri in zip(("from", "to"), ends, strict=True):
        params.require_node(graph, iri, name)
    found = analytics.shortest_path(graph, ends[0], ends[1])
    if found is None:
        raise StadtgraphError(i18n.text("explorer.path_none", language), 404)
    return view_json(graph, found, language, found.graph.number_of_nodes())


@bp.get("/explorer")
def explorer() -> tuple[str, int]:
    """Explore who is involved in what: search, a graph of the neighbourhood, tables."""
    graph = params.projection()
    language = i18n.current_language()
    query = params.request_text("q")
    found = search_labels(graph, query, language, None, 20) if query else None
    view: dict[str, Any] | None = None
    error: str | None = None
    status = 200
    # A resource of the data that is not in the involvement graph (an involvement, a source,
    # a registry…) is not an error: the reader learns why and sees the whole graph.
    outside = request.args.get("focus", "").strip()
    if not outside or outside in graph.graph or outside not in graph.resources:
        outside = ""
    try:
        if request.args.get("from") and request.args.get("to"):
            view = path_view(graph, language)
        elif outside:
            shown = analytics.place(graph, analytics.whole_view(graph, limit=params.DEFAULT_LIMIT))
            view = view_json(graph, shown, language, params.DEFAULT_LIMIT)
        elif not query or request.args.get("focus"):
            shown, limit = requested_view(graph)
            view = view_json(graph, shown, language, limit)
    except StadtgraphError as problem:
        if problem.status not in (400, 404):
            raise
        error, status = problem.message, problem.status
    view_degrees: Counter[str] = Counter()
    for edge in view["elements"]["edges"] if view else []:
        view_degrees.update((edge["data"]["source"], edge["data"]["target"]))
    selected_types = params.list_arg("types")
    selected_relations = params.list_arg("relations")
    fields, fields_total = action_fields(graph, language)
    page = render_template(
        "explorer/explorer.html",
        query=query,
        found=found,
        view=view,
        error=error,
        outside=outside,
        outside_label=graph.label(outside, language) if outside else "",
        graph=graph,
        kinds=kind_options(language),
        relations=relation_options(language),
        selected_types=selected_types,
        selected_relations=selected_relations,
        depth=request.args.get("depth", str(params.DEFAULT_DEPTH)),
        max_depth=params.MAX_DEPTH,
        action_fields=fields,
        action_fields_total=fields_total,
        strings=strings(language),
        api={
            "graph": url_for("graph_api.graph_view"),
            "search": url_for("graph_api.search"),
            "expand": url_for("graph_api.expand"),
            "path": url_for("graph_api.path"),
            "export": url_for("graph_api.graph_view"),
        },
        view_degrees=view_degrees,
        table_cap=TABLE_CAP,
        layout_threshold=analytics.LAYOUT_THRESHOLD,
        link=params.linker(),
        explorer_url=params.explorer_url,
    )
    return page, status


@bp.get("/analytics")
def analytics_page() -> str:
    """Show degree and betweenness centrality, communities and components of the graph."""
    graph = params.projection()
    language = i18n.current_language()
    flt = params.graph_filter()
    limit = params.int_arg("limit", 20, 1, 200)
    found = analytics.report(graph, flt)
    return render_template(
        "explorer/analytics.html",
        report=found,
        degree=ranking(graph, found.degree, language, limit),
        betweenness=ranking(graph, found.betweenness, language, limit),
        communities=groups(graph, found.communities, language),
        components=groups(graph, found.components, language),
        kinds=kind_options(language),
        selected_types=params.list_arg("types"),
        limit=limit,
        json_url=url_for("graph_api.analytics_all") + _query_string(),
    )


def _query_string() -> str:
    query = request.query_string.decode("utf-8", "replace")
    return "?" + query if query else ""
