"""The ontology as documentation: its classes, properties and concept schemes, with labels,
definitions, domain and range, super-terms and how often the data uses each.

The ontology is the named graph (or graphs) in which `<ontology IRI> a owl:Ontology` is stated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from rdflib import Graph
from rdflib.term import BNode, Literal, URIRef

from . import vocabulary as v
from .dataset_stats import DatasetStats
from .labels import Labels, Link, Linker, pick
from .store import Node, Store, Triple

ONTOLOGY_GRAPHS = """\
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?g WHERE { GRAPH ?g { ?ontology a owl:Ontology } }
"""

GRAPH_TRIPLES = """\
CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }
"""

OWL = v.OWL
CLASS_TYPES = {OWL + "Class", v.RDFS + "Class"}
PROPERTY_TYPES = {
    OWL + "ObjectProperty": "owl:ObjectProperty",
    OWL + "DatatypeProperty": "owl:DatatypeProperty",
    OWL + "AnnotationProperty": "owl:AnnotationProperty",
    v.RDF + "Property": "rdf:Property",
}
SCHEME = v.SKOS + "ConceptScheme"


def ontology_triples(store: Store, ontology: URIRef) -> list[Triple]:
    """Return the triples of the graphs that hold the ontology (empty if none does)."""
    triples: list[Triple] = []
    for row in store.select(ONTOLOGY_GRAPHS, {"ontology": ontology}):
        triples.extend(store.construct(GRAPH_TRIPLES, {"g": row["g"]}))
    return triples


@dataclass
class TermDoc:
    iri: str
    anchor: str
    label: str
    kind: str
    definition: str | None
    comment: str | None
    supers: list[Link] = field(default_factory=list)
    domain: list[Link] = field(default_factory=list)
    range: list[Link] = field(default_factory=list)
    count: int | None = None
    """Instances (with those of subclasses) or uses; None without statistics."""
    direct_count: int | None = None
    """A class's own instances, without its subclasses'."""
    members: list[TermDoc] = field(default_factory=list)


@dataclass
class OntologyDoc:
    iri: str
    title: str
    description: str | None
    version: str | None
    classes: list[TermDoc]
    properties: list[TermDoc]
    schemes: list[TermDoc]


def document(
    triples: list[Triple],
    ontology: URIRef,
    stats: DatasetStats | None,
    language: str,
    link: Linker,
    default: str = "de",
) -> OntologyDoc:
    """Shape the ontology's triples into its documentation in `language`."""
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    labels = Labels(language, default)
    for predicate in (v.SKOS + "prefLabel", v.RDFS + "label", v.DCTERMS + "title"):
        for subject, obj in graph.subject_objects(URIRef(predicate)):
            labels.add(cast(Node, subject), cast(Node, obj), predicate)

    def text(subject: Node, *predicates: str) -> str | None:
        for predicate in predicates:
            found = labels_pick(
                cast(Iterable[Node], graph.objects(subject, URIRef(predicate))), labels
            )
            if found is not None:
                return found
        return None

    def links(subject: Node, predicate: str) -> list[Link]:
        found = []
        for obj in graph.objects(subject, URIRef(predicate)):
            if isinstance(obj, URIRef):
                found.append(Link(labels.text(obj), link(str(obj)), str(obj)))
            elif isinstance(obj, BNode):
                members = _union_members(graph, obj)
                found.extend(Link(labels.text(m), link(str(m)), str(m)) for m in members)
        return sorted(found, key=lambda item: item.text.lower())

    def term(subject: URIRef, kind: str, count: int | None) -> TermDoc:
        return TermDoc(
            iri=str(subject),
            anchor=v.local_name(str(subject)),
            label=labels.text(subject),
            kind=kind,
            definition=text(subject, v.SKOS + "definition"),
            comment=text(subject, v.RDFS + "comment", v.SKOS + "scopeNote"),
            supers=links(subject, v.RDFS + "subClassOf") + links(subject, v.RDFS + "subPropertyOf"),
            domain=links(subject, v.RDFS + "domain"),
            range=links(subject, v.RDFS + "range"),
            count=count,
        )

    classes_counts = stats.class_counts if stats else {}
    property_counts = stats.property_counts if stats else {}
    classes, properties, schemes = [], [], []
    for subject in set(graph.subjects()):
        if not isinstance(subject, URIRef) or subject == ontology:
            continue
        types = {str(t) for t in graph.objects(subject, URIRef(v.RDF + "type"))}
        if types & CLASS_TYPES:
            doc = term(subject, "owl:Class", None)
            if stats:
                doc.count = stats.class_counts_with_subclasses.get(str(subject), 0)
                doc.direct_count = classes_counts.get(str(subject), 0)
            classes.append(doc)
        kinds = [PROPERTY_TYPES[t] for t in sorted(types) if t in PROPERTY_TYPES]
        if kinds:
            count = property_counts.get(str(subject), 0) if stats else None
            properties.append(term(subject, ", ".join(kinds), count))
        if SCHEME in types:
            scheme = term(subject, "skos:ConceptScheme", None)
            members = set(graph.subjects(URIRef(v.SKOS + "inScheme"), subject))
            members |= set(graph.objects(subject, URIRef(v.SKOS + "hasTopConcept")))
            scheme.members = sorted(
                (term(m, "skos:Concept", None) for m in members if isinstance(m, URIRef)),
                key=lambda doc: doc.label.lower(),
            )
            schemes.append(scheme)
    version = next((str(o) for o in graph.objects(ontology, URIRef(OWL + "versionInfo"))), None)
    return OntologyDoc(
        iri=str(ontology),
        title=labels.text(ontology),
        description=text(ontology, v.DCTERMS + "description", v.RDFS + "comment"),
        version=version,
        classes=sorted(classes, key=lambda doc: doc.label.lower()),
        properties=sorted(properties, key=lambda doc: doc.label.lower()),
        schemes=sorted(schemes, key=lambda doc: doc.label.lower()),
    )


def labels_pick(values: Iterable[Node], labels: Labels) -> str | None:
    """Return the literal among values in the page language, as text."""
    found = pick([o for o in values if isinstance(o, Literal)], labels.language, labels.default)
    return str(found) if found is not None else None


def _union_members(graph: Graph, node: BNode) -> list[URIRef]:
    """Return the classes of an owl:unionOf list (a domain or range of several classes)."""
    found: list[URIRef] = []
    for collection in graph.objects(node, URIRef(OWL + "unionOf")):
        item: Node | None = collection  # type: ignore[assignment]
        while isinstance(item, BNode | URIRef) and item != URIRef(v.RDF + "nil"):
            first = graph.value(item, URIRef(v.RDF + "first"))
            if isinstance(first, URIRef):
                found.append(first)
            item = graph.value(item, URIRef(v.RDF + "rest"))  # type: ignore[assignment]
    return found
