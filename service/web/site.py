"""What every page shares: the language, the navigation, the security headers, proxy awareness.

`init_app` is called once by `create_app`; blueprints then only render templates that extend
`base.html`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import Flask, Response, current_app, request
from markupsafe import Markup, escape
from werkzeug.middleware.proxy_fix import ProxyFix

from .. import vocabulary as v
from ..app_store import get_store
from ..dataset_stats import DatasetStats, Fingerprint, StoreState, compute_stats
from ..labels import Link
from ..licences import licence
from ..per_state import PerState
from . import i18n
from .request_body import LengthForChunkedBodies

STATS = "stadtgraph.stats"
STATE = "stadtgraph.state"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
"""Nothing from other hosts, no inline scripts or styles. JSON-LD data blocks are not scripts
that run, so they are allowed without an exception."""


@dataclass(frozen=True)
class NavItem:
    key: str
    path: str

    def is_current(self, path: str) -> bool:
        if self.path == "/":
            return path == "/"
        return path == self.path or path.startswith(self.path.rstrip("/") + "/")


NAVIGATION = (
    NavItem("nav.start", "/"),
    NavItem("nav.explorer", "/explorer"),
    NavItem("nav.sparql", "/sparql"),
    NavItem("nav.inquiry", "/inquiry"),
    NavItem("nav.data", "/dumps/"),
)
"""The main navigation; paths are relative to where the app is mounted."""


def navigation() -> list[dict[str, object]]:
    """Return the navigation items for the current request, marking the current one."""
    root = request.script_root
    return [
        {"key": item.key, "href": root + item.path, "current": item.is_current(request.path)}
        for item in NAVIGATION
    ]


def store_state() -> Fingerprint:
    """Return the fingerprint of the store's current state (re-read every few seconds)."""
    state: StoreState = current_app.extensions[STATE]
    return state.current(get_store())


def forget_state() -> None:
    """Have the store's state read again on next use (the web layer calls this after writes)."""
    state: StoreState = current_app.extensions[STATE]
    state.invalidate()


def stats_cache() -> PerState[DatasetStats]:
    """Return the app's dataset statistics, kept per state of the store."""
    cache: PerState[DatasetStats] = current_app.extensions[STATS]
    return cache


def dataset_stats() -> DatasetStats:
    """Return the statistics of the store's current state (computed once per state)."""
    return stats_cache().get(get_store(), store_state())


def upper_first(text: str) -> str:
    """Capitalise the first letter only (`beteiligt an` → `Beteiligt an`, `GeoNames` stays)."""
    return text[:1].upper() + text[1:]


def linked(items: Iterable[Link]) -> Markup:
    """Links as anchors, separated by commas; one without an address as its text (a blank
    node as "(ohne Namen)"). What the `links` macro wrote, without a macro call per link: an
    entity page of a hub has thousands."""
    parts = []
    for item in items:
        text = escape(item.text or i18n.text("entity.blank", i18n.current_language()))
        parts.append(f'<a href="{escape(item.href)}">{text}</a>' if item.href else text)
    # Every part is escaped above (Markup's own % and format cost a third more).
    return Markup(", ".join(parts))  # noqa: S704


def init_app(app: Flask) -> None:
    """Install language selection, shared template globals, security headers, lengths for
    chunked bodies and ProxyFix."""
    i18n.init_app(app)
    app.extensions[STATS] = PerState(compute_stats)
    app.extensions[STATE] = StoreState()
    app.wsgi_app = LengthForChunkedBodies(  # type: ignore[method-assign]
        app.wsgi_app, int(app.config["MAX_REQUEST_BYTES"])
    )
    hops = int(app.config.get("TRUSTED_PROXIES", 0))
    if hops:
        # Trust X-Forwarded-For/-Proto/-Host/-Port/-Prefix from that many proxies in front of us, so
        # that absolute URLs (redirects, VoID, DCAT) name the public host, port, scheme, prefix.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )
    app.jinja_env.globals.update(
        navigation=navigation,
        publisher_name=lambda: app.config.get("PUBLISHER_NAME") or "Stadtgraph",
        licence=lambda: licence(app.config["DATA_LICENSE"]),
    )

    app.jinja_env.filters["upper_first"] = upper_first
    app.jinja_env.filters["linked"] = linked
    app.jinja_env.filters["long_date"] = lambda value: v.long_date(value, i18n.current_language())
    app.jinja_env.filters["number"] = lambda value, digits=None: i18n.format_number(
        value, i18n.current_language(), digits
    )

    @app.after_request
    def security_headers(response: Response) -> Response:
        if response.mimetype == "text/html":
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
