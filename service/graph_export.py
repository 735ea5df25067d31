"""Write a view of the involvement graph as Cytoscape.js elements, GraphML, GEXF or .cyjs.

Every format carries the same nodes and edges: a node's IRI, label (in the asked language and
both languages), kind and degree; an edge's relation, its label, and for involvements the
role, the source statement and the date. No Flask here; links to pages come from a `Linker`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import networkx as nx

from .analytics import View, undirected
from .projection import KIND_BY_KEY, RELATION_BY_KEY, Projection

Linker = Callable[[str], str]
"""Turn a resource IRI into the URL of its page."""

CYTOSCAPE_VERSION = "3.34"


def edge_id(source: str, target: str, key: str) -> str:
    """Name an edge uniquely and stably (IRIs hold no spaces, so the parts stay apart)."""
    return f"{source} {key} {target}"


def node_data(
    projection: Projection, iri: str, language: str, link: Linker | None = None
) -> dict[str, Any]:
    """Describe one node for Cytoscape.js."""
    kind = KIND_BY_KEY[projection.kind(iri)]
    degrees = undirected(projection)
    data: dict[str, Any] = {
        "id": iri,
        "label": projection.label(iri, language),
        "label_de": projection.label(iri, "de"),
        "label_en": projection.label(iri, "en"),
        "kind": kind.key,
        "kindLabel": kind.label(language),
        "actor": kind.actor,
        "degree": degrees.degree[iri] if iri in degrees else 0,
    }
    resource = projection.resources.get(iri)
    if resource is not None:  # a statement's words and caveat, for its details
        for name, text in (("quote", resource.quote), ("caveat", resource.caveat)):
            if text is not None:
                data[name], data[name + "Language"] = text.text, text.language
    if link is not None:
        data["url"] = link(iri)
    return data


def edge_data(
    projection: Projection,
    source: str,
    target: str,
    key: str,
    attributes: dict[str, Any],
    language: str,
    link: Linker | None = None,
) -> dict[str, Any]:
    """Describe one edge for Cytoscape.js, with the source of an involvement."""
    relation = RELATION_BY_KEY[attributes["relation"]]
    data: dict[str, Any] = {
        "id": edge_id(source, target, key),
        "source": source,
        "target": target,
        "relation": relation.key,
        "label": relation.label(language),
        "group": relation.group,
    }
    if attributes.get("involvement"):
        data["involvement"] = attributes["involvement"]
        data["involvementLabel"] = projection.label(attributes["involvement"], language)
    if attributes.get("role"):
        roles = attributes["role"].split()
        data["role"] = roles[0]
        data["roleLabel"] = ", ".join(projection.label(r, language) for r in roles)
    if attributes.get("asOf"):
        data["asOf"] = attributes["asOf"]
    if attributes.get("statement"):
        statements = attributes["statement"].split()
        data["statements"] = [
            {"id": s, "label": projection.label(s, language), **({"url": link(s)} if link else {})}
            for s in statements
        ]
    return data


def elements(
    projection: Projection, view: View, language: str, link: Linker | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Return a view as Cytoscape.js elements (`{"nodes": [...], "edges": [...]}`)."""
    nodes = []
    for iri in view.graph.nodes:
        element: dict[str, Any] = {"data": node_data(projection, iri, language, link)}
        if view.positions and iri in view.positions:
            x, y = view.positions[iri]
            element["position"] = {"x": x, "y": y}
        nodes.append(element)
    edges = [
        {"data": edge_data(projection, u, v, k, d, language, link)}
        for u, v, k, d in view.graph.edges(keys=True, data=True)
    ]
    return {"nodes": nodes, "edges": edges}


def cytoscape_document(
    projection: Projection, view: View, language: str, link: Linker | None = None
) -> dict[str, Any]:
    """Return a view as a Cytoscape JSON (.cyjs) document, as Cytoscape desktop reads it."""
    return {
        "format_version": "1.0",
        "generated_by": "Stadtgraph",
        "target_cytoscapejs_version": f"~{CYTOSCAPE_VERSION}",
        "data": {
            "name": "Stadtgraph",
            "focus": view.focus or "",
            "depth": view.depth,
            "truncated": view.truncated,
        },
        "elements": elements(projection, view, language, link),
    }


def _plain_graph(projection: Projection, view: View, language: str) -> nx.MultiDiGraph[str]:
    """Copy a view into a graph whose attributes are all strings or numbers (for XML)."""
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for iri in view.graph.nodes:
        data = node_data(projection, iri, language)
        attributes: dict[str, Any] = {
            "label": data["label"],
            "label_de": data["label_de"],
            "label_en": data["label_en"],
            "kind": data["kind"],
            "iri": iri,
            "degree": data["degree"],
        }
        if view.positions and iri in view.positions:
            attributes["x"], attributes["y"] = view.positions[iri]
        graph.add_node(iri, **attributes)
    for u, v, k, d in view.graph.edges(keys=True, data=True):
        relation = RELATION_BY_KEY[d["relation"]]
        graph.add_edge(
            u,
            v,
            key=k,
            relation=relation.key,
            label=relation.label(language),
            role=d.get("role", ""),
            statement=d.get("statement", ""),
            involvement=d.get("involvement", ""),
            asOf=d.get("asOf", ""),
        )
    return graph


def graphml(projection: Projection, view: View, language: str) -> bytes:
    """Return a view as GraphML (for Gephi, yEd, Cytoscape desktop, networkx)."""
    lines = nx.generate_graphml(_plain_graph(projection, view, language), named_key_ids=True)
    return ("\n".join(lines) + "\n").encode("utf-8")


def gexf(projection: Projection, view: View, language: str) -> bytes:
    """Return a view as GEXF 1.2 (for Gephi), with positions when the view has them."""
    graph = _plain_graph(projection, view, language)
    for _, data in graph.nodes(data=True):
        if "x" in data:
            data["viz"] = {"position": {"x": data.pop("x"), "y": -data.pop("y"), "z": 0.0}}
    return ("\n".join(nx.generate_gexf(graph)) + "\n").encode("utf-8")
