"""Run every named query in queries/ against the loaded project and check its answers.

The project (ontology/, shapes/ if present, data/) is loaded with pyoxigraph, each file into its
own named graph, and queried through `service.queries` and `Store.select` as the service does.
Expected answers come from the Kassel data files themselves (read independently with rdflib)
or from facts the data states verbatim, such as the quote about the fixed timetable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF
from rdflib.plugins.sparql import prepareQuery

from service.project import ROOT, graph_for_path, project_files
from service.queries import (
    NamedQuery,
    ParameterError,
    all_queries,
    get_query,
    parse_query_file,
)
from service.store import Node, RdfFormat, Store, open_store
from service.store.binding import with_bindings

FIXTURES = Path(__file__).resolve().parent / "data" / "queries"

SG = "https://w3id.org/stadtgraph/ontology#"
ID = "https://w3id.org/stadtgraph/id/kassel/"
ORG = "http://www.w3.org/ns/org#"
EX = "https://example.org/stadtgraph-test/"

MEETING = ID + "meeting/afwg-2019-03-06"
NOTES = ID + "doc/notizen-afwg-2019-03-06"
SOURCE_TEXT = ID + "doc/quelle-anfrage-digitalisierungsstrategie-2019"
INQUIRY = ID + "doc/anfrage-digitalisierungsstrategie"
LORD_MAYOR = ID + "person/oberbuergermeister-2019-03-06"
STRATEGY = ID + "strategy/gesamtstrategie"
GLH = ID + "org/glh"
SPARKASSEN = ID + "org/sparkassen"
KVV = ID + "org/kvv"
GWG = ID + "org/gwg"
COUNCIL = ID + "org/stadtverordnetenversammlung"

EXPECTED_QUERIES = {
    *(f"frage-{n}" for n in range(1, 9)),
    "involvement-by-actor",
    "involvement-by-action-field",
    "involvement-by-topic",
    "actors-of-type",
    "provenance",
    "shared-actors",
    "meeting-statements",
    "inquiry-tracker",
    "surrounding-municipalities",
}

# A value for every required parameter, so that every query can run on the Kassel data.
REQUIRED_VALUES = {
    ("actors-of-type", "type"): SG + "MunicipalEnterprise",
    ("provenance", "resource"): GLH,
    ("shared-actors", "field_a"): ID + "actionfield/lebensqualitaet-wohnen-mobilitaet",
    ("shared-actors", "field_b"): ID + "actionfield/digitalisierung",
}

INJECTIONS = (
    "> } ; DROP ALL #",
    "https://example.org/a> } ; DROP ALL #",
    "https://example.org/a>} DELETE WHERE { ?s ?p ?o } #",
    'https://example.org/a" } #',
    "https://example.org/a\n} ; DROP ALL",
)

Row = dict[str, Node]


# --- loading -----------------------------------------------------------------------------------


def _load(store: Store, paths: Iterator[Path] | list[Path]) -> None:
    for path in paths:
        store.load(path, RdfFormat.for_path(path), graph_for_path(path))


@pytest.fixture(scope="module")
def kassel() -> Iterator[Store]:
    """The whole project, each file in its own named graph, queried as the union."""
    store = open_store(path=None)
    _load(store, list(project_files()))
    yield store
    store.close()


@pytest.fixture(scope="module")
def fixture_store() -> Iterator[Store]:
    """The ontology plus a small strategy whose actors are involved in action fields."""
    store = open_store(path=None)
    _load(store, [ROOT / "ontology" / "stadtgraph.ttl", *sorted(FIXTURES.glob("*.ttl"))])
    yield store
    store.close()


@cache
def data() -> Graph:
    """The Kassel data read independently of the store, to derive expected answers."""
    graph = Graph()
    for path in sorted((ROOT / "data").rglob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def run(store: Store, name: str, **params: str) -> list[Row]:
    query = get_query(name)
    return store.select(query.sparql, query.bindings(params)).rows


def iris(rows: list[Row], column: str) -> list[str]:
    return [str(row[column]) for row in rows if column in row]


def text(row: Row, column: str) -> str:
    return str(row.get(column, ""))


def sg(term: str) -> URIRef:
    return URIRef(SG + term)


def question(n: int) -> URIRef:
    return URIRef(f"{ID}question/frage-{n}")


def answering(n: int) -> set[str]:
    return {str(s) for s in data().subjects(sg("answers"), question(n))}


def statements_of_meeting() -> set[str]:
    return {str(s) for s in data().subjects(sg("madeInMeeting"), URIRef(MEETING))}


def involvements() -> set[URIRef]:
    return set(data().subjects(RDF.type, sg("Involvement")))  # type: ignore[arg-type]


def query_body(query: NamedQuery) -> str:
    """The query text without comment lines (the header and inline comments)."""
    return "\n".join(
        line for line in query.sparql.splitlines() if not line.lstrip().startswith("#")
    )


def required_bindings(query: NamedQuery) -> dict[str, str]:
    return {
        p.name: REQUIRED_VALUES[(query.name, p.name)] for p in query.parameters if not p.optional
    }


# --- headers and parameters ----------------------------------------------------------------------


def test_every_expected_query_exists() -> None:
    assert not EXPECTED_QUERIES - {query.name for query in all_queries()}


@pytest.mark.parametrize("query", all_queries(), ids=lambda q: q.name)
def test_header_has_titles_and_descriptions_in_german_and_english(query: NamedQuery) -> None:
    for language in ("de", "en"):
        assert query.titles.get(language, "").strip(), f"{query.name}: no title@{language}"
        assert query.descriptions.get(language, "").strip(), (
            f"{query.name}: no description@{language}"
        )
    assert query.titles["de"] != query.titles["en"]
    assert query.descriptions["de"] != query.descriptions["en"]


@pytest.mark.parametrize("query", all_queries(), ids=lambda q: q.name)
def test_declared_parameters_appear_as_variables(query: NamedQuery) -> None:
    body = query_body(query)
    for parameter in query.parameters:
        assert re.search(rf"[?$]{re.escape(parameter.name)}\b", body), (
            f"{query.name}: parameter {parameter.name!r} is not a variable of the query"
        )


def test_declared_parameters_are_as_specified() -> None:
    def declared(name: str) -> list[tuple[str, str, bool]]:
        return [(p.name, p.kind, p.optional) for p in get_query(name).parameters]

    assert declared("involvement-by-actor") == [("actor", "iri", True)]
    assert declared("involvement-by-action-field") == [("field", "iri", True)]
    assert declared("involvement-by-topic") == [("topic", "iri", True)]
    assert declared("actors-of-type") == [("type", "iri", False)]
    assert declared("provenance") == [("resource", "iri", False)]
    assert declared("shared-actors") == [("field_a", "iri", False), ("field_b", "iri", False)]
    assert declared("meeting-statements") == [("meeting", "iri", True)]
    for n in range(1, 9):
        assert declared(f"frage-{n}") == []


@pytest.mark.parametrize("query", all_queries(), ids=lambda q: q.name)
def test_every_parameter_is_explained_in_german_and_english(query: NamedQuery) -> None:
    for parameter in query.parameters:
        assert parameter.help_in("en") == parameter.help
        assert parameter.help_in("de") != parameter.help, (query.name, parameter.name)


def test_help_for_an_undeclared_parameter_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text("# param a (iri): the a\n# param@de b: das b\nSELECT * WHERE { ?a ?p ?o }\n")
    with pytest.raises(ValueError, match="help for 'b'"):
        parse_query_file(path)


@pytest.mark.parametrize("query", all_queries(), ids=lambda q: q.name)
def test_query_is_standard_sparql_with_and_without_bound_values(query: NamedQuery) -> None:
    """rdflib's parser agrees, so the text also suits the remote stores."""
    values = {p.name: REQUIRED_VALUES.get((query.name, p.name), GLH) for p in query.parameters}
    prepareQuery(with_bindings(query.sparql, query.bindings(values)))


