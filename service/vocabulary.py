"""Names for terms of the standard vocabularies we reuse, and for the registries we link to.

The pages label a predicate or class from the data (the ontology's rdfs:label) first; these
tables are the fallback for standard terms whose vocabularies are not loaded into the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
SCHEMA_HTTP = "http://schema.org/"
FOAF = "http://xmlns.com/foaf/0.1/"
SG = "https://w3id.org/stadtgraph/ontology#"

PREFIXES = {
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "org": ORG,
    "prov": PROV,
    "schema": SCHEMA,
    "foaf": FOAF,
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "cv": "http://data.europa.eu/m8g/",
    "oparl": "https://schema.oparl.org/1.1/",
    "regorg": "http://www.w3.org/ns/regorg#",
    "time": "http://www.w3.org/2006/time#",
    "adms": "http://www.w3.org/ns/adms#",
    "locn": "http://www.w3.org/ns/locn#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "sh": "http://www.w3.org/ns/shacl#",
    "sg": SG,
}

# fmt: off
STANDARD_LABELS: dict[str, tuple[str, str]] = {
    RDF + "type": ("Typ", "type"),
    RDF + "first": ("Erstes Element", "first element"),
    RDF + "rest": ("Rest der Liste", "rest of the list"),
    RDFS + "label": ("Bezeichnung", "label"),
    RDFS + "comment": ("Kommentar", "comment"),
    RDFS + "seeAlso": ("Siehe auch", "see also"),
    RDFS + "subClassOf": ("Unterklasse von", "subclass of"),
    RDFS + "subPropertyOf": ("Untereigenschaft von", "subproperty of"),
    RDFS + "domain": ("Definitionsbereich", "domain"),
    RDFS + "range": ("Wertebereich", "range"),
    RDFS + "isDefinedBy": ("Definiert in", "defined by"),
    OWL + "sameAs": ("Identisch mit", "same as"),
    OWL + "Class": ("Klasse", "class"),
    OWL + "ObjectProperty": ("Objekteigenschaft", "object property"),
    OWL + "DatatypeProperty": ("Datenwerteigenschaft", "datatype property"),
    OWL + "Ontology": ("Ontologie", "ontology"),
    SKOS + "prefLabel": ("Bevorzugte Bezeichnung", "preferred label"),
    SKOS + "altLabel": ("Andere Bezeichnung", "alternative label"),
    SKOS + "hiddenLabel": ("Suchbegriff", "hidden label"),
    SKOS + "definition": ("Definition", "definition"),
    SKOS + "note": ("Anmerkung", "note"),
    SKOS + "scopeNote": ("Anwendungshinweis", "scope note"),
    SKOS + "editorialNote": ("Redaktionelle Anmerkung", "editorial note"),
    SKOS + "changeNote": ("Änderungshinweis", "change note"),
    SKOS + "historyNote": ("Geschichte", "history note"),
    SKOS + "example": ("Beispiel", "example"),
    SKOS + "notation": ("Notation", "notation"),
    SKOS + "broader": ("Oberbegriff", "broader"),
    SKOS + "narrower": ("Unterbegriff", "narrower"),
    SKOS + "related": ("Verwandt mit", "related"),
    SKOS + "inScheme": ("Gehört zu Schema", "in scheme"),
    SKOS + "topConceptOf": ("Spitzenbegriff von", "top concept of"),
    SKOS + "hasTopConcept": ("Hat Spitzenbegriff", "has top concept"),
    SKOS + "exactMatch": ("Entspricht genau", "exact match"),
    SKOS + "closeMatch": ("Entspricht annähernd", "close match"),
    SKOS + "Concept": ("Begriff", "concept"),
    SKOS + "ConceptScheme": ("Begriffsschema", "concept scheme"),
    DCTERMS + "title": ("Titel", "title"),
    DCTERMS + "description": ("Beschreibung", "description"),
    DCTERMS + "identifier": ("Kennung", "identifier"),
    DCTERMS + "source": ("Quelle", "source"),
    DCTERMS + "created": ("Erstellt", "created"),
    DCTERMS + "issued": ("Veröffentlicht", "issued"),
    DCTERMS + "modified": ("Geändert", "modified"),
    DCTERMS + "date": ("Datum", "date"),
    DCTERMS + "publisher": ("Herausgeber", "publisher"),
    DCTERMS + "creator": ("Urheber", "creator"),
    DCTERMS + "subject": ("Thema", "subject"),
    DCTERMS + "isPartOf": ("Teil von", "part of"),
    DCTERMS + "hasPart": ("Hat Teil", "has part"),
    DCTERMS + "language": ("Sprache", "language"),
    DCTERMS + "license": ("Lizenz", "licence"),
    DCTERMS + "references": ("Verweist auf", "references"),
    DCTERMS + "spatial": ("Räumlicher Bezug", "spatial coverage"),
    DCTERMS + "replaces": ("Ersetzt", "replaces"),
    DCTERMS + "isReplacedBy": ("Ersetzt durch", "replaced by"),
    DCTERMS + "relation": ("Beziehung", "relation"),
    DCTERMS + "temporal": ("Zeitlicher Bezug", "temporal coverage"),
    DCTERMS + "bibliographicCitation": ("Zitiervorschlag", "citation"),
    ORG + "Organization": ("Organisation", "organisation"),
    ORG + "FormalOrganization": ("Formale Organisation", "formal organisation"),
    ORG + "OrganizationalUnit": ("Organisationseinheit", "organisational unit"),
    ORG + "OrganizationalCollaboration": ("Kooperation", "collaboration"),
    ORG + "Membership": ("Mitgliedschaft", "membership"),
    ORG + "Post": ("Stelle", "post"),
    ORG + "Role": ("Rolle", "role"),
    ORG + "Site": ("Standort", "site"),
    ORG + "memberOf": ("Mitglied von", "member of"),
    ORG + "hasMember": ("Hat Mitglied", "has member"),
    ORG + "member": ("Mitglied", "member"),
    ORG + "organization": ("Organisation", "organisation"),
    ORG + "role": ("Rolle", "role"),
    ORG + "memberDuring": ("Mitglied im Zeitraum", "member during"),
    ORG + "subOrganizationOf": ("Teil der Organisation", "suborganisation of"),
    ORG + "hasSubOrganization": ("Hat Teilorganisation", "has suborganisation"),
    ORG + "unitOf": ("Einheit von", "unit of"),
    ORG + "hasUnit": ("Hat Einheit", "has unit"),
    ORG + "headOf": ("Leitet", "head of"),
    ORG + "holds": ("Hat Stelle", "holds"),
    ORG + "heldBy": ("Besetzt durch", "held by"),
    ORG + "postIn": ("Stelle in", "post in"),
    ORG + "hasPost": ("Hat Stelle", "has post"),
    ORG + "purpose": ("Zweck", "purpose"),
    ORG + "classification": ("Einordnung", "classification"),
    ORG + "identifier": ("Kennung", "identifier"),
    ORG + "hasSite": ("Hat Standort", "has site"),
    ORG + "linkedTo": ("Verbunden mit", "linked to"),
    PROV + "wasDerivedFrom": ("Abgeleitet von", "derived from"),
    PROV + "wasAttributedTo": ("Zugeschrieben", "attributed to"),
    PROV + "hadPrimarySource": ("Primärquelle", "primary source"),
    PROV + "generatedAtTime": ("Erzeugt am", "generated at"),
    PROV + "startedAtTime": ("Beginn", "started at"),
    PROV + "endedAtTime": ("Ende", "ended at"),
    PROV + "qualifiedAssociation": ("Beteiligung", "association"),
    PROV + "agent": ("Akteur", "agent"),
    PROV + "hadRole": ("Rolle", "role"),
    PROV + "Agent": ("Akteur", "agent"),
    PROV + "Entity": ("Entität", "entity"),
    PROV + "Activity": ("Aktivität", "activity"),
    FOAF + "name": ("Name", "name"),
    FOAF + "homepage": ("Webseite", "home page"),
    FOAF + "page": ("Seite", "page"),
    FOAF + "Person": ("Person", "person"),
    FOAF + "Organization": ("Organisation", "organisation"),
    FOAF + "Group": ("Gruppe", "group"),
    FOAF + "Document": ("Dokument", "document"),
    SCHEMA + "name": ("Name", "name"),
    SCHEMA + "description": ("Beschreibung", "description"),
    SCHEMA + "url": ("Webseite", "web page"),
    SCHEMA + "sameAs": ("Identisch mit", "same as"),
    SCHEMA + "identifier": ("Kennung", "identifier"),
    SCHEMA + "numberOfEmployees": ("Beschäftigte", "number of employees"),
    SCHEMA + "containedInPlace": ("Liegt in", "contained in place"),
    SCHEMA + "containsPlace": ("Enthält", "contains place"),
    SCHEMA + "address": ("Anschrift", "address"),
    SCHEMA + "startDate": ("Beginn", "start date"),
    SCHEMA + "endDate": ("Ende", "end date"),
    SCHEMA + "City": ("Stadt", "city"),
    SCHEMA + "Place": ("Ort", "place"),
    SCHEMA + "Country": ("Staat", "country"),
    SCHEMA + "Person": ("Person", "person"),
    SCHEMA + "Organization": ("Organisation", "organisation"),
    SCHEMA + "GovernmentOrganization": ("Behörde", "government organisation"),
    SCHEMA + "GovernmentService": ("Verwaltungsleistung", "government service"),
    SCHEMA + "QuantitativeValue": ("Messwert", "quantitative value"),
    SCHEMA + "value": ("Wert", "value"),
    SCHEMA + "unitText": ("Einheit", "unit"),
    SCHEMA + "AdministrativeArea": ("Verwaltungsgebiet", "administrative area"),
    SCHEMA + "State": ("Bundesland", "state"),
    SCHEMA + "organizer": ("Veranstalter", "organiser"),
    SCHEMA + "provider": ("Anbieter", "provider"),
    SCHEMA + "locationCreated": ("Entstanden in", "created in"),
    SCHEMA + "superEvent": ("Übergeordnete Veranstaltung", "part of the event"),
    SCHEMA + "telephone": ("Telefon", "telephone"),
    "http://purl.org/vocab/cpsv#PublicService": ("Öffentliche Dienstleistung", "public service"),
    "http://www.w3.org/ns/dcat#Dataset": ("Datensatz", "dataset"),
    "http://data.europa.eu/m8g/PublicOrganisation": ("Öffentliche Organisation",
                                                     "public organisation"),
    "https://schema.oparl.org/1.1/Body": ("Körperschaft (OParl)", "body (OParl)"),
    "https://schema.oparl.org/1.1/Meeting": ("Sitzung (OParl)", "meeting (OParl)"),
    "https://schema.oparl.org/1.1/Paper": ("Drucksache (OParl)", "paper (OParl)"),
    "https://schema.oparl.org/1.1/AgendaItem": ("Tagesordnungspunkt (OParl)",
                                                "agenda item (OParl)"),
    "https://schema.oparl.org/1.1/Organization": ("Gremium (OParl)", "organisation (OParl)"),
    "https://w3id.org/semapv/vocab/ManualMappingCuration": ("von Hand geprüfte Zuordnung",
                                                            "manual mapping curation"),
}

# What a property says read from its object's side: a resource's page lists who points at it
# under these names ("Teil von: the inquiry", not the forward "Hat Teil: the inquiry").
INVERSE_LABELS: dict[str, tuple[str, str]] = {
    PROV + "wasDerivedFrom": ("Daraus abgeleitet", "derived from this"),
    PROV + "agent": ("Beteiligungen dieses Akteurs", "involvements of this agent"),
    PROV + "wasAttributedTo": ("Diesem zugeschrieben", "attributed to this"),
    DCTERMS + "subject": ("Handelt hiervon", "about this"),
    DCTERMS + "isPartOf": ("Hat Teil", "has part"),
    DCTERMS + "hasPart": ("Teil von", "part of"),
    DCTERMS + "spatial": ("Räumlich bezogen hierauf", "spatially about this"),
    DCTERMS + "replaces": ("Ersetzt durch", "replaced by"),
    DCTERMS + "isReplacedBy": ("Ersetzt", "replaces"),
    DCTERMS + "relation": ("Verwandt mit", "related to"),
    DCTERMS + "publisher": ("Veröffentlicht", "published"),
    SCHEMA + "containedInPlace": ("Enthält", "contains"),
    SCHEMA + "provider": ("Bietet an", "provides"),
    SCHEMA + "organizer": ("Veranstaltet", "organises"),
    SCHEMA + "superEvent": ("Teilveranstaltungen", "sub-events"),
    SCHEMA + "locationCreated": ("Hier entstanden", "created here"),
    SCHEMA + "numberOfEmployees": ("Beschäftigtenzahl von", "number of employees of"),
    SKOS + "inScheme": ("Begriffe in diesem Schema", "concepts in this scheme"),
    SKOS + "hasTopConcept": ("Oberster Begriff in", "top concept of"),
    SKOS + "topConceptOf": ("Hat als obersten Begriff", "has top concept"),
    SKOS + "narrower": ("Unterbegriff von", "narrower than"),
    SKOS + "broader": ("Unterbegriffe", "narrower concepts"),
    SKOS + "related": ("Verwandt mit", "related to"),
    ORG + "unitOf": ("Hat Einheit", "has unit"),
    ORG + "hasUnit": ("Einheit von", "unit of"),
    ORG + "hasMember": ("Mitglied von", "member of"),
    ORG + "memberOf": ("Hat Mitglied", "has member"),
    ORG + "postIn": ("Hat Stelle", "has post"),
    ORG + "hasPost": ("Stelle in", "post in"),
    ORG + "heldBy": ("Hat inne", "holds"),
    ORG + "holds": ("Inhaber", "held by"),
    SG + "answers": ("Beantwortet durch", "answered by"),
    SG + "speaker": ("Aussagen dieses Sprechers", "statements by this speaker"),
    SG + "madeInMeeting": ("In dieser Sitzung gemacht", "made in this meeting"),
    SG + "recordsMeeting": ("Aufgezeichnet in", "recorded in"),
    SG + "involvedIn": ("Daran beteiligt", "involved in this"),
    SG + "target": ("Beteiligungen daran", "involvements in this"),
    SG + "regarding": ("Beteiligungen hierzu", "involvements regarding this"),
    SG + "assessedQuestion": ("Eingeschätzt in", "assessed in"),
    SG + "addressesChallenge": ("Angegangen durch", "addressed by"),
    SG + "municipalEnterpriseOf": ("Städtische Unternehmen", "municipal enterprises"),
    SG + "hasActionField": ("Handlungsfeld von", "action field of"),
    SG + "repliesTo": ("Antworten darauf", "replies to this"),
    SG + "referredTo": ("Hierher überwiesen", "referred here"),
    SG + "addressee": ("An diese Stelle gerichtet", "addressed to this"),
    SG + "reviewer": ("Von diesem Akteur geprüft", "reviewed by this agent"),
    SG + "linkSubject": ("Verknüpfungen dieser Ressource", "links of this resource"),
    SG + "targetRegistry": ("Verknüpfungen in dieses Register", "links into this registry"),
}
# fmt: on

LABEL_PREDICATES = (
    SKOS + "prefLabel",
    RDFS + "label",
    SCHEMA + "name",
    SCHEMA_HTTP + "name",
    FOAF + "name",
    DCTERMS + "title",
)
"""Predicates that name a resource, in order of preference: where a resource has labels in the
same language from several of them, the first predicate's label is the one shown."""
LABEL_RANK = {iri: rank for rank, iri in enumerate(LABEL_PREDICATES)}
"""Each naming predicate's place in LABEL_PREDICATES (0 is preferred)."""

