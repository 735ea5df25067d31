"""The SHACL gate: whole graphs, focus nodes, and changes validated in the store's context."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, URIRef

from service.gate import Gate
from service.quote_check import SourceTexts
from service.store import RdfFormat, Store

from .conftest import TEST_DATA

GATE = TEST_DATA / "gate"
EX = "https://example.org/"
PEOPLE, STATEMENTS = "urn:g:people", "urn:g:statements"


@pytest.fixture
def gate() -> Gate:
    return Gate(shapes=[GATE / "shapes.ttl"], ontology=[GATE / "ontology.ttl"])


def parse(name: str) -> Graph:
    return Graph().parse(GATE / name)


def test_conforming_graph_uses_the_ontology_hierarchy(gate: Gate) -> None:
    report = gate.validate(parse("people.ttl") + parse("statements.ttl"))
    assert report.conforms, report.to_text()
    assert report.to_text().startswith("conforms")


def test_violations_name_focus_path_value_message_and_source(gate: Gate) -> None:
    data = parse("bad-statement.ttl")
    report = gate.validate(data, sources={URIRef(EX + "s2"): ["bad-statement.ttl"]})
    assert not report.conforms
    found = {(v.focus_node, v.path, v.component) for v in report.violations}
    assert found == {
        ("ex:s2", "ex:speaker", "sh:MinCountConstraintComponent"),
        ("ex:s2", "ex:date", "sh:DatatypeConstraintComponent"),
    }
    speaker = next(v for v in report.violations if "MinCount" in v.component)
    assert speaker.message("de") == "Jede Aussage braucht einen Sprecher."
    assert speaker.message("en") == "Every statement needs a speaker."
    assert speaker.sources == ("bad-statement.ttl",)
    text = report.to_text()
    assert "bad-statement.ttl" in text and "Every statement needs a speaker." in text
    assert '"6 March 2019"' in text
    as_json = json.loads(report.to_json())
    assert as_json["conforms"] is False and len(as_json["violations"]) == 2
    assert "sh:ValidationReport" in report.to_turtle()


@pytest.mark.parametrize("owned", [False, True])
def test_the_checked_resources_counted_are_the_data_s_own(gate: Gate, owned: bool) -> None:
    # With `owned` the class hierarchy is added to the data graph; its classes were counted
    # as checked resources (a one-triple file read "27 resources checked").
    data = parse("people.ttl") + parse("statements.ttl")
    subjects = len(set(data.subjects()))
    assert subjects > 1
    report = gate.validate(data, owned=owned)
    assert report.conforms and report.focus_count == subjects
    assert report.to_text() == f"conforms: {subjects} resources checked, no violations"
    one = Graph().parse(data='<https://example.org/x> <https://example.org/p> "x" .', format="nt")
    assert gate.validate(one, owned=owned).to_text().startswith("conforms: 1 resource checked")


def test_violations_come_in_a_fixed_order(gate: Gate) -> None:
    # pyshacl lists results in no fixed order (it varies between runs); the report sorts them
    # by file, resource, path, value and constraint, so text and JSON read the same every time.
    report = gate.validate(parse("bad-statement.ttl"))
    assert [v.path for v in report.violations] == ["ex:date", "ex:speaker"]
    text = report.to_text()
    assert text.index("path:    ex:date") < text.index("path:    ex:speaker")
    paths = [v["path"] for v in json.loads(report.to_json())["violations"]]
    assert paths == ["ex:date", "ex:speaker"]


def test_focus_nodes_limit_what_is_validated(gate: Gate) -> None:
    data = parse("bad-statement.ttl") + parse("statements.ttl") + parse("people.ttl")
    assert gate.validate(data, focus_nodes=[URIRef(EX + "s1")]).conforms
    assert not gate.validate(data, focus_nodes=[URIRef(EX + "s2")]).conforms


def test_change_is_checked_against_what_the_store_holds(gate: Gate, memory_store: Store) -> None:
    memory_store.load(GATE / "people.ttl", RdfFormat.TURTLE, PEOPLE)
    alone = gate.validate(parse("statements.ttl"))
    assert not alone.conforms  # the speaker's type lives in another graph
    in_context = gate.validate_change(memory_store, {STATEMENTS: parse("statements.ttl")})
    assert in_context.conforms, in_context.to_text()


def test_removing_a_referenced_resource_is_caught(gate: Gate, memory_store: Store) -> None:
    memory_store.load(GATE / "people.ttl", RdfFormat.TURTLE, PEOPLE)
    memory_store.load(GATE / "statements.ttl", RdfFormat.TURTLE, STATEMENTS)
    report = gate.validate_change(memory_store, {PEOPLE: Graph()}, replaced={PEOPLE})
    assert not report.conforms
    assert [v.component for v in report.violations] == ["sh:ClassConstraintComponent"]
    assert report.violations[0].focus_node.rstrip(">").endswith("example.org/s1")


def test_focus_validation_checks_nested_shapes() -> None:
    """Regression: pyshacl 0.40 skipped nested shapes when given focus nodes."""
    from service import shacl_engine

    shacl_engine.ensure_focus_filter_on_targets_only()
    assert not shacl_engine.nested_shapes_skipped()


def test_blank_node_subjects_are_validated_by_focus(gate: Gate) -> None:
    data = Graph().parse(
        data="@prefix ex: <https://example.org/> . [] a ex:Statement .", format="turtle"
    )
    report = gate.validate_change(None, {STATEMENTS: data})
    assert not report.conforms
    assert [v.focus_node for v in report.violations] == ["[]"]


# -- terms the ontology does not know ----------------------------------------------------------


def turtle(text: str) -> Graph:
    return Graph().parse(data="@prefix ex: <https://example.org/> .\n" + text, format="turtle")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ex:s9 a ex:Statment .", "The class <https://example.org/Statment> is not declared"),
        (
            "ex:s9 a ex:Statement ; ex:speker ex:mayor .",
            "The property <https://example.org/speker>",
        ),
    ],
)
def test_a_write_with_a_term_the_ontology_does_not_declare_is_refused(
    gate: Gate, memory_store: Store, text: str, message: str
) -> None:
    report = gate.validate_change(memory_store, {STATEMENTS: turtle(text)})
    assert not report.conforms
    assert message in report.to_text()
    (result,) = [v for v in report.violations if v.shape and "DeclaredTerms" in v.shape]
    assert result.focus_node in ("ex:s9", f"<{EX}s9>")
    assert "Tippfehler?" in result.messages["de"]
    assert "DeclaredTerms" in report.to_turtle()


def test_a_resource_of_ours_needs_a_type_in_the_write_or_the_store(memory_store: Store) -> None:
    gate = Gate(
        shapes=[GATE / "shapes.ttl"], ontology=[GATE / "ontology.ttl"], own_resources=EX + "id/"
    )
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    untyped = gate.validate_change(memory_store, {PEOPLE: turtle(f'<{EX}id/x> {label} "X" .')})
    assert "The resource has no type" in untyped.to_text()
    # typed in the store already: a new label is fine; so is a label for someone else's IRI
    memory_store.update(f"INSERT DATA {{ GRAPH <{PEOPLE}> {{ <{EX}id/x> a <{EX}Person> }} }}")
    assert gate.validate_change(
        memory_store, {PEOPLE: turtle(f'<{EX}id/x> {label} "X" .')}
    ).conforms
    elsewhere = turtle(f'<http://www.wikidata.org/entity/Q1> {label} "Universe"@en .')
    assert gate.validate_change(memory_store, {PEOPLE: elsewhere}).conforms


# -- quotes the sources do not hold ------------------------------------------------------------


def test_a_quote_must_stand_in_a_source_word_for_word(memory_store: Store) -> None:
    sources = SourceTexts({"notes.txt": "Alle Ämter seien mit Arbeitsgruppen beteiligt. Weiter"})
    gate = Gate(shapes=[GATE / "shapes.ttl"], ontology=[], sources=sources)
    quote = "<https://w3id.org/stadtgraph/ontology#quote>"
    # line breaks and spacing may differ; the words may not
    kept = turtle(f'ex:s1 {quote} "Alle Ämter seien\\n  mit Arbeitsgruppen beteiligt"@de .')
    assert gate.validate_change(memory_store, {STATEMENTS: kept}).conforms
    invented = turtle(f'ex:s1 {quote} "Bis 2022 werde die ganze Stadt versorgt."@de .')
    report = gate.validate_change(memory_store, {STATEMENTS: invented})
    assert not report.conforms
    (result,) = report.violations
    assert "is not in any source (notes.txt) word for word" in result.messages["en"]
    assert "sg:paraphrase" in result.messages["de"]
    assert result.value is not None and "Bis 2022" in result.value
    # without source texts, nothing can be checked
    unchecked = Gate(shapes=[GATE / "shapes.ttl"], ontology=[])
    assert unchecked.validate_change(memory_store, {STATEMENTS: invented}).conforms


def test_two_texts_in_one_language_are_named_in_the_report() -> None:
    # SHACL gives no value for sh:uniqueLang: the curator saw only "at most one per language".
    from .graph_fixtures import kassel_store_loaded

    store = kassel_store_loaded()
    try:
        kvv = "<https://w3id.org/stadtgraph/id/kassel/org/kvv>"
        label = "<http://www.w3.org/2000/01/rdf-schema#label>"
        extra = Graph().parse(data=f'{kvv} {label} "Kassel transport company"@en .', format="nt")
        graph = "https://w3id.org/stadtgraph/graph/data/kassel/enterprises"
        report = Gate().validate_change(store, {graph: extra})
        (result,) = [v for v in report.violations if "UniqueLang" in v.component]
        assert result.value is not None and '"Kassel transport company"@en' in result.value
        assert '"KVV"@en' in result.value and "@de" not in result.value
    finally:
        store.close()


def test_a_date_that_does_not_exist_is_called_so() -> None:
    from .graph_fixtures import kassel_store_loaded

    store = kassel_store_loaded()
    try:
        inv = "https://w3id.org/stadtgraph/id/kassel/involvement/glh-gesamtstrategie"
        graph = "https://w3id.org/stadtgraph/graph/data/kassel/involvement"
        store.update(
            f"WITH <{graph}> DELETE {{ <{inv}> <https://w3id.org/stadtgraph/ontology#asOf> ?d }}"
            f" WHERE {{ <{inv}> <https://w3id.org/stadtgraph/ontology#asOf> ?d }}"
        )
        wrong = Graph().parse(
            data=f"<{inv}> <https://w3id.org/stadtgraph/ontology#asOf> "
            '"2019-02-30"^^<http://www.w3.org/2001/XMLSchema#date> .',
            format="nt",
        )
        report = Gate().validate_change(store, {graph: wrong})
        assert "is a valid xsd:date (a year-month-day that exists)" in report.to_text()
    finally:
        store.close()