@pytest.mark.parametrize("query", all_queries(), ids=lambda q: q.name)
def test_query_runs_on_the_kassel_graph(kassel: Store, query: NamedQuery) -> None:
    result = kassel.select(query.sparql, query.bindings(required_bindings(query)))
    assert result.variables


@pytest.mark.parametrize(
    "query",
    [q for q in all_queries() if any(not p.optional for p in q.parameters)],
    ids=lambda q: q.name,
)
def test_missing_required_parameter_is_refused(query: NamedQuery) -> None:
    with pytest.raises(ParameterError, match="needs the parameter"):
        query.bindings({})


# --- injection ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", [q for q in all_queries() if q.parameters], ids=lambda q: q.name)
@pytest.mark.parametrize("attack", INJECTIONS)
def test_injected_parameter_value_is_rejected(query: NamedQuery, attack: str) -> None:
    for parameter in query.parameters:
        values = {**required_bindings(query), parameter.name: attack}
        with pytest.raises(ParameterError):
            query.bindings(values)


@pytest.mark.parametrize("query", [q for q in all_queries() if q.parameters], ids=lambda q: q.name)
def test_injected_value_that_reaches_the_store_is_harmless(
    kassel: Store, query: NamedQuery
) -> None:
    """Past the parameter check, the store's binding escapes or refuses what could break out."""
    before = kassel.count()
    for parameter in query.parameters:
        bindings: dict[str, Node] = {
            name: URIRef(value) for name, value in required_bindings(query).items()
        }
        # As a literal the text is quoted and escaped: it matches nothing and changes nothing.
        bindings[parameter.name] = Literal("> } ; DROP ALL #")
        assert kassel.select(query.sparql, bindings).rows == []
        # As an IRI it cannot even be written into the query.
        bindings[parameter.name] = URIRef("https://example.org/a> } ; DROP ALL #")
        with pytest.raises(ValueError, match="does not allow"):
            kassel.select(query.sparql, bindings)
    assert kassel.count() == before


