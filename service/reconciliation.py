"""Entity reconciliation against the graph (W3C Reconciliation Service API): the matching.

Requests are read by `reconciliation_queries` (versions 0.2 and the 1.0 draft). Candidates
are found by the words of the query in labels (every language), restricted to the type when
one is given, and scored by label similarity in German and English plus the property
constraints. Identifiers are the resource IRIs relative to `{base}id/`. All SPARQL gets its
values through bindings or `values_block`. No Flask here; `reconciliation_data` does suggest,
preview data and extension.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from rdflib.term import Literal, URIRef

from . import vocabulary as v
from .link_scoring import normalise as fold
from .reconciliation_queries import (
    Constraint,
    Query,
    Space,
    is_iri,
)
from .sparql_values import values_block
from .store import Node, Store

MAX_WORDS = 6
MATCH_SCORE = 95.0
MATCH_GAP = 10.0

PREFIXES = """\
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
LABEL_PATH = "rdfs:label|skos:prefLabel|skos:altLabel|skos:hiddenLabel|schema:name|foaf:name"


# -- candidates ------------------------------------------------------------------------------------


@dataclass
class Entity:
    """What scoring and the answer need to know about a resource."""

    iri: str
    labels: list[Literal] = field(default_factory=list)
    """Names: preferred labels, rdfs:label, schema:name, foaf:name, dcterms:title."""
    other_labels: list[Literal] = field(default_factory=list)
    """Alternative and hidden labels: they match, but do not name the entity."""
    types: list[str] = field(default_factory=list)
    values: dict[str, list[Node]] = field(default_factory=dict)


def normalise(text: str) -> str:
    """Compare names as link discovery does (no case, no accents), and without punctuation."""
    return fold(re.sub(r"[^\w]+", " ", text))


def words(text: str) -> list[str]:
    unique = dict.fromkeys(w for w in text.casefold().split() if len(w) >= 2)
    return sorted(unique, key=len, reverse=True)[:MAX_WORDS]


def find(store: Store, space: Space, query: Query) -> list[Entity]:
    """Resources with a label containing a word of the query (its first letters, so that a
    typo at the end still finds it), with a value of a property condition, or named by id."""
    found: dict[str, Entity] = {}
    named = space.named(query.text)
    if named:
        found[named] = Entity(named)
    terms = [w[: max(3, len(w) - 2)] for w in words(query.text)]
    if query.type and not is_iri(query.type):
        return []  # a type of another service: none of our entities has it
    type_pattern = "?s a ?type ." if query.type else ""
    common: dict[str, Node] = {"ids": Literal(space.ids)}
    if query.type:
        common["type"] = URIRef(query.type)
    if terms:
        tests = " || ".join(f"CONTAINS(LCASE(STR(?label)), ?w{i})" for i in range(len(terms)))
        sparql = (
            f"{PREFIXES}SELECT DISTINCT ?s WHERE {{ {type_pattern} ?s {LABEL_PATH} ?label . "
            f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?ids)) FILTER({tests}) }} LIMIT 1000"
        )
        bindings = common | {f"w{i}": Literal(w) for i, w in enumerate(terms)}
        for row in store.select(sparql, bindings):
            found.setdefault(str(row["s"]), Entity(str(row["s"])))
    for constraint in (c for c in query.constraints if is_iri(c.pid)):
        sparql = (
            f"SELECT DISTINCT ?s WHERE {{ {type_pattern} ?s ?p ?o . "
            "FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?ids)) "
            "FILTER(?o = ?iri || (isLiteral(?o) && LCASE(STR(?o)) = ?text)) } LIMIT 1000"
        )
        for value in constraint.values:
            bindings = common | {"p": URIRef(constraint.pid), "text": Literal(value.casefold())}
            if is_iri(value):
                bindings["iri"] = URIRef(value)
            for row in store.select(sparql, bindings):
                found.setdefault(str(row["s"]), Entity(str(row["s"])))
    entities = list(found.values())
    describe(store, entities)
    if query.type:
        entities = [e for e in entities if query.type in e.types]
    return [e for e in entities if e.values]


