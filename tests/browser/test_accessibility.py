"""WCAG 2.1 A and AA (what BITV 2.0 asks of a city's pages), checked by axe-core in Chromium.

axe-core (pinned in package.json as a development dependency, never served to readers) runs
on every page type in both languages, on a phone-sized screen, and in the states a reader
brings about: the SPARQL editor with a table, a yes/no answer and an error; the explorer with
a node selected, its neighbours counted and a search's results. axe's best-practice rules run
too (landmarks, headings, unique names); the contrast of every text is checked apart, in
test_contrast.py.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from .conftest import ROOT, Watch
from .test_explorer import KVV, STADT, loads, open_explorer, wait_idle
from .test_pages import editor_ready, open_page, run_query

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
        assert [e for e in watch.console_errors if "status of 404" not in e] == []
        watch.console_errors.clear()


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
    # The browser logs the refused request itself; that one error is expected here.
    assert [e for e in watch.console_errors if "status of 400" not in e] == []
    watch.console_errors.clear()


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


def test_tab_leaves_the_query_editor_and_ctrl_brackets_indent(page: Page, live_server: str) -> None:
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
    page.keyboard.press("Control+]")
    value = page.evaluate("() => window.StadtgraphEditor.yasqe.getValue()")
    assert value.startswith((" ", "\t")) and value.strip().startswith("SELECT")
    expect(page.locator("#editor-app > p.muted").first).to_contain_text("Tab verlässt den Editor")


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
        ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
            || style.boxShadow !== 'none',
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
    for _ in range(250):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            break
        assert focused["shown"] and focused["ring"], f"no visible focus on {focused['name']}"
        stops.append(focused["name"])
    else:
        raise AssertionError(f"Tab did not reach the end of {path}: {stops[-5:]}")
    assert len(stops) >= 5
