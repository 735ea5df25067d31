"""Shape SELECT results into a readable table: an IRI column shows the label the query also
selects for it (`actor` with `actorLabel`, `actorLabelEn`), and a value selected in German and
English (`note`, `noteEn`; `paraphraseDe`, `paraphraseEn`) shows in the page's language only.
The downloads keep every column; this is for reading."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rdflib.term import Literal, URIRef

from . import vocabulary as v
from .labels import Labels
from .store import Node


@dataclass(frozen=True)
class Column:
    header: str
    values: tuple[str, ...]
    """Variables to show, the first bound one wins (the page language first)."""
    labels: tuple[str, ...] = ()
    """Variables that name an IRI value, the first bound one wins."""


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None
    language: str | None = None
    title: str | None = None


_OWN_LANGUAGE_ONLY = frozenset({"paraphrase"})
"""Columns that show nothing rather than the other language: a paraphrase in English says
again, for a German reader, what the German quote beside it already says (as on the pages)."""


def _variants(name: str, language: str, present: set[str]) -> tuple[str, ...]:
    german = [n for n in (name + "De", name) if n in present]
    english = [n for n in (name + "En",) if n in present]
    ordered = english + german if language == "en" else german + english
    if name in _OWN_LANGUAGE_ONLY and german and english:
        ordered = english if language == "en" else german
    return tuple(dict.fromkeys(ordered))


def columns(variables: Sequence[str], language: str) -> list[Column]:
    """Group the variables into the columns to show, in the query's order."""
    present = set(variables)
    used: set[str] = set()
    found = []
    for name in variables:
        if name in used:
            continue
        base = name
        for suffix, other in (("De", "En"), ("En", "De")):
            stem = name[: -len(suffix)]
            if name.endswith(suffix) and (stem + other in present or stem in present):
                base = stem
        values = _variants(base, language, present) or (name,)
        labels = _variants(base + "Label", language, present)
        used.update(values, labels, {base + "De", base + "En"} & present)
        found.append(Column(column_header(base, language), values, labels))
    return found


# fmt: off
COLUMN_HEADERS: dict[str, tuple[str, str]] = {
    "actor": ("Akteur", "Actor"), "actors": ("Akteure", "Actors"),
    "ags": ("Gemeindeschlüssel (AGS)", "Municipality key (AGS)"),
    "answerStatus": ("Antwortstand", "Answer status"), "asOf": ("Stand", "As of"),
    "assessment": ("Einschätzung", "Assessment"), "caveat": ("Vorbehalt", "Caveat"),
    "derived": ("Abgeleitet", "Derived"), "district": ("Landkreis", "District"),
    "editorialNote": ("Redaktionelle Anmerkung", "Editorial note"),
    "field": ("Handlungsfeld", "Action field"),
    "field_a": ("Erstes Handlungsfeld", "First action field"),
    "field_b": ("Zweites Handlungsfeld", "Second action field"), "group": ("Gruppe", "Group"),
    "inquiry": ("Anfrage", "Inquiry"), "involvement": ("Beteiligung", "Involvement"),
    "justification": ("Begründung", "Justification"), "label": ("Bezeichnung", "Label"),
    "meeting": ("Sitzung", "Meeting"), "meetingDate": ("Sitzungstag", "Date of the meeting"),
    "municipality": ("Gemeinde", "Municipality"), "note": ("Anmerkung", "Note"),
    "number": ("Nummer", "Number"), "paraphrase": ("Sinngemäß", "In other words"),
    "position": ("Nr.", "No."), "question": ("Frage", "Question"),
    "questionNumbers": ("Nummern der Fragen", "Question numbers"),
    "questionText": ("Wortlaut der Frage", "Wording of the question"),
    "questions": ("Fragen", "Questions"), "quote": ("Wortlaut", "Quote"),
    "regarding": ("In Bezug auf", "Regarding"), "relation": ("Beziehung", "Relation"),
    "repliesTo": ("Antwort auf", "Replies to"), "role": ("Rolle", "Role"),
    "roleA": ("Rolle (erstes Feld)", "Role (first field)"),
    "roleB": ("Rolle (zweites Feld)", "Role (second field)"), "root": ("Ursprung", "Root"),
    "source": ("Quelle", "Source"), "speaker": ("Sprecher/in", "Speaker"),
    "speakerNamedInSource": ("Sprecher im Satz genannt", "Speaker named in the sentence"),
    "statement": ("Aussage", "Statement"),
    "statementA": ("Aussage (erstes Feld)", "Statement (first field)"),
    "statementB": ("Aussage (zweites Feld)", "Statement (second field)"),
    "statementCount": ("Aussagen", "Statements"), "target": ("Gegenstand", "Target"),
    "text": ("Text", "Text"), "topic": ("Thema", "Topic"),
}
# fmt: on


def column_header(variable: str, language: str) -> str:
    """Name a column for readers; a variable without a name shows as it is."""
    pair = COLUMN_HEADERS.get(variable)
    if pair is None:
        return variable
    return v.in_language(pair, language)


def shorten(iri: str, base_iri: str) -> str:
    """Write one of our IRIs as its path below id/, a standard term as prefix:name."""
    ids = base_iri + "id/"
    return iri[len(ids) :] if iri.startswith(ids) else v.prefixed(iri)


def cell(
    row: Mapping[str, Node],
    column: Column,
    link: Callable[[str], str],
    base_iri: str,
    language: str = "de",
    names: Labels | None = None,
) -> Cell:
    """Render one row's value of a column (a boolean as ja/nein or yes/no); an IRI by its
    label column, else by its label among `names`, else by its short form."""
    term = next((row[n] for n in column.values if n in row), None)
    if term is None:
        return Cell("")
    if isinstance(term, URIRef):
        label = next((row[n] for n in column.labels if n in row), None)
        if label is None and names is not None:
            label = names.literal(term)
        text = str(label) if label is not None else shorten(str(term), base_iri)
        return Cell(text, link(str(term)), title=str(term))
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype is not None else None
        return Cell(v.readable_value(str(term), datatype, language), language=term.language)
    return Cell(str(term))
