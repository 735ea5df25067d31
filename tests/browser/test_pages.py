"""The home page, the inquiry tracker and the SPARQL editor in real Chromium.

The `page` fixture fails a test on any request to another host and on any console error
(a CSP violation is one), so every test here also proves that the page stays on this host.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from service.overview import count_types
from service.store import Store

from .conftest import SCREENSHOTS, Watch

pytestmark = pytest.mark.browser

SG = "https://w3id.org/stadtgraph/ontology#"
NARROW = (360, 800)
STATUS_CLASS = {"Answered": "answered", "PartlyAnswered": "partly", "Open": "open"}


def open_page(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")


def home_search(page: Page, url: str, text: str) -> Locator:
    """Open the home page at url, type text into its search field and return the field."""
    open_page(page, url)
    search = page.get_by_role("combobox")
    search.fill(text)
    return search


def editor_ready(page: Page) -> None:
    expect(page.locator("#yasqe .CodeMirror")).to_be_visible()
    expect(page.locator("#editor-fallback")).to_be_hidden()


def run_query(page: Page, sparql: str, base: str) -> None:
    open_page(page, f"{base}/sparql#query={quote(sparql)}")
    editor_ready(page)
    page.click("#run-query")


# -- home -------------------------------------------------------------------------------------


def test_home_shows_tiles_and_the_three_action_fields(
    page: Page, live_server: str, kassel_store: Store
) -> None:
    # Who counts as an actor is the named query's business (tests/test_home.py counts it
    # independently); the page shows what it counts.
    (actors,) = [tile for tile in count_types(kassel_store) if tile.key == "actors"]
    open_page(page, f"{live_server}/")
    expect(page.locator("h1")).to_have_text("Wer ist an was beteiligt?")
    tiles = page.locator(".tiles .tile")
    expect(tiles).to_have_count(7)
    expect(page.locator(".tile-actors .tile-count")).to_have_text(str(actors.count))
    expect(page.locator(".tile-action_fields .tile-count")).to_have_text("3")
    fields = page.locator(".action-field h3")
    expect(fields).to_have_text(
        [
            "Lebensqualität, Wohnen und Mobilität",
            "Arbeit, Wirtschaft, Bildung",
            "Digitalisierung an sich",
        ]
    )
    expect(page.locator(".action-field .none")).to_have_count(3)
    expect(page.locator(".strategy-involved + .involvements > li")).to_have_count(10)
    expect(page.locator(".inquiry-summary > li")).to_have_count(8)


_WORDS_BROKEN_WITHOUT_HYPHEN = """
labels => labels.flatMap(label => {
  const text = label.firstChild;
  if (!text || text.nodeType !== Node.TEXT_NODE) return [];
  const broken = [];
  for (const match of text.data.matchAll(/\\S+/g)) {
    if (/[\\u00ad-]/.test(match[0])) continue;  // a soft or hard hyphen may end a line
    const range = document.createRange();
    range.setStart(text, match.index);
    range.setEnd(text, match.index + match[0].length);
    const lines = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
    if (lines.size > 1) broken.push(match[0]);
  }
  return broken;
})
"""


@pytest.mark.parametrize("viewport", [(1280, 900), (1100, 900), NARROW], indirect=True)
@pytest.mark.parametrize("lang", ["de", "en"])
def test_tile_labels_break_lines_only_between_words_or_at_hyphens(
    page: Page, live_server: str, viewport: tuple[int, int], lang: str
) -> None:
    open_page(page, f"{live_server}/?lang={lang}")
    labels = page.locator(".tile-label")
    expect(labels).to_have_count(7)
    assert labels.evaluate_all(_WORDS_BROKEN_WITHOUT_HYPHEN) == []


def test_searching_kvv_finds_it_and_opens_its_page(page: Page, live_server: str) -> None:
    search = home_search(page, f"{live_server}/", "KVV")
    option = page.get_by_role("option").filter(has_text="KVV").first
    expect(option).to_be_visible()
    expect(search).to_have_attribute("aria-expanded", "true")
    search.press("ArrowDown")
    expect(page.locator('[role="option"][aria-selected="true"]')).to_contain_text("KVV")
    active = search.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    with page.expect_navigation():
        search.press("Enter")
    assert urlsplit(page.url).path == "/page/kassel/org/kvv"
    expect(page.locator("h1")).to_contain_text("KVV")


def test_search_closes_with_escape_and_says_when_nothing_matches(
    page: Page, live_server: str
) -> None:
    search = home_search(page, f"{live_server}/", "zzzz-kein-treffer")
    expect(page.locator("#search-input-status")).to_have_text("Keine Treffer.")
    search.press("Escape")
    expect(search).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#search-input-options")).to_be_hidden()
    expect(search).to_have_value("zzzz-kein-treffer")
    search.press("Escape")  # a second Escape empties the field (WAI-ARIA APG combobox)
    expect(search).to_have_value("")
    expect(page.locator("#search-input-status")).to_have_text("")


def test_typing_on_lets_go_of_the_suggestion_chosen_for_the_text_before(
    page: Page, live_server: str
) -> None:
    search = home_search(page, f"{live_server}/", "KVV")
    expect(page.get_by_role("option").first).to_be_visible()
    search.press("ArrowDown")
    expect(page.locator('[role="option"][aria-selected="true"]')).to_have_count(1)
    search.press("x")  # checked at once, well within the 150 ms before the next lookup
    chosen = page.evaluate(
        "() => [document.querySelectorAll('[aria-selected=\"true\"]').length,"
        " document.getElementById('search-input').getAttribute('aria-activedescendant')]"
    )
    assert chosen == [0, None]  # Enter now searches for "KVVx", not for the KVV chosen before


def test_one_suggestion_is_counted_as_one_and_shows_the_label_it_matched(
    page: Page, live_server: str
) -> None:
    # "Magistrat" is the alternative label of one resource, "Magistrat der Stadt Kassel".
    home_search(page, f"{live_server}/", "Magistrat")
    expect(page.locator("#search-input-status")).to_have_text("1 Treffer")
    option = page.get_by_role("option")
    expect(option).to_have_count(1)
    expect(option.locator(".option-label")).to_have_text("Magistrat der Stadt Kassel")
    expect(option.locator(".option-type")).to_contain_text("Magistrat")
    home_search(page, f"{live_server}/?lang=en", "Magistrat")
    expect(page.locator("#search-input-status")).to_have_text("1 match")


def test_a_failing_search_says_so_and_offers_nothing(
    page: Page, live_server: str, watch: Watch
) -> None:
    open_page(page, f"{live_server}/")
    page.route(
        "**/api/search*",
        lambda route: route.fulfill(
            status=503, content_type="application/json", body='{"results": []}'
        ),
    )
    search = page.get_by_role("combobox")
    search.fill("KVV")
    expect(page.locator("#search-input-status")).to_have_text("Die Suche antwortet gerade nicht.")
    search.press("ArrowDown")
    expect(page.locator("#search-input-options")).to_be_hidden()
    watch.expect_refused(503)


# -- inquiry tracker ----------------------------------------------------------------------------


def test_inquiry_shows_eight_questions_with_the_recorded_status(
    page: Page, live_server: str, kassel_store: Store
) -> None:
    recorded = {
        int(str(row["number"])): STATUS_CLASS[str(row["status"]).removeprefix(SG)]
        for row in kassel_store.select(
            "PREFIX sg: <https://w3id.org/stadtgraph/ontology#> "
            "PREFIX schema: <https://schema.org/> "
            "SELECT ?number ?status WHERE { ?q a sg:Question ; schema:position ?number ; "
            "sg:answerStatus ?status }"
        )
    }
    assert len(recorded) == 8
    open_page(page, f"{live_server}/inquiry")
    questions = page.locator("article.question")
    expect(questions).to_have_count(8)
    for number, status in recorded.items():
        badge = page.locator(f"#frage-{number} .assessment .status")
        expect(badge).to_have_class(re.compile(rf"\bstatus-{status}\b"))
    frage_6 = page.locator("#frage-6")
    expect(frage_6.locator(".answer-title")).to_contain_text(
        [re.compile("kein fester Zeitplan", re.I)]
    )
    expect(frage_6).to_contain_text("Einen festen Zeitplan könne man nicht beschreiben")
    expect(frage_6).to_contain_text("ohne Gewähr")


# -- the SPARQL editor --------------------------------------------------------------------------


def test_editor_runs_a_named_example_and_shows_a_table(
    page: Page, live_server: str, watch: Watch
) -> None:
    open_page(page, f"{live_server}/sparql")
    editor_ready(page)
    page.select_option("#example-select", "inquiry-tracker")
    assert "Anfrage-Tracker" in page.evaluate("() => window.StadtgraphEditor.yasqe.getValue()")
    page.click("#run-query")
    rows = page.locator("#yasr table tbody tr")
    expect(rows).to_have_count(8)
    expect(page.locator("#yasr table thead")).to_contain_text("answerStatusLabel")
    expect(page.locator("#truncation")).to_be_hidden()
    # The query is in the address, for sharing; the downloads point at this endpoint.
    assert "#query=" in page.url
    share = page.locator("#share-link").input_value()
    assert share.startswith(f"{live_server}/sparql#query=")
    for link, fmt, media_type in (
        ("#download-csv", "csv", "text/csv"),
        ("#download-json", "json", "application/sparql-results+json"),
    ):
        href = page.locator(link).get_attribute("href") or ""
        assert href.startswith(f"{live_server}/sparql?query=") and href.endswith(f"format={fmt}")
        download = page.request.get(href)
        assert download.status == 200
        assert download.headers["content-type"].startswith(media_type)
        assert "Digitalisierungsstrategie" in download.text()
    assert any(url.endswith("/api/vocabulary") for url in watch.requests)
    assert all(urlsplit(url).netloc == urlsplit(live_server).netloc for url in watch.requests)


def test_editor_completes_from_our_own_vocabulary(
    page: Page, live_server: str, watch: Watch
) -> None:
    start = "PREFIX sg: <https://w3id.org/stadtgraph/ontology#>\nSELECT * WHERE { ?x a sg:Acti"
    open_page(page, f"{live_server}/sparql#query={quote(start)}")
    editor_ready(page)
    page.click("#yasqe .CodeMirror-code")
    page.keyboard.press("Control+End")
    page.keyboard.press("Control+Space")
    expect(page.locator(".CodeMirror-hint")).to_contain_text(["sg:ActionField"])
    page.keyboard.press("Enter")
    page.keyboard.type(" ; sg:answerS")
    page.keyboard.press("Control+Space")
    expect(page.locator(".CodeMirror-hint")).to_contain_text(["sg:answerStatus"])
    page.keyboard.press("Escape")
    completers = page.evaluate("() => window.StadtgraphEditor.yasqe.config.autocompleters")
    assert completers == [
        "stadtgraph-prefixes",
        "stadtgraph-classes",
        "stadtgraph-properties",
        "variables",
    ]
    assert not watch.foreign


def test_shared_link_restores_the_query(page: Page, live_server: str) -> None:
    sparql = (
        "SELECT ?question WHERE { ?question a <https://w3id.org/stadtgraph/ontology#Question> }"
    )
    run_query(page, sparql, live_server)
    expect(page.locator("#yasr table tbody tr")).to_have_count(8)
    shared = page.locator("#share-link").input_value()
    page.goto("about:blank")
    open_page(page, shared)
    editor_ready(page)
    assert page.evaluate("() => window.StadtgraphEditor.yasqe.getValue()") == sparql


def test_editor_answers_an_ask_query_in_the_page_s_language(page: Page, live_server: str) -> None:
    run_query(page, f"ASK {{ ?s a <{SG}Question> }}", live_server)
    expect(page.locator("#yasr .booleanResult span")).to_have_text("wahr")
    assert page.locator("#yasr .errorResult").count() == 0


def test_a_view_that_cannot_draw_the_result_says_so_in_the_page_language(
    page: Page, live_server: str
) -> None:
    run_query(page, f"SELECT ?question WHERE {{ ?question a <{SG}Question> }}", live_server)
    expect(page.locator("#yasr table tbody tr")).to_have_count(8)
    page.click("#yasr .select_graph")
    note = page.locator("#yasr .yasr_fallback_info p")
    expect(note).to_have_text(
        "Die Ansicht „Graph“ kann dieses Ergebnis nicht zeigen; es erscheint in der Ansicht "
        "„Tabelle“."
    )
    assert note.locator("a").count() == 0


def test_editor_explains_a_syntax_error_in_one_sentence(
    page: Page, live_server: str, watch: Watch
) -> None:
    run_query(page, "SELECT ?s WHERE { ?s ?p }}", live_server)
    error = page.locator("#yasr .errorResult pre")
    expect(error).to_have_text(
        "Die Abfrage hat einen Syntaxfehler in Zeile 1, Spalte 19: unexpected '?'"
    )
    expect(page.locator("#yasr .yasr_response_chip")).to_have_text("Fehler 400")
    watch.expect_refused(400)  # the browser logs the answer itself


def test_editor_results_show_markup_as_text(page: Page, live_server: str) -> None:
    payload = "<script>window.__pwned=1</script><b>bold</b>"
    run_query(page, f'SELECT ?label WHERE {{ BIND("{payload}" AS ?label) }}', live_server)
    cell = page.locator("#yasr table tbody td .nonIri")
    expect(cell).to_have_text(payload)
    assert page.locator("#yasr table tbody b, #yasr table tbody script").count() == 0
    assert page.evaluate("() => window.__pwned") is None


def test_editor_shows_the_truncation_signal(page: Page, live_server: str) -> None:
    # Every triple times the eight questions: more rows than the endpoint returns.
    sparql = f"SELECT ?s WHERE {{ ?s ?p ?o . ?q a <{SG}Question> }}"
    run_query(page, sparql, live_server)
    message = page.locator("#truncation")
    expect(message).to_be_visible(timeout=20_000)
    expect(message).to_contain_text("gekürzt")
    expect(message).to_contain_text("10000")


def test_editor_draws_construct_results_as_a_graph(page: Page, live_server: str) -> None:
    sparql = (
        f"PREFIX sg: <{SG}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "CONSTRUCT { ?a sg:involvedIn ?t . ?a rdfs:label ?l . ?t rdfs:label ?tl }\n"
        "WHERE { ?a sg:involvedIn ?t . ?a rdfs:label ?l . ?t rdfs:label ?tl }"
    )
    run_query(page, sparql, live_server)
    expect(page.locator("#yasr .select_graph")).to_be_enabled()
    page.click("#yasr .select_graph")
    expect(page.locator(".sg-graph .sg-note")).to_contain_text("11 Knoten, 10 Kanten")
    expect(page.locator(".sg-graph-canvas canvas").first).to_be_attached()
    nodes = page.evaluate(
        "() => document.querySelector('.sg-graph-canvas') && "
        "window.StadtgraphEditor.yasr.plugins.graph.cy.nodes().length"
    )
    assert nodes == 11
    assert (page.locator("#download-csv").get_attribute("href") or "").endswith("format=ttl")


def test_editor_charts_a_numeric_column(page: Page, live_server: str) -> None:
    sparql = (
        f"PREFIX sg: <{SG}>\nSELECT ?class (COUNT(?s) AS ?n) WHERE {{ ?s a ?class . "
        f"FILTER(STRSTARTS(STR(?class), STR(sg:))) }} GROUP BY ?class ORDER BY DESC(?n) LIMIT 5"
    )
    run_query(page, sparql, live_server)
    expect(page.locator("#yasr table tbody tr")).to_have_count(5)
    page.click("#yasr .select_chart")
    expect(page.locator(".sg-chart-svg rect.sg-bar")).to_have_count(5)
    expect(page.locator(".sg-chart-svg .sg-bar-label").first).to_have_text("sg:Statement")
    expect(page.locator(".sg-chart-svg .sg-bar-value").first).to_have_text("34")


# Yasr's and Yasqe's own English names for their controls, and ours in each language.
LIBRARY_ENGLISH = (
    "Simple view",
    "Ellipse",
    "Filter query results",
    "Page size",
    "Run query",
    "Download result",
    "Download Results",
    "Show all",
    "Shows ",
    "View documentation",
    " results in ",
    "Activate to sort",
    "pagination",
    "to autocomplete",
)
CONTROL_NAMES = {
    "de": ("Einfache Ansicht", "Lange Werte kürzen", "Ergebnisse filtern", "Zeilen pro Seite:",
           "Abfrage ausführen", "Ergebnis herunterladen", "Ansicht „Tabelle“ zeigen",
           "8 Ergebnisse in ", "Strg+Leertaste vervollständigt"),
    "en": ("Simple view", "Shorten long values", "Filter query results", "Page size:",
           "Run query", "Download result", "Show the “Table” view", "8 results in ",
           "Ctrl+Space completes"),
}  # fmt: skip


def control_names(page: Page) -> list[str]:
    """The text and the names (title, aria-label, placeholder) the editor's controls show."""
    return page.evaluate(
        """() => {
        const names = [];
        for (const node of document.querySelectorAll('#editor-app *')) {
          if (node.closest('tbody, .CodeMirror-code') || !node.getClientRects().length) continue;
          for (const name of ['title', 'aria-label', 'placeholder']) {
            if (node.getAttribute(name)) names.push(node.getAttribute(name));
          }
          for (const child of node.childNodes) {
            if (child.nodeType === 3 && child.textContent.trim()) names.push(child.textContent);
          }
        }
        return names;
      }"""
    )


