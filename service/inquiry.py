"""The inquiry tracker: each question of an inquiry, the statements that answer it, and the
answer status the data records (an assessment with its note), never one computed here.

The rows come from the named queries `inquiry-tracker` and `meeting-statements`; this module
only groups them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib.term import Literal, URIRef

from .queries import QUERY_FOLDER, QueryNotFound, get_query
from .store import Node, Store

SG = "https://w3id.org/stadtgraph/ontology#"

STATUS_CLASSES = {SG + "Answered": "answered", SG + "PartlyAnswered": "partly", SG + "Open": "open"}
"""CSS classes for the statuses of the ontology; the words shown come from the data."""

LABELS = """\
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label WHERE { ?resource rdfs:label ?label }
"""


def _literals(*values: Node | None) -> list[Literal]:
    return [v for v in values if isinstance(v, Literal)]


def _str(value: Node | None) -> str | None:
    return str(value) if value is not None else None


def _int(value: Node | None) -> int | None:
    if isinstance(value, Literal):
        try:
            return int(value.toPython())
        except (TypeError, ValueError):
            return None
    return None


@dataclass
class Answer:
    """A statement from the meeting notes that answers a question."""

    iri: str
    position: int | None
    labels: list[Literal]
    quote: Literal | None
    paraphrases: list[Literal]
    speaker: str | None
    speaker_labels: list[Literal]
    speaker_named_in_source: bool | None
    meeting: str | None
    meeting_labels: list[Literal]
    meeting_date: str | None
    source: str | None
    source_labels: list[Literal]
    caveat: Literal | None
    notes: list[Literal] = field(default_factory=list)
    """The project's editorial notes (German, English): readings of the notes it explains."""


@dataclass
class Question:
    iri: str
    number: int | None
    text: Literal | None
    text_en: Literal | None
    status: str | None
    status_labels: list[Literal]
    justifications: list[Literal]
    assessment: str | None
    as_of: str | None
    statement_count: int
    named_query: str | None = None
    answers: list[Answer] = field(default_factory=list)

    @property
    def status_class(self) -> str:
        return STATUS_CLASSES.get(self.status or "", "unknown")


@dataclass
class Inquiry:
    iri: str
    labels: list[Literal]
    questions: list[Question] = field(default_factory=list)

    def status_counts(self) -> list[StatusCount]:
        """Count the questions per recorded status, in the order answered, partly, open."""
        counts: Counter[str] = Counter(q.status or "" for q in self.questions)
        labels = {q.status or "": q.status_labels for q in self.questions}
        order = [*STATUS_CLASSES, ""]
        return [
            StatusCount(
                status, labels[status], counts[status], STATUS_CLASSES.get(status, "unknown")
            )
            for status in sorted(counts, key=lambda s: order.index(s) if s in order else 99)
        ]


@dataclass(frozen=True)
class StatusCount:
    status: str
    labels: list[Literal]
    count: int
    css_class: str


def _question(row: dict[str, Node]) -> Question:
    text, text_en = row.get("text"), row.get("textEn")
    return Question(
        iri=str(row["question"]),
        number=_int(row.get("number")),
        text=text if isinstance(text, Literal) else None,
        text_en=text_en if isinstance(text_en, Literal) else None,
        status=_str(row.get("answerStatus")),
        status_labels=_literals(row.get("answerStatusLabel"), row.get("answerStatusLabelEn")),
        justifications=_literals(row.get("justification"), row.get("justificationEn")),
        assessment=_str(row.get("assessment")),
        as_of=_str(row.get("asOf")),
        statement_count=_int(row.get("statementCount")) or 0,
    )


def _answer(row: dict[str, Node]) -> Answer:
    quote, caveat, named = row.get("quote"), row.get("caveat"), row.get("speakerNamedInSource")
    return Answer(
        iri=str(row["statement"]),
        position=_int(row.get("position")),
        labels=_literals(row.get("label"), row.get("labelEn")),
        quote=quote if isinstance(quote, Literal) else None,
        paraphrases=_literals(row.get("paraphraseDe"), row.get("paraphraseEn")),
        speaker=_str(row.get("speaker")),
        speaker_labels=_literals(row.get("speakerLabel"), row.get("speakerLabelEn")),
        speaker_named_in_source=(bool(named.toPython()) if isinstance(named, Literal) else None),
        meeting=_str(row.get("meeting")),
        meeting_labels=_literals(row.get("meetingLabel"), row.get("meetingLabelEn")),
        meeting_date=_str(row.get("meetingDate")),
        source=_str(row.get("source")),
        source_labels=[],
        caveat=caveat if isinstance(caveat, Literal) else None,
        notes=_tagged(row.get("editorialNote"), "de") + _tagged(row.get("editorialNoteEn"), "en"),
    )


def _tagged(value: Node | None, language: str) -> list[Literal]:
    """A text the query joined (and so untagged) as a literal in its language."""
    return [Literal(str(value), lang=language)] if isinstance(value, Literal) else []


def _labels_of(store: Store, iris: Iterable[str]) -> dict[str, list[Literal]]:
    found: dict[str, list[Literal]] = {}
    for iri in sorted(set(iris)):
        rows = store.select(LABELS, bindings={"resource": URIRef(iri)})
        found[iri] = _literals(*(row.get("label") for row in rows))
    return found


def _named_query_for(question_iri: str, folder: Path) -> str | None:
    """Name the query written for this question (`queries/frage-6.rq` for `…/frage-6`)."""
    name = question_iri.rstrip("/").rsplit("/", 1)[-1]
    try:
        get_query(name, folder)
    except QueryNotFound:
        return None
    return name


def load_inquiries(store: Store, folder: Path = QUERY_FOLDER) -> list[Inquiry]:
    """Return every inquiry with its questions, their status and the statements answering them.

    The queries read here are the project's own; `folder` is the one served at /queries/,
    where a question's own query is linked if it has one.
    """
    inquiries: dict[str, Inquiry] = {}
    questions: dict[str, Question] = {}
    for row in store.select(get_query("inquiry-tracker").sparql):
        iri = str(row["inquiry"])
        inquiry = inquiries.setdefault(iri, Inquiry(iri, []))
        for label in _literals(row.get("inquiryLabel")):
            if label not in inquiry.labels:
                inquiry.labels.append(label)
        if str(row["question"]) not in questions:
            question = _question(row)
            question.named_query = _named_query_for(question.iri, folder)
            questions[question.iri] = question
            inquiry.questions.append(question)
    answers: list[Answer] = []
    for row in store.select(get_query("meeting-statements").sparql):
        answered = str(row.get("questions") or "").split()
        wanted = [questions[iri] for iri in answered if iri in questions]
        if not wanted:
            continue
        answer = _answer(row)
        answers.append(answer)
        for question in wanted:
            question.answers.append(answer)
    for inquiry in inquiries.values():
        inquiry.labels = _labels_of(store, [inquiry.iri])[inquiry.iri] or inquiry.labels
    sources = _labels_of(store, (a.source for a in answers if a.source))
    for answer in answers:
        if answer.source:
            answer.source_labels = sources.get(answer.source, [])
    for question in questions.values():
        question.answers.sort(key=lambda a: (a.position is None, a.position or 0, a.iri))
    return list(inquiries.values())
