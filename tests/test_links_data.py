"""data/links/ and shapes/links.ttl: the verified links are there with provenance, nothing else is,
and the link shapes catch what they promise to."""

from __future__ import annotations

from functools import cache

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from service.gate import Gate
from service.link_model import (
    CURATED,
    PROJECT_AGENT,
    REFERENCE_NOTES,
    consistency_problems,
    links_in,
)
from service.project import ROOT

LINKS = ROOT / "data" / "links"
PLACE = "https://w3id.org/stadtgraph/id/kassel/place/"
WD = "http://www.wikidata.org/entity/"
GN = "https://sws.geonames.org/"
AGS = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/"

# The identifiers verified from public sources (shared/README.md) — the only ones we may link.
VERIFIED = {
    ("kassel", OWL.sameAs, WD + "Q2865"),
    ("kassel", OWL.sameAs, GN + "2892518/"),
    ("kassel", SKOS.exactMatch, AGS + "06611000"),
    ("hessen", OWL.sameAs, WD + "Q1199"),
    ("deutschland", OWL.sameAs, WD + "Q183"),
    ("deutschland", OWL.sameAs, GN + "2921044/"),
    ("wien", OWL.sameAs, WD + "Q1741"),
    ("wien", OWL.sameAs, GN + "2761369/"),
    ("tallinn", OWL.sameAs, WD + "Q1770"),
    ("tallinn", OWL.sameAs, GN + "588409/"),
    ("israel", OWL.sameAs, WD + "Q801"),
    ("italien", OWL.sameAs, WD + "Q38"),
}


@cache
def links_graph() -> Graph:
    graph = Graph()
    for path in sorted(LINKS.glob("*.ttl")):
        graph.parse(path)
    return graph


def test_the_verified_links_and_only_they_are_stated() -> None:
    stated = {
        (str(s), p, str(o))
        for p in (OWL.sameAs, SKOS.exactMatch, SKOS.closeMatch)
        for s, o in links_graph().subject_objects(p)
    }
    assert stated == {(PLACE + s, p, o) for s, p, o in VERIFIED}


def test_every_link_has_its_assertion_and_every_assertion_its_link() -> None:
    assert consistency_problems(links_graph()) == []
    assert len(links_in(links_graph())) == len(VERIFIED)


def test_the_curated_links_name_their_source_method_reviewer_and_date() -> None:
    for link in links_in(links_graph()):
        assert link.method == CURATED
        assert link.justification == URIRef("https://w3id.org/semapv/vocab/ManualMappingCuration")
        assert link.reviewer == PROJECT_AGENT
        assert link.derived_from == (REFERENCE_NOTES,)
        assert link.review_date.isoformat() == "2026-11-25"


def test_no_organisation_is_linked() -> None:
    data = Graph()
    for path in sorted((ROOT / "data").rglob("*.ttl")):
        data.parse(path)
    organisations = set(data.subjects(RDF.type, URIRef("http://www.w3.org/ns/org#Organization")))
    linked = {link.subject for link in links_in(links_graph())}
    assert not organisations & linked


# -- the link shapes, one violating variant each ------------------------------------------------

SGSH = "https://w3id.org/stadtgraph/shapes#"
BASE = """\
@prefix sg: <https://w3id.org/stadtgraph/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix schema: <https://schema.org/> .
@prefix t: <https://example.org/test/> .

t:place a schema:Place ; owl:sameAs t:entry .
t:body a org:Organization, prov:Agent ; skos:exactMatch t:entry .
t:agent a prov:Agent .
t:registry a void:Dataset ; foaf:homepage <https://example.org/> ;
    void:uriSpace "https://example.org/" .
t:link a sg:LinkAssertion ;
    sg:linkSubject t:place ; sg:linkPredicate owl:sameAs ; sg:linkTarget t:entry ;
    sg:targetRegistry t:registry ; sg:linkMethod sg:ReviewedCandidate ;
    sg:mappingJustification <https://w3id.org/semapv/vocab/LexicalMatching> ;
    sg:reviewer t:agent ; sg:reviewDate "2026-11-25"^^xsd:date ;
    sg:matchConfidence 0.96 .
"""