# --- the eight questions -----------------------------------------------------------------------


@pytest.mark.parametrize("n", range(1, 9))
def test_frage_returns_exactly_the_answering_statements_in_order(kassel: Store, n: int) -> None:
    rows = run(kassel, f"frage-{n}")
    statements = iris(rows, "statement")
    assert set(statements) == answering(n)
    assert len(statements) == len(set(statements)), "one row per statement"
    positions = [int(row["position"]) for row in rows]  # type: ignore[call-overload]
    assert positions == sorted(positions)


@pytest.mark.parametrize("n", range(1, 9))
def test_frage_rows_carry_speaker_meeting_source_caveat_and_status(kassel: Store, n: int) -> None:
    status = data().value(question(n), sg("answerStatus"))
    assert status is not None
    text_de = data().value(question(n), URIRef("https://schema.org/text"))
    for row in run(kassel, f"frage-{n}"):
        assert text(row, "quote")
        assert row["quote"].language == "de"  # type: ignore[union-attr]
        assert text(row, "paraphraseEn")
        assert text(row, "speaker") in {LORD_MAYOR, ID + "org/seniorenbeirat"}
        assert text(row, "speakerLabel")
        assert text(row, "meeting") == MEETING
        assert text(row, "meetingDate") == "2019-03-06"
        assert text(row, "source") == NOTES
        assert text(row, "sourceLabel").startswith("Notizen aus dem Ausschuss")
        assert text(row, "caveat") == "ohne Gewähr"
        assert text(row, "question") == str(question(n))
        assert text(row, "questionText") == str(text_de)
        assert row["answerStatus"] == status
        assert text(row, "answerStatusLabel") in {"beantwortet", "teilweise beantwortet", "offen"}


