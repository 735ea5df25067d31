"""The provenance record of writes over HTTP: who (a token's fingerprint, never the token),
when, which graphs and what operation, in PROV-O, kept in its own named graph."""

from __future__ import annotations

import functools
import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from rdflib import DCTERMS, RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from .project import GRAPH_BASE
from .store import RdfFormat, Store
from .store.binding import sparql_iri, sparql_term

PROV = Namespace("http://www.w3.org/ns/prov#")
PROVENANCE_GRAPH = GRAPH_BASE + "provenance"


@functools.lru_cache(maxsize=32)
def token_fingerprint(token: str) -> str:
    """Name a write token without revealing it: 16 hex digits of its scrypt hash.

    The name is public (in the provenance graph), so it is slow to compute (~16 MB and some
    tens of milliseconds per guess) to keep a weak token from being guessed from it offline;
    only accepted tokens are named, and each is computed once per process.
    """
    digest = hashlib.scrypt(
        token.encode("utf-8"), salt=b"stadtgraph write token", n=2**14, r=8, p=1, dklen=8
    )
    return digest.hex()


@dataclass(frozen=True)
class WriteRecord:
    """Who wrote what, when."""

    operation: str
    fingerprint: str
    graphs: tuple[str, ...]
    started: datetime
    ended: datetime
    added: int | None = None
    removed: int | None = None
    endpoint: str | None = None
    """The address that received the write: the source of the record (dcterms:source)."""


def provenance_graph(record: WriteRecord, base_iri: str) -> Graph:
    """Describe a write in PROV-O: the activity, its agent, and a new version of each graph."""
    graph = Graph()
    graph.bind("prov", PROV)
    activity = URIRef(f"{base_iri}write/{uuid.uuid4()}")
    agent = URIRef(f"{base_iri}agent/write-token/{record.fingerprint}")
    started = Literal(record.started.isoformat(), datatype=XSD.dateTime)
    ended = Literal(record.ended.isoformat(), datatype=XSD.dateTime)
    graph.add((activity, RDF.type, PROV.Activity))
    graph.add((activity, RDFS.label, Literal(f"Schreibvorgang: {record.operation}", lang="de")))
    graph.add((activity, RDFS.label, Literal(f"Write: {record.operation}", lang="en")))
    graph.add((activity, PROV.startedAtTime, started))
    graph.add((activity, PROV.endedAtTime, ended))
    graph.add((activity, PROV.wasAssociatedWith, agent))
    if record.added is not None and record.removed is not None:
        added, removed = record.added, record.removed
        graph.add(
            (activity, RDFS.comment, Literal(f"{added} Tripel hinzu, {removed} entfernt", "de"))
        )
        graph.add(
            (activity, RDFS.comment, Literal(f"{added} triple(s) added, {removed} removed", "en"))
        )
    graph.add((agent, RDF.type, PROV.Agent))
    graph.add((agent, RDFS.label, Literal(f"Schreibschlüssel {record.fingerprint}", lang="de")))
    graph.add((agent, RDFS.label, Literal(f"write token {record.fingerprint}", lang="en")))
    described = [activity, agent]
    for index, name in enumerate(sorted(record.graphs), start=1):
        version = URIRef(f"{activity}#graph-{index}")
        described.append(version)
        graph.add((activity, PROV.generated, version))
        graph.add((version, RDF.type, PROV.Entity))
        graph.add((version, RDFS.label, Literal(f"Graph {name} nach dem Schreibvorgang", "de")))
        graph.add((version, RDFS.label, Literal(f"Graph {name} after the write", "en")))
        graph.add((version, PROV.specializationOf, URIRef(name)))
        graph.add((version, PROV.wasGeneratedBy, activity))
        graph.add((version, PROV.generatedAtTime, ended))
    if record.endpoint:  # the record's own source, as the shapes ask of every resource
        for node in described:
            graph.add((node, DCTERMS.source, URIRef(record.endpoint)))
    return graph


def record_as_update(record: WriteRecord, base_iri: str) -> str:
    """Return the INSERT DATA that adds a write's record, to run in the write's own update."""
    triples = "\n".join(
        f"  {_sparql(s)} {_sparql(p)} {_sparql(o)} ."
        for s, p, o in provenance_graph(record, base_iri)
    )
    return f"INSERT DATA {{ GRAPH {sparql_iri(PROVENANCE_GRAPH)} {{\n{triples}\n}} }}"


def _sparql(node: object) -> str:
    if isinstance(node, URIRef | Literal):
        return sparql_term(node)
    raise TypeError(f"a provenance record holds IRIs and literals only, not {node!r}")


def record_write(store: Store, record: WriteRecord, base_iri: str) -> None:
    """Add the provenance record of a write to the provenance graph (after the write itself)."""
    data = provenance_graph(record, base_iri).serialize(format="nt", encoding="utf-8")
    store.load(data, RdfFormat.NTRIPLES, PROVENANCE_GRAPH)


def now() -> datetime:
    return datetime.now(UTC)
