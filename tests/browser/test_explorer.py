"""The graph explorer in headless Chromium over the Kassel graph: what it draws matches the API,
search, expansion, paths, the table view, URL state, language, exports, a 360 px screen, and
labels from the data shown as text."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from werkzeug.serving import make_server

from service.app import create_app
from service.store import RdfFormat, open_store

from .conftest import SCREENSHOTS, TEXT_SPACING, Watch

K = "https://w3id.org/stadtgraph/id/kassel/"
KVV = K + "org/kvv"
STADT = K + "org/stadt-kassel"


def q(iri: str) -> str:
    return quote(iri, safe="")


def wait_idle(page: Page, loads: int = 1, timeout: float = 20) -> None:
    """Wait until the explorer has finished `loads` operations and is idle.

    Polls with page.evaluate: Playwright's wait_for_function would evaluate a string in the
    page, which the Content-Security-Policy (rightly) forbids.
    """
    deadline = time.monotonic() + timeout
    script = """() => window.stadtgraphExplorer
        ? [stadtgraphExplorer.idle, stadtgraphExplorer.loads, stadtgraphExplorer.error] : null"""
    while time.monotonic() < deadline:
        found = page.evaluate(script)
        if found and found[0] and found[1] >= loads:
            assert found[2] is None, found[2]
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"the explorer did not finish loading: {page.evaluate(script)}")


def loads(page: Page) -> int:
    return int(page.evaluate("stadtgraphExplorer.loads"))


def drawn(page: Page) -> dict[str, Any]:
    return page.evaluate(  # type: ignore[no-any-return]
        """() => ({nodes: stadtgraphExplorer.cy.nodes().map(n => n.id()).sort(),
                   edges: stadtgraphExplorer.cy.edges().map(e => e.id()).sort()})"""
    )


def api(page: Page, live_server: str, path: str) -> Any:
    response = page.request.get(live_server + path)
    assert response.ok, response.text()
    return response.json()


def open_explorer(page: Page, live_server: str, query: str = "") -> None:
    response = page.goto(f"{live_server}/explorer{query}")
    assert response is not None and response.status == 200
    wait_idle(page)


def test_the_explorer_draws_what_the_api_returns(page: Page, live_server: str) -> None:
    open_explorer(page, live_server, f"?focus={q(KVV)}&depth=2")
    view = api(page, live_server, f"/api/graph?focus={q(KVV)}&depth=2")
    shown = drawn(page)
    assert len(shown["nodes"]) == view["nodeCount"] > 10
    assert len(shown["edges"]) == view["edgeCount"]
    assert shown["nodes"] == sorted(n["data"]["id"] for n in view["elements"]["nodes"])
    status = page.locator("#explorer-status").inner_text()
    assert f"{view['nodeCount']} Knoten" in status
    # nodes were laid out: not all on one spot
    spread = page.evaluate("() => stadtgraphExplorer.cy.nodes().boundingBox().w")
    assert spread > 200


def test_the_whole_graph_opens_with_its_landmarks_named(page: Page, live_server: str) -> None:
    # Zoomed out to show the whole graph, labels of 11 px would be drawn at a third of that
    # and hidden; the most connected nodes keep theirs at a readable size on screen.
    open_explorer(page, live_server)
    landmarks = """() => {
        const cy = stadtgraphExplorer.cy;
        return {zoom: cy.zoom(), nodes: cy.nodes().length,
                most: cy.nodes().max(n => n.degree()).ele.id(),
                shown: cy.nodes('.landmark').map(n => [n.id(),
                    parseFloat(n.style('font-size')) * cy.zoom(), n.style('label')])};
    }"""
    view = page.evaluate(landmarks)
    assert view["zoom"] < 0.9, "the whole graph is shown zoomed out"
    assert 3 <= len(view["shown"]) <= 8
    assert view["most"] in [iri for iri, _, _ in view["shown"]]
    for _, on_screen, label in view["shown"]:
        assert on_screen >= 10.9 and label
    # No landmark's label covers another's (the less connected one is left unnamed).
    boxes = page.evaluate(
        """() => stadtgraphExplorer.cy.nodes('.landmark').map(n => n.renderedBoundingBox(
               {includeNodes: false, includeEdges: false, includeLabels: true}))"""
    )
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = (
                a["x2"] <= b["x1"] or b["x2"] <= a["x1"] or a["y2"] <= b["y1"] or b["y2"] <= a["y1"]
            )
            assert apart, (a, b)
    page.evaluate("() => stadtgraphExplorer.cy.zoom(2)")
    page.wait_for_timeout(200)
    zoomed = page.evaluate(landmarks)
    assert all(abs(px - 22) < 0.5 for _, px, _ in zoomed["shown"]), "11 px at zoom 2"


def test_the_table_lists_the_same_nodes_and_edges(page: Page, live_server: str) -> None:
    open_explorer(page, live_server, f"?focus={q(STADT)}&depth=1")
    shown = drawn(page)
    ids = "table => [...document.querySelectorAll(table + ' tbody tr')].map(r => r.dataset.id)"
    rows = page.evaluate(ids, "#explorer-nodes")
    edge_rows = page.evaluate(ids, "#explorer-edges")
    assert sorted(rows) == shown["nodes"]
    assert sorted(edge_rows) == shown["edges"]
    # the table is the keyboard way in: a row's button selects the node
    button = page.locator("#explorer-nodes tbody tr", has_text="KVV").locator("button")
    button.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("stadtgraphExplorer.cy.$(':selected').id()") == KVV
    assert page.locator("#explorer-details-body h3").inner_text() == "KVV"
    assert "sel=" in page.url


def test_searching_kvv_finds_highlights_and_centres_it(page: Page, live_server: str) -> None:
    open_explorer(page, live_server)
    box = page.locator("#explorer-q")
    box.fill("KVV")
    option = page.locator("#explorer-q-options [role=option]").first
    option.wait_for()
    assert option.locator(".option-label").inner_text() == "KVV"
    matches = page.evaluate("stadtgraphExplorer.cy.nodes('.match').map(n => n.id())")
    assert KVV in matches and len(matches) == 2  # and the statement that names it
    assert page.evaluate("stadtgraphExplorer.cy.nodes('.faded').length") > 100
    box.press("ArrowDown")
    box.press("Enter")
    assert page.evaluate("stadtgraphExplorer.cy.$(':selected').id()") == KVV
    centred = page.evaluate(
        """() => { const cy = stadtgraphExplorer.cy, n = cy.$(':selected').renderedPosition();
                   return [Math.abs(n.x - cy.width() / 2), Math.abs(n.y - cy.height() / 2)]; }"""
    )
    assert centred[0] < 20 and centred[1] < 20  # centred (the label shifts the box a little)


def test_a_search_s_results_keep_their_address(page: Page, live_server: str) -> None:
    # The results of /explorer?q= can be bookmarked and shared: the script that takes over
    # the page keeps the search in the address (it dropped it, leaving /explorer?).
    open_explorer(page, live_server, "?q=Smart")
    assert "Smart" in page.locator("#results-title").inner_text()
    assert "q=Smart" in page.url
    page.reload()
    wait_idle(page)
    assert "q=Smart" in page.url and page.locator("#results-title").is_visible()


def test_expanding_shows_counts_first_then_adds_the_neighbours(
    page: Page, live_server: str
) -> None:
    open_explorer(page, live_server, f"?focus={q(KVV)}&depth=1")
    before = drawn(page)["nodes"]
    assert K + "org/magistrat" not in before
    page.evaluate(f"stadtgraphExplorer.select({KVV!r})")
    page.evaluate(f"stadtgraphExplorer.select({STADT!r})")
    done = loads(page)
    page.locator("#explorer-details-body button", has_text="Nachbarn anzeigen").click()
    wait_idle(page, done + 1)
    group = page.locator("#explorer-expansion button[data-relation=unitOf][data-direction=in]")
    inner = page.locator("button[data-relation=unitOf][data-direction=in]")
    assert "(eingehend): 5" in page.locator("#explorer-expansion li", has=inner).inner_text()
    assert drawn(page)["nodes"] == before  # counts only: nothing added yet
    group.click()
    wait_idle(page, done + 2)
    after = drawn(page)["nodes"]
    units = api(page, live_server, f"/api/expand?node={q(STADT)}&relation=unitOf&direction=in")
    added = {n["data"]["id"] for n in units["elements"]["nodes"]} - {STADT}
    assert added <= set(after) and K + "org/magistrat" in after
    assert len(after) == len(set(before) | added)
    assert "x=" in page.url
    # undo takes the expansion back
    page.locator("#explorer-undo").click()
    assert drawn(page)["nodes"] == before


def test_the_path_between_two_actors_is_drawn(page: Page, live_server: str) -> None:
    open_explorer(page, live_server, f"?focus={q(KVV)}&depth=1")
    for field, name in (("#explorer-from", "KVV"), ("#explorer-to", "Seniorenbeirat")):
        page.locator(field).fill(name)
        page.locator(f"{field}-options [role=option]").first.wait_for()
        page.locator(f"{field}-options [role=option]").first.click()
    done = loads(page)
    page.locator("#explorer-path button[type=submit]").click()
    wait_idle(page, done + 1)
    expected = api(page, live_server, f"/api/path?from={q(KVV)}&to={q(K + 'org/seniorenbeirat')}")
    path_nodes = page.evaluate("stadtgraphExplorer.cy.nodes('.path').map(n => n.id()).sort()")
    assert path_nodes == sorted(p["iri"] for p in expected["path"])
    assert page.evaluate("stadtgraphExplorer.cy.edges('.path').length") == expected["length"]
    steps = page.locator("#explorer-path-result ol li").all_inner_texts()
    assert [s.split(" (")[0] for s in steps] == [p["label"] for p in expected["path"]]
    # Each step's link in its own direction: KVV – städtisches Unternehmen von – Stadt Kassel,
    # Seniorenbeirat – Einheit von – Stadt Kassel (not KVV "to" the Seniorenbeirat).
    labels = {p["iri"]: p["label"] for p in expected["path"]}
    links = page.locator("#explorer-path-result ul.path-links li").all_inner_texts()
    assert links == [
        f"{labels[e['data']['source']]} – {e['data']['label']} – {labels[e['data']['target']]}"
        for e in expected["elements"]["edges"]
    ]
    assert "Seniorenbeirat der Stadt Kassel – Einheit von – Stadt Kassel" in links
    assert "from=" in page.url and "to=" in page.url
    # Opened from its address, the path's ends are named in the fields, and the form sends
    # the same ends again.
    page.goto(page.url)
    page.locator("#explorer-path-result ul.path-links li").first.wait_for()
    assert page.input_value("#explorer-from") == "KVV"
    assert page.input_value("#explorer-to") == "Seniorenbeirat der Stadt Kassel"
    done = loads(page)
    page.locator("#explorer-path button[type=submit]").click()
    wait_idle(page, done + 1)
    assert page.locator("#explorer-path-result ul.path-links li").all_inner_texts() == links


def test_the_url_restores_the_view(page: Page, live_server: str, browser: Browser) -> None:
    open_explorer(page, live_server, f"?focus={q(STADT)}&depth=1&layout=concentric")
    done = loads(page)
    page.evaluate(f"stadtgraphExplorer.expand({KVV!r}, 'involvedIn', 'out')")
    wait_idle(page, done + 1)
    page.evaluate(f"stadtgraphExplorer.select({K + 'org/magistrat'!r})")
    page.locator("#explorer-types input[value=statement]").uncheck()
    wait_idle(page, done + 2)
    shown, url = drawn(page), page.url
    assert "types=" in url and "x=" in url and "sel=" in url and "layout=concentric" in url
    assert not any("/statement/" in n for n in shown["nodes"])

    other = page.context.new_page()
    other.goto(url)
    wait_idle(other)
    assert drawn(other) == shown
    assert other.evaluate("stadtgraphExplorer.cy.$(':selected').id()") == K + "org/magistrat"
    assert other.locator("#explorer-layout").input_value() == "concentric"
    assert not other.locator("#explorer-types input[value=statement]").is_checked()
    other.close()
    page.go_back()  # the history holds the views too
    wait_idle(page, loads(page))


def test_an_action_field_neighbourhood_answers_who_is_involved(
    page: Page, live_server: str
) -> None:
    open_explorer(page, live_server)
    done = loads(page)
    page.locator(".action-field-links a", has_text="Digitalisierung an sich").click()
    wait_idle(page, done + 1)
    assert KVV in drawn(page)["nodes"]
    edge = f"{KVV} involvedIn {K}involvement/kvv-gesamtstrategie {K}strategy/gesamtstrategie"
    page.evaluate(f"stadtgraphExplorer.select({edge!r})")
    details = page.locator("#explorer-details-body")
    assert "eingebunden" in details.inner_text()
    source = details.locator("a", has_text="Städtische Betriebe sind eingebunden")
    assert source.get_attribute("href", timeout=1000).endswith(
        "/page/kassel/statement/s22-staedtische-betriebe-eingebunden"
    )


def test_the_language_switch_keeps_the_view(page: Page, live_server: str) -> None:
    open_explorer(page, live_server, f"?focus={q(STADT)}&depth=1")
    assert page.locator("h1").inner_text() == "Graph-Explorer"
    page.evaluate(f"stadtgraphExplorer.select({KVV!r})")
    page.locator(".language-switch a[hreflang=en]").click()
    wait_idle(page)
    assert page.locator("h1").inner_text() == "Graph explorer"
    assert page.evaluate(f"stadtgraphExplorer.cy.$id({STADT!r}).data('label')") == "City of Kassel"
    assert page.evaluate("stadtgraphExplorer.cy.$(':selected').id()") == KVV
    assert "Nodes (" in page.locator("#explorer-nodes caption").inner_text()
    assert page.evaluate("document.documentElement.lang") == "en"


def test_exports_download(page: Page, live_server: str) -> None:
    open_explorer(page, live_server, f"?focus={q(KVV)}&depth=1")
    with page.expect_download() as png:
        page.locator("#explorer-png").click()
    assert png.value.suggested_filename == "stadtgraph.png"
    with page.expect_download() as graphml:
        page.locator("#export-graphml").click()
    assert graphml.value.suggested_filename == "kvv.graphml"
    href = page.locator("#export-gexf").get_attribute("href") or ""
    assert "focus=" in href and "depth=1" in href


@pytest.mark.parametrize("viewport", [(360, 740)], indirect=True, ids=["360px"])
def test_usable_at_360_px(page: Page, live_server: str) -> None:
    open_explorer(page, live_server, f"?focus={q(KVV)}&depth=2")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = page.locator("#cy").bounding_box()
    assert box is not None and box["width"] >= 300 and box["height"] >= 300
    page.locator("#cy").scroll_into_view_if_needed()


@pytest.mark.parametrize("viewport", [(360, 740)], indirect=True, ids=["360px"])
def test_on_a_phone_the_whole_graph_fills_the_upright_frame(page: Page, live_server: str) -> None:
    # The whole graph's drawing is wide; held upright, a phone's frame is tall: the drawing is
    # turned a quarter to fill it, and four landmarks are named instead of eight.
    open_explorer(page, live_server)
    shape = page.evaluate(
        """() => { const cy = stadtgraphExplorer.cy, box = cy.nodes().boundingBox();
                   return {frame: [cy.width(), cy.height()], drawing: [box.w, box.h],
                           landmarks: cy.nodes('.landmark').length}; }"""
    )
    assert shape["frame"][1] > shape["frame"][0]
    assert shape["drawing"][1] > shape["drawing"][0], shape
    assert 2 <= shape["landmarks"] <= 4


def test_the_analytics_page(page: Page, live_server: str) -> None:
    response = page.goto(f"{live_server}/analytics")
    assert response is not None and response.status == 200
    first = page.locator("#betweenness tbody tr").first.inner_text()
    assert "Oberbürgermeister" in first
    assert page.locator("#communities > li").count() > 1
    page.locator(".language-switch a[hreflang=en]").click()
    assert page.locator("h1").inner_text() == "Analytics of the involvement graph"


# -- a label from the data that looks like HTML ------------------------------------------------

EVIL = "<script>document.title='owned'</script><img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def evil_server() -> Iterator[str]:
    store = open_store(path=None)
    store.load(
        f"""@prefix sg: <https://w3id.org/stadtgraph/ontology#> .
        @prefix prov: <http://www.w3.org/ns/prov#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <urn:x:evil> a prov:Agent ; rdfs:label "{EVIL}"@de ;
            sg:involvedIn <urn:x:s> .
        <urn:x:s> a sg:Strategy ; rdfs:label "Strategie"@de .""".encode(),
        RdfFormat.TURTLE,
        "urn:x:graph",
    )
    app = create_app({"TESTING": True, "STORE": ":memory:"}, store=store)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    store.close()


def test_a_label_that_looks_like_html_shows_as_text(browser: Browser, evil_server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    watch = Watch(origin=evil_server)
    origin = urlsplit(evil_server).netloc
    context.route(
        "**/*",
        lambda route, req: (
            route.abort() if urlsplit(req.url).netloc not in (origin, "") else route.continue_()
        ),
    )
    page = context.new_page()
    page.on("dialog", lambda dialog: watch.console_errors.append("dialog: " + dialog.message))
    page.on("pageerror", lambda error: watch.console_errors.append(str(error)))
    try:
        page.goto(f"{evil_server}/explorer?focus=urn:x:s&depth=1")
        wait_idle(page)
        cell = page.locator("#explorer-nodes tbody tr[data-id='urn:x:evil'] th")
        assert cell.inner_text() == EVIL
        page.evaluate("stadtgraphExplorer.select('urn:x:evil')")
        assert page.locator("#explorer-details-body h3").inner_text() == EVIL
        page.locator("#explorer-q").fill("script")
        page.locator("#explorer-q-options .option-label").first.wait_for()
        assert page.locator("#explorer-q-options .option-label").first.inner_text() == EVIL
        assert page.title() != "owned"
        assert page.locator("img[src=x]").count() == 0
        page.screenshot(path=str(SCREENSHOTS / "test_a_label_that_looks_like_html.png"))
    finally:
        context.close()
    assert not watch.console_errors, watch.console_errors


def test_layouts_rearrange_the_same_nodes(page: Page, live_server: str) -> None:
    open_explorer(page, live_server, f"?focus={q(STADT)}&depth=1")
    positions = "() => stadtgraphExplorer.cy.nodes().map(n => [n.id(), n.position()])"
    before = dict(page.evaluate(positions))
    for name in ("breadthfirst", "concentric", "force"):
        page.locator("#explorer-layout").select_option(name)
        after = dict(page.evaluate(positions))
        assert set(after) == set(before)
        assert after != before, name
        assert f"layout={name}" in page.url or name == "force"
        before = after
    # breadth-first puts the focus at the top, the units it has below it
    page.locator("#explorer-layout").select_option("breadthfirst")
    top = page.evaluate(f"stadtgraphExplorer.cy.$id({STADT!r}).position().y")
    assert top == page.evaluate(
        "Math.min(...stadtgraphExplorer.cy.nodes().map(n => n.position().y))"
    )
    page.locator("#explorer-undo").click()
    assert page.locator("#explorer-layout").input_value() == "force"


# -- keyboard and screen reader (the accessibility audit) --------------------------------------

ACTIVE = """() => { const e = document.activeElement;
    return e && e !== document.body ? (e.id || e.tagName + ' ' + e.textContent.trim()) : null; }"""


def test_focus_never_falls_back_to_the_body(page: Page, live_server: str) -> None:
    # "Zum Mittelpunkt machen" is rebuilt with the panel; the panel's heading takes the focus.
    open_explorer(page, live_server, f"?focus={q(KVV)}&depth=1")
    page.evaluate(f"stadtgraphExplorer.select({STADT!r})")
    done = loads(page)
    page.locator("#explorer-details-body button", has_text="Zum Mittelpunkt machen").focus()
    page.keyboard.press("Enter")
    wait_idle(page, done + 1)
    assert page.evaluate("stadtgraphExplorer.state.focus") == STADT
    assert page.evaluate(ACTIVE) == "details-title"
    # The last possible undo leaves the button where it was, announced as unavailable.
    undo = page.locator("#explorer-undo")
    undo.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("stadtgraphExplorer.state.focus") == KVV
    assert page.evaluate(ACTIVE) == "explorer-undo"
    assert undo.get_attribute("aria-disabled") == "true"
    page.keyboard.press("Enter")
    assert page.evaluate(ACTIVE) == "explorer-undo"
    assert page.locator("#explorer-status").inner_text() == "Nichts rückgängig zu machen."
    assert page.evaluate("stadtgraphExplorer.state.focus") == KVV


def test_skip_links_lead_past_the_long_blocks(page: Page, live_server: str) -> None:
    open_explorer(page, live_server)
    done = loads(page)
    nav = page.get_by_role("navigation", name="Springen zu")
    links = nav.get_by_role("link")
    assert links.all_inner_texts() == ["Auswahl", "Tabelle", "Nach der Tabelle"]
    # Tab reaches them first in the content, and they show when focused.
    page.locator("#main").focus()
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE) == "A Auswahl"
    box = links.first.bounding_box()
    assert box is not None and box["width"] > 30 and box["height"] > 10 and box["y"] >= 0
    page.screenshot(path=str(SCREENSHOTS / "explorer-skip-link-focused.png"))
    page.keyboard.press("Enter")
    assert page.evaluate(ACTIVE) == "details-title"
    page.locator("#main").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate(ACTIVE) == "table-title"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#explorer-nodes') !== null")
    links.last.focus()
    page.keyboard.press("Enter")
    assert page.evaluate(ACTIVE) == "explorer-end"
    assert page.locator("#explorer-end").is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('footer') !== null")
    # in-page jumps neither reload the view nor change its address
    assert loads(page) == done and "#" not in page.url
    page.goto(f"{live_server}/explorer?lang=en")
    wait_idle(page)
    english = page.get_by_role("navigation", name="Jump to").get_by_role("link")
    assert english.all_inner_texts() == ["Selection", "Table", "After the table"]


def test_suggestions_are_counted_in_a_status_message(page: Page, live_server: str) -> None:
    open_explorer(page, live_server, f"?focus={q(KVV)}&depth=1")
    box, status = page.locator("#explorer-q"), page.locator("#explorer-q-status")
    assert status.get_attribute("role") == "status"
    box.fill("KVV")
    expect(status).to_have_text(re.compile(r"^\d+ Treffer$"))
    shown = page.locator("#explorer-q-options [role=option]").count()
    assert status.inner_text() == f"{shown} Treffer"
    box.fill("xyzzy")
    expect(status).to_have_text("Keine Treffer.")
    box.press("Escape")
    expect(page.locator("#explorer-q-options")).to_be_hidden()
    box.press("ArrowDown")  # opens the list again, which says so
    expect(page.locator("#explorer-q-options")).to_be_visible()
    expect(page.locator("#explorer-q-options .message")).to_have_text("Keine Treffer.")
    expect(status).to_have_text("Keine Treffer.")
    box.press("Escape")  # closes the list
    box.press("Escape")  # empties the field
    expect(box).to_have_value("")
    expect(status).to_have_text("")
    # the path finder's fields say the same
    page.locator("#explorer-from").fill("Seniorenbeirat")
    expect(page.locator("#explorer-from-status")).to_have_text(re.compile(r"^\d+ Treffer$"))
    page.locator("#explorer-to").fill("xyzzy")
    expect(page.locator("#explorer-to-status")).to_have_text("Keine Treffer.")


def test_a_search_s_results_name_the_search_in_the_title(page: Page, live_server: str) -> None:
    open_explorer(page, live_server, "?q=Smart")
    assert page.title() == "Suchergebnisse für „Smart“ – Graph-Explorer · Stadtgraph"
    open_explorer(page, live_server, "?q=Smart&lang=en")
    assert page.title() == "Search results for “Smart” – Graph explorer · Stadtgraph"
    open_explorer(page, live_server, "?lang=de")
    assert page.title() == "Graph-Explorer · Stadtgraph"


def test_filters_keep_to_their_column_with_wider_text_spacing(page: Page, live_server: str) -> None:
    # WCAG 1.4.12: a reader's style sheet widens lines, letters and words on every element.
    open_explorer(page, live_server)
    page.evaluate(TEXT_SPACING)
    page.wait_for_timeout(100)
    sizes = page.evaluate(
        """() => {
            const right = (e) => e.getBoundingClientRect().right;
            const labels = [...document.querySelectorAll('#explorer-view label')]
                .filter((l) => l.getClientRects().length);
            return {column: right(document.getElementById('explorer-view')),
                    types: right(document.getElementById('explorer-types')),
                    relations: right(document.getElementById('explorer-relations')),
                    labels: Math.max(...labels.map(right)),
                    graph: document.getElementById('cy').getBoundingClientRect().left};
        }"""
    )
    assert sizes["types"] <= sizes["column"] + 0.5, sizes
    assert sizes["relations"] <= sizes["column"] + 0.5, sizes
    assert sizes["labels"] <= sizes["graph"], sizes


def named(text: str, label: str) -> re.Pattern[str]:
    """The accessible name of a link reading `text` whose hidden rest names `label`
    (Chromium puts a space before the hidden part, which is positioned apart)."""
    return re.compile(f"^{re.escape(text)} ?: {re.escape(label)}$")


def shown_text(link: Locator) -> str:
    """A link's text without what is hidden from sight (still rendered, clipped to 1 px)."""
    script = """a => [...a.childNodes].filter(n => !(n.classList
        && n.classList.contains('visually-hidden'))).map(n => n.textContent).join('')"""
    return str(link.evaluate(script))