def test_frage_1_has_the_smart_city_definition_and_the_confirmation(kassel: Store) -> None:
    rows = {text(row, "statement"): row for row in run(kassel, "frage-1")}
    definition = rows[ID + "statement/s01-smart-city"]
    assert "clevere intelligente Stadt" in text(definition, "quote")
    assert text(definition, "speaker") == LORD_MAYOR
    confirmation = rows[ID + "statement/s34-ob-bestaetigt"]
    assert text(confirmation, "quote") == "Der Oberbürgermeister bestätigt dies."
    assert "integriertes, zukunftsorientiertes Konzept" in text(confirmation, "paraphraseDe")


def test_frage_2_says_there_was_no_overall_strategy_before(kassel: Store) -> None:
    quotes = [text(row, "quote") for row in run(kassel, "frage-2")]
    assert "Bisher habe es keine Gesamtstrategie der Stadt Kassel gegeben." in quotes
    assert any("Gesamtstrategie werde gerade erarbeitet" in quote for quote in quotes)


def test_frage_3_names_the_three_action_fields(kassel: Store) -> None:
    rows = {text(row, "statement"): row for row in run(kassel, "frage-3")}
    fields = text(rows[ID + "statement/s05-drei-handlungsfelder"], "quote")
    for field in (
        "Lebensqualität, Wohnen und Mobilität",
        "Arbeit, Wirtschaft, Bildung",
        "Digitalisierung an sich",
    ):
        assert field in fields


def test_frage_4_returns_glh_sparkassen_kvv_and_gwg(kassel: Store) -> None:
    rows = run(kassel, "frage-4")
    assert iris(rows, "statement") == [ID + "statement/s22-staedtische-betriebe-eingebunden"]
    (row,) = rows
    assert set(text(row, "actors").split()) == {GLH, SPARKASSEN, KVV, GWG}
    entries = text(row, "actorsDe").split(" · ")
    assert sorted(entries) == [
        "GLH (eingebunden, Telemedizin)",
        "GWG (eingebunden, Smartes Wohnen am Eichendorff)",
        "KVV (eingebunden)",
        "Sparkassen (eingebunden)",
    ]
    assert "GLH (integrated, Telemedicine)" in text(row, "actorsEn")
    assert text(row, "answerStatus") == SG + "PartlyAnswered"
    assert "Zum Beispiel" in text(row, "editorialNote")


def test_frage_5_returns_the_departments_working_groups_and_staff(kassel: Store) -> None:
    rows = run(kassel, "frage-5")
    actors = {actor for row in rows for actor in text(row, "actors").split()}
    assert actors == {
        ID + "group/alle-aemter",
        ID + "group/arbeitsgruppen-der-aemter",
        ID + "org/verwaltung",
        ID + "group/mitarbeitende-der-verwaltung",
    }
    entries = " · ".join(text(row, "actorsDe") for row in rows)
    assert "Alle Ämter der Stadtverwaltung Kassel (beteiligt)" in entries
    assert "Arbeitsgruppen der Ämter (beteiligt)" in entries
    assert any("(3500 Mitarbeiter)" in text(row, "quote") for row in rows)


def test_frage_6_includes_no_fixed_timetable(kassel: Store) -> None:
    rows = {text(row, "statement"): row for row in run(kassel, "frage-6")}
    row = rows[ID + "statement/s25-kein-fester-zeitplan"]
    assert "Einen festen Zeitplan könne man nicht beschreiben" in text(row, "quote")
    assert text(row, "answerStatus") == SG + "Answered"


def test_frage_7_names_the_city_council(kassel: Store) -> None:
    rows = run(kassel, "frage-7")
    assert any("Stadtverordnetenversammlung" in text(row, "quote") for row in rows)
    assert COUNCIL in {actor for row in rows for actor in text(row, "actors").split()}
    assert any(
        "Stadtverordnetenversammlung der Stadt Kassel (entscheidet über die Mittel)"
        in text(row, "actorsDe")
        for row in rows
    )


def test_frage_8_mentions_the_115_service_number(kassel: Store) -> None:
    rows = run(kassel, "frage-8")
    assert any("Servicetelefonnummer 115" in text(row, "quote") for row in rows)
    assert any("gemeinschaftliche Entwicklung von Strategien" in text(row, "quote") for row in rows)
    # The places the Lord Mayor refers to answer question 1, not question 8.
    assert ID + "statement/s19-verweis-wien-tallinn-israel-italien" not in iris(rows, "statement")