@pytest.mark.parametrize("lang", ["de", "en"])
def test_editor_controls_speak_the_page_language(page: Page, live_server: str, lang: str) -> None:
    sparql = f"SELECT ?question WHERE {{ ?question a <{SG}Question> }}"
    open_page(page, f"{live_server}/sparql?lang={lang}#query={quote(sparql)}")
    editor_ready(page)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.click("#run-query")
    expect(page.locator("#yasr table tbody tr")).to_have_count(8)
    # Yasqe names its run button again on every edit.
    page.click("#yasqe .CodeMirror-code")
    page.keyboard.press("Control+End")
    page.keyboard.type(" ")
    run_button = page.locator("#yasqe .yasqe_queryButton")
    expect(run_button).to_have_attribute("title", CONTROL_NAMES[lang][4])
    names = control_names(page)
    shown = "\n".join(names)
    for wanted in CONTROL_NAMES[lang]:
        assert wanted in shown, f"{wanted!r} is not shown in {lang}"
    if lang == "de":
        leftover = [name for name in names for english in LIBRARY_ENGLISH if english in name]
        assert not leftover, f"English on the German page: {leftover}"
        expect(page.locator("#yasr .tableFilter")).to_have_attribute(
            "placeholder", "Ergebnisse filtern"
        )
        page.screenshot(path=str(SCREENSHOTS / "editor-results-de-full.png"), full_page=True)


