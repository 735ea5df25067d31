"""Shape the rows of a resource into what its page shows: labels in the page's language,
values grouped by predicate, identifiers, incoming links, involvement and statements.

No store and no Flask here: the input is `EntityRows`, the output plain dataclasses, so the
shaping is tested on its own. Links are made by a `Linker` the web layer hands in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib.term import BNode, Literal, URIRef

from . import vocabulary as v
from .labels import Labels, Link, Linker, pick
from .resource_queries import EntityRows, RunQuery
from .statement_view import InvolvementRow, StatementView, involvement_rows, statement_views
from .store import Node

PAGE_SIZE = 20
FIRST = (
    v.SKOS + "prefLabel",
    v.RDFS + "label",
    v.SKOS + "altLabel",
    v.SCHEMA + "name",
    v.DCTERMS + "title",
    v.SKOS + "definition",
    v.DCTERMS + "description",
    v.RDFS + "comment",
    v.SKOS + "note",
)
LAST = (v.RDFS + "isDefinedBy", v.PROV + "wasDerivedFrom", v.SKOS + "editorialNote")
HIDDEN = {v.RDF + "type"}


@dataclass
class Value:
    """One value of a property: a link, a literal, or a blank node with its own properties."""

    kind: str  # "iri" | "literal" | "blank"
    text: str
    href: str | None = None
    language: str | None = None
    datatype: str | None = None
    nested: list[PropertyGroup] = field(default_factory=list)


@dataclass
class PropertyGroup:
    predicate: str
    label: str
    href: str
    values: list[Value]


@dataclass
class Identifier:
    name: str
    value: str
    href: str | None
    same_thing: bool = False
    """The link names this very thing elsewhere (owl:sameAs, or skos:exactMatch to an entry of
    an entity registry), not a vocabulary concept or a close match."""


@dataclass
class IncomingGroup:
    predicate: str
    label: str
    """The property read from this resource's side (`vocabulary.inverse_label`)."""
    href: str
    count: int
    items: list[Link]
    page: int
    pages: int

    @property
    def first(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1

    @property
    def last(self) -> int:
        return (self.page - 1) * PAGE_SIZE + len(self.items)


@dataclass
class Entity:
    iri: str
    label: str | None
    label_language: str | None
    description: str | None
    types: list[Link]
    all_types: list[str]
    identifiers: list[Identifier]
    properties: list[PropertyGroup]
    incoming: list[IncomingGroup]
    incoming_total: int
    incoming_truncated: bool
    involvement: list[InvolvementRow]
    statements: list[StatementView]
    queries: list[RunQuery]
    labels_by_language: dict[str, str]


def build_entity(
    rows: EntityRows,
    language: str,
    link: Linker,
    default: str = "de",
    incoming_focus: str | None = None,
    incoming_page: int = 1,
) -> Entity:
    """Shape the rows of one resource for its page in `language`."""
    labels = Labels(language, default)
    for row in rows.labels:
        labels.add(row["x"], row.get("label"), row.get("labelProperty"))
    for row in rows.outgoing:
        if str(row["p"]) in v.LABEL_RANK:
            labels.add(row["s"], row["o"], row["p"])
    resource = rows.resource
    by_subject: dict[Node, list[tuple[URIRef, Node]]] = defaultdict(list)
    for row in rows.outgoing:
        pair = (row["p"], row["o"])
        if pair not in by_subject[row["s"]]:
            by_subject[row["s"]].append(pair)  # type: ignore[arg-type]
    own = by_subject.get(resource, [])
    identifier_predicates = {str(r["p"]) for r in rows.identifier_properties}
    identifier_predicates.update(v.IDENTIFIER_PREDICATES)
    label = labels.literal(resource)
    # Per language the preferred predicate's label (then the first in text order).
    names = sorted(
        ((v.LABEL_RANK[str(p)], str(o), o) for p, o in own if str(p) in v.LABEL_RANK),
        key=lambda name: name[:2],
    )
    labels_by_language: dict[str, str] = {}
    for _, text, literal in names:
        if isinstance(literal, Literal):
            labels_by_language.setdefault(literal.language or "", text)
    incoming = _incoming(rows, labels, link, incoming_focus, incoming_page)
    return Entity(
        iri=str(resource),
        label=str(label) if label is not None else None,
        label_language=label.language if label is not None else None,
        description=_first_text(own, v.DESCRIPTION_PREDICATES, labels),
        types=_type_chips(own, labels, link),
        all_types=[str(r["type"]) for r in rows.types],
        identifiers=_identifiers(own, identifier_predicates, labels),
        properties=_groups(resource, by_subject, labels, link, identifier_predicates, {resource}),
        incoming=incoming,
        incoming_total=sum(g.count for g in incoming),
        incoming_truncated=rows.incoming_truncated,
        involvement=involvement_rows(rows, labels, link),
        statements=statement_views(rows, labels, link),
        queries=rows.queries,
        labels_by_language=labels_by_language,
    )


def _first_text(
    pairs: list[tuple[URIRef, Node]], predicates: Iterable[str], labels: Labels
) -> str | None:
    for predicate in predicates:
        found = pick(
            [o for p, o in pairs if str(p) == predicate and isinstance(o, Literal)],
            labels.language,
            labels.default,
        )
        if found is not None:
            return str(found)
    return None


def _type_chips(pairs: list[tuple[URIRef, Node]], labels: Labels, link: Linker) -> list[Link]:
    """The resource's classes as the page names them: the ontology's own where it has any
    (Strategie, not also PROV's "Plan"; the data keeps every type), else the standard ones."""
    types = [o for p, o in pairs if str(p) == v.RDF + "type" and isinstance(o, URIRef)]
    own = [t for t in types if str(t).startswith(v.SG)]
    return [Link(labels.text(t), link(str(t)), str(t)) for t in own or types]


def _identifiers(
    pairs: list[tuple[URIRef, Node]], identifier_predicates: set[str], labels: Labels
) -> list[Identifier]:
    found: list[Identifier] = []
    linked: set[str] = set()
    for predicate, obj in pairs:
        if str(predicate) in v.LINK_PREDICATES and isinstance(obj, URIRef):
            registry = v.registry_for(str(obj))
            name = registry.label(labels.language) if registry else labels.text(predicate)
            value = registry.local_id(str(obj)) if registry else str(obj)
            linked.add(value)
            same_thing = str(predicate) in v.IDENTITY_PREDICATES and not (
                registry and registry.vocabulary
            )
            found.append(Identifier(name, value, str(obj), same_thing))
    for predicate, obj in pairs:
        if (
            str(predicate) in identifier_predicates
            and isinstance(obj, Literal)
            and str(obj) not in linked
        ):
            found.append(Identifier(labels.text(predicate), str(obj), None))
    return sorted(found, key=lambda i: (i.href is None, i.name.lower(), i.value))


def _order(predicate: str, label: str) -> tuple[int, int, str]:
    if predicate in FIRST:
        return (0, FIRST.index(predicate), "")
    if predicate in LAST:
        return (2, LAST.index(predicate), "")
    return (1, 0, label.lower())


def _value(
    obj: Node,
    by_subject: dict[Node, list[tuple[URIRef, Node]]],
    labels: Labels,
    link: Linker,
    seen: set[Node],
) -> Value:
    if isinstance(obj, Literal):
        datatype = None
        text = str(obj)
        if obj.datatype is not None:
            if str(obj.datatype) not in v.SELF_EVIDENT_DATATYPES:
                datatype = v.prefixed(str(obj.datatype))
            text = v.readable_value(text, str(obj.datatype), labels.language)
        return Value("literal", text, language=obj.language, datatype=datatype)
    if isinstance(obj, BNode):
        nested = [] if obj in seen else _groups(obj, by_subject, labels, link, set(), seen | {obj})
        return Value("blank", labels.text(obj) if labels.literal(obj) else "", nested=nested)
    return Value("iri", labels.text(obj), href=link(str(obj)))


def _groups(
    subject: Node,
    by_subject: dict[Node, list[tuple[URIRef, Node]]],
    labels: Labels,
    link: Linker,
    skip: set[str],
    seen: set[Node],
) -> list[PropertyGroup]:
    grouped: dict[str, list[Node]] = defaultdict(list)
    for predicate, obj in by_subject.get(subject, []):
        name = str(predicate)
        if name in HIDDEN or name in skip:
            continue
        if name in v.LINK_PREDICATES and not isinstance(obj, BNode):
            continue
        grouped[name].append(obj)
    groups = []
    for name, objects in grouped.items():
        values = [_value(o, by_subject, labels, link, seen) for o in objects]
        values.sort(
            key=lambda val: (
                val.kind != "literal",
                val.language != labels.language,
                val.text.lower(),
            )
        )
        label = labels.text(URIRef(name))
        groups.append(PropertyGroup(name, label, link(name), values))
    return sorted(groups, key=lambda g: _order(g.predicate, g.label))


_LIST_PARTS = {v.RDF + "first", v.RDF + "rest"}


def _incoming(
    rows: EntityRows, labels: Labels, link: Linker, focus: str | None, page: int
) -> list[IncomingGroup]:
    subject_labels = Labels(labels.language, labels.default)
    by_predicate: dict[str, dict[Node, None]] = defaultdict(dict)  # (ordered, no repeats)
    for row in rows.incoming.rows[: rows.incoming_cap]:
        if str(row["p"]) in _LIST_PARTS and isinstance(row["s"], BNode):
            continue  # a cell of an RDF list (say, a shape's sh:in): no link a reader can follow
        subject_labels.add(row["s"], row.get("label"), row.get("labelProperty"))
        by_predicate[str(row["p"])][row["s"]] = None
    groups = []
    for predicate, subjects in by_predicate.items():
        items = sorted(
            (
                Link(
                    subject_labels.text(s) if isinstance(s, URIRef) else labels.text(s),
                    link(str(s)) if isinstance(s, URIRef) else "",
                    str(s),
                )
                for s in subjects
            ),
            key=lambda item: (item.text.lower(), item.iri),
        )
        pages = max(1, -(-len(items) // PAGE_SIZE))
        current = min(max(page, 1), pages) if predicate == focus else 1
        start = (current - 1) * PAGE_SIZE
        groups.append(
            IncomingGroup(
                predicate,
                v.inverse_label(predicate, labels.text(URIRef(predicate)), labels.language),
                link(predicate),
                len(items),
                items[start : start + PAGE_SIZE],
                current,
                pages,
            )
        )
    return sorted(groups, key=lambda g: (-g.count, g.label.lower()))
