"""The involvement graph as networkx: actors and what they are involved in, read from the store.

Three queries in `queries/internal/` read the edges (each typed by a relation from RELATIONS),
the types and the labels; `build_projection` turns them into a `Projection`: a MultiDiGraph
whose nodes are IRIs with a kind and labels, plus the label index search uses.
A `PerState` (service/per_state.py) keeps one projection per state of the store.
"""

from __future__ import annotations

import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import networkx as nx
from rdflib.term import Literal

from . import vocabulary as v
from .project import ROOT
from .store import Store

QUERY_FOLDER = ROOT / "queries" / "internal"
CV = "http://data.europa.eu/m8g/"
CPSV = "http://purl.org/vocab/cpsv#"


@dataclass(frozen=True)
class Kind:
    """A kind of node: what the explorer filters, colours and counts by."""

    key: str
    de: str
    en: str
    types: tuple[str, ...]
    actor: bool = False
    in_graph: bool = True

    def label(self, language: str) -> str:
        return self.en if language == "en" else self.de


# The first kind whose types a resource has wins, so specific kinds come first.
# fmt: off
KINDS: tuple[Kind, ...] = (
    Kind("person", "Person", "Person", (v.FOAF + "Person",), actor=True),
    Kind("post", "Amt", "Post", (v.ORG + "Post",), actor=True),
    Kind("enterprise", "Städtisches Unternehmen", "Municipal enterprise",
         (v.SG + "MunicipalEnterprise",), actor=True),
    Kind("group", "Gruppe", "Group", (v.SG + "AgentGroup",), actor=True),
    Kind("unit", "Organisationseinheit", "Organisational unit",
         (v.ORG + "OrganizationalUnit",), actor=True),
    Kind("organisation", "Organisation", "Organisation",
         (v.ORG + "Organization", v.ORG + "FormalOrganization", CV + "PublicOrganisation",
          v.ORG + "OrganizationalCollaboration"), actor=True),
    Kind("strategy", "Strategie", "Strategy", (v.SG + "Strategy",)),
    Kind("actionfield", "Handlungsfeld", "Action field", (v.SG + "ActionField",)),
    Kind("project", "Projekt", "Project", (v.SG + "Project",)),
    Kind("challenge", "Herausforderung", "Challenge", (v.SG + "Challenge",)),
    Kind("topic", "Thema", "Topic", (v.SG + "Topic",)),
    Kind("statement", "Aussage", "Statement", (v.SG + "Statement",)),
    Kind("question", "Frage", "Question", (v.SG + "Question",)),
    Kind("document", "Dokument oder Tagesordnungspunkt", "Document or agenda item",
         (v.SG + "Inquiry", v.SG + "MeetingNotes", v.FOAF + "Document", v.SG + "AgendaItem")),
    Kind("meeting", "Sitzung", "Meeting", (v.SG + "Meeting",)),
    Kind("service", "Dienstleistung", "Service",
         (CPSV + "PublicService", v.SCHEMA + "GovernmentService")),
    Kind("place", "Ort", "Place", (v.SCHEMA + "Place",)),
    Kind("agent", "Akteur", "Actor", (v.PROV + "Agent",), actor=True),
    Kind("involvement", "Beteiligung", "Involvement", (v.SG + "Involvement",), in_graph=False),
    Kind("concept", "Begriff", "Concept",
         (v.SKOS + "Concept", v.SKOS + "ConceptScheme"), in_graph=False),
)
KIND_BY_KEY = {kind.key: kind for kind in KINDS}
ACTOR_KINDS = frozenset(kind.key for kind in KINDS if kind.actor)
_KIND_OF_TYPE = {t: kind for kind in reversed(KINDS) for t in kind.types}
_RANK = {kind.key: rank for rank, kind in enumerate(KINDS)}


@dataclass(frozen=True)
class Relation:
    """A type of edge, with how it reads forwards (source → target) in both languages."""

    key: str
    de: str
    en: str
    group: str

    def label(self, language: str) -> str:
        return self.en if language == "en" else self.de


RELATIONS: tuple[Relation, ...] = (
    Relation("involvedIn", "beteiligt an", "involved in", "involvement"),
    Relation("regarding", "beteiligt bezüglich", "involved regarding", "involvement"),
    Relation("unitOf", "Einheit von", "unit of", "organisation"),
    Relation("memberOf", "Mitglied von", "member of", "organisation"),
    Relation("enterpriseOf", "städtisches Unternehmen von", "municipal enterprise of",
             "organisation"),
    Relation("holds", "hat Amt inne", "holds post", "organisation"),
    Relation("postIn", "Amt in", "post in", "organisation"),
    Relation("partOf", "Teil von", "part of", "organisation"),
    Relation("relation", "in Beziehung zu", "related to", "organisation"),
    Relation("attributedTo", "zugeschrieben", "attributed to", "strategy"),
    Relation("hasActionField", "hat Handlungsfeld", "has action field", "strategy"),
    Relation("addressesChallenge", "adressiert", "addresses", "strategy"),
    Relation("broader", "Unterbegriff von", "narrower than", "strategy"),
    Relation("related", "verwandt mit", "related concept", "strategy"),
    Relation("speaker", "gesprochen von", "spoken by", "source"),
    Relation("answers", "beantwortet", "answers", "source"),
    Relation("repliesTo", "antwortet auf", "replies to", "source"),
    Relation("subject", "handelt von", "is about", "source"),
    Relation("addressee", "gerichtet an", "addressed to", "source"),
    Relation("referredTo", "überwiesen an", "referred to", "source"),
    Relation("provider", "angeboten von", "provided by", "organisation"),
    Relation("spatial", "räumlicher Bezug", "spatial coverage", "place"),
    Relation("containedIn", "liegt in", "contained in", "place"),
    Relation("replacedBy", "ersetzt durch", "replaced by", "place"),
)
# fmt: on
RELATION_BY_KEY = {relation.key: relation for relation in RELATIONS}

