"""The explorer's JSON APIs: search, graph views, expansion, paths, analytics, exports.

Each answers JSON (CORS open: the data is public) and is described in `/api/openapi.json`.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, jsonify, request

from .. import analytics, graph_export
from ..analytics import Score, View
from ..errors import StadtgraphError
from ..projection import KIND_BY_KEY, RELATION_BY_KEY, Projection
from ..search import search as search_labels
from . import graph_params as params
from .openapi import document as openapi_document

bp = Blueprint("graph_api", __name__)
params.install(bp)

SEARCH_DEFAULT, SEARCH_MAX = 10, 50
EXPAND_DEFAULT, EXPAND_MAX = 50, 500
RANKING_DEFAULT, RANKING_MAX = 20, 1000
MEMBERS_SHOWN = 50
EXPORTS = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "cyjs": "application/json",
}


@bp.after_request
def open_to_all(response: Response) -> Response:
    response.headers.setdefault("Access-Control-Allow-Origin", "*")
    return response


# -- shaping -----------------------------------------------------------------------------------


def node_summary(graph: Projection, iri: str, language: str) -> dict[str, Any]:
    kind = KIND_BY_KEY[graph.kind(iri)] if iri in graph.graph else None
    link = params.linker()
    return {
        "iri": iri,
        "label": graph.label(iri, language),
        "kind": kind.key if kind else None,
        "kindLabel": kind.label(language) if kind else None,
        "page": link(iri),
        "explorer": params.explorer_url(focus=iri),
    }


def _counts(counts: dict[str, Any], language: str) -> dict[str, Any]:
    return {
        "kinds": [
            {"kind": k, "label": KIND_BY_KEY[k].label(language), "count": n}
            for k, n in sorted(counts["kinds"].items(), key=lambda item: (-item[1], item[0]))
        ],
        "relations": [
            {"relation": r, "label": RELATION_BY_KEY[r].label(language), "count": n}
            for r, n in sorted(counts["relations"].items(), key=lambda item: (-item[1], item[0]))
        ],
    }


def view_json(graph: Projection, view: View, language: str, limit: int) -> dict[str, Any]:
    """Shape a view for the explorer: elements, the cap, counts for the legend."""
    body: dict[str, Any] = {
        "focus": node_summary(graph, view.focus, language) if view.focus else None,
        "depth": view.depth,
        "nodeCount": view.graph.number_of_nodes(),
        "edgeCount": view.graph.number_of_edges(),
        "total": view.total,
        "limit": limit,
        "truncated": view.truncated,
        "layout": "preset" if view.positions else None,
        "counts": _counts(analytics.view_counts(view), language),
    }
    if view.available:
        body["available"] = _counts(view.available, language)
    body["elements"] = graph_export.elements(graph, view, language, params.linker())
    return body


def ranking(graph: Projection, scores: list[Score], language: str, limit: int) -> list[Any]:
    return [
        {"rank": rank, **node_summary(graph, s.iri, language), "value": s.value, "degree": s.degree}
        for rank, s in enumerate(scores[:limit], start=1)
    ]


def groups(graph: Projection, sets: list[list[str]], language: str) -> list[dict[str, Any]]:
    return [
        {
            "id": number,
            "size": len(members),
            "members": [node_summary(graph, m, language) for m in members[:MEMBERS_SHOWN]],
            "more": max(0, len(members) - MEMBERS_SHOWN),
        }
        for number, members in enumerate(sets, start=1)
    ]


# -- search and views ----------------------------------------------------------------------


@bp.get("/api/search")
def search() -> Response:
    """Find resources by German and English labels (prefix, word, substring), best first."""
    if "q" not in request.args:  # (an empty one is a search that finds nothing)
        raise StadtgraphError("The parameter q is missing: the words to search for.")
    query = params.request_text("q")
    language = params.language()
    kinds = params.list_arg("type")
    unknown = sorted((kinds or frozenset()) - set(KIND_BY_KEY))
    if unknown:
        raise StadtgraphError(f"Unknown type {unknown[0]!r}; known: {', '.join(KIND_BY_KEY)}.")
    limit = params.int_arg("limit", SEARCH_DEFAULT, 1, SEARCH_MAX)
    graph = params.projection()
    found = search_labels(graph, query, language, kinds, limit)
    results = []
    for hit in found.hits:
        summary = node_summary(graph, hit.iri, language)
        summary["kind"] = hit.kind
        summary["kindLabel"] = KIND_BY_KEY[hit.kind].label(language)
        if not hit.in_graph:
            summary["explorer"] = None
        summary.update(
            matched=hit.matched,
            matchedLanguage=hit.matched_language,
            score=hit.score,
            degree=hit.degree,
            inGraph=hit.in_graph,
        )
        results.append(summary)
    counts = [
        {"kind": k, "label": KIND_BY_KEY[k].label(language), "count": n}
        for k, n in sorted(found.counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    return jsonify(
        {
            "query": query,
            "language": language,
            "total": found.total,
            "counts": counts,
            "results": results,
        }
    )


def requested_view(graph: Projection) -> tuple[View, int]:
    """Build the view the request asks for: an ego network of focus, or the whole graph."""
    focus = params.optional_iri_arg("focus")
    depth = params.int_arg("depth", params.DEFAULT_DEPTH, 0, params.MAX_DEPTH)
    limit = params.int_arg("limit", params.DEFAULT_LIMIT, 1, params.MAX_LIMIT)
    method = params.request_text("positions") or "spring"
    if method not in analytics.LAYOUTS:
        raise StadtgraphError(f"positions must be one of {', '.join(analytics.LAYOUTS)}.")
    flt = params.graph_filter()
    if focus is None:
        view = analytics.whole_view(graph, flt, limit)
    else:
        params.require_node(graph, focus, "focus")
        if focus not in analytics.filtered(graph, flt):
            raise StadtgraphError(f"The filter hides the focus {focus} itself; keep its type.")
        view = analytics.ego_view(graph, focus, depth, flt, limit)
    return analytics.place(graph, view, method), limit


@bp.get("/api/graph")
def graph_view() -> Response:
    """Return the neighbourhood of focus (or the whole graph) as Cytoscape.js elements."""
    graph = params.projection()
    view, limit = requested_view(graph)
    return jsonify(view_json(graph, view, params.language(), limit))


@bp.get("/api/graph.<any(graphml, gexf, cyjs):fmt>")
def graph_export_file(fmt: str) -> Response:
    """Return the same view as /api/graph as GraphML, GEXF or a Cytoscape JSON file."""
    graph = params.projection()
    view, _ = requested_view(graph)
    language = params.language()
    if fmt == "graphml":
        body = graph_export.graphml(graph, view, language)
    elif fmt == "gexf":
        body = graph_export.gexf(graph, view, language)
    else:
        document = graph_export.cytoscape_document(graph, view, language, params.linker())
        body = jsonify(document).get_data()
    slug = re.sub(r"[^a-z0-9]+", "-", (view.focus or "stadtgraph").rsplit("/", 1)[-1].lower())
    response = Response(body, content_type=f"{EXPORTS[fmt]}; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{slug.strip("-")}.{fmt}"'
    return response


@bp.get("/api/expand")
def expand() -> Response:
    """Count a node's neighbours per relation and direction; with relation and direction,
    return one group of them (capped by limit, paged by offset)."""
    graph = params.projection()
    node = params.iri_arg("node")
    params.require_node(graph, node)
    flt = params.graph_filter()
    if node not in analytics.filtered(graph, flt):
        raise StadtgraphError(f"The filter hides the node {node} itself; keep its type.")
    language = params.language()
    relation = params.request_text("relation")
    direction = params.request_text("direction")
    found = analytics.expansion_groups(graph, node, flt)
    if not relation and not direction:
        return jsonify(
            {
                "node": node_summary(graph, node, language),
                "total": sum(g.count for g in found),
                "groups": [
                    {
                        "relation": g.relation,
                        "direction": g.direction,
                        "count": g.count,
                        "label": RELATION_BY_KEY[g.relation].label(language),
                    }
                    for g in found
                ],
            }
        )
    if relation not in RELATION_BY_KEY:
        raise StadtgraphError(f"relation must be one of {', '.join(RELATION_BY_KEY)}.")
    if direction not in analytics.DIRECTIONS:
        raise StadtgraphError(f"direction must be one of {', '.join(analytics.DIRECTIONS)}.")
    limit = params.int_arg("limit", EXPAND_DEFAULT, 1, EXPAND_MAX)
    offset = params.int_arg("offset", 0, 0, 1_000_000)
    view = analytics.expand(graph, node, relation, direction, flt, limit, offset)
    body = view_json(graph, view, language, limit)
    body.update(relation=relation, direction=direction, offset=offset)
    return jsonify(body)


@bp.get("/api/path")
def path() -> Response:
    """Return a shortest path between two resources (edges taken in either direction)."""
    graph = params.projection()
    source, target = params.iri_arg("from"), params.iri_arg("to")
    params.require_node(graph, source, "from")
    params.require_node(graph, target, "to")
    flt = params.graph_filter()
    language = params.language()
    try:
        view = analytics.shortest_path(graph, source, target, flt)
    except KeyError as error:
        raise StadtgraphError(f"The filter hides {error.args[0]}; keep its type.") from None
    if view is None:
        return jsonify(
            {
                "found": False,
                "length": None,
                "path": [],
                "elements": {"nodes": [], "edges": []},
                "from": node_summary(graph, source, language),
                "to": node_summary(graph, target, language),
            }
        )
    return jsonify(
        {
            "found": True,
            "length": view.graph.number_of_nodes() - 1,
            "from": node_summary(graph, source, language),
            "to": node_summary(graph, target, language),
            "path": [node_summary(graph, n, language) for n in view.graph.nodes],
            "elements": graph_export.elements(graph, view, language, params.linker()),
        }
    )


# -- analytics ---------------------------------------------------------------------------------


def analytics_json(measures: tuple[str, ...]) -> dict[str, Any]:
    graph = params.projection()
    flt = params.graph_filter()
    language = params.language()
    limit = params.int_arg("limit", RANKING_DEFAULT, 1, RANKING_MAX)
    found = analytics.report(graph, flt)
    body: dict[str, Any] = {"nodes": found.nodes, "edges": found.edges}
    if "degree" in measures:
        body["degree"] = ranking(graph, found.degree, language, limit)
    if "betweenness" in measures:
        body["betweennessSample"] = found.betweenness_sample
        body["betweenness"] = ranking(graph, found.betweenness, language, limit)
    if "communities" in measures:
        body["modularity"] = found.modularity
        body["communities"] = groups(graph, found.communities, language)
    if "components" in measures:
        body["components"] = groups(graph, found.components, language)
    body["seconds"] = found.seconds
    return body


@bp.get("/api/centrality")
def centrality() -> Response:
    """Rank resources by degree and betweenness centrality (or one of them: `measure`)."""
    measure = params.request_text("measure")
    if measure not in ("", "degree", "betweenness"):
        raise StadtgraphError("measure must be degree or betweenness.")
    return jsonify(analytics_json((measure,) if measure else ("degree", "betweenness")))


@bp.get("/api/communities")
def communities() -> Response:
    """Return the communities of the graph (Louvain, seeded) and their modularity."""
    return jsonify(analytics_json(("communities",)))


@bp.get("/api/components")
def components() -> Response:
    """Return the connected components of the graph, largest first."""
    return jsonify(analytics_json(("components",)))


@bp.get("/api/analytics")
def analytics_all() -> Response:
    """Return every measure at once: centrality, communities, components, with timings."""
    return jsonify(analytics_json(("degree", "betweenness", "communities", "components")))


@bp.get("/api/openapi.json")
def openapi() -> Response:
    """Describe every JSON API of this service (OpenAPI 3.1)."""
    return jsonify(openapi_document())
