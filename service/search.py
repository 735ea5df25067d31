"""Find resources by their labels in German and English: prefix and substring, ranked.

The index is built from the projection's labels (every language, preferred and alternative
labels), once per state of the store. Matching ignores case and accents. No Flask here.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

from . import vocabulary as v
from .analytics import memo, undirected
from .projection import KIND_BY_KEY, Projection

MAX_QUERY = 200
NAMES = len(v.LABEL_PREDICATES)
"""Label ranks below this are names (rdfs:label, skos:prefLabel …); the rest alternatives."""


def normalise(text: str) -> str:
    """Fold case and accents: 'Bürger' and 'burger' match, as do 'Straße' and 'strasse'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


@dataclass(frozen=True)
class Entry:
    iri: str
    kind: str
    texts: tuple[tuple[str, str, str, int], ...]
    """(normalised, original, language, label rank) for each label."""


@dataclass(frozen=True)
class Hit:
    iri: str
    kind: str
    score: int
    matched: str
    matched_language: str
    degree: int
    in_graph: bool


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    counts: Counter[str]


def index(projection: Projection) -> list[Entry]:
    """Return the search index of a projection (built once)."""

    def compute() -> list[Entry]:
        entries = []
        for resource in projection.resources.values():
            if resource.kind is None or resource.kind.key == "involvement" or not resource.labels:
                continue
            texts = tuple(
                (normalise(label.text), label.text, label.language, label.rank)
                for label in resource.labels
            )
            entries.append(Entry(resource.iri, resource.kind.key, texts))
        return entries

    return memo(projection, ("search-index",), compute)


def score(query: str, text: str) -> int:
    """Score how well a normalised label matches a normalised query (0: no match)."""
    if text == query:
        return 100
    if text.startswith(query):
        return 80
    position = text.find(query)
    if position > 0:
        return 40 if text[position - 1].isalnum() else 60
    tokens = query.split()
    if len(tokens) > 1 and all(token in text for token in tokens):
        return 30
    return 0


def search(
    projection: Projection,
    query: str,
    language: str,
    kinds: frozenset[str] | None = None,
    limit: int = 10,
) -> SearchResult:
    """Find resources whose labels match query; best first, with counts per kind."""
    wanted = normalise(query)[:MAX_QUERY]
    if not wanted:
        return SearchResult([], 0, Counter())
    degrees = undirected(projection)
    hits: list[Hit] = []
    for entry in index(projection):
        if kinds is not None and entry.kind not in kinds:
            continue
        best: tuple[int, str, str] | None = None
        for normalised, original, label_language, rank in entry.texts:
            found = score(wanted, normalised)
            if not found:
                continue
            # A name counts more than an alternative label ("Kassel" names the city and is
            # the district's short name); the reader's language more than another.
            found += (5 if rank < NAMES else 0) + (3 if label_language == language else 0)
            if best is None or found > best[0]:
                best = (found, original, label_language)
        if best is not None:
            in_graph = entry.iri in degrees
            degree = degrees.degree[entry.iri] if in_graph else 0
            hits.append(Hit(entry.iri, entry.kind, best[0], best[1], best[2], degree, in_graph))
    hits.sort(key=lambda h: (-h.score, not h.in_graph, -h.degree, h.matched.casefold(), h.iri))
    return SearchResult(hits[:limit], len(hits), Counter(h.kind for h in hits))


def kind_label(kind: str, language: str) -> str:
    return KIND_BY_KEY[kind].label(language)