# --- inquiry tracker ---------------------------------------------------------------------------


def test_inquiry_tracker_lists_the_eight_questions(kassel: Store) -> None:
    rows = run(kassel, "inquiry-tracker")
    assert [int(row["number"]) for row in rows] == list(range(1, 9))  # type: ignore[call-overload]
    for n, row in enumerate(rows, start=1):
        assert text(row, "question") == str(question(n))
        assert text(row, "inquiry") == INQUIRY
        assert text(row, "text") == str(
            data().value(question(n), URIRef("https://schema.org/text"))
        )
        assert text(row, "textEn")
        assert row["answerStatus"] == data().value(question(n), sg("answerStatus"))
        assert text(row, "justification")
        assert text(row, "justificationEn")
        assert int(row["statementCount"]) == len(answering(n))  # type: ignore[call-overload]
    statuses = {int(row["number"]): text(row, "answerStatusLabel") for row in rows}  # type: ignore[call-overload]
    assert statuses[6] == "beantwortet"
    assert statuses[4] == "teilweise beantwortet"


def test_inquiry_tracker_takes_an_inquiry(kassel: Store) -> None:
    assert len(run(kassel, "inquiry-tracker", inquiry=INQUIRY)) == 8
    assert run(kassel, "inquiry-tracker", inquiry=ID + "doc/no-such-inquiry") == []


# --- meeting statements ------------------------------------------------------------------------


def test_meeting_statements_lists_the_session_in_order(kassel: Store) -> None:
    rows = run(kassel, "meeting-statements", meeting=MEETING)
    assert set(iris(rows, "statement")) == statements_of_meeting()
    assert len(rows) == len(statements_of_meeting())
    positions = [int(row["position"]) for row in rows]  # type: ignore[call-overload]
    assert positions == list(range(1, len(rows) + 1))
    by_statement = {text(row, "statement"): row for row in rows}
    assert text(by_statement[ID + "statement/s16-auftakt-letztes-jahr"], "questionNumbers") == (
        "3, 6"
    )
    reply = by_statement[ID + "statement/s34-ob-bestaetigt"]
    assert text(reply, "repliesTo") == ID + "statement/s33-nachfrage-seniorenbeirat"
    follow_up = by_statement[ID + "statement/s33-nachfrage-seniorenbeirat"]
    assert text(follow_up, "speaker") == ID + "org/seniorenbeirat"
    assert "questions" not in follow_up
    assert {text(row, "meetingDate") for row in rows} == {"2019-03-06"}


def test_meeting_statements_without_a_meeting_lists_all(kassel: Store) -> None:
    assert run(kassel, "meeting-statements") == run(kassel, "meeting-statements", meeting=MEETING)
    assert run(kassel, "meeting-statements", meeting=ID + "meeting/no-such-meeting") == []


# --- involvement -------------------------------------------------------------------------------


def test_involvement_by_actor_without_actor_lists_every_involvement(kassel: Store) -> None:
    rows = run(kassel, "involvement-by-actor")
    assert {URIRef(i) for i in iris(rows, "involvement")} == involvements()
    assert len(rows) == len(involvements())
    for row in rows:
        assert text(row, "role").startswith(SG)
        assert text(row, "roleLabel")
        assert text(row, "target")
        assert text(row, "asOf") == "2019-03-06"
        assert text(row, "statement").startswith(ID + "statement/")
        assert text(row, "quote")
        assert text(row, "caveat") == "ohne Gewähr"


def test_involvement_by_actor_for_kvv(kassel: Store) -> None:
    (row,) = run(kassel, "involvement-by-actor", actor=KVV)
    assert text(row, "actorLabel") == "KVV"
    assert text(row, "role") == SG + "Integrated"
    assert text(row, "roleLabel") == "eingebunden"
    assert text(row, "target") == STRATEGY
    assert text(row, "statement") == ID + "statement/s22-staedtische-betriebe-eingebunden"
    assert "der KVV" in text(row, "quote")
    assert text(row, "meetingDate") == "2019-03-06"


