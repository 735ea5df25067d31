"""Self-hosted browser libraries from node_modules (pinned in package.json), never a CDN."""

from __future__ import annotations

from flask import Blueprint, Response, send_from_directory

from ..errors import StadtgraphError
from ..project import ROOT

NODE_MODULES = ROOT / "node_modules"
VENDOR_FILES = frozenset(
    {
        "cytoscape/dist/cytoscape.min.js",
        "layout-base/layout-base.js",
        "cose-base/cose-base.js",
        "cytoscape-fcose/cytoscape-fcose.js",
        "@zazuko/yasgui/build/yasgui.min.js",
        "@zazuko/yasgui/build/yasgui.min.css",
    }
)
"""The files pages may load; everything else in node_modules stays private."""

bp = Blueprint("assets", __name__)


@bp.get("/vendor/<path:filename>")
def vendor(filename: str) -> Response:
    """Serve one allow-listed library file."""
    if filename not in VENDOR_FILES:
        raise StadtgraphError(f"no vendored file {filename!r}", 404)
    if not (NODE_MODULES / filename).is_file():
        raise StadtgraphError(
            f"{filename} is not installed; run `make run` (npm ci) to install the JS packages", 404
        )
    response = send_from_directory(NODE_MODULES, filename, max_age=86400)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
