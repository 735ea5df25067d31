"""Refuse terms the ontology does not know: a misspelt class (sg:Involvment) or an invented
property (sg:hasRole) is not caught by the shapes, which only see the classes they target, and
an untyped resource is targeted by none of them.

Used by the gate on every write: each class and predicate of the written triples must be
declared in the ontology or belong to a standard vocabulary, and each resource of ours the
write describes must have a type (in the write or already in the store).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, SH, Graph, Literal, URIRef
from rdflib.term import BNode

STANDARD_NAMESPACES = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
    "http://www.w3.org/ns/shacl#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/ns/dcat#",
    "http://www.w3.org/ns/regorg#",
    "http://www.w3.org/ns/locn#",
    "http://www.w3.org/2006/time#",
    "http://www.w3.org/2006/vcard/ns#",
    "http://purl.org/dc/terms/",
    "http://purl.org/dc/elements/1.1/",
    "http://purl.org/vocab/cpsv#",
    "http://purl.org/vocab/vann/",
    "http://rdfs.org/ns/void#",
    "http://www.w3.org/ns/adms#",
    "http://data.europa.eu/m8g/",
    "http://xmlns.com/foaf/0.1/",
    "https://schema.org/",
    "http://schema.org/",
    "https://schema.oparl.org/1.1/",
)
"""Vocabularies whose terms data may use without our ontology declaring them."""

CLASS_TYPES = frozenset({OWL.Class, RDFS.Class})
PROPERTY_TYPES = frozenset(
    {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property}
)
SHAPE = URIRef("https://w3id.org/stadtgraph/shapes#DeclaredTerms")
"""The name the report gives this check (it is no SHACL shape of shapes/)."""


def is_standard(term: URIRef) -> bool:
    """Whether a term belongs to a standard vocabulary data may use undeclared."""
    return str(term).startswith(STANDARD_NAMESPACES)


@dataclass(frozen=True)
class DeclaredTerms:
    """The classes and properties an ontology declares."""

    classes: frozenset[URIRef]
    properties: frozenset[URIRef]

    @classmethod
    def of(cls, ontology: Graph) -> DeclaredTerms:
        def declared(kinds: frozenset[URIRef]) -> frozenset[URIRef]:
            return frozenset(
                s
                for kind in kinds
                for s in ontology.subjects(RDF.type, kind)
                if isinstance(s, URIRef)
            )

        return cls(declared(CLASS_TYPES), declared(PROPERTY_TYPES))


@dataclass(frozen=True)
class GateProblem:
    """One finding of a check of the gate's own (not a SHACL shape's) about a written resource."""

    focus: URIRef | BNode
    path: URIRef | None
    value: URIRef | Literal | None
    messages: dict[str, str]
    shape: URIRef = SHAPE
    """The name the report gives the check."""


def term_problems(
    written: Graph, context: Graph, terms: DeclaredTerms, own_resources: str
) -> list[GateProblem]:
    """Find in the written triples undeclared classes and predicates, and resources of ours
    (IRIs under `own_resources`) that have no type in the written triples nor in their
    context (what the store holds about them). A resource elsewhere (a Wikidata entry given an
    English label) needs no type of ours."""
    problems = []
    for subject, predicate, obj in sorted(set(written), key=str):
        if not isinstance(predicate, URIRef) or not isinstance(subject, URIRef | BNode):
            continue
        if predicate == RDF.type:
            if isinstance(obj, URIRef) and obj not in terms.classes and not is_standard(obj):
                problems.append(_unknown_class(subject, obj))
        elif predicate not in terms.properties and not is_standard(predicate):
            problems.append(_unknown_property(subject, predicate))
    described = {
        s for s in written.subjects() if isinstance(s, URIRef) and s.startswith(own_resources)
    }
    for subject in sorted(described, key=str):
        if (subject, RDF.type, None) not in written and (subject, RDF.type, None) not in context:
            problems.append(_untyped(subject))
    return problems


def _unknown_class(subject: URIRef | BNode, cls: URIRef) -> GateProblem:
    return GateProblem(
        subject,
        RDF.type,
        cls,
        {
            "de": f"Die Klasse <{cls}> ist in der Ontologie nicht erklärt und gehört zu keinem "
            "Standardvokabular (Tippfehler?); die Klassen stehen in ontology/ und auf /ontology.",
            "en": f"The class <{cls}> is not declared in the ontology and belongs to no standard "
            "vocabulary (a typo?); the classes are in ontology/ and on /ontology.",
        },
    )


def _unknown_property(subject: URIRef | BNode, predicate: URIRef) -> GateProblem:
    return GateProblem(
        subject,
        predicate,
        None,
        {
            "de": f"Die Eigenschaft <{predicate}> ist in der Ontologie nicht erklärt und gehört "
            "zu keinem Standardvokabular (Tippfehler?); die Eigenschaften stehen in ontology/ "
            "und auf /ontology.",
            "en": f"The property <{predicate}> is not declared in the ontology and belongs to no "
            "standard vocabulary (a typo?); the properties are in ontology/ and on /ontology.",
        },
    )


def _untyped(subject: URIRef) -> GateProblem:
    return GateProblem(
        subject,
        RDF.type,
        None,
        {
            "de": "Die Ressource hat keinen Typ (rdf:type), weder in diesem Schreibvorgang noch "
            "im Bestand; ohne Typ prüft keine Form sie.",
            "en": "The resource has no type (rdf:type), neither in this write nor in the store; "
            "without one, no shape checks it.",
        },
    )


def add_to_report(report: Graph, problems: Iterable[GateProblem]) -> None:
    """Add the gate's own findings to a SHACL validation report as results of their own."""
    root = next(iter(report.subjects(RDF.type, SH.ValidationReport)), None)
    if root is None:
        root = BNode()
        report.add((root, RDF.type, SH.ValidationReport))
    added = False
    for problem in problems:
        result = BNode()
        report.add((root, SH.result, result))
        report.add((result, RDF.type, SH.ValidationResult))
        report.add((result, SH.focusNode, problem.focus))
        if problem.path is not None:
            report.add((result, SH.resultPath, problem.path))
        if problem.value is not None:
            report.add((result, SH.value, problem.value))
        report.add((result, SH.resultSeverity, SH.Violation))
        report.add((result, SH.sourceShape, problem.shape))
        report.add((result, SH.sourceConstraintComponent, problem.shape))
        for language, text in problem.messages.items():
            report.add((result, SH.resultMessage, Literal(text, lang=language)))
        added = True
    if added:
        report.set((root, SH.conforms, Literal(False)))