def test_editor_links_our_iris_to_their_pages(page: Page, live_server: str) -> None:
    sparql = (
        f"SELECT ?question ?type WHERE {{ ?question a <{SG}Question> . "
        "BIND(<https://example.org/elsewhere> AS ?type) } LIMIT 1"
    )
    run_query(page, sparql, live_server)
    ours = page.locator("#yasr table tbody td").nth(1).locator("a.iri")
    href = ours.get_attribute("href") or ""
    assert re.fullmatch(r"/page/kassel/\S+", href), href
    assert ours.get_attribute("target") is None
    other = page.locator("#yasr table tbody a.iri[href='https://example.org/elsewhere']")
    expect(other).to_have_attribute("target", "_blank")
    assert "noopener" in (other.get_attribute("rel") or "").split()
    expect(other.locator(".visually-hidden")).to_have_text(" (öffnet ein neues Fenster)")
    assert ours.locator(".visually-hidden").count() == 0
    ours.click()
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == href
    expect(page.locator("h1")).to_be_visible()


# -- language and keyboard ----------------------------------------------------------------------


def test_language_switch(page: Page, live_server: str) -> None:
    open_page(page, f"{live_server}/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Who is involved in what?")
    expect(page.locator(".action-field h3").first).to_have_text(
        "Quality of life, housing and mobility"
    )
    # The choice is remembered on the next page.
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Inquiry"
    ).click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_text("Inquiry tracker")
    expect(page.locator("#frage-1 .assessment .status")).to_have_text("answered")
    page.get_by_role("link", name="Deutsch").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_text("Anfrage-Tracker")


