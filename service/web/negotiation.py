"""Content types the SPARQL endpoint speaks, and the choice among them by Accept or `format=`.

Kept apart from the endpoint so that the tables and the choice are tested on their own. The
Accept header is parsed by Werkzeug (`MIMEAccept`); `best_match` chooses by RFC 9110, which
Werkzeug's own choice does not (it compares media-type parameters, so `text/turtle;
charset=utf-8` matched nothing, and let `*/*` outweigh a type's own `q=0`). Every place that
negotiates uses it.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
"""Request body media types of the SPARQL 1.1 Protocol."""


class ResultKind(Enum):
    """What a query form returns: solutions (SELECT, ASK) or a graph (CONSTRUCT, DESCRIBE)."""

    SOLUTIONS = "solutions"
    GRAPH = "graph"

    @classmethod
    def of_form(cls, form: str) -> ResultKind:
        return cls.SOLUTIONS if form in {"SELECT", "ASK"} else cls.GRAPH


@dataclass(frozen=True)
class Format:
    """One serialisation: the media type we send, its short `format=` names, and its aliases."""

    media_type: str
    names: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    explicit_only: bool = False
    """Offered only when the client names it (N-Quads: a graph result has no graph names)."""

    @property
    def content_type(self) -> str:
        text = self.media_type.startswith("text/") or self.media_type.endswith(("json", "xml"))
        return f"{self.media_type}; charset=utf-8" if text else self.media_type


SOLUTION_FORMATS: tuple[Format, ...] = (
    Format("application/sparql-results+json", ("json", "srj"), ("application/json",)),
    Format("application/sparql-results+xml", ("xml", "srx")),
    Format("text/csv", ("csv",)),
    Format("text/tab-separated-values", ("tsv",)),
)
"""Formats for SELECT and ASK, the server's preference first."""

GRAPH_FORMATS: tuple[Format, ...] = (
    Format("text/turtle", ("ttl", "turtle")),
    Format("application/n-triples", ("nt", "ntriples", "n-triples")),
    Format("application/ld+json", ("jsonld", "json-ld", "json"), ("application/json",)),
    Format("application/rdf+xml", ("rdf", "rdfxml", "xml")),
    Format("application/n-quads", ("nq", "nquads", "n-quads"), explicit_only=True),
)
"""Formats for CONSTRUCT and DESCRIBE (and the service description), preference first."""


