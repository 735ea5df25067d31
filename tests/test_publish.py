"""Dataset publication: dumps (parse, checksums, sizes, counts, caching), VoID (endpoint,
dumps, vocabularies, partitions, linksets) and the named queries as HTML, JSON and CSV."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, XSD

from service import dumps
from service.app import create_app
from service.app_store import dump_folder, instance_folder
from service.dataset_stats import fingerprint
from service.dumps import DUMP_FORMATS
from service.project import ROOT, graph_for_path
from service.rdf_files import parse_rdf
from service.result_table import cell, columns
from service.store import RdfFormat, Store
from service.web.publish import DUMPS

from .pages_support import BASE, ID, listed_dumps, load_pages_fixture, pages_app, parse_body

VOID = Namespace("http://rdfs.org/ns/void#")
DATASET = URIRef(BASE + "dataset")


@pytest.fixture
def app(memory_store: Store, tmp_path: Path) -> Flask:
    load_pages_fixture(memory_store)
    return pages_app(memory_store, tmp_path)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def dump(client: FlaskClient, ext: str) -> bytes:
    with client.get(f"/dumps/stadtgraph.{ext}") as response:
        assert response.status_code == 200
        return response.data


def statements(body: bytes, fmt: RdfFormat) -> int:
    parsed = parse_rdf(body, fmt, "urn:test:default")
    return parsed.triple_count


def test_every_dump_parses_and_matches_its_listing(
    client: FlaskClient, memory_store: Store
) -> None:
    listing = listed_dumps(client)
    assert set(listing) == {"ttl", "nt", "nq", "trig", "jsonld"}
    for fmt in DUMP_FORMATS:
        with client.get(f"/dumps/stadtgraph.{fmt.ext}") as response:
            assert response.status_code == 200
            assert response.mimetype == fmt.media_type
            body = response.data
            etag = response.headers["ETag"].strip('"')
            digest_header = response.headers["Repr-Digest"]
        size, count, digest = listing[fmt.ext]
        assert len(body) == size
        assert hashlib.sha256(body).hexdigest() == digest == etag
        assert digest_header == f"sha-256=:{base64.b64encode(bytes.fromhex(digest)).decode()}:"
        assert statements(body, fmt.rdf_format) == count
    quads = memory_store.count()
    assert listing["nq"][1] == listing["trig"][1] == listing["jsonld"][1] == quads
    # the triple formats hold the union of the graphs
    assert (
        listing["ttl"][1]
        == listing["nt"][1]
        == len(parse_body(dump(client, "nq"), RdfFormat.NQUADS))
    )


def test_dumps_are_cached_until_the_store_changes(client: FlaskClient, memory_store: Store) -> None:
    first = listed_dumps(client)
    assert listed_dumps(client) == first
    with client.get(
        "/dumps/stadtgraph.nt", headers={"If-None-Match": f'"{first["nt"][2]}"'}
    ) as again:
        assert again.status_code == 304
    # a write through the store, even behind the service's back, shows at once (the store
    # counts its writes; the state is read again when that count moved)
    memory_store.update(
        f"INSERT DATA {{ GRAPH <urn:test:new> {{ <{ID}neu> "
        "<http://www.w3.org/2000/01/rdf-schema#label> 'neu' } }"
    )
    changed = listed_dumps(client)
    assert changed["nt"][1] == first["nt"][1] + 1
    assert changed["nt"][2] != first["nt"][2]
    assert b"/test/neu>" in dump(client, "nt")


def test_a_write_through_the_service_renews_the_dumps(memory_store: Store, tmp_path: Path) -> None:
    load_pages_fixture(memory_store)
    client = pages_app(memory_store, tmp_path, WRITE_TOKENS="secret").test_client()
    first = listed_dumps(client)
    response = client.post(
        "/update",
        data=f"INSERT DATA {{ GRAPH <{BASE}graph/data/test/extra> {{ <{ID}neu> "
        "a <https://schema.org/Thing> ; <http://www.w3.org/2000/01/rdf-schema#label> 'neu'@de } }",
        headers={"Authorization": "Bearer secret", "Content-Type": "application/sparql-update"},
    )
    assert response.status_code in (200, 204), response.get_data(as_text=True)
    assert listed_dumps(client)["nt"][1] > first["nt"][1]  # at once, no waiting


def test_several_processes_write_one_state_once(
    memory_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers share the dump folder: while one writes a state's dumps, the others wait for
    them instead of writing their own (each cache opens the lock file itself, as a process
    does)."""
    load_pages_fixture(memory_store)
    folder = tmp_path / "dumps"
    # A process that died while writing left a half-written folder behind.
    (folder / ".building-crashed").mkdir(parents=True)
    (folder / ".building-crashed" / "stadtgraph.nt").write_bytes(b"<urn:half")
    writes: list[float] = []
    real_write = dumps.write_dumps

    def counted_write(*args: Any, **kwargs: Any) -> list[dumps.Dump]:
        writes.append(time.monotonic())
        time.sleep(0.3)  # long enough for the other caches to arrive meanwhile
        return real_write(*args, **kwargs)

    monkeypatch.setattr(dumps, "write_dumps", counted_write)
    state = fingerprint(memory_store)
    caches = [dumps.DumpCache(folder) for _ in range(4)]
    with ThreadPoolExecutor(4) as pool:
        found = list(pool.map(lambda cache: cache.dumps(memory_store, state), caches))
    assert len(writes) == 1
    assert all(result == found[0] for result in found)
    assert [p.name for p in folder.iterdir() if p.is_dir()] == [Path(found[0][0].path).parent.name]


def void_graph(client: FlaskClient, accept: str = "text/turtle") -> tuple[object, object]:
    response = client.get("/.well-known/void", headers={"Accept": accept})
    assert response.status_code == 200
    fmt = RdfFormat.JSONLD if "json" in accept else RdfFormat.TURTLE
    return parse_body(response.data, fmt), response


def test_void_describes_the_dataset(client: FlaskClient) -> None:
    graph, response = void_graph(client)
    assert response.mimetype == "text/turtle"  # type: ignore[attr-defined]
    g = graph  # type: ignore[assignment]
    assert (DATASET, RDF.type, VOID.Dataset) in g
    assert (DATASET, VOID.sparqlEndpoint, URIRef("http://localhost/sparql")) in g
    dumps = set(g.objects(DATASET, VOID.dataDump))
    assert dumps == {URIRef(f"http://localhost/dumps/stadtgraph.{f.ext}") for f in DUMP_FORMATS}
    listing = listed_dumps(client)
    assert (DATASET, VOID.triples, Literal(listing["nt"][1], datatype=XSD.integer)) in g
    vocabularies = {str(v) for v in g.objects(DATASET, VOID.vocabulary)}
    assert {
        "https://w3id.org/stadtgraph/ontology#",
        "https://schema.org/",
        "http://www.w3.org/ns/org#",
        "http://www.w3.org/ns/prov#",
    } <= vocabularies
    assert (DATASET, VOID.uriSpace, Literal(BASE + "id/")) in g
    entities = g.value(DATASET, VOID.entities).toPython()
    assert entities == 33  # every resource of the fixture under id/
    partitions = {
        g.value(p, VOID["class"]): g.value(p, VOID.entities).toPython()
        for p in g.objects(DATASET, VOID.classPartition)
    }
    assert partitions[URIRef(BASE + "ontology#Enterprise")] == 2


