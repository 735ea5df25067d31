"""Linked Data: every IRI under the base dereferences to its page or its data; the ontology.

`/id/<path>` answers 303 See Other to `/page/<path>` (HTML) or `/data/<path>.<ext>` (RDF) by
the Accept header; pages and data answer directly too. IRIs under the base that are not
resources (named graphs) and IRIs elsewhere are served at `/page?iri=…` and `/data?iri=…`.
"""

from __future__ import annotations

import functools
from typing import Any

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from rdflib.term import Literal, URIRef
from werkzeug.exceptions import NotAcceptable
from werkzeug.wrappers import Response as BaseResponse

from .. import schema_org
from ..app_store import get_store
from ..errors import StadtgraphError
from ..labels import Linker
from ..licences import licence
from ..ontology_docs import document, ontology_triples
from ..project import GRAPH_BASE
from ..rdf_output import (
    DATA_FORMATS,
    EXTENSIONS,
    FORMATS_BY_EXT,
    DataFormat,
    NotWritableAsXml,
    prefixes_for,
)
from ..rdf_output import serialize as serialize_rdf
from ..resource_queries import exists, fetch_description, fetch_entity
from ..resource_view import build_entity
from ..store import Node, Triple
from ..store.binding import sparql_iri, with_bindings
from ..store.terms import checked_graph_iri
from . import i18n
from .caching import kept_page
from .negotiation import best_match
from .site import dataset_stats

bp = Blueprint("pages", __name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
EXT_RULE = "any(" + ", ".join(EXTENSIONS) + "):ext"
INCOMING_CAP = 5000


# -- helpers -----------------------------------------------------------------------------------


def base_iri() -> str:
    return str(current_app.config["BASE_IRI"])


def ontology_iri() -> str:
    return base_iri() + "ontology"


def negotiate() -> DataFormat | None:
    """Return the RDF format the client prefers, or None for HTML; 406 if it takes neither."""
    offers: list[str] = list(HTML_TYPES)
    by_type: dict[str, DataFormat] = {}
    for fmt in DATA_FORMATS:
        offers.append(fmt.media_type)
        by_type[fmt.media_type] = fmt
    offers.append("application/json")
    by_type["application/json"] = FORMATS_BY_EXT["jsonld"]
    accept = request.accept_mimetypes
    if not accept:
        return None
    best = best_match(accept, offers, named_only=("application/xhtml+xml", "application/json"))
    if best is None:
        raise NotAcceptable(
            "Offered: " + ", ".join((*HTML_TYPES, *(f.media_type for f in DATA_FORMATS)))
        )
    return None if best in HTML_TYPES else by_type[best]


def make_linker() -> Linker:
    """Link our resources to their pages, ontology terms to the ontology page, others out."""
    base = base_iri()
    ids = base + "id/"
    ontology = ontology_iri()
    ontology_page = url_for("pages.ontology")

    def link(iri: str) -> str:
        if iri.startswith(ids) and len(iri) > len(ids):
            return url_for("pages.page", path=iri[len(ids) :])
        if iri == ontology:
            return ontology_page
        if iri.startswith(ontology + "#"):
            return ontology_page + "#" + iri.split("#", 1)[1]
        if iri.startswith(base):
            return url_for("pages.page_for_iri", iri=iri)
        return iri

    # A page links the same resources many times (agents, roles, types); url_for is slow.
    return functools.lru_cache(maxsize=4096)(link)


def not_found(iri: str) -> StadtgraphError:
    return StadtgraphError(f"{i18n.text('error.not_found', i18n.current_language())} ({iri})", 404)


def resource_path(iri: str) -> str | None:
    ids = base_iri() + "id/"
    return iri[len(ids) :] if iri.startswith(ids) and len(iri) > len(ids) else None


def data_url(iri: str, fmt: DataFormat) -> str:
    path = resource_path(iri)
    if path is not None:
        return url_for("pages.data", path=path, ext=fmt.ext, _external=True)
    return url_for("pages.data_for_iri", iri=iri, format=fmt.ext, _external=True)


def page_url(iri: str) -> str:
    if iri == ontology_iri():
        return url_for("pages.ontology", _external=True)
    path = resource_path(iri)
    if path is not None:
        return url_for("pages.page", path=path, _external=True)
    return url_for("pages.page_for_iri", iri=iri, _external=True)


def checked_iri(iri: str) -> str:
    """Return iri if the store can be asked about it (absolute, writable in SPARQL); else
    400 saying why."""
    try:
        sparql_iri(iri)
        checked_graph_iri(iri)
    except ValueError as error:
        raise StadtgraphError(str(error), 400) from None
    return iri


def see_other(iri: str) -> BaseResponse:
    """Answer 303 to the page or the data of an IRI, by Accept."""
    checked_iri(iri)
    fmt = negotiate()
    if not exists(get_store(), URIRef(iri)):
        raise not_found(iri)
    target = page_url(iri) if fmt is None else data_url(iri, fmt)
    if fmt is None and request.args.get("lang"):
        target += ("&" if "?" in target else "?") + "lang=" + i18n.current_language()
    return redirect_303(target)


def redirect_303(target: str, *, by_accept: bool = True) -> BaseResponse:
    """303 See Other to target, open to CORS (a `fetch()` checks every hop), varying by
    Accept where Accept chose the target."""
    response = redirect(target, 303)
    if by_accept:
        response.vary.add("Accept")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def rdf_response(
    triples: list[Triple], fmt: DataFormat, iri: str, truncated: bool = False
) -> Response:
    try:
        body = serialize_rdf(triples, fmt, prefixes_for(base_iri()))
    except NotWritableAsXml as error:
        raise StadtgraphError(str(error), 406) from None
    response = Response(body, content_type=fmt.content_type)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Link"] = f'<{page_url(iri)}>; rel="alternate"; type="text/html"'
    if truncated:
        response.headers["X-Stadtgraph-Truncated"] = (
            f"only the first {INCOMING_CAP} triples pointing at the resource are included"
        )
    return response


# -- resources ---------------------------------------------------------------------------------


@bp.get("/id/<path:path>")
def dereference(path: str) -> BaseResponse:
    """Send a resource IRI to its page or its data (303 See Other)."""
    return see_other(base_iri() + "id/" + path)


GRAPH_CONTENT = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?graph { ?s ?p ?o } }"
SHAPES_CONTENT = """\
CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), ?shapeGraphs)) }"""


