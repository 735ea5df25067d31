"""Linked Data: dereferencing by Accept, page and data URLs, 404s, proxies, the entity page
(alternate links, embedded JSON-LD, escaping, paging, involvement, statements) and the ontology."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDFS

from service import resource_queries
from service import vocabulary as v
from service.labels import Labels
from service.project import ROOT, graph_for_path
from service.resource_queries import fetch_entity
from service.store import RdfFormat, Store
from service.vocabulary import inverse_label
from service.web.i18n import STRINGS

from .pages_support import BASE, ID, load_pages_fixture, pages_app, parse_body

ONTOLOGY = BASE + "ontology"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.fixture
def app(memory_store: Store, tmp_path: Path) -> Flask:
    load_pages_fixture(memory_store)
    return pages_app(memory_store, tmp_path)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def page(client: FlaskClient, path: str, language: str = "de") -> str:
    response = client.get(path, headers={"Accept-Language": language})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


# -- dereferencing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "target"),
    [
        (BROWSER, "/page/test/stadtwerke"),
        ("text/html", "/page/test/stadtwerke"),
        ("*/*", "/page/test/stadtwerke"),
        ("text/turtle", "/data/test/stadtwerke.ttl"),
        ("application/ld+json", "/data/test/stadtwerke.jsonld"),
        ("application/json", "/data/test/stadtwerke.jsonld"),
        ("application/n-triples", "/data/test/stadtwerke.nt"),
        ("application/rdf+xml", "/data/test/stadtwerke.rdf"),
        ("text/html;q=0.5, text/turtle", "/data/test/stadtwerke.ttl"),
        ("application/ld+json;q=0.9, text/turtle;q=0.8", "/data/test/stadtwerke.jsonld"),
        ("text/turtle; charset=utf-8", "/data/test/stadtwerke.ttl"),
        (
            'application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"',
            "/data/test/stadtwerke.jsonld",
        ),
        ("text/html;q=0, */*", "/data/test/stadtwerke.ttl"),
    ],
)
def test_id_redirects_303_by_accept(client: FlaskClient, accept: str, target: str) -> None:
    response = client.get("/id/test/stadtwerke", headers={"Accept": accept})
    assert response.status_code == 303
    assert response.headers["Location"] == "http://localhost" + target
    assert "Accept" in response.headers["Vary"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"  # fetch() checks each hop


def test_id_without_accept_goes_to_the_page(client: FlaskClient) -> None:
    response = client.get("/id/test/stadtwerke")
    assert response.headers["Location"].endswith("/page/test/stadtwerke")


def test_id_refuses_an_unacceptable_type(client: FlaskClient) -> None:
    response = client.get("/id/test/stadtwerke", headers={"Accept": "image/png"})
    assert response.status_code == 406


@pytest.mark.parametrize(
    "path", ["/id/test/nothing-here", "/page/test/nothing-here", "/data/test/nothing-here.ttl"]
)
def test_unknown_iri_is_a_404(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert 'class="site-header"' in body  # the error page uses the base layout
    assert "test/nothing-here" in body


@pytest.mark.parametrize(
    ("ext", "fmt", "media_type"),
    [
        ("ttl", RdfFormat.TURTLE, "text/turtle"),
        ("jsonld", RdfFormat.JSONLD, "application/ld+json"),
        ("nt", RdfFormat.NTRIPLES, "application/n-triples"),
        ("rdf", RdfFormat.RDFXML, "application/rdf+xml"),
    ],
)
def test_data_urls_hold_the_bounded_description(
    client: FlaskClient, ext: str, fmt: RdfFormat, media_type: str
) -> None:
    response = client.get(f"/data/test/stadtwerke.{ext}")
    assert response.status_code == 200
    assert response.mimetype == media_type
    graph = parse_body(response.data, fmt)
    me = URIRef(ID + "stadtwerke")
    assert (me, RDFS.label, Literal("Stadtwerke Musterstadt", lang="de")) in graph
    assert (URIRef(ID + "beteiligung-1"), URIRef("http://www.w3.org/ns/prov#agent"), me) in graph
    # the blank nodes it points to come along, two levels deep
    street = next(graph.objects(None, URIRef("https://schema.org/streetAddress")))
    assert str(street) == "Hauptstraße 1"
    assert str(next(graph.objects(None, URIRef("https://schema.org/latitude")))) == "51.3"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    links = response.headers.getlist("Link")
    assert '<http://localhost/page/test/stadtwerke>; rel="alternate"; type="text/html"' in links
    assert '<https://creativecommons.org/licenses/by/4.0/>; rel="license"' in links


def test_any_iri_has_a_page_and_data(client: FlaskClient) -> None:
    iri = "http://www.wikidata.org/entity/Q1"
    body = page(client, f"/page?iri={iri}")
    assert "Musterstadt" in body  # the incoming owl:sameAs
    data = client.get("/data", query_string={"iri": iri, "format": "nt"})
    assert data.status_code == 200
    assert f"<{iri}>" in data.get_data(as_text=True)


def test_named_graph_iri_dereferences(client: FlaskClient, memory_store: Store) -> None:
    memory_store.update(
        "INSERT DATA { GRAPH <urn:test:meta> { <" + BASE + "graph/data/test/city> "
        "<http://purl.org/dc/terms/title> 'Stadtdaten'@de } }"
    )
    response = client.get("/graph/data/test/city", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert "/data?iri=" in response.headers["Location"]
    assert client.get("/graph/data/test/none").status_code == 404


def test_absolute_urls_follow_the_trusted_proxy(memory_store: Store, tmp_path: Path) -> None:
    load_pages_fixture(memory_store)
    headers = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "stadtgraph.example",
        "X-Forwarded-Prefix": "/kassel",
        "X-Forwarded-For": "203.0.113.9",
    }
    behind = pages_app(memory_store, tmp_path, TRUSTED_PROXIES=1).test_client()
    response = behind.get("/id/test/stadtwerke", headers=headers)
    assert response.headers["Location"] == "https://stadtgraph.example/kassel/page/test/stadtwerke"
    body = behind.get("/page/test/stadtwerke", headers=headers).get_data(as_text=True)
    assert 'href="https://stadtgraph.example/kassel/data/test/stadtwerke.ttl"' in body
    assert 'href="/kassel/page/test/musterstadt"' in body
    # a proxy on another port than the scheme's says so
    on_port = behind.get("/id/test/stadtwerke", headers={**headers, "X-Forwarded-Port": "8443"})
    assert on_port.headers["Location"] == (
        "https://stadtgraph.example:8443/kassel/page/test/stadtwerke"
    )
    # without trust the forwarded headers are ignored
    direct = pages_app(memory_store, tmp_path).test_client()
    response = direct.get("/id/test/stadtwerke", headers=headers)
    assert response.headers["Location"] == "http://localhost/page/test/stadtwerke"


# -- the entity page ---------------------------------------------------------------------------


def test_page_shows_labels_types_identifiers_and_properties(client: FlaskClient) -> None:
    body = page(client, "/page/test/stadtwerke")
    assert "<h1" in body and "Stadtwerke Musterstadt</h1>" in body
    assert "Musterstadt public utilities" in body  # the other language's label
    assert ">Unternehmen</a>" in body  # its type, labelled from the ontology
    assert 'href="http://www.wikidata.org/entity/Q2" rel="external">Q2</a>' in body
    assert ">GND</td>" in body and ">Wikidata</td>" in body  # registry names
    assert ">Betreibt</a></dt>" in body  # predicate label from the ontology
    assert 'href="/page/test/busverkehr">Busverkehr</a>' in body
    assert "Hauptstraße 1" in body  # the blank node, nested
    english = page(client, "/page/test/stadtwerke", "en")
    assert "Musterstadt public utilities</h1>" in english
    assert 'href="/page/test/busverkehr">Bus services</a>' in english


def test_the_preferred_naming_predicate_wins_whatever_the_row_order(
    memory_store: Store, client: FlaskClient
) -> None:
    """Rows come in the engine's index order, not in that of preference (see the Kassel test
    below for a pair the engine returns the wrong way round)."""
    data = f"""
    @prefix dcterms: <http://purl.org/dc/terms/> .
    @prefix foaf: <http://xmlns.com/foaf/0.1/> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix schema: <https://schema.org/> .
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    <{ID}bericht> dcterms:title "Titel"@de ; foaf:name "Foaf-Name"@de ;
        schema:name "Schema-Name"@de ; rdfs:label "Bezeichnung"@de, "Label"@en .
    <{ID}begriff> dcterms:title "Titel"@de ; foaf:name "Foaf-Name"@de ;
        schema:name "Schema-Name"@de ; rdfs:label "Bezeichnung"@de ;
        skos:prefLabel "Vorzugsbezeichnung"@de .
    <{ID}leser> rdfs:label "Leserin"@de ;
        dcterms:references <{ID}bericht>, <{ID}begriff> .
    """
    memory_store.load(data.encode(), RdfFormat.TURTLE, "urn:test:labels")
    report = page(client, "/page/test/bericht")
    assert "Bezeichnung</h1>" in report and "<title>Bezeichnung" in report
    assert "Titel" in report  # still listed, as the title it is
    english = page(client, "/page/test/bericht", "en")
    assert "Label</h1>" in english
    header = english.split("<h1")[1].split('<p class="iri">')[0]  # the names under the heading
    assert '<span lang="de">Bezeichnung</span>' in header and "Titel" not in header
    assert "Vorzugsbezeichnung</h1>" in page(client, "/page/test/begriff")
    pointing = page(client, "/page/test/leser")
    assert 'href="/page/test/bericht">Bezeichnung</a>' in pointing
    assert 'href="/page/test/begriff">Vorzugsbezeichnung</a>' in pointing


def test_labels_rank_by_predicate_then_by_arrival() -> None:
    title, label = Literal("Titel", lang="de"), Literal("Bezeichnung", lang="de")
    node = URIRef(ID + "x")
    for order in (
        [(title, DCTERMS.title), (label, RDFS.label)],
        [(label, RDFS.label), (title, DCTERMS.title)],
    ):
        labels = Labels("de")
        for literal, via in order:
            labels.add(node, literal, via)
        assert labels.text(node) == "Bezeichnung"
    labels = Labels("en")
    labels.add(node, title, DCTERMS.title)
    labels.add(node, Literal("Name"), RDFS.label)  # untagged: the German title comes first
    assert labels.text(node) == "Titel"
    late = Labels("de")
    late.add(node, title, DCTERMS.title)
    assert late.text(node) == "Titel"
    late.add(node, label, RDFS.label)  # after a choice was made: it is made again
    assert late.text(node) == "Bezeichnung"
    unranked = Labels("de")
    unranked.add(node, Literal("zuerst", lang="de"))
    unranked.add(node, Literal("danach", lang="de"))
    assert unranked.text(node) == "zuerst"


def test_identifiers_are_listed_with_their_registry(client: FlaskClient) -> None:
    body = page(client, "/page/test/musterstadt")
    for registry, value in [("Wikidata", "Q1"), ("GeoNames", "1")]:
        assert re.search(
            rf"<td[^>]*>{registry}</td>\s*<td[^>]*><a href=\"[^\"]+\" rel=\"external\">"
            rf"{value}</a>",
            body,
        )
    assert "Amtlicher Gemeindeschlüssel (AGS)</td>" in body
    assert re.search(r"<td[^>]*>09999000</td>", body)


def test_involvement_and_statements_with_their_sources(client: FlaskClient) -> None:
    body = page(client, "/page/test/stadtwerke")
    involvement = body.split('id="involvement"')[1].split("</table>")[0]
    assert "Busverkehr" in involvement and "Betreiber" in involvement
    assert "6. März 2019" in involvement  # the date as readers write it
    assert "Die Stadtwerke betreiben den Busverkehr" in involvement  # the source statement
    statements = body.split('id="statements"')[1].split("</section>")[0]
    assert "„Die Stadtwerke betreiben den Busverkehr.“" in statements
    assert "Bürgermeisterin" in statements and "Protokoll der Sitzung" in statements
    # The statement bears on the Stadtwerke twice (their own source and their involvement's):
    # it is listed once, with both relations, and its parts once.
    assert statements.count("„Die Stadtwerke betreiben den Busverkehr.“") == 1
    assert statements.count('href="/page/test/buergermeisterin"') == 1
    assert "Quelle dieser Angaben" in statements and "Quelle einer Beteiligung" in statements
    speaker = page(client, "/page/test/buergermeisterin")
    said = speaker.split('id="statements"')[1].split("</section>")[0]
    assert 'href="/page/test/aussage-1">Die Stadtwerke betreiben den Busverkehr</a>' in said
    assert "Sprecher" in said  # how the statement names her


def test_statements_without_an_iri_are_listed_with_their_parts(
    memory_store: Store, client: FlaskClient
) -> None:
    """Statements are looked up by IRI; where one is a blank node, they are found again."""
    data = f"""
    @prefix dcterms: <http://purl.org/dc/terms/> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix sg: <https://w3id.org/stadtgraph/ontology#> .
    <{ID}thema> rdfs:label "Thema"@de .
    <{ID}aussage-mit-iri> a sg:Statement ; dcterms:subject <{ID}thema> ;
        sg:quote "Ein Satz mit eigener IRI."@de .
    [] a sg:Statement ; dcterms:subject <{ID}thema> ; sg:quote "Ein Satz ohne IRI."@de .
    """
    memory_store.load(data.encode(), RdfFormat.TURTLE, "urn:test:blank-statement")
    statements = page(client, "/page/test/thema").split('id="statements"')[1].split("</section>")[0]
    assert "„Ein Satz mit eigener IRI.“" in statements and "„Ein Satz ohne IRI.“" in statements


STATEMENT_IN_TWO_GRAPHS = f"""
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix sg: <https://w3id.org/stadtgraph/ontology#> .
<{ID}aussage-doppelt> a sg:Statement ;
    dcterms:subject <{ID}thema> ; dcterms:references <{ID}thema> ;
    sg:quote "Zweimal gespeichert."@de ; sg:speaker <{ID}sprecherin> .