def test_void_partitions_keep_their_names_as_the_data_grows(
    memory_store: Store, client: FlaskClient
) -> None:
    def partitions() -> dict[object, object]:
        g, _ = void_graph(client)
        return {g.value(p, VOID["class"]): p for p in g.objects(DATASET, VOID.classPartition)}  # type: ignore[attr-defined]

    before = partitions()
    enterprise = before[URIRef(BASE + "ontology#Enterprise")]
    assert str(enterprise).startswith(BASE + "dataset#class-Enterprise-")
    # A class sorting before every other one used to renumber them all.
    memory_store.update(
        "INSERT DATA { GRAPH <urn:test:more> { <urn:x:a> a <http://example.org/AAA> } }"
    )
    after = partitions()
    assert len(after) == len(before) + 1
    assert all(after[cls] == name for cls, name in before.items())


def test_void_counts_blank_subjects_and_names_the_catalogs_publisher(
    memory_store: Store, client: FlaskClient
) -> None:
    g, _ = void_graph(client)
    subjects = g.value(DATASET, VOID.distinctSubjects).toPython()  # type: ignore[attr-defined]
    memory_store.update("INSERT DATA { GRAPH <urn:test:more> { [] <http://example.org/p> 1 . } }")
    g, _ = void_graph(client)
    assert g.value(DATASET, VOID.distinctSubjects).toPython() == subjects + 1  # type: ignore[attr-defined]
    # The publisher is an agent, as in the catalog, not a plain name.
    publisher = g.value(DATASET, DCTERMS.publisher)  # type: ignore[attr-defined]
    assert (publisher, RDF.type, FOAF.Organization) in g
    assert g.value(publisher, FOAF.name) == Literal("Stadtgraph")  # type: ignore[attr-defined]
    assert (DATASET, RDFS.seeAlso, URIRef("http://localhost/catalog")) in g
    catalog = parse_body(
        client.get("/catalog", headers={"Accept": "text/turtle"}).data, RdfFormat.TURTLE
    )
    assert (DATASET, RDFS.seeAlso, URIRef("http://localhost/.well-known/void")) in catalog


def test_void_linksets_are_counted_from_the_data(client: FlaskClient) -> None:
    g, _ = void_graph(client)
    linksets = {}
    for node in g.subjects(RDF.type, VOID.Linkset):  # type: ignore[attr-defined]
        target = g.value(node, VOID.objectsTarget)  # type: ignore[attr-defined]
        name = str(g.value(target, URIRef("http://purl.org/dc/terms/title")))  # type: ignore[attr-defined]
        predicate = g.value(node, VOID.linkPredicate)  # type: ignore[attr-defined]
        linksets[(name, predicate)] = g.value(node, VOID.triples).toPython()  # type: ignore[attr-defined]
        assert g.value(node, VOID.subjectsTarget) == DATASET  # type: ignore[attr-defined]
    skos_exact = URIRef("http://www.w3.org/2004/02/skos/core#exactMatch")
    assert linksets == {
        ("Wikidata", OWL.sameAs): 1,
        ("Wikidata", skos_exact): 1,
        ("GeoNames", OWL.sameAs): 1,
        ("GND", OWL.sameAs): 1,
    }


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "mimetype"),
    [
        (BROWSER, "text/html"),
        ("text/html", "text/html"),
        ("*/*", "text/turtle"),
        ("", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
    ],
)
def test_void_is_a_page_for_browsers_and_rdf_for_everyone_else(
    client: FlaskClient, accept: str, mimetype: str
) -> None:
    response = client.get("/.well-known/void", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and response.mimetype == mimetype
    assert "Accept" in response.vary


def test_void_page_shows_what_the_rdf_says(client: FlaskClient) -> None:
    graph, _ = void_graph(client)
    triples = graph.value(DATASET, VOID.triples).toPython()  # type: ignore[attr-defined]
    body = client.get("/.well-known/void", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert "<h1>VoID-Beschreibung des Datenbestands</h1>" in body
    shown = f"{triples:,}".replace(",", ".")
    assert f"<dt>Tripel</dt><dd>{shown}</dd>" in body
    assert '<td data-label="Register">Wikidata</td>' in body
    assert 'href="/.well-known/void?format=ttl"' in body
    english = client.get("/.well-known/void?lang=en", headers={"Accept": BROWSER})
    assert "<h1>VoID description of the dataset</h1>" in english.get_data(as_text=True)


@pytest.mark.parametrize(
    ("language", "title", "keyword"),
    [
        (
            "de",
            "Stadtgraph: Wer ist an der Digitalstrategie der Stadt beteiligt?",
            "Digitalstrategie",
        ),
        (
            "en",
            "Stadtgraph: who is involved in the city&#39;s digital strategy?",
            "digital strategy",
        ),
    ],
)
def test_catalog_page_gives_the_dataset_s_title_description_and_keywords(
    client: FlaskClient, language: str, title: str, keyword: str
) -> None:
    body = client.get(f"/catalog?lang={language}").get_data(as_text=True)
    assert f"<dd>{title}</dd>" in body
    keywords = body.split("Schlagwörter</dt><dd>" if language == "de" else "Keywords</dt><dd>")
    assert keyword in keywords[1].split("</dd>")[0]


def test_void_as_json_ld(client: FlaskClient) -> None:
    graph, response = void_graph(client, "application/ld+json")
    assert response.mimetype == "application/ld+json"  # type: ignore[attr-defined]
    assert (DATASET, RDF.type, VOID.Dataset) in graph  # type: ignore[operator]


def test_dataset_iri_dereferences_to_its_record(client: FlaskClient) -> None:
    html = client.get("/dataset", headers={"Accept": "text/html"})
    assert html.status_code == 303 and html.headers["Location"] == "http://localhost/catalog"
    rdf = client.get("/dataset", headers={"Accept": "text/turtle"})
    assert rdf.headers["Location"] == "http://localhost/catalog.ttl"
    assert rdf.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("de", "Creative Commons Namensnennung 4.0 International (CC BY 4.0)"),
        ("en", "Creative Commons Attribution 4.0 International (CC BY 4.0)"),
    ],
)
def test_the_licence_is_named_in_the_reader_s_language(
    client: FlaskClient, language: str, name: str
) -> None:
    for path in ("/", "/dumps/", "/catalog"):
        body = client.get(f"{path}?lang={language}").get_data(as_text=True)
        assert f'rel="license">{name}</a>' in body, path


def test_home_and_inquiry_pages_work_whatever_query_folder_is_served(client: FlaskClient) -> None:
    # This app serves the fixture's queries (QUERY_FOLDER); the home page's own queries are
    # the project's. It failed with 500 when the served folder lacked them.
    for path in ("/", "/inquiry"):
        assert client.get(path).status_code == 200, path


# -- named queries -----------------------------------------------------------------------------

CITY = ID + "musterstadt"


def test_query_list(client: FlaskClient) -> None:
    body = client.get("/queries/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'href="/queries/enterprises">Enterprises of a city</a>' in body


def test_query_list_links_downloads_only_where_they_answer(client: FlaskClient) -> None:
    # The enterprises query needs a city: its downloads would only say so (400).
    body = client.get("/queries/").get_data(as_text=True)
    entry = body.split('href="/queries/enterprises"')[1].split("</li>")[0]
    assert "/queries/enterprises.json" not in entry and "/queries/enterprises.csv" not in entry
    assert "Braucht einen Wert für: city" in entry


@pytest.fixture
def kassel(memory_store: Store, tmp_path: Path) -> FlaskClient:
    """The project's ontology, data and named queries."""
    files = [ROOT / "ontology" / "stadtgraph.ttl", *sorted((ROOT / "data").rglob("*.ttl"))]
    for path in files:
        memory_store.load(path, RdfFormat.TURTLE, graph_for_path(path))
    return pages_app(memory_store, tmp_path, QUERY_FOLDER=str(ROOT / "queries")).test_client()


def test_every_download_the_query_list_of_the_project_links_answers(kassel: FlaskClient) -> None:
    body = kassel.get("/queries/").get_data(as_text=True)
    downloads = re.findall(r'href="(/queries/[^"]+\.(?:json|csv))"', body)
    assert len(downloads) >= 2 * 12
    for url in downloads:
        assert kassel.get(url).status_code == 200, url


def test_query_parameters_are_explained_in_the_reader_s_language(client: FlaskClient) -> None:
    german = client.get("/queries/enterprises").get_data(as_text=True)
    english = client.get("/queries/enterprises?lang=en").get_data(as_text=True)
    assert "(iri) – die Stadt</span>" in german
    assert "(iri) – the city</span>" in english


@pytest.mark.parametrize("language", ["de", "en"])
def test_query_tables_name_each_column_once_and_label_in_the_reader_s_language(
    kassel: FlaskClient, language: str
) -> None:
    for name in ("frage-3", "meeting-statements", "inquiry-tracker", "provenance"):
        args = "&resource=https://w3id.org/stadtgraph/id/kassel/org/glh" * (name == "provenance")
        body = kassel.get(f"/queries/{name}?lang={language}{args}").get_data(as_text=True)
        headers = re.findall(r'<th scope="col">([^<]*)</th>', body)
        assert headers and len(headers) == len(set(headers)), (name, headers)
    frage = kassel.get(f"/queries/frage-3?lang={language}").get_data(as_text=True)
    session = "31st public session" if language == "en" else "31. öffentliche Sitzung"
    assert session in frage


def test_iris_without_a_label_column_show_their_labels(kassel: FlaskClient) -> None:
    # surrounding-municipalities selects no label for ?municipality, frage-4 none for ?question
    places = kassel.get("/queries/surrounding-municipalities?lang=de").get_data(as_text=True)
    assert re.search(r'title="[^"]*/municipality/06633001">Ahnatal</a>', places)
    assert ">kassel/municipality/" not in places
    question = kassel.get("/queries/frage-4?lang=en").get_data(as_text=True)
    assert ">kassel/question/frage-4<" not in question
    assert re.search(r'title="[^"]*/question/frage-4">[^<]*Question 4', question, re.I)


def test_dates_read_as_dates(kassel: FlaskClient) -> None:
    # A date of the data reads as a date in the query tables (the downloads keep ISO dates).
    german = kassel.get("/queries/frage-3?lang=de").get_data(as_text=True)
    english = kassel.get("/queries/frage-3?lang=en").get_data(as_text=True)
    assert ">6. März 2019</span>" in german and ">6 March 2019</span>" in english
    assert "2019-03-06" in kassel.get("/queries/frage-3.csv").get_data(as_text=True)
    dumps = kassel.get("/dumps/?lang=de").get_data(as_text=True)
    assert re.search(r"Stand: <time datetime=\"[^\"]+\">\d+\. \w+ \d{4}</time>", dumps)
    sizes = re.findall(r'data-value="(\d+)">([\d.]+)</td>', dumps)
    assert sizes and all(shown.replace(".", "") == exact for exact, shown in sizes)
    assert any("." in shown for _, shown in sizes)


@pytest.mark.parametrize(("language", "rows"), [("de", "(1 Zeile)"), ("en", "(1 row)")])
def test_one_row_is_counted_in_the_singular(kassel: FlaskClient, language: str, rows: str) -> None:
    # Question 4 has one answering statement: "1 Zeile", not "1 Zeilen".
    one = kassel.get(f"/queries/frage-4?lang={language}").get_data(as_text=True)
    assert rows in one


@pytest.mark.parametrize(
    ("path", "german", "english"),
    [
        (
            "/queries/enterprises.csv",
            "Die Abfrage „enterprises“ braucht einen Wert für den Parameter „city“.",
            "The query “enterprises” needs a value for the parameter “city”.",
        ),
        (
            "/queries/enterprises?city=not%20an%20iri",
            "Der Parameter „city“ muss eine IRI sein, nicht „not an iri“.",
            "The parameter “city” must be an IRI, not “not an iri”.",
        ),
        (
            "/sparql?query=SELECT%20%3Fs%20WHERE%20%7B",
            "Die SPARQL-Abfrage hat einen Syntaxfehler in Zeile 1, Spalte",
            "SPARQL syntax error at line 1, column",
        ),
    ],
)
def test_error_pages_explain_in_the_reader_s_language(
    client: FlaskClient, path: str, german: str, english: str
) -> None:
    sep = "&" if "?" in path else "?"
    for language, message in (("de", german), ("en", english)):
        response = client.get(f"{path}{sep}lang={language}", headers={"Accept": BROWSER})
        assert response.status_code == 400 and response.mimetype == "text/html"
        assert message in response.get_data(as_text=True), language
    as_json = client.get(path, headers={"Accept": "application/json"}).get_json()
    assert as_json["message"].startswith(("query", "parameter", "SPARQL syntax error"))


def test_an_unacceptable_format_is_explained_in_the_reader_s_language(
    client: FlaskClient,
) -> None:
    url = "/sparql?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"
    page = client.get(url + "&lang=de", headers={"Accept": "text/html"})
    assert page.status_code == 406 and page.mimetype == "text/html"
    assert "Das Ergebnis einer SELECT- oder ASK-Abfrage gibt es in keinem" in page.get_data(
        as_text=True
    )
    as_json = client.get(url, headers={"Accept": "image/png"})
    assert as_json.status_code == 406 and as_json.mimetype == "application/json"
    assert as_json.get_json()["message"].startswith("Cannot answer a SELECT or ASK result")


def test_an_error_at_a_json_address_is_json_whatever_the_browser_accepts(
    client: FlaskClient,
) -> None:
    response = client.get("/queries/enterprises.json", headers={"Accept": "text/html"})
    assert response.status_code == 400 and response.mimetype == "application/json"
    assert "needs the parameter 'city'" in response.get_json()["message"]


def test_query_page_has_a_form_and_a_table(client: FlaskClient) -> None:
    empty = client.get("/queries/enterprises").get_data(as_text=True)
    assert '<input id="param-city" name="city" type="text" value="" required>' in empty
    assert "<table>" not in empty  # the required parameter is missing: the form only
    body = client.get("/queries/enterprises", query_string={"city": CITY})
    assert body.status_code == 200
    text = body.get_data(as_text=True)
    assert "Stadtwerke Musterstadt" in text and 'href="/page/test/stadtwerke"' in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>alert" not in text
    assert f'value="{CITY}"' in text
    assert f'href="/queries/enterprises.csv?city={CITY}"' in text


def test_query_results_as_json(client: FlaskClient) -> None:
    response = client.get("/queries/enterprises.json", query_string={"city": CITY})
    assert response.mimetype == "application/sparql-results+json"
    data = json.loads(response.data)
    assert data["head"]["vars"] == ["enterprise", "label"]
    values = [row["label"]["value"] for row in data["results"]["bindings"]]
    assert values == ["<script>alert(1)</script>", "Stadtwerke Musterstadt"]


def test_query_results_as_csv(client: FlaskClient) -> None:
    response = client.get("/queries/enterprises.csv", query_string={"city": CITY})
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["enterprise", "label"]
    assert rows[2] == [ID + "stadtwerke", "Stadtwerke Musterstadt"]
    # a script on another origin may read it, and its tag for asking again
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]


