"""Authenticated writes: SPARQL Update at /update and the Graph Store Protocol at /store.

Every request needs `Authorization: Bearer <token>` with a token from WRITE_TOKENS. Every write
passes the SHACL gate first (422 with the report when it fails, the store unchanged), runs as
one store operation, and is recorded in the provenance graph: an update and its record are one
store update; a Graph Store write (bulk data through the store's load and replace) is recorded
right after it. Writes are serialised in this process; what an update would change is worked
out in `graph_writes`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import io
import json
import re
import sys
import tempfile
import threading
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, request
from rdflib import Graph

from ..app_store import get_store
from ..errors import StadtgraphError
from ..gate import Gate, ValidationReport
from ..graph_writes import (
    UpdateRejected,
    change_as_update,
    check_graphs,
    check_writable_graph,
    preview_update,
    validate_change,
)
from ..query_execution import triples_from_ntriples
from ..rdf_files import RdfParseError, parse_rdf
from ..rdf_output import NotWritableAsXml, prefixes_for
from ..sparql_guard import (
    QueryRefused,
    check_update,
    graphs_named_in_update,
    reads_default_graph,
)
from ..store import RdfFormat, RemoteStore, Store, StoreError, Triple, WriteOutcomeUnknown
from ..store.binding import sparql_iri
from ..write_provenance import (
    WriteRecord,
    now,
    record_as_update,
    record_write,
    token_fingerprint,
)
from . import i18n, negotiation
from .ahead import store_written
from .negotiation import NotAcceptable, ResultKind, UnknownFormat, best_match
from .sparql import query_runner

bp = Blueprint("writes", __name__)

GATE = "stadtgraph.gate"
WRITE_LOCK = "stadtgraph.write_lock"
_extension_lock = threading.Lock()
UPDATE_FORM = negotiation.FORM
UPDATE_DIRECT = negotiation.SPARQL_UPDATE
READ_METHODS = ("GET", "HEAD")
ADDED_HEADER = "X-Stadtgraph-Triples-Added"
REMOVED_HEADER = "X-Stadtgraph-Triples-Removed"
CREATED_HEADER = "X-Stadtgraph-Graphs-Created"


def gate() -> Gate:
    """Return the app's SHACL gate: the one handed in at `app.extensions`, else the project's."""
    with _extension_lock:
        found: Gate | None = current_app.extensions.get(GATE)
        if found is None:
            found = current_app.extensions[GATE] = Gate.for_settings(current_app.config)
    return found


@contextlib.contextmanager
def _write_lock() -> Iterator[None]:
    """Hold while a write is checked and applied: one write at a time in this process and,
    for a remote store, in every process of this host that writes to it (`serve --workers N`);
    else two writes could each pass the gate against the store as it was before the other."""
    with _extension_lock:
        lock: threading.Lock = current_app.extensions.setdefault(WRITE_LOCK, threading.Lock())
    store = get_store()
    with lock:
        if not isinstance(store, RemoteStore):
            yield  # an embedded store has one writing process
            return
        name = hashlib.sha256(store.query_url.encode()).hexdigest()[:16]
        path = Path(tempfile.gettempdir()) / f"stadtgraph-writes-{name}.lock"
        with path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


@bp.post("/update")
def update() -> Response:
    """Run a SPARQL Update that passes the gate."""
    fingerprint = _authorize()
    if current_app.config["READ_ONLY"]:
        raise StadtgraphError("This server is read-only; it accepts no writes.", 403)
    sparql = _update_text(_body())
    try:
        check_update(sparql, service_allowlist=tuple(current_app.config["SERVICE_ALLOWLIST"]))
    except QueryRefused as error:
        raise StadtgraphError(error.message, error.status) from None
    reason = reads_default_graph(sparql)
    if reason is not None:
        raise StadtgraphError(reason, 400)
    store = get_store()
    started = now()
    with _write_lock():
        try:
            change = preview_update(store, sparql, graphs_named_in_update(sparql))
            check_graphs(change)
            written = change_as_update(change)
        except UpdateRejected as error:
            raise StadtgraphError(error.message, error.status) from None
        if change.is_empty:
            return _what_changed(0, 0, set())
        report = validate_change(gate(), store, change)
        if not report.conforms:
            return _invalid(report)
        added, removed = change.counts()
        record = WriteRecord(
            "SPARQL Update",
            fingerprint,
            tuple(sorted(change.graphs)),
            started,
            now(),
            added,
            removed,
            request.base_url,
        )
        # The record goes into the same update: the write and its provenance are one.
        together = f"{written} ;\n{record_as_update(record, _base_iri())}"
        _apply(store, lambda: store.update(together), None)
    return _what_changed(added, removed, change.graphs_created)


def _what_changed(added: int, removed: int, created: set[str]) -> Response:
    """204, saying what the update changed: one that changed nothing, or wrote into a graph
    it made (a misspelt graph name), would otherwise look like any other."""
    response = _no_content()
    response.headers[ADDED_HEADER] = str(added)
    response.headers[REMOVED_HEADER] = str(removed)
    if created:
        response.headers[CREATED_HEADER] = " ".join(f"<{name}>" for name in sorted(created))
    return response


@bp.route("/store", methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
def graph_store() -> Response:
    """Read, replace, add to or drop one named graph (SPARQL 1.1 Graph Store HTTP Protocol)."""
    fingerprint = _authorize()
    named = "graph" in request.args or "default" in request.args
    # POST to the store itself makes a new graph and names it in Location (GSP §5.5).
    graph = _target_graph() if named or request.method != "POST" else _new_graph()
    store = get_store()
    started = now()
    if request.method in READ_METHODS:
        return _read_graph(store, graph)
    if graph is None:
        raise StadtgraphError(
            "The default graph is the union of the named graphs and cannot be written; "
            "name a graph with ?graph=<IRI>.",
            405,
            headers={"Allow": "GET, HEAD"},
        )
    if current_app.config["READ_ONLY"]:
        raise StadtgraphError(
            "This server is read-only; /store only reads.", 405, headers={"Allow": "GET, HEAD"}
        )
    try:
        check_writable_graph(graph)
    except UpdateRejected as error:
        raise StadtgraphError(error.message, error.status) from None
    with _write_lock():
        exists = graph in store.graphs()
        _check_preconditions(store, graph, exists)
        if request.method == "DELETE":
            return _drop_graph(store, graph, exists, fingerprint, started)
        data = _parse_body(graph)
        replace = request.method == "PUT"
        if not replace and not exists and len(data) == 0:
            raise StadtgraphError(
                "The body holds no triples, so there is nothing to add to a new graph.", 400
            )
        report = gate().validate_change(
            store, additions={graph: data}, replaced={graph} if replace and exists else set()
        )
        if not report.conforms:
            return _invalid(report)
        operation = "Graph Store PUT" if replace else "Graph Store POST"
        removed = store.count(graph) if replace and exists else 0
        record = WriteRecord(
            operation, fingerprint, (graph,), started, now(), len(data), removed, request.base_url
        )
        if replace:
            content: list[Triple] = list(data)  # type: ignore[arg-type]
            _apply(store, lambda: store.replace_graph(graph, content), record)
        else:
            ntriples = data.serialize(format="nt", encoding="utf-8")
            _apply(store, lambda: store.load(ntriples, RdfFormat.NTRIPLES, graph), record)
    response = (
        _no_content()
        if exists
        else Response(status=201, headers={"Location": graph} if not named else None)
    )
    if request.if_match or request.if_none_match:  # the client keeps track: its next tag
        response.set_etag(graph_tag(store, graph))
    return response


def graph_tag(store: Store, graph: str | None) -> str:
    """A strong tag for a graph's content, the same in every format (its triples as sorted
    N-Triples lines, hashed): a client that read a graph in Turtle can PUT it back with
    If-Match, and gets 412 if someone changed the graph in between."""
    return _tag(_ntriples(store, graph))


def _ntriples(store: Store, graph: str | None) -> bytes:
    out = io.BytesIO()
    store.dump(out, RdfFormat.NTRIPLES, graph)
    return out.getvalue()


def _tag(ntriples: bytes) -> str:
    lines = sorted(line for line in ntriples.splitlines() if line.strip())
    return hashlib.sha256(b"\n".join(lines)).hexdigest()[:32]


def _check_preconditions(store: Store, graph: str, exists: bool) -> None:
    """Honour If-Match and If-None-Match on a write (RFC 9110 §13.1): 412 when the graph is
    not as the client last saw it, so that one curator's write does not undo another's."""
    if_match, if_none_match = request.if_match, request.if_none_match
    if not if_match and not if_none_match:
        return
    tag = graph_tag(store, graph) if exists else None
    if if_match and (tag is None or not (if_match.star_tag or if_match.contains(tag))):
        raise StadtgraphError(
            f"The graph <{graph}> is not as you read it: "
            + (
                f'it changed since (its ETag is now "{tag}"). Read it again and redo your '
                "change on what it holds now."
                if tag is not None
                else "it does not exist (any more)."
            ),
            412,
        )
    if (
        if_none_match
        and tag is not None
        and (if_none_match.star_tag or if_none_match.contains(tag))
    ):
        raise StadtgraphError(
            f"The graph <{graph}> exists already (If-None-Match); nothing was written.", 412
        )


def _new_graph() -> str:
    """An IRI for a graph POSTed to the store itself: under the base, never used before."""
    return f"{_base_iri()}graph/posted/{uuid.uuid4()}"


def _drop_graph(
    store: Store, graph: str, exists: bool, fingerprint: str, started: datetime
) -> Response:
    if not exists:
        raise StadtgraphError(f"The store has no graph <{graph}>.", 404)
    report = gate().validate_change(store, additions={}, replaced={graph})
    if not report.conforms:
        return _invalid(report)
    removed = store.count(graph)
    record = WriteRecord(
        "Graph Store DELETE", fingerprint, (graph,), started, now(), 0, removed, request.base_url
    )
    _apply(store, lambda: store.update(f"DROP GRAPH {sparql_iri(graph)}"), record)
    return _no_content()


def _apply(store: Store, write: Callable[[], object], record: WriteRecord | None) -> None:
    """Run a validated write, then its provenance record unless the write carried it; query
    workers forked before the write are retired, the store's state is read again and the new
    state prepared ahead (even after a failure: the write may have changed something)."""
    runner = query_runner()
    try:
        with runner.exclusive():
            try:
                write()
            except WriteOutcomeUnknown as error:
                raise StadtgraphError(
                    f"The store took the write but did not say whether it applied it ({error}). "
                    "Check the data before you send the write again.",
                    503,
                ) from error
            except StoreError as error:
                raise StadtgraphError(f"The store refused the write: {error}", 503) from error
            finally:
                runner.store_changed()
            if record is not None:
                try:
                    record_write(store, record, _base_iri())
                except StoreError as error:
                    raise StadtgraphError(
                        f"The write was applied, but its provenance record failed: {error}",
                        500,
                    ) from error
    finally:
        store_written()


def _base_iri() -> str:
    return str(current_app.config["BASE_IRI"])


def _read_graph(store: Store, graph: str | None) -> Response:
    if graph is not None and graph not in store.graphs():
        raise StadtgraphError(f"The store has no graph <{graph}>.", 404)
    try:
        fmt = negotiation.choose_format(
            ResultKind.GRAPH, request.accept_mimetypes, request.args.get("format")
        )
    except (NotAcceptable, UnknownFormat) as error:
        raise StadtgraphError(str(error), 406) from None
    rdf_format = RdfFormat.for_name(fmt.media_type)
    from_ntriples = (RdfFormat.NTRIPLES, RdfFormat.RDFXML, RdfFormat.TURTLE)
    # One N-Triples dump gives a named graph's tag and, in these formats, the body too.
    ntriples = _ntriples(store, graph) if graph is not None or rdf_format in from_ntriples else b""
    if rdf_format is RdfFormat.NTRIPLES:
        body = ntriples
    elif rdf_format in from_ntriples:
        # RDF/XML so that it can be checked, Turtle with the prefixes a curator edits it with
        # (a dump writes every IRI in full).
        prefixes = prefixes_for(_base_iri())
        try:
            body = triples_from_ntriples(ntriples, fmt.media_type, sys.maxsize, prefixes).body
        except NotWritableAsXml as error:
            raise StadtgraphError(str(error), 406) from None
    else:
        out = io.BytesIO()
        store.dump(out, rdf_format, graph)
        body = out.getvalue()
    response = Response(body, content_type=fmt.content_type)
    response.vary.add("Accept")
    if graph is not None:
        response.set_etag(_tag(ntriples))
        response.make_conditional(request)  # If-None-Match: 304
    return response


def _invalid(report: ValidationReport) -> Response:
    """Answer 422 with the SHACL report: Turtle, text or JSON by Accept (JSON by default),
    its text in the reader's language (the messages come in German and English)."""
    language = i18n.current_language()
    text = report.to_text(language)
    best = best_match(
        request.accept_mimetypes,
        ["application/json", "text/turtle", "text/plain", "application/ld+json"],
    )
    if best == "text/turtle":
        comment = "".join(f"# {line}\n" for line in text.splitlines())
        body = comment + "\n" + report.to_turtle()
        response = Response(body, status=422, content_type="text/turtle; charset=utf-8")
    elif best == "text/plain":
        response = Response(text + "\n", status=422, content_type="text/plain; charset=utf-8")
    else:
        details: dict[str, Any] = {"text": text, "report": json.loads(report.to_json())}
        raise StadtgraphError(
            "The write does not conform to the SHACL shapes; nothing was changed.",
            422,
            title="Validation failed",
            details=details,
        )
    response.vary.add("Accept")
    response.headers["Content-Language"] = language
    return response


