"""The SHACL gate: validate a write before it touches the store, and report readably.

A write is validated in context: the data graph holds the new triples, the store's triples
about the same subjects (minus the graphs being replaced), and one hop around them, so that
`sh:class` and references across files are checked; the ontology supplies the class hierarchy.
Only the subjects the write touches are validated (pyshacl `focus_nodes`), so a small write into
a large store stays fast.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, cast

from rdflib import RDF, RDFS, SH, Graph, Namespace
from rdflib.term import BNode, Literal, URIRef

from . import shacl_engine
from .project import ontology_files, shape_files, source_texts_folder
from .quote_check import SourceTexts, quote_problems
from .rdf_output import prefixes_for
from .sparql_values import values_block
from .store import Node, Store
from .term_check import DeclaredTerms, add_to_report, term_problems

NEIGHBOURHOOD_QUERY = "SELECT ?s ?p ?o ?g WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o }} }}"
REFERRERS_QUERY = "SELECT DISTINCT ?s ?g WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o }} }}"
BATCH = 250
"""Nodes asked about in one query (a VALUES block written by `values_block`)."""
DEFAULT_BASE = "https://w3id.org/stadtgraph/"
"""The default BASE_IRI: the prefixes of a report, the resources of a Gate made without one."""
OWN_RESOURCES = DEFAULT_BASE + "id/"
SHAPES = DEFAULT_BASE + "shapes#"


@dataclass(frozen=True)
class Violation:
    """One result of a SHACL validation report, flattened for people."""

    focus_node: str
    path: str | None
    value: str | None
    severity: str
    messages: dict[str, str]
    component: str
    shape: str | None
    sources: tuple[str, ...] = ()

    def message(self, language: str = "en") -> str:
        """Return the message in a language, falling back to any."""
        for key in (language, "en", "de", ""):
            if key in self.messages:
                return self.messages[key]
        return next(iter(self.messages.values()), "constraint not met")

    def as_dict(self) -> dict[str, object]:
        return {
            "focusNode": self.focus_node,
            "path": self.path,
            "value": self.value,
            "severity": self.severity,
            "message": self.messages,
            "constraintComponent": self.component,
            "sourceShape": self.shape,
            "sources": list(self.sources),
        }


@dataclass
class ValidationReport:
    """The outcome of a validation: conformance, the flat violations and the SHACL report."""

    conforms: bool
    violations: list[Violation]
    graph: Graph = field(repr=False)
    focus_count: int = 0

    def to_text(self, language: str = "en") -> str:
        """Render the report as readable text, grouped by source file."""
        german = language == "de"
        if self.conforms:
            if german:
                return f"gültig: {self.focus_count:,} Ressource(n) geprüft, keine Verstöße"
            resources = "resource" if self.focus_count == 1 else "resources"
            return f"conforms: {self.focus_count:,} {resources} checked, no violations"
        count = len(self.violations)
        lines = [
            f"{count} Verstoß/Verstöße gegen die SHACL-Formen (shapes/):"
            if german
            else f"{count} violation(s) of the SHACL shapes:"
        ]
        for violation in self.violations:
            where = ", ".join(violation.sources) or ("(im Bestand)" if german else "(store)")
            lines.append(f"- {where}: {violation.focus_node}")
            if violation.path:
                lines.append(f"    path:    {violation.path}")
            if violation.value:
                lines.append(f"    value:   {violation.value}")
            lines.append(f"    message: {violation.message(language)}")
            other = [m for lang, m in violation.messages.items() if lang != language]
            if other and language in violation.messages:
                lines.append(f"             {other[0]}")
            lines.append(f"    ({violation.severity}, {violation.component})")
        return "\n".join(lines)

    def to_json(self) -> str:
        return json.dumps(
            {"conforms": self.conforms, "violations": [v.as_dict() for v in self.violations]},
            ensure_ascii=False,
            indent=2,
        )

    def to_turtle(self) -> str:
        return self.graph.serialize(format="turtle")


class Gate:
    """Validates data against the project's shapes, with the ontology as class hierarchy."""

    def __init__(
        self,
        shapes: Iterable[Path] | None = None,
        ontology: Iterable[Path] | None = None,
        own_resources: str = OWN_RESOURCES,
        sources: SourceTexts | None = None,
    ):
        self._shape_paths = list(shapes if shapes is not None else shape_files())
        self._ontology_paths = list(ontology if ontology is not None else ontology_files())
        self.own_resources = own_resources
        """Where this dataset's resources live (BASE_IRI + "id/"): each must have a type."""
        self.sources = sources if sources is not None else SourceTexts({})
        """The source texts every written quote must stand in (none: quotes unchecked)."""

    @classmethod
    def for_settings(cls, settings: Mapping[str, Any]) -> Gate:
        """The project's gate as the settings make it: BASE_IRI's resources need a type, and
        quotes must stand in SOURCE_TEXTS (the same for HTTP writes and the CLI)."""
        folder = source_texts_folder(settings.get("SOURCE_TEXTS"))
        return cls(
            own_resources=str(settings["BASE_IRI"]) + "id/", sources=SourceTexts.read(folder)
        )

    @cached_property
    def shapes(self) -> Graph:
        graph = Graph()
        for path in self._shape_paths:
            graph.parse(path)
        return graph

    @cached_property
    def _full_ontology(self) -> Graph:
        full = Graph()
        for path in self._ontology_paths:
            full.parse(path)
        return full

    @cached_property
    def ontology(self) -> Graph:
        """The class hierarchy of the ontology: all SHACL needs of it (rdfs:subClassOf)."""
        graph = Graph()
        for triple in self._full_ontology.triples((None, RDFS.subClassOf, None)):
            graph.add(triple)
        return graph

    @cached_property
    def declared_terms(self) -> DeclaredTerms:
        """The classes and properties the ontology declares (see `term_check`)."""
        return DeclaredTerms.of(self._full_ontology)

    def validate(
        self,
        data: Graph,
        focus_nodes: Iterable[Node] | None = None,
        sources: Mapping[Node, Iterable[str]] | None = None,
        *,
        owned: bool = False,
    ) -> ValidationReport:
        """Validate a data graph (all of it, or only the focus nodes).

        With `owned`, the graph is the gate's own scratch graph: the class hierarchy is added
        to it in place instead of pyshacl copying the data to mix the ontology in.
        """
        focus = None if focus_nodes is None else sorted(set(focus_nodes), key=str)
        if focus is not None and any(isinstance(node, BNode) for node in focus):
            data = data.skolemize()
            focus = [_skolem(node) for node in focus]
            sources = {_skolem(node): files for node, files in (sources or {}).items()}
        if focus is not None and not focus:
            return ValidationReport(True, [], Graph(), 0)
        counted = len(focus) if focus is not None else len(set(data.subjects()))
        if len(self.shapes) == 0:
            return ValidationReport(True, [], Graph(), counted)
        if owned:  # counted before: the class hierarchy is not data that was checked
            data += self.ontology
        conforms, report, _ = shacl_engine.validate(
            data,
            shacl_graph=self.shapes,
            ont_graph=None if owned else self.ontology,
            inplace=owned,
            inference="none",
            focus_nodes=cast("list[str | URIRef] | None", focus),
            allow_infos=True,
            allow_warnings=True,
        )
        violations = _violations(report, data, sources or {})
        return ValidationReport(bool(conforms), violations, report, counted)

    def validate_change(
        self,
        store: Store | None,
        additions: Mapping[str, Graph],
        replaced: Iterable[str] = (),
        sources: Mapping[Node, Iterable[str]] | None = None,
    ) -> ValidationReport:
        """Validate the store as it would be after a write, at the nodes the write touches.

        `additions` maps graph IRIs to the triples added to them; `replaced` names graphs whose
        current content the write drops (a replace, a delete).
        """
        replaced = set(replaced)
        new = Graph()
        for graph in additions.values():
            new += graph
        if sources is None:  # name the graph each resource is written to
            named: dict[Node, set[str]] = {}
            for name, graph in additions.items():
                for subject in graph.subjects():
                    named.setdefault(cast(Node, subject), set()).add(f"<{name}>")
            sources = named
        # pyshacl takes only IRIs as focus nodes: give the write's blank nodes stable IRIs.
        new = new.skolemize()
        sources = {_skolem(node): files for node, files in (sources or {}).items()}
        focus = cast(set[Node], {s for s in new.subjects() if isinstance(s, URIRef)})
        if store is not None and replaced:
            dropped = _subjects_in_graphs(store, replaced)
            focus |= dropped
            focus |= _referrers(store, dropped, replaced)
        data = Graph()
        data += new
        if store is not None:
            _add_neighbourhood(store, data, focus, replaced)
        problems = (
            term_problems(new, data, self.declared_terms, self.own_resources)
            if self._ontology_paths
            else []
        )
        problems += quote_problems(new, self.sources)
        if len(data) == len(new):
            # Nothing came from the store: validating all of it is the same, and cheaper.
            report = self.validate(data, sources=sources, owned=True)
        else:
            report = self.validate(data, focus_nodes=focus, sources=sources, owned=True)
        if not problems:
            return report
        add_to_report(report.graph, problems)
        violations = _violations(report.graph, data, sources)
        return ValidationReport(False, violations, report.graph, report.focus_count)


