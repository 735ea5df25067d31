"""The public SPARQL 1.1 Protocol endpoint at /sparql: read-only, bounded, open to all origins.

The protocol (how a query arrives, which format answers) lives here; what may run is decided
by `sparql_guard`, how it runs by `query_runner`, and the media types by `negotiation`.
"""

from __future__ import annotations

import threading
import urllib.parse
from dataclasses import dataclass, replace
from typing import Any

from flask import Blueprint, Flask, Response, current_app, render_template, request

from ..app_store import get_store
from ..errors import StadtgraphError, query_error
from ..queries import all_queries
from ..query_execution import QueryAnswer, QueryJob
from ..query_runner import (
    AnswerTooLarge,
    Limits,
    QueryBusy,
    QueryRunner,
    QueryTimeout,
    QueryWorkerLost,
)
from ..rate_limit import RateLimiter
from ..rdf_output import NotWritableAsXml
from ..service_description import service_description
from ..sparql_guard import (
    QueryInfo,
    QueryRefused,
    cap_select,
    check_query,
    describe_syntax_error,
    inspect_query,
)
from ..store import (
    Dataset,
    OxigraphStore,
    QueryEvaluationError,
    QuerySyntaxError,
    RemoteStore,
    Store,
)
from . import negotiation
from .caching import CACHE_HEADER, kept_or_made
from .negotiation import NotAcceptable, ResultKind, UnknownFormat
from .replay import RATE_WAIT

bp = Blueprint("sparql", __name__)

RUNNER = "stadtgraph.query_runner"
LIMITER = "stadtgraph.rate_limiter"
_extension_lock = threading.Lock()

TRUNCATED_HEADER = "X-Stadtgraph-Truncated"
LIMIT_HEADER = "X-Stadtgraph-Result-Limit"
QUERY_FORM = negotiation.FORM
QUERY_DIRECT = negotiation.SPARQL_QUERY
UPDATE_DIRECT = negotiation.SPARQL_UPDATE
READ_ONLY_MESSAGE = (
    "This endpoint is read-only: it does not run SPARQL Update. Writes go to POST /update "
    "with a bearer token."
)


@dataclass(frozen=True)
class ProtocolRequest:
    """The protocol parameters of one request, decoded and checked."""

    query: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    format: str | None = None


def query_runner(app: Flask | None = None) -> QueryRunner:
    """Return the app's query runner, creating it (and opening the store) on first use."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    with _extension_lock:
        runner: QueryRunner | None = app.extensions.get(RUNNER)
        if runner is None or not runner.owned_by_this_process:
            # (a runner made before the server forked its workers belongs to the master)
            with app.app_context():
                store = get_store()
            runner = QueryRunner(store, _limits(app.config, store))
            app.extensions[RUNNER] = runner
    return runner


def _limits(config: dict[str, Any], store: Store) -> Limits:
    remote = isinstance(store, RemoteStore)
    memory_only = isinstance(store, OxigraphStore) and (
        store.path is None or bool(config.get("SERVE_FROM_MEMORY", True))
    )
    return Limits(
        timeout=float(config["QUERY_TIMEOUT"]),
        concurrent=int(config["MAX_HEAVY_QUERIES"]),
        queue_wait=float(config["QUERY_QUEUE_WAIT"]),
        memory_bytes=int(config["QUERY_MEMORY_MB"]) * 1024 * 1024,
        answer_bytes=int(config["MAX_ANSWER_MB"]) * 1024 * 1024,
        in_workers=not remote,
        # A sealed worker cannot open a socket, so an allowlisted SERVICE needs an open one.
        sealed_workers=memory_only and not config["SERVICE_ALLOWLIST"],
    )


def rate_limiter(app: Flask | None = None) -> RateLimiter:
    """Return the app's limiter of queries per client and minute, creating it on first use."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    with _extension_lock:
        limiter: RateLimiter | None = app.extensions.get(LIMITER)
        if limiter is None:
            limiter = RateLimiter(int(app.config["RATE_LIMIT"]))
            app.extensions[LIMITER] = limiter
    return limiter


