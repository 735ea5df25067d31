"""Shape the involvement and statement rows of a resource: who is involved in what, in which
role, as of when and on which source; and the statements that mention the resource."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib.term import Literal, URIRef

from . import vocabulary as v
from .labels import Labels, Link, Linker, pick
from .resource_queries import EntityRows
from .store import Node

# How a statement bears on the resource where the resource is not named by the statement: the
# resource is derived from it, or one of the resource's involvements is. (Where the statement
# names the resource, the relation is the predicate, read as "predicate: diese Ressource".)
DERIVED, INVOLVEMENT = "derived", "involvement"
RELATION_KEYS = {
    DERIVED: "entity.relation_derived",
    INVOLVEMENT: "entity.relation_involvement",
}


@dataclass
class InvolvementRow:
    agent: list[Link]
    target: list[Link]
    role: list[Link]
    period: str
    regarding: list[Link]
    sources: list[Link]


@dataclass
class StatementView:
    link: Link
    relation_keys: list[str]
    """UI string keys for how the statement bears on the resource (from the i18n table)."""
    relation_labels: list[str]
    """Labels of the predicates by which it names the resource."""
    quote: Literal | None
    paraphrase: Literal | None
    """Shown only in the page's language, or where there is no quote (as on the inquiry)."""
    caveat: Literal | None
    caveat_gloss: str | None
    """The caveat in the page's language where the data gives it only in another."""
    speaker: list[Link]
    meeting: list[Link]
    answers: list[Link]
    """The questions it answers besides the page's own resource."""
    sources: list[Link]
    speaker_from_context: bool = False
    """The source's sentence does not name the speaker: the data infers it from the context."""
    answers_this_too: bool = False
    """The page's own resource is one of the questions it answers (so `answers` are others)."""
    reading: Literal | None = None
    """The project's note on how it reads the statement, in the page's language if given."""


def _properties_of(
    rows: Iterable[dict[str, Node]], key: str, labels: Labels
) -> dict[Node, dict[str, list[Node]]]:
    found: dict[Node, dict[str, list[Node]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        node, predicate, obj = row[key], str(row["p"]), row["o"]
        labels.add(obj, row.get("label"), row.get("labelProperty"))
        if obj not in found[node][predicate]:
            found[node][predicate].append(obj)
    return found


def _links(values: Iterable[Node], labels: Labels, link: Linker) -> list[Link]:
    """Links to the values, in reading order (Frage 2 before Frage 10)."""
    found = [
        Link(labels.text(o), link(str(o)) if isinstance(o, URIRef) else "", str(o))
        for o in values
        if not isinstance(o, Literal)
    ]
    return sorted(found, key=lambda item: (_natural(item.text), item.iri))


def _natural(text: str) -> list[tuple[int, int | str]]:
    parts = re.split(r"([0-9]+)", text)  # the odd places hold the runs of ASCII digits
    return [(0, int(part)) if i % 2 else (1, part.lower()) for i, part in enumerate(parts)]


def _literal(values: Iterable[Node], labels: Labels) -> Literal | None:
    return pick([o for o in values if isinstance(o, Literal)], labels.language, labels.default)


def _others(props: dict[str, list[Node]], predicate: str, resource: Node) -> list[Node]:
    return [value for value in props.get(predicate, []) if value != resource]


def _shown_paraphrase(props: dict[str, list[Node]], labels: Labels) -> Literal | None:
    """The paraphrase a reader of this page gets: one in the page's language, or any where
    the statement has no quote (a German page repeats no English paraphrase of a German
    quote; one without a language tag counts as in no reader's language)."""
    found = _literal(props.get(v.SG + "paraphrase", []), labels)
    if found is None:
        return None
    if props.get(v.SG + "quote") and (found.language or "") != labels.language:
        return None
    return found


def involvement_rows(rows: EntityRows, labels: Labels, link: Linker) -> list[InvolvementRow]:
    found = _properties_of(rows.involvement, "involvement", labels)
    result = []
    for props in found.values():
        dates = sorted(str(d) for d in props.get(v.SG + "asOf", []))
        start = [str(d) for key in v.START_PREDICATES for d in props.get(key, [])]
        end = [str(d) for key in v.END_PREDICATES for d in props.get(key, [])]
        language = labels.language
        period = ", ".join(v.long_date(d, language) for d in dates)
        if start or end:
            first = v.long_date(min(start, default=""), language)
            last = v.long_date(max(end, default=""), language)
            span = f"{first} – {last}".strip()
            period = f"{span}; {period}" if period else span
        result.append(
            InvolvementRow(
                agent=_links(props.get(v.PROV + "agent", []), labels, link),
                target=_links(props.get(v.SG + "target", []), labels, link),
                role=_links(props.get(v.PROV + "hadRole", []), labels, link),
                period=period,
                regarding=_links(props.get(v.SG + "regarding", []), labels, link),
                sources=_links(props.get(v.PROV + "wasDerivedFrom", []), labels, link),
            )
        )
    return sorted(
        result,
        key=lambda r: ([t.text.lower() for t in r.target], [a.text.lower() for a in r.agent]),
    )


def statement_views(rows: EntityRows, labels: Labels, link: Linker) -> list[StatementView]:
    found = _properties_of(rows.statements, "statement", labels)
    relations: dict[Node, list[str]] = defaultdict(list)
    for row in rows.statement_relations:
        if "how" in row:
            how = str(row["how"])
        elif "derived" in row:
            how = DERIVED
        else:
            how = INVOLVEMENT
        if how not in relations[row["statement"]]:
            relations[row["statement"]].append(how)
    result = []
    for statement, props in found.items():
        for name in props.get(v.RDFS + "label", []):
            labels.add(statement, name, v.RDFS + "label")
        hows = relations[statement]
        result.append(
            StatementView(
                link=Link(labels.text(statement), link(str(statement)), str(statement)),
                relation_keys=[RELATION_KEYS[how] for how in hows if how in RELATION_KEYS],
                relation_labels=[
                    labels.text(URIRef(how)) for how in hows if how not in RELATION_KEYS
                ],
                quote=_literal(props.get(v.SG + "quote", []), labels),
                paraphrase=_shown_paraphrase(props, labels),
                caveat=(caveat := _literal(props.get(v.SG + "caveat", []), labels)),
                caveat_gloss=v.gloss(caveat, labels.language),
                # The page's own resource is not named again (the relation says how it bears).
                speaker=_links(_others(props, v.SG + "speaker", rows.resource), labels, link),
                meeting=_links(_others(props, v.SG + "madeInMeeting", rows.resource), labels, link),
                answers=_links(_others(props, v.SG + "answers", rows.resource), labels, link),
                sources=_links(
                    _others(props, v.PROV + "wasDerivedFrom", rows.resource), labels, link
                ),
                speaker_from_context=any(
                    isinstance(named, Literal) and named.toPython() is False
                    for named in props.get(v.SG + "speakerNamedInSource", [])
                ),
                answers_this_too=rows.resource in props.get(v.SG + "answers", []),
                reading=_literal(props.get(v.SKOS + "editorialNote", []), labels),
            )
        )
    return sorted(result, key=lambda s: s.link.iri)