def describe(store: Store, entities: Sequence[Entity]) -> None:
    """Fill in labels, types and values of entities, in batches."""
    for start in range(0, len(entities), 100):
        batch = {e.iri: e for e in entities[start : start + 100]}
        block = values_block("s", [URIRef(iri) for iri in batch])
        for row in store.select(f"SELECT ?s ?p ?o WHERE {{ {block} ?s ?p ?o }}"):
            entity = batch[str(row["s"])]
            predicate, value = str(row["p"]), row["o"]
            entity.values.setdefault(predicate, []).append(value)
            if predicate == v.RDF + "type":
                entity.types.append(str(value))
            elif predicate in v.LABEL_PREDICATES and isinstance(value, Literal):
                entity.labels.append(value)
            elif predicate in _OTHER_LABELS and isinstance(value, Literal):
                entity.other_labels.append(value)


_OTHER_LABELS = (v.SKOS + "altLabel", v.SKOS + "hiddenLabel")


# -- scoring ---------------------------------------------------------------------------------------


def name_score(
    query: str, labels: Iterable[Literal], language: str, other: Iterable[Literal] = ()
) -> float:
    """Similarity of the query to the best label, 0–100.

    Equal after folding case, accents and punctuation scores 100; otherwise the better of the
    character similarity and the word overlap, times 0.95. A label in another language than
    the one asked for costs a point, an alternative label three in every hundred.
    """
    wanted = normalise(query)
    if not wanted:
        return 0.0
    best = 0.0
    weighted = [(label, 1.0) for label in labels] + [(label, 0.97) for label in other]
    for label, weight in weighted:
        text = normalise(str(label))
        if not text:
            continue
        ratio = SequenceMatcher(None, wanted, text).ratio()
        ours, theirs = set(wanted.split()), set(text.split())
        overlap = len(ours & theirs) / len(ours | theirs)
        value = 100.0 if text == wanted else 100 * max(ratio, overlap) * 0.95
        if label.language not in (None, "", language):
            value -= 1  # prefer a label in the language asked for, all else equal
        best = max(best, value * weight)
    return round(best, 2)


def constraint_score(
    entity: Entity, constraint: Constraint, labels: Mapping[str, list[Literal]]
) -> bool:
    """Whether an entity has one of the constraint's values for the property."""
    wanted = {normalise(value) for value in constraint.values} | set(constraint.values)
    for value in entity.values.get(constraint.pid, []):
        if str(value) in wanted or normalise(str(value)) in wanted:
            return True
        if isinstance(value, URIRef) and any(
            normalise(str(label)) in wanted for label in labels.get(str(value), [])
        ):
            return True
    return False


def score(
    entity: Entity,
    query: Query,
    language: str,
    labels: Mapping[str, list[Literal]],
    named: str = "",
) -> tuple[float, list[dict[str, Any]]]:
    """The candidate's score (0–100) and the features it is made of."""
    name = (
        name_score(query.text, entity.labels, language, entity.other_labels) if query.text else 0.0
    )
    features: list[dict[str, Any]] = []
    if query.text:
        features.append({"id": "name", "name": "name similarity (de/en)", "value": name})
    if named and entity.iri == named:
        name = 100.0  # the query gives the entity's id or IRI
    if not query.constraints:
        return name, features
    matched = [constraint_score(entity, c, labels) for c in query.constraints]
    for constraint, hit in zip(query.constraints, matched, strict=True):
        name_of = term_name(constraint.pid, labels, language)
        features.append({"id": f"property:{constraint.pid}", "name": name_of, "value": hit})
    share = sum(matched) / len(matched)
    total = name * 0.7 + 30 * share if query.text else 100 * share
    if any(c.required and not hit for c, hit in zip(query.constraints, matched, strict=True)):
        total = min(total, 10.0)
    return round(total, 2), features