def test_involvement_by_actor_gives_the_topic_glh_is_named_with(kassel: Store) -> None:
    (row,) = run(kassel, "involvement-by-actor", actor=GLH)
    assert text(row, "regarding") == ID + "topic/telemedizin"
    assert text(row, "regardingLabel") == "Telemedizin"


@pytest.mark.parametrize(
    ("name", "parameter", "column"),
    [
        ("involvement-by-actor", "actor", "actor"),
        ("involvement-by-topic", "topic", "topic"),
        ("meeting-statements", "meeting", "meeting"),
    ],
)
def test_optional_parameter_selects_a_part_of_the_unbound_answer(
    kassel: Store, name: str, parameter: str, column: str
) -> None:
    everything = run(kassel, name)
    assert everything
    for value in sorted(set(iris(everything, column))):
        part = run(kassel, name, **{parameter: value})
        expected = [row for row in everything if text(row, column) == value]
        assert sorted(map(sorted_items, part)) == sorted(map(sorted_items, expected))


def sorted_items(row: Mapping[str, Node]) -> list[tuple[str, str]]:
    return sorted((key, str(value)) for key, value in row.items())


def test_involvement_by_topic_finds_the_topics_the_notes_attach(kassel: Store) -> None:
    rows = run(kassel, "involvement-by-topic")
    found = {(text(row, "topic"), text(row, "actor"), text(row, "relation")) for row in rows}
    assert found == {
        (ID + "topic/telemedizin", GLH, "Bezug"),
        (ID + "topic/smartes-wohnen-am-eichendorff", GWG, "Bezug"),
    }
    (row,) = run(kassel, "involvement-by-topic", topic=ID + "topic/telemedizin")
    assert text(row, "target") == STRATEGY
    assert text(row, "relationEn") == "regarding"


def test_involvement_by_action_field_matches_the_kassel_data(kassel: Store) -> None:
    """The Kassel notes assign no actor to a single action field; the query must not invent one."""
    fields = set(data().subjects(RDF.type, sg("ActionField")))
    expected = {str(i) for i in involvements() if data().value(i, sg("target")) in fields}
    assert set(iris(run(kassel, "involvement-by-action-field"), "involvement")) == expected
    for field in fields:
        rows = run(kassel, "involvement-by-action-field", field=str(field))
        assert set(iris(rows, "involvement")) == {
            i for i in expected if data().value(URIRef(i), sg("target")) == field
        }


def test_involvement_by_action_field_on_the_fixture(fixture_store: Store) -> None:
    rows = run(fixture_store, "involvement-by-action-field", field=EX + "mobility")
    assert sorted(iris(rows, "actor")) == [EX + "bridge", EX + "mobility-only"]
    assert {text(row, "roleLabel") for row in rows} == {"eingebunden"}
    assert {text(row, "fieldLabel") for row in rows} == {"Mobilität"}
    everything = run(fixture_store, "involvement-by-action-field")
    assert len(everything) == 5  # the strategy and the "regarding" involvement do not count
    assert EX + "regarding-only" not in iris(everything, "actor")


# --- actors of a type --------------------------------------------------------------------------


def test_actors_of_type_municipal_enterprise(kassel: Store) -> None:
    rows = run(kassel, "actors-of-type", type=SG + "MunicipalEnterprise")
    found = {text(row, "actor"): (text(row, "label"), row["group"].toPython()) for row in rows}  # type: ignore[union-attr]
    assert found == {
        GLH: ("GLH", False),
        KVV: ("KVV", False),
        GWG: ("GWG", False),
        SPARKASSEN: ("Sparkassen", True),  # named only as a group: "die Sparkassen"
    }


