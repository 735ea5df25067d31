"""The browser harness itself: a page loads from the live server, with its styles."""

from __future__ import annotations

from playwright.sync_api import Page

from .conftest import Watch


def test_health_page_loads_without_foreign_requests(
    page: Page, live_server: str, watch: Watch
) -> None:
    response = page.goto(f"{live_server}/health")
    assert response is not None
    assert response.status == 200
    assert '"triples"' in page.content()
    assert all(url.startswith(live_server) for url in watch.requests)


def test_vendored_cytoscape_is_served(page: Page, live_server: str) -> None:
    response = page.request.get(f"{live_server}/vendor/cytoscape/dist/cytoscape.min.js")
    assert response.status == 200
    assert "cytoscape" in response.text()
    assert page.request.get(f"{live_server}/vendor/cytoscape/package.json").status == 404
