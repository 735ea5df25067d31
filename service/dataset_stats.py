"""Statistics of the whole dataset (class and property counts, entities, outgoing links),
computed once per state of the store and shared by the ontology page and VoID.

The state of a store is told by its fingerprint: the number of quads, the list of named graphs
and the store's state token. Counting a million quads takes most of a second, so `StoreState`
reads the fingerprint again only when the store says it has been written to (`Store.version`)
or after `invalidate()` (which the web layer calls after each write through it); a remote
store, which cannot tell, is read again at most every few seconds.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from rdflib.term import Literal, URIRef

from . import vocabulary as v
from .store import Store

CLASS_COUNTS = """\
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class
"""

# The instances of each class with those of its subclasses (the ontology is in the store): a
# committee is a deliberative body. Each resource once per class, however many ways it is one.
CLASS_COUNTS_WITH_SUBCLASSES = """\
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?sub rdfs:subClassOf* ?class . ?s a ?sub }
GROUP BY ?class
"""

PROPERTY_COUNTS = """\
SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } GROUP BY ?p
"""

SUBJECTS = """\
SELECT DISTINCT ?s WHERE { ?s ?p ?o . FILTER(isIRI(?s)) }
"""

BLANK_SUBJECTS = """\
SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o . FILTER(isBlank(?s)) }
"""

LINKS = """\
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
# Links to other datasets: the targets of identity and mapping links.
SELECT ?p ?o (COUNT(DISTINCT ?s) AS ?n) WHERE {
  VALUES ?p { owl:sameAs skos:exactMatch skos:closeMatch }
  ?s ?p ?o . FILTER(isIRI(?o))
} GROUP BY ?p ?o
"""


@dataclass(frozen=True)
class Fingerprint:
    quads: int
    graphs: tuple[str, ...]
    token: str | None = None
    """The store's state token (see `Store.state_token`); None for a remote store."""


def fingerprint(store: Store) -> Fingerprint:
    """Return what tells one state of the store from another."""
    return Fingerprint(store.count(), tuple(store.graphs()), store.state_token())


class StoreState:
    """The store's fingerprint, read again after a write through the app and whenever the
    store's own count of writes (`Store.version`) has moved; a store that cannot count its
    writes (a remote one, which others may write to) is read again every `ttl` seconds.

    An embedded store counts every write, since it holds its folder's lock: its fingerprint
    (a count of every quad, 0.3 s at 1M triples) is then read only when it changed. Following
    the version also makes values kept per state agree with answers kept per version (see
    `response_cache`): a page made just after a write, before the request that wrote has
    finished, reads the new state, not the one from before the write.
    """

    def __init__(self, ttl: float = 10.0) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._known: Fingerprint | None = None
        self._version: int | None = None
        self._checked = 0.0

    def current(self, store: Store) -> Fingerprint:
        with self._lock:
            now = time.monotonic()
            version = store.version()
            if (
                self._known is None
                or (version is None and now - self._checked >= self.ttl)
                or (version is not None and version != self._version)
            ):
                self._known = fingerprint(store)
                self._version = version
                self._checked = now
            return self._known

    def invalidate(self) -> None:
        with self._lock:
            self._known = None


@dataclass(frozen=True)
class Linkset:
    """Links from our data to one registry by one predicate."""

    registry: v.Registry
    predicate: str
    triples: int


@dataclass
class DatasetStats:
    triples: int
    class_counts: dict[str, int] = field(default_factory=dict)
    property_counts: dict[str, int] = field(default_factory=dict)
    subjects: list[str] = field(default_factory=list)
    linksets: list[Linkset] = field(default_factory=list)
    class_counts_with_subclasses: dict[str, int] = field(default_factory=dict)
    """Instances of each class or of its subclasses; `class_counts` are the direct ones."""
    blank_subjects: int = 0
    """Subjects without an IRI (blank nodes), which `subjects` does not list."""

    @property
    def distinct_subjects(self) -> int:
        """Every distinct subject, blank nodes included (VoID's void:distinctSubjects)."""
        return len(self.subjects) + self.blank_subjects

    def entities(self, uri_space: str) -> int:
        """Count the resources with an IRI in our URI space that the data describes."""
        return sum(1 for s in self.subjects if s.startswith(uri_space))

    def vocabularies(self) -> list[str]:
        """Return the namespaces of the predicates and classes in use."""
        used = set(self.property_counts) | set(self.class_counts)
        return sorted({v.namespace_of(iri) for iri in used})


def _count(value: object) -> int:
    return int(value.toPython()) if isinstance(value, Literal) else 0


def compute_stats(store: Store) -> DatasetStats:
    """Run the statistics queries over the union of all graphs."""
    classes = {
        str(r["class"]): _count(r["n"])
        for r in store.select(CLASS_COUNTS)
        if isinstance(r.get("class"), URIRef)
    }
    properties = {str(r["p"]): _count(r["n"]) for r in store.select(PROPERTY_COUNTS)}
    subjects = sorted(str(r["s"]) for r in store.select(SUBJECTS))
    by_target: Counter[tuple[str, str]] = Counter()
    for row in store.select(LINKS):
        registry = v.registry_for(str(row["o"]))
        if registry is not None:
            by_target[(registry.key, str(row["p"]))] += _count(row["n"])
    registries = {r.key: r for r in v.REGISTRIES}
    linksets = [
        Linkset(registries[key], predicate, count)
        for (key, predicate), count in sorted(by_target.items())
    ]
    with_subclasses = {
        str(r["class"]): _count(r["n"])
        for r in store.select(CLASS_COUNTS_WITH_SUBCLASSES)
        if isinstance(r.get("class"), URIRef)
    }
    (blank,) = store.select(BLANK_SUBJECTS).rows or [{}]
    return DatasetStats(
        sum(properties.values()),
        classes,
        properties,
        subjects,
        linksets,
        with_subclasses,
        _count(blank.get("n")),
    )
