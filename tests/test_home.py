"""The home page, the inquiry tracker and the editor's vocabulary, through the Flask client.

Two stores: the whole Kassel graph (real counts and the real inquiry), and a small invented
fixture with the ontology (an action field somebody is involved in, an open and an
unassessed question, labels that try to inject markup).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from service.app import create_app
from service.inquiry import load_inquiries
from service.overview import TILE_TYPES, build_overview
from service.project import project_files
from service.store import RdfFormat, Store, open_store
from service.vocabulary import long_date

from .graph_fixtures import kassel_store_loaded

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "data" / "home" / "strategy.ttl"
EX = "https://example.org/stadtgraph-home/"
SG = "https://w3id.org/stadtgraph/ontology#"


@pytest.fixture(scope="module")
def kassel_store() -> Iterator[Store]:
    store = kassel_store_loaded()
    yield store
    store.close()


@pytest.fixture(scope="module")
def fixture_store() -> Iterator[Store]:
    store = open_store(path=None)
    store.load(ROOT / "ontology" / "stadtgraph.ttl", RdfFormat.TURTLE, "urn:test:ontology")
    store.load(FIXTURE, RdfFormat.TURTLE, "urn:test:home")
    yield store
    store.close()


def _app(store: Store) -> Flask:
    return create_app({"TESTING": True, "STORE": ":memory:"}, store=store)


@pytest.fixture
def kassel(kassel_store: Store) -> FlaskClient:
    return _app(kassel_store).test_client()


@pytest.fixture
def small(fixture_store: Store) -> FlaskClient:
    return _app(fixture_store).test_client()


def html(client: FlaskClient, path: str, **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def tile_counts(page: str) -> dict[str, int]:
    pattern = r'class="tile tile-(\w+)">\s*<a href="[^"]*">\s*<span class="tile-count">(\d+)<'
    return {key: int(count) for key, count in re.findall(pattern, page)}


def section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    end = page.find("<section", start)
    return page[start : end if end > 0 else len(page)]


# -- counts and tiles -------------------------------------------------------------------------


SG_REVIEWER = URIRef("https://w3id.org/stadtgraph/ontology#reviewer")
SG_GROUP_OF = URIRef(SG + "groupOf")
SG_AS_OF = URIRef("https://w3id.org/stadtgraph/ontology#asOf")
SG_MEETING = URIRef("https://w3id.org/stadtgraph/ontology#Meeting")
SCHEMA_START = URIRef("https://schema.org/startDate")


def expected_counts(paths: list[Path]) -> dict[str, int]:
    """Count each tile's type with rdflib, independently of the store and its SPARQL."""
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    governed = set(graph.objects(None, DCTERMS.spatial))
    counts = {}
    for tile in TILE_TYPES:
        classes = set(graph.transitive_subjects(RDFS.subClassOf, URIRef(tile.class_iri)))
        members = {
            s
            for s, _, c in graph.triples((None, RDF.type, None))
            if c in classes and isinstance(s, URIRef)
        }
        if tile.key == "municipalities":
            # Not the city itself, and as they stood on a meeting's day where the data says.
            meeting_days = {
                day
                for m in graph.subjects(RDF.type, SG_MEETING)
                for day in graph.objects(m, SCHEMA_START)
            }
            members = {
                m
                for m in members - governed
                if not set(graph.objects(m, SG_AS_OF))
                or set(graph.objects(m, SG_AS_OF)) & meeting_days
            }
        # A group (named only collectively) is counted apart from the members, in every tile.
        members -= set(graph.subjects(SG_GROUP_OF, None))
        if tile.key == "actors":
            members -= set(graph.objects(None, SG_REVIEWER))
            # Named only as a source's publisher, with no involvement and no statement.
            statements = set(graph.subjects(RDF.type, URIRef(SG + "Statement")))
            involved = set(graph.objects(None, PROV.agent))
            named = {o for s, _, o in graph if s in statements}
            members -= set(graph.objects(None, DCTERMS.publisher)) - involved - named
        counts[tile.key] = len(members)
    return counts