def test_actors_of_type_includes_subclasses(kassel: Store) -> None:
    rows = run(kassel, "actors-of-type", type=SG + "DeliberativeBody")
    assert set(iris(rows, "actor")) == {
        ID + "org/magistrat",
        COUNCIL,
        ID + "org/ausschuss-finanzen-wirtschaft-grundsatzfragen",
        ID + "org/seniorenbeirat",
    }
    assert all(text(row, "labelEn") for row in rows)
    units = run(kassel, "actors-of-type", type=ORG + "OrganizationalUnit")
    actors = iris(units, "actor")
    assert len(actors) == len(set(actors)), "one row per actor"
    assert {ID + "org/verwaltung", ID + "org/magistrat", ID + "group/alle-aemter"} <= set(actors)


def test_actors_of_type_department_gives_the_group_not_invented_departments(
    kassel: Store,
) -> None:
    (row,) = run(kassel, "actors-of-type", type=SG + "Department")
    assert text(row, "actor") == ID + "group/alle-aemter"
    assert row["group"].toPython() is True  # type: ignore[union-attr]


def test_actors_of_type_leaves_out_who_only_reviews_links(kassel: Store) -> None:
    actors = iris(run(kassel, "actors-of-type", type=str(PROV.Agent)), "actor")
    assert "https://w3id.org/stadtgraph/id/agent/stadtgraph-projekt" not in actors
    assert len(actors) == len(set(actors)), "one row per actor, groups included"
    assert {GLH, COUNCIL, ID + "group/alle-aemter"} <= set(actors)


def test_actors_of_type_leaves_out_who_only_publishes_a_source(kassel: Store) -> None:
    actors = iris(run(kassel, "actors-of-type", type=str(PROV.Agent)), "actor")
    assert ID + "org/statistisches-bundesamt" not in actors
    assert ID + "org/stadt-kassel" in actors


def test_actors_of_type_marks_a_group_as_such_in_every_list(kassel: Store) -> None:
    def groups(type_iri: str) -> dict[str, bool]:
        rows = run(kassel, "actors-of-type", type=type_iri)
        return {text(row, "actor"): row["group"].toPython() for row in rows}  # type: ignore[union-attr]

    agents = groups(str(PROV.Agent))
    for group, kind in (
        ("group/alle-aemter", ORG + "OrganizationalUnit"),
        ("org/sparkassen", SG + "MunicipalEnterprise"),
    ):
        assert agents[ID + group] is True
        assert groups(kind)[ID + group] is True
    assert agents[GLH] is False


# --- the surrounding municipalities ---------------------------------------------------------------


def test_surrounding_municipalities_are_those_of_the_session_day(kassel: Store) -> None:
    rows = run(kassel, "surrounding-municipalities")
    found = {text(row, "label"): text(row, "ags") for row in rows}
    assert len(rows) == len(found) == 29
    assert found["Oberweser"] == "06633021" and found["Wahlsburg"] == "06633027"
    assert "Wesertal" not in found  # formed from the two after 6 March 2019
    assert "Kassel" not in found  # the city itself
    assert {text(row, "district") for row in rows} == {ID + "place/landkreis-kassel"}


# --- provenance --------------------------------------------------------------------------------


def test_provenance_of_glh_reaches_the_source_text(kassel: Store) -> None:
    rows = run(kassel, "provenance", resource=GLH)
    steps = [(text(row, "derived"), text(row, "source")) for row in rows]
    statement = ID + "statement/s22-staedtische-betriebe-eingebunden"
    assert steps == [(GLH, statement), (statement, NOTES), (NOTES, SOURCE_TEXT)]
    assert [row["root"].toPython() for row in rows] == [False, False, True]  # type: ignore[union-attr]
    assert [text(row, "caveat") for row in rows] == ["ohne Gewähr", "ohne Gewähr", ""]
    assert "Zum Beispiel die GLH (Telemedizin)" in text(rows[0], "quote")
    assert text(rows[1], "sourceLabel").startswith("Notizen aus dem Ausschuss")
    assert text(rows[2], "sourceLabelEn").startswith("Inquiry")


