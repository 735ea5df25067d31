"""Browser fixtures: the Kassel graph served by a real server, driven in headless Chromium.

Every page a test opens is watched: requests to any host but the test server are aborted and
fail the test, and so do console errors. Screenshots go to test-output/screenshots/.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Route,
    sync_playwright,
)
from werkzeug.serving import BaseWSGIServer, make_server

from service.app import create_app
from service.store import Store

from ..graph_fixtures import kassel_store_loaded

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser

TEXT_SPACING = """() => {
    for (const element of document.querySelectorAll('body *')) {
        element.style.setProperty('line-height', '1.5', 'important');
        element.style.setProperty('letter-spacing', '0.12em', 'important');
        element.style.setProperty('word-spacing', '0.16em', 'important');
    }
    for (const p of document.querySelectorAll('p')) {
        p.style.setProperty('margin-bottom', '2em', 'important');
    }
}"""
"""The text spacing WCAG 1.4.12 says a reader may set, on every element (through the CSSOM,
which the pages' CSP allows)."""


@pytest.fixture(scope="session")
def kassel_store() -> Iterator[Store]:
    """An in-memory store holding ontology/, shapes/ and data/, each file in its own graph."""
    store = kassel_store_loaded()
    yield store
    store.close()


@pytest.fixture(scope="session")
def live_server(kassel_store: Store) -> Iterator[str]:
    """Serve the app over the Kassel store on a free local port; yield its base URL."""
    app = create_app({"TESTING": True, "STORE": ":memory:"}, store=kassel_store)
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"browser tests need Debian's chromium at {CHROMIUM} (make test installs it)")
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@dataclass
class Watch:
    """What a page did: every request, the foreign ones, and console errors."""

    origin: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def expect_refused(self, status: int) -> None:
        """Accept the browser's own console line for a response with this status, which the
        test asked for, and nothing else."""
        assert [e for e in self.console_errors if f"status of {status}" not in e] == []
        self.console_errors.clear()


@pytest.fixture
def watch(live_server: str) -> Watch:
    return Watch(origin=live_server)


@pytest.fixture(params=[(1280, 900)], ids=["desktop"])
def viewport(request: pytest.FixtureRequest) -> tuple[int, int]:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def page(
    browser: Browser,
    live_server: str,
    watch: Watch,
    viewport: tuple[int, int],
    request: pytest.FixtureRequest,
) -> Iterator[Page]:
    """A fresh page on the live server; fails the test on foreign requests or console errors."""
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height}, locale="de-DE")
    origin = urlsplit(live_server).netloc

    def guard(route: Route, req: Request) -> None:
        watch.requests.append(req.url)
        parts = urlsplit(req.url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.netloc != origin:
            watch.foreign.append(req.url)
            route.abort()
        else:
            route.continue_()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watch.console_errors.append(message.text)

    context.route("**/*", guard)
    page = context.new_page()
    page.on("console", on_console)
    page.on("pageerror", lambda error: watch.console_errors.append(str(error)))
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
    try:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), timeout=15_000)
    finally:
        context.close()
    assert not watch.foreign, f"requests to other hosts: {watch.foreign}"
    assert not watch.console_errors, f"console errors: {watch.console_errors}"
