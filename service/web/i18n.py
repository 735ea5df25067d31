"""The UI in German and English: one table of strings, the language of each request, labels.

The language comes from `?lang=` (remembered in a cookie), then the cookie, then the
browser's `Accept-Language`, then the DEFAULT_LANGUAGE setting.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, current_app, g, has_request_context, request
from rdflib.term import Literal

from ..labels import pick

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
    "error.status.400": {"de": "Ungültige Anfrage", "en": "Bad Request"},
    "error.status.401": {"de": "Anmeldung nötig", "en": "Unauthorized"},
    "error.status.403": {"de": "Nicht erlaubt", "en": "Forbidden"},
    "error.status.404": {"de": "Nicht gefunden", "en": "Not Found"},
    "error.status.405": {"de": "Methode nicht erlaubt", "en": "Method Not Allowed"},
    "error.status.406": {"de": "Format nicht verfügbar", "en": "Not Acceptable"},
    "error.status.413": {"de": "Anfrage zu groß", "en": "Content Too Large"},
    "error.status.415": {"de": "Datenformat nicht unterstützt", "en": "Unsupported Media Type"},
    "error.status.422": {"de": "Daten abgelehnt", "en": "Unprocessable Content"},
    "error.status.429": {"de": "Zu viele Anfragen", "en": "Too Many Requests"},
    "error.status.500": {"de": "Interner Fehler", "en": "Internal Server Error"},
    "error.status.503": {"de": "Dienst nicht verfügbar", "en": "Service Unavailable"},
    "error.http.404": {"de": "Diese Seite gibt es nicht. Bitte prüfen Sie die Adresse.",
                       "en": "There is no such page. Please check the address."},
    "error.http.405": {"de": "Diese Adresse nimmt diese Art von Anfrage nicht an.",
                       "en": "This address does not take this kind of request."},
    "error.store_unavailable": {"de": "Der Datenspeicher antwortet gerade nicht. Bitte versuchen "
                                      "Sie es in einigen Sekunden noch einmal.",
                                "en": "The store is not answering right now. Please try again in "
                                      "a few seconds."},
    "error.internal": {"de": "Ein interner Fehler ist aufgetreten; er wurde protokolliert.",
                       "en": "An internal error occurred; it has been logged."},
    "error.iri_missing": {"de": "Der Parameter iri fehlt.",
                          "en": "The parameter iri is missing."},
    "error.page_number": {
        "de": "Der Parameter page muss eine ganze Zahl ab 1 sein, nicht {value}.",
        "en": "The parameter page must be a whole number from 1, not {value}."},
    "error.no_such_tracker_page": {"de": "Der Anfrage-Tracker hat keine Seite {number}.",
                                   "en": "The inquiry tracker has no page {number}."},
    "error.no_such_query": {"de": "Es gibt keine Abfrage namens {name}.",
                            "en": "There is no query named {name}."},
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
    "entity.statements": {"de": "Aussagen, die dies nennen oder belegen",
                          "en": "Statements that name or support this"},
    "entity.relation_as": {"de": "{label}: diese Ressource", "en": "{label}: this resource"},
    "entity.relation_derived": {"de": "Quelle dieser Angaben", "en": "source of this description"},
    "entity.relation_involvement": {"de": "Quelle einer Beteiligung",
                                    "en": "source of an involvement"},
    "entity.speaker": {"de": "Sprecher/in", "en": "Speaker"},
    "entity.meeting": {"de": "Sitzung", "en": "Meeting"},
    "entity.question": {"de": "Frage", "en": "Question"},
    "entity.questions": {"de": "Fragen", "en": "Questions"},
    "entity.also_question": {"de": "Auch Frage", "en": "Also question"},
    "entity.also_questions": {"de": "Auch Fragen", "en": "Also questions"},
    "entity.speaker_from_context": {
        "de": "Sprecher/in aus dem Zusammenhang, der Satz nennt niemanden",
        "en": "speaker from the context; the sentence names no one",
    },
    "entity.sources": {"de": "Quellen", "en": "Sources"},
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
    "entity.query.outgoing": {"de": "Die eigenen Aussagen der Ressource",
                              "en": "The resource's own triples"},
    "entity.query.labels": {"de": "Bezeichnungen von allem, was die Seite nennt",
                            "en": "Labels of everything the page names"},
    "entity.query.types": {"de": "Klassen mit Oberklassen", "en": "Classes and their superclasses"},
    "entity.query.identifier_properties": {"de": "Eigenschaften, die Kennungen sind",
                                           "en": "Properties that are identifiers"},
    "entity.query.incoming": {"de": "Verweise auf die Ressource",
                              "en": "Links to the resource"},
    "entity.query.involvement": {"de": "Beteiligungen", "en": "Involvements"},
    "entity.query.statement_relations": {"de": "Aussagen, die die Ressource betreffen",
                                         "en": "Statements that bear on the resource"},
    "entity.query.statement_parts": {"de": "Teile dieser Aussagen",
                                     "en": "The parts of those statements"},
    "entity.graph": {"de": "Graph", "en": "Graph"},
    "entity.blank": {"de": "(anonymer Knoten)", "en": "(anonymous node)"},
    # ontology
    "ontology.title": {"de": "Ontologie", "en": "Ontology"},
    "ontology.classes": {"de": "Klassen", "en": "Classes"},
    "ontology.properties": {"de": "Eigenschaften", "en": "Properties"},
    "ontology.class": {"de": "Klasse", "en": "class"},
    "ontology.property": {"de": "Eigenschaft", "en": "property"},
    "ontology.scheme": {"de": "Vokabular", "en": "vocabulary"},
    "ontology.contents": {"de": "Inhalt", "en": "Contents"},
    "ontology.definition": {"de": "Definition", "en": "Definition"},
    "ontology.subclass_of": {"de": "Unterklasse von", "en": "Subclass of"},
    "ontology.subproperty_of": {"de": "Untereigenschaft von", "en": "Subproperty of"},
    "ontology.domain": {"de": "Definitionsbereich (Domain)", "en": "Domain"},
    "ontology.range": {"de": "Wertebereich (Range)", "en": "Range"},
    "ontology.instances": {"de": "Instanzen", "en": "Instances"},
    "ontology.direct": {"de": "davon {count} unmittelbar, die übrigen über Unterklassen",
                        "en": "{count} directly, the others through subclasses"},
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
    "error.not_acceptable.solutions": {
        "de": "Das Ergebnis einer SELECT- oder ASK-Abfrage gibt es in keinem der verlangten "
              "Formate ({asked}). Angeboten: {offered}.",
        "en": "Cannot answer a SELECT or ASK result in any of the requested media types "
              "({asked}). Offered: {offered}."},
    "error.not_acceptable.graph": {
        "de": "Das Ergebnis einer CONSTRUCT- oder DESCRIBE-Abfrage gibt es in keinem der "
              "verlangten Formate ({asked}). Angeboten: {offered}.",
        "en": "Cannot answer a graph (CONSTRUCT or DESCRIBE) result in any of the requested "
              "media types ({asked}). Offered: {offered}."},
    "error.sparql_syntax": {"de": "Die SPARQL-Abfrage hat einen Syntaxfehler in Zeile {line}, "
                                  "Spalte {column}: {reason}",
                            "en": "SPARQL syntax error at line {line}, column {column}: "
                                  "{reason}"},
    "error.parameter.unknown": {"de": "Die Abfrage „{query}“ hat keinen Parameter „{parameter}“.",
                                "en": "The query “{query}” has no parameter “{parameter}”."},
    "error.parameter.missing": {"de": "Die Abfrage „{query}“ braucht einen Wert für den Parameter "
                                      "„{parameter}“.",
                                "en": "The query “{query}” needs a value for the parameter "
                                      "“{parameter}”."},
    "error.parameter.iri": {"de": "Der Parameter „{parameter}“ muss eine IRI sein, nicht "
                                  "„{value}“.",
                            "en": "The parameter “{parameter}” must be an IRI, not “{value}”."},
    "error.parameter.integer": {"de": "Der Parameter „{parameter}“ muss eine ganze Zahl sein.",
                                "en": "The parameter “{parameter}” must be an integer."},
    "error.parameter.date": {"de": "Der Parameter „{parameter}“ muss ein Datum sein "
                                   "(JJJJ-MM-TT).",
                             "en": "The parameter “{parameter}” must be a date (YYYY-MM-DD)."},
    "quote_open": {"de": "„", "en": "“"},
    "quote_close": {"de": "“", "en": "”"},
    "data.queries": {"de": "Vorbereitete Abfragen", "en": "Prepared queries"},
    "catalog.title": {"de": "Katalogeintrag (DCAT-AP.de)", "en": "Catalogue record (DCAT-AP.de)"},
    "catalog.dataset": {"de": "Datensatz", "en": "Dataset"},
    "catalog.dataset_title": {"de": "Titel", "en": "Title"},
    "catalog.description": {"de": "Beschreibung", "en": "Description"},
    "catalog.keywords": {"de": "Schlagwörter", "en": "Keywords"},
    "void.title": {"de": "VoID-Beschreibung des Datenbestands",
                   "en": "VoID description of the dataset"},
    "void.intro": {"de": "Was Register und Werkzeuge, die Datensätze verzeichnen, über diesen "
                         "Datenbestand lesen (Vocabulary of Interlinked Datasets). Dieselbe "
                         "Beschreibung als RDF",
                   "en": "What registries and tools that list datasets read about this one "
                         "(Vocabulary of Interlinked Datasets). The same description as RDF"},
    "void.triples": {"de": "Tripel", "en": "Triples"},
    "void.entities": {"de": "Ressourcen im URI-Raum", "en": "Resources in the URI space"},
    "void.subjects": {"de": "Verschiedene Subjekte", "en": "Distinct subjects"},
    "void.uri_space": {"de": "URI-Raum", "en": "URI space"},
    "void.vocabularies": {"de": "Verwendete Vokabulare", "en": "Vocabularies used"},
    "void.linksets": {"de": "Verknüpfungen mit anderen Datenbeständen",
                      "en": "Links to other datasets"},
    "void.registry": {"de": "Register", "en": "Registry"},
    "void.predicate": {"de": "Prädikat", "en": "Predicate"},
    "void.links": {"de": "Verknüpfungen", "en": "Links"},
    "void.classes": {"de": "Klassen", "en": "Classes"},
    "void.class": {"de": "Klasse", "en": "Class"},
    "void.instances": {"de": "Instanzen (unmittelbar)", "en": "Instances (direct)"},
    "void.properties": {"de": "Eigenschaften", "en": "Properties"},
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
    "queries.row": {"de": "1 Zeile", "en": "1 row"},
    "queries.needs": {"de": "Braucht einen Wert für: {names} (auf der Seite der Abfrage "
                            "einzugeben; dann auch als JSON und CSV)",
                      "en": "Needs a value for: {names} (entered on the query's page; then also "
                            "as JSON and CSV)"},

    "queries.shown": {"de": "Die Tabelle zeigt die ersten {shown} Zeilen; die Downloads "
                            "enthalten alle.",
                      "en": "The table shows the first {shown} rows; the downloads hold all."},
    "queries.no_rows": {"de": "Keine Ergebnisse.", "en": "No results."},
    "queries.sparql": {"de": "Der SPARQL-Text", "en": "The SPARQL text"},
    "queries.download": {"de": "Ergebnisse herunterladen", "en": "Download the results"},
    "queries.all": {"de": "Alle Abfragen", "en": "All queries"},
    # home page
    "home.title": {"de": "Start", "en": "Home"},
    "home.heading": {"de": "Wer ist an was beteiligt?", "en": "Who is involved in what?"},
    "home.lead": {"de": "Stadtgraph zeigt die Digitalstrategie einer Stadt als Wissensgraph: wer "
                        "beteiligt ist, woran, in welcher Rolle und nach welcher Quelle. Zuerst "
                        "für Kassel.",
                  "en": "Stadtgraph shows a city's digital strategy as a knowledge graph: who is "
                        "involved, in what, in which role and according to which source. Kassel "
                        "comes first."},
    "home.about": {"de": "Grundlage sind die Anfrage „Digitalisierungsstrategie der Stadt Kassel“, "
                         "die Notizen der Ausschusssitzung vom 6. März 2019 (ohne Gewähr) und "
                         "amtliche Verzeichnisse. Jede Angabe nennt ihre Quelle; was die Quelle "
                         "offenlässt, bleibt offen.",
                   "en": "It is built from the inquiry \"Digitalisierungsstrategie der Stadt "
                         "Kassel\", the notes of the committee session of 6 March 2019 (no "
                         "guarantee) and official registers. Every fact names its source; what "
                         "the source leaves open stays open."},
    "home.search": {"de": "Suchen", "en": "Search"},
    "home.search_label": {"de": "Akteure, Themen und Dokumente suchen (deutsche und englische "
                                "Namen)",
                          "en": "Search actors, topics and documents (German and English names)"},
    "home.search_placeholder": {"de": "z. B. KVV, Smart City, Magistrat",
                                "en": "e.g. KVV, smart city, Magistrat"},
    "home.search_button": {"de": "Suchen", "en": "Search"},
    "home.search_hint": {"de": "Vorschläge erscheinen beim Tippen; Pfeiltasten wählen aus, "
                               "Eingabe öffnet, Escape schließt.",
                         "en": "Suggestions appear as you type; arrow keys choose, Enter opens, "
                               "Escape closes."},
    "home.search_options": {"de": "Vorschläge", "en": "Suggestions"},
    # the search fields with suggestions (combobox.js): what their status says
    "combobox.results": {"de": "{count} Treffer", "en": "{count} matches"},
    "combobox.result_one": {"de": "1 Treffer", "en": "1 match"},
    "combobox.none": {"de": "Keine Treffer.", "en": "No matches."},
    "combobox.error": {"de": "Die Suche antwortet gerade nicht.",
                       "en": "The search is not answering right now."},
    "home.tiles": {"de": "Der Graph in Zahlen", "en": "The graph in numbers"},
    "home.tile.actors": {"de": "Akteure", "en": "Actors"},
    "home.tile.units": {"de": "Gremien und Verwaltung", "en": "Bodies and adminis\u00adtration"},
    "home.tile.enterprises": {"de": "Städtische Unternehmen", "en": "Municipal enterprises"},
    "home.tile.municipalities": {"de": "Gemeinden im Umland", "en": "Surrounding municipalities"},
    "home.tile.action_fields": {"de": "Handlungs\u00adfelder", "en": "Action fields"},
    "home.tile.topics": {"de": "Themen", "en": "Topics"},
    "home.tile.documents": {"de": "Dokumente", "en": "Documents"},
    "home.tile_note.units": {"de": "Einzelne Ämter nennt die Quelle nicht, nur „alle Ämter“.",
                             "en": "The source names no single department, only \"all "
                                   "departments\"."},
    "home.tile_note.municipalities": {"de": "Wie sie am Sitzungstag bestanden. Partner nennt "
                                            "die Quelle nur gesammelt („Kommunen aus dem "
                                            "Landkreis“).",
                                      "en": "As they stood on the day of the session. The "
                                            "source names partners only collectively "
                                            "(\"municipalities of the district\")."},
    "home.tile_group": {"de": "und eine Gruppe, die die Quelle nur gesammelt nennt",
                        "en": "and one group the source names only collectively"},
    "home.tile_groups": {"de": "und {count} Gruppen, die die Quelle nur gesammelt nennt",
                         "en": "and {count} groups the source names only collectively"},
    "home.fields": {"de": "Die Handlungsfelder und wer daran beteiligt ist",
                    "en": "The action fields and who is involved in them"},
    "home.fields_intro": {"de": "So, wie es die Quelle festhält: Beteiligungen an einem "
                                "Handlungsfeld selbst, dann an der Strategie, zu der es gehört.",
                          "en": "As the source records it: involvement in an action field "
                                "itself, then in the strategy it belongs to."},
    "home.part_of": {"de": "Teil von", "en": "Part of"},
    "home.field_none": {"de": "Die Quelle ordnet diesem Handlungsfeld keinen Akteur zu.",
                        "en": "The source assigns no actor to this action field."},
    "home.strategy_involved": {"de": "Beteiligt an der Strategie als Ganzer",
                               "en": "Involved in the strategy as a whole"},
    "home.strategy_none": {"de": "Die Quelle nennt keine Beteiligten.",
                           "en": "The source names no one involved."},
    "home.fields_query": {"de": "Die Abfrage zu den Handlungsfeldern im SPARQL-Editor",
                          "en": "The action fields' query in the SPARQL editor"},
    "home.involvements_table": {"de": "Alle Beteiligungen als Tabelle, auch als CSV und JSON",
                                "en": "All involvements as a table, also as CSV and JSON"},
    "home.fields_more": {"de": "Die ersten {shown} von {total} Handlungsfeldern. Alle als Liste",
                         "en": "The first {shown} of {total} action fields. All of them as a list"},
    "home.strategies_more": {"de": "Die ersten {shown} von {total} Strategien. Alle als Liste",
                             "en": "The first {shown} of {total} strategies. All of them as a "
                                   "list"},
    "home.inquiries_more": {"de": "{count} weitere Anfragen stehen im Anfrage-Tracker.",
                            "en": "{count} more inquiries are in the inquiry tracker."},
    "home.top_actors": {"de": "Die am meisten beteiligten Akteure",
                        "en": "The most involved actors"},
    "home.top_actors_intro": {"de": "Geordnet nach erfassten Beteiligungen, dann nach Aussagen, "
                                    "die sie sprechen oder zum Gegenstand haben.",
                              "en": "Ordered by recorded involvements, then by statements they "
                                    "make or are the subject of."},
    "home.top_actors_none": {"de": "Keine Beteiligungen erfasst.",
                             "en": "No involvement recorded."},
    "home.involvements": {"de": "{count} Beteiligungen", "en": "{count} involvements"},
    "home.involvements_one": {"de": "1 Beteiligung", "en": "1 involvement"},
    "home.statements": {"de": "{count} Aussagen", "en": "{count} statements"},
    "home.statements_one": {"de": "1 Aussage", "en": "1 statement"},
    "home.inquiry_intro": {"de": "Die {count} Fragen der Anfrage und ihr Antwortstand:",
                           "en": "The {count} questions of the inquiry and their answer status:"},
    "home.inquiry_link": {"de": "Alle Fragen mit den Antworten aus der Sitzung",
                          "en": "All questions with the answers from the session"},
    # inquiry tracker
    "inquiry.title": {"de": "Anfrage-Tracker", "en": "Inquiry tracker"},
    "inquiry.pager": {"de": "Seiten des Anfrage-Trackers", "en": "Pages of the inquiry tracker"},
    "inquiry.showing": {"de": "Anfragen {first}–{last} von {total}",
                        "en": "Inquiries {first}–{last} of {total}"},
    "inquiry.intro": {"de": "Die Fragen der Anfrage, die Antworten aus den Notizen der Sitzung "
                            "und der Antwortstand, wie ihn die Daten festhalten.",
                      "en": "The questions of the inquiry, the answers from the notes of the "
                            "session and the answer status as the data records it."},
    "inquiry.intro_many": {"de": "Die Fragen der {count} Anfragen, die Antworten aus den "
                                 "Notizen der Sitzungen und der Antwortstand, wie ihn die Daten "
                                 "festhalten.",
                           "en": "The questions of the {count} inquiries, the answers from the "
                                 "notes of the sessions and the answer status as the data records "
                                 "it."},
    "inquiry.caveat_note": {"de": "Die Notizen sind kein Wortprotokoll und stehen unter dem "
                                  "Vorbehalt „ohne Gewähr“.",
                            "en": "The notes are not a verbatim record and carry the caveat "
                                  "\"ohne Gewähr\" (no guarantee)."},
    "inquiry.none": {"de": "Es ist keine Anfrage erfasst.", "en": "No inquiry is recorded."},
    "inquiry.summary": {"de": "Stand der Antworten", "en": "State of the answers"},
    "inquiry.contents": {"de": "Die Fragen", "en": "The questions"},
    "inquiry.question": {"de": "Frage {number}", "en": "Question {number}"},
    "inquiry.rendering": {"de": "Wiedergabe", "en": "translation"},
    "inquiry.status": {"de": "Antwortstand", "en": "Answer status"},
    "inquiry.status_unknown": {"de": "ohne Einschätzung", "en": "not assessed"},
    "inquiry.assessment_note": {"de": "Einschätzung des Stadtgraph-Projekts: der Antwortstand am "
                                      "{date}; keine Aussage der Quelle.",
                                "en": "Assessment by the Stadtgraph project of the answer "
                                      "status on {date}; not a statement of the source."},
    "inquiry.assessment_note_undated": {"de": "Einschätzung des Stadtgraph-Projekts; keine "
                                              "Aussage der Quelle.",
                                        "en": "Assessment by the Stadtgraph project; not a "
                                              "statement of the source."},
    "inquiry.assessment_link": {"de": "Zur Einschätzung", "en": "The assessment"},
    "inquiry.answers": {"de": "Antworten in der Sitzung ({count})",
                        "en": "Answers in the session ({count})"},
    "inquiry.no_answers": {"de": "Die Notizen halten keine Antwort auf diese Frage fest.",
                           "en": "The notes record no answer to this question."},
    "inquiry.quote": {"de": "Wortlaut der Notizen", "en": "Wording of the notes"},
    "inquiry.paraphrase": {"de": "Sinngemäß", "en": "In other words"},
    "inquiry.reading": {"de": "Anmerkung des Stadtgraph-Projekts",
                        "en": "Note of the Stadtgraph project"},
    "inquiry.assignment_note": {"de": "Sitzungsnotizen ordnen ihre Sätze meist keiner Frage zu; "
                                      "die Zuordnung ist dann die Lesart des Stadtgraph-Projekts. "
                                      "Wo sie oder ein Bezug strittig ist, steht eine Anmerkung "
                                      "bei der Aussage.",
                                "en": "Meeting notes mostly do not assign their sentences to "
                                      "questions; the assignment is then the Stadtgraph project's "
                                      "reading. Where it or a reference is disputable, a note "
                                      "stands beside the statement."},
    "inquiry.speaker_from_context": {"de": "aus dem Zusammenhang", "en": "from the context"},
    "inquiry.query": {"de": "Die Abfrage zu dieser Frage im SPARQL-Editor",
                      "en": "The query for this question in the SPARQL editor"},
    # SPARQL editor
    "editor.title": {"de": "SPARQL-Editor", "en": "SPARQL editor"},
    "editor.intro": {"de": "Abfragen an den Stadtgraph (SPARQL 1.1, nur lesend). Eine Abfrage "
                           "darf {timeout} s laufen; höchstens {max_results} Ergebnisse werden "
                           "geliefert.",
                     "en": "Query the Stadtgraph (SPARQL 1.1, read-only). A query may run "
                           "{timeout} s; at most {max_results} results are returned."},
    "editor.completion": {"de": "Strg+Leertaste vervollständigt Präfixe, Klassen und "
                                "Eigenschaften aus den eigenen Daten; der Editor fragt keinen "
                                "anderen Dienst. Strg+Eingabe führt die Abfrage aus, Tab "
                                "verlässt den Editor, Strg+. rückt ein, Strg+, rückt aus.",
                          "en": "Ctrl+Space completes prefixes, classes and properties from our "
                                "own data; the editor asks no other service. Ctrl+Enter runs "
                                "the query, Tab leaves the editor, Ctrl+. indents, Ctrl+, "
                                "outdents."},
    "editor.examples": {"de": "Beispielabfragen", "en": "Example queries"},
    "editor.example_label": {"de": "Beispiel in den Editor laden", "en": "Load an example"},
    "editor.choose": {"de": "– Beispiel wählen –", "en": "– choose an example –"},
    "editor.query_label": {"de": "Abfrage", "en": "Query"},
    "editor.run": {"de": "Ausführen", "en": "Run"},
    "editor.format": {"de": "Format", "en": "Format"},
    "editor.share": {"de": "Link zu dieser Abfrage", "en": "Link to this query"},
    "editor.download_csv": {"de": "CSV herunterladen", "en": "Download CSV"},
    "editor.download_json": {"de": "JSON herunterladen", "en": "Download JSON"},
    "editor.truncated": {"de": "Das Ergebnis ist gekürzt: Der Endpunkt liefert höchstens "
                               "{limit} Zeilen. Schränken Sie die Abfrage ein (LIMIT, FILTER) "
                               "oder laden Sie einen Gesamtabzug herunter.",
                         "en": "The result is truncated: the endpoint returns at most {limit} "
                               "rows. Narrow the query (LIMIT, FILTER) or download a full "
                               "dump."},
    "editor.noscript": {"de": "Ohne JavaScript steht hier ein einfaches Formular; es schickt die "
                              "Abfrage an den Endpunkt.",
                        "en": "Without JavaScript this is a plain form that sends the query to "
                              "the endpoint."},
    "editor.chart": {"de": "Diagramm", "en": "Chart"},
    "editor.graph": {"de": "Graph", "en": "Graph"},
    "editor.chart_needs": {"de": "Für ein Diagramm braucht das Ergebnis eine Spalte mit Zahlen.",
                           "en": "A chart needs a column of numbers in the result."},
    "editor.graph_needs": {"de": "Der Graph zeigt die Ergebnisse von CONSTRUCT- und "
                                 "DESCRIBE-Abfragen.",
                           "en": "The graph shows the results of CONSTRUCT and DESCRIBE "
                                 "queries."},
    "editor.graph_capped": {"de": "Gezeigt werden die ersten {shown} von {total} Tripeln.",
                            "en": "Showing the first {shown} of {total} triples."},
    "editor.graph_summary": {"de": "{nodes} Knoten, {edges} Kanten. Die Tabelle zeigt dieselben "
                                   "Tripel.",
                             "en": "{nodes} nodes, {edges} edges. The table shows the same "
                                   "triples."},
    "editor.as_page": {"de": "Als Seite ohne SPARQL", "en": "As a page without SPARQL"},
    "editor.table": {"de": "Tabelle", "en": "Table"},
    "editor.response": {"de": "Antwort", "en": "Response"},
    # Yasr's and Yasqe's own controls, relabelled by static/sparql-editor.js
    "editor.yasr.run": {"de": "Abfrage ausführen", "en": "Run query"},
    "editor.yasr.complete": {"de": "Strg+Leertaste vervollständigt",
                             "en": "Ctrl+Space completes"},
    "editor.yasr.view": {"de": "Ansicht „{view}“ zeigen", "en": "Show the “{view}” view"},
    "editor.yasr.simple_view": {"de": "Einfache Ansicht", "en": "Simple view"},
    "editor.yasr.ellipsis": {"de": "Lange Werte kürzen", "en": "Shorten long values"},
    "editor.yasr.filter": {"de": "Ergebnisse filtern", "en": "Filter query results"},
    "editor.yasr.page_size": {"de": "Zeilen pro Seite:", "en": "Page size:"},
    "editor.yasr.page_size_name": {"de": "Zeilen pro Seite", "en": "Page size"},
    "editor.yasr.row_number": {"de": "Zeile", "en": "Row"},
    "editor.yasr.raw_response": {"de": "Antwort des Endpunkts als Text",
                                 "en": "The endpoint's response as text"},
    "editor.yasr.answer": {"de": "Antwort: {answer}", "en": "Answer: {answer}"},
    "editor.yasr.new_window": {"de": "(öffnet ein neues Fenster)", "en": "(opens a new window)"},
    "editor.yasqe.line_problem": {"de": "Zeile {line}: {text}", "en": "Line {line}: {text}"},
    "editor.result": {"de": "Ergebnis", "en": "Result"},
    "editor.yasr.fallback": {"de": "Die Ansicht „{selected}“ kann dieses Ergebnis nicht zeigen; "
                                   "es erscheint in der Ansicht „{shown}“.",
                             "en": "The “{selected}” view cannot show this result; it is shown "
                                   "in the “{shown}” view."},
    "editor.yasr.all": {"de": "Alle", "en": "All"},
    "editor.yasr.show_all": {"de": "Alles zeigen", "en": "Show all"},
    "editor.yasr.download": {"de": "Ergebnis herunterladen", "en": "Download result"},
    "editor.yasr.no_download": {"de": "Diese Ansicht lässt sich nicht herunterladen",
                                "en": "This view cannot be downloaded"},
    "editor.yasr.results": {"de": "{count} Ergebnisse", "en": "{count} results"},
    "editor.yasr.results_one": {"de": "1 Ergebnis", "en": "1 result"},
    "editor.yasr.response": {"de": "Antwort", "en": "Response"},
    "editor.yasr.failed": {"de": "Fehler {status}", "en": "Error {status}"},
    "editor.yasr.syntax_error": {"de": "Die Abfrage hat einen Syntaxfehler in Zeile {line}, "
                                       "Spalte {column}: {reason}",
                                 "en": "The query has a syntax error at line {line}, column "
                                       "{column}: {reason}"},
    "editor.yasr.refused": {"de": "Der Endpunkt hat die Abfrage nicht ausgeführt ({status}): "
                                  "{message}",
                            "en": "The endpoint did not run the query ({status}): {message}"},
    "editor.yasr.true": {"de": "wahr", "en": "true"},
    "editor.yasr.false": {"de": "falsch", "en": "false"},
    "editor.yasr.time": {"de": "{text} in {seconds} s", "en": "{text} in {seconds} s"},
    "editor.yasr.try_query": {"de": "Abfrage in einem neuen Fenster versuchen",
                              "en": "Try the query in a new browser window"},
    "editor.yasr.sort": {"de": ": sortieren", "en": ": activate to sort"},
    "editor.yasr.sort_reverse": {"de": ": Sortierung umkehren",
                                 "en": ": activate to invert sorting"},
    "editor.yasr.sort_remove": {"de": ": Sortierung aufheben",
                                "en": ": activate to remove sorting"},
    "editor.yasr.pages": {"de": "Seiten", "en": "Pages"},
    "editor.yasr.first": {"de": "Erste Seite", "en": "First page"},
    "editor.yasr.previous": {"de": "Vorige Seite", "en": "Previous page"},
    "editor.yasr.next": {"de": "Nächste Seite", "en": "Next page"},
    "editor.yasr.last": {"de": "Letzte Seite", "en": "Last page"},
    "editor.yasqe.invalid": {"de": "Diese Zeile ist ungültig.", "en": "This line is invalid."},
    "editor.yasqe.expected": {"de": "Erwartet:", "en": "Expected:"},
    "editor.yasqe.undefined_prefix": {"de": "Das Präfix „{prefix}“ ist nicht definiert.",
                                      "en": "The prefix “{prefix}” is not defined."},
    # graph explorer (explorer.html, explorer.js)
    "explorer.title": {"de": "Graph-Explorer", "en": "Graph explorer"},
    "explorer.lead": {"de": "Wer ist an was beteiligt? Suchen Sie einen Akteur, ein Handlungsfeld "
                            "oder ein Thema, erkunden Sie die Nachbarschaft und folgen Sie den "
                            "Beziehungen bis zur Quelle.",
                      "en": "Who is involved in what? Search for an actor, an action field or a "
                            "topic, explore its neighbourhood and follow the relations to the "
                            "source."},
    "explorer.search_label": {"de": "Suchen (Deutsch oder Englisch)",
                              "en": "Search (German or English)"},
    "explorer.search_button": {"de": "Suchen", "en": "Search"},
    "explorer.search_hint": {"de": "Treffer im Bild werden hervorgehoben; ein Treffer außerhalb "
                                   "wird zum neuen Mittelpunkt.",
                             "en": "Matches in the view are highlighted; a match outside it "
                                   "becomes the new centre."},
    "explorer.search_results_title": {"de": "Suchergebnisse für „{query}“",
                                      "en": "Search results for “{query}”"},
    "explorer.search_none": {"de": "Keine Treffer.", "en": "No matches."},
    "explorer.in_view": {"de": "im Bild", "en": "in view"},
    "explorer.not_in_view": {"de": "neu laden", "en": "load"},
    "explorer.not_in_graph": {"de": "nicht im Beteiligungsgraphen",
                              "en": "not in the involvement graph"},
    "explorer.view": {"de": "Ansicht", "en": "View"},
    "explorer.depth": {"de": "Tiefe (Schritte)", "en": "Depth (hops)"},
    "explorer.layout": {"de": "Anordnung", "en": "Layout"},
    "explorer.layout_force": {"de": "Kräfte (fCoSE)", "en": "Force (fCoSE)"},
    "explorer.layout_concentric": {"de": "Konzentrisch", "en": "Concentric"},
    "explorer.layout_breadthfirst": {"de": "Organigramm (Breitensuche)",
                                     "en": "Organisation chart (breadth-first)"},
    "explorer.fit": {"de": "Einpassen", "en": "Fit"},
    "explorer.undo": {"de": "Rückgängig", "en": "Undo"},
    "explorer.whole_graph": {"de": "Ganzer Graph", "en": "Whole graph"},
    "explorer.export": {"de": "Exportieren", "en": "Export"},
    "explorer.export_png": {"de": "Bild (PNG)", "en": "Image (PNG)"},
    "explorer.filters": {"de": "Filter und Legende", "en": "Filters and legend"},
    "explorer.types": {"de": "Typen", "en": "Types"},
    "explorer.relations": {"de": "Beziehungen", "en": "Relations"},
    "explorer.apply": {"de": "Anwenden", "en": "Apply"},
    "explorer.details": {"de": "Auswahl", "en": "Selection"},
    "explorer.nothing_selected": {"de": "Nichts ausgewählt. Wählen Sie einen Knoten im Graphen "
                                        "oder in der Tabelle.",
                                  "en": "Nothing selected. Choose a node in the graph or in the "
                                        "table."},
    "explorer.path_title": {"de": "Kürzester Weg zwischen zwei Akteuren",
                            "en": "Shortest path between two actors"},
    "explorer.from": {"de": "Von", "en": "From"},
    "explorer.to": {"de": "Nach", "en": "To"},
    "explorer.find_path": {"de": "Weg finden", "en": "Find path"},
    "explorer.path_hint": {"de": "Namen eingeben und einen Vorschlag wählen, oder eine IRI.",
                           "en": "Type a name and choose a suggestion, or an IRI."},
    "explorer.action_fields": {"de": "Nachbarschaft eines Handlungsfelds",
                               "en": "Neighbourhood of an action field"},
    "explorer.action_fields_more": {"de": "Die {shown} Handlungsfelder mit den meisten "
                                          "Verbindungen von {total}; die übrigen findet die Suche.",
                                    "en": "The {shown} action fields with the most links, of "
                                          "{total}; the search finds the others."},
    "explorer.table_title": {"de": "Tabelle: dieselben Knoten und Kanten",
                             "en": "Table: the same nodes and edges"},
    "explorer.nodes_caption": {"de": "Knoten ({count})", "en": "Nodes ({count})"},
    "explorer.edges_caption": {"de": "Kanten ({count})", "en": "Edges ({count})"},
    "explorer.table_capped": {"de": "Ohne JavaScript zeigt die Tabelle die ersten {shown} von "
                                    "{total} Zeilen; alle stehen in den Exporten.",
                              "en": "Without JavaScript the table shows the first {shown} of "
                                    "{total} rows; the exports hold all of them."},
    "explorer.name": {"de": "Name", "en": "Name"},
    "explorer.kind": {"de": "Typ", "en": "Type"},
    "explorer.connections": {"de": "Verbindungen im Bild", "en": "Connections in view"},
    "explorer.relation": {"de": "Beziehung", "en": "Relation"},
    "explorer.page": {"de": "Seite", "en": "Page"},
    "explorer.open_page": {"de": "Seite öffnen", "en": "Open page"},
    "explorer.make_focus": {"de": "Zum Mittelpunkt machen", "en": "Make it the centre"},
    "explorer.focus": {"de": "Mittelpunkt", "en": "Centre"},
    "explorer.role": {"de": "Rolle", "en": "Role"},
    "explorer.as_of": {"de": "Stand", "en": "As of"},
    "explorer.source": {"de": "Quelle", "en": "Source"},
    "explorer.iri": {"de": "IRI", "en": "IRI"},
    "explorer.no_script": {"de": "Ohne JavaScript zeigt der Explorer die Ansicht als Tabelle; "
                                 "Filter und Suche funktionieren als Formular.",
                           "en": "Without JavaScript the explorer shows the view as a table; "
                                 "filters and search work as a form."},
    "explorer.analytics_link": {"de": "Kennzahlen des Graphen (Zentralität, Gemeinschaften)",
                                "en": "Graph analytics (centrality, communities)"},
    "explorer.api_link": {"de": "JSON-API (OpenAPI)", "en": "JSON API (OpenAPI)"},
    "explorer.loading": {"de": "Lade …", "en": "Loading …"},
    "explorer.shown": {"de": "{nodes} und {edges} im Bild.", "en": "{nodes} and {edges} in view."},
    "explorer.nodes": {"de": "{count} Knoten", "en": "{count} nodes"},
    "explorer.nodes_one": {"de": "1 Knoten", "en": "1 node"},
    "explorer.edges": {"de": "{count} Kanten", "en": "{count} edges"},
    "explorer.edges_one": {"de": "1 Kante", "en": "1 edge"},
    "explorer.truncated": {"de": "Gekürzt: {shown} von {total} Knoten. Tiefe verringern oder "
                                 "filtern, um alle zu sehen.",
                           "en": "Truncated: {shown} of {total} nodes. Reduce the depth or "
                                 "filter to see all."},
    "explorer.no_nodes": {"de": "Keine Knoten in dieser Ansicht.", "en": "No nodes in this view."},
    "explorer.expand": {"de": "Nachbarn anzeigen …", "en": "Show neighbours …"},
    "explorer.expand_counts": {"de": "{count} Nachbarn, nach Beziehung:",
                               "en": "{count} neighbours, by relation:"},
    "explorer.expand_show": {"de": "{count} anzeigen", "en": "Show {count}"},
    "explorer.expand_more": {"de": "Die ersten {shown} von {total} anzeigen",
                             "en": "Show the first {shown} of {total}"},
    "explorer.expand_none": {"de": "Keine weiteren Nachbarn.", "en": "No further neighbours."},
    "explorer.direction_out": {"de": "ausgehend", "en": "outgoing"},
    "explorer.direction_in": {"de": "eingehend", "en": "incoming"},
    "explorer.path_found": {"de": "Weg mit {length} Schritten:", "en": "Path of {length} steps:"},
    "explorer.quote": {"de": "Wortlaut der Quelle", "en": "Words of the source"},
    "explorer.caveat": {"de": "Vorbehalt der Quelle", "en": "Caveat of the source"},
    "explorer.path_links": {"de": "Die Verbindungen auf diesem Weg:",
                            "en": "The links on this path:"},
    "explorer.path_none": {"de": "Zwischen diesen beiden gibt es keinen Weg.",
                           "en": "There is no path between these two."},
    "explorer.path_pick": {"de": "Bitte Start und Ziel aus den Vorschlägen wählen.",
                           "en": "Please choose start and end from the suggestions."},
    "explorer.error": {"de": "Fehler: {message}", "en": "Error: {message}"},
    "explorer.outside": {"de": "„{label}“ ist kein Knoten des Beteiligungsgraphen (er verbindet "
                               "Akteure mit dem, woran sie beteiligt sind); hier ist der Graph "
                               "im Überblick.",
                         "en": "“{label}” is not a node of the involvement graph (it links actors "
                               "with what they are involved in); here is an overview of the "
                               "graph."},
    "explorer.outside_page": {"de": "Zur Seite der Ressource", "en": "To the resource's page"},
    "explorer.undo_empty": {"de": "Nichts rückgängig zu machen.", "en": "Nothing to undo."},
    "explorer.selected": {"de": "Ausgewählt: {label}", "en": "Selected: {label}"},
    "explorer.select": {"de": "Im Graphen auswählen", "en": "Select in the graph"},
    "explorer.png_failed": {"de": "Das Bild konnte nicht erzeugt werden.",
                            "en": "The image could not be made."},
    "explorer.graph_label": {"de": "Graph der Beziehungen; dieselben Angaben stehen in der "
                                   "Tabelle unten.",
                             "en": "Graph of the relations; the table below holds the same "
                                   "information."},
    "explorer.search_title": {"de": "Suchergebnisse für „{query}“ – Graph-Explorer",
                              "en": "Search results for “{query}” – Graph explorer"},
    "explorer.skip": {"de": "Springen zu", "en": "Jump to"},
    "explorer.skip_details": {"de": "Auswahl", "en": "Selection"},
    "explorer.skip_table": {"de": "Tabelle", "en": "Table"},
    "explorer.skip_after": {"de": "Nach der Tabelle", "en": "After the table"},
    "explorer.end": {"de": "Ende des Graph-Explorers", "en": "End of the graph explorer"},
    # analytics page
    "analytics.title": {"de": "Kennzahlen des Beteiligungsgraphen",
                        "en": "Analytics of the involvement graph"},
    "analytics.lead": {"de": "Wer ist am stärksten vernetzt, wer verbindet, welche Gruppen "
                             "hängen zusammen? Berechnet mit networkx über Akteure, Strategie, "
                             "Themen und Quellen; Kanten zählen ungerichtet.",
                       "en": "Who is most connected, who bridges, which groups hang together? "
                             "Computed with networkx over actors, strategy, topics and sources; "
                             "edges count as undirected."},
    "analytics.summary": {"de": "Überblick", "en": "Summary"},
    "analytics.nodes": {"de": "Knoten", "en": "Nodes"},
    "analytics.edges": {"de": "Kanten", "en": "Edges"},
    "analytics.modularity": {"de": "Modularität", "en": "Modularity"},
    "analytics.degree": {"de": "Grad-Zentralität", "en": "Degree centrality"},
    "analytics.degree_help": {"de": "Anzahl der direkten Nachbarn (normiert: geteilt durch die "
                                    "Zahl der übrigen Knoten). Es zählen alle Verbindungen, auch "
                                    "die aus Registern (ein Kreis mit seinen Gemeinden), nicht "
                                    "nur die aus den Aussagen; wer nur Akteure vergleichen will, "
                                    "wählt oben die Orte ab.",
                              "en": "Number of direct neighbours (normalised: divided by the "
                                    "number of other nodes). Every link counts, also those from "
                                    "registers (a district with its municipalities), not only "
                                    "those from the statements; to compare actors only, untick "
                                    "places above."},
    "analytics.betweenness": {"de": "Betweenness-Zentralität", "en": "Betweenness centrality"},
    "analytics.betweenness_help": {"de": "Anteil der kürzesten Wege zwischen anderen Knoten, "
                                         "die über diesen Knoten führen.",
                                   "en": "Share of the shortest paths between other nodes that "
                                         "pass through this node."},
    "analytics.sampled": {"de": "Geschätzt aus {k} zufällig (fest geseedet) gewählten "
                                "Startknoten.",
                          "en": "Estimated from {k} start nodes chosen at random (fixed seed)."},
    "analytics.communities": {"de": "Gemeinschaften", "en": "Communities"},
    "analytics.communities_help": {"de": "Gruppen, die untereinander dichter verbunden sind als "
                                         "nach außen (Louvain-Verfahren, fester Seed).",
                                   "en": "Groups more densely connected among themselves than "
                                         "to the rest (Louvain method, fixed seed)."},
    "analytics.components": {"de": "Zusammenhangskomponenten", "en": "Connected components"},
    "analytics.components_help": {"de": "Teile des Graphen, zwischen denen es keinen Weg gibt.",
                                  "en": "Parts of the graph with no path between them."},
    "analytics.rank": {"de": "Rang", "en": "Rank"},
    "analytics.value": {"de": "Wert", "en": "Value"},
    "analytics.neighbours": {"de": "Nachbarn", "en": "Neighbours"},
    "analytics.size": {"de": "Größe", "en": "Size"},
    "analytics.members": {"de": "Mitglieder", "en": "Members"},
    "analytics.more": {"de": "und {count} weitere", "en": "and {count} more"},
    "analytics.timings": {"de": "Rechenzeit", "en": "Computing time"},
    "analytics.seconds": {"de": "{value} s", "en": "{value} s"},
    "analytics.json": {"de": "Als JSON", "en": "As JSON"},
    "analytics.step.projection": {"de": "Beteiligungsgraph lesen", "en": "reading the graph"},
    "analytics.step.simple_graph": {"de": "einfacher Graph", "en": "simple graph"},
    "analytics.step.degree": {"de": "Grad", "en": "degree"},
    "analytics.step.betweenness": {"de": "Zwischenzentralität", "en": "betweenness"},
    "analytics.step.communities": {"de": "Gemeinschaften", "en": "communities"},
    "analytics.step.components": {"de": "Zusammenhangskomponenten", "en": "components"},
    "analytics.in_explorer": {"de": "Im Explorer", "en": "In the explorer"},
    "analytics.types": {"de": "Nur diese Typen einbeziehen", "en": "Include only these types"},
    "analytics.apply": {"de": "Neu berechnen", "en": "Recompute"},
    "analytics.community": {"de": "Gemeinschaft {number}", "en": "Community {number}"},
    "analytics.component": {"de": "Komponente {number}", "en": "Component {number}"},
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
    return pick([v for v in values if isinstance(v, Literal)], language, default)


def current_language() -> str:
    """Return the language of the current request (the default outside a request).

    Chosen on first use in a request (most API and SPARQL answers never need it).
    """
    if not has_request_context():
        return str(current_app.config.get("DEFAULT_LANGUAGE", "de"))
    language = g.get("language")
    if language is None:
        language, g.remember_language = choose_language(
            request.args.get("lang"),
            request.cookies.get(COOKIE),
            request.accept_languages if "Accept-Language" in request.headers else None,
            current_app.config.get("DEFAULT_LANGUAGE", "de"),
        )
        g.language = language
    return str(language)


def switch_url(language: str) -> str:
    """Return the current URL with `lang` set to `language`, other query values kept."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    args.append(("lang", language))
    return f"{request.script_root}{request.path}?{urlencode(args)}"


