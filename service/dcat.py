"""The DCAT-AP.de catalogue record: catalogue, dataset, its distributions (the dumps and the
SPARQL endpoint as a data service), publisher, contact, licence, geocoding and themes.

It is checked against the official DCAT-AP 3.0.1 and DCAT-AP.de 3.0 shapes by
tests/test_dcat.py. Controlled values come from the vocabularies DCAT-AP.de names; each
is typed with the class DCAT-AP expects for it, as the vocabularies themselves do.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from .licences import licence
from .publication import (
    CATALOG_DESCRIPTION,
    CATALOG_TITLE,
    DESCRIPTION,
    KEYWORDS,
    TITLE,
    Publication,
)

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
EU = "http://publications.europa.eu/resource/authority/"
LANGUAGE = Namespace(EU + "language/")
THEME = Namespace(EU + "data-theme/")
FILE_TYPE = Namespace(EU + "file-type/")
FREQUENCY = Namespace(EU + "frequency/")
ACCESS_RIGHT = Namespace(EU + "access-right/")
MUNICIPALITY_KEY = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/"
LEVEL_MUNICIPALITY = URIRef("http://dcat-ap.de/def/politicalGeocoding/Level/municipality")
IANA = "https://www.iana.org/assignments/media-types/"
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
SPARQL_SD = URIRef("http://www.w3.org/ns/sparql-service-description#")

THEMES = {
    THEME.GOVE: {"de": "Regierung und öffentlicher Sektor", "en": "Government and public sector"},
}
"""A city's digital strategy and who takes part in it: government and public sector."""
LANGUAGES = (LANGUAGE.DEU, LANGUAGE.ENG)

PREFIXES = {
    "dcat": DCAT,
    "dcterms": DCTERMS,
    "foaf": FOAF,
    "dcatde": DCATDE,
    "vcard": VCARD,
    "spdx": SPDX,
    "xsd": XSD,
    "skos": SKOS,
}


def _texts(graph: Graph, node: URIRef, predicate: URIRef, texts: dict[str, str]) -> None:
    for language, text in texts.items():
        graph.add((node, predicate, Literal(text, lang=language)))


def _typed(graph: Graph, node: URIRef, kind: URIRef) -> URIRef:
    graph.add((node, RDF.type, kind))
    return node


def _date(value: str) -> Literal:
    return Literal(value, datatype=XSD.dateTime if "T" in value else XSD.date)


def catalog_graph(pub: Publication) -> Graph:
    """Build the catalogue record as an RDF graph."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    catalog, dataset = URIRef(pub.catalog_iri), URIRef(pub.dataset_iri)
    publisher = publisher_agent(graph, pub)
    rights = licence(pub.licence)
    licence_node = _typed(graph, URIRef(rights.iri), DCTERMS.LicenseDocument)
    graph.add((licence_node, DCTERMS.title, Literal(rights.name)))
    home = URIRef(pub.home_url)
    _typed(graph, home, FOAF.Document)

    graph.add((catalog, RDF.type, DCAT.Catalog))
    _texts(graph, catalog, DCTERMS.title, CATALOG_TITLE)
    _texts(graph, catalog, DCTERMS.description, CATALOG_DESCRIPTION)
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((catalog, FOAF.homepage, home))
    graph.add((catalog, DCTERMS.license, licence_node))
    graph.add((catalog, DCAT.dataset, dataset))
    for language in LANGUAGES:
        graph.add((catalog, DCTERMS.language, _typed(graph, language, DCTERMS.LinguisticSystem)))
    if pub.modified:
        graph.add((catalog, DCTERMS.modified, _date(pub.modified)))
    if pub.issued:
        graph.add((catalog, DCTERMS.issued, _date(pub.issued)))

    graph.add((dataset, RDF.type, DCAT.Dataset))
    _texts(graph, dataset, DCTERMS.title, TITLE)
    _texts(graph, dataset, DCTERMS.description, DESCRIPTION)
    for code, words in KEYWORDS.items():
        for word in words:
            graph.add((dataset, DCAT.keyword, Literal(word, lang=code)))
    graph.add((dataset, DCTERMS.identifier, Literal(pub.dataset_iri)))
    # Its VoID description (partitions, linksets), whose parts are named under this IRI too.
    graph.add((dataset, RDFS.seeAlso, URIRef(pub.void_url)))
    graph.add((dataset, DCTERMS.publisher, publisher))
    graph.add((dataset, DCAT.contactPoint, _contact(graph, pub)))
    graph.add((dataset, DCAT.landingPage, home))
    graph.add(
        (dataset, DCTERMS.accessRights, _typed(graph, ACCESS_RIGHT.PUBLIC, DCTERMS.RightsStatement))
    )
    graph.add(
        (dataset, DCTERMS.accrualPeriodicity, _typed(graph, FREQUENCY.IRREG, DCTERMS.Frequency))
    )
    for theme, labels in THEMES.items():
        graph.add((dataset, DCAT.theme, _typed(graph, theme, SKOS.Concept)))
        _texts(graph, theme, SKOS.prefLabel, labels)
    for language in LANGUAGES:
        graph.add((dataset, DCTERMS.language, language))
    if pub.municipality_key:
        place = _typed(graph, URIRef(MUNICIPALITY_KEY + pub.municipality_key), DCTERMS.Location)
        graph.add((dataset, DCTERMS.spatial, place))
        graph.add((dataset, DCATDE.politicalGeocodingLevelURI, LEVEL_MUNICIPALITY))
    if pub.modified:
        graph.add((dataset, DCTERMS.modified, _date(pub.modified)))
    if pub.issued:
        graph.add((dataset, DCTERMS.issued, _date(pub.issued)))

    service = _data_service(graph, pub, dataset, licence_node)
    graph.add((catalog, DCAT.service, service))
    for distribution in _distributions(graph, pub, licence_node, service):
        graph.add((dataset, DCAT.distribution, distribution))
    return graph


def publisher_agent(graph: Graph, pub: Publication) -> BNode:
    """Describe the publisher (a foaf:Organization), the same in the catalog and in VoID."""
    agent = BNode("publisher")
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, RDF.type, FOAF.Organization))
    graph.add((agent, FOAF.name, Literal(pub.publisher_name)))
    graph.add((agent, FOAF.homepage, URIRef(pub.publisher_url or pub.home_url)))
    return agent


def _contact(graph: Graph, pub: Publication) -> BNode:
    contact = BNode("contact")
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(pub.contact_name)))
    if pub.contact_email:
        graph.add((contact, VCARD.hasEmail, URIRef("mailto:" + pub.contact_email)))
    graph.add((contact, VCARD.hasURL, URIRef(pub.contact_url or pub.home_url)))
    return contact


def _data_service(graph: Graph, pub: Publication, dataset: URIRef, licence_node: URIRef) -> URIRef:
    service = URIRef(pub.part("sparql-service"))
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCTERMS.title, Literal("SPARQL-Endpunkt von Stadtgraph", lang="de")))
    graph.add((service, DCTERMS.title, Literal("Stadtgraph SPARQL endpoint", lang="en")))
    graph.add((service, DCAT.endpointURL, URIRef(pub.sparql_url)))
    graph.add((service, DCAT.endpointDescription, URIRef(pub.sparql_url)))
    graph.add((service, DCTERMS.conformsTo, _typed(graph, SPARQL_PROTOCOL, DCTERMS.Standard)))
    graph.add((service, DCAT.servesDataset, dataset))
    graph.add((service, DCTERMS.license, licence_node))
    graph.add((service, DCTERMS.accessRights, ACCESS_RIGHT.PUBLIC))
    graph.add((service, DCTERMS.publisher, publisher_agent(graph, pub)))
    return service


def _distributions(
    graph: Graph, pub: Publication, licence_node: URIRef, service: URIRef
) -> list[URIRef]:
    rights = licence(pub.licence)
    found = []
    for dump in pub.dumps:
        fmt = dump.fmt
        node = URIRef(pub.part(f"dump-{fmt.ext}"))
        url = URIRef(pub.dump_urls[fmt.ext])
        graph.add((node, RDF.type, DCAT.Distribution))
        graph.add((node, DCTERMS.title, Literal(f"Gesamtabzug ({fmt.name})", lang="de")))
        graph.add((node, DCTERMS.title, Literal(f"Full dump ({fmt.name})", lang="en")))
        graph.add((node, DCAT.accessURL, url))
        graph.add((node, DCAT.downloadURL, url))
        graph.add(
            (
                node,
                DCTERMS.format,
                _typed(graph, FILE_TYPE[fmt.file_type], DCTERMS.MediaTypeOrExtent),
            )
        )
        graph.add(
            (node, DCAT.mediaType, _typed(graph, URIRef(IANA + fmt.media_type), DCTERMS.MediaType))
        )
        graph.add((node, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
        checksum = BNode(f"checksum-{fmt.ext}")
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        graph.add((checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)))
        graph.add((node, SPDX.checksum, checksum))
        graph.add((node, DCTERMS.license, licence_node))
        if rights.needs_attribution and pub.attribution:
            graph.add((node, DCATDE.licenseAttributionByText, Literal(pub.attribution)))
        graph.add((node, DCTERMS.modified, _date(dump.created)))
        found.append(node)
    endpoint = URIRef(pub.part("sparql"))
    graph.add((endpoint, RDF.type, DCAT.Distribution))
    graph.add((endpoint, DCTERMS.title, Literal("SPARQL-Endpunkt", lang="de")))
    graph.add((endpoint, DCTERMS.title, Literal("SPARQL endpoint", lang="en")))
    graph.add((endpoint, DCAT.accessURL, URIRef(pub.sparql_url)))
    graph.add((endpoint, DCAT.accessService, service))
    graph.add((endpoint, DCTERMS.license, licence_node))
    if rights.needs_attribution and pub.attribution:
        graph.add((endpoint, DCATDE.licenseAttributionByText, Literal(pub.attribution)))
    found.append(endpoint)
    return found
