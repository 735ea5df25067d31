"""Dataset publication: dumps at stable URLs, the VoID description and the DCAT-AP.de record."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    render_template,
    request,
    send_file,
    url_for,
)
from rdflib import Graph
from werkzeug.exceptions import NotAcceptable
from werkzeug.wrappers import Response as BaseResponse

from .. import vocabulary as v
from ..app_store import dump_folder, get_store
from ..dcat import catalog_graph
from ..dumps import DUMP_FORMATS, FORMATS_BY_EXT, DumpCache
from ..licences import licence
from ..publication import DESCRIPTION, KEYWORDS, TITLE, Publication
from ..rdf_output import prefixes_for
from ..void import void_graph, void_triples
from .negotiation import best_match
from .pages import redirect_303
from .site import dataset_stats, store_state

bp = Blueprint("publish", __name__)

DUMPS = "stadtgraph.dumps"
DUMP_RULE = "any(" + ", ".join(f.ext for f in DUMP_FORMATS) + "):ext"
RDF_OUT = {  # suffix: (media type, rdflib format)
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "nt": ("application/n-triples", "nt"),
    "rdf": ("application/rdf+xml", "xml"),
}
RDF_RULE = "any(" + ", ".join(RDF_OUT) + "):ext"


def init_app(app: Flask) -> None:
    """Keep one dump cache per app, in DUMP_FOLDER or beside the store (see `dump_folder`)."""
    app.extensions[DUMPS] = DumpCache(dump_folder(app.config), prefixes_for(app.config["BASE_IRI"]))


def dump_cache() -> DumpCache:
    cache: DumpCache = current_app.extensions[DUMPS]
    return cache


def publication() -> Publication:
    """Describe the publication as this request sees it (absolute URLs behind a proxy)."""
    config = current_app.config
    home = request.url_root
    return Publication(
        base_iri=config["BASE_IRI"],
        home_url=home,
        sparql_url=home + "sparql",
        void_url=url_for("publish.void", _external=True),
        catalog_url=url_for("publish.catalog", _external=True),
        dump_urls={
            f.ext: url_for("publish.dump_file", ext=f.ext, _external=True) for f in DUMP_FORMATS
        },
        dumps=dump_cache().dumps(get_store(), store_state()),
        publisher_name=config["PUBLISHER_NAME"] or "Stadtgraph",
        publisher_url=config["PUBLISHER_URL"],
        contact_name=config["CONTACT_NAME"] or config["PUBLISHER_NAME"] or "Stadtgraph",
        contact_email=config["CONTACT_EMAIL"],
        contact_url=config["CONTACT_URL"],
        licence=config["DATA_LICENSE"],
        attribution=config["LICENSE_ATTRIBUTION"],
        issued=config["DATASET_ISSUED"],
        municipality_key=config["MUNICIPALITY_KEY"],
    )


def rdf_answer(graph: Graph, ext: str) -> Response:
    media_type, rdflib_format = RDF_OUT[ext]
    body = graph.serialize(format=rdflib_format, encoding="utf-8")
    response = Response(body, content_type=f"{media_type}; charset=utf-8")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def negotiated_ext(html: bool, html_first: bool = True) -> str | None:
    """Pick a suffix of RDF_OUT by Accept; None means HTML (when offered). With html_first
    False, HTML only for a client that asks for it by name (a browser), RDF for `*/*`."""
    offers = [m for m, _ in RDF_OUT.values()] + ["application/json"]
    if html:
        offers = ["text/html", *offers] if html_first else [*offers, "text/html"]
    accept = request.accept_mimetypes
    if not accept:
        return None if html and html_first else "ttl"
    best = best_match(accept, offers, named_only=("application/json",))
    if best is None:
        raise NotAcceptable("Offered: " + ", ".join(offers))
    if best == "text/html":
        return None
    if best == "application/json":
        return "jsonld"
    return next(ext for ext, (media, _) in RDF_OUT.items() if media == best)


@bp.get("/dumps/")
def dumps_page() -> str:
    """List the dumps with size, statement count and checksum, and the other descriptions."""
    from ..queries import all_queries

    pub = publication()
    rights = licence(pub.licence)
    return render_template(
        "pages/dumps.html",
        pub=pub,
        rights=rights,
        queries=all_queries(query_folder()),
    )


def query_folder() -> Path:
    from ..queries import QUERY_FOLDER

    configured = current_app.config.get("QUERY_FOLDER")
    return Path(configured) if configured else QUERY_FOLDER


@bp.get(f"/dumps/stadtgraph.<{DUMP_RULE}>")
def dump_file(ext: str) -> Response:
    """Send one dump of the current state of the store."""
    dump = dump_cache().get(get_store(), store_state(), ext)
    response = send_file(
        dump.path,
        mimetype=FORMATS_BY_EXT[ext].media_type,
        etag=dump.sha256,
        conditional=True,
        max_age=300,
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Repr-Digest"] = f"sha-256=:{_b64(dump.sha256)}:"  # RFC 9530
    return response


def _b64(hex_digest: str) -> str:
    import base64

    return base64.b64encode(bytes.fromhex(hex_digest)).decode("ascii")


@bp.get("/.well-known/void")
def void() -> Response:
    """Describe the dataset in VoID: Turtle or JSON-LD by Accept or format= (Turtle for
    `*/*`), a readable page for a browser."""
    ext = request.args.get("format") or negotiated_ext(html=True, html_first=False)
    pub, stats = publication(), dataset_stats()
    if ext is None:
        response = Response(
            render_template(
                "pages/void.html",
                pub=pub,
                stats=stats,
                triples=void_triples(pub, stats),
                entities=stats.entities(pub.uri_space),
                classes=sorted(stats.class_counts.items(), key=lambda item: (-item[1], item[0])),
                formats=[(e, RDF_OUT[e][0]) for e in ("ttl", "jsonld")],
                prefixed=v.prefixed,
            ),
            mimetype="text/html",
        )
    elif ext not in RDF_OUT:
        raise NotAcceptable(f"Unknown format {ext!r}; use one of {', '.join(RDF_OUT)}.")
    else:
        response = rdf_answer(void_graph(pub, stats), ext)
    response.vary.add("Accept")
    return response


@bp.get("/catalog")
def catalog() -> Response | str:
    """Show the DCAT-AP.de record, or return it as RDF by Accept."""
    ext = negotiated_ext(html=True)
    if ext is not None:
        response = rdf_answer(catalog_graph(publication()), ext)
        response.headers["Content-Location"] = url_for("publish.catalog_data", ext=ext)
    else:
        pub = publication()
        response = Response(
            render_template(
                "pages/catalog.html",
                pub=pub,
                rights=licence(pub.licence),
                title=TITLE,
                description=DESCRIPTION,
                keywords=KEYWORDS,
                formats=[(ext, RDF_OUT[ext][0]) for ext in RDF_OUT],
            )
        )
    response.vary.add("Accept")
    return response


@bp.get(f"/catalog.<{RDF_RULE}>")
def catalog_data(ext: str) -> Response:
    """Return the DCAT-AP.de record in the format its suffix names."""
    return rdf_answer(catalog_graph(publication()), ext)


@bp.get("/dataset")
def dataset() -> BaseResponse:
    """Send the dataset's IRI to its catalogue record (HTML or RDF)."""
    ext = negotiated_ext(html=True)
    target = (
        url_for("publish.catalog", _external=True)
        if ext is None
        else url_for("publish.catalog_data", ext=ext, _external=True)
    )
    return redirect_303(target)
