"""The SHACL shapes: every constraint has a conforming and a violating variant of one base graph.

`tests/data/shapes/base.ttl` holds one conforming instance of every shaped class. Each case in
`tests/data/shapes/cases.toml` derives a variant from it (remove, add or replace a triple) and
names exactly the violations the whole graph must report: focus node, path, constraint component
and source shape. Meta tests check that every constraint of shapes/ has such a case, that the
shapes are plain SHACL Core with bilingual messages, and that the Kassel data conforms.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from typing import Any

import pytest
from rdflib import RDF, RDFS, SH, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from service.gate import Gate, ValidationReport
from service.project import ROOT

from .conftest import TEST_DATA

# The area files whose every constraint this module covers; other shape files (links.ttl) are
# tested with their own data, and all of them take part in the data checks at the end.
AREAS = (
    "common",
    "provenance",
    "identifiers",
    "places",
    "organisations",
    "strategy",
    "sources",
    "statements",
    "involvement",
)
AREA_FILES = [ROOT / "shapes" / f"{area}.ttl" for area in AREAS]
SHAPES_DATA = TEST_DATA / "shapes"
BASE = SHAPES_DATA / "base.ttl"
ONTOLOGY = ROOT / "ontology" / "stadtgraph.ttl"
SGSH = Namespace("https://w3id.org/stadtgraph/shapes#")
PROV = Namespace("http://www.w3.org/ns/prov#")
CASES = tomllib.loads((SHAPES_DATA / "cases.toml").read_text(encoding="utf-8"))

# Constraint parameters used in shapes/ and the component pyshacl reports for each.
COMPONENTS = {
    SH.minCount: "MinCount",
    SH.maxCount: "MaxCount",
    SH["class"]: "Class",
    SH.datatype: "Datatype",
    SH.nodeKind: "NodeKind",
    SH.pattern: "Pattern",
    SH["in"]: "In",
    SH.languageIn: "LanguageIn",
    SH.uniqueLang: "UniqueLang",
    SH.minInclusive: "MinInclusive",
    SH.qualifiedMinCount: "QualifiedMinCount",
    SH["or"]: "Or",
    SH.equals: "Equals",
    SH.lessThanOrEquals: "LessThanOrEquals",
    SH.hasValue: "HasValue",
}
# Types that only ever accompany a shaped type in data/ (ontology/README.md, "Marker types").
MARKER_TYPES = {
    "http://www.w3.org/ns/prov#Agent",
    "http://www.w3.org/ns/prov#Plan",
    "http://www.w3.org/ns/org#OrganizationalUnit",
    "https://schema.oparl.org/1.1/Body",
    "https://schema.oparl.org/1.1/Organization",
    "https://schema.oparl.org/1.1/Paper",
    "https://schema.oparl.org/1.1/Meeting",
    "https://schema.oparl.org/1.1/AgendaItem",
}
Found = frozenset[tuple[str, str | None, str, str | None]]


# --- Cases ----------------------------------------------------------------------------------


def update_of(case: dict[str, Any]) -> str:
    """Turn a case's operations into one SPARQL update: update, remove, drop, add."""

    def values(key: str) -> list[str]:
        value = case.get(key, [])
        return [value] if isinstance(value, str) else value

    return " ;\n".join(
        [*values("update")]
        + [f"DELETE DATA {{ {triple} }}" for triple in values("remove")]
        + [f"DELETE WHERE {{ {pair} ?value }}" for pair in values("drop")]
        + [f"INSERT DATA {{ {triples} }}" for triples in values("add")]
    )


def expected_of(case: dict[str, Any]) -> Found:
    """Read 'focus path Component Shape' lines ('-': no path) into report tuples."""
    found = set()
    for line in case["expect"]:
        focus, path, component, shape = line.split()
        component = f"sh:{component}ConstraintComponent"
        found.add((focus, None if path == "-" else path, component, f"sgsh:{shape}"))
    return frozenset(found)


