"""The SPARQL 1.1 Service Description of the public endpoint (what a machine finds at /sparql)."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ENTAILMENT_SIMPLE = URIRef("http://www.w3.org/ns/entailment/Simple")

RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
    "N-Quads",
)
_SERIALIZERS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-quads": "nquads",
}


def service_description(
    *,
    endpoint: str,
    graphs: Iterable[str],
    union_default_graph: bool,
    federated: bool,
    media_type: str,
    limits: tuple[float, int],
) -> bytes:
    """Describe the endpoint, its formats, limits and dataset, serialised in media_type."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.defaultEntailmentRegime, ENTAILMENT_SIMPLE))
    for name in RESULT_FORMATS:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    if union_default_graph:
        graph.add((service, SD.feature, SD.UnionDefaultGraph))
    if federated:
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
    timeout, max_results = limits
    graph.add(
        (
            service,
            RDFS.comment,
            Literal(
                f"Read-only. A query may run {timeout:g} s; at most {max_results} results are "
                "returned, and a cut result says so in the X-Stadtgraph-Truncated header.",
                lang="en",
            ),
        )
    )
    graph.add(
        (
            service,
            RDFS.comment,
            Literal(
                f"Nur lesend. Eine Abfrage darf {timeout:g} s laufen; höchstens {max_results} "
                "Ergebnisse werden geliefert, ein gekürztes Ergebnis meldet der Header "
                "X-Stadtgraph-Truncated.",
                lang="de",
            ),
        )
    )
    dataset = BNode()
    default_graph = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    for name in sorted(graphs):
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
    return graph.serialize(format=_SERIALIZERS[media_type], encoding="utf-8")
