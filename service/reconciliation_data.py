"""Reconciliation API services around matching: suggest, preview data and data extension.

Suggest completes entity, type and property names as they are typed; preview describes one
entity for a small HTML view; data extension proposes the properties used by a type and returns
their values for reconciled entities. No Flask here; SPARQL gets values through bindings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rdflib.namespace import XSD
from rdflib.term import Literal, URIRef

from . import vocabulary as v
from .reconciliation import (
    Entity,
    describe,
    description,
    find,
    labels_of,
    normalise,
    pick,
    term_name,
)
from .reconciliation_queries import Query, ReconcileError, Space, expand_term, is_iri
from .store import Node, Store

SUGGEST_LIMIT = 10
MAX_EXTEND_IDS = 500
MAX_EXTEND_PROPERTIES = 50

USED_CLASSES = """\
SELECT ?term (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a ?term . FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?ids))
} GROUP BY ?term
"""
USED_PROPERTIES = """\
SELECT ?term (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s ?term ?o . FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?ids))
} GROUP BY ?term
"""
PROPERTIES_OF_TYPE = """\
SELECT ?term (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a ?type ; ?term ?o . FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?ids))
} GROUP BY ?term
"""


# -- suggest -------------------------------------------------------------------------------------


def suggest_entities(
    store: Store, space: Space, prefix: str, language: str, cursor: int = 0
) -> list[dict[str, Any]]:
    """Entities whose labels start with (or contain) the typed text, best first."""
    if not prefix.strip():
        return []
    entities = find(store, space, Query(prefix.strip(), limit=50))
    wanted = normalise(prefix)
    labels = labels_of(store, {t for e in entities for t in e.types})
    by_id = "/" in prefix  # all our ids start alike; compare them only when an id is typed

    def texts(entity: Entity) -> list[str]:
        names = [str(x) for x in (*entity.labels, *entity.other_labels)]
        return [*names, space.id_of(entity.iri)] if by_id else names

    ranked = sorted(
        ((_rank(wanted, texts(e)), e) for e in entities),
        key=lambda item: (item[0], pick(item[1].labels, language) or "", item[1].iri),
    )
    page = [e for rank, e in ranked if rank < 3][cursor : cursor + SUGGEST_LIMIT]
    return [
        {
            "id": space.id_of(e.iri),
            "name": pick(e.labels, language) or space.id_of(e.iri),
            "description": description(e, language),
            "notable": [
                {"id": t, "name": term_name(t, labels, language)} for t in sorted(set(e.types))
            ],
        }
        for e in page
    ]


def _rank(wanted: str, texts: Sequence[str]) -> int:
    """0: a text starts with the input; 1: a word of it does; 2: it contains it; 3: no match."""
    best = 3
    for text in texts:
        name = normalise(text)
        if name.startswith(wanted):
            return 0
        if any(word.startswith(wanted) for word in name.split()):
            best = min(best, 1)
        elif wanted in name:
            best = min(best, 2)
    return best


def suggest_terms(
    store: Store, space: Space, prefix: str, language: str, kind: str, cursor: int = 0
) -> list[dict[str, Any]]:
    """Types (kind 'type') or properties (kind 'property') our entities use, by typed text."""
    query = USED_CLASSES if kind == "type" else USED_PROPERTIES
    counts = {
        str(row["term"]): int(row["n"].toPython()) if isinstance(row["n"], Literal) else 0
        for row in store.select(query, {"ids": Literal(space.ids)})
        if isinstance(row["term"], URIRef)
    }
    labels = labels_of(store, counts)
    wanted = normalise(prefix)
    found = []
    for iri, count in counts.items():
        name = term_name(iri, labels, language)
        rank = _rank(wanted, [name, v.prefixed(iri), v.local_name(iri)]) if wanted else 0
        if rank < 3:
            found.append((rank, -count, name, iri))
    found.sort()
    return [
        {"id": iri, "name": name, "description": v.prefixed(iri)}
        for _, _, name, iri in found[cursor : cursor + SUGGEST_LIMIT]
    ]


# -- preview -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    """What a preview shows about one entity."""

    id: str
    iri: str
    name: str
    description: str
    types: list[str]
    identifiers: list[tuple[str, str]]


def preview(store: Store, space: Space, identifier: str, language: str) -> Preview | None:
    """Describe an entity for the preview, or None if the graph knows nothing about it."""
    iri = space.iri(identifier)
    if not space.owns(iri):
        return None
    entity = Entity(iri)
    describe(store, [entity])
    if not entity.values:
        return None
    labels = labels_of(store, entity.types)
    identifiers = [
        (term_name(p, {}, language), str(value))
        for p in (*v.IDENTIFIER_PREDICATES, v.SG + "ags", v.SG + "wikidataId", v.SG + "geonamesId")
        for value in entity.values.get(p, [])
    ]
    return Preview(
        id=space.id_of(iri),
        iri=iri,
        name=pick(entity.labels, language) or space.id_of(iri),
        description=description(entity, language),
        types=sorted({term_name(t, labels, language) for t in entity.types}),
        identifiers=identifiers,
    )


# -- data extension --------------------------------------------------------------------------------


def propose_properties(
    store: Store, space: Space, type_id: str, language: str, limit: int | None = None
) -> list[dict[str, Any]]:
    """The properties entities of a type have, most used first."""
    iri = expand_term(type_id)
    if not is_iri(iri):
        return []
    rows = store.select(PROPERTIES_OF_TYPE, {"type": URIRef(iri), "ids": Literal(space.ids)})
    counts = sorted(
        ((-int(r["n"].toPython()), str(r["term"])) for r in rows if isinstance(r["n"], Literal)),
    )
    labels = labels_of(store, [iri for _, iri in counts])
    proposed = [{"id": iri, "name": term_name(iri, labels, language)} for _, iri in counts]
    return proposed[:limit] if limit else proposed


@dataclass(frozen=True)
class ExtendRequest:
    """Which entities, which properties, with which settings."""

    ids: list[str]
    properties: list[tuple[str, int]]
    """(property IRI, most values per row; 0 for all)."""


def parse_extend(raw: object) -> ExtendRequest:
    """Read a data extension query: {"ids": [...], "properties": [{"id", "settings"}]}."""
    if not isinstance(raw, Mapping):
        raise ReconcileError("a data extension query is a JSON object with ids and properties")
    ids, properties = raw.get("ids"), raw.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ReconcileError("ids must be a list of entity ids")
    if not isinstance(properties, list) or not properties:
        raise ReconcileError("properties must be a non-empty list of {id, settings}")
    if len(ids) > MAX_EXTEND_IDS or len(properties) > MAX_EXTEND_PROPERTIES:
        raise ReconcileError(
            f"at most {MAX_EXTEND_IDS} ids and {MAX_EXTEND_PROPERTIES} properties per request"
        )
    wanted = []
    for prop in properties:
        if not isinstance(prop, Mapping) or not isinstance(prop.get("id"), str):
            raise ReconcileError("each property is an object with an id")
        settings = prop.get("settings") or {}
        limit = settings.get("limit", 0) if isinstance(settings, Mapping) else 0
        try:
            count = max(0, int(limit))
        except (TypeError, ValueError):
            raise ReconcileError("the limit setting must be a number") from None
        wanted.append((expand_term(prop["id"]), count))
    return ExtendRequest(ids, wanted)


def extend(
    store: Store, space: Space, request: ExtendRequest, language: str
) -> tuple[list[dict[str, Any]], dict[str, dict[str, list[dict[str, Any]]]]]:
    """The meta (property ids and names) and, per entity id, its values per property."""
    entities = [Entity(space.iri(i)) for i in request.ids]
    describe(store, [e for e in entities if space.owns(e.iri)])
    pids = [pid for pid, _ in request.properties]
    targets = {
        str(x) for e in entities for p in pids for x in e.values.get(p, []) if isinstance(x, URIRef)
    }
    labels = labels_of(store, set(pids) | targets)
    meta = [{"id": pid, "name": term_name(pid, labels, language)} for pid in pids]
    rows: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for identifier, entity in zip(request.ids, entities, strict=True):
        row: dict[str, list[dict[str, Any]]] = {}
        for pid, limit in request.properties:
            values = _in_language(entity.values.get(pid, []), language)
            cells = [_cell(x, space, labels, language) for x in values]
            row[pid] = cells[:limit] if limit else cells
        rows[identifier] = row
    return meta, rows


def _in_language(values: list[Node], language: str) -> list[Node]:
    tagged = [x for x in values if isinstance(x, Literal) and x.language]
    if not tagged:
        return sorted(values, key=str)
    chosen: list[Node] = [x for x in tagged if x.language == language] or list(tagged)
    return sorted([x for x in values if x not in tagged] + chosen, key=str)


def _cell(
    value: Node, space: Space, labels: Mapping[str, list[Literal]], language: str
) -> dict[str, Any]:
    if isinstance(value, URIRef):
        iri = str(value)
        if iri.startswith(space.ids):
            return {"id": space.id_of(iri), "name": pick(labels.get(iri, []), language) or iri}
        return {"str": iri}
    if isinstance(value, Literal):
        if value.datatype in _INTEGERS:
            return {"int": int(value.toPython())}
        if value.datatype in (XSD.decimal, XSD.double, XSD.float):
            return {"float": float(value.toPython())}
        if value.datatype == XSD.boolean:
            return {"bool": bool(value.toPython())}
        if value.datatype in (XSD.date, XSD.dateTime):
            return {"date": str(value)}
        return {"str": str(value)}
    return {"str": str(value)}


_INTEGERS = (XSD.integer, XSD.int, XSD.long, XSD.nonNegativeInteger, XSD.positiveInteger)