def test_tiles_count_the_kassel_graph(kassel: FlaskClient) -> None:
    counts = tile_counts(html(kassel, "/"))
    turtle = [p for p in project_files() if p.suffix == ".ttl"]
    assert counts == expected_counts(turtle)
    # What the README of the ontology and the notes say, whatever else the graph gains.
    assert counts["action_fields"] == 3
    assert counts["enterprises"] == 3
    # Not the project, which reviews links, nor the Federal Statistical Office, which only
    # publishes the municipality register; "alle Ämter", "die Sparkassen" and three more
    # collective names are groups beside these.
    assert counts["actors"] == 11
    # The district on 6 March 2019: with Oberweser and Wahlsburg, without Wesertal (later).
    assert counts["municipalities"] == 29
    assert counts["topics"] >= 10


def test_tiles_count_subclasses_and_leave_out_the_city_itself(small: FlaskClient) -> None:
    counts = tile_counts(html(small, "/"))
    # The committee is only typed sg:Committee (a unit through the ontology); of the two
    # municipalities one is governed by a body in the data, so it is not a partner.
    assert counts == {
        "actors": 4,
        "units": 1,
        "enterprises": 1,
        "municipalities": 1,
        "action_fields": 2,
        "topics": 1,
        "documents": 2,
    }


@pytest.mark.parametrize("client_name", ["kassel", "small"])
def test_each_tile_counts_the_rows_of_the_list_it_links_to(
    client_name: str, request: pytest.FixtureRequest
) -> None:
    # What a reader sees on following a tile: as many rows as the tile says, plus the groups
    # it mentions (rows marked `group`).
    client: FlaskClient = request.getfixturevalue(client_name)
    page = html(client, "/")
    tiles = re.findall(
        r'class="tile tile-(\w+)">\s*<a href="([^"]*)">\s*<span class="tile-count">(\d+)<'
        r"(.*?)</li>",
        page,
        re.S,
    )
    assert len(tiles) == len(TILE_TYPES)
    for key, href, count, rest in tiles:
        groups = re.search(r'class="tile-note tile-groups">und (\w+) Gruppe', rest)
        words = {"eine": 1}
        group_count = 0 if groups is None else words.get(groups[1]) or int(groups[1])
        listed = client.get(
            href.replace("&amp;", "&").replace("?", ".json?", 1) if "?" in href else href + ".json"
        )
        assert listed.status_code == 200, (key, href, listed.get_data(as_text=True))
        rows = listed.get_json()["results"]["bindings"]
        marked = [r for r in rows if r.get("group", {}).get("value") == "true"]
        assert (len(rows), len(marked)) == (int(count) + group_count, group_count), key


def test_each_tile_links_to_the_list_of_its_type(small: FlaskClient) -> None:
    page = html(small, "/")
    assert "/queries/actors-of-type?type=https://w3id.org/stadtgraph/ontology%23ActionField" in page
    assert "/queries/actors-of-type?type=http://www.w3.org/ns/prov%23Agent" in page


# -- action fields and actors -------------------------------------------------------------------


def test_kassel_action_fields_say_that_the_source_assigns_no_actor(kassel: FlaskClient) -> None:
    fields = section(html(kassel, "/"), "fields-title")
    for name in (
        "Lebensqualität, Wohnen und Mobilität",
        "Arbeit, Wirtschaft, Bildung",
        "Digitalisierung an sich",
    ):
        assert name in fields
    assert fields.count("Die Quelle ordnet diesem Handlungsfeld keinen Akteur zu.") == 3
    # Who is involved in the strategy the fields belong to, with the source's words.
    assert "Beteiligt an der Strategie als Ganzer" in fields
    assert "Gesamtstrategie der Stadt Kassel" in fields
    for actor in ("GLH", "KVV", "GWG", "Sparkassen"):
        assert f">{actor}</a>" in fields
    assert "Alle Ämter seien mit Arbeitsgruppen beteiligt" in fields


