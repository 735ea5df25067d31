"""The German/English UI: the string table, the choice of language, the switch, labels."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Literal
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from service.project import ROOT
from service.store import Store
from service.web.i18n import (
    LANGUAGES,
    STRINGS,
    choose_language,
    format_number,
    pick_literal,
    text,
)

from .pages_support import load_pages_fixture, pages_app

TEMPLATES = ROOT / "service" / "web" / "templates"


@pytest.fixture
def app(memory_store: Store, tmp_path: Path) -> Flask:
    load_pages_fixture(memory_store)
    return pages_app(memory_store, tmp_path)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_is_in_german_and_english(key: str) -> None:
    entry = STRINGS[key]
    assert set(entry) == set(LANGUAGES), f"{key} has {sorted(entry)}"
    assert all(entry[language].strip() for language in LANGUAGES), key
    assert fields(entry["de"]) == fields(entry["en"]), f"{key}: placeholders differ"


def test_every_key_the_templates_use_exists() -> None:
    used = set()
    for path in TEMPLATES.rglob("*.html"):
        used |= set(re.findall(r"""\bt\(\s*['"]([\w.]+)['"]""", path.read_text(encoding="utf-8")))
    assert used, "no t('…') calls found"
    dynamic = {key for key in used if key.endswith(".")}  # t('prefix.' ~ name)
    assert sorted(used - dynamic - set(STRINGS)) == []


def accept(header: str) -> LanguageAccept:
    return parse_accept_header(header, LanguageAccept)


def test_language_order_query_cookie_header_default() -> None:
    assert choose_language("en", "de", accept("de"), "de") == ("en", True)
    assert choose_language(None, "en", accept("de"), "de") == ("en", False)
    assert choose_language("fr", None, accept("en-GB,en;q=0.9"), "de") == ("en", False)
    assert choose_language(None, None, accept("de-AT"), "en") == ("de", False)
    assert choose_language(None, None, accept("fr, it;q=0.5"), "de") == ("de", False)
    assert choose_language(None, None, None, "en") == ("en", False)


def test_text_fills_placeholders() -> None:
    assert text("entity.showing", "de", first=1, last=20, total=25) == "1–20 von 25"
    assert text("entity.showing", "en", first=1, last=20, total=25) == "1–20 of 25"


def test_pick_literal_prefers_the_language_then_the_default() -> None:
    labels = [Literal("Kassel (en)", lang="en-GB"), Literal("Kassel", lang="de"), Literal("x")]
    assert str(pick_literal(labels, "en")) == "Kassel (en)"
    assert str(pick_literal(labels[1:], "en")) == "Kassel"
    assert str(pick_literal([Literal("x"), Literal("Kassel", lang="fr")], "en")) == "x"
    assert str(pick_literal([Literal("Kassel", lang="fr")], "en")) == "Kassel"
    assert pick_literal([], "de") is None


def test_accept_language_picks_the_page_language(client: FlaskClient) -> None:
    english = client.get("/page/test/stadtwerke", headers={"Accept-Language": "en-US,en;q=0.9"})
    body = english.get_data(as_text=True)
    assert '<html lang="en">' in body and ">Home</a>" in body
    assert "Accept-Language" in english.headers["Vary"]
    german = client.get("/page/test/stadtwerke", headers={"Accept-Language": "de-DE"})
    assert '<html lang="de">' in german.get_data(as_text=True)
    assert ">Start</a>" in german.get_data(as_text=True)


def test_default_language_without_a_preference(memory_store: Store, tmp_path: Path) -> None:
    load_pages_fixture(memory_store)
    client = pages_app(memory_store, tmp_path, DEFAULT_LANGUAGE="en").test_client()
    assert '<html lang="en">' in client.get("/ontology").get_data(as_text=True)
    assert '<html lang="de">' in (
        pages_app(memory_store, tmp_path).test_client().get("/ontology").get_data(as_text=True)
    )


def test_lang_parameter_is_remembered_in_a_cookie(client: FlaskClient) -> None:
    response = client.get("/ontology?lang=en", headers={"Accept-Language": "de"})
    assert '<html lang="en">' in response.get_data(as_text=True)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=en;") and "SameSite=Lax" in cookie
    later = client.get("/ontology", headers={"Accept-Language": "de"})
    assert '<html lang="en">' in later.get_data(as_text=True)
    assert "Set-Cookie" not in later.headers


def test_the_language_switch_links_to_the_other_language(client: FlaskClient) -> None:
    body = client.get(
        "/page/test/musterstadt?in=https%3A%2F%2Fschema.org%2FcontainedInPlace&page=2",
        headers={"Accept-Language": "de"},
    ).get_data(as_text=True)
    switch = body.split('class="language-switch"')[1].split("</nav>")[0]
    assert '<span aria-current="true" lang="de">Deutsch</span>' in switch
    link = re.search(r'<a href="([^"]+)" hreflang="en" lang="en">English</a>', switch)
    assert link is not None
    url = link.group(1).replace("&amp;", "&")
    assert url.startswith("/page/test/musterstadt?") and url.endswith("&lang=en")
    assert "page=2" in url and "in=https%3A%2F%2Fschema.org%2FcontainedInPlace" in url
    english = client.get(url).get_data(as_text=True)
    assert '<html lang="en">' in english and "21–25 of 25" in english


def test_layout_landmarks_and_skip_link(client: FlaskClient) -> None:
    body = client.get("/ontology").get_data(as_text=True)
    assert body.index('class="skip-link" href="#main"') < body.index("<header")
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in body
    assert 'aria-label="Hauptnavigation"' in body
    assert 'rel="stylesheet" href="/static/stadtgraph.css"' in body


@pytest.mark.parametrize(
    ("value", "digits", "german", "english"),
    [
        (10000, None, "10.000", "10,000"),
        (10.0, None, "10", "10"),
        (0.2687, 3, "0,269", "0.269"),
        (1234.5, 1, "1.234,5", "1,234.5"),
        (2.5, None, "2,5", "2.5"),
        (1234.25, None, "1.234,25", "1,234.25"),
    ],
)
def test_numbers_are_written_as_readers_of_the_language_do(
    value: float, digits: int | None, german: str, english: str
) -> None:
    assert format_number(value, "de", digits) == german
    assert format_number(value, "en", digits) == english


def test_the_editor_states_its_limits_in_the_reader_s_numbers(client: FlaskClient) -> None:
    german = client.get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)
    english = client.get("/sparql?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "darf 10 s laufen; höchstens 10.000 Ergebnisse" in german
    assert "may run 10 s; at most 10,000 results" in english