VIOLATIONS = [
    pytest.param(update_of(case), expected_of(case), id=case["id"]) for case in CASES["violation"]
]
CONFORMING = [pytest.param(update_of(case), id=case["id"]) for case in CASES["conforming"]]


# --- Fixtures and helpers -------------------------------------------------------------------


@pytest.fixture(scope="module")
def gate() -> Gate:
    return Gate(shapes=AREA_FILES, ontology=[ONTOLOGY])


@pytest.fixture(scope="module")
def shapes(gate: Gate) -> Graph:
    return gate.shapes


@pytest.fixture(scope="module")
def project_shapes() -> Graph:
    return Gate().shapes


def variant(update: str) -> Graph:
    """The base graph with an update applied; prefixes come from base.ttl."""
    graph = Graph().parse(BASE)
    if update:
        graph.update(update)
    return graph


def found(report: ValidationReport) -> Found:
    return frozenset((v.focus_node, v.path, v.component, v.shape) for v in report.violations)


def data_graph() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "data").rglob("*.ttl")):
        graph.parse(path)
    return graph


def or_branches(shapes: Graph) -> Iterator[URIRef]:
    for members in shapes.objects(None, SH["or"]):
        yield from Collection(shapes, members)


def all_shapes(shapes: Graph) -> set[URIRef]:
    """Every node used as a shape: declared, referenced by another shape, or an alternative."""
    result: set[URIRef] = set()
    for kind in (SH.NodeShape, SH.PropertyShape):
        result.update(shapes.subjects(RDF.type, kind))
    for predicate in (SH.property, SH.node, SH.qualifiedValueShape):
        result.update(shapes.objects(None, predicate))
    result.update(or_branches(shapes))
    return result


def constraints(shapes: Graph) -> set[tuple[str, str]]:
    """(shape, component) of every constraint a violation can be reported for.

    Alternatives of sh:or and qualified value shapes are reported through their parent.
    """
    nested = set(or_branches(shapes)) | set(shapes.objects(None, SH.qualifiedValueShape))
    result = set()
    for shape in all_shapes(shapes) - nested:
        for parameter, component in COMPONENTS.items():
            if (shape, parameter, None) in shapes:
                name = shape.n3(shapes.namespace_manager)
                result.add((name, f"sh:{component}ConstraintComponent"))
    return result


# --- Each constraint: violating and conforming variants -------------------------------------


def test_base_graph_conforms(gate: Gate) -> None:
    report = gate.validate(variant(""))
    assert report.conforms, report.to_text()


@pytest.mark.parametrize(("update", "expected"), VIOLATIONS)
def test_violating_variant_is_reported_exactly(gate: Gate, update: str, expected: Found) -> None:
    report = gate.validate(variant(update))
    assert not report.conforms
    assert found(report) == expected, report.to_text()
    for violation in report.violations:
        assert violation.messages.keys() >= {"de", "en"}, violation


@pytest.mark.parametrize("update", CONFORMING)
def test_conforming_variant(gate: Gate, update: str) -> None:
    report = gate.validate(variant(update))
    assert report.conforms, report.to_text()


def test_every_constraint_has_a_violating_case(shapes: Graph) -> None:
    covered = {
        (shape, component) for param in VIOLATIONS for _, _, component, shape in param.values[1]
    }
    assert constraints(shapes) - covered == set()


def test_every_alternative_has_a_conforming_case(shapes: Graph) -> None:
    branches = {branch.n3(shapes.namespace_manager) for branch in or_branches(shapes)}
    covered = {f"sgsh:{name}" for case in CASES["conforming"] for name in case.get("covers", [])}
    assert branches - covered == set()


