"""The OpenAPI 3.1 description of Stadtgraph's JSON APIs, served at `/api/openapi.json`.

A test checks that every `/api/` route of the app is described here; a new API adds its path.
"""

from __future__ import annotations

from typing import Any

from flask import request

from .. import __version__
from ..analytics import DIRECTIONS, LAYOUTS
from ..projection import KIND_BY_KEY, RELATION_BY_KEY
from . import graph_params as params

JSON = "application/json"


def _param(name: str, description: str, schema: dict[str, Any], required: bool = False) -> Any:
    return {
        "name": name, "in": "query", "required": required,
        "description": description, "schema": schema,
    }  # fmt: skip


def _iri(name: str, description: str, required: bool = True) -> Any:
    return _param(name, description, {"type": "string", "format": "iri"}, required)


def _integer(name: str, description: str, low: int, high: int, default: int) -> Any:
    schema = {"type": "integer", "minimum": low, "maximum": high, "default": default}
    return _param(name, description, schema)


LANG = _param("lang", "Language of labels (default: the page language).",
              {"type": "string", "enum": ["de", "en"]})  # fmt: skip
TYPES = _param(
    "types", "Keep only nodes of these kinds (comma-separated or repeated).",
    {"type": "array", "items": {"type": "string", "enum": list(KIND_BY_KEY)}},
)  # fmt: skip
RELATIONS = _param(
    "relations", "Keep only edges of these relations (comma-separated or repeated).",
    {"type": "array", "items": {"type": "string", "enum": list(RELATION_BY_KEY)}},
)  # fmt: skip
VIEW = [
    _iri("focus", "Centre of the view; without it, the whole graph (capped).", required=False),
    _integer("depth", "Hops around the focus.", 0, params.MAX_DEPTH, params.DEFAULT_DEPTH),
    TYPES, RELATIONS,
    _integer("limit", "Cap on nodes; `truncated` says whether it cut.", 1, params.MAX_LIMIT,
             params.DEFAULT_LIMIT),
    _param("positions", "How the server places views above 300 nodes.",
           {"type": "string", "enum": list(LAYOUTS), "default": "spring"}),
    LANG,
]  # fmt: skip
RANKING = [
    TYPES,
    RELATIONS,
    _integer(
        "limit",
        "Entries per ranking (degree, betweenness); communities and components are given whole.",
        1,
        1000,
        20,
    ),
    LANG,
]
GROUPS = [TYPES, RELATIONS, LANG]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _ok(description: str, schema: dict[str, Any], media: str = JSON) -> dict[str, Any]:
    return {"description": description, "content": {media: {"schema": schema}}}


ERRORS = {
    "400": _ok("A parameter is missing or malformed; the message names it.", _ref("Error")),
    "404": _ok("The IRI is not a node of the involvement graph.", _ref("Error")),
}


def _get(summary: str, parameters: list[Any], ok: dict[str, Any], tag: str, **more: Any) -> Any:
    return {"get": {"summary": summary, "tags": [tag], "parameters": parameters,
                    "responses": {"200": ok, **ERRORS}, **more}}  # fmt: skip


def _object(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(required)}


STRING: dict[str, Any] = {"type": "string"}
INTEGER: dict[str, Any] = {"type": "integer"}
NUMBER: dict[str, Any] = {"type": "number"}
BOOLEAN: dict[str, Any] = {"type": "boolean"}
NULLABLE_STRING: dict[str, Any] = {"type": ["string", "null"]}