# -- answers ---------------------------------------------------------------------------------------


def labels_of(store: Store, iris: Iterable[str]) -> dict[str, list[Literal]]:
    """The labels of IRIs (ours and vocabulary terms alike), in batches."""
    wanted = sorted({iri for iri in iris if is_iri(iri)})
    found: dict[str, list[Literal]] = {}
    for start in range(0, len(wanted), 100):
        block = values_block("s", [URIRef(iri) for iri in wanted[start : start + 100]])
        sparql = f"{PREFIXES}SELECT ?s ?label WHERE {{ {block} ?s {LABEL_PATH} ?label }}"
        for row in store.select(sparql):
            if isinstance(row["label"], Literal):
                found.setdefault(str(row["s"]), []).append(row["label"])
    return found


def pick(labels: Iterable[Literal], language: str) -> str | None:
    """The label in the language asked for, else German, else English, else any."""
    order = {"de": 1, "en": 2} | {language: 0}  # (the language asked for first, "en" too)
    ranked = sorted(labels, key=lambda label: (order.get(label.language or "", 3), str(label)))
    return str(ranked[0]) if ranked else None


def term_name(iri: str, labels: Mapping[str, list[Literal]], language: str) -> str:
    """A readable name for a type or property: its label, our table's name, or its local name."""
    return pick(labels.get(iri, []), language) or v.standard_label(iri, language) or v.humanize(iri)


def description(entity: Entity, language: str) -> str:
    for predicate in (*v.DESCRIPTION_PREDICATES, v.SKOS + "note"):
        values = [x for x in entity.values.get(predicate, []) if isinstance(x, Literal)]
        chosen = pick(values, language)
        if chosen:
            return chosen if len(chosen) <= 200 else chosen[:199] + "…"
    return ""


def reconcile(
    store: Store, space: Space, queries: Sequence[Query], language: str
) -> list[list[dict[str, Any]]]:
    """Answer each query with its candidates, best first."""
    answers = []
    for query in queries:
        lang = query.language or language
        entities = find(store, space, query)
        value_iris = {
            str(x)
            for e in entities
            for c in query.constraints
            for x in e.values.get(c.pid, [])
            if isinstance(x, URIRef)
        }
        pids = {c.pid for c in query.constraints}
        labels = labels_of(store, {t for e in entities for t in e.types} | value_iris | pids)
        named = space.named(query.text)
        scored = []
        for entity in entities:
            total, features = score(entity, query, lang, labels, named)
            scored.append((total, entity, features))
        scored.sort(key=lambda item: (-item[0], item[1].iri))
        top = scored[: query.limit]
        candidates = []
        for rank, (total, entity, features) in enumerate(top):
            # The runner-up among all candidates, not only those asked for: whether the first
            # is a match must not depend on the limit.
            runner_up = scored[rank + 1][0] if rank + 1 < len(scored) else 0.0
            is_match = rank == 0 and total >= MATCH_SCORE and total - runner_up >= MATCH_GAP
            candidates.append(candidate(entity, space, total, is_match, features, labels, lang))
        answers.append(candidates)
    return answers


def candidate(
    entity: Entity,
    space: Space,
    total: float,
    is_match: bool,
    features: list[dict[str, Any]],
    labels: Mapping[str, list[Literal]],
    language: str,
) -> dict[str, Any]:
    """One reconciliation candidate in the shape both versions share."""
    result: dict[str, Any] = {
        "id": space.id_of(entity.iri),
        "name": pick(entity.labels, language) or space.id_of(entity.iri),
        "description": description(entity, language),
        "type": [
            {"id": t, "name": term_name(t, labels, language)} for t in sorted(set(entity.types))
        ],
        "score": total,
        "match": is_match,
        "features": features,
        "lang": language,
    }
    return result
