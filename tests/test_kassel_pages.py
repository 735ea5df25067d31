"""Entity pages of the real Kassel graph say what the inquiry page says about a statement:
who spoke it and whether the sentence names them, the project's reading, which questions."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from service.app import create_app
from service.store import Store

from .graph_fixtures import kassel_store_loaded
from .test_linked_data import embedded_json_ld


@pytest.fixture(scope="module")
def kassel_store() -> Iterator[Store]:
    store = kassel_store_loaded()
    yield store
    store.close()


@pytest.fixture
def client(kassel_store: Store) -> FlaskClient:
    app = create_app({"TESTING": True, "PREPARE_AHEAD": False}, store=kassel_store)
    return app.test_client()


def statements(client: FlaskClient, path: str, language: str = "de") -> list[str]:
    """The text of each statement listed on a page, tags removed."""
    response = client.get(path, query_string={"lang": language})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    section = body[body.index('id="statements"') : body.index('id="incoming"')]
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def test_a_statement_whose_sentence_names_no_speaker_says_so_where_it_is_listed(
    client: FlaskClient,
) -> None:
    for path in ("/page/kassel/org/kvv", "/page/kassel/person/oberbuergermeister-2019-03-06"):
        listed = statements(client, path)
        inferred = [s for s in listed if "(Sprecher/in aus dem Zusammenhang" in s]
        assert inferred, path
        english = statements(client, path, "en")
        assert len([s for s in english if "(speaker from the context" in s]) == len(inferred)
    # s01 names the Lord Mayor in its words: no such mark
    (smart_city,) = [
        s
        for s in statements(client, "/page/kassel/person/oberbuergermeister-2019-03-06")
        if s.startswith("„Unter Smart City verstehe der Oberbürgermeister")
    ]
    assert "Sprecher/in aus dem Zusammenhang" not in smart_city


def test_a_statement_shows_the_projects_reading_in_the_pages_language(client: FlaskClient) -> None:
    (german,) = [s for s in statements(client, "/page/kassel/org/kvv") if "Zum Beispiel" in s]
    assert "Anmerkung des Stadtgraph-Projekts: Die Aufzählung" in german
    (english,) = [s for s in statements(client, "/page/kassel/org/kvv", "en") if "GLH" in s]
    assert "Note of the Stadtgraph project: The list is explicitly given as examples" in english


def test_on_a_questions_page_other_questions_a_statement_answers_are_named_as_such(
    client: FlaskClient,
) -> None:
    listed = statements(client, "/page/kassel/question/frage-5")
    assert listed and all("Beantwortet: diese Ressource" in s for s in listed)
    assert all("Auch Frage: Frage 3" in s for s in listed)
    assert not any("· Frage: Frage 3" in s for s in listed)
    english = statements(client, "/page/kassel/question/frage-5", "en")
    assert all("Also question: Question 3" in s for s in english)


@pytest.mark.parametrize(
    ("path", "schema_type", "start"),
    [
        # schema.org types the data states itself, where no class of ours maps to one
        ("/page/kassel/service/servicetelefonnummer-115", "GovernmentService", None),
        ("/page/kassel/quantity/mitarbeitende-verwaltung-2019", "QuantitativeValue", None),
        # an event with its date
        ("/page/kassel/meeting/afwg-2019-03-06", "Event", "2019-03-06"),
    ],
)
def test_json_ld_takes_the_datas_schema_org_types_and_an_events_date(
    client: FlaskClient, path: str, schema_type: str, start: str | None
) -> None:
    data = embedded_json_ld(client.get(path).get_data(as_text=True))
    assert data["@type"] == schema_type
    assert data.get("startDate") == start
