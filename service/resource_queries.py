"""The SPARQL behind the Linked Data pages, in one place, and the runs that fetch its rows.

Every query names the resource `?resource` (and, where needed, other variables) and gets its
values through the store's bindings (service/store/binding.py), never pasted into the text.
Incoming links are counted in Python over a capped list, so a page for a resource with very
many links stays bounded. Measured at 1M triples (benchmarks.generate): a typical entity's
queries take under 10 ms together; type checks are direct (`a sg:Statement`) and union
branches bind their own variables, since a property path or a BIND in those places made the
engine start from the class instead of the resource (seconds instead of milliseconds).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib.term import URIRef

from . import vocabulary as v
from .labels import Labels
from .sparql_values import values_block
from .store import Node, SelectResult, Store, Triple
from .store.binding import sparql_iri, with_bindings

PREFIXES = """\
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX sg: <https://w3id.org/stadtgraph/ontology#>
"""


_DECLARED = {line.split()[1] for line in PREFIXES.splitlines()}


def _compact(iri: str) -> str:
    """Write an IRI with one of PREFIXES where one fits (the queries are shown on the pages)."""
    short = v.prefixed(iri)
    return short if short.split(":", 1)[0] + ":" in _DECLARED else f"<{iri}>"


LABEL_VALUES = (
    "VALUES ?labelProperty { " + " ".join(_compact(iri) for iri in v.LABEL_PREDICATES) + " }"
)
"""The naming predicates; rows say which gave a label (?labelProperty), since among labels in
one language the preferred predicate's is shown (see `labels.Labels.add`)."""

OUTGOING = (
    PREFIXES
    + """\
# The resource's own triples and, to three levels, those of the blank nodes it points to
# (a concise bounded description).
SELECT ?s ?p ?o WHERE {
  { ?resource ?p ?o . BIND(?resource AS ?s) }
  UNION { ?resource ?p1 ?s . FILTER(isBlank(?s)) ?s ?p ?o }
  UNION { ?resource ?p1 ?b1 . FILTER(isBlank(?b1)) ?b1 ?p2 ?s . FILTER(isBlank(?s)) ?s ?p ?o }
  UNION { ?resource ?p1 ?b1 . FILTER(isBlank(?b1)) ?b1 ?p2 ?b2 . FILTER(isBlank(?b2))
          ?b2 ?p3 ?s . FILTER(isBlank(?s)) ?s ?p ?o }
}
"""
)

DESCRIPTION = (
    PREFIXES
    + """\
# The data of a resource: its concise bounded description (see OUTGOING).
CONSTRUCT { ?s ?p ?o } WHERE {
  { ?resource ?p ?o . BIND(?resource AS ?s) }
  UNION { ?resource ?p1 ?s . FILTER(isBlank(?s)) ?s ?p ?o }
  UNION { ?resource ?p1 ?b1 . FILTER(isBlank(?b1)) ?b1 ?p2 ?s . FILTER(isBlank(?s)) ?s ?p ?o }
  UNION { ?resource ?p1 ?b1 . FILTER(isBlank(?b1)) ?b1 ?p2 ?b2 . FILTER(isBlank(?b2))
          ?b2 ?p3 ?s . FILTER(isBlank(?s)) ?s ?p ?o }
}
"""
)

INCOMING_TRIPLES = """\
# The triples that point at the resource (capped; see the LIMIT).
CONSTRUCT { ?s ?p ?resource } WHERE { ?s ?p ?resource } LIMIT $limit
"""

INCOMING = (
    PREFIXES
    + """\
# Who points at the resource, by which predicate, with the pointing resource's labels.
SELECT ?p ?s ?label ?labelProperty WHERE {
  ?s ?p ?resource .
  OPTIONAL { $labels ?s ?labelProperty ?label }
} LIMIT $limit
""".replace("$labels", LABEL_VALUES)
)

LABELS = (
    PREFIXES
    + """\
# Labels of everything the page names: predicates, values, types and incoming predicates.
SELECT DISTINCT ?x ?label ?labelProperty WHERE {
  { ?resource ?x ?any } UNION { ?resource ?any ?x }
  UNION { ?resource ?p1 ?b . FILTER(isBlank(?b)) { ?b ?x ?any } UNION { ?b ?any ?x } }
  UNION { ?in ?x ?resource }
  $labels
  ?x ?labelProperty ?label .
}
""".replace("$labels", LABEL_VALUES)
)

