"""The terms the SPARQL editor completes: prefixes, classes and properties of our own data.

The browser editor asks this instead of prefix.cc or Linked Open Vocabularies, so nothing a
visitor types leaves this host. Classes and properties are those the ontology declares plus
those the data uses (from the dataset statistics); prefixes are the well-known ones whose
namespace the store actually uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib.term import Literal, URIRef

from . import vocabulary as v
from .dataset_stats import DatasetStats
from .store import Store

DECLARED_TERMS = """\
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl:  <http://www.w3.org/2002/07/owl#>
SELECT ?term ?kind ?label WHERE {
  {
    VALUES ?type { owl:Class rdfs:Class }
    ?term a ?type .
    BIND ("class" AS ?kind)
  } UNION {
    VALUES ?type { rdf:Property owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
    ?term a ?type .
    BIND ("property" AS ?kind)
  }
  FILTER (isIRI(?term))
  OPTIONAL { ?term rdfs:label ?label }
}
"""


@dataclass
class Term:
    iri: str
    labels: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {"iri": self.iri, "prefixed": v.prefixed(self.iri), "labels": self.labels}


@dataclass
class EditorVocabulary:
    prefixes: dict[str, str]
    classes: list[Term]
    properties: list[Term]

    def as_json(self) -> dict[str, object]:
        return {
            "prefixes": self.prefixes,
            "classes": [term.as_json() for term in self.classes],
            "properties": [term.as_json() for term in self.properties],
        }


def _add(terms: dict[str, Term], iri: str, label: object = None) -> None:
    term = terms.setdefault(iri, Term(iri))
    if isinstance(label, Literal):
        language = label.language or ""
        term.labels.setdefault(language, str(label))


def used_prefixes(namespaces: Iterable[str]) -> dict[str, str]:
    """Return the well-known prefixes whose namespace some of the given IRIs start with."""
    used = set(namespaces)
    return {
        prefix: namespace
        for prefix, namespace in sorted(v.PREFIXES.items())
        if any(iri.startswith(namespace) for iri in used)
    }


def build_vocabulary(store: Store, stats: DatasetStats) -> EditorVocabulary:
    """Collect the prefixes, classes and properties of the store for completion."""
    classes: dict[str, Term] = {}
    properties: dict[str, Term] = {}
    for row in store.select(DECLARED_TERMS):
        term = row.get("term")
        if isinstance(term, URIRef):
            target = classes if str(row.get("kind")) == "class" else properties
            _add(target, str(term), row.get("label"))
    for iri in stats.class_counts:
        _add(classes, iri)
    for iri in stats.property_counts:
        _add(properties, iri)
    # rdf: and xsd: are needed to write queries even when only datatypes use them.
    prefixes = used_prefixes([*classes, *properties, v.RDF, v.PREFIXES["xsd"]])
    return EditorVocabulary(
        prefixes=prefixes,
        classes=[classes[iri] for iri in sorted(classes)],
        properties=[properties[iri] for iri in sorted(properties)],
    )