"""


@pytest.mark.parametrize("blank", [False, True])
def test_statement_parts_come_once_however_often_they_are_held(
    memory_store: Store, blank: bool
) -> None:
    """Related two ways and kept in two graphs, a statement's parts still come once each (with
    a blank-node statement beside it, they are found again instead of given)."""
    for graph in ("urn:test:one", "urn:test:two"):
        memory_store.load(STATEMENT_IN_TWO_GRAPHS.encode(), RdfFormat.TURTLE, graph)
    if blank:
        blank_statement = f"""@prefix sg: <https://w3id.org/stadtgraph/ontology#> .
        [] a sg:Statement ; <http://purl.org/dc/terms/subject> <{ID}thema> ;
            sg:quote "Ohne IRI."@de ."""
        memory_store.load(blank_statement.encode(), RdfFormat.TURTLE, "urn:test:three")
    rows = fetch_entity(memory_store, URIRef(ID + "thema"))
    parts = [(r["statement"], r["p"], r["o"]) for r in rows.statements.rows]
    assert len(parts) == len(set(parts)) == (3 if blank else 2)  # quote, speaker (+ quote)
    assert ("UNION" in rows.queries[-1].sparql) is blank


def test_statements_whose_iri_sparql_cannot_carry_are_found_again(
    memory_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A remote store may hold IRIs oxigraph refuses; VALUES cannot carry them."""
    memory_store.load(STATEMENT_IN_TWO_GRAPHS.encode(), RdfFormat.TURTLE, "urn:test:one")

    def refuse(variable: str, terms: object) -> str:
        raise ValueError("an IRI SPARQL cannot carry")

    monkeypatch.setattr(resource_queries, "values_block", refuse)
    rows = fetch_entity(memory_store, URIRef(ID + "thema"))
    assert {str(r["o"]) for r in rows.statements.rows} >= {"Zweimal gespeichert."}
    assert "UNION" in rows.queries[-1].sparql