TYPES = (
    PREFIXES
    + """\
# The resource's classes with all their superclasses (for the schema.org description).
SELECT DISTINCT ?type WHERE { ?resource rdf:type/rdfs:subClassOf* ?type }
"""
)

IDENTIFIER_PROPERTIES = (
    PREFIXES
    + """\
# The resource's properties that are identifiers (sub-properties of dcterms:identifier).
SELECT DISTINCT ?p WHERE {
  ?resource ?p ?o . FILTER(isLiteral(?o))
  ?p rdfs:subPropertyOf+ dcterms:identifier .
}
"""
)

INVOLVEMENT = (
    PREFIXES
    + """\
# The qualified involvements the resource takes part in, as agent, target or topic, with
# their parts and the labels of the values.
SELECT ?involvement ?p ?o ?label ?labelProperty WHERE {
  { ?involvement prov:agent ?resource } UNION { ?involvement sg:target ?resource }
  UNION { ?involvement sg:regarding ?resource }
  ?involvement a sg:Involvement .
  VALUES ?p { prov:agent sg:target sg:regarding prov:hadRole sg:asOf prov:wasDerivedFrom
              prov:startedAtTime prov:endedAtTime schema:startDate schema:endDate }
  ?involvement ?p ?o .
  OPTIONAL { $labels ?o ?labelProperty ?label }
}
""".replace("$labels", LABEL_VALUES)
)

STATEMENT_RELATIONS = (
    PREFIXES
    + """\
# Statements that name the resource (?how: by which predicate), that it is derived from
# (?derived), or that one of its involvements rests on (?involvement).
SELECT ?statement ?how ?derived ?involvement WHERE {
  { ?statement ?how ?resource }
  UNION { VALUES ?derived { prov:wasDerivedFrom } ?resource ?derived ?statement }
  UNION { VALUES ?role { prov:agent sg:target }
          ?involvement ?role ?resource ; prov:wasDerivedFrom ?statement }
  ?statement a sg:Statement .
}
"""
)

# The statements are given to this query as VALUES: finding them again here took 2.7 of 4 ms
# for a hub of 22 statements at 1M; joined with the relations in one query, every part came
# once per relation.
STATEMENT_PARTS = (
    PREFIXES
    + """\
# The parts of the statements the relations query found, with the labels of the values: each
# once, however many ways the statement bears on the resource or graphs hold it.
SELECT DISTINCT ?statement ?p ?o ?label ?labelProperty WHERE {
  $statements
  ?statement ?p ?o .
  FILTER(?p IN (rdfs:label, sg:quote, sg:paraphrase, sg:caveat, sg:speaker, sg:madeInMeeting,
                sg:answers, prov:wasDerivedFrom, sg:speakerNamedInSource, skos:editorialNote))
  OPTIONAL { $labels ?o ?labelProperty ?label }
}
""".replace("$labels", LABEL_VALUES)
)


STATEMENTS_FOUND_AGAIN = """\
{ ?statement ?how ?resource }
  UNION { ?resource prov:wasDerivedFrom ?statement }
  UNION { VALUES ?role { prov:agent sg:target }
          ?involvement ?role ?resource ; prov:wasDerivedFrom ?statement }
  ?statement a sg:Statement ."""
"""STATEMENT_PARTS' statements where VALUES cannot name one (a blank node, or an IRI SPARQL
cannot carry)."""

EXISTS = """\
ASK { { ?resource ?p ?o } UNION { ?s ?p ?resource } }
"""


def with_limit(sparql: str, limit: int) -> str:
    """Put a row cap (our own number, never user text) into a query's LIMIT."""
    return sparql.replace("$limit", str(int(limit)))


@dataclass
class RunQuery:
    """One query as it ran: its text with the values bound, for the page to show."""

    title: str
    sparql: str


@dataclass
class EntityRows:
    """Everything the entity page needs, as raw rows from the store."""

    resource: URIRef
    outgoing: SelectResult
    labels: SelectResult
    types: SelectResult
    identifier_properties: SelectResult
    incoming: SelectResult
    incoming_cap: int
    involvement: SelectResult
    statement_relations: SelectResult
    """How statements bear on the resource: ?statement with ?how, ?derived or ?involvement."""
    statements: SelectResult
    """The parts of those statements: ?statement ?p ?o ?label."""
    queries: list[RunQuery] = field(default_factory=list)

    @property
    def incoming_truncated(self) -> bool:
        return len(self.incoming) > self.incoming_cap