DESCRIPTION_PREDICATES = (
    SKOS + "definition",
    DCTERMS + "description",
    RDFS + "comment",
    SCHEMA + "description",
)

LINK_PREDICATES = (
    OWL + "sameAs",
    SKOS + "exactMatch",
    SKOS + "closeMatch",
    SCHEMA + "sameAs",
    SCHEMA_HTTP + "sameAs",
)
"""Predicates that link a resource to the same (or nearly the same) thing elsewhere."""
IDENTITY_PREDICATES = frozenset(LINK_PREDICATES) - {SKOS + "closeMatch"}
"""Link predicates that say the target is the same thing (schema.org's `sameAs`)."""

START_PREDICATES = (
    PROV + "startedAtTime",
    SCHEMA + "startDate",
    "http://www.w3.org/ns/dcat#startDate",
)
END_PREDICATES = (PROV + "endedAtTime", SCHEMA + "endDate", "http://www.w3.org/ns/dcat#endDate")

IDENTIFIER_PREDICATES = (
    DCTERMS + "identifier",
    SKOS + "notation",
    SCHEMA + "identifier",
    ORG + "identifier",
)


@dataclass(frozen=True)
class Registry:
    """A public registry our resources link to, recognised by the namespace of its IRIs."""

    key: str
    name: str
    namespaces: tuple[str, ...]
    homepage: str
    name_en: str | None = None
    """The English name where it differs (a German registry's)."""
    vocabulary: bool = False
    """Its entries are concepts of a controlled vocabulary (a key), not the things named."""

    def label(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name

    def local_id(self, iri: str) -> str:
        for namespace in self.namespaces:
            if iri.startswith(namespace):
                return iri[len(namespace) :].strip("/")
        return iri


REGISTRIES = (
    Registry(
        "wikidata",
        "Wikidata",
        (
            "http://www.wikidata.org/entity/",
            "https://www.wikidata.org/entity/",
            "https://www.wikidata.org/wiki/",
        ),
        "https://www.wikidata.org/",
    ),
    Registry(
        "geonames",
        "GeoNames",
        (
            "https://sws.geonames.org/",
            "http://sws.geonames.org/",
            "https://www.geonames.org/",
            "http://www.geonames.org/",
        ),
        "https://www.geonames.org/",
    ),
    Registry(
        "gnd", "GND", ("https://d-nb.info/gnd/", "http://d-nb.info/gnd/"), "https://www.dnb.de/gnd"
    ),
    Registry(
        "dbpedia",
        "DBpedia",
        (
            "http://dbpedia.org/resource/",
            "https://dbpedia.org/resource/",
            "http://de.dbpedia.org/resource/",
            "https://de.dbpedia.org/resource/",
        ),
        "https://www.dbpedia.org/",
    ),
    Registry(
        "ags",
        "Amtlicher Gemeindeschlüssel (AGS)",
        ("http://dcat-ap.de/def/politicalGeocoding/municipalityKey/",),
        "https://www.dcat-ap.de/",
        "Official municipality key (AGS)",
        vocabulary=True,
    ),
)


def registry_for(iri: str) -> Registry | None:
    """Return the registry an IRI belongs to, if it is one we know."""
    for registry in REGISTRIES:
        if any(iri.startswith(namespace) for namespace in registry.namespaces):
            return registry
    return None


def namespace_of(iri: str) -> str:
    """Return the namespace of an IRI: everything up to the last '#' or '/'."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1] if cut >= 0 else iri


def local_name(iri: str) -> str:
    """Return the part of an IRI after its namespace."""
    return iri[len(namespace_of(iri)) :] or iri


def humanize(iri: str) -> str:
    """Make a readable name from an IRI's local name: `memberOf` → `member of`, `KVV` stays."""
    name = local_name(iri)
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z][a-z])", " ", name).replace("_", " ").replace("-", " ")
    parts = words.split(" ")
    return " ".join(
        [parts[0][:1].lower() + parts[0][1:] if parts[0][1:2].islower() else parts[0]]
        + [p.lower() if p[1:].islower() else p for p in parts[1:]]
    )