def test_the_strategys_involvements_link_to_a_table_that_lists_them(kassel: FlaskClient) -> None:
    fields = section(html(kassel, "/"), "fields-title")
    # The action fields' query comes right after the fields (for Kassel it has no rows); the
    # involvements in the strategy as a whole link to the query that lists them.
    assert fields.index("/sparql?named=involvement-by-action-field") < fields.index(
        "Beteiligt an der Strategie als Ganzer"
    )
    assert '<a href="/queries/involvement-by-actor">' in fields
    table = kassel.get("/queries/involvement-by-actor.csv").get_data(as_text=True)
    shown = re.findall(r'class="who"><a href="[^"]*"[^>]*>([^<]+)</a>', fields)
    assert shown and all(actor in table for actor in shown)


def test_an_action_field_with_an_involvement_shows_who(small: FlaskClient) -> None:
    fields = section(html(small, "/"), "fields-title")
    mobility = fields[fields.index("Mobilität im Test") : fields.index("Wohnen im Test")]
    assert "&lt;script&gt;alert(&#39;home&#39;)&lt;/script&gt;" in mobility
    assert "eingebunden" in mobility
    assert "keinen Akteur" not in mobility
    housing = fields[fields.index("Wohnen im Test") :]
    assert "Die Quelle ordnet diesem Handlungsfeld keinen Akteur zu." in housing


def test_most_involved_actors_are_ranked_by_involvements_then_statements(
    kassel_store: Store,
) -> None:
    ranks = build_overview(kassel_store).top_actors
    assert len(ranks) == 10
    first = ranks[0]
    assert first.actor.iri.endswith("/person/oberbuergermeister-2019-03-06")
    assert first.involvements == max(r.involvements for r in ranks)
    assert first.statements == max(r.statements for r in ranks) > 30
    keys = [(-r.involvements, -r.statements) for r in ranks]
    assert keys == sorted(keys)


# -- escaping -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/inquiry", "/?lang=en", "/inquiry?lang=en"])
def test_labels_from_the_data_are_escaped(small: FlaskClient, path: str) -> None:
    page = html(small, path)
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "</blockquote><script>" not in page
    assert "<b>Bold</b>" not in page


def test_the_inquiry_shows_a_quote_with_markup_as_text(small: FlaskClient) -> None:
    page = html(small, "/inquiry")
    assert (
        "Die Testwerke seien dabei &lt;/blockquote&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page
    )
    assert "Die Testwerke machen mit &lt;img src=x onerror=alert(1)&gt;" in page


# -- languages ----------------------------------------------------------------------------------


def test_german_is_the_default(small: FlaskClient) -> None:
    page = html(small, "/")
    assert '<html lang="de">' in page
    assert "Wer ist an was beteiligt?" in page
    assert "Mobilität im Test" in page
    assert "Der Graph in Zahlen" in page


def test_english_with_lang_en(small: FlaskClient) -> None:
    page = html(small, "/?lang=en")
    assert '<html lang="en">' in page
    assert "Who is involved in what?" in page
    assert "Mobility under test" in page
    assert "The source assigns no actor to this action field." in page
    assert "&lt;b&gt;Bold&lt;/b&gt; actor" in page
    inquiry = html(small, "/inquiry?lang=en")
    assert "Question 1" in inquiry and "answered" in inquiry
    assert "Who takes part?" in inquiry


def test_english_from_accept_language(small: FlaskClient) -> None:
    assert "Who is involved in what?" in html(small, "/", **{"Accept-Language": "en-GB,en"})


def test_long_dates_in_both_languages() -> None:
    assert long_date("2019-03-06", "de") == "6. März 2019"
    assert long_date("2019-03-06", "en") == "6 March 2019"
    assert long_date("", "de") == ""
    assert long_date("März", "de") == "März"