def _skolem(node: Node) -> Node:
    return node.skolemize() if isinstance(node, BNode) else node


def _subjects_in_graphs(store: Store, graphs: set[str]) -> set[Node]:
    subjects: set[Node] = set()
    for graph in graphs:
        result = store.select(
            "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(graph)}
        )
        subjects.update(row["s"] for row in result if not isinstance(row["s"], BNode))
    return subjects


def _referrers(store: Store, targets: set[Node], excluded: set[str]) -> set[Node]:
    found: set[Node] = set()
    for batch in _batches(targets):
        result = store.select(REFERRERS_QUERY.format(values=values_block("o", batch)))
        found.update(
            row["s"]
            for row in result
            if str(row["g"]) not in excluded and not isinstance(row["s"], BNode)
        )
    return found


def _add_neighbourhood(store: Store, data: Graph, focus: set[Node], excluded: set[str]) -> None:
    """Copy from the store the triples of the focus nodes and of the nodes they point to."""
    frontier = {node for node in focus if isinstance(node, URIRef)}
    seen: set[Node] = set()
    for _hop in range(2):
        for batch in _batches(frontier - seen):
            for row in store.select(NEIGHBOURHOOD_QUERY.format(values=values_block("s", batch))):
                if str(row["g"]) not in excluded:
                    data.add((row["s"], row["p"], row["o"]))
        seen |= frontier
        frontier = {
            obj for subject in frontier for obj in data.objects(subject) if isinstance(obj, URIRef)
        }