# -- reading the request -------------------------------------------------------------------


def _authorize() -> str:
    """Check the bearer token in constant time; return its fingerprint (never the token)."""
    tokens = tuple(current_app.config["WRITE_TOKENS"])
    if not tokens:
        raise StadtgraphError(
            "The Graph Store and SPARQL Update are switched off: no write tokens are "
            "configured (STADTGRAPH_WRITE_TOKENS).",
            403,
        )
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    credentials = credentials.strip()
    challenge = 'Bearer realm="stadtgraph"'
    if scheme.lower() != "bearer" or not credentials:
        what = "Reading the Graph Store" if request.method in ("GET", "HEAD") else "Writing"
        raise StadtgraphError(
            f"{what} needs an `Authorization: Bearer <token>` header (reads without one: "
            "/sparql, /dumps/ and the data of each resource).",
            401,
            headers={"WWW-Authenticate": challenge},
        )
    given = hashlib.sha256(credentials.encode("utf-8")).digest()
    matched: str | None = None
    for entry in tokens:  # every one compared: constant time
        name, secret = named_token(entry)
        # (the whole entry too, as a token with a colon was read before names existed)
        for accepted in {secret, entry}:
            expected = hashlib.sha256(accepted.encode("utf-8")).digest()
            if hmac.compare_digest(given, expected):
                matched = name or ""
    if matched is None:
        raise StadtgraphError(
            "The bearer token is not valid.",
            401,
            headers={"WWW-Authenticate": f'{challenge}, error="invalid_token"'},
        )
    fingerprint = token_fingerprint(named_token(credentials)[1] if matched else credentials)
    # A named token's writes say whose they are ("write token anna-…"); the secret never.
    return f"{matched}-{fingerprint}" if matched else fingerprint


_TOKEN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9._-]{0,63}")


def named_token(entry: str) -> tuple[str | None, str]:
    """Split a WRITE_TOKENS entry `name:secret` into its name and the secret a client sends;
    an entry without such a name is the secret alone."""
    name, colon, secret = entry.partition(":")
    if colon and secret and _TOKEN_NAME.fullmatch(name):
        return name, secret
    return None, entry


def _body() -> bytes:
    limit = int(current_app.config["MAX_WRITE_BYTES"])
    length = request.content_length
    if length is not None and length > limit:
        raise StadtgraphError(f"The request body is {length} bytes; at most {limit} accepted.", 413)
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        raise StadtgraphError(f"The request body is larger than {limit} bytes.", 413)
    return body


_NO_USING_PARAMETERS = (
    "using-graph-uri and using-named-graph-uri are not supported; write USING in the update "
    "instead."
)


def _update_text(body: bytes) -> str:
    media_type = request.mimetype
    if {"using-graph-uri", "using-named-graph-uri"} & set(request.args):
        raise StadtgraphError(_NO_USING_PARAMETERS, 400)
    try:
        if media_type == UPDATE_DIRECT:
            return body.decode("utf-8")
        if media_type == UPDATE_FORM:
            params = urllib.parse.parse_qsl(
                body.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict"
            )
        else:
            raise StadtgraphError(
                f"Send the update as {UPDATE_DIRECT} or as the `update` field of "
                f"{UPDATE_FORM} (got {media_type or 'no Content-Type'}).",
                400,
            )
    except UnicodeDecodeError:
        raise StadtgraphError("The update is not valid UTF-8.", 400) from None
    names = [name for name, _ in params]
    if {"using-graph-uri", "using-named-graph-uri"} & set(names):
        raise StadtgraphError(_NO_USING_PARAMETERS, 400)
    updates = [value for name, value in params if name == "update"]
    if len(updates) != 1:
        raise StadtgraphError(f"Send exactly one `update` field (got {len(updates)}).", 400)
    return updates[0]