# -- the inquiry tracker ------------------------------------------------------------------------


def test_kassel_inquiry_has_eight_questions_with_the_recorded_status(
    kassel: FlaskClient, kassel_store: Store
) -> None:
    page = html(kassel, "/inquiry")
    statuses = re.findall(r'<article class="question" id="frage-(\d)".*?status-(\w+)', page, re.S)
    recorded = {
        str(row["question"]).rsplit("-", 1)[-1]: str(row["status"]).rsplit("#", 1)[-1]
        for row in kassel_store.select(
            "PREFIX sg: <https://w3id.org/stadtgraph/ontology#> "
            "SELECT ?question ?status WHERE { ?question sg:answerStatus ?status }"
        )
    }
    css = {"Answered": "answered", "PartlyAnswered": "partly", "Open": "open"}
    assert len(statuses) == 8
    assert dict(statuses) == {number: css[status] for number, status in recorded.items()}
    frage_6 = page[page.index('id="frage-6"') : page.index('id="frage-7"')]
    assert "Kein fester Zeitplan" in frage_6
    assert "Einen festen Zeitplan könne man nicht beschreiben" in frage_6
    assert "ohne Gewähr" in frage_6
    assert "Oberbürgermeister" in frage_6
    assert "/sparql?named=frage-6" in frage_6


def test_a_disputable_answer_carries_the_project_s_note_in_the_reader_s_language(
    kassel: FlaskClient,
) -> None:
    # Which question the traffic-light project answers is the project's reading (statement 21).
    page = html(kassel, "/inquiry")
    assert "Sitzungsnotizen ordnen ihre Sätze meist keiner Frage zu" in page
    frage_1 = page[page.index('id="frage-1"') : page.index('id="frage-2"')]
    answer = frage_1[frage_1.index("Projekt zur Ampelsteuerung") :]
    answer = answer[: answer.index("</li>")]
    assert "Anmerkung des Stadtgraph-Projekts:" in answer
    assert (
        '<span lang="de">Wofür das Projekt ein Beispiel ist, sagen die Notizen nicht ausdrücklich'
        in answer
    )
    english = html(kassel, "/inquiry?lang=en")
    assert "Meeting notes mostly do not assign their sentences to questions" in english
    assert (
        '<span lang="en">The notes do not say explicitly what the project is an example of'
        in english
    )
    # A statement without a note gets none.
    first = frage_1[: frage_1.index("</li>")]
    assert 'class="reading"' not in first


def test_status_comes_from_the_data_not_from_the_answers(small: FlaskClient) -> None:
    page = html(small, "/inquiry")
    q1 = page[page.index('id="frage-1"') : page.index('id="frage-2"')]
    q2 = page[page.index('id="frage-2"') : page.index('id="frage-3"')]
    q3 = page[page.index('id="frage-3"') :]
    assert 'status-answered">beantwortet<' in q1
    assert "Beantwortet: die Testwerke machen mit." in q1
    assert "Testsprecherin" in q1 and "aus dem Zusammenhang" in q1
    assert 'status-open">offen<' in q2
    assert "Die Notizen halten keine Antwort auf diese Frage fest." in q2
    # No assessment in the data: the page says so rather than guessing from the answers.
    assert 'status-unknown">ohne Einschätzung<' in q3


def test_home_summarises_the_inquiry(kassel: FlaskClient) -> None:
    summary = section(html(kassel, "/"), "inquiry-title")
    questions = summary[summary.index('class="inquiry-summary"') :]
    # Question 2 asks about a digitalisation strategy; the notes speak of an overall one.
    assert questions.count('class="status status-answered"') == 3
    assert questions.count('class="status status-partly"') == 5
    assert '3 × <span class="status status-answered">beantwortet</span>' in summary
    assert '5 × <span class="status status-partly">teilweise beantwortet</span>' in summary