@bp.get("/graph/<path:path>")
def dereference_graph(path: str) -> BaseResponse:
    """Send a named graph's IRI to what the data says about it, or where the data says
    nothing, to its content (a CONSTRUCT at the endpoint in the format Accept asks for;
    Turtle for a browser)."""
    iri = checked_iri(base_iri() + "graph/" + path)
    store = get_store()
    if not exists(store, URIRef(iri)) and iri in store.graphs():
        return _see_query(GRAPH_CONTENT, {"graph": URIRef(iri)})
    return see_other(iri)


@bp.get("/shapes")
def shapes() -> BaseResponse:
    """Send the IRI of the SHACL shapes (`…/shapes#Name`) to the shapes the store holds."""
    return _see_query(SHAPES_CONTENT, {"shapeGraphs": Literal(GRAPH_BASE + "shapes/")})


def _see_query(sparql: str, bindings: dict[str, Node]) -> BaseResponse:
    fmt = negotiate()
    query = with_bindings(sparql, bindings)
    ext = fmt.ext if fmt else "ttl"
    return redirect_303(url_for("sparql.endpoint", query=query, format=ext, _external=True))


@bp.get("/page/<path:path>")
def page(path: str) -> Response:
    """Show a resource of ours."""
    return entity_page(base_iri() + "id/" + path)


@bp.get("/page")
def page_for_iri() -> Response:
    """Show any IRI the data mentions."""
    iri = request.args.get("iri", "").strip()
    if not iri:
        raise StadtgraphError.translated("error.iri_missing")
    return entity_page(iri)


@bp.get(f"/data/<path:path>.<{EXT_RULE}>")
def data(path: str, ext: str) -> Response:
    """Return a resource's data in the format its suffix names."""
    return data_response(base_iri() + "id/" + path, FORMATS_BY_EXT[ext])