def ARRAY_OF(schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": schema}


SCHEMAS: dict[str, Any] = {
    "Error": _object({"error": STRING, "message": STRING, "status": INTEGER},
                     ("error", "message", "status")),
    "Node": _object({"iri": STRING, "label": STRING, "kind": NULLABLE_STRING,
                     "kindLabel": NULLABLE_STRING, "page": STRING, "explorer": NULLABLE_STRING},
                    ("iri", "label")),
    "Elements": _object({
        "nodes": ARRAY_OF(_object({"data": {"type": "object"}, "position": {"type": "object"}})),
        "edges": ARRAY_OF(_object({"data": {"type": "object"}})),
    }, ("nodes", "edges")),
    "Counts": _object({"kinds": ARRAY_OF(_object({"kind": STRING, "label": STRING,
                                                  "count": INTEGER})),
                       "relations": ARRAY_OF(_object({"relation": STRING, "label": STRING,
                                                      "count": INTEGER}))}),
    "GraphView": _object({
        "focus": {"oneOf": [_ref("Node"), {"type": "null"}]}, "depth": INTEGER,
        "nodeCount": INTEGER, "edgeCount": INTEGER, "total": INTEGER, "limit": INTEGER,
        "truncated": BOOLEAN, "layout": NULLABLE_STRING, "counts": _ref("Counts"),
        "available": _ref("Counts"), "elements": _ref("Elements"),
    }, ("nodeCount", "edgeCount", "truncated", "elements")),
    "SearchResults": _object({
        "query": STRING, "language": STRING, "total": INTEGER,
        "counts": ARRAY_OF(_object({"kind": STRING, "label": STRING, "count": INTEGER})),
        "results": ARRAY_OF({"allOf": [_ref("Node"), _object({
            "matched": STRING, "matchedLanguage": STRING, "score": INTEGER,
            "degree": INTEGER, "inGraph": BOOLEAN})]}),
    }, ("query", "total", "results")),
    "Expansion": _object({
        "node": _ref("Node"), "total": INTEGER,
        "groups": ARRAY_OF(_object({"relation": STRING, "direction": {"enum": list(DIRECTIONS)},
                                    "count": INTEGER, "label": STRING})),
    }, ("node", "groups")),
    "Path": _object({"found": BOOLEAN, "length": {"type": ["integer", "null"]},
                     "from": _ref("Node"), "to": _ref("Node"), "path": ARRAY_OF(_ref("Node")),
                     "elements": _ref("Elements")}, ("found", "path")),
    "Ranked": ARRAY_OF({"allOf": [_ref("Node"), _object({"rank": INTEGER, "value": NUMBER,
                                                          "degree": INTEGER})]}),
    "Groups": ARRAY_OF(_object({"id": INTEGER, "size": INTEGER, "members": ARRAY_OF(_ref("Node")),
                                "more": INTEGER})),
    "Analytics": _object({
        "nodes": INTEGER, "edges": INTEGER, "degree": _ref("Ranked"),
        "betweenness": _ref("Ranked"), "betweennessSample": {"type": ["integer", "null"]},
        "modularity": NUMBER, "communities": _ref("Groups"), "components": _ref("Groups"),
        "seconds": {"type": "object", "additionalProperties": NUMBER},
    }, ("nodes", "edges")),
}  # fmt: skip


def _export(fmt: str, media: str, what: str) -> Any:
    schema = {"type": "object"} if media == "application/json" else STRING
    ok = {"description": what, "content": {media: {"schema": schema}}}
    return _get(f"The view of /api/graph as {what}", VIEW, ok, "graph")


def document() -> dict[str, Any]:
    """Return the OpenAPI document, with this server's URL."""
    graph_tag, analytics_tag = "graph", "analytics"
    paths: dict[str, Any] = {
        "/api/search": _get(
            "Find resources by German and English labels (prefix, word, substring), ranked",
            [_param("q", "Words to find.", STRING, required=True),
             _param("type", "Only these kinds (comma-separated).",
                    {"type": "array", "items": {"type": "string", "enum": list(KIND_BY_KEY)}}),
             _integer("limit", "Results to return.", 1, 50, 10), LANG],
            _ok("Matches, best first, with the number of matches per kind",
                _ref("SearchResults")), "search"),
        "/api/graph": _get("A view of the involvement graph as Cytoscape.js elements", VIEW,
                           _ok("The view", _ref("GraphView")), graph_tag),
        "/api/graph.graphml": _export("graphml", "application/graphml+xml", "GraphML"),
        "/api/graph.gexf": _export("gexf", "application/gexf+xml", "GEXF 1.2"),
        "/api/graph.cyjs": _export("cyjs", "application/json", "Cytoscape JSON (.cyjs)"),
        "/api/expand": _get(
            "Counts of a node's neighbours per relation and direction; with relation and "
            "direction, one group of them",
            [_iri("node", "The node to expand."),
             _param("relation", "Expand this relation.", {"enum": list(RELATION_BY_KEY)}),
             _param("direction", "out: node is the source; in: node is the target.",
                    {"enum": list(DIRECTIONS)}),
             _integer("limit", "Cap on neighbours.", 1, 500, 50),
             _integer("offset", "Skip this many neighbours.", 0, 1_000_000, 0),
             TYPES, RELATIONS, LANG],
            _ok("Counts (without relation) or a view (with relation and direction)",
                {"oneOf": [_ref("Expansion"), _ref("GraphView")]}), graph_tag),
        "/api/path": _get(
            "A shortest path between two resources, edges taken in either direction",
            [_iri("from", "Start."), _iri("to", "End."), TYPES, RELATIONS, LANG],
            _ok("The path, or found: false", _ref("Path")), graph_tag),
        "/api/centrality": _get(
            "Degree and betweenness centrality (betweenness sampled above 1,000 nodes)",
            [_param("measure", "Only one measure.", {"enum": ["degree", "betweenness"]}),
             *RANKING],
            _ok("Rankings", _ref("Analytics")), analytics_tag),
        "/api/communities": _get("Communities (Louvain, seeded) with their modularity", GROUPS,
                                 _ok("Communities, largest first", _ref("Analytics")),
                                 analytics_tag),
        "/api/components": _get("Connected components, largest first", GROUPS,
                                _ok("Components", _ref("Analytics")), analytics_tag),
        "/api/analytics": _get("Every measure at once, with timings", RANKING,
                               _ok("Analytics", _ref("Analytics")), analytics_tag),
        "/api/vocabulary": _get(
            "Prefixes, classes and properties of the data, for the SPARQL editor's completion",
            [], _ok("The vocabulary", {"type": "object"}), "sparql"),
        "/api/openapi.json": _get("This document", [],
                                  _ok("OpenAPI 3.1", {"type": "object"}), "meta"),
        "/health": _get("Whether the store answers, and its size", [],
                        _ok("Health", {"type": "object"}), "meta"),
        "/-/versions.json": _get("Versions of Stadtgraph and its libraries", [],
                                 _ok("Versions", {"type": "object"}), "meta"),
    }  # fmt: skip
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Stadtgraph API",
            "version": __version__,
            "description": "Who is involved in what in a city's digital strategy: search, graph "
            "views, paths and analytics over the involvement graph. Read-only, open to all "
            "origins (CORS). The SPARQL 1.1 endpoint is at /sparql.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": request.host_url.rstrip("/") + request.script_root}],
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }
