"""The DCAT-AP.de catalogue record passes the official DCAT-AP 3.0.1 and DCAT-AP.de 3.0 shapes
with zero violations, as GovData's validator would check it.

What is loaded, and why:

* Shapes (../shared/vocab/dcat-ap/), all into one shapes graph, as the GovData validator does:
  - dcat-ap-3.0.1-SHACL.ttl: SEMIC's DCAT-AP 3.0.1 shapes (cardinalities, node kinds);
  - dcat-ap-3.0.1-ranges.ttl: the class expected for each property's values (sh:class);
  - dcat-ap-SHACL-DE.ttl: GovData's German messages, switched-off and added shapes;
  - dcat-ap-spec-german-additions.ttl: the rules DCAT-AP.de adds to DCAT-AP;
  - dcat-ap-de-controlledvocabularies.ttl: values must come from the prescribed vocabularies
    (checked through the values' skos:inScheme);
  - dcat-ap-de-deprecated.ttl: warnings for properties DCAT-AP.de 3.0 has retired.
  The ranges file names five property shapes that none of the files define (GovData dropped
  them and switches them off in dcat-ap-SHACL-DE.ttl, under their 3.0.0 names); pyshacl refuses
  a reference to an undefined shape, so those five references are removed before validating.
* Data: the record as /catalog.ttl serves it, plus tests/data/dcat/
  imported-vocabularies-excerpt.ttl. The validator loads the vocabularies that
  dcat-ap-de-imports.ttl lists (EU authority tables, the DCAT-AP.de licence and geocoding
  lists, vCard, FOAF, SPDX) into the data; the tests run offline, so they load an excerpt of
  exactly the terms the record uses. The controlled-vocabulary shapes need these terms'
  skos:inScheme, the range shapes their classes.
* Inference: RDFS, so that the range shapes see that every IRI is an rdfs:Resource and that a
  vcard:Organization is a vcard:Kind, as a reasoning validator does.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SH

from service.project import ROOT
from service.rdf_files import parse_rdf
from service.store import RdfFormat, Store

from .pages_support import BASE, load_pages_fixture, pages_app

SHARED = ROOT.parent / "shared" / "vocab" / "dcat-ap"
SHAPE_FILES = (
    "dcat-ap-3.0.1-SHACL.ttl",
    "dcat-ap-3.0.1-ranges.ttl",
    "dcat-ap-SHACL-DE.ttl",
    "dcat-ap-spec-german-additions.ttl",
    "dcat-ap-de-controlledvocabularies.ttl",
    "dcat-ap-de-deprecated.ttl",
)
EXCERPT = Path(__file__).resolve().parent / "data" / "dcat" / "imported-vocabularies-excerpt.ttl"
DCATDE = "http://dcat-ap.de/def/dcatde/"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    missing = [name for name in SHAPE_FILES if not (SHARED / name).is_file()]
    assert not missing, (
        f"the official shapes belong at {SHARED} (shared/ beside the repo): {missing}"
    )
    graph = Graph()
    for name in SHAPE_FILES:
        graph.parse(SHARED / name, format="turtle")
    dangling = [
        (shape, ref)
        for shape, ref in graph.subject_objects(SH.property)
        if isinstance(ref, URIRef) and (ref, SH.path, None) not in graph
    ]
    assert len(dangling) == 5, dangling  # see the module docstring
    for shape, ref in dangling:
        graph.remove((shape, SH.property, ref))
    return graph


def record(client: FlaskClient) -> Graph:
    response = client.get("/catalog.ttl")
    assert response.status_code == 200
    graph = Graph()
    for triples in parse_rdf(response.data, RdfFormat.TURTLE, "urn:test:record").graphs.values():
        for triple in triples:
            graph.add(triple)
    return graph


def check(record_graph: Graph, shapes: Graph) -> tuple[list[str], list[str]]:
    """Validate; return the messages of the violations and of the warnings."""
    data = record_graph + Graph().parse(EXCERPT, format="turtle")
    _, report, _ = validate(data, shacl_graph=shapes, inference="rdfs", allow_warnings=True)
    found: dict[str, list[str]] = {"Violation": [], "Warning": []}
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        message = f"{report.value(result, SH.focusNode)} {report.value(result, SH.resultPath)}: "
        message += str(report.value(result, SH.resultMessage))
        found.setdefault(severity, []).append(message)
    return found["Violation"], found["Warning"]


@pytest.fixture
def client(memory_store: Store, tmp_path: Path) -> FlaskClient:
    load_pages_fixture(memory_store)
    return pages_app(memory_store, tmp_path).test_client()


def test_catalog_record_passes_the_official_shapes(client: FlaskClient, shapes: Graph) -> None:
    violations, warnings = check(record(client), shapes)
    assert violations == []
    assert warnings == []


def test_catalog_record_with_every_setting_passes(
    memory_store: Store, tmp_path: Path, shapes: Graph
) -> None:
    load_pages_fixture(memory_store)
    client = pages_app(
        memory_store,
        tmp_path,
        PUBLISHER_NAME="Beispielamt",
        PUBLISHER_URL="https://example.org/",
        CONTACT_EMAIL="daten@example.org",
        CONTACT_URL="https://example.org/kontakt",
        DATA_LICENSE="http://dcat-ap.de/def/licenses/dl-by-de/2.0",
        DATASET_ISSUED="2026-01-15",
    ).test_client()
    graph = record(client)
    assert (
        None,
        URIRef("http://www.w3.org/2006/vcard/ns#hasEmail"),
        URIRef("mailto:daten@example.org"),
    ) in graph
    assert check(graph, shapes) == ([], [])


def test_the_shapes_do_bite(client: FlaskClient, shapes: Graph) -> None:
    graph = record(client)
    dataset = URIRef(BASE + "dataset")
    graph.remove((dataset, DCTERMS.description, None))
    graph.remove((dataset, DCAT.theme, None))
    graph.add((dataset, DCTERMS.accrualPeriodicity, URIRef("http://example.org/often")))
    violations, _ = check(graph, shapes)
    assert any("description" in v for v in violations)
    assert any("accrualPeriodicity" in v for v in violations)


def test_catalog_record_content(client: FlaskClient) -> None:
    graph = record(client)
    catalog, dataset = URIRef(BASE + "catalog"), URIRef(BASE + "dataset")
    assert (catalog, RDF.type, DCAT.Catalog) in graph
    assert (catalog, DCAT.dataset, dataset) in graph
    distributions = set(graph.objects(dataset, DCAT.distribution))
    assert len(distributions) == 6  # five dumps and the SPARQL endpoint
    licences = {graph.value(d, DCTERMS.license) for d in distributions}
    assert licences == {URIRef("http://dcat-ap.de/def/licenses/cc-by/4.0")}
    downloads = {str(graph.value(d, DCAT.downloadURL)) for d in distributions} - {"None"}
    assert downloads == {
        f"http://localhost/dumps/stadtgraph.{e}" for e in ("ttl", "nt", "nq", "trig", "jsonld")
    }
    service = graph.value(catalog, DCAT.service)
    assert (service, RDF.type, DCAT.DataService) in graph
    assert graph.value(service, DCAT.endpointURL) == URIRef("http://localhost/sparql")
    assert (
        dataset,
        DCTERMS.spatial,
        URIRef("http://dcat-ap.de/def/politicalGeocoding/municipalityKey/06611000"),
    ) in graph
    assert (
        dataset,
        URIRef(DCATDE + "politicalGeocodingLevelURI"),
        URIRef("http://dcat-ap.de/def/politicalGeocoding/Level/municipality"),
    ) in graph
    assert (
        dataset,
        DCAT.theme,
        URIRef("http://publications.europa.eu/resource/authority/data-theme/GOVE"),
    ) in graph
    publisher = graph.value(dataset, DCTERMS.publisher)
    assert str(graph.value(publisher, URIRef("http://xmlns.com/foaf/0.1/name"))) == "Stadtgraph"


def test_catalog_page_and_json_ld(client: FlaskClient) -> None:
    page = client.get("/catalog", headers={"Accept": "text/html", "Accept-Language": "de"})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Katalogeintrag (DCAT-AP.de)" in body and "06611000" in body
    as_json = client.get("/catalog", headers={"Accept": "application/ld+json"})
    assert as_json.mimetype == "application/ld+json"
    graph = parse_rdf(as_json.data, RdfFormat.JSONLD, "urn:test:record")
    assert graph.triple_count > 50