@bp.get("/data")
def data_for_iri() -> Response:
    """Return the data of any IRI the store mentions; `format=` or Accept picks the format."""
    iri = request.args.get("iri", "").strip()
    if not iri:
        raise StadtgraphError.translated("error.iri_missing")
    name = request.args.get("format")
    if name:
        if name not in FORMATS_BY_EXT:
            raise StadtgraphError(f"Unknown format {name!r}; use one of {', '.join(EXTENSIONS)}.")
        fmt = FORMATS_BY_EXT[name]
    else:
        fmt = negotiate() or FORMATS_BY_EXT["ttl"]
    return data_response(iri, fmt)


def data_response(iri: str, fmt: DataFormat) -> Response:
    triples, truncated = fetch_description(get_store(), URIRef(checked_iri(iri)), INCOMING_CAP)
    if not triples:
        raise not_found(iri)
    response = rdf_response(triples, fmt, iri, truncated)
    # The terms the data may be reused under, for a client that fetched only this document.
    terms = licence(current_app.config["DATA_LICENSE"]).url
    response.headers.add("Link", f'<{terms}>; rel="license"')
    return response


def entity_page(iri: str) -> Response:
    """The page of a resource, reused while the store is unchanged (per URL and language)."""
    checked_iri(iri)
    return kept_page(lambda: _render_entity_page(iri))


def _render_entity_page(iri: str) -> str:
    rows = fetch_entity(get_store(), URIRef(iri), INCOMING_CAP)
    if not rows.outgoing.rows and not rows.incoming.rows:
        raise not_found(iri)
    language = i18n.current_language()
    focus = request.args.get("in")
    page_number = request.args.get("page", "1")
    entity = build_entity(
        rows,
        language,
        make_linker(),
        current_app.config["DEFAULT_LANGUAGE"],
        focus,
        int(page_number) if page_number.isdigit() else 1,
    )
    url = page_url(iri)
    formats = [(fmt, data_url(iri, fmt)) for fmt in DATA_FORMATS]
    return render_template(
        "pages/entity.html",
        entity=entity,
        formats=formats,
        page_url=url,
        jsonld=schema_org.describe(entity, rows, url),
        pager_url=lambda predicate, number: _pager_url(predicate, number),
    )


def _pager_url(predicate: str, number: int) -> str:
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k not in {"in", "page"}}
    args.update({"in": predicate, "page": str(number)})
    assert request.endpoint is not None
    return url_for(request.endpoint, **(request.view_args or {}), **args)


# -- the ontology ------------------------------------------------------------------------------


@bp.get("/ontology")
def ontology() -> Response | str:
    """Document the ontology in HTML, or return it as RDF, by Accept."""
    fmt = negotiate()
    if fmt is not None:
        response = ontology_data(fmt.ext)
        response.headers["Content-Location"] = url_for("pages.ontology_data", ext=fmt.ext)
        response.vary.add("Accept")
        return response
    iri = URIRef(ontology_iri())
    triples = ontology_triples(get_store(), iri)
    if not triples:
        raise not_found(str(iri))
    doc = document(
        triples,
        iri,
        dataset_stats(),
        i18n.current_language(),
        make_linker(),
        current_app.config["DEFAULT_LANGUAGE"],
    )
    formats = [(f, url_for("pages.ontology_data", ext=f.ext, _external=True)) for f in DATA_FORMATS]
    response = Response(render_template("pages/ontology.html", doc=doc, formats=formats))
    response.vary.add("Accept")
    return response


@bp.get(f"/ontology.<{EXT_RULE}>")
def ontology_data(ext: str) -> Response:
    """Return the ontology in the format its suffix names."""
    iri = ontology_iri()
    triples = ontology_triples(get_store(), URIRef(iri))
    if not triples:
        raise not_found(iri)
    return rdf_response(triples, FORMATS_BY_EXT[ext], iri)


@bp.get("/ontology/<path:version>")
def ontology_version(version: str) -> BaseResponse:
    """Send a version IRI of the ontology to the ontology (only the current one is served)."""
    if not exists(get_store(), URIRef(checked_iri(ontology_iri() + "/" + version))):
        raise not_found(ontology_iri() + "/" + version)
    return redirect_303(url_for("pages.ontology", _external=True), by_accept=False)