def in_language(pair: tuple[str, str], language: str) -> str:
    """Take the German or the English of a (German, English) pair of our own names."""
    return pair[0] if language == "de" else pair[1]


def standard_label(iri: str, language: str) -> str | None:
    """Return our own German or English name for a standard term, if we have one."""
    key = iri.replace(SCHEMA_HTTP, SCHEMA) if iri.startswith(SCHEMA_HTTP) else iri
    pair = STANDARD_LABELS.get(key)
    if pair is None:
        return None
    return in_language(pair, language)


def inverse_label(iri: str, forward: str, language: str) -> str:
    """Name a property as read from its object's side (see INVERSE_LABELS); a property without
    such a name is quoted by its forward name: „Hat Teil“ von / "has part" of."""
    key = iri.replace(SCHEMA_HTTP, SCHEMA) if iri.startswith(SCHEMA_HTTP) else iri
    pair = INVERSE_LABELS.get(key)
    if pair is not None:
        return in_language(pair, language)
    return f"„{forward}“ von" if language == "de" else f"“{forward}” of"


# Set phrases of the sources that a reader of another language needs glossed, e.g. the
# caveat the meeting notes carry.
GLOSSES: dict[tuple[str, str], str] = {("ohne Gewähr", "en"): "no guarantee"}


