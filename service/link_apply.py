"""Apply a reviewed SSSOM mapping table: accepted rows become links with provenance.

Review protocol (SSSOM 1.1 fields, see data/links/README.md):
- accepted: `reviewer_id` and `review_date` filled, `predicate_modifier` empty;
- rejected: the same, with `predicate_modifier` = `Not` (SSSOM's negated mapping);
- not reviewed: no `reviewer_id` — the row is left out.

Accepted rows are merged into a links file (one named graph), checked for consistency,
validated with the SHACL gate together with the rest of the data, and only then written —
atomically, through a temporary file renamed over the target. A failing gate writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Graph, URIRef

from . import vocabulary as v
from .atomic_file import replaced_atomically
from .gate import Gate, ValidationReport
from .link_model import (
    LINK_PREDICATES,
    REVIEWED,
    Link,
    consistency_problems,
    links_graph,
    links_in,
    registry_node,
    turtle,
)
from .project import graph_for_path
from .resource_queries import exists
from .sssom import SEMAPV, MappingTable
from .store import Store

HEADER = """Links accepted in review of {source} and written by `stadtgraph links apply`.
Named graph: this file. Model and review protocol: data/links/README.md.
Each link is a plain triple plus its sg:LinkAssertion: registry, method (sg:ReviewedCandidate),
SSSOM justification and confidence of the candidate, reviewer and review date."""


class ApplyError(ValueError):
    """The table cannot be applied as it is; nothing was written."""


@dataclass
class Plan:
    """What a reviewed table asks for."""

    accepted: list[Link] = field(default_factory=list)
    rejected: int = 0
    unreviewed: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    """What applying did: new links written, links already there, and the gate's report."""

    plan: Plan
    written: list[Link]
    already: list[Link]
    report: ValidationReport | None
    output: Path

    @property
    def conforms(self) -> bool:
        return self.report is None or self.report.conforms


def plan(table: MappingTable) -> Plan:
    """Sort the rows into accepted, rejected and unreviewed; collect row problems."""
    result = Plan()
    for number, row in zip(table.line_numbers, table.rows, strict=True):
        reviewer = row.get("reviewer_id", "").split("|")[0].strip()
        if not reviewer:
            if row.get("reviewer_label") or row.get("review_date"):
                result.problems.append(
                    f"line {number}: reviewer_label or review_date without reviewer_id; name the "
                    "reviewer by an agent IRI or CURIE (e.g. sgid:agent/stadtgraph-projekt)"
                )
            else:
                result.unreviewed += 1
            continue
        if row.get("predicate_modifier", "").strip().lower() == "not":
            result.rejected += 1
            continue
        if row.get("predicate_modifier", "").strip():
            result.problems.append(
                f"line {number}: predicate_modifier is {row['predicate_modifier']!r}; "
                "SSSOM allows only Not"
            )
            continue
        try:
            result.accepted.append(_link(table, row, reviewer))
        except ApplyError as error:
            result.problems.append(f"line {number}: {error}")
    return result


def _link(table: MappingTable, row: dict[str, str], reviewer: str) -> Link:
    subject = _iri(table.expand(row.get("subject_id", "")), "subject_id")
    predicate = _iri(table.expand(row.get("predicate_id", "")), "predicate_id")
    if URIRef(predicate) not in LINK_PREDICATES:
        raise ApplyError(
            f"predicate_id {row.get('predicate_id')!r} is not owl:sameAs, skos:exactMatch "
            "or skos:closeMatch"
        )
    target = _iri(table.expand(row.get("object_id", "")), "object_id")
    registry = v.registry_for(target)
    if registry is None:
        raise ApplyError(f"object_id {target} lies in no registry Stadtgraph links to")
    justification = table.expand(row.get("mapping_justification", ""))
    if not re.fullmatch(re.escape(SEMAPV) + r"[A-Za-z]+", justification):
        raise ApplyError(
            "mapping_justification must be a semapv term such as semapv:LexicalMatching"
        )
    try:
        reviewed = date.fromisoformat(row.get("review_date", "").strip())
    except ValueError:
        raise ApplyError("review_date must be the day of the review as YYYY-MM-DD") from None
    confidence = None
    if row.get("confidence"):
        try:
            confidence = Decimal(row["confidence"])
        except InvalidOperation:
            raise ApplyError(f"confidence {row['confidence']!r} is not a number") from None
        if not Decimal(0) <= confidence <= Decimal(1):
            raise ApplyError(f"confidence {confidence} is not between 0 and 1")
    return Link(
        subject=URIRef(subject),
        predicate=URIRef(predicate),
        target=URIRef(target),
        registry=registry,
        method=REVIEWED,
        justification=URIRef(justification),
        reviewer=URIRef(_iri(table.expand(reviewer), "reviewer_id")),
        review_date=reviewed,
        derived_from=(registry_node(registry),),
        subject_label=row.get("subject_label", ""),
        confidence=confidence,
    )


def _iri(value: str, column: str) -> str:
    if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", value):
        raise ApplyError(f"{column} {value!r} is not an IRI or a CURIE with a known prefix")
    return value


def apply(
    table: MappingTable, output: Path, store: Store | None, source_name: str, gate: Gate | None
) -> Outcome:
    """Merge the accepted rows into `output` if the gate agrees; ApplyError for bad rows."""
    steps = plan(table)
    if steps.problems:
        raise ApplyError("\n".join(steps.problems))
    existing = Graph()
    if output.exists():
        try:
            existing.parse(output, format="turtle")
        except Exception as error:  # rdflib raises several parser exception types
            raise ApplyError(f"{output} is not readable Turtle: {error}") from None
    present = {link.key for link in links_in(existing)}
    written = [link for link in _unique(steps.accepted) if link.key not in present]
    already = [link for link in steps.accepted if link.key in present]
    if not written:
        return Outcome(steps, [], already, None, output)
    if store is not None:  # a link says what a resource of ours is: it must be one
        unknown = sorted({str(link.subject) for link in written if not exists(store, link.subject)})
        if unknown:
            raise ApplyError(
                "not a resource of the graph, so no link is written for it: " + ", ".join(unknown)
            )
    graph = links_graph(written, extra=existing)
    problems = consistency_problems(graph)
    if problems:
        raise ApplyError("\n".join(problems))
    graph_iri = graph_for_path(output)
    report = (gate or Gate()).validate_change(store, {graph_iri: graph}, {graph_iri})
    if report.conforms:
        write_atomically(output, turtle(graph, HEADER.format(source=source_name)))
    return Outcome(steps, written if report.conforms else [], already, report, output)


def _unique(links: list[Link]) -> list[Link]:
    seen: dict[tuple[str, str, str], Link] = {}
    for link in links:
        seen.setdefault(link.key, link)
    return list(seen.values())


def write_atomically(path: Path, text: str) -> None:
    """Write text to path through a temporary file in the same folder, renamed over it."""
    path.resolve().parent.mkdir(parents=True, exist_ok=True)
    with replaced_atomically(path) as stream:
        stream.write(text.encode("utf-8"))
