"""Run the app: Werkzeug's server for one worker, gunicorn for several."""

from __future__ import annotations

from typing import Any

from flask import Flask


def run_server(app: Flask, host: str, port: int, workers: int) -> None:
    """Serve the app until interrupted.

    With several workers the app (and its in-memory store) is created once in the master
    and shared by fork; the embedded store is then served read-only, since the workers'
    memory copies could not see each other's writes.
    """
    if workers == 1:
        from werkzeug.serving import run_simple

        run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)
        return
    if not app.config.get("ENDPOINT"):
        app.config["READ_ONLY"] = True
    _Gunicorn(
        app,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "preload_app": True,
            "timeout": int(app.config["QUERY_TIMEOUT"]) + 30,
            "accesslog": "-",
            "errorlog": "-",
        },
    ).run()


def _gunicorn_base() -> type[Any]:
    from gunicorn.app.base import BaseApplication

    return BaseApplication  # type: ignore[no-any-return]


class _Gunicorn(_gunicorn_base()):  # type: ignore[misc]
    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application