class NotAcceptable(Exception):
    """No offered format fits what the client asked for; the message lists the offers.
    `ui_text` and `ui_values` say the same in the UI strings, where they can."""

    def __init__(
        self, message: str, ui_text: str | None = None, ui_values: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.ui_text = ui_text
        self.ui_values = ui_values or {}


class UnknownFormat(ValueError):
    """A `format=` value names no format at all."""


def best_match(
    accept: Iterable[tuple[str, float]], offers: Sequence[str], named_only: Collection[str] = ()
) -> str | None:
    """Return the offer the client prefers, or None when it accepts none (RFC 9110 §12.5.1).

    Each offer takes the quality of the most specific range that names it: its own type over
    `type/*` over `*/*`, so `text/html;q=0, */*` refuses HTML. Media-type parameters other than
    q (`charset`, `profile`, `header`) are not compared. Among offers of equal quality the one
    listed first wins: the server's preference. Offers in `named_only` (aliases such as
    `application/json` for JSON-LD) count only where the client names them, so that a wildcard
    cannot bring back a format the client refused by its own name.
    """
    accept = list(accept)
    ranges = [(_media_type(value), quality) for value, quality in accept]
    chosen, chosen_quality = None, 0.0
    for offer in offers:
        media_type = offer.lower()
        if offer in named_only and not names_explicitly(accept, media_type):
            continue
        family = media_type.split("/", 1)[0] + "/*"
        quality, specificity = 0.0, -1
        for media_range, q in ranges:
            if media_range == media_type:
                rank = 2
            elif media_range == family:
                rank = 1
            elif media_range in {"*/*", "*"}:
                rank = 0
            else:
                continue
            if rank > specificity or (rank == specificity and q > quality):
                quality, specificity = q, rank
        if quality > chosen_quality:
            chosen, chosen_quality = offer, quality
    return chosen


def names_explicitly(accept: Iterable[tuple[str, float]], media_type: str) -> bool:
    """Say whether the client names a media type itself (not by a wildcard) with q > 0."""
    return any(_media_type(value) == media_type and quality > 0 for value, quality in accept)


def _media_type(value: str) -> str:
    """A media range of an Accept header without its parameters: `text/csv; header=present`."""
    return value.split(";", 1)[0].strip().lower()


def formats_for(kind: ResultKind) -> tuple[Format, ...]:
    return SOLUTION_FORMATS if kind is ResultKind.SOLUTIONS else GRAPH_FORMATS


def offered(kind: ResultKind) -> str:
    """List the media types offered for a kind of result, for messages."""
    return ", ".join(f.media_type for f in formats_for(kind))


def choose_format(kind: ResultKind, accept: MIMEAccept, format_param: str | None = None) -> Format:
    """Pick the format to answer in: `format=` wins, then the best Accept match.

    A missing or empty Accept header means anything; the first format of the table is sent.
    """
    formats = formats_for(kind)
    if format_param:
        return _by_name(kind, format_param.strip())
    if not accept:
        return formats[0]
    offers: list[str] = []
    by_offer: dict[str, Format] = {}
    aliases: set[str] = set()
    refused = {_media_type(value) for value, q in accept if q <= 0}
    for fmt in formats:
        if fmt.explicit_only and not names_explicitly(accept, fmt.media_type):
            continue
        aliases.update(fmt.aliases)
        # An alias never brings back a format the client refused by its own name.
        names = (fmt.media_type, *(() if fmt.media_type in refused else fmt.aliases))
        for media_type in names:
            if media_type not in by_offer:
                offers.append(media_type)
                by_offer[media_type] = fmt
    best = best_match(accept, offers, named_only=aliases)
    if best is None:
        asked = ", ".join(value for value, _ in accept) or "(nothing)"
        raise NotAcceptable(
            f"Cannot answer a {_label(kind)} in any of the requested media types ({asked}). "
            f"Offered: {offered(kind)}.",
            "error.not_acceptable." + ("solutions" if kind is ResultKind.SOLUTIONS else "graph"),
            {"asked": asked, "offered": offered(kind)},
        )
    return by_offer[best]


@functools.lru_cache(maxsize=256)
def choose_format_for(kind: ResultKind, accept_header: str, format_param: str | None) -> Format:
    """`choose_format` for a raw Accept header: the few headers clients send are parsed once."""
    return choose_format(kind, parse_accept_header(accept_header, MIMEAccept), format_param)


def _by_name(kind: ResultKind, name: str) -> Format:
    wanted = name.lower()
    for fmt in formats_for(kind):
        if wanted == fmt.media_type or wanted in fmt.names or wanted in fmt.aliases:
            return fmt
    other = ResultKind.GRAPH if kind is ResultKind.SOLUTIONS else ResultKind.SOLUTIONS
    for fmt in formats_for(other):
        if wanted == fmt.media_type or wanted in fmt.names:
            raise NotAcceptable(
                f"format={name} does not fit a {_label(kind)}; use one of "
                f"{', '.join(f.names[0] for f in formats_for(kind))}."
            )
    known = sorted({n for k in ResultKind for f in formats_for(k) for n in f.names})
    raise UnknownFormat(f"Unknown format={name!r}; known formats: {', '.join(known)}.")


def _label(kind: ResultKind) -> str:
    if kind is ResultKind.SOLUTIONS:
        return "SELECT or ASK result"
    return "graph (CONSTRUCT or DESCRIBE) result"