def exists(store: Store, resource: URIRef) -> bool:
    """Say whether the store holds any triple with the resource as subject or object."""
    return store.ask(EXISTS, {"resource": resource})


def fetch_entity(store: Store, resource: URIRef, incoming_cap: int = 5000) -> EntityRows:
    """Run the page's queries for one resource."""
    bindings: dict[str, Node] = {"resource": resource}
    incoming_query = with_limit(INCOMING, incoming_cap + 1)
    runs = [
        ("outgoing", OUTGOING),
        ("labels", LABELS),
        ("types", TYPES),
        ("identifier properties", IDENTIFIER_PROPERTIES),
        ("incoming", incoming_query),
        ("involvement", INVOLVEMENT),
        ("statement relations", STATEMENT_RELATIONS),
    ]
    results = {name: store.select(sparql, bindings) for name, sparql in runs}
    queries = [RunQuery(name, with_bindings(sparql, bindings)) for name, sparql in runs]
    statements = list(dict.fromkeys(r["statement"] for r in results["statement relations"].rows))
    given = _given_statements(statements)
    if not statements:
        results["statement parts"] = SelectResult(["statement", "p", "o", "label", "labelProperty"])
    elif given is not None:
        parts = STATEMENT_PARTS.replace("$statements", given)
        results["statement parts"] = store.select(parts)
        queries.append(RunQuery("statement parts", parts))
    else:
        parts = STATEMENT_PARTS.replace("$statements", STATEMENTS_FOUND_AGAIN)
        results["statement parts"] = store.select(parts, bindings)
        queries.append(RunQuery("statement parts", with_bindings(parts, bindings)))
    return EntityRows(
        resource=resource,
        outgoing=results["outgoing"],
        labels=results["labels"],
        types=results["types"],
        identifier_properties=results["identifier properties"],
        incoming=results["incoming"],
        incoming_cap=incoming_cap,
        involvement=results["involvement"],
        statement_relations=results["statement relations"],
        statements=results["statement parts"],
        queries=queries,
    )


def _given_statements(statements: list[Node]) -> str | None:
    """Return the statements as a VALUES block; None where one cannot be written in one (a
    blank node, or an IRI SPARQL cannot carry that a remote store let in)."""
    iris = [statement for statement in statements if isinstance(statement, URIRef)]
    if len(iris) < len(statements):
        return None
    try:
        return values_block("statement", iris)
    except ValueError:
        return None


def fetch_description(
    store: Store, resource: URIRef, incoming_cap: int
) -> tuple[list[Triple], bool]:
    """Return the resource's data (its bounded description and the triples pointing at it),
    and whether the incoming triples were cut at `incoming_cap`."""
    bindings: dict[str, Node] = {"resource": resource}
    triples = store.construct(DESCRIPTION, bindings)
    incoming = store.construct(with_limit(INCOMING_TRIPLES, incoming_cap + 1), bindings)
    truncated = len(incoming) > incoming_cap
    return triples + incoming[:incoming_cap], truncated


NAMES = (
    PREFIXES
    + """\
# The labels of IRIs a table shows without a label column of its own. (The naming predicates
# as a FILTER: as a second VALUES block, oxigraph scanned every triple, 0.3 s at 1M.)
SELECT ?s ?label ?labelProperty WHERE {
  $values
  ?s ?labelProperty ?label .
  FILTER(?labelProperty IN ($predicates))
}
""".replace("$predicates", ", ".join(_compact(iri) for iri in v.LABEL_PREDICATES))
)


def fetch_names(store: Store, iris: Iterable[str], labels: Labels, batch: int = 200) -> None:
    """Note the labels of IRIs in `labels` (a few hundred at a time, as VALUES)."""
    wanted = sorted(iri for iri in set(iris) if _writable(iri))
    for start in range(0, len(wanted), batch):
        block = values_block("s", [URIRef(iri) for iri in wanted[start : start + batch]])
        for row in store.select(NAMES.replace("$values", block)).rows:
            labels.add(row["s"], row.get("label"), row.get("labelProperty"))


def _writable(iri: str) -> bool:
    """Whether SPARQL can carry an IRI (a remote store may hold one it cannot): else unnamed."""
    try:
        sparql_iri(iri)
    except ValueError:
        return False
    return True