def test_load_inquiries_keeps_the_order_of_questions_and_notes(kassel_store: Store) -> None:
    (inquiry,) = load_inquiries(kassel_store)
    assert [q.number for q in inquiry.questions] == list(range(1, 9))
    for question in inquiry.questions:
        positions = [a.position or 0 for a in question.answers]
        assert positions == sorted(positions)
        assert len(question.answers) == question.statement_count


# -- the vocabulary the editor completes from ---------------------------------------------------


def test_vocabulary_serves_prefixes_classes_and_properties_from_the_store(
    kassel: FlaskClient,
) -> None:
    response = kassel.get("/api/vocabulary")
    assert response.status_code == 200
    body = response.get_json()
    assert body["prefixes"]["sg"] == SG
    assert body["prefixes"]["skos"] == "http://www.w3.org/2004/02/skos/core#"
    classes = {term["iri"]: term for term in body["classes"]}
    properties = {term["iri"] for term in body["properties"]}
    assert classes[SG + "ActionField"]["labels"]["de"] == "Handlungsfeld"
    assert classes[SG + "ActionField"]["prefixed"] == "sg:ActionField"
    assert SG + "answerStatus" in properties
    assert "http://www.w3.org/ns/prov#agent" in properties


# -- the editor page ----------------------------------------------------------------------------


def test_editor_page_loads_only_files_from_this_host(kassel: FlaskClient) -> None:
    page = html(kassel, "/sparql", Accept="text/html")
    sources = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', page)
    assert "/vendor/@zazuko/yasgui/build/yasgui.min.js" in sources
    assert "/static/sparql-editor.js" in sources
    assert all(s.startswith("/") or s.startswith("http://localhost/") for s in sources), sources
    assert "prefix.cc" not in page and "lov.linkeddata.es" not in page


def test_editor_offers_the_named_queries_with_their_titles(kassel: FlaskClient) -> None:
    page = html(kassel, "/sparql?named=frage-6&lang=en", Accept="text/html")
    found = re.search(r'id="editor-config">(.*?)</script>', page, re.S)
    assert found is not None
    config = json.loads(found.group(1))
    titles = {example["name"]: example["title"] for example in config["examples"]}
    assert titles["frage-6"].startswith("Question 6:")
    assert "inquiry-tracker" in titles
    assert config["vocabulary"] == "/api/vocabulary"
    assert "VALUES ?question" in config["initial"]
    assert '<option value="frage-6" selected>' in page
    assert "SPARQL editor" in page


# -- a graph of many cities: bounded home page, paged inquiry tracker ---------------------------


def many_cities_turtle(inquiries: int, fields: int, strategies: int) -> str:
    """Inquiries with one question each, action fields and strategies, numbered from 1."""
    lines = [
        "@prefix sg: <https://w3id.org/stadtgraph/ontology#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix schema: <https://schema.org/> .",
        "@prefix x: <urn:x:> .",
    ]
    for n in range(1, inquiries + 1):
        lines.append(f'x:anfrage-{n:02d} a sg:Inquiry ; rdfs:label "Anfrage {n:02d}"@de .')
        lines.append(
            f"x:anfrage-{n:02d}-frage a sg:Question ; dcterms:isPartOf x:anfrage-{n:02d} ; "
            f'schema:position 1 ; schema:text "Frage der Anfrage {n:02d}"@de .'
        )
    for n in range(1, fields + 1):
        lines.append(
            f'x:feld-{n:02d} a sg:ActionField ; rdfs:label "Handlungsfeld {n:02d}"@de ; '
            f"schema:position {n} ."
        )
    for n in range(1, strategies + 1):
        lines.append(
            f'x:strategie-{n:02d} a sg:Strategy ; rdfs:label "Strategie {n:02d}"@de ; '
            f"sg:hasActionField x:feld-{n:02d} ."
        )
    return "\n".join(lines)