def init_app(app: Flask) -> None:
    """Choose the language per request, remember an explicit choice, expose `t` to templates."""

    @app.after_request
    def remember_language(response: Response) -> Response:
        # (the raw check spares parsing a long query string, as /sparql's are, for nothing;
        # "ang" also finds a percent-encoded "l")
        if b"ang" in request.query_string and "lang" in request.args:
            current_language()  # an explicit choice is remembered even where no text needed it
        if g.get("remember_language"):
            response.set_cookie(
                COOKIE,
                g.language,
                max_age=COOKIE_MAX_AGE,
                samesite="Lax",
                httponly=True,
                secure=request.is_secure,
            )
        if response.mimetype == "text/html" or "language" in g:
            # The answer's language came from these headers (when not from `lang`): a shared
            # cache must not give one reader's language to another (the JSON APIs too).
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


_GERMAN_SEPARATORS = str.maketrans(",.", ".,")


def format_number(value: float, language: str, digits: int | None = None) -> str:
    """Write a number as readers of the language do: 10.000 and 0,269 in German, 10,000 and
    0.269 in English; without `digits`, as many decimals as it has, up to three."""
    text = f"{value:,.3f}".rstrip("0").rstrip(".") if digits is None else f"{value:,.{digits}f}"
    return text.translate(_GERMAN_SEPARATORS) if language == "de" else text