@bp.after_request
def open_for_reads(response: Response) -> Response:
    """Let pages on any origin read the endpoint (CORS), and caches know answers vary."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
    response.headers["Access-Control-Expose-Headers"] = (
        f"{TRUNCATED_HEADER}, {LIMIT_HEADER}, {CACHE_HEADER}, ETag, Retry-After"
    )
    response.headers["Access-Control-Max-Age"] = "86400"
    response.vary.add("Accept")
    return response


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    """Answer a SPARQL query; without one, the editor (browsers) or the service description."""
    protocol = _read_request()
    if protocol.query is None:
        if request.method == "POST":
            raise StadtgraphError("The request has no `query` parameter.", 400)
        return _describe_service(protocol.format)
    _count_request()
    # The same text, dataset and wishes get the same answer while the store is unchanged
    # (checked and run once; a refused or failed query raises before anything is kept).
    key = (
        "sparql",
        protocol.query,
        protocol.default_graphs,
        protocol.named_graphs,
        protocol.format,
        request.headers.get("Accept", ""),
    )
    return kept_or_made(key, lambda: _answer(protocol, protocol.query or ""))


def _answer(protocol: ProtocolRequest, query: str) -> Response:
    """Check, run and serialise a query the way the request asks for."""
    info = _inspect(query)
    kind = ResultKind.of_form(info.form)
    try:
        fmt = negotiation.choose_format_for(
            kind, request.headers.get("Accept", ""), protocol.format
        )
    except NotAcceptable as error:
        raise StadtgraphError(
            str(error), 406, ui_text=error.ui_text, ui_values=error.ui_values
        ) from None
    except UnknownFormat as error:
        raise StadtgraphError(str(error), 400) from None
    store = get_store()
    dataset = _dataset(protocol, info, store)
    limit = int(current_app.config["MAX_RESULTS"])
    job = QueryJob(query, info.form, fmt.media_type, limit, dataset, info.prefixes)
    answer = _run(job)
    response = Response(answer.body, content_type=fmt.content_type)
    if answer.count is not None:
        response.headers[LIMIT_HEADER] = str(limit)
        response.headers[TRUNCATED_HEADER] = "true" if answer.truncated else "false"
    return response


def _run(job: QueryJob) -> QueryAnswer:
    """Run a job; a SELECT first with `LIMIT MAX_RESULTS+1` appended, so the engine stops early.

    Should the engine refuse the capped text, the query runs as the client wrote it: its
    syntax error then names the client's own lines, and a query cap_select misread still runs.
    """
    if job.form == "SELECT":
        capped = cap_select(job.sparql, job.limit + 1)
        if capped != job.sparql:
            try:
                return _run_bounded(replace(job, sparql=capped))
            except QuerySyntaxError:
                pass
    try:
        return _run_bounded(job)
    except QuerySyntaxError as error:
        raise query_error(describe_syntax_error(job.sparql, str(error))) from None


def _run_bounded(job: QueryJob) -> QueryAnswer:
    timeout = float(current_app.config["QUERY_TIMEOUT"])
    try:
        return query_runner().run(job)
    except QueryTimeout as error:
        ended = "was stopped" if error.stopped else "is no longer waited for"
        raise StadtgraphError(
            f"The query ran longer than the limit of {timeout:g} s and {ended}. Make it "
            "more selective (filter early, add LIMIT) or download a dump for heavy analysis.",
            503,
            title="Query timeout",
        ) from None
    except QueryBusy as error:
        raise StadtgraphError(
            "All query slots are busy with other queries; try again shortly.",
            503,
            headers={"Retry-After": str(error.retry_after)},
        ) from None
    except QueryWorkerLost:
        memory = int(current_app.config["QUERY_MEMORY_MB"])
        raise StadtgraphError(
            f"The query was stopped before it answered, most likely because it needed more "
            f"than {memory} MB of memory. Make it more selective.",
            503,
        ) from None
    except NotWritableAsXml as error:
        raise StadtgraphError(str(error), 406) from None
    except AnswerTooLarge as error:
        raise StadtgraphError(
            f"The answer is {error.size / 1e6:.1f} MB, more than the "
            f"{error.limit // (1024 * 1024)} MB this endpoint sends. Select fewer "
            "or shorter values, or download a dump.",
            400,
        ) from None
    except QueryEvaluationError as error:
        # Asking again cannot help: not the store's 503, the query's 400.
        raise StadtgraphError(f"The engine cannot evaluate this query: {error}.", 400) from None
    except QuerySyntaxError:
        raise
    # A StoreError goes on to the app's handler: 503, Retry-After, the reason in the log.


def _count_request() -> None:
    if RATE_WAIT in request.environ:  # counted already, before a kept answer could be replayed
        wait = request.environ[RATE_WAIT]
    else:
        wait = rate_limiter().check(request.remote_addr or "unknown")
    if wait is not None:
        per_minute = int(current_app.config["RATE_LIMIT"])
        raise StadtgraphError(
            f"Too many queries: at most {per_minute} per minute from one client. "
            f"Try again in {wait} s.",
            429,
            headers={"Retry-After": str(wait)},
        )


def _inspect(query: str) -> QueryInfo:
    try:
        info = inspect_query(query)
        check_query(
            info,
            service_allowlist=tuple(current_app.config["SERVICE_ALLOWLIST"]),
            graphs_in_store=lambda: get_store().graphs(),
        )
    except QueryRefused as error:
        raise query_error(error.message, error.status) from None
    return info


def _dataset(protocol: ProtocolRequest, info: QueryInfo, store: Store) -> Dataset:
    """Decide the dataset: the request's graphs, else the query's FROM, else the default."""
    if protocol.default_graphs or protocol.named_graphs:
        known = set(store.graphs())
        for graph in (*protocol.default_graphs, *protocol.named_graphs):
            if graph not in known:
                raise StadtgraphError(
                    f"The graph <{graph}> is not in this store; the service description at "
                    "/sparql lists the graphs it holds.",
                    400,
                )
        return Dataset(protocol.default_graphs, protocol.named_graphs)
    if info.has_dataset_clause:
        # Passed explicitly: pyoxigraph would let its union default graph win over FROM.
        return Dataset(info.from_graphs, info.from_named_graphs)
    if not current_app.config["UNION_DEFAULT_GRAPH"]:
        # Every triple lives in a named graph, so the default graph on its own is empty.
        return Dataset((), tuple(store.graphs()))
    return Dataset()


def _describe_service(format_param: str | None) -> Response:
    if format_param is None and _prefers_html():
        return _editor()
    try:
        fmt = negotiation.choose_format(ResultKind.GRAPH, request.accept_mimetypes, format_param)
    except (NotAcceptable, UnknownFormat) as error:
        raise StadtgraphError(str(error), 406) from None
    store = get_store()
    body = service_description(
        endpoint=request.base_url,
        graphs=store.graphs(),
        union_default_graph=bool(current_app.config["UNION_DEFAULT_GRAPH"]),
        federated=bool(current_app.config["SERVICE_ALLOWLIST"]),
        media_type=fmt.media_type,
        limits=(float(current_app.config["QUERY_TIMEOUT"]), int(current_app.config["MAX_RESULTS"])),
    )
    return Response(body, content_type=fmt.content_type)


def _prefers_html() -> bool:
    accept = request.accept_mimetypes
    # HTML last: a client that accepts anything gets the service description.
    offers = [*(f.media_type for f in negotiation.GRAPH_FORMATS[:4]), "text/html"]
    return bool(accept) and negotiation.best_match(accept, offers) == "text/html"


def _editor() -> Response:
    queries = all_queries()
    chosen = request.args.get("named", "")
    text = next((q.sparql for q in queries if q.name == chosen), "")
    html = render_template(
        "sparql/editor.html",
        queries=queries,
        query_text=text or "SELECT ?s ?p ?o WHERE {\n  ?s ?p ?o\n}\nLIMIT 25\n",
        language=str(current_app.config.get("DEFAULT_LANGUAGE", "de")),
        timeout=current_app.config["QUERY_TIMEOUT"],
        max_results=current_app.config["MAX_RESULTS"],
    )
    return Response(html, content_type="text/html; charset=utf-8")


# -- reading the request -------------------------------------------------------------------


def _read_request() -> ProtocolRequest:
    """Decode the protocol parameters from URL and body; refuse what the protocol does not allow."""
    limit = int(current_app.config["MAX_REQUEST_BYTES"])
    if len(request.query_string) > limit:
        raise _too_large(len(request.query_string), limit)
    params = _decode_params(request.query_string, "the URL")
    if request.method == "POST":
        media_type = request.mimetype
        body = _read_body(limit)
        if media_type == QUERY_FORM:
            params += _decode_params(body, "the form")
        elif media_type == QUERY_DIRECT:
            charset = request.mimetype_params.get("charset", "utf-8").lower()
            if charset not in ("utf-8", "utf8"):
                raise StadtgraphError(f"The query must be sent as UTF-8, not {charset}.", 400)
            if any(name == "query" for name, _ in params):
                raise StadtgraphError(
                    "A query sent as application/sparql-query must not also have a `query` "
                    "URL parameter.",
                    400,
                )
            params.append(("query", _utf8(body, "The query")))
        elif media_type == UPDATE_DIRECT:
            raise StadtgraphError(READ_ONLY_MESSAGE, 403)
        elif not media_type:
            raise StadtgraphError(
                f"The request has no Content-Type; send {QUERY_DIRECT} or {QUERY_FORM}.", 400
            )
        else:
            raise StadtgraphError(
                f"Cannot read a request body of type {media_type}; send {QUERY_DIRECT} or "
                f"{QUERY_FORM}.",
                400,
            )
    return _protocol(params)


def _protocol(params: list[tuple[str, str]]) -> ProtocolRequest:
    if any(name == "update" for name, _ in params):
        raise StadtgraphError(READ_ONLY_MESSAGE, 403)
    queries = [value for name, value in params if name == "query"]
    if len(queries) > 1:
        raise StadtgraphError(
            f"The request has {len(queries)} `query` parameters; send exactly one.", 400
        )
    formats = [value for name, value in params if name == "format"]
    if len(formats) > 1:
        raise StadtgraphError("The request has more than one `format` parameter.", 400)
    return ProtocolRequest(
        query=queries[0] if queries else None,
        default_graphs=_graph_iris(params, "default-graph-uri"),
        named_graphs=_graph_iris(params, "named-graph-uri"),
        format=formats[0] if formats else None,
    )


def _graph_iris(params: list[tuple[str, str]], name: str) -> tuple[str, ...]:
    iris = tuple(dict.fromkeys(value.strip() for key, value in params if key == name))
    for iri in iris:
        if ":" not in iri or any(c in iri for c in ' <>"{}|^`\\'):
            raise StadtgraphError(f"{name} must be an absolute IRI, not {iri!r}.", 400)
    return iris


def _read_body(limit: int) -> bytes:
    length = request.content_length
    if length is not None and length > limit:
        raise _too_large(length, limit)
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        raise _too_large(None, limit)
    return body


def _decode_params(raw: bytes, where: str) -> list[tuple[str, str]]:
    text = _utf8(raw, f"The parameters in {where}")
    try:
        return urllib.parse.parse_qsl(
            text, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=1000
        )
    except UnicodeDecodeError:
        raise StadtgraphError(
            f"The parameters in {where} are not valid UTF-8 once percent-decoded.", 400
        ) from None
    except ValueError as error:
        raise StadtgraphError(f"The parameters in {where} cannot be read: {error}", 400) from None


def _utf8(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = raw[error.start : error.start + 1]
        raise StadtgraphError(
            f"{what} is not valid UTF-8 (byte {error.start} is {bad!r}).", 400
        ) from None


def _too_large(size: int | None, limit: int) -> StadtgraphError:
    actual = f"{size} bytes" if size is not None else "more than that"
    return StadtgraphError(
        f"The request is too large ({actual}); this endpoint accepts at most {limit} bytes.",
        413,
    )