# Which label a resource is shown by: the first property that has one (the pages' order; the
# alternative labels only where there is no name, and for search).
LABEL_ORDER = (*v.LABEL_PREDICATES, v.SKOS + "altLabel", v.SKOS + "hiddenLabel")
_LABEL_RANK = {iri: rank for rank, iri in enumerate(LABEL_ORDER)}


@cache
def internal_query(name: str) -> str:
    """Return the text of `queries/internal/<name>.rq`."""
    return (QUERY_FOLDER / f"{name}.rq").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Label:
    text: str
    language: str
    rank: int
    """Position of the giving property in LABEL_ORDER: 0 is the preferred label."""


@dataclass
class Resource:
    """A labelled or typed resource: its kind and every label it has."""

    iri: str
    kind: Kind | None = None
    labels: list[Label] = field(default_factory=list)
    quote: Label | None = None
    """A statement's words as the source gives them (rank unused)."""
    caveat: Label | None = None
    """The source's caveat on a statement ("ohne Gewähr")."""

    def label(self, language: str, default: str = "de") -> str:
        """Return the best label in language, else default, else untagged, else the IRI's end."""
        best = sorted(self.labels, key=lambda label: label.rank)
        for wanted in (language, default, ""):
            for label in best:
                if label.language == wanted:
                    return label.text
        return best[0].text if best else v.humanize(self.iri)


@dataclass
class Projection:
    """The involvement graph of one state of the store, with what was needed to build it."""

    graph: nx.MultiDiGraph[str]
    resources: dict[str, Resource]
    seconds: float = 0.0
    memo: dict[Any, Any] = field(default_factory=dict)
    """Results computed from this projection (analytics, layouts), dropped with it."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def label(self, iri: str, language: str) -> str:
        resource = self.resources.get(iri)
        return resource.label(language) if resource else v.humanize(iri)

    def kind(self, iri: str) -> str:
        return str(self.graph.nodes[iri]["kind"])


def kind_of(types: set[str]) -> Kind | None:
    """Return the kind of a resource with these types, or None if no kind fits."""
    found = [_KIND_OF_TYPE[t] for t in types if t in _KIND_OF_TYPE]
    return min(found, key=lambda kind: _RANK[kind.key]) if found else None


def _text(value: object) -> str:
    return str(value) if value is not None else ""


def read_resources(store: Store) -> dict[str, Resource]:
    """Read the types and labels of every resource."""
    types: dict[str, set[str]] = defaultdict(set)
    for row in store.select(internal_query("resource-types")):
        types[str(row["node"])].add(str(row["type"]))
    resources = {iri: Resource(iri, kind_of(found)) for iri, found in types.items()}
    for row in store.select(internal_query("resource-labels")):
        entry = _label(row["label"], _LABEL_RANK.get(str(row["property"]), len(LABEL_ORDER)))
        if entry is None:
            continue
        resource = resources.setdefault(str(row["node"]), Resource(str(row["node"])))
        if entry not in resource.labels:
            resource.labels.append(entry)
    for row in store.select(internal_query("statement-texts")):
        statement = resources.get(str(row["node"]))
        if statement is not None and statement.quote is None:
            statement.quote = _label(row["quote"])
            statement.caveat = _label(row.get("caveat"))
    return resources


def _label(value: object, rank: int = 0) -> Label | None:
    """A text as a label (its language without region); None for a blank or no text."""
    if not isinstance(value, Literal) or not str(value).strip():
        return None
    return Label(str(value).strip(), (value.language or "").lower().split("-")[0], rank)


def build_projection(store: Store) -> Projection:
    """Read the involvement graph from the store: typed nodes and relation-typed edges."""
    started = time.perf_counter()
    resources = read_resources(store)
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for row in store.select(internal_query("projection-edges")):
        source, target, relation = str(row["source"]), str(row["target"]), str(row["relation"])
        ends = [resources.get(source), resources.get(target)]
        if relation not in RELATION_BY_KEY or not all(
            r and r.kind and r.kind.in_graph for r in ends
        ):
            continue
        for iri in (source, target):
            if iri not in graph:
                resource = resources[iri]
                assert resource.kind is not None
                graph.add_node(iri, kind=resource.kind.key)
        involvement = row.get("involvement")
        key = relation if involvement is None else f"{relation} {involvement}"
        attributes = {
            "relation": relation,
            "involvement": _text(involvement),
            "role": _text(row.get("role")),
            "statement": _text(row.get("statement")),
            "asOf": _text(row.get("asOf")),
        }
        if graph.has_edge(source, target, key):
            _merge(graph.edges[source, target, key], attributes)
        else:
            graph.add_edge(source, target, key=key, **attributes)
    return Projection(graph, resources, seconds=time.perf_counter() - started)


def _merge(existing: dict[str, Any], new: dict[str, str]) -> None:
    """Keep every statement and date of an involvement that has several (space-separated)."""
    for name in ("statement", "asOf", "role"):
        values = existing[name].split() if existing[name] else []
        if new[name] and new[name] not in values:
            existing[name] = " ".join([*values, new[name]])


_IRI = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|^`\\]*")


def is_iri(value: str) -> bool:
    """Tell whether value has the form of an absolute IRI (a scheme, no spaces or <>)."""
    return _IRI.fullmatch(value) is not None
