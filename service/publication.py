"""What the dataset descriptions (VoID, DCAT-AP.de) say about the publication: where it lives,
who publishes it, under which licence, and its dumps. Built by the web layer per request."""

from __future__ import annotations

from dataclasses import dataclass

from .dumps import Dump


@dataclass(frozen=True)
class Publication:
    base_iri: str
    """Canonical base of our IRIs (w3id.org)."""
    home_url: str
    """This service's own home page, absolute (right behind a proxy)."""
    sparql_url: str
    void_url: str
    catalog_url: str
    dump_urls: dict[str, str]
    """Download URL of each dump, by its file suffix."""
    dumps: list[Dump]
    publisher_name: str
    publisher_url: str | None
    contact_name: str
    contact_email: str | None
    contact_url: str | None
    licence: str
    attribution: str | None
    issued: str | None
    municipality_key: str | None

    @property
    def catalog_iri(self) -> str:
        return self.base_iri + "catalog"

    @property
    def dataset_iri(self) -> str:
        return self.base_iri + "dataset"

    @property
    def uri_space(self) -> str:
        return self.base_iri + "id/"

    @property
    def modified(self) -> str | None:
        """When the current state of the data was first published as dumps."""
        return min((d.created for d in self.dumps), default=None)

    def part(self, name: str) -> str:
        """An IRI for a part of the dataset description (a distribution, a linkset)."""
        return f"{self.dataset_iri}#{name}"


TITLE = {
    "de": "Stadtgraph: Wer ist an der Digitalstrategie der Stadt beteiligt?",
    "en": "Stadtgraph: who is involved in the city's digital strategy?",
}
DESCRIPTION = {
    "de": "Wissensgraph der Akteure, Gremien und Unternehmen einer Stadt, der Gemeinden in ihrem "
    "Umland und ihrer Beteiligung an der Digitalstrategie, mit Aussagen und Quellen, als "
    "Linked Open Data (RDF).",
    "en": "A knowledge graph of a city's actors, bodies and enterprises, the municipalities "
    "around it and their involvement in its digital strategy, with statements and sources, "
    "as Linked Open Data (RDF).",
}
CATALOG_TITLE = {"de": "Stadtgraph-Datenkatalog", "en": "Stadtgraph data catalogue"}
CATALOG_DESCRIPTION = {
    "de": "Die Datensätze, die der Dienst Stadtgraph veröffentlicht.",
    "en": "The datasets published by the Stadtgraph service.",
}
KEYWORDS = {
    "de": ("Digitalisierung", "Digitalstrategie", "Beteiligung", "Linked Open Data"),
    "en": ("digitalisation", "digital strategy", "involvement", "Linked Open Data"),
}
