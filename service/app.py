"""The Flask application factory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from . import app_store, errors
from .settings import resolve_settings
from .store import Store


def create_app(config: Mapping[str, Any] | None = None, *, store: Store | None = None) -> Flask:
    """Create the Stadtgraph app: settings, store, error handling, blueprints.

    `config` overrides environment settings (tests, embedding); `store` hands in an opened store.
    A bad setting raises `SettingsError` naming it.
    """
    app = Flask(
        __name__,
        instance_path=str(app_store.instance_folder()),
        template_folder="web/templates",
        static_folder="web/static",
    )
    app.config.update(resolve_settings(config))
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app_store.init_app(app, store)
    errors.init_app(app)

    from .web import assets, caching, meta, sparql, writes

    caching.init_app(app)

    app.register_blueprint(meta.bp)
    app.register_blueprint(assets.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(writes.bp)

    from .web import pages, publish, query_pages, site

    site.init_app(app)
    publish.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(publish.bp)
    app.register_blueprint(query_pages.bp)

    from .web import home

    app.register_blueprint(home.bp)

    from .web import explorer, graph_api

    app.register_blueprint(graph_api.bp)
    app.register_blueprint(explorer.bp)

    from .web import reconcile

    app.register_blueprint(reconcile.bp)
    return app