def test_incoming_links_are_grouped_counted_and_paged(client: FlaskClient) -> None:
    body = page(client, "/page/test/musterstadt")
    # Read from the town's side: the districts lie in it, so it contains them.
    assert re.search(r">Enthält</a> <span class=\"count\">\(25\)</span>", body)
    assert ">Liegt in</a>" not in body
    assert "Ortsteil 20" in body and "Ortsteil 21" not in body
    assert "1–20 von 25" in body
    next_link = re.search(r'href="([^"]+)#incoming-\d+" rel="next"', body)
    assert next_link is not None
    second = page(client, next_link.group(1).replace("&amp;", "&"))
    assert "Ortsteil 21" in second and "Ortsteil 25" in second and "Ortsteil 01" not in second
    assert "21–25 von 25" in second and 'rel="prev"' in second


@pytest.mark.parametrize(
    ("language", "heading"),
    [("de", "Enthält"), ("en", "Contains")],
)
def test_incoming_links_are_named_from_the_resource_s_side(
    client: FlaskClient, language: str, heading: str
) -> None:
    body = page(client, f"/page/test/musterstadt?lang={language}")
    incoming = body.split('id="incoming"')[1].split("</section>")[0]
    assert re.search(rf">{heading}</a> <span class=\"count\">", incoming)