def _batches(nodes: Iterable[Node]) -> Iterator[list[URIRef | Literal]]:
    """Split the nodes a query can bind into sorted batches.

    Blank nodes have no identity across stores, and only IRIs have triples of their own.
    """
    named = sorted((n for n in nodes if isinstance(n, URIRef)), key=str)
    for start in range(0, len(named), BATCH):
        yield list(named[start : start + BATCH])


def _violations(
    report: Graph, data: Graph, sources: Mapping[Node, Iterable[str]]
) -> list[Violation]:
    names = _Namer(data)
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        messages = {
            (m.language or ""): str(m)
            for m in report.objects(result, SH.resultMessage)
            if isinstance(m, Literal)
        }
        value = report.value(result, SH.value)
        path = report.value(result, SH.resultPath)
        component = report.value(result, SH.sourceConstraintComponent)
        shown_value = names(value) if value is not None else None
        if value is None and component == SH.UniqueLangConstraintComponent:
            # SHACL gives no value here: name the texts that share a language.
            shown_value = _same_language(data, focus, path, names)
        severity = report.value(result, SH.resultSeverity)
        found.append(
            Violation(
                focus_node=names(focus),
                path=names(path) if path is not None else None,
                value=shown_value,
                severity=names(severity) if severity is not None else "sh:Violation",
                messages=messages,
                component=names(component),
                shape=names(report.value(result, SH.sourceShape)),
                sources=tuple(sorted(sources.get(cast(Node, focus), ())))
                if focus is not None
                else (),
            )
        )
    return sorted(found, key=_reading_order)


def _same_language(data: Graph, focus: object, path: object, names: _Namer) -> str | None:
    """The texts of a focus node on a path that share their language with another."""
    if not isinstance(focus, URIRef | BNode) or not isinstance(path, URIRef):
        return None
    by_language: dict[str, list[Literal]] = {}
    for text in data.objects(focus, path):
        if isinstance(text, Literal) and text.language:
            by_language.setdefault(text.language, []).append(text)
    clashing = [t for texts in by_language.values() if len(texts) > 1 for t in sorted(texts)]
    return ", ".join(names(t) for t in clashing) or None


def _reading_order(violation: Violation) -> tuple[object, ...]:
    """Sort violations by file, resource, path, value and constraint, so that a report reads
    the same on every run (pyshacl lists them in no fixed order)."""
    return (
        violation.sources,
        violation.focus_node,
        violation.path or "",
        violation.value or "",
        violation.component,
        violation.shape or "",
        sorted(violation.messages.items()),
    )


class _Namer:
    """Render terms compactly with the data's prefixes."""

    def __init__(self, data: Graph) -> None:
        self._manager = data.namespace_manager
        self._manager.bind("sh", Namespace(str(SH)), override=False)
        # A write over HTTP brings no prefixes: name our terms and the standard ones briefly.
        for prefix, namespace in {**prefixes_for(DEFAULT_BASE), "sgsh": SHAPES}.items():
            self._manager.bind(prefix, Namespace(namespace), override=False)

    def __call__(self, term: object) -> str:
        if term is None:
            return ""
        if isinstance(term, URIRef):
            if "/.well-known/genid/" in term:
                return "[]"  # a blank node the gate gave an IRI
            try:
                return str(self._manager.normalizeUri(term))
            except Exception:
                return f"<{term}>"
        if isinstance(term, Literal):
            return term.n3(self._manager)
        if isinstance(term, BNode):
            return "[]"
        return str(term)
