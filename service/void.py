"""The VoID description of the dataset: endpoint, dumps, vocabularies, size, class and
property partitions, and the linksets to other datasets counted from the data."""

from __future__ import annotations

import hashlib
import re

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, XSD

from . import vocabulary as v
from .dataset_stats import DatasetStats
from .dcat import publisher_agent
from .licences import licence
from .publication import DESCRIPTION, TITLE, Publication

VOID = Namespace("http://rdfs.org/ns/void#")
PREFIXES = {
    "void": VOID,
    "dcterms": DCTERMS,
    "foaf": FOAF,
    "xsd": XSD,
    "owl": Namespace("http://www.w3.org/2002/07/owl#"),
    "skos": Namespace("http://www.w3.org/2004/02/skos/core#"),
}


def _integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def void_triples(pub: Publication, stats: DatasetStats) -> int:
    """The triples of the dataset: the union of its graphs, as the N-Triples dump counts them."""
    union = next((d for d in pub.dumps if d.ext == "nt"), None)
    return union.statements if union is not None else stats.triples


def partition_name(kind: str, iri: str) -> str:
    """A name for the partition of a class or property that stays with it as others come and
    go: its local name, then a short hash of its IRI (two vocabularies may share a name)."""
    local = re.sub(r"[^A-Za-z0-9_-]", "", v.local_name(iri))[:40]
    digest = hashlib.sha256(iri.encode("utf-8")).hexdigest()[:8]
    return f"{kind}-{local}-{digest}" if local else f"{kind}-{digest}"


def void_graph(pub: Publication, stats: DatasetStats) -> Graph:
    """Describe the dataset in VoID."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    dataset = URIRef(pub.dataset_iri)
    graph.add((dataset, RDF.type, VOID.Dataset))
    for language, text in TITLE.items():
        graph.add((dataset, DCTERMS.title, Literal(text, lang=language)))
    for language, text in DESCRIPTION.items():
        graph.add((dataset, DCTERMS.description, Literal(text, lang=language)))
    graph.add((dataset, DCTERMS.license, URIRef(licence(pub.licence).iri)))
    graph.add((dataset, DCTERMS.publisher, publisher_agent(graph, pub)))
    graph.add((dataset, RDFS.seeAlso, URIRef(pub.catalog_url)))
    graph.add((dataset, FOAF.homepage, URIRef(pub.home_url)))
    if pub.modified:
        graph.add((dataset, DCTERMS.modified, Literal(pub.modified, datatype=XSD.dateTime)))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(pub.sparql_url)))
    for dump in pub.dumps:
        graph.add((dataset, VOID.dataDump, URIRef(pub.dump_urls[dump.ext])))
    graph.add((dataset, VOID.uriSpace, Literal(pub.uri_space)))
    for namespace in stats.vocabularies():
        graph.add((dataset, VOID.vocabulary, URIRef(namespace)))
    graph.add((dataset, VOID.triples, _integer(void_triples(pub, stats))))
    graph.add((dataset, VOID.entities, _integer(stats.entities(pub.uri_space))))
    graph.add((dataset, VOID.distinctSubjects, _integer(stats.distinct_subjects)))
    graph.add((dataset, VOID.classes, _integer(len(stats.class_counts))))
    graph.add((dataset, VOID.properties, _integer(len(stats.property_counts))))
    for cls, count in sorted(stats.class_counts.items()):
        partition = URIRef(pub.part(partition_name("class", cls)))
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(cls)))
        graph.add((partition, VOID.entities, _integer(count)))
    for prop, count in sorted(stats.property_counts.items()):
        partition = URIRef(pub.part(partition_name("property", prop)))
        graph.add((dataset, VOID.propertyPartition, partition))
        graph.add((partition, VOID.property, URIRef(prop)))
        graph.add((partition, VOID.triples, _integer(count)))
    for linkset in stats.linksets:
        target = URIRef(pub.part(linkset.registry.key))
        graph.add((target, RDF.type, VOID.Dataset))
        if linkset.registry.name_en:
            graph.add((target, DCTERMS.title, Literal(linkset.registry.name, lang="de")))
            graph.add((target, DCTERMS.title, Literal(linkset.registry.name_en, lang="en")))
        else:
            graph.add((target, DCTERMS.title, Literal(linkset.registry.name)))
        graph.add((target, FOAF.homepage, URIRef(linkset.registry.homepage)))
        graph.add((target, VOID.uriSpace, Literal(linkset.registry.namespaces[0])))
        predicate = linkset.predicate.rsplit("#", 1)[-1]
        node = URIRef(pub.part(f"links-{linkset.registry.key}-{predicate}"))
        graph.add((node, RDF.type, VOID.Linkset))
        graph.add((node, VOID.subjectsTarget, dataset))
        graph.add((node, VOID.objectsTarget, target))
        graph.add((node, VOID.linkPredicate, URIRef(linkset.predicate)))
        graph.add((node, VOID.triples, _integer(linkset.triples)))
        graph.add((dataset, VOID.subset, node))
    return graph