def variant(update: str) -> Graph:
    graph = Graph().parse(data=BASE, format="turtle")
    if update:
        graph.update(
            "PREFIX sg: <https://w3id.org/stadtgraph/ontology#>\n"
            "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
            "PREFIX t: <https://example.org/test/>\n" + update
        )
    return graph


@pytest.fixture(scope="module")
def gate() -> Gate:
    return Gate(
        shapes=[ROOT / "shapes" / "links.ttl"], ontology=[ROOT / "ontology" / "stadtgraph.ttl"]
    )


def test_the_base_conforms(gate: Gate) -> None:
    report = gate.validate(variant(""))
    assert report.conforms, report.to_text()


CASES = [
    ("DELETE WHERE { t:link sg:reviewer ?v }", "t:link", "LinkAssertion-reviewer", "MinCount"),
    ("DELETE WHERE { t:link sg:reviewDate ?v }", "t:link", "LinkAssertion-reviewDate", "MinCount"),
    (
        "DELETE WHERE { t:link sg:targetRegistry ?v }",
        "t:link",
        "LinkAssertion-registry",
        "MinCount",
    ),
    (
        "DELETE { t:link sg:reviewer ?v } INSERT { t:link sg:reviewer t:place } "
        "WHERE { t:link sg:reviewer ?v }",
        "t:link",
        "LinkAssertion-reviewer",
        "Class",
    ),
    (
        "DELETE { t:link sg:linkPredicate ?v } "
        "INSERT { t:link sg:linkPredicate owl:differentFrom } WHERE { t:link sg:linkPredicate ?v }",
        "t:link",
        "LinkAssertion-predicate",
        "In",
    ),
    (
        "DELETE { t:link sg:linkMethod ?v } INSERT { t:link sg:linkMethod t:guess } "
        "WHERE { t:link sg:linkMethod ?v }",
        "t:link",
        "LinkAssertion-method",
        "In",
    ),
    (
        "DELETE { t:link sg:mappingJustification ?v } INSERT { t:link sg:mappingJustification "
        "<https://example.org/because> } WHERE { t:link sg:mappingJustification ?v }",
        "t:link",
        "LinkAssertion-justification",
        "Pattern",
    ),
    (
        "DELETE { t:link sg:matchConfidence ?v } INSERT { t:link sg:matchConfidence 1.5 } "
        "WHERE { t:link sg:matchConfidence ?v }",
        "t:link",
        "LinkAssertion-confidence",
        "Pattern",
    ),
    (
        "DELETE { t:link sg:linkSubject ?v } INSERT { t:link sg:linkSubject t:body } "
        "WHERE { t:link sg:linkSubject ?v }",
        "t:link",
        "LinkAssertionShape",
        "Or",
    ),
    ("INSERT DATA { t:body owl:sameAs t:entry }", "t:body", "OrganisationLink-sameAs", "MaxCount"),
    (
        "DELETE WHERE { t:registry <http://rdfs.org/ns/void#uriSpace> ?v }",
        "t:registry",
        "Registry-uriSpace",
        "MinCount",
    ),
    ('INSERT DATA { t:body sg:gndId "GND 123" }', "t:body", "Identifier-gndId", "Pattern"),
]


@pytest.mark.parametrize(("update", "focus", "shape", "component"), CASES)
def test_each_link_constraint_reports_its_violation(
    gate: Gate, update: str, focus: str, shape: str, component: str
) -> None:
    report = gate.validate(variant(update))
    assert not report.conforms
    local = focus.removeprefix("t:")
    assert any(
        v.focus_node.endswith(local)
        and (v.shape or "").strip("<>").endswith(shape)
        and v.component == f"sh:{component}ConstraintComponent"
        for v in report.violations
    ), report.to_text()
    for violation in report.violations:
        assert {"de", "en"} <= violation.messages.keys()