def focus_order(page: Page, presses: int) -> list[str]:
    """Press Tab `presses` times from the top and describe each focused element."""
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate(
                "() => { const e = document.activeElement;"
                " return e.id ? '#' + e.id : (e.textContent || '').trim(); }"
            )
        )
    return seen


def test_keyboard_reaches_the_search_and_the_main_links(page: Page, live_server: str) -> None:
    open_page(page, f"{live_server}/")
    order = focus_order(page, 12)
    assert order[0] == "Zum Inhalt springen"
    nav = ["Start", "Explorer", "SPARQL", "Anfrage", "Daten"]
    positions = [order.index(name) for name in nav]
    assert positions == sorted(positions)
    assert order.index("#search-input") > positions[-1]
    # The skip link jumps straight to the content, the next Tab lands in the search.
    open_page(page, f"{live_server}/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "search-input"


# -- narrow screens -----------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [NARROW], ids=["360px"], indirect=True)
@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/", "home"),
        ("/inquiry", "inquiry"),
        ("/sparql", "editor"),
        ("/sparql?named=inquiry-tracker", "editor-results"),
    ],
    ids=["home", "inquiry", "editor", "editor-results"],
)
def test_pages_fit_a_360px_screen(
    page: Page, live_server: str, viewport: tuple[int, int], path: str, name: str
) -> None:
    open_page(page, f"{live_server}{path}")
    if name == "editor-results":
        editor_ready(page)
        page.click("#run-query")
        expect(page.locator("#yasr table tbody tr")).to_have_count(8)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport[0], f"{path} is {width}px wide"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"narrow-{name}-full.png"), full_page=True)