@pytest.fixture(scope="module")
def many_store() -> Iterator[Store]:
    store = open_store(path=None)
    store.load(many_cities_turtle(23, 15, 7).encode(), RdfFormat.TURTLE, "urn:test:many")
    yield store
    store.close()


@pytest.fixture
def many(many_store: Store) -> FlaskClient:
    return _app(many_store).test_client()  # a new client each test: no language cookie kept


def test_the_home_page_shows_the_first_few_and_links_to_all(many: FlaskClient) -> None:
    page = html(many, "/")
    fields = section(page, "fields-title")
    assert "Handlungsfeld 12" in fields and "Handlungsfeld 13" not in fields
    assert "Die ersten 12 von 15 Handlungsfeldern" in fields
    assert (  # the list of every action field (each page says who is involved)
        'href="/queries/actors-of-type?type=https://w3id.org/stadtgraph/ontology%23ActionField"'
        in fields
    )
    involved = re.findall(r'class="strategy-involved">.*?>(Strategie \d+)<', fields)
    assert involved == [f"Strategie {n:02d}" for n in range(1, 6)]
    assert "Die ersten 5 von 7 Strategien" in fields
    inquiries = section(page, "inquiry-title")
    assert [f"Anfrage {n:02d}" in inquiries for n in (1, 3, 4)] == [True, True, False]
    assert "20 weitere Anfragen stehen im Anfrage-Tracker." in inquiries
    # questions link to their anchors on the tracker's first page, one anchor per inquiry
    assert 'href="/inquiry#frage-1"' in inquiries
    assert 'href="/inquiry#anfrage-3-frage-1"' in inquiries
    english = html(many, "/?lang=en")
    assert "The first 12 of 15 action fields" in english
    assert "20 more inquiries are in the inquiry tracker." in english


def test_the_inquiry_tracker_is_paged(many: FlaskClient) -> None:
    first = html(many, "/inquiry")
    assert "Anfrage 10" in first and "Anfrage 11" not in first
    assert "Anfragen 1–10 von 23" in first
    assert "Die Fragen der 23 Anfragen" in first
    assert 'href="/inquiry?page=2" rel="next"' in first and 'rel="prev"' not in first
    for anchor in ("frage-1", "anfrage-3-frage-1", "anfrage-10-frage-1"):
        assert f'id="{anchor}"' in first  # every question's anchor, each once
    assert len(set(re.findall(r'<article class="question" id="([^"]+)"', first))) == 10
    last = html(many, "/inquiry?page=3")
    assert "Anfrage 21" in last and "Anfrage 23" in last and "Anfrage 20" not in last
    assert "Anfragen 21–23 von 23" in last
    assert 'href="/inquiry?page=2" rel="prev"' in last and 'rel="next"' not in last
    assert 'id="anfrage-21-frage-1"' in last
    assert "Inquiries 21–23 of 23" in html(many, "/inquiry?page=3&lang=en")


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("page=0", 400, "whole number from 1"),
        ("page=zwei", 400, "whole number from 1"),
        ("page=-1", 400, "whole number from 1"),
        ("page=²", 400, "whole number from 1"),
        ("page=4", 404, "no page 4"),
    ],
)
def test_a_page_of_the_tracker_that_does_not_exist_is_refused(
    many: FlaskClient, query: str, status: int, message: str
) -> None:
    response = many.get(f"/inquiry?{query}", headers={"Accept": "application/json"})
    assert response.status_code == status
    assert message in response.get_json()["message"]


def test_one_inquiry_needs_no_pages(kassel: FlaskClient) -> None:
    page = html(kassel, "/inquiry")
    assert 'class="pager"' not in page and "?page=" not in page
    assert "Die Fragen der Anfrage, die Antworten" in page
    assert 'id="frage-1"' in page and 'id="frage-8"' in page  # Kassel's anchors unchanged