def _target_graph() -> str | None:
    """Return the graph named by ?graph=, or None for ?default; exactly one must be given."""
    graphs = request.args.getlist("graph")
    default = "default" in request.args
    if default == bool(graphs) or len(graphs) > 1:
        raise StadtgraphError("Name exactly one graph: ?graph=<IRI> or ?default.", 400)
    if default:
        return None
    graph = graphs[0].strip()
    if ":" not in graph or any(c in graph for c in ' <>"{}|^`\\'):
        raise StadtgraphError(f"graph must be an absolute IRI, not {graph!r}.", 400)
    return graph


def _parse_body(graph: str) -> Graph:
    media_type = request.mimetype
    try:
        fmt = RdfFormat.for_name(media_type)
    except ValueError:
        known = ", ".join(f.media_type for f in RdfFormat)
        raise StadtgraphError(
            f"Cannot read RDF sent as {media_type or 'no Content-Type'}; send one of {known}.", 415
        ) from None
    try:
        parsed = parse_rdf(_body(), fmt, graph, base_iri=graph)
    except RdfParseError as error:
        raise StadtgraphError(f"The RDF does not parse: {error}", 400) from None
    others = sorted(set(parsed.graphs) - {graph})
    if others:
        raise StadtgraphError(
            f"The data names other graphs ({', '.join(others)}); /store "
            "writes one graph at a time.",
            400,
        )
    return parsed.graphs.get(graph, Graph())


def _no_content() -> Response:
    """204: the write is done; no body, so no Content-Type either."""
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response
