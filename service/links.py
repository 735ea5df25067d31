"""Link discovery: find registry candidates for our resources and write them for review.

For every resource of the chosen classes that has no link into the registry yet, ask the
registry's SPARQL endpoint (Wikidata by default, in Wikidata's own shape: `wdt:` direct claims,
`rdfs:label`, `schema:description`) for entries sharing an identifier (AGS P439, GeoNames
P1566, GND P227, a stated Wikidata id) or a label, with their types (P31), country (P17) and
enclosing regions (P131). Score each candidate and write it as a row of an SSSOM mapping table
for human review. Nothing is asserted here: `link_apply` turns reviewed rows into data,
`link_check` verifies links already made. No Flask, no click.

Scores (SSSOM `confidence`) are explained in `link_scoring`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from . import vocabulary as v
from .link_scoring import (
    GENERIC_CLASSES,
    IDENTIFIERS,
    WIKIDATA_ID,
    Candidate,
    Proposal,
    Resource,
    expected_types,
    score,
)
from .registry_client import RegistryClient
from .sparql_values import values_block
from .sssom import DEFAULT_PREFIXES, SSSOM_VERSION, compact
from .store import Store

WIKIDATA = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
SG = v.SG
ID_BASE = "https://w3id.org/stadtgraph/id/"
DEFAULT_CLASSES = (
    v.SCHEMA + "Place",
    v.ORG + "FormalOrganization",
    SG + "MunicipalEnterprise",
)
LABELS = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
LANGUAGES = ("de", "en", "mul")
CANDIDATES_PER_QUERY = 20


# -- our side -------------------------------------------------------------------------------------

UNLINKED = """\
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?resource WHERE {
  ?resource a ?class .
  FILTER(isIRI(?resource) && STRSTARTS(STR(?resource), ?base))
  FILTER NOT EXISTS {
    ?resource owl:sameAs|skos:exactMatch|skos:closeMatch ?link .
    FILTER(STRSTARTS(STR(?link), ?namespace))
  }
}
ORDER BY ?resource
"""

DESCRIBE = "SELECT ?p ?o WHERE { ?resource ?p ?o }"

SURROUNDINGS = """\
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX sg: <https://w3id.org/stadtgraph/ontology#>
SELECT DISTINCT ?link ?isCountry WHERE {
  ?resource (dcterms:spatial|sg:municipalEnterpriseOf|org:unitOf|org:subOrganizationOf
             |schema:containedInPlace)+ ?place .
  ?place owl:sameAs|skos:exactMatch ?link .
  FILTER(STRSTARTS(STR(?link), ?namespace))
  BIND(EXISTS { ?place a schema:Country } AS ?isCountry)
}
"""

SEEDS = """\
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?class ?link WHERE {
  ?resource a ?class ; owl:sameAs|skos:exactMatch ?link .
  FILTER(STRSTARTS(STR(?link), ?namespace))
}
"""


def unlinked_resources(
    store: Store, classes: Iterable[str], namespace: str = WIKIDATA, base: str = ID_BASE
) -> list[Resource]:
    """Describe our resources of the classes that have no link into the namespace yet."""
    found: dict[str, URIRef] = {}
    for cls in classes:
        rows = store.select(
            UNLINKED,
            {"class": URIRef(cls), "base": Literal(base), "namespace": Literal(namespace)},
        )
        for row in rows:
            found.setdefault(str(row["resource"]), URIRef(str(row["resource"])))
    return [describe(store, iri, namespace) for _, iri in sorted(found.items())]


def describe(store: Store, iri: URIRef, namespace: str = WIKIDATA) -> Resource:
    """Collect a resource's classes, labels, identifiers and the linked places around it."""
    classes: set[str] = set()
    labels: list[tuple[int, str]] = []
    identifiers: dict[str, str] = {}
    for row in store.select(DESCRIBE, {"resource": iri}):
        predicate, value = row["p"], row["o"]
        if predicate == RDF.type:
            classes.add(str(value))
        elif predicate in LABELS and isinstance(value, Literal):
            rank = LABELS.index(predicate) * 10 + (0 if value.language == "de" else 1)
            labels.append((rank, str(value)))
        elif isinstance(value, Literal) and str(predicate) in {*_ID_PROPERTIES, WIKIDATA_ID}:
            identifiers[str(predicate)] = str(value)
    countries: set[str] = set()
    regions: set[str] = set()
    for row in store.select(SURROUNDINGS, {"resource": iri, "namespace": Literal(namespace)}):
        is_country = row.get("isCountry")
        target = countries if isinstance(is_country, Literal) and is_country.toPython() else regions
        target.add(str(row["link"]))
    ordered = tuple(dict.fromkeys(text for _, text in sorted(labels)))
    names = tuple(dict.fromkeys(text for rank, text in sorted(labels) if rank < 20))
    return Resource(
        iri,
        frozenset(classes),
        ordered,
        identifiers,
        frozenset(countries),
        frozenset(regions),
        names,
    )