@pytest.mark.parametrize(
    ("lang", "invalid", "undefined"),
    [
        (
            "de",
            "Diese Zeile ist ungültig. Erwartet: INTEGER",
            "Das Präfix „ex“ ist nicht definiert.",
        ),
        ("en", "This line is invalid. Expected: INTEGER", "The prefix “ex” is not defined."),
    ],
)
def test_editor_explains_syntax_errors_in_the_page_language(
    page: Page, live_server: str, lang: str, invalid: str, undefined: str
) -> None:
    for sparql, wanted in (
        ("SELECT * WHERE { ?s ?p ?o } LIMIT x", invalid),
        ("SELECT * WHERE { ?s ex:p ?o }", undefined),
    ):
        page.goto("about:blank")
        open_page(page, f"{live_server}/sparql?lang={lang}#query={quote(sparql)}")
        editor_ready(page)
        page.click("#yasqe .CodeMirror-code")  # Yasqe checks the syntax after an edit
        page.keyboard.press("Control+End")
        page.keyboard.type(" ")
        marker = page.locator("#yasqe .parseErrorIcon").first
        expect(marker).to_be_visible()
        marker.hover()
        tooltip = page.locator("#yasqe .yasqe_tooltip").first
        expect(tooltip).to_be_visible()
        expect(tooltip).to_contain_text(wanted)
        if wanted == invalid:
            expect(tooltip.locator("strong.expected-token").first).to_be_visible()
        if lang == "de":
            assert "invalid" not in tooltip.inner_text() and "defined" not in tooltip.inner_text()
            shot = "syntax" if wanted == invalid else "prefix"
            page.locator("#yasqe").screenshot(path=str(SCREENSHOTS / f"editor-{shot}-error-de.png"))