def test_page_links_name_the_node_they_open(page: Page, live_server: str) -> None:
    open_explorer(page, live_server, f"?focus={q(STADT)}&depth=1")
    rows = page.locator("#explorer-nodes tbody tr")
    assert rows.count() > 5
    for i in range(rows.count()):
        label = rows.nth(i).locator("th").inner_text()
        link = rows.nth(i).locator("a", has_text="Seite öffnen")
        expect(link).to_have_accessible_name(named("Seite öffnen", label))
        assert shown_text(link) == "Seite öffnen"  # what shows is unchanged
    page.evaluate(f"stadtgraphExplorer.select({KVV!r})")
    link = page.locator("#explorer-details-body a", has_text="Seite öffnen")
    expect(link).to_have_accessible_name(named("Seite öffnen", "KVV"))
    # without JavaScript, the table the server writes does the same
    html = page.request.get(f"{live_server}/explorer?focus={q(STADT)}&depth=1").text()
    assert 'Seite öffnen<span class="visually-hidden">: KVV</span>' in html
    # the analytics page's links into the explorer too
    page.goto(f"{live_server}/analytics")
    for table in ("#degree", "#betweenness"):
        rows = page.locator(f"{table} tbody tr")
        assert rows.count() > 5
        for i in range(rows.count()):
            label = rows.nth(i).locator("th").inner_text()
            link = rows.nth(i).locator("a", has_text="Im Explorer")
            expect(link).to_have_accessible_name(named("Im Explorer", label))
            assert shown_text(link) == "Im Explorer"


