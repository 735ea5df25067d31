"""Refuse a quote that its source does not hold: `sg:quote` is the source's own words, and
the data is a public record of who said what. No shape can see the source, so the gate holds
the text versions of the sources (STADTGRAPH_SOURCE_TEXTS: a folder of .txt files) and checks
that each written quote stands in one of them, word for word (runs of white space count as one
space; the text files keep the source's line breaks and bullets).

Without a folder of source texts nothing is checked here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import BNode

from .term_check import GateProblem

QUOTE = URIRef("https://w3id.org/stadtgraph/ontology#quote")
SHAPE = URIRef("https://w3id.org/stadtgraph/shapes#VerbatimQuotes")


def collapse(text: str) -> str:
    """Runs of white space as one space, ends trimmed: how quotes and sources are compared."""
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class SourceTexts:
    """The text versions of the sources, by file name, white space collapsed."""

    texts: dict[str, str]

    @classmethod
    def read(cls, folder: Path | None) -> SourceTexts:
        """Read every .txt file of a folder (none: an empty set, which checks nothing)."""
        if folder is None:
            return cls({})
        found = sorted(folder.glob("*.txt"))
        return cls({path.name: collapse(path.read_text(encoding="utf-8")) for path in found})

    def holds(self, quote: str) -> bool:
        wanted = collapse(quote)
        return any(wanted in text for text in self.texts.values())


def quote_problems(written: Graph, sources: SourceTexts) -> list[GateProblem]:
    """Find the written quotes that no source text holds word for word."""
    if not sources.texts:
        return []
    problems = []
    for subject, quote in sorted(written.subject_objects(QUOTE), key=str):
        if not isinstance(quote, Literal) or not isinstance(subject, URIRef | BNode):
            continue
        if not sources.holds(str(quote)):
            problems.append(_not_in_sources(subject, quote, sources.texts))
    return problems


def _not_in_sources(subject: URIRef | BNode, quote: Literal, texts: Iterable[str]) -> GateProblem:
    names = ", ".join(texts)
    return GateProblem(
        subject,
        QUOTE,
        quote,
        {
            "de": "Das Zitat (sg:quote) steht so in keiner Quelle (" + names + "); ein Zitat gibt "
            "den Wortlaut der Quelle wieder. Eigene Worte gehören in sg:paraphrase.",
            "en": "The quote (sg:quote) is not in any source (" + names + ") word for word; a "
            "quote gives the source's own words. Words of our own go in sg:paraphrase.",
        },
        SHAPE,
    )