def test_a_property_without_a_name_from_the_other_side_is_quoted() -> None:
    assert inverse_label("https://example.org/p", "Hat Teil", "de") == "„Hat Teil“ von"
    assert inverse_label("https://example.org/p", "has part", "en") == "“has part” of"
    assert inverse_label("http://schema.org/containedInPlace", "liegt in", "de") == "Enthält"


def test_the_page_s_queries_are_titled_in_the_reader_s_language(
    client: FlaskClient, memory_store: Store
) -> None:
    rows = fetch_entity(memory_store, URIRef(ID + "stadtwerke"))
    for query in rows.queries:
        key = "entity.query." + query.title.replace(" ", "_")
        assert key in STRINGS, key
    german = page(client, "/page/test/stadtwerke").split("<details>")[1]
    english = page(client, "/page/test/stadtwerke?lang=en").split("<details>")[1]
    assert "<h3>Die eigenen Aussagen der Ressource</h3>" in german
    assert "<h3>The resource&#39;s own triples</h3>" in english
    assert "<h3>outgoing</h3>" not in german


def test_page_links_every_format_and_shows_its_sparql(client: FlaskClient) -> None:
    body = page(client, "/page/test/stadtwerke")
    for ext, media_type in [
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
        ("rdf", "application/rdf+xml"),
    ]:
        url = f"http://localhost/data/test/stadtwerke.{ext}"
        assert f'<link rel="alternate" type="{media_type}" href="{url}"' in body
        assert f'href="{url}" type="{media_type}"' in body
    sparql = body.split("<details>")[1]
    assert "SELECT ?s ?p ?o WHERE" in sparql
    assert f"VALUES (?resource) {{ (&lt;{ID}stadtwerke&gt;) }}" in sparql