def test_arrow_keys_on_the_depth_load_once(page: Page, live_server: str) -> None:
    # Each arrow key on a closed select changes it; the view waits until the reader stops.
    open_explorer(page, live_server, f"?focus={q(KVV)}&depth=1")
    done = loads(page)
    depth = page.locator("#explorer-depth")
    depth.focus()
    # Checked right after the keys, well within the 600 ms the view waits for.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert depth.input_value() == "3"
    assert loads(page) == done and page.evaluate("stadtgraphExplorer.state.depth") == 1
    wait_idle(page, done + 1)
    page.wait_for_timeout(800)
    assert loads(page) == done + 1 and page.evaluate("stadtgraphExplorer.state.depth") == 3
    assert "depth=3" in page.url
    # Enter applies at once; one undo goes back one applied step
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    wait_idle(page, done + 2)
    assert page.evaluate("stadtgraphExplorer.state.depth") == 2
    page.locator("#explorer-undo").click()
    assert page.evaluate("stadtgraphExplorer.state.depth") == 3
    # a choice with the mouse (or select_option) applies at once
    depth.select_option("1")
    wait_idle(page, done + 3)
    assert page.evaluate("stadtgraphExplorer.state.depth") == 1


def test_a_failed_search_does_not_offer_the_last_search_s_suggestions(
    page: Page, live_server: str, watch: Watch
) -> None:
    open_explorer(page, live_server, f"?focus={q(KVV)}&depth=1")
    box, status = page.locator("#explorer-q"), page.locator("#explorer-q-status")
    box.fill("KVV")
    expect(status).to_have_text(re.compile(r"^\d+ Treffer$"))
    page.route("**/api/search*", lambda route: route.abort())
    box.fill("Seniorenbeirat")
    expect(status).to_have_text("Die Suche antwortet gerade nicht.")
    box.press("ArrowDown")
    expect(page.locator("#explorer-q-options")).to_be_hidden()
    assert page.locator("#explorer-q-options [role=option]").count() == 0
    # The browser logs the aborted requests itself; those errors are expected here.
    watch.console_errors.clear()


