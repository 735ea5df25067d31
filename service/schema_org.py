"""A schema.org description of a resource, for search engines: the JSON-LD its page embeds."""

from __future__ import annotations

from typing import Any

from rdflib.term import Literal

from . import vocabulary as v
from .resource_queries import EntityRows
from .resource_view import Entity

S = v.SCHEMA
CV = "http://data.europa.eu/m8g/"
DCAT = "http://www.w3.org/ns/dcat#"

# Our classes and the standard ones we reuse, most specific first, with their schema.org type.
TYPE_MAP: tuple[tuple[str, str], ...] = (
    (CV + "PublicOrganisation", "GovernmentOrganization"),
    (S + "City", "City"),
    (S + "State", "State"),
    (S + "Country", "Country"),
    (S + "AdministrativeArea", "AdministrativeArea"),
    (S + "Place", "Place"),
    (v.FOAF + "Person", "Person"),
    (S + "Person", "Person"),
    (v.ORG + "Organization", "Organization"),
    (v.ORG + "OrganizationalUnit", "Organization"),
    (v.FOAF + "Organization", "Organization"),
    (S + "Organization", "Organization"),
    (v.SG + "Meeting", "Event"),
    (S + "Event", "Event"),
    (S + "Question", "Question"),
    (DCAT + "Dataset", "Dataset"),
    (v.SKOS + "ConceptScheme", "DefinedTermSet"),
    (v.SKOS + "Concept", "DefinedTerm"),
    (v.FOAF + "Document", "CreativeWork"),
    (S + "CreativeWork", "CreativeWork"),
    (v.PROV + "Plan", "CreativeWork"),
)


def schema_type(types: list[str]) -> str:
    """Return the schema.org type that fits the resource's classes (with superclasses) best."""
    present = set(types)
    for iri, name in TYPE_MAP:
        if iri in present:
            return name
    # A schema.org type the data states itself (schema:GovernmentService, QuantitativeValue).
    stated = sorted(t.removeprefix(S) for t in present if t.startswith(S))
    return stated[0] if stated else "Thing"


def _values(literals: list[Literal]) -> list[dict[str, str]]:
    out = []
    for literal in sorted(literals, key=lambda lit: (lit.language or "", str(lit))):
        item = {"@value": str(literal)}
        if literal.language:
            item["@language"] = literal.language
        out.append(item)
    return out


def describe(entity: Entity, rows: EntityRows, page_url: str) -> dict[str, Any]:
    """Build the schema.org JSON-LD object for an entity page."""
    own = [(str(r["p"]), r["o"]) for r in rows.outgoing if r["s"] == rows.resource]

    def literals(*predicates: str) -> list[Literal]:
        found: list[Literal] = []
        for p, o in own:
            if p in predicates and isinstance(o, Literal) and o not in found:
                found.append(o)
        return found

    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@id": entity.iri,
        "@type": schema_type(entity.all_types or [t.iri for t in entity.types]),
        "url": page_url,
    }
    names = literals(
        v.SKOS + "prefLabel", v.RDFS + "label", S + "name", v.FOAF + "name", v.DCTERMS + "title"
    )
    if names:
        data["name"] = _values(names)
    alternate = literals(v.SKOS + "altLabel")
    if alternate:
        data["alternateName"] = _values(alternate)
    descriptions = literals(*v.DESCRIPTION_PREDICATES)
    if descriptions:
        data["description"] = _values(descriptions)
    if data["@type"] == "Event":
        starts = sorted(str(d) for d in literals(*v.START_PREDICATES))
        ends = sorted(str(d) for d in literals(*v.END_PREDICATES))
        if starts:
            data["startDate"] = starts[0]
        if ends:
            data["endDate"] = ends[-1]
    same_as = [i.href for i in entity.identifiers if i.href and i.same_thing]
    if same_as:
        data["sameAs"] = same_as
    identifiers = [
        {"@type": "PropertyValue", "propertyID": i.name, "value": i.value}
        | ({"url": i.href} if i.href else {})
        for i in entity.identifiers
        if not i.same_thing
    ]
    if identifiers:
        data["identifier"] = identifiers
    return data
