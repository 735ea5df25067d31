"""The W3C Reconciliation Service API at /reconcile, for OpenRefine and other matching clients.

Routes (relative to /reconcile, as both version 0.2 manifests and the 1.0 draft lay them out):
`GET /` the manifest (or a 0.2 batch in `queries=`), `POST /` a 0.2 batch (form field
`queries`, or `extend`) or a draft batch (JSON body), `POST /reconcile` a draft batch,
`GET /suggest/{entity,type,property}`, `GET /suggest/entity/flyout`, `GET /preview`,
`GET /extend/propose`, `POST /extend`. Every answer allows cross-origin use (CORS); GET answers
also come as JSONP when a well-formed `callback` is given.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BuildError

from .. import reconciliation as rec
from .. import reconciliation_data as data
from .. import reconciliation_queries as rq
from ..app_store import get_store
from ..errors import STORE_RETRY_AFTER, StadtgraphError
from ..store import StoreError
from . import i18n

bp = Blueprint("reconcile", __name__, url_prefix="/reconcile")

BATCH_SIZE = 50
PREVIEW_SIZE = {"width": 400, "height": 160}
CALLBACK = re.compile(r"[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*")
DEFAULT_TYPES = (
    "https://schema.org/Place",
    "http://www.w3.org/ns/org#Organization",
    "http://www.w3.org/ns/prov#Agent",
)
PREVIEW_POLICY = (
    "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors *"
)
"""Previews are shown in frames of other sites (OpenRefine), so they may be framed anywhere."""


# -- plumbing ------------------------------------------------------------------------------------


def _space() -> rq.Space:
    return rq.Space(str(current_app.config["BASE_IRI"]))


@bp.before_request
def bounded_body() -> None:
    """Refuse a body above MAX_REQUEST_BYTES with 413, also a multipart one (its files
    included) and a chunked one (which has its length by now, see `request_body`)."""
    limit = int(current_app.config["MAX_REQUEST_BYTES"])
    request.max_content_length = limit
    request.max_form_memory_size = limit


def _language() -> str:
    asked = request.args.get("lang")
    if not asked:
        try:
            asked = request.form.get("lang")
        except HTTPException:  # a body that was refused is not read again for the language
            asked = None
    if asked in i18n.LANGUAGES:
        return asked
    best = request.accept_languages.best_match(i18n.LANGUAGES)
    return best or str(current_app.config.get("DEFAULT_LANGUAGE", "de"))


def _answer(payload: object, status: int = 200) -> Response:
    body = json.dumps(payload, ensure_ascii=False)
    callback = request.args.get("callback") if request.method == "GET" else None
    if callback:
        if len(callback) > 64 or not CALLBACK.fullmatch(callback):
            raise StadtgraphError("callback must be a JavaScript identifier (JSONP)", 400)
        return Response(f"/**/{callback}({body});", status, mimetype="application/javascript")
    return Response(body, status, mimetype="application/json")


def _json_param(name: str) -> Any:
    raw = request.values.get(name)
    if raw is None:
        return None
    if len(raw.encode()) > int(current_app.config["MAX_REQUEST_BYTES"]):
        raise StadtgraphError(f"{name} is larger than the service accepts", 413)
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        # 0.1 clients send a bare query string in `query`.
        if name == "query":
            return raw
        raise StadtgraphError(f"{name} is not valid JSON: {error}", 400) from None


def _json_body() -> Any:
    if not request.is_json:
        return None
    if (request.content_length or 0) > int(current_app.config["MAX_REQUEST_BYTES"]):
        raise StadtgraphError("the request body is larger than the service accepts", 413)
    try:
        return json.loads(request.get_data(as_text=True))
    except json.JSONDecodeError as error:
        raise StadtgraphError(f"the body is not valid JSON: {error}", 400) from None


@bp.after_request
def cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type"
    response.headers.setdefault("Content-Language", _language())
    response.vary.add("Accept-Language")  # (when no `lang` names it, the header does)
    return response


@bp.errorhandler(rq.ReconcileError)
def bad_query(error: rq.ReconcileError) -> Response:
    return _answer({"error": "Bad Request", "message": str(error), "status": 400}, 400)


@bp.errorhandler(StoreError)
def store_down(error: StoreError) -> Response:
    response = _answer({"error": "Service Unavailable", "message": str(error), "status": 503}, 503)
    response.headers["Retry-After"] = str(STORE_RETRY_AFTER)
    return response


# -- the manifest ----------------------------------------------------------------------------------


def manifest() -> dict[str, Any]:
    """The service manifest (version 0.2, whose routes are the draft's as well)."""
    language = _language()
    root = request.host_url.rstrip("/")  # the path prefix behind a proxy is in `base`
    base = url_for("reconcile.endpoint")
    store = get_store()
    labels = rec.labels_of(store, DEFAULT_TYPES)
    name = current_app.config.get("PUBLISHER_NAME") or "Stadtgraph"
    return {
        "versions": ["0.2"],
        "name": f"{name} ({'Abgleich' if language == 'de' else 'reconciliation'})",
        "identifierSpace": _space().ids,
        "schemaSpace": _space().base_iri + "ontology#",
        "defaultTypes": [
            {"id": t, "name": rec.term_name(t, labels, language)} for t in DEFAULT_TYPES
        ],
        "view": {"url": _view_template()},
        "preview": {"url": f"{root}{base}/preview?id={{{{id}}}}", **PREVIEW_SIZE},
        "suggest": {
            kind: {
                "service_url": root,
                "service_path": f"{base}/suggest/{kind}",
                **(
                    {"flyout_service_path": f"{base}/suggest/entity/flyout?id=${{id}}"}
                    if kind == "entity"
                    else {}
                ),
            }
            for kind in ("entity", "type", "property")
        },
        "extend": {
            "propose_properties": {"service_url": root, "service_path": f"{base}/extend/propose"},
            "property_settings": [
                {
                    "name": "limit",
                    "label": "Limit",
                    "type": "number",
                    "default": 0,
                    "help_text": "Most values per cell (0: all)",
                }
            ],
        },
        "batchSize": BATCH_SIZE,
    }


def _view_template() -> str:
    try:
        page = url_for("pages.page", path="ID", _external=True)
    except BuildError:
        return _space().ids + "{{id}}"
    return page[: -len("ID")] + "{{id}}"


# -- reconciliation ------------------------------------------------------------------------------


def _batch_v02(raw: object) -> dict[str, Any]:
    if not isinstance(raw, dict) or not raw:
        raise rq.ReconcileError("queries is a JSON object of queries by key (q0, q1, …)")
    if len(raw) > BATCH_SIZE:
        raise StadtgraphError(f"at most {BATCH_SIZE} queries per batch", 413)
    keys = list(raw)
    queries = [rq.parse_query(raw[key], _space()) for key in keys]
    answers = rec.reconcile(get_store(), _space(), queries, _language())
    return {key: {"result": answer} for key, answer in zip(keys, answers, strict=True)}


def _batch_draft(raw: object) -> dict[str, Any]:
    batch = raw.get("queries") if isinstance(raw, dict) else None
    if not isinstance(batch, list):
        raise rq.ReconcileError('a batch is {"queries": [query, …]}')
    if len(batch) > BATCH_SIZE:
        raise StadtgraphError(f"at most {BATCH_SIZE} queries per batch", 413)
    queries = [rq.parse_query(query, _space()) for query in batch]
    answers = rec.reconcile(get_store(), _space(), queries, _language())
    return {"results": [{"candidates": answer} for answer in answers]}


@bp.route("", methods=["GET", "POST"], endpoint="endpoint", strict_slashes=False)
def endpoint() -> Response:
    """The manifest, or a batch of queries, or a data extension (0.2 puts all of them here)."""
    body = _json_body() if request.method == "POST" else None
    if body is not None:
        return _answer(_batch_draft(body))
    queries = _json_param("queries")
    if queries is not None:
        return _answer(_batch_v02(queries))
    single = _json_param("query")
    if single is not None:
        query = rq.parse_query(single, _space())
        return _answer({"result": rec.reconcile(get_store(), _space(), [query], _language())[0]})
    extension = _json_param("extend")
    if extension is not None:
        return _extend_v02(extension)
    return _answer(manifest())


@bp.post("/reconcile")
def reconcile_draft() -> Response:
    """A batch in the 1.0 draft's shape (JSON body), or a 0.2 form batch."""
    body = _json_body()
    if body is not None:
        return _answer(_batch_draft(body))
    queries = _json_param("queries")
    if queries is None:
        raise rq.ReconcileError('send a JSON body {"queries": […]} or a form field queries')
    return _answer(_batch_v02(queries))


# -- suggest, flyout, preview ---------------------------------------------------------------


def _cursor() -> int:
    try:
        return max(0, int(request.args.get("cursor", request.args.get("start", "0"))))
    except ValueError:
        raise rq.ReconcileError("cursor must be a whole number") from None


@bp.get("/suggest/entity")
def suggest_entity() -> Response:
    prefix = request.args.get("prefix", "")
    found = data.suggest_entities(get_store(), _space(), prefix, _language(), _cursor())
    return _answer({"prefix": prefix, "result": found})


@bp.get("/suggest/type")
def suggest_type() -> Response:
    prefix = request.args.get("prefix", "")
    found = data.suggest_terms(get_store(), _space(), prefix, _language(), "type", _cursor())
    return _answer({"prefix": prefix, "result": found})


@bp.get("/suggest/property")
def suggest_property() -> Response:
    prefix = request.args.get("prefix", "")
    found = data.suggest_terms(get_store(), _space(), prefix, _language(), "property", _cursor())
    return _answer({"prefix": prefix, "result": found})


def _preview(identifier: str) -> data.Preview:
    if not identifier.strip():
        raise rq.ReconcileError("id is missing")
    found = data.preview(get_store(), _space(), identifier, _language())
    if found is None:
        raise StadtgraphError(f"no entity with id {identifier}", 404)
    return found


@bp.get("/suggest/entity/flyout")
def flyout() -> Response:
    found = _preview(request.args.get("id", ""))
    html = render_template("reconcile/flyout.html", p=found, page=_page(found.id))
    return _answer({"id": found.id, "html": html})


@bp.get("/preview")
def preview() -> Response:
    """A small HTML view of one entity, meant for a frame in the client."""
    found = _preview(request.args.get("id", ""))
    html = render_template(
        "reconcile/preview.html", p=found, page=_page(found.id), lang=_language()
    )
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = PREVIEW_POLICY
    return response


def _page(identifier: str) -> str:
    return _view_template().replace("{{id}}", identifier)


# -- data extension ------------------------------------------------------------------------------


@bp.get("/extend/propose")
def propose() -> Response:
    type_id = request.args.get("type", "").strip()
    if not type_id:
        raise rq.ReconcileError("type is missing")
    limit = request.args.get("limit")
    try:
        count = int(limit) if limit else None
    except ValueError:
        raise rq.ReconcileError("limit must be a whole number") from None
    properties = data.propose_properties(get_store(), _space(), type_id, _language(), count)
    answer: dict[str, Any] = {"type": type_id, "properties": properties}
    if count:
        answer["limit"] = count
    return _answer(answer)


def _extend_v02(raw: object) -> Response:
    meta, rows = data.extend(get_store(), _space(), data.parse_extend(raw), _language())
    return _answer({"meta": meta, "rows": rows})


@bp.route("/extend", methods=["GET", "POST"])
def extend() -> Response:
    """Values of properties for reconciled entities: 0.2 form field `extend`, or a JSON body."""
    body = _json_body() if request.method == "POST" else None
    if body is not None:
        meta, rows = data.extend(get_store(), _space(), data.parse_extend(body), _language())
        return _answer(
            {
                "meta": meta,
                "rows": [
                    {
                        "id": identifier,
                        "properties": [{"id": pid, "values": cells} for pid, cells in row.items()],
                    }
                    for identifier, row in rows.items()
                ],
            }
        )
    extension = _json_param("extend")
    if extension is None:
        raise rq.ReconcileError("send a JSON body or a form field extend")
    return _extend_v02(extension)