def test_counts_agree_in_number_and_a_refused_address_stays_said(
    page: Page, live_server: str, watch: Watch
) -> None:
    open_explorer(page, live_server, f"?focus={q(K + 'place/wien')}&depth=1&lang=en")
    assert len(drawn(page)["edges"]) == 1
    assert "2 nodes and 1 edge in view." in page.locator("#explorer-status").inner_text()
    # depth=99: the server says why it shows the default view, and the script keeps saying it
    response = page.goto(f"{live_server}/explorer?focus={q(KVV)}&depth=99&lang=de")
    assert response is not None and response.status == 400
    watch.expect_refused(400)
    wait_idle(page)
    status = page.locator("#explorer-status").inner_text()
    assert "depth" in status and "Knoten und" in status
    page.select_option("#explorer-depth", "2")  # a change of view ends the message
    page.wait_for_function(
        "() => !document.getElementById('explorer-status').textContent.includes('depth')"
    )
    page.go_back()  # back at the refused address, the reason is said again
    page.wait_for_function(
        "() => document.getElementById('explorer-status').textContent.includes('depth')"
    )


def test_a_statements_details_give_the_sources_words_and_caveat(
    page: Page, live_server: str
) -> None:
    open_explorer(page, live_server, f"?focus={q(KVV)}&depth=1")
    row = page.locator("#explorer-nodes tbody tr", has_text="Städtische Betriebe sind eingebunden")
    row.locator("button").click()
    details = page.locator("#explorer-details-body")
    quote = details.locator("blockquote")
    expect(quote).to_contain_text("In die Strategie eingebunden sind auch städtische Betriebe")
    assert quote.get_attribute("lang") == "de"
    expect(details.locator("em[lang=de]")).to_have_text("ohne Gewähr")
    expect(details).to_contain_text("Vorbehalt der Quelle")