_ID_PROPERTIES = {local for _, local, _ in IDENTIFIERS}


def seed_links(store: Store, namespace: str = WIKIDATA) -> dict[str, set[str]]:
    """Map each of our classes to the registry entries its linked resources point to."""
    seeds: dict[str, set[str]] = {}
    for row in store.select(SEEDS, {"namespace": Literal(namespace)}):
        seeds.setdefault(str(row["class"]), set()).add(str(row["link"]))
    return seeds


# -- the registry's side -----------------------------------------------------------------------

REGISTRY_PREFIXES = """\
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
"""


CANDIDATES = """\
{prefixes}SELECT ?item (GROUP_CONCAT(DISTINCT ?via; SEPARATOR=" ") AS ?matchedBy)
  (SAMPLE(?de) AS ?labelDe) (SAMPLE(?en) AS ?labelEn)
  (SAMPLE(?descDe) AS ?descriptionDe) (SAMPLE(?descEn) AS ?descriptionEn)
  (GROUP_CONCAT(DISTINCT STR(?type); SEPARATOR=" ") AS ?types)
  (GROUP_CONCAT(DISTINCT STR(?country); SEPARATOR=" ") AS ?countries)
  (GROUP_CONCAT(DISTINCT STR(?region); SEPARATOR=" ") AS ?regions)
  {identifier_columns}
WHERE {{
  {branches}
  OPTIONAL {{ ?item rdfs:label ?de . FILTER(LANG(?de) = "de") }}
  OPTIONAL {{ ?item rdfs:label ?en . FILTER(LANG(?en) = "en") }}
  OPTIONAL {{ ?item schema:description ?descDe . FILTER(LANG(?descDe) = "de") }}
  OPTIONAL {{ ?item schema:description ?descEn . FILTER(LANG(?descEn) = "en") }}
  OPTIONAL {{ ?item wdt:P31 ?type }}
  OPTIONAL {{ ?item wdt:P17 ?country }}
  OPTIONAL {{ ?item wdt:P131+ ?region }}
{identifier_patterns}
}}
GROUP BY ?item
LIMIT {limit}
"""
"""The registry query; the branches find entries by label or key, every value in them written
by `values_block`."""


def candidate_query(resource: Resource) -> str | None:
    """Build the registry query for a resource, or None when it has nothing to search by."""
    branches = []
    if resource.labels:
        names = [Literal(text, lang=lang) for text in resource.labels for lang in LANGUAGES]
        branches.append(
            f"{{ {values_block('name', names)} ?item rdfs:label|skos:altLabel ?name . "
            'BIND("label" AS ?via) }'
        )
    for _, local, prop in IDENTIFIERS:
        if local in resource.identifiers:
            key = Literal(resource.identifiers[local])
            branches.append(
                f"{{ {values_block('key' + prop, [key])} ?item wdt:{prop} ?key{prop} . "
                f'BIND("{prop}" AS ?via) }}'
            )
    if WIKIDATA_ID in resource.identifiers:
        item = URIRef(WIKIDATA + resource.identifiers[WIKIDATA_ID])
        branches.append(
            f"{{ {values_block('item', [item])} ?item rdfs:label ?anyLabel . "
            'BIND("wikidataId" AS ?via) }'
        )
    if not branches:
        return None
    identifier_columns = " ".join(
        f'(GROUP_CONCAT(DISTINCT ?{p}; SEPARATOR=" ") AS ?id{p})' for _, _, p in IDENTIFIERS
    )
    identifier_patterns = "\n".join(
        f"  OPTIONAL {{ ?item wdt:{p} ?{p} }}" for _, _, p in IDENTIFIERS
    )
    return CANDIDATES.format(
        prefixes=REGISTRY_PREFIXES,
        identifier_columns=identifier_columns,
        branches=" UNION ".join(branches),
        identifier_patterns=identifier_patterns,
        limit=CANDIDATES_PER_QUERY,
    )


def _words(value: object) -> frozenset[str]:
    return frozenset(str(value).split()) if value is not None else frozenset()


def candidates(client: RegistryClient, resource: Resource) -> list[Candidate]:
    """Ask the registry for entries matching the resource."""
    query = candidate_query(resource)
    if query is None:
        return []
    found = []
    for row in client.select(query):
        item = row.get("item")
        if not isinstance(item, URIRef):
            continue
        found.append(
            Candidate(
                item=item,
                matched_by=_words(row.get("matchedBy")),
                label=str(row.get("labelDe") or row.get("labelEn") or ""),
                description=str(row.get("descriptionDe") or row.get("descriptionEn") or ""),
                types=_words(row.get("types")),
                countries=_words(row.get("countries")),
                regions=_words(row.get("regions")),
                identifiers={p: _words(row.get("id" + p)) for _, _, p in IDENTIFIERS},
            )
        )
    return found


def seed_types(client: RegistryClient, seeds: dict[str, set[str]]) -> dict[str, frozenset[str]]:
    """Map our classes to the registry classes (P31) of the entries they are linked to."""
    entries = sorted({link for links in seeds.values() for link in links})
    types: dict[str, set[str]] = {}
    for start in range(0, len(entries), 50):
        batch = [URIRef(e) for e in entries[start : start + 50]]
        query = (
            f"{REGISTRY_PREFIXES}SELECT ?seed ?type WHERE {{ {values_block('seed', batch)} "
            "?seed wdt:P31 ?type }"
        )
        for row in client.select(query):
            types.setdefault(str(row.get("seed")), set()).add(str(row.get("type")))
    return {
        cls: frozenset(t for link in links for t in types.get(link, ()))
        for cls, links in seeds.items()
    }


# -- scoring -------------------------------------------------------------------------------------


# -- the whole run --------------------------------------------------------------------------------


@dataclass
class Discovery:
    """What a discovery run will do, and what it has done so far."""

    resources: list[Resource]
    types_by_class: dict[str, frozenset[str]]
    done: int = 0
    rows: int = 0


def prepare(store: Store, client: RegistryClient, classes: Iterable[str]) -> Discovery:
    """Find the unlinked resources and learn the registry classes from the links already made."""
    resources = unlinked_resources(store, classes)
    seeds = {cls: links for cls, links in seed_links(store).items() if cls not in GENERIC_CLASSES}
    types = seed_types(client, seeds) if seeds and resources else {}
    return Discovery(resources, types)


def proposals(
    run: Discovery,
    client: RegistryClient,
    *,
    per_resource: int = 5,
    min_confidence: float = 0.0,
    progress: Callable[[Resource, int], None] | None = None,
) -> Iterator[Proposal]:
    """Yield scored proposals resource by resource, best first; `run` counts progress."""
    for resource in run.resources:
        expected = expected_types(resource, run.types_by_class)
        scored = sorted(
            (score(resource, c, expected) for c in candidates(client, resource)),
            key=lambda p: (-p.confidence, str(p.candidate.item)),
        )
        kept = [p for p in scored if p.confidence >= min_confidence][:per_resource]
        for proposal in kept:
            run.rows += 1
            yield proposal
        run.done += 1
        if progress:
            progress(resource, len(kept))


def table_metadata(registry_endpoint: str, mapping_set_id: str, today: date) -> dict[str, object]:
    """The SSSOM metadata block of a candidate table, with the review protocol."""
    return {
        "curie_map": DEFAULT_PREFIXES,
        "mapping_set_id": mapping_set_id,
        "mapping_set_title": "Stadtgraph link candidates for review",
        "mapping_set_description": (
            f"Candidates found on {today.isoformat()} at {registry_endpoint} by "
            "`stadtgraph links discover`. Nothing here is asserted. To accept a row, fill "
            "reviewer_id (an agent IRI or CURIE, e.g. sgid:agent/stadtgraph-projekt) and "
            "review_date (YYYY-MM-DD); to reject it, fill them and set predicate_modifier to "
            "Not. Rows without a reviewer are left out by `stadtgraph links apply`."
        ),
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "sssom_version": SSSOM_VERSION,
        "mapping_tool": "stadtgraph links discover",
        "subject_source": "https://w3id.org/stadtgraph/",
        "object_source": registry_endpoint,
    }


def table_row(proposal: Proposal, prefixes: dict[str, str]) -> dict[str, str]:
    """One SSSOM row for a proposal."""
    resource, candidate = proposal.resource, proposal.candidate
    specific = resource.specific_classes
    return {
        "subject_id": compact(str(resource.iri), prefixes),
        "subject_label": resource.label,
        "subject_category": "|".join(compact(c, prefixes) for c in specific),
        "predicate_id": compact(proposal.predicate, prefixes),
        "object_id": compact(str(candidate.item), prefixes),
        "object_label": candidate.label,
        "object_category": "|".join(compact(t, prefixes) for t in sorted(candidate.types)),
        "mapping_justification": compact(proposal.justification, prefixes),
        "confidence": f"{proposal.confidence:.2f}",
        "subject_match_field": proposal.subject_field,
        "object_match_field": proposal.object_field,
        "match_string": proposal.match_string,
        "comment": "; ".join(
            [*proposal.evidence, *([candidate.description] if candidate.description else [])]
        ),
    }
