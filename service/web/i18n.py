"""The UI in German and English: one table of strings, the language of each request, labels.

The language comes from `?lang=` (remembered in a cookie), then the cookie, then the
browser's `Accept-Language`, then the DEFAULT_LANGUAGE setting.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, current_app, g, request
from rdflib.term import Literal

LANGUAGES = ("de", "en")
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}

# fmt: off
STRINGS: dict[str, dict[str, str]] = {
    # layout
    "site.tagline": {
        "de": "Wer ist an was beteiligt? Die Digitalstrategie der Stadt als Wissensgraph",
        "en": "Who is involved in what? The city's digital strategy as a knowledge graph"},
    "layout.skip": {"de": "Zum Inhalt springen", "en": "Skip to content"},
    "layout.nav": {"de": "Hauptnavigation", "en": "Main navigation"},
    "layout.language": {"de": "Sprache", "en": "Language"},
    "layout.footer": {"de": "Fußzeile", "en": "Footer"},
    "nav.start": {"de": "Start", "en": "Home"},
    "nav.explorer": {"de": "Explorer", "en": "Explorer"},
    "nav.sparql": {"de": "SPARQL", "en": "SPARQL"},
    "nav.inquiry": {"de": "Anfrage", "en": "Inquiry"},
    "nav.data": {"de": "Daten", "en": "Data"},
    "footer.data_licence": {"de": "Daten", "en": "Data"},
    "footer.code_licence": {"de": "Programmcode: MIT-Lizenz", "en": "Code: MIT licence"},
    "footer.source_code": {"de": "Quellcode", "en": "Source code"},
    "footer.publisher": {"de": "Herausgeber", "en": "Publisher"},
    "footer.ontology": {"de": "Ontologie", "en": "Ontology"},
    "footer.catalog": {"de": "DCAT-Katalog", "en": "DCAT catalogue"},
    "footer.void": {"de": "VoID-Beschreibung", "en": "VoID description"},
    "footer.downloads": {"de": "Downloads", "en": "Downloads"},
    # errors
    "error.back": {"de": "Zur Startseite", "en": "Back to the home page"},
    "error.details": {"de": "Einzelheiten", "en": "Details"},
    "error.not_found": {"de": "Zu dieser Adresse gibt es keine Daten.",
                        "en": "There is no data for this address."},
    # entity page
    "entity.iri": {"de": "IRI", "en": "IRI"},
    "entity.types": {"de": "Typen", "en": "Types"},
    "entity.no_label": {"de": "ohne Bezeichnung", "en": "without label"},
    "entity.other_language": {"de": "Auf Englisch", "en": "In German"},
    "entity.identifiers": {"de": "Kennungen und externe Verweise",
                           "en": "Identifiers and external links"},
    "entity.registry": {"de": "Verzeichnis", "en": "Registry"},
    "entity.identifier": {"de": "Kennung", "en": "Identifier"},
    "entity.relation": {"de": "Beziehung", "en": "Relation"},
    "entity.properties": {"de": "Eigenschaften", "en": "Properties"},
    "entity.involvement": {"de": "Beteiligungen", "en": "Involvement"},
    "entity.involvement_none": {"de": "Keine Beteiligungen erfasst.",
                                "en": "No involvement recorded."},
    "entity.who": {"de": "Wer", "en": "Who"},
    "entity.in_what": {"de": "Woran", "en": "In what"},
    "entity.role": {"de": "Rolle", "en": "Role"},
    "entity.period": {"de": "Zeitraum", "en": "Period"},
    "entity.source": {"de": "Quelle", "en": "Source"},
    "entity.statements": {"de": "Aussagen, die dies erwähnen",
                          "en": "Statements that mention this"},
    "entity.relation_derived": {"de": "Quelle dieser Angaben", "en": "source of this description"},
    "entity.relation_involvement": {"de": "Quelle einer Beteiligung",
                                    "en": "source of an involvement"},
    "entity.speaker": {"de": "Sprecher/in", "en": "Speaker"},
    "entity.meeting": {"de": "Sitzung", "en": "Meeting"},
    "entity.question": {"de": "Frage", "en": "Question"},
    "entity.incoming": {"de": "Verweise auf diese Ressource", "en": "Links to this resource"},
    "entity.incoming_none": {"de": "Keine Verweise.", "en": "No links."},
    "entity.count": {"de": "Anzahl", "en": "count"},
    "entity.more": {"de": "Weitere", "en": "More"},
    "entity.previous": {"de": "Vorherige", "en": "Previous"},
    "entity.next": {"de": "Nächste", "en": "Next"},
    "entity.showing": {"de": "{first}–{last} von {total}", "en": "{first}–{last} of {total}"},
    "entity.pager": {"de": "Seiten der Verweise", "en": "Pages of links"},
    "entity.download": {"de": "Daten dieser Ressource", "en": "Data of this resource"},
    "entity.sparql": {"de": "SPARQL hinter dieser Seite", "en": "The SPARQL behind this page"},
    "entity.open_explorer": {"de": "Im Explorer öffnen", "en": "Open in the explorer"},
    "entity.graph": {"de": "Graph", "en": "Graph"},
    "entity.blank": {"de": "(anonymer Knoten)", "en": "(anonymous node)"},
    # ontology
    "ontology.title": {"de": "Ontologie", "en": "Ontology"},
    "ontology.classes": {"de": "Klassen", "en": "Classes"},
    "ontology.properties": {"de": "Eigenschaften", "en": "Properties"},
    "ontology.contents": {"de": "Inhalt", "en": "Contents"},
    "ontology.definition": {"de": "Definition", "en": "Definition"},
    "ontology.subclass_of": {"de": "Unterklasse von", "en": "Subclass of"},
    "ontology.subproperty_of": {"de": "Untereigenschaft von", "en": "Subproperty of"},
    "ontology.domain": {"de": "Definitionsbereich (Domain)", "en": "Domain"},
    "ontology.range": {"de": "Wertebereich (Range)", "en": "Range"},
    "ontology.instances": {"de": "Instanzen", "en": "Instances"},
    "ontology.usage": {"de": "Verwendungen", "en": "Uses"},
    "ontology.kind": {"de": "Art", "en": "Kind"},
    "ontology.download": {"de": "Ontologie herunterladen", "en": "Download the ontology"},
    "ontology.schemes": {"de": "Kontrollierte Vokabulare", "en": "Controlled vocabularies"},
    "ontology.version": {"de": "Version", "en": "Version"},
    # publication
    "data.title": {"de": "Daten und Downloads", "en": "Data and downloads"},
    "data.intro": {"de": "Der ganze Datenbestand zum Herunterladen, seine Beschreibungen und "
                         "vorbereitete Abfragen.",
                   "en": "The whole dataset to download, its descriptions and prepared queries."},
    "data.dumps": {"de": "Gesamtabzüge", "en": "Full dumps"},
    "data.format": {"de": "Format", "en": "Format"},
    "data.file": {"de": "Datei", "en": "File"},
    "data.size": {"de": "Größe (Bytes)", "en": "Size (bytes)"},
    "data.triples": {"de": "Tripel bzw. Quads", "en": "Triples or quads"},
    "data.sha256": {"de": "SHA-256", "en": "SHA-256"},
    "data.descriptions": {"de": "Beschreibungen des Datenbestands",
                          "en": "Descriptions of the dataset"},
    "data.void": {"de": "VoID-Beschreibung (Turtle, JSON-LD)",
                  "en": "VoID description (Turtle, JSON-LD)"},
    "data.catalog": {"de": "DCAT-AP.de-Katalogeintrag", "en": "DCAT-AP.de catalogue record"},
    "data.sparql": {"de": "SPARQL-Endpunkt", "en": "SPARQL endpoint"},
    "data.licence": {"de": "Lizenz", "en": "Licence"},
    "data.queries": {"de": "Vorbereitete Abfragen", "en": "Prepared queries"},
    "catalog.title": {"de": "Katalogeintrag (DCAT-AP.de)", "en": "Catalogue record (DCAT-AP.de)"},
    "catalog.dataset": {"de": "Datensatz", "en": "Dataset"},
    "catalog.distributions": {"de": "Distributionen", "en": "Distributions"},
    "catalog.publisher": {"de": "Herausgeber", "en": "Publisher"},
    "catalog.contact": {"de": "Kontakt", "en": "Contact"},
    "catalog.theme": {"de": "Kategorie", "en": "Theme"},
    "catalog.spatial": {"de": "Räumlicher Bezug (AGS)", "en": "Spatial coverage (AGS)"},
    "catalog.theme_gove": {"de": "Regierung und öffentlicher Sektor",
                           "en": "Government and public sector"},
    "catalog.modified": {"de": "Stand", "en": "Modified"},
    "catalog.as_rdf": {"de": "Als RDF", "en": "As RDF"},
    # named queries
    "queries.title": {"de": "Vorbereitete Abfragen", "en": "Prepared queries"},
    "queries.intro": {"de": "Fragen an den Graphen, ohne selbst SPARQL zu schreiben. Jede Abfrage "
                            "gibt es als Tabelle, JSON und CSV.",
                      "en": "Questions to the graph without writing SPARQL yourself. Each query is "
                            "available as a table, JSON and CSV."},
    "queries.none": {"de": "Es sind keine Abfragen hinterlegt.", "en": "No queries are stored."},
    "queries.parameters": {"de": "Parameter", "en": "Parameters"},
    "queries.optional": {"de": "optional", "en": "optional"},
    "queries.run": {"de": "Abfrage ausführen", "en": "Run the query"},
    "queries.results": {"de": "Ergebnisse", "en": "Results"},
    "queries.rows": {"de": "{count} Zeilen", "en": "{count} rows"},
    "queries.shown": {"de": "Die Tabelle zeigt die ersten {shown} Zeilen; die Downloads "
                            "enthalten alle.",
                      "en": "The table shows the first {shown} rows; the downloads hold all."},
    "queries.no_rows": {"de": "Keine Ergebnisse.", "en": "No results."},
    "queries.sparql": {"de": "Der SPARQL-Text", "en": "The SPARQL text"},
    "queries.download": {"de": "Ergebnisse herunterladen", "en": "Download the results"},
    "queries.all": {"de": "Alle Abfragen", "en": "All queries"},
}
# fmt: on


def text(key: str, language: str, **values: Any) -> str:
    """Return the UI string `key` in `language`, with `{name}` fields filled from `values`."""
    entry = STRINGS[key]
    template = entry.get(language) or entry["de"]
    return template.format(**values) if values else template


def choose_language(
    asked: str | None, cookie: str | None, accept: Any, default: str
) -> tuple[str, bool]:
    """Pick the page language; say whether it was asked for explicitly (to remember it)."""
    if asked in LANGUAGES:
        return asked, True
    if cookie in LANGUAGES:
        return cookie, False
    if accept is not None:
        best = accept.best_match(LANGUAGES)
        if best:
            return str(best), False
    return default, False


def pick_literal(values: Iterable[Any], language: str, default: str = "de") -> Literal | None:
    """Pick the literal in `language`, else the default language, else untagged, else any."""
    literals = [v for v in values if isinstance(v, Literal)]
    if not literals:
        return None
    for wanted in (language, default):
        for literal in literals:
            if literal.language and literal.language.lower().split("-")[0] == wanted:
                return literal
    for literal in literals:
        if not literal.language:
            return literal
    return sorted(literals, key=lambda lit: (lit.language or "", str(lit)))[0]


def current_language() -> str:
    """Return the language of the current request (the default outside a request)."""
    language = g.get("language")
    return str(language) if language else str(current_app.config.get("DEFAULT_LANGUAGE", "de"))


def switch_url(language: str) -> str:
    """Return the current URL with `lang` set to `language`, other query values kept."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    args.append(("lang", language))
    return f"{request.script_root}{request.path}?{urlencode(args)}"


def init_app(app: Flask) -> None:
    """Choose the language per request, remember an explicit choice, expose `t` to templates."""

    @app.before_request
    def select_language() -> None:
        language, explicit = choose_language(
            request.args.get("lang"),
            request.cookies.get(COOKIE),
            request.accept_languages if "Accept-Language" in request.headers else None,
            app.config.get("DEFAULT_LANGUAGE", "de"),
        )
        g.language = language
        g.remember_language = explicit

    @app.after_request
    def remember_language(response: Response) -> Response:
        if g.get("remember_language"):
            response.set_cookie(
                COOKIE,
                g.language,
                max_age=COOKIE_MAX_AGE,
                samesite="Lax",
                httponly=True,
                secure=request.is_secure,
            )
        if response.mimetype == "text/html":
            response.vary.update(("Accept-Language", "Cookie"))
        return response

    def t(key: str, **values: Any) -> str:
        return text(key, current_language(), **values)

    def label(values: Iterable[Any]) -> Literal | None:
        return pick_literal(values, current_language(), app.config.get("DEFAULT_LANGUAGE", "de"))

    app.jinja_env.globals.update(
        t=t,
        label=label,
        current_language=current_language,
        switch_url=switch_url,
        languages=LANGUAGES,
        language_names=LANGUAGE_NAMES,
    )
