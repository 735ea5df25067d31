"""WCAG 2.1 A and AA (what BITV 2.0 asks of a city's pages), checked by axe-core in Chromium.

axe-core (pinned in package.json as a development dependency, never served to readers) runs
on every page type in both languages, on a phone-sized screen, and in the states a reader
brings about: the SPARQL editor with a table, a yes/no answer and an error; the explorer with
a node selected, its neighbours counted and a search's results. axe's best-practice rules run
too (landmarks, headings, unique names); the contrast of every text is checked apart, in
test_contrast.py.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from .conftest import ROOT, SCREENSHOTS, TEXT_SPACING, Watch
from .test_explorer import KVV, STADT, loads, open_explorer, wait_idle
from .test_pages import SG, editor_ready, open_page, run_query

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
RULE_SETS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PHONE = (390, 844)

KEYBOARD_SCROLLED = {("scrollable-region-focusable", ".CodeMirror-scroll")}
"""What axe cannot see is reachable: a CodeMirror text (the query, the raw response) scrolls
with the cursor of its own focusable text area, which Tab reaches."""

MISSING = "/page/kassel/no-such-resource"
PAGES = [
    "/",
    "/inquiry",
    "/page/kassel/question/frage-4",
    "/explorer",
    f"/explorer?focus={quote(KVV, safe='')}",
    "/analytics",
    "/page/kassel/org/kvv",
    "/page/kassel/strategy/gesamtstrategie",
    "/page/kassel/statement/s01-smart-city",
    "/sparql",
    "/queries/",
    "/queries/frage-4",
    "/queries/actors-of-type",
    "/dumps/",
    "/ontology",
    "/catalog",
    "/.well-known/void",
    MISSING,
]


def violations(page: Page) -> list[str]:
    """Run axe-core on the page as it is now; one line per rule broken, naming its elements.

    The script is evaluated through the browser's debugging protocol, which the pages'
    Content-Security-Policy does not govern, so no page needs to allow inline scripts for it.
    """
    if not AXE.exists():
        pytest.fail(f"the accessibility tests need {AXE} (make test installs it with npm ci)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    found: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 8).map((n) => n.target.join(' ')),
            }));
        }""",
        RULE_SETS,
    )
    lines = []
    for rule in found:
        targets = [
            t for t in rule["targets"] if (rule["id"], t.split()[-1]) not in KEYBOARD_SCROLLED
        ]
        if targets:
            lines.append(f"[{rule['impact']}] {rule['id']}: {rule['help']} — {', '.join(targets)}")
    return lines


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_type_passes_axe(
    page: Page, live_server: str, watch: Watch, path: str, lang: str
) -> None:
    joiner = "&" if "?" in path else "?"
    response = page.goto(f"{live_server}{path}{joiner}lang={lang}")
    expected = 404 if path == MISSING else 200
    assert response is not None and response.status == expected, path
    page.wait_for_load_state("networkidle")
    assert violations(page) == []
    if path == MISSING:  # the browser logs the 404 itself; that one error is expected here
        watch.expect_refused(404)


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"], indirect=True)
@pytest.mark.parametrize("path", ["/", "/inquiry", "/explorer", "/page/kassel/org/kvv", "/sparql"])
def test_pages_pass_axe_on_a_phone(page: Page, live_server: str, path: str) -> None:
    open_page(page, f"{live_server}{path}")
    assert violations(page) == []


def test_the_editor_passes_axe_with_a_table_of_results(page: Page, live_server: str) -> None:
    open_page(page, f"{live_server}/sparql")
    editor_ready(page)
    page.select_option("#example-select", "inquiry-tracker")
    page.click("#run-query")
    expect(page.locator("#yasr table tbody tr")).to_have_count(8)
    assert violations(page) == []


def test_the_editor_passes_axe_with_a_yes_no_answer(page: Page, live_server: str) -> None:
    run_query(page, "ASK { ?s ?p ?o }", live_server)
    expect(page.locator("#yasr .booleanResult span")).to_have_text("wahr")
    assert violations(page) == []


def test_the_editor_passes_axe_with_an_error(page: Page, live_server: str, watch: Watch) -> None:
    run_query(page, "SELECT ?s WHERE { ?s ?p }}", live_server)
    expect(page.locator("#yasr .yasr_response_chip")).to_have_text("Fehler 400")
    assert violations(page) == []
    watch.expect_refused(400)  # the browser logs the answer itself


def test_the_explorer_passes_axe_with_a_selection_and_counted_neighbours(
    page: Page, live_server: str
) -> None:
    open_explorer(page, live_server, f"?focus={quote(KVV, safe='')}&depth=1")
    page.evaluate(f"stadtgraphExplorer.select({STADT!r})")
    done = loads(page)
    page.locator("#explorer-details-body button", has_text="Nachbarn anzeigen").click()
    wait_idle(page, done + 1)
    expect(page.locator("#explorer-expansion li").first).to_be_visible()
    assert violations(page) == []


def test_the_explorer_passes_axe_with_search_results(page: Page, live_server: str) -> None:
    open_explorer(page, live_server, "?q=Verkehr")
    assert violations(page) == []


def test_the_check_finds_what_axe_forbids(page: Page, live_server: str) -> None:
    open_page(page, f"{live_server}/")
    page.evaluate(
        """() => { const img = document.createElement('img'); img.src = '/static/favicon.svg';
        const link = document.createElement('a'); link.href = '/inquiry'; link.append(img);
        document.querySelector('main').append(link); }"""
    )
    found = violations(page)
    assert any("image-alt" in line for line in found), found
    assert any("link-name" in line for line in found), found


def test_axe_is_never_served_to_readers(page: Page, live_server: str) -> None:
    assert AXE.exists()
    assert page.request.get(f"{live_server}/vendor/axe-core/axe.min.js").status == 404


def _focus_in_the_query_text(page: Page) -> bool:
    script = "() => document.activeElement === window.StadtgraphEditor.yasqe.getInputField()"
    return bool(page.evaluate(script))


def test_tab_leaves_the_query_editor_and_ctrl_period_indents(page: Page, live_server: str) -> None:
    """The editor is no keyboard trap (WCAG 2.1.2): Tab and Shift+Tab move on."""
    run_query(page, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", live_server)
    page.focus("#yasqe .CodeMirror textarea")
    page.keyboard.press("Tab")
    assert not _focus_in_the_query_text(page)
    page.keyboard.press("Shift+Tab")
    assert _focus_in_the_query_text(page)
    page.keyboard.press("Shift+Tab")
    assert not _focus_in_the_query_text(page)
    page.focus("#yasqe .CodeMirror textarea")
    page.keyboard.press("Control+Home")
    page.keyboard.press("Control+Period")  # the same key on German and English keyboards
    value = page.evaluate("() => window.StadtgraphEditor.yasqe.getValue()")
    assert value.startswith((" ", "\t")) and value.strip().startswith("SELECT")
    page.keyboard.press("Control+Comma")
    assert page.evaluate("() => window.StadtgraphEditor.yasqe.getValue()").startswith("SELECT")
    expect(page.locator("#editor-app > p.muted").first).to_contain_text(
        "Tab verlässt den Editor, Strg+. rückt ein, Strg+, rückt aus."
    )


def test_ctrl_enter_runs_the_query_from_the_keyboard(page: Page, live_server: str) -> None:
    sparql = (
        "SELECT ?question WHERE { ?question a <https://w3id.org/stadtgraph/ontology#Question> }"
    )
    open_page(page, f"{live_server}/sparql#query={quote(sparql)}")
    editor_ready(page)
    page.focus("#yasqe .CodeMirror textarea")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#yasr table tbody tr")).to_have_count(8)


FOCUSED = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    // CodeMirror types into a hidden text area; its frame carries the focus ring.
    const shown = element.tagName === 'TEXTAREA' && element.closest('.CodeMirror') || element;
    const style = getComputedStyle(shown);
    const box = shown.getBoundingClientRect();
    return {
        name: element.tagName + (element.id ? '#' + element.id : '') + ' '
            + (element.textContent || element.getAttribute('aria-label') || '').trim().slice(0, 30),
        ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        inFooter: !!element.closest('footer'),
        shown: box.width > 0 && box.height > 0,
    };
}"""


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/inquiry",
        f"/explorer?focus={quote(KVV, safe='')}",
        "/page/kassel/org/kvv",
        "/sparql",
        "/queries/frage-4",
        "/catalog",
    ],
)
def test_every_tab_stop_shows_where_the_focus_is(page: Page, live_server: str, path: str) -> None:
    """WCAG 2.4.7 and 2.1.2: Tab walks the page to its end, each stop visibly focused."""
    open_page(page, f"{live_server}{path}")
    stops: list[str] = []
    last: dict[str, Any] | None = None
    for _ in range(250):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            break
        assert focused["shown"] and focused["ring"], f"no visible focus on {focused['name']}"
        stops.append(focused["name"])
        last = focused
    else:
        raise AssertionError(f"Tab did not reach the end of {path}: {stops[-5:]}")
    # The walk ends after the footer's last link, not where a lost focus would end it.
    assert last is not None and last["inFooter"], f"the walk stopped at {stops[-1:]} on {path}"
    assert len(stops) >= 5


def run_again(page: Page, sparql: str) -> None:
    """Put another query into the open editor and run it."""
    page.evaluate("(text) => window.StadtgraphEditor.yasqe.setValue(text)", sparql)
    page.click("#run-query")


def test_the_editor_announces_what_a_run_brought(
    page: Page, live_server: str, watch: Watch
) -> None:
    """WCAG 4.1.3: results, a yes/no answer and an error are said in a status region, and the
    focus stays where the reader left it."""
    status = page.locator("#result-status")
    run_query(page, f"SELECT ?q WHERE {{ ?q a <{SG}Question> }}", live_server)
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text(re.compile(r"^8 Ergebnisse in [\d,]+ s$"))
    expect(page.locator("#result-title")).to_have_text("Ergebnis")
    assert page.evaluate("() => document.activeElement.id") == "run-query"
    run_again(page, f"ASK {{ ?q a <{SG}Question> }}")
    expect(status).to_have_text("Antwort: wahr")
    run_again(page, "SELECT ?s WHERE { ?s ?p }}")
    expect(status).to_have_text(
        "Die Abfrage hat einen Syntaxfehler in Zeile 1, Spalte 19: unexpected '?'"
    )
    watch.expect_refused(400)  # the browser logs the answer itself


def test_a_syntax_problem_is_described_below_the_editor(page: Page, live_server: str) -> None:
    """The gutter explains a problem on hover only; the text below serves keyboards too."""
    open_page(page, f"{live_server}/sparql#query={quote('SELECT ?s WHERE { ?s ?p ?o }')}")
    editor_ready(page)
    check = page.locator("#query-check")
    expect(check).to_be_hidden()
    textarea = page.locator("#yasqe .CodeMirror textarea")
    expect(textarea).to_have_attribute("aria-describedby", "query-check")
    page.evaluate("() => window.StadtgraphEditor.yasqe.setValue('SELECT ?s WHERE {\\n ?s ?p\\n}')")
    expect(check).to_be_visible()
    expect(check).to_have_text(re.compile(r"^Zeile 3: .+"))
    expect(textarea).to_have_attribute("aria-invalid", "true")
    page.evaluate("() => window.StadtgraphEditor.yasqe.setValue('ASK {}')")
    expect(check).to_be_hidden()
    assert textarea.get_attribute("aria-invalid") is None


def test_browsing_the_examples_keeps_the_focus_on_the_list(page: Page, live_server: str) -> None:
    """WCAG 3.2.2: an arrow key loads the next example but does not move the focus."""
    open_page(page, f"{live_server}/sparql")
    editor_ready(page)
    page.focus("#example-select")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.id") == "example-select"
    chosen = page.locator("#example-select").input_value()
    assert chosen
    assert f"/queries/{chosen}" in (page.locator("#example-page").get_attribute("href") or "")


NARROWEST = (320, 640)
REFLOW_PAGES = [path for path in PAGES if path != MISSING]


@pytest.mark.parametrize("viewport", [NARROWEST], ids=["320px"], indirect=True)
@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("path", REFLOW_PAGES)
def test_pages_reflow_at_320_px_even_with_wider_text_spacing(
    page: Page, live_server: str, path: str, lang: str
) -> None:
    """WCAG 1.4.10 and 1.4.12: no sideways scrolling of the page at 320 CSS px (what 1280 px
    at 400 % zoom gives), also with the text spacing a reader may set; tables, code and
    graphs scroll inside their own boxes."""
    joiner = "&" if "?" in path else "?"
    open_page(page, f"{live_server}{path}{joiner}lang={lang}")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= NARROWEST[0], f"{path} is {width}px wide: {sticking_out(page)}"
    page.evaluate(TEXT_SPACING)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= NARROWEST[0], f"{path}: {width}px with wider spacing: {sticking_out(page)}"


def sticking_out(page: Page) -> list[str]:
    """The innermost elements that reach past the window's right edge (for failure messages)."""
    return page.evaluate(  # type: ignore[no-any-return]
        """() => [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > innerWidth + 1
                && ![...e.children].some((c) => c.getBoundingClientRect().right > innerWidth + 1))
            .slice(0, 5)
            .map((e) => e.tagName + '.' + e.className + ' ' + e.textContent.trim().slice(0, 40))"""
    )


def test_quotes_say_their_language_on_english_pages(page: Page, live_server: str) -> None:
    """WCAG 3.1.2: a German quote on an English page is read with a German voice, and the
    English words around it are not."""
    open_page(page, f"{live_server}/page/kassel/strategy/gesamtstrategie?lang=en")
    quotes = page.locator(".statements blockquote")
    assert quotes.count() >= 5
    assert set(quotes.evaluate_all("(qs) => qs.map((q) => q.lang)")) == {"de"}
    open_page(page, f"{live_server}/inquiry?lang=en")
    inside = page.locator("blockquote[lang=de] .visually-hidden")
    assert inside.count() == 0
    expect(
        page.locator(".answer .visually-hidden", has_text="Wording of the notes").first
    ).to_be_attached()


def test_a_language_tag_is_named_in_words(page: Page, live_server: str) -> None:
    open_page(page, f"{live_server}/page/kassel/org/kvv")
    tag = page.locator(".lang-tag").first
    expect(tag).to_have_text(re.compile(r"^Sprache: (de|en)$"))
    assert tag.get_attribute("aria-label") is None


LANDMARKS = """() => document.querySelectorAll(
    'main, nav, aside, header, footer, [role=region], [role=search], [role=navigation], '
    + 'section[aria-label], section[aria-labelledby], form[aria-label], form[aria-labelledby]'
).length"""


def test_the_ontology_page_has_few_landmarks_and_tells_same_named_terms_apart(
    page: Page, live_server: str
) -> None:
    open_page(page, f"{live_server}/ontology")
    assert page.evaluate(LANDMARKS) < 10
    headings = page.locator("section.term h3").evaluate_all("(hs) => hs.map((h) => h.textContent)")
    assert "Antwortstand (Vokabular)" in headings and "Antwortstand (Eigenschaft)" in headings
    assert len(headings) == len(set(headings))


def test_download_links_name_their_query(page: Page, live_server: str) -> None:
    open_page(page, f"{live_server}/queries/")
    names = page.locator("a", has_text=re.compile(r"^(JSON|CSV)")).all_inner_texts()
    assert len(names) >= 4
    assert len(names) == len(set(names)), "two download links share one name"


def test_language_tagged_results_are_read_in_their_language(page: Page, live_server: str) -> None:
    sparql = (
        "SELECT ?label WHERE { <https://w3id.org/stadtgraph/id/kassel/question/frage-6> "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label"
    )
    run_query(page, sparql, live_server)
    cells = page.locator("#yasr tbody span.nonIri")
    expect(cells).to_have_count(2)
    assert cells.evaluate_all("(cs) => cs.map((c) => c.lang)") == ["de", "en"]


def test_a_wrong_parameter_value_is_explained_at_its_field(
    page: Page, live_server: str, watch: Watch
) -> None:
    """WCAG 3.3.1 and 3.3.3: the form comes back with the value kept, the field focused and
    the problem said beside it."""
    response = page.goto(f"{live_server}/queries/involvement-by-actor?actor=not+an+iri")
    assert response is not None and response.status == 400
    field = page.locator("#param-actor")
    expect(field).to_be_focused()
    expect(field).to_have_value("not an iri")
    expect(page.locator("#param-actor-problem")).to_have_text(
        "Der Parameter „actor“ muss eine IRI sein, nicht „not an iri“."
    )
    assert violations(page) == []
    watch.expect_refused(400)  # the browser logs the answer itself


def test_the_results_filter_has_a_visible_label(page: Page, live_server: str) -> None:
    """WCAG 3.3.2: a placeholder goes once one types; the label stays."""
    run_query(page, f"SELECT ?q WHERE {{ ?q a <{SG}Question> }}", live_server)
    expect(page.locator("#yasr table tbody tr")).to_have_count(8)
    label = page.locator("#yasr label[for=result-filter]")
    expect(label).to_be_visible()
    expect(label).to_have_text("Ergebnisse filtern")
    page.locator("#result-filter").press_sequentially("frage-4")
    expect(page.locator("#yasr table tbody tr")).to_have_count(1)
    page.screenshot(path=str(SCREENSHOTS / "editor-filter-label.png"))
