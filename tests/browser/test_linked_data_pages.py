"""The Linked Data and publication pages in real Chromium: entity page, ontology, downloads,
catalogue and named queries. The `page` fixture fails a test on any request to another host
and on any console error (a CSP violation is one)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from .conftest import SCREENSHOTS

NARROW = (360, 800)
KVV = "/page/kassel/org/kvv"


def open_page(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")


def test_entity_page_shows_involvement_statements_and_data(page: Page, live_server: str) -> None:
    open_page(page, f"{live_server}{KVV}")
    expect(page.locator("h1")).to_have_text("KVV")
    involvement = page.locator("#involvement + .table-scroll table tbody tr")
    expect(involvement.first).to_contain_text("Gesamtstrategie der Stadt Kassel")
    expect(involvement.first).to_contain_text("eingebunden")
    expect(page.locator(".statements blockquote").first).to_contain_text("städtische Betriebe")
    # the embedded schema.org description is data the page carries, not a script that runs
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content() or "")
    assert data["@id"] == "https://w3id.org/stadtgraph/id/kassel/org/kvv"
    assert data["@type"] == "Organization"
    # the SPARQL behind the page opens on demand
    details = page.locator("#data ~ details")
    expect(details.locator("pre").first).to_be_hidden()
    details.locator("summary").click()
    expect(details.locator("pre").first).to_contain_text("VALUES (?resource)")


def test_following_links_and_switching_language(page: Page, live_server: str) -> None:
    open_page(page, f"{live_server}/page/kassel/place/kassel")
    expect(page.locator("#identifiers + .table-scroll")).to_contain_text("Q2865")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#properties")).to_have_text("Properties")
    page.locator("#properties + dl").get_by_role("link", name="Hesse").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_text("Hesse")  # the choice of language stays


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/ontology", "Stadtgraph-Ontologie"),
        ("/dumps/", "Daten und Downloads"),
        ("/catalog", "Katalogeintrag (DCAT-AP.de)"),
        ("/queries/", "Vorbereitete Abfragen"),
        ("/queries/involvement-by-actor", "Woran ist ein Akteur beteiligt?"),
    ],
    ids=["ontology", "dumps", "catalog", "queries", "query"],
)
def test_publication_pages_open(page: Page, live_server: str, path: str, heading: str) -> None:
    open_page(page, f"{live_server}{path}")
    expect(page.locator("h1")).to_have_text(heading)


def test_skip_link_leads_to_the_content(page: Page, live_server: str) -> None:
    open_page(page, f"{live_server}{KVV}")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    assert skip.bounding_box() is not None and skip.bounding_box()["y"] >= 0  # type: ignore[index]
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    first = page.evaluate("() => document.activeElement.closest('main') !== null")
    assert first, "after the skip link, Tab stays in the main content"


@pytest.mark.parametrize("viewport", [NARROW], ids=["360px"], indirect=True)
@pytest.mark.parametrize(
    "path",
    [
        KVV,
        "/page/kassel/place/kassel",
        "/ontology",
        "/dumps/",
        "/catalog",
        "/queries/involvement-by-actor",
    ],
    ids=["entity", "place", "ontology", "dumps", "catalog", "query"],
)
def test_linked_data_pages_fit_a_360px_screen(
    page: Page, live_server: str, viewport: tuple[int, int], path: str
) -> None:
    open_page(page, f"{live_server}{path}")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport[0], f"{path} is {width}px wide"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = path.strip("/").replace("/", "-") or "root"
    page.screenshot(path=str(SCREENSHOTS / f"narrow-ld-{name}.png"), full_page=True)
