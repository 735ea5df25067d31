"""Check ontology/ and data/ as files: they parse, use known terms and link to nothing missing.

These tests read the Turtle files with rdflib and pyoxigraph directly, so they hold whatever the
service does with the data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from service.quote_check import collapse
from service.term_check import CLASS_TYPES, PROPERTY_TYPES, is_standard

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "stadtgraph.ttl"
DATA_FILES = sorted((ROOT / "data").rglob("*.ttl"))
SEED = ROOT.parent / "shared" / "seed" / "anfrage-digitalisierungsstrategie-kassel-2019.txt"

BASE = "https://w3id.org/stadtgraph/"
SG = "https://w3id.org/stadtgraph/ontology#"

# What counts as declared, and which vocabularies data/ may use undeclared, is the gate's.
DECLARATION_TYPES = CLASS_TYPES | PROPERTY_TYPES

SG_INVOLVED_IN = URIRef(SG + "involvedIn")
SG_TARGET = URIRef(SG + "target")
SG_ANSWER_STATUS = URIRef(SG + "answerStatus")
SG_ASSESSED_QUESTION = URIRef(SG + "assessedQuestion")
SG_ASSESSED_STATUS = URIRef(SG + "assessedStatus")
SG_QUOTE = URIRef(SG + "quote")


def short(path: Path) -> str:
    return str(path.relative_to(ROOT))


@cache
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@cache
def data() -> Graph:
    graph = Graph()
    for path in DATA_FILES:
        graph.parse(path, format="turtle")
    return graph


def declared(types: set[URIRef]) -> set[URIRef]:
    """Return the IRIs the ontology declares with one of `types`."""
    return {s for t in types for s in ontology().subjects(RDF.type, t) if isinstance(s, URIRef)}


def unknown(terms: Iterable[URIRef], declarations: set[URIRef]) -> list[str]:
    """Return the terms that are neither declared in our ontology nor standard, sorted."""
    return sorted(str(t) for t in terms if t not in declarations and not is_standard(t))


def test_there_is_data_to_check() -> None:
    assert DATA_FILES, "no Turtle files under data/"
    assert any(p.parent.name == "kassel" for p in DATA_FILES)


@pytest.mark.parametrize("path", [ONTOLOGY, *DATA_FILES], ids=short)
def test_file_parses_with_rdflib(path: Path) -> None:
    assert len(Graph().parse(path, format="turtle")) > 0


@pytest.mark.parametrize("path", [ONTOLOGY, *DATA_FILES], ids=short)
def test_file_parses_with_pyoxigraph(path: Path) -> None:
    triples = list(pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.TURTLE))
    assert triples
    assert len(triples) == len(Graph().parse(path, format="turtle"))


def test_every_class_used_in_data_is_declared_or_standard() -> None:
    classes = {o for o in data().objects(None, RDF.type) if isinstance(o, URIRef)}
    missing = unknown(classes, declared(CLASS_TYPES))
    assert not missing, f"classes used in data/ but not declared as classes: {missing}"


def test_every_predicate_used_in_data_is_declared_or_standard() -> None:
    predicates = {p for p in data().predicates() if isinstance(p, URIRef)}
    missing = unknown(predicates, declared(PROPERTY_TYPES))
    assert not missing, f"predicates used in data/ but not declared as properties: {missing}"


def test_ontology_uses_only_its_own_or_standard_terms() -> None:
    own = {s for s in ontology().subjects() if isinstance(s, URIRef) and str(s).startswith(SG)}
    used = set(ontology().predicates()) | set(ontology().objects(None, RDF.type))
    missing = unknown((t for t in used if isinstance(t, URIRef)), own)
    assert not missing, f"terms used in the ontology that nobody defines: {missing}"


def languages(subject: URIRef, *predicates: URIRef) -> set[str]:
    return {
        o.language
        for p in predicates
        for o in ontology().objects(subject, p)
        if isinstance(o, Literal) and o.language
    }


def test_every_ontology_term_has_labels_and_definitions_in_german_and_english() -> None:
    terms = {s for s in ontology().subjects() if isinstance(s, URIRef) and str(s).startswith(SG)}
    assert len(terms) > 20
    problems = []
    for term in sorted(terms):
        if not {"de", "en"} <= languages(term, RDFS.label):
            problems.append(f"{term}: rdfs:label needs @de and @en")
        if not {"de", "en"} <= languages(term, SKOS.definition, RDFS.comment):
            problems.append(f"{term}: skos:definition or rdfs:comment needs @de and @en")
    assert not problems, "\n".join(problems)


def local_iris(graph: Graph) -> set[URIRef]:
    return {
        term
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(BASE)
    }


def test_every_local_iri_in_data_is_described() -> None:
    described = {s for s in data().subjects() if isinstance(s, URIRef)}
    described |= {s for s in ontology().subjects() if isinstance(s, URIRef)}
    dangling = sorted(str(iri) for iri in local_iris(data()) - described)
    problem = f"IRIs under {BASE} that nothing in data/ or ontology/ describes"
    assert not dangling, f"{problem}: {dangling}"


def test_no_triple_is_stated_in_two_files() -> None:
    # Each file is a named graph; the engine reads the union of the graphs as a bag, so a
    # triple in two files would be counted twice by every query of the default graph.
    first_file: dict[tuple[object, object, object], str] = {}
    repeated = []
    for path in (ONTOLOGY, *DATA_FILES):
        for triple in Graph().parse(path, format="turtle"):
            where = first_file.setdefault(triple, short(path))
            if where != short(path):
                repeated.append(f"{where} and {short(path)}: {triple}")
    assert repeated == []


def test_data_has_no_blank_nodes() -> None:
    blank = [triple for triple in data() if any(isinstance(t, BNode) for t in triple)]
    assert not blank, f"blank nodes in data/ (give them IRIs): {blank[:5]}"


def test_involved_in_shortcuts_are_exactly_the_qualified_involvements() -> None:
    derived = {
        (agent, target)
        for node, agent in data().subject_objects(PROV.agent)
        for target in data().objects(node, SG_TARGET)
    }
    stated = set(data().subject_objects(SG_INVOLVED_IN))
    assert derived, "no qualified involvements in data/"
    assert stated == derived


def test_answer_status_shortcuts_are_exactly_the_assessments() -> None:
    derived = {
        (question, status)
        for node, question in data().subject_objects(SG_ASSESSED_QUESTION)
        for status in data().objects(node, SG_ASSESSED_STATUS)
    }
    stated = set(data().subject_objects(SG_ANSWER_STATUS))
    assert len(derived) == 8, "every question of the Kassel inquiry needs one assessed status"
    assert stated == derived


def test_every_quote_is_verbatim_from_the_source() -> None:
    assert SEED.exists(), f"the source document belongs at {SEED} (shared/ beside the repo)"
    source = collapse(SEED.read_text(encoding="utf-8"))
    quotes = [str(q) for q in data().objects(None, SG_QUOTE)]
    assert quotes
    not_verbatim = [q for q in quotes if collapse(q) not in source]
    assert not not_verbatim, f"sg:quote values not found verbatim in {SEED.name}: {not_verbatim}"
    # Byte for byte too: line breaks and list bullets as the source has them.
    exact = SEED.read_text(encoding="utf-8")
    reshaped = [q for q in quotes if q not in exact]
    assert not reshaped, f"sg:quote values whose spacing differs from {SEED.name}: {reshaped}"


DCTERMS_SUBJECT = URIRef("http://purl.org/dc/terms/subject")


def test_a_statement_about_a_strategy_its_words_do_not_name_says_that_this_is_a_reading() -> None:
    # The notes often speak of "es" or "die Strategie"; which strategy is meant is then the
    # project's reading of the context, and the statement's editorial note must say so. A
    # quote names a strategy when it holds the strategy's German label without the city.
    strategies = set(data().subjects(RDF.type, URIRef(SG + "Strategy")))
    assert strategies
    unflagged = []
    for statement, quote in data().subject_objects(SG_QUOTE):
        for strategy in strategies & set(data().objects(statement, DCTERMS_SUBJECT)):
            names = [
                str(label).removesuffix(" der Stadt Kassel")
                for label in data().objects(strategy, RDFS.label)
                if isinstance(label, Literal) and label.language == "de"
            ]
            if any(name in str(quote) for name in names):
                continue
            notes = [str(n) for n in data().objects(statement, SKOS.editorialNote)]
            if not any("Lesart des Projekts" in note for note in notes):
                unflagged.append(str(statement).rsplit("/", 1)[-1])
    assert unflagged == []


def test_notes_and_labels_speak_without_prefixed_names() -> None:
    # Notes and labels are read on the pages by people who do not read Turtle: "(dcterms:
    # subject)" or "korg:stadt-kassel" in a note tell them nothing. The data itself says which
    # property a note is about. The descriptions of the registries we link to are for data
    # users, and say which linking property they take.
    prefixed = re.compile(r"\b[a-z][a-zA-Z]*:[A-Za-z][\w-]*")
    found = [
        f"{str(s).rsplit('/', 1)[-1]}: {match}"
        for s, _, text in data()
        if isinstance(text, Literal) and text.datatype is None and "/id/registry/" not in str(s)
        for match in prefixed.findall(str(text))
        if not match.startswith(("http:", "https:", "urn:", "mailto:"))
    ]
    assert found == []


BILINGUAL = {
    RDFS.label,
    RDFS.comment,
    SKOS.prefLabel,
    SKOS.definition,
    SKOS.note,
    SKOS.editorialNote,
    SKOS.scopeNote,
    URIRef("http://purl.org/dc/terms/description"),
}
"""Properties whose texts are ours, so the pages need them in both languages. The source's own
words (quotes, question texts, titles, the caveat) stay German; alternative labels are names
to search by, in whichever language they are used."""


def test_labels_and_notes_are_given_in_german_and_english() -> None:
    languages: dict[tuple[object, object], set[str]] = {}
    for s, p, text in data():
        if p in BILINGUAL and isinstance(text, Literal):
            languages.setdefault((s, p), set()).add(text.language or "")
    missing = [
        f"{str(s).rsplit('/', 1)[-1]} {data().namespace_manager.normalizeUri(str(p))}: "
        f"{sorted(langs)}"
        for (s, p), langs in languages.items()
        if not {"de", "en"} <= langs
    ]
    assert missing == []