def gloss(text: object, language: str) -> str | None:
    """Gloss a set phrase of the sources for a reader of `language`, where one is known and the
    phrase is in another language."""
    found_language = getattr(text, "language", None)
    if text is None or found_language == language:
        return None
    return GLOSSES.get((str(text), language))


MONTHS_DE = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?:T[0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")


def long_date(value: str | None, language: str) -> str:
    """Write an ISO date (or the date of a date-time) as `6. März 2019` or `6 March 2019`;
    anything else unchanged."""
    if not value:
        return ""
    if not _ISO_DAY.fullmatch(value):
        return value
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return value
    if language == "de":
        return f"{day.day}. {MONTHS_DE[day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
SELF_EVIDENT_DATATYPES = frozenset(
    "http://www.w3.org/2001/XMLSchema#" + name
    for name in (
        "boolean", "date", "dateTime", "gYear", "gYearMonth", "integer", "nonNegativeInteger",
        "positiveInteger", "decimal", "double", "string",
    )
)  # fmt: skip
"""Datatypes a reader needs no tag for: the value reads as what it is (the data keeps them)."""
_BOOLEAN_WORDS = {
    "true": ("ja", "yes"),
    "1": ("ja", "yes"),
    "false": ("nein", "no"),
    "0": ("nein", "no"),
}


def readable_value(value: str, datatype: str | None, language: str) -> str:
    """Write a literal's value for readers: a boolean as ja/nein or yes/no, a date as
    6. März 2019 or 6 March 2019, anything else as it is (the data and downloads keep theirs)."""
    if datatype == XSD_BOOLEAN and value in _BOOLEAN_WORDS:
        return in_language(_BOOLEAN_WORDS[value], language)
    if datatype == XSD_DATE:
        return long_date(value, language)
    return value


def prefixed(iri: str) -> str:
    """Write an IRI as prefix:local when a well-known prefix covers it."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and re.fullmatch(r"[A-Za-z_][\w.-]*", iri[len(namespace) :]):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri
