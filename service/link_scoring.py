"""Scoring link candidates: how likely a registry entry is the same thing as our resource.

The confidence follows a fixed order of evidence, so a reviewer can read it back:

| evidence                                           | confidence                          |
|----------------------------------------------------|-------------------------------------|
| a shared identifier (AGS, GeoNames, GND, Wikidata) | 0.90, +0.02 per label/type/country/region |
| exact label, matching type and country             | 0.80, +0.05 region                  |
| exact label and country                            | 0.60, +0.05 region                  |
| exact label and type                               | 0.50                                |
| exact label only                                   | 0.30                                |

A match on an alternative label only (ours or the entry's: `skos:altLabel`, `skos:hiddenLabel`)
counts 0.15 less than one on a name.

A different identifier for the same key or a different country caps a candidate at 0.10 (at
0.50 when an identifier is shared all the same); a different type lowers it by 0.15. Types
are compared with those of the entries our resources of the same class are already linked to.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.namespace import OWL, SKOS

from . import vocabulary as v
from .sssom import SEMAPV

SG = v.SG
WIKIDATA_ID = SG + "wikidataId"
IDENTIFIERS = (
    ("sg:ags", SG + "ags", "P439"),
    ("sg:geonamesId", SG + "geonamesId", "P1566"),
    ("sg:gndId", SG + "gndId", "P227"),
)
"""Our identifier properties (CURIE, IRI) and the Wikidata property holding the same key."""

GENERIC_CLASSES = frozenset(
    {
        v.SCHEMA + "Place",
        v.SCHEMA + "AdministrativeArea",
        v.PROV + "Agent",
        v.PROV + "Entity",
        v.ORG + "Organization",
        v.SKOS + "Concept",
        v.FOAF + "Organization",
    }
)
"""Marker classes nearly every resource has; they say nothing about the kind of entry."""


@dataclass(frozen=True)
class Resource:
    """One of our resources as discovery sees it."""

    iri: URIRef
    classes: frozenset[str]
    labels: tuple[str, ...]
    """All labels, names first: what the registry is searched by."""
    identifiers: dict[str, str]
    countries: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    names: tuple[str, ...] = ()
    """The names (rdfs:label, skos:prefLabel); empty means every label is a name."""

    @property
    def label(self) -> str:
        return self.labels[0] if self.labels else str(self.iri)

    @property
    def is_place(self) -> bool:
        return v.SCHEMA + "Place" in self.classes

    @property
    def specific_classes(self) -> list[str]:
        return sorted(self.classes - GENERIC_CLASSES) or sorted(self.classes)


@dataclass(frozen=True)
class Candidate:
    """A registry entry proposed for a resource, with what the registry says about it."""

    item: URIRef
    matched_by: frozenset[str]
    label: str
    description: str
    types: frozenset[str]
    countries: frozenset[str]
    regions: frozenset[str]
    identifiers: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Proposal:
    """A scored candidate: one row of the mapping table."""

    resource: Resource
    candidate: Candidate
    confidence: float
    justification: str
    evidence: tuple[str, ...]
    subject_field: str
    object_field: str
    match_string: str

    @property
    def predicate(self) -> str:
        """owl:sameAs for places; skos:exactMatch or closeMatch for anything else."""
        if self.resource.is_place:
            return str(OWL.sameAs)
        return str(SKOS.exactMatch if self.confidence >= 0.8 else SKOS.closeMatch)


def normalise(text: str) -> str:
    """Compare labels without case, accents or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def expected_types(resource: Resource, types_by_class: dict[str, frozenset[str]]) -> frozenset[str]:
    """The registry classes entries linked from resources of the same classes have."""
    return frozenset(t for cls in resource.specific_classes for t in types_by_class.get(cls, ()))


def _overlap(ours: frozenset[str], theirs: frozenset[str]) -> str:
    if not ours or not theirs:
        return "unknown"
    return "match" if ours & theirs else "conflict"


def score(resource: Resource, candidate: Candidate, expected: frozenset[str]) -> Proposal:
    """Score a candidate: identifier match > exact label + type + country > label only."""
    evidence: list[str] = []
    shared: list[tuple[str, str, str]] = []
    hard_conflicts: list[str] = []
    for curie, local, prop in IDENTIFIERS:
        ours = resource.identifiers.get(local)
        theirs = candidate.identifiers.get(prop, frozenset())
        if ours and ours in theirs:
            shared.append((curie, f"wdt:{prop}", ours))
            evidence.append(f"{curie} {ours} = wdt:{prop}")
        elif ours and theirs:
            hard_conflicts.append(f"{curie} {ours} ≠ wdt:{prop} {' '.join(sorted(theirs))}")
    if "wikidataId" in candidate.matched_by:
        stated = resource.identifiers.get(WIKIDATA_ID, "")
        shared.append(("sg:wikidataId", "wd:", stated))
        evidence.append(f"sg:wikidataId {stated}")

    names = {normalise(text): text for text in resource.names or resource.labels}
    others = {normalise(text): text for text in resource.labels}
    wanted = normalise(candidate.label)
    label, alternative = names.get(wanted, ""), False
    if not label and (wanted in others or "label" in candidate.matched_by):
        label, alternative = others.get(wanted, resource.label), True
    if label:
        evidence.append(f"{'alternative label' if alternative else 'label'} “{label}”")
    type_state = _overlap(expected, candidate.types)
    country_state = _overlap(resource.countries, candidate.countries)
    in_region = bool(resource.regions & candidate.regions)
    typed, placed = type_state == "match", country_state == "match"
    evidence.extend(
        name
        for name, hit in (
            ("type matches", typed),
            ("country matches", placed),
            ("region matches", in_region),
        )
        if hit
    )
    if country_state == "conflict":
        hard_conflicts.append("country differs")

    if shared:
        confidence = 0.9 + 0.02 * sum((bool(label), typed, placed, in_region))
    elif label and typed and placed:
        confidence = 0.8 + 0.05 * in_region
    elif label and placed:
        confidence = 0.6 + 0.05 * in_region
    elif label and typed:
        confidence = 0.5
    else:
        confidence = 0.3 if label else 0.1
    if alternative and not shared:
        confidence = max(0.05, confidence - 0.15)
    if hard_conflicts:
        confidence = 0.5 if shared else min(confidence, 0.1)
    if type_state == "conflict":
        confidence = max(0.05, confidence - 0.15)
        evidence.append("conflict: type differs")
    evidence.extend(f"conflict: {text}" for text in hard_conflicts)

    if shared:
        subject_field, object_field, match = shared[0]
        justification = "LexicalMatching"
    else:
        subject_field, object_field, match = "rdfs:label", "rdfs:label", label
        justification = "CompositeMatching" if (typed or placed) else "LexicalMatching"
    return Proposal(
        resource,
        candidate,
        round(min(confidence, 0.99), 2),
        SEMAPV + justification,
        tuple(evidence),
        subject_field,
        object_field,
        match,
    )
