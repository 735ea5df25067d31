"""The link model: a plain link triple plus its qualified record, an `sg:LinkAssertion`.

    place:kassel owl:sameAs wd:Q2865 .
    link:place-kassel-wikidata-q2865 a sg:LinkAssertion, prov:Entity ;
        sg:linkSubject place:kassel ; sg:linkPredicate owl:sameAs ; sg:linkTarget wd:Q2865 ;
        sg:targetRegistry registry:wikidata ; sg:linkMethod sg:CuratedFromReferenceList ;
        sg:mappingJustification semapv:ManualMappingCuration ;
        sg:reviewer agent:stadtgraph-projekt ; sg:reviewDate "2026-11-25"^^xsd:date ;
        prov:wasDerivedFrom source:projektreferenz .

This module turns `Link` values into triples and back, checks that a links graph is
consistent (every assertion's triple is stated, every link triple has an assertion, every
target lies in its registry's URI space) and writes a links file as Turtle.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from . import vocabulary as v
from .store import Node

SG = Namespace(v.SG)
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")
ID_BASE = "https://w3id.org/stadtgraph/id/"
PROJECT_AGENT = URIRef(ID_BASE + "agent/stadtgraph-projekt")
REFERENCE_NOTES = URIRef(ID_BASE + "kassel/source/projektreferenz")
REGISTRY_BASE = ID_BASE + "registry/"

LINK_PREDICATES = (OWL.sameAs, SKOS.exactMatch, SKOS.closeMatch)
CURATED = SG.CuratedFromReferenceList
REVIEWED = SG.ReviewedCandidate

PREFIXES = {
    "sg": v.SG,
    "owl": str(OWL),
    "skos": str(SKOS),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "prov": str(PROV),
    "semapv": str(SEMAPV),
    "wd": "http://www.wikidata.org/entity/",
    "registry": REGISTRY_BASE,
    "agent": ID_BASE + "agent/",
}


@dataclass(frozen=True)
class Link:
    """One link with its provenance."""

    subject: URIRef
    predicate: URIRef
    target: URIRef
    registry: v.Registry
    method: URIRef
    justification: URIRef
    reviewer: URIRef
    review_date: date
    derived_from: tuple[URIRef, ...]
    subject_label: str = ""
    confidence: Decimal | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (str(self.subject), str(self.predicate), str(self.target))

    @property
    def registry_node(self) -> URIRef:
        return registry_node(self.registry)

    @property
    def iri(self) -> URIRef:
        return assertion_iri(self.subject, self.registry, self.target)

    def triples(self) -> Iterator[tuple[Node, URIRef, Node]]:
        """The link triple and the assertion describing it."""
        node = self.iri
        local = self.registry.local_id(str(self.target))
        name = self.subject_label or _slug_of(self.subject)
        yield self.subject, self.predicate, self.target
        yield node, RDF.type, SG.LinkAssertion
        yield node, RDF.type, PROV.Entity
        yield (
            node,
            RDFS.label,
            Literal(f"Verknüpfung {name} → {self.registry.label('de')} {local}", lang="de"),
        )
        english = f"Link {name} → {self.registry.label('en')} {local}"
        yield node, RDFS.label, Literal(english, lang="en")
        yield node, SG.linkSubject, self.subject
        yield node, SG.linkPredicate, self.predicate
        yield node, SG.linkTarget, self.target
        yield node, SG.targetRegistry, self.registry_node
        yield node, SG.linkMethod, self.method
        yield node, SG.mappingJustification, self.justification
        yield node, SG.reviewer, self.reviewer
        yield node, SG.reviewDate, Literal(self.review_date.isoformat(), datatype=XSD.date)
        if self.confidence is not None:
            yield node, SG.matchConfidence, Literal(str(self.confidence), datatype=XSD.decimal)
        for source in self.derived_from:
            yield node, PROV.wasDerivedFrom, source


def registry_node(registry: v.Registry) -> URIRef:
    return URIRef(REGISTRY_BASE + registry.key)


def assertion_iri(subject: URIRef, registry: v.Registry, target: URIRef) -> URIRef:
    """Mint a readable, stable IRI for the assertion of a link.

    `…/id/kassel/place/kassel` linked to Wikidata Q2865 gets
    `…/id/kassel/link/place-kassel-wikidata-q2865`.
    """
    local = _slug(registry.local_id(str(target))) or "entry"
    text = str(subject)
    if text.startswith(ID_BASE):
        parts = text[len(ID_BASE) :].strip("/").split("/")
        if len(parts) >= 3 and all(_slug(p) == p for p in parts):
            city, rest = parts[0], "-".join(parts[1:])
            return URIRef(f"{ID_BASE}{city}/link/{rest}-{registry.key}-{local}")
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    return URIRef(f"{ID_BASE}link/{digest}-{registry.key}-{local}")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _slug_of(iri: URIRef) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


# -- reading and checking a links graph ---------------------------------------------------------


def links_in(graph: Graph) -> list[Link]:
    """Read the assertions of a graph back into links (incomplete ones are skipped)."""
    found = []
    registries = {str(registry_node(r)): r for r in v.REGISTRIES}
    for node in graph.subjects(RDF.type, SG.LinkAssertion):
        values = {p: graph.value(node, p) for p in _ASSERTION_PREDICATES}
        if any(value is None for value in values.values()):
            continue
        registry = registries.get(str(values[SG.targetRegistry]))
        review = values[SG.reviewDate]
        if registry is None or not isinstance(review, Literal):
            continue
        confidence = graph.value(node, SG.matchConfidence)
        found.append(
            Link(
                subject=URIRef(str(values[SG.linkSubject])),
                predicate=URIRef(str(values[SG.linkPredicate])),
                target=URIRef(str(values[SG.linkTarget])),
                registry=registry,
                method=URIRef(str(values[SG.linkMethod])),
                justification=URIRef(str(values[SG.mappingJustification])),
                reviewer=URIRef(str(values[SG.reviewer])),
                review_date=date.fromisoformat(str(review)),
                derived_from=tuple(
                    sorted(URIRef(str(s)) for s in graph.objects(node, PROV.wasDerivedFrom))
                ),
                confidence=Decimal(str(confidence)) if confidence is not None else None,
            )
        )
    return sorted(found, key=lambda link: link.key)


_ASSERTION_PREDICATES = (
    SG.linkSubject,
    SG.linkPredicate,
    SG.linkTarget,
    SG.targetRegistry,
    SG.linkMethod,
    SG.mappingJustification,
    SG.reviewer,
    SG.reviewDate,
)


def consistency_problems(graph: Graph) -> list[str]:
    """What SHACL Core cannot check about a links graph, as readable lines."""
    problems = []
    recorded: set[tuple[str, str, str]] = set()
    for node in graph.subjects(RDF.type, SG.LinkAssertion):
        subject = graph.value(node, SG.linkSubject)
        predicate = graph.value(node, SG.linkPredicate)
        target = graph.value(node, SG.linkTarget)
        if subject is None or predicate is None or target is None:
            continue  # the shapes report this
        recorded.add((str(subject), str(predicate), str(target)))
        if (subject, predicate, target) not in graph:
            problems.append(
                f"{node}: records {subject} {predicate} {target}, but that triple is not stated"
            )
        registry = v.registry_for(str(target))
        named = graph.value(node, SG.targetRegistry)
        if registry is None:
            problems.append(f"{node}: {target} lies in no known registry's URI space")
        elif named is not None and str(named) != str(registry_node(registry)):
            problems.append(f"{node}: {target} belongs to {registry.name}, not to {named}")
    for predicate in LINK_PREDICATES:
        for subject, target in graph.subject_objects(predicate):
            if (str(subject), str(predicate), str(target)) not in recorded:
                problems.append(
                    f"{subject} {predicate} {target} is stated without a link assertion"
                )
    return problems


# -- writing -------------------------------------------------------------------------------------


def links_graph(links: Iterable[Link], extra: Graph | None = None) -> Graph:
    """Build the graph of a links file from links (and any other triples to keep)."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    if extra is not None:
        for triple in extra:
            graph.add(triple)
    for link in links:
        for triple in link.triples():
            graph.add(triple)
    return graph


def turtle(graph: Graph, header: str) -> str:
    """Serialise a links graph as Turtle under a comment header."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    body = graph.serialize(format="turtle")
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.strip().splitlines())
    return f"{comment}\n{body}"