def test_every_constrained_property_occurs_in_the_conforming_base(shapes: Graph) -> None:
    used = set(Graph().parse(BASE).predicates())
    branches = set(or_branches(shapes))
    missing = set()
    for shape, path in shapes.subject_objects(SH.path):
        if shape in branches:
            continue  # an alternative: see test_every_alternative_has_a_conforming_case
        first = next(iter(Collection(shapes, path))) if (path, RDF.first, None) in shapes else path
        if first not in used:
            missing.add((shape, first))
    assert missing == set()


# --- The shapes themselves ------------------------------------------------------------------


def test_shapes_are_named_labelled_and_explained_in_german_and_english(shapes: Graph) -> None:
    for shape in all_shapes(shapes):
        assert isinstance(shape, URIRef), shape
        assert shape.startswith(str(SGSH)), shape
        for predicate in (RDFS.label, SH.message):
            languages = sorted(
                o.language for o in shapes.objects(shape, predicate) if isinstance(o, Literal)
            )
            assert languages == ["de", "en"], (shape, predicate, languages)


def test_shapes_are_shacl_core_without_closed_shapes(shapes: Graph) -> None:
    for predicate in (SH.sparql, SH.closed, SH.select, SH.ask, SH.rule, SH.target):
        assert not list(shapes.subject_objects(predicate)), predicate
    used = {p for p in shapes.predicates() if str(p).startswith(str(SH))}
    structure = {SH.path, SH.property, SH.message, SH.targetClass, SH.targetSubjectsOf}
    assert used - set(COMPONENTS) - structure - {SH.qualifiedValueShape} == set()


# --- The data of data/ ------------------------------------------------------------------------


def test_every_class_used_in_data_has_a_shape(project_shapes: Graph) -> None:
    data = data_graph()
    targeted = {str(c) for c in project_shapes.objects(None, SH.targetClass)}
    used = {str(c) for c in data.objects(None, RDF.type)}
    assert used - targeted - MARKER_TYPES == set()
    for marker in MARKER_TYPES & used:
        for resource in data.subjects(RDF.type, URIRef(marker)):
            types = {str(t) for t in data.objects(resource, RDF.type)}
            assert types & targeted, (resource, marker)


def test_every_typed_resource_in_data_is_checked_for_label_and_provenance(shapes: Graph) -> None:
    data = data_graph()
    hierarchy = data + Graph().parse(ONTOLOGY)
    resources = set(data.subjects(RDF.type, None))
    for shape in (SGSH.ProvenanceShape, SGSH.DescribedResourceShape):
        targets = set(shapes.objects(shape, SH.targetClass))
        unchecked = [
            resource
            for resource in resources
            if not {
                c
                for t in data.objects(resource, RDF.type)
                for c in hierarchy.transitive_objects(t, RDFS.subClassOf)
            }
            & targets
        ]
        assert unchecked == [], (shape, unchecked)


def test_only_the_two_root_sources_lack_a_derivation(shapes: Graph) -> None:
    roots = set(Collection(shapes, shapes.value(SGSH.RootSource, SH["in"])))
    data = data_graph()
    underived = {
        s for s in set(data.subjects(RDF.type, None)) if (s, PROV.wasDerivedFrom, None) not in data
    }
    assert underived == roots


def test_data_conforms() -> None:
    report = Gate().validate(data_graph())
    assert report.conforms, report.to_text()


def test_whole_project_conforms_as_one_graph() -> None:
    """Ontology, shapes and data together, as `stadtgraph validate` reads them."""
    graph = Graph()
    for folder in ("ontology", "shapes", "data"):
        for path in sorted((ROOT / folder).rglob("*.ttl")):
            graph.parse(path)
    report = Gate().validate(graph)
    assert report.conforms, report.to_text()


def test_gate_checks_nested_shapes_when_validating_by_focus_node(gate: Gate) -> None:
    graph = variant('DELETE DATA { t:country rdfs:label "Staat"@de }')
    focus = [URIRef("https://w3id.org/stadtgraph/id/test/country")]
    assert not gate.validate(graph, focus_nodes=focus).conforms
