"""Labels in the page's language, and links: what every page that shows RDF terms needs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib.term import Literal, URIRef

from . import vocabulary as v
from .store import Node

Linker = Callable[[str], str]
"""Turn an IRI into the URL a page links to (our page for our resources, else the IRI)."""


class Labels:
    """Labels of the terms on a page, and the choice of one in the page's language."""

    def __init__(self, language: str, default: str = "de") -> None:
        self.language, self.default = language, default
        self._found: dict[Node, list[tuple[int, Literal]]] = defaultdict(list)
        self._chosen: dict[Node, Literal | None] = {}

    def add(self, node: Node, label: Node | None, via: Node | str | None = None) -> None:
        """Note a label of node, given by the predicate via (None: rank it after the known ones).

        Among labels in the same language the preferred predicate's wins (see
        `vocabulary.LABEL_PREDICATES`), whatever order the rows came in. (A label noted twice
        is kept twice: that changes no choice, and comparing rdflib literals is slow.)
        """
        if isinstance(label, Literal):
            self._found[node].append((v.LABEL_RANK.get(str(via), len(v.LABEL_RANK)), label))
            self._chosen.pop(node, None)

    def literal(self, node: Node) -> Literal | None:
        if node in self._chosen:
            return self._chosen[node]
        ranked = sorted(self._found.get(node, ()), key=_rank)  # (stable: arrival among equals)
        chosen = pick([label for _, label in ranked], self.language, self.default)
        self._chosen[node] = chosen
        return chosen

    def text(self, node: Node) -> str:
        """Return the label of node in the page language, or a readable stand-in."""
        found = self.literal(node)
        if found is not None:
            return str(found)
        if isinstance(node, URIRef):
            registry = v.registry_for(str(node))
            if registry is not None:
                return f"{registry.label(self.language)} {registry.local_id(str(node))}"
            return v.standard_label(str(node), self.language) or v.humanize(str(node))
        if isinstance(node, Literal) and node.datatype is not None:
            return v.readable_value(str(node), str(node.datatype), self.language)
        return str(node)


def _rank(entry: tuple[int, Literal]) -> int:
    return entry[0]


def pick(literals: Iterable[Literal], language: str, default: str = "de") -> Literal | None:
    """Pick the literal in `language`, else in the default language, else untagged, else any."""
    candidates = list(literals)
    for wanted in (language, default):
        for literal in candidates:
            if literal.language and literal.language.lower().split("-")[0] == wanted:
                return literal
    for literal in candidates:
        if not literal.language:
            return literal
    return min(candidates, key=lambda lit: (lit.language or "", str(lit))) if candidates else None


@dataclass
class Link:
    text: str
    href: str
    iri: str