def embedded_json_ld(body: str) -> dict[str, object]:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert match is not None
    data: dict[str, object] = json.loads(match.group(1))
    return data


def test_page_embeds_schema_org_json_ld(client: FlaskClient) -> None:
    data = embedded_json_ld(page(client, "/page/test/stadtwerke"))
    assert data["@id"] == ID + "stadtwerke"
    assert data["@type"] == "Organization"  # sg:Enterprise is a subclass of org:Organization
    assert {"@value": "Stadtwerke Musterstadt", "@language": "de"} in data["name"]  # type: ignore[operator]
    assert data["sameAs"] == ["https://d-nb.info/gnd/1-2", "http://www.wikidata.org/entity/Q2"]
    assert data["url"] == "http://localhost/page/test/stadtwerke"
    city = embedded_json_ld(page(client, "/page/test/musterstadt"))
    assert city["@type"] == "City"
    assert city["identifier"] == [
        {
            "@type": "PropertyValue",
            "propertyID": "Amtlicher Gemeindeschlüssel (AGS)",
            "value": "09999000",
        }
    ]


def test_json_ld_same_as_names_only_the_same_thing(
    memory_store: Store, client: FlaskClient
) -> None:
    # owl:sameAs and skos:exactMatch to an entity registry are schema.org's sameAs; a close
    # match or a key's vocabulary concept is an identifier with its URL, not the thing itself.
    memory_store.update(
        f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        INSERT DATA {{ GRAPH <urn:test:links> {{
          <{ID}stadtwerke> skos:closeMatch <http://www.wikidata.org/entity/Q3> .
          <{ID}musterstadt> skos:exactMatch
            <http://dcat-ap.de/def/politicalGeocoding/municipalityKey/09999000> .
        }} }}"""
    )
    firm = embedded_json_ld(page(client, "/page/test/stadtwerke"))
    assert "http://www.wikidata.org/entity/Q3" not in firm["sameAs"]  # type: ignore[operator]
    assert {
        "@type": "PropertyValue",
        "propertyID": "Wikidata",
        "value": "Q3",
        "url": "http://www.wikidata.org/entity/Q3",
    } in firm["identifier"]  # type: ignore[operator]
    city = embedded_json_ld(page(client, "/page/test/musterstadt"))
    assert not any("dcat-ap.de" in iri for iri in city.get("sameAs", []))  # type: ignore[attr-defined]
    assert city["identifier"] == [
        {
            "@type": "PropertyValue",
            "propertyID": "Amtlicher Gemeindeschlüssel (AGS)",
            "value": "09999000",
            "url": "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/09999000",
        }
    ]


def test_data_values_are_escaped(client: FlaskClient) -> None:
    for language in ("de", "en"):
        body = page(client, "/page/test/xss", language)
        assert "<script>alert(" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
        assert len(re.findall(r"<script\b", body)) == 1  # only the JSON-LD data block
        data = embedded_json_ld(body)  # the label cannot end the data block early
        names = {item["@value"] for item in data["name"]}  # type: ignore[attr-defined]
        assert names == {"<script>alert(1)</script>", "</script><script>alert(2)</script>"}
    incoming = page(client, "/page/test/musterstadt")
    assert "<script>alert(" not in incoming


def test_html_pages_carry_the_content_security_policy(client: FlaskClient) -> None:
    for path in ("/page/test/stadtwerke", "/ontology", "/id/test/none"):
        response = client.get(path, headers={"Accept": "text/html"})
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert "http" not in re.sub(
            r'(href|content)="[^"]*"',
            "",
            response.get_data(as_text=True).split("<body")[0].split("application/ld+json")[0],
        )


# -- the ontology ------------------------------------------------------------------------------


def test_ontology_is_documented(client: FlaskClient) -> None:
    body = page(client, "/ontology")
    assert "<h1>Testontologie</h1>" in body
    enterprise = body.split('id="Enterprise"')[1].split("</section>")[0]
    assert "Ein Unternehmen der Stadt." in enterprise
    assert "http://www.w3.org/ns/org#Organization" in enterprise  # its superclass
    assert re.search(r"<dt>Instanzen</dt><dd>2</dd>", enterprise)
    operates = body.split('id="operates"')[1].split("</section>")[0]
    assert ">Unternehmen</a>" in operates  # domain
    assert ">Thema</a>" in operates and "org#Organization" in operates  # owl:unionOf range
    assert re.search(r"<dt>Verwendungen</dt><dd>1</dd>", operates)
    assert 'id="Operator"' in body  # concepts of its schemes
    assert page(client, "/ontology", "en").count("<h1>Test ontology</h1>") == 1


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", RdfFormat.TURTLE),
        ("application/ld+json", RdfFormat.JSONLD),
        ("text/turtle; charset=utf-8", RdfFormat.TURTLE),
        ('application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"', RdfFormat.JSONLD),
        ("text/html;q=0, */*", RdfFormat.TURTLE),
    ],
)
def test_ontology_by_negotiation(client: FlaskClient, accept: str, fmt: RdfFormat) -> None:
    response = client.get("/ontology", headers={"Accept": accept})
    assert response.status_code == 200
    assert "Accept" in response.headers["Vary"]
    graph = parse_body(response.data, fmt)
    assert (URIRef(ONTOLOGY), None, OWL.Ontology) in graph
    assert (URIRef(ONTOLOGY + "#Enterprise"), RDFS.subClassOf, None) in graph
    assert (URIRef(ID + "stadtwerke"), None, None) not in graph  # the ontology only


def test_ontology_by_suffix_and_version_iri(client: FlaskClient) -> None:
    graph = parse_body(client.get("/ontology.nt").data, RdfFormat.NTRIPLES)
    assert (URIRef(ONTOLOGY + "#operates"), None, None) in graph
    version = client.get("/ontology/0.0.1")
    assert version.status_code == 303
    assert version.headers["Location"] == "http://localhost/ontology"
    assert client.get("/ontology/9.9.9").status_code == 404


def test_the_kassel_graph_has_pages(memory_store: Store, tmp_path: Path) -> None:
    files = [ROOT / "ontology" / "stadtgraph.ttl", *sorted((ROOT / "data").rglob("*.ttl"))]
    for path in files:
        memory_store.load(path, RdfFormat.TURTLE, graph_for_path(path))
    client = pages_app(memory_store, tmp_path).test_client()
    kassel = page(client, "/page/kassel/place/kassel")
    assert "Kassel</h1>" in kassel and ">Q2865</a>" in kassel and ">2892518</a>" in kassel
    assert "06611000" in kassel
    inquiry = page(client, "/page/kassel/doc/anfrage-digitalisierungsstrategie")
    assert "Anfrage: Digitalisierungsstrategie der Stadt Kassel</h1>" in inquiry  # not its title
    ontology = page(client, "/ontology")
    assert 'id="Involvement"' in ontology and 'id="target"' in ontology
    # A shape's list naming a source (sh:in) is no link a reader can follow: not listed.
    reference = page(client, "/page/kassel/source/projektreferenz")
    assert "Erstes Element" not in reference and "first element" not in reference
    reviewer = page(client, "/page/agent/stadtgraph-projekt")
    assert ">Von diesem Akteur geprüft</a>" in reviewer
    # A class counts the instances of its subclasses too: Kassel's bodies are committees,
    # councils and the like, none only a deliberative body.
    body = ontology.split('id="DeliberativeBody"')[1].split("</dl>")[0]
    assert re.search(r"<dd>4 <span class=\"muted\">\(davon 0 unmittelbar", body)
    assert ">Gruppe</a>" in ontology.split('id="AgentGroup"')[1].split("</dl>")[0]
    # A statement card gives the paraphrase in the page's language only: a German reader gets
    # the German quote without the English paraphrase, an English reader gets both.
    mayor = "/page/kassel/person/oberbuergermeister-2019-03-06"
    german, english = page(client, mayor), page(client, mayor + "?lang=en")
    for body in (german, english):
        assert "„Unter Smart City verstehe der Oberbürgermeister" in body
    assert "The Lord Mayor understands" not in german
    assert 'In other words:</span> <span lang="en">The Lord Mayor understands' in english
    # The notes' caveat stays in German, marked as such, with a gloss for English readers.
    assert '<em lang="de">ohne Gewähr</em> (no guarantee)' in english
    assert '<em lang="de">ohne Gewähr</em> (' not in german
    # A card says how the statement bears on the page's resource from one side: what the
    # statement is to it, or what the resource is in the statement.
    glh = page(client, "/page/kassel/org/glh?lang=de")
    assert (
        "Beziehung: Quelle einer Beteiligung; Quelle dieser Angaben; Thema: diese Ressource" in glh
    )
    strategy = re.sub(r"<[^>]+>", "", page(client, "/page/kassel/strategy/gesamtstrategie?lang=de"))
    assert "Fragen: Frage 2, Frage 3" in strategy  # in reading order, in the plural
    # The notes' page: its statements are derived from it, not its source, and are not
    # given the page's own resource as their source again.
    notes = page(client, "/page/kassel/doc/notizen-afwg-2019-03-06?lang=de")
    cards = notes.split('id="statements"')[1].split("</section>")[0]
    assert "Beziehung: Abgeleitet von: diese Ressource" in cards
    assert "Quelle dieser Angaben" not in cards and "Quelle:" not in cards
    # A boolean reads ja/nein or yes/no (the data keeps true/false).
    statement = "/page/kassel/statement/s01-smart-city"
    for language, yes in (("de", "ja"), ("en", "yes")):
        body = page(client, f"{statement}?lang={language}")
        named = body.split("speakerNamedInSource")[1].split("</dd>")[0]
        assert f">{yes}<" in named and "true" not in named


def test_values_that_read_as_what_they_are_carry_no_datatype_tag(client: FlaskClient) -> None:
    involvement = page(client, "/page/test/beteiligung-1")
    assert "6. März 2019" in involvement and "xsd:date" not in involvement
    utilities = page(client, "/page/test/stadtwerke")
    assert "51.3" in utilities and "xsd:decimal" not in utilities


def test_a_german_registry_is_named_in_the_page_s_language() -> None:
    ags = v.registry_for("http://dcat-ap.de/def/politicalGeocoding/municipalityKey/06611000")
    assert ags is not None
    assert ags.label("de") == "Amtlicher Gemeindeschlüssel (AGS)"
    assert ags.label("en") == "Official municipality key (AGS)"
    wikidata = v.registry_for("http://www.wikidata.org/entity/Q2")
    assert wikidata is not None and wikidata.label("en") == wikidata.label("de") == "Wikidata"


def test_graph_and_shape_iris_dereference_to_their_content(
    memory_store: Store, tmp_path: Path
) -> None:
    load_pages_fixture(memory_store)
    common = ROOT / "shapes" / "common.ttl"
    memory_store.load(common, RdfFormat.TURTLE, graph_for_path(common))
    client = pages_app(memory_store, tmp_path).test_client()

    response = client.get("/graph/data/test/city", headers={"Accept": "application/n-triples"})
    assert response.status_code == 303
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    content = client.get(response.headers["Location"])
    assert content.status_code == 200 and content.mimetype == "application/n-triples"
    graph = parse_body(content.data, RdfFormat.NTRIPLES)
    assert (URIRef(ID + "stadtwerke"), RDFS.label, None) in graph
    assert (URIRef(ONTOLOGY + "#Enterprise"), None, None) not in graph  # that graph only
    browser = client.get("/graph/data/test/city", headers={"Accept": BROWSER})
    assert "format=ttl" in browser.headers["Location"]

    shapes = client.get("/shapes", headers={"Accept": "text/turtle"})
    assert shapes.status_code == 303
    turtle = client.get(shapes.headers["Location"])
    assert turtle.mimetype == "text/turtle"
    shape = URIRef("https://w3id.org/stadtgraph/shapes#DescribedResourceShape")
    assert (shape, None, None) in parse_body(turtle.data, RdfFormat.TURTLE)

    assert client.get("/graph/data/test/nothing-here").status_code == 404


def test_type_chips_name_the_ontology_s_own_classes_where_there_are_any() -> None:
    from service.resource_view import _type_chips

    type_ = URIRef(v.RDF + "type")
    plan, strategy = URIRef("http://www.w3.org/ns/prov#Plan"), URIRef(v.SG + "Strategy")
    labels = Labels("de")
    chips = _type_chips([(type_, plan), (type_, strategy)], labels, lambda iri: "/x")
    assert [c.iri for c in chips] == [str(strategy)]
    only_standard = _type_chips([(type_, plan)], labels, lambda iri: "/x")
    assert [c.iri for c in only_standard] == [str(plan)]


def test_lists_of_links_escape_what_they_show(app: Flask) -> None:
    from service.labels import Link
    from service.web.site import linked

    with app.test_request_context("/?lang=en"):
        html = str(
            linked([Link("<b>x</b>", '/a?b="c"&d', "i"), Link("Plain", "", "j"), Link("", "", "k")])
        )
    assert html.startswith('<a href="/a?b=&#34;c&#34;&amp;d">&lt;b&gt;x&lt;/b&gt;</a>, Plain, ')
    assert "<b>" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/id/a%22b",
        "/id/a%20b",
        "/id/%5C",
        "/graph/a%22b",
        "/ontology/a%22b",
        "/page?iri=relative",
        "/data?iri=relative",
        "/page/x/a%22b",
        "/data/x/a%22b.ttl",
    ],
)
def test_an_iri_no_store_can_hold_is_a_bad_request_that_says_why(
    client: FlaskClient, url: str
) -> None:
    response = client.get(url, headers={"Accept": "application/json"})
    assert response.status_code == 400, response.get_data(as_text=True)
    message = response.json["message"]
    assert "IRI" in message and ("not allow" in message or "not an absolute IRI" in message)


def test_the_kassel_graph_counts_each_triple_once_through_the_endpoint_and_void() -> None:
    # The engine reads the union of the graphs as a bag, so this holds only while no triple
    # of the project's files is stated in two of them (see test_vocabulary).
    from service.app import create_app

    from .graph_fixtures import kassel_store_loaded

    store = kassel_store_loaded()
    try:
        client = create_app({"TESTING": True, "PREPARE_AHEAD": False}, store=store).test_client()

        def count(query: str) -> int:
            response = client.get(
                "/sparql", query_string={"query": query}, headers={"Accept": "text/csv"}
            )
            assert response.status_code == 200, response.get_data(as_text=True)
            return int(response.get_data(as_text=True).split()[1])

        everything = count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        distinct = count(
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
        )
        void = parse_body(
            client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data,
            RdfFormat.TURTLE,
        )
        declared = void.value(URIRef(BASE + "dataset"), URIRef("http://rdfs.org/ns/void#triples"))
        assert everything == distinct == declared.toPython()
    finally:
        store.close()
