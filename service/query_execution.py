"""Run one public query and serialise at most `limit` results, saying whether it cut any off.

No processes and no deadlines here (that is `query_runner`): this is what runs inside a query
worker, through the `Store` protocol only. Results are asked for in a line-based format (TSV
for solutions, N-Triples for graphs), cut after `limit` lines and converted to the format the
client wants. A SELECT query gets `LIMIT limit+1` first (see `sparql_guard.cap_select`), so
the engine stops early instead of producing rows that would be thrown away.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from .rdf_output import check_well_formed_xml, check_writable_as_xml
from .store import Dataset, Store

TSV = "text/tab-separated-values"
NTRIPLES = "application/n-triples"


@dataclass(frozen=True)
class QueryJob:
    """One query as the public endpoint runs it, over a dataset already decided."""

    sparql: str
    form: str
    media_type: str
    limit: int
    dataset: Dataset = field(default_factory=Dataset)
    prefixes: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "sparql": self.sparql,
            "form": self.form,
            "media_type": self.media_type,
            "limit": self.limit,
            "default_graphs": list(self.dataset.default_graphs),
            "named_graphs": list(self.dataset.named_graphs),
            "prefixes": dict(self.prefixes),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> QueryJob:
        dataset = Dataset(tuple(data["default_graphs"]), tuple(data["named_graphs"]))
        return cls(
            data["sparql"],
            data["form"],
            data["media_type"],
            int(data["limit"]),
            dataset,
            dict(data["prefixes"]),
        )


@dataclass(frozen=True)
class QueryAnswer:
    """A serialised result, and whether results beyond the limit were left out."""

    body: bytes
    media_type: str
    truncated: bool = False
    count: int | None = None
    """Rows or triples in the body; None for ASK."""
    seconds: float = 0.0


def execute(store: Store, job: QueryJob) -> QueryAnswer:
    """Run a job against a store; the store's QuerySyntaxError passes through."""
    started = time.perf_counter()
    dataset = job.dataset if job.dataset.is_restricted else None
    if job.form == "ASK":
        body = store.query_serialized(job.sparql, job.media_type, dataset)
        answer = QueryAnswer(body, job.media_type)
    elif job.form == "SELECT":
        tsv = store.query_serialized(job.sparql, TSV, dataset)
        answer = solutions_from_tsv(tsv, job.media_type, job.limit)
    else:
        ntriples = store.query_serialized(job.sparql, NTRIPLES, dataset)
        answer = triples_from_ntriples(ntriples, job.media_type, job.limit, job.prefixes)
    return QueryAnswer(
        answer.body,
        answer.media_type,
        answer.truncated,
        answer.count,
        time.perf_counter() - started,
    )


def solutions_from_tsv(tsv: bytes, media_type: str, limit: int) -> QueryAnswer:
    """Keep the first `limit` rows of a TSV result and write them in media_type."""
    head, rows, truncated = _cut_lines(tsv, limit, header=True)
    kept = b"".join([head, *rows])
    if media_type == TSV:
        return QueryAnswer(kept, media_type, truncated, len(rows))
    fmt = ox.QueryResultsFormat.from_media_type(media_type)
    if fmt is None:
        raise ValueError(f"no query results format for {media_type}")
    body = ox.parse_query_results(kept, ox.QueryResultsFormat.TSV).serialize(format=fmt)
    return QueryAnswer(body or b"", media_type, truncated, len(rows))


def triples_from_ntriples(
    data: bytes, media_type: str, limit: int, prefixes: Mapping[str, str] | None = None
) -> QueryAnswer:
    """Keep the first `limit` triples of an N-Triples result and write them in media_type."""
    _, lines, truncated = _cut_lines(data, limit, header=False)
    kept = b"".join(lines)
    if media_type == NTRIPLES:
        return QueryAnswer(kept, media_type, truncated, len(lines))
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise ValueError(f"no RDF format for {media_type}")
    quads = list(ox.parse(kept, format=ox.RdfFormat.N_TRIPLES))
    if fmt == ox.RdfFormat.RDF_XML:
        check_writable_as_xml({q.predicate.value for q in quads})
    usable = {p: iri for p, iri in (prefixes or {}).items() if p}
    options: dict[str, Any] = {"prefixes": usable} if fmt == ox.RdfFormat.TURTLE else {}
    if fmt.supports_datasets:
        body = ox.serialize(quads, format=fmt, **options)
    else:
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
        body = ox.serialize(triples, format=fmt, **options)
    if fmt == ox.RdfFormat.RDF_XML:
        check_well_formed_xml(body or b"")
    return QueryAnswer(body or b"", media_type, truncated, len(lines))


def _cut_lines(data: bytes, limit: int, *, header: bool) -> tuple[bytes, list[bytes], bool]:
    """Split off an optional header line and at most `limit` further lines (kept with \\n)."""
    lines = data.splitlines(keepends=True)
    head = b""
    if header:
        head = lines.pop(0) if lines else b"\n"
    lines = [
        line if line.endswith(b"\n") else line + b"\n" for line in lines if line.strip() or header
    ]
    return head, lines[:limit], len(lines) > limit