@pytest.mark.parametrize(
    ("path", "query", "status"),
    [
        ("/queries/enterprises.json", {"city": "not an iri"}, 400),
        ("/queries/enterprises.json", {"city": CITY, "other": "x"}, 400),
        ("/queries/enterprises.csv", {}, 400),
        ("/queries/no-such-query", {}, 404),
        ("/queries/no-such-query.json", {}, 404),
    ],
)
def test_query_errors(client: FlaskClient, path: str, query: dict[str, str], status: int) -> None:
    assert client.get(path, query_string=query).status_code == status


def test_result_columns_pair_iris_with_labels_and_languages() -> None:
    variables = [
        "actor",
        "actorLabel",
        "actorLabelEn",
        "note",
        "noteEn",
        "quoteDe",
        "quoteEn",
        "asOf",
    ]
    german = columns(variables, "de")
    assert [(c.header, c.values, c.labels) for c in german] == [
        ("Akteur", ("actor",), ("actorLabel", "actorLabelEn")),
        ("Anmerkung", ("note", "noteEn"), ()),
        ("Wortlaut", ("quoteDe", "quoteEn"), ()),
        ("Stand", ("asOf",), ()),
    ]
    english = columns(variables, "en")
    assert [c.header for c in english] == ["Actor", "Note", "Quote", "As of"]
    assert [c.header for c in columns(["somethingElse"], "de")] == ["somethingElse"]
    assert english[0].labels == ("actorLabelEn", "actorLabel")
    assert english[1].values == ("noteEn", "note")
    row = {"actor": URIRef(ID + "stadtwerke"), "actorLabel": Literal("Stadtwerke", lang="de")}
    shown = cell(row, german[0], lambda iri: "/x", BASE)
    assert (shown.text, shown.href, shown.title) == ("Stadtwerke", "/x", ID + "stadtwerke")
    bare = cell({"actor": URIRef(ID + "stadtwerke")}, german[0], lambda iri: "/x", BASE)
    assert bare.text == "test/stadtwerke"