def test_provenance_of_every_statement_ends_in_the_source_text(kassel: Store) -> None:
    for statement in sorted(statements_of_meeting()):
        rows = run(kassel, "provenance", resource=statement)
        roots = {text(row, "source") for row in rows if row["root"].toPython()}  # type: ignore[union-attr]
        assert roots == {SOURCE_TEXT}, statement


def test_provenance_of_a_merged_municipality_names_the_reference_notes(kassel: Store) -> None:
    rows = run(kassel, "provenance", resource=ID + "municipality/06633021")  # Oberweser
    assert {text(row, "source") for row in rows} == {ID + "source/projektreferenz"}
    assert run(kassel, "provenance", resource=SOURCE_TEXT) == []  # a root has no provenance


def test_provenance_follows_every_derivation_in_the_data(kassel: Store) -> None:
    glh_chain = {
        str(o)
        for o in data().transitiveClosure(
            lambda node, _: data().objects(node, PROV.wasDerivedFrom), URIRef(GLH)
        )
    }
    rows = run(kassel, "provenance", resource=GLH)
    assert {text(row, "source") for row in rows} == glh_chain


# --- shared actors -----------------------------------------------------------------------------


def test_shared_actors_on_the_fixture(fixture_store: Store) -> None:
    rows = run(fixture_store, "shared-actors", field_a=EX + "mobility", field_b=EX + "education")
    assert iris(rows, "actor") == [EX + "bridge"]
    (row,) = rows
    assert text(row, "actorLabel") == "Brückenbetrieb"
    assert text(row, "field_aLabel") == "Mobilität"
    assert text(row, "field_bLabel") == "Bildung"
    assert text(row, "roleALabel") == "eingebunden"
    assert text(row, "roleBLabel") == "beteiligt"
    assert text(row, "statementA") == EX + "statement"
    reverse = run(fixture_store, "shared-actors", field_a=EX + "education", field_b=EX + "mobility")
    assert iris(reverse, "actor") == [EX + "bridge"]


def test_shared_actors_none_and_same_field(fixture_store: Store) -> None:
    assert (
        run(fixture_store, "shared-actors", field_a=EX + "mobility", field_b=EX + "housing") == []
    )
    same = run(fixture_store, "shared-actors", field_a=EX + "mobility", field_b=EX + "mobility")
    assert sorted(iris(same, "actor")) == [EX + "bridge", EX + "mobility-only"]


def test_shared_actors_on_kassel_is_empty_like_the_data(kassel: Store) -> None:
    """No Kassel involvement targets an action field, so no actor can be shared."""
    fields = sorted(str(f) for f in data().subjects(RDF.type, sg("ActionField")))
    assert len(fields) == 3
    for field_a in fields:
        for field_b in fields:
            assert run(kassel, "shared-actors", field_a=field_a, field_b=field_b) == []


def test_query_descriptions_name_the_committee_as_the_data_does() -> None:
    # The English name is a translation; a description must not give another than the data.
    administration = (ROOT / "data" / "kassel" / "administration.ttl").read_text(encoding="utf-8")
    (english,) = re.findall(r'"(Committee for [^"]+)"@en', administration)
    for path in sorted((ROOT / "queries").glob("*.rq")):
        for named in re.findall(
            r"Committee for [A-Z][\w ,]*?(?= on | in |\.|\))", path.read_text(encoding="utf-8")
        ):
            assert named == english, path.name


def test_the_ontology_readmes_example_queries_give_the_rows_it_says(kassel: Store) -> None:
    readme = (ROOT / "ontology" / "README.md").read_text(encoding="utf-8")
    examples = re.findall(
        r"^\*\*(\d)\. [^\n]*?(?:\(|; )(\d+) rows(?:(?!\n\*\*\d).)*?```sparql\n(.*?)```",
        readme,
        re.S | re.M,
    )
    assert [number for number, _, _ in examples] == ["1", "2", "3", "4", "5"]
    for number, rows, sparql in examples:
        assert len(kassel.select(sparql).rows) == int(rows), f"example {number}"