def test_a_paraphrase_shows_in_the_page_s_language_only() -> None:
    """An English paraphrase would say again what the German quote beside it says."""
    variables = ["quote", "paraphraseDe", "paraphraseEn"]
    assert columns(variables, "de")[1].values == ("paraphraseDe",)
    assert columns(variables, "en")[1].values == ("paraphraseEn",)
    row = {"quote": Literal("Wortlaut", lang="de"), "paraphraseEn": Literal("In short", lang="en")}
    assert cell(row, columns(variables, "de")[1], lambda iri: "/x", BASE, "de").text == ""


@pytest.mark.parametrize(("language", "yes", "no"), [("de", "ja", "nein"), ("en", "yes", "no")])
def test_a_boolean_cell_reads_yes_or_no(language: str, yes: str, no: str) -> None:
    (column,) = columns(["group"], language)
    for value, text in ((True, yes), (False, no)):
        shown = cell({"group": Literal(value)}, column, lambda iri: "/x", BASE, language)
        assert shown.text == text
    assert cell({"group": Literal("true")}, column, lambda iri: "/x", BASE, language).text == "true"


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"STORE": "{tmp}/kassel"}, "{tmp}/kassel.dumps"),
        ({}, "{instance}/store.dumps"),
        ({"STORE": ":memory:"}, "{instance}/dumps"),
        (
            {"STORE": "{tmp}/kassel", "ENDPOINT": "http://127.0.0.1:1/query"},
            "{instance}/dumps/endpoint-666c223b4a9a06f1",
        ),
        (
            {"ENDPOINT": "http://127.0.0.1:2/query"},
            "{instance}/dumps/endpoint-750dd0ae1c7b64b6",
        ),
        ({"STORE": "{tmp}/kassel", "DUMP_FOLDER": "{tmp}/elsewhere"}, "{tmp}/elsewhere"),
    ],
)
def test_dumps_go_beside_the_store_they_describe(
    memory_store: Store, tmp_path: Path, settings: dict[str, str], expected: str
) -> None:
    """Two stores served from one checkout never share (and so never remove) their dumps."""
    places = {"tmp": str(tmp_path), "instance": str(instance_folder())}
    config = {key: value.format(**places) for key, value in settings.items()}
    assert dump_folder(config) == Path(expected.format(**places))
    app = create_app({"TESTING": True, **config}, store=memory_store)
    assert app.extensions[DUMPS].folder == Path(expected.format(**places))


@pytest.mark.parametrize("setting", ["STORE", "DUMP_FOLDER"])
def test_relative_folders_are_taken_from_the_working_directory(
    memory_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    """`make run` passes `--store instance/store`: its dumps must be served from there."""
    monkeypatch.chdir(tmp_path)
    load_pages_fixture(memory_store)
    config = {"DUMP_FOLDER": None, setting: "relative/place"}
    app = pages_app(memory_store, tmp_path, **config)
    expected = tmp_path / ("relative/place.dumps" if setting == "STORE" else "relative/place")
    assert app.extensions[DUMPS].folder == expected
    assert statements(dump(app.test_client(), "nt"), RdfFormat.NTRIPLES) > 0


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_wrong_value_gets_the_form_again_with_the_problem_at_its_field(
    client: FlaskClient, language: str
) -> None:
    response = client.get(
        "/queries/enterprises",
        query_string={"city": "not an iri", "lang": language},
        headers={"Accept": BROWSER},
    )
    assert response.status_code == 400 and response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    assert 'value="not an iri"' in body  # the reader's value is kept, to be mended
    assert 'aria-invalid="true" aria-describedby="param-city-problem"' in body
    problem = re.search(
        r'<p id="param-city-problem" class="field-error" role="alert">([^<]+)', body
    )
    assert problem is not None
    expected = {
        "de": "Der Parameter „city“ muss eine IRI sein, nicht „not an iri“.",
        "en": "The parameter “city” must be an IRI, not “not an iri”.",
    }
    assert problem.group(1) == expected[language]
    assert "<table" not in body  # nothing ran
    assert '<form class="parameters"' in body


def test_an_unknown_parameter_is_named_above_the_form(client: FlaskClient) -> None:
    response = client.get(
        "/queries/enterprises",
        query_string={"city": CITY, "colour": "blue"},
        headers={"Accept": BROWSER},
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert '<p id="param-problem" class="field-error" role="alert">' in body
    assert "„colour“" in body and 'name="city"' in body
    as_json = client.get(
        "/queries/enterprises",
        query_string={"city": CITY, "colour": "blue"},
        headers={"Accept": "application/json"},
    )
    assert as_json.status_code == 400 and as_json.mimetype == "application/json"


def test_a_query_without_parameters_names_a_stray_one(kassel: FlaskClient) -> None:
    # frage-1 has no parameters, so there is no form: the problem still shows.
    response = kassel.get("/queries/frage-1?colour=blue", headers={"Accept": BROWSER})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert '<p id="param-problem" class="field-error" role="alert">' in body
    assert "Die Abfrage „frage-1“ hat keinen Parameter „colour“." in body


def test_a_wrong_number_stays_in_its_field_to_be_mended(
    memory_store: Store, tmp_path: Path
) -> None:
    # A number field would drop "zwei" (browsers clear what is not a number): the field that
    # holds a wrong value is a text field.
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "first-n.rq").write_text(
        "# title@de: Die ersten\n# title@en: The first\n"
        "# description@de: Die ersten n.\n# description@en: The first n.\n"
        "# param n (integer): how many\n# param@de n: wie viele\n"
        "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1\n",
        encoding="utf-8",
    )
    client = pages_app(memory_store, tmp_path, QUERY_FOLDER=str(folder)).test_client()
    fine = client.get("/queries/first-n?n=2", headers={"Accept": BROWSER})
    assert fine.status_code == 200 and 'type="number" value="2"' in fine.get_data(as_text=True)
    wrong = client.get("/queries/first-n?n=zwei", headers={"Accept": BROWSER})
    assert wrong.status_code == 400
    assert 'type="text" value="zwei"' in wrong.get_data(as_text=True)
