"""Link checking: does every registry entry we link to still exist, and under the same IRI?

Wikidata entries are checked on the registry's SPARQL endpoint in batches: an entry with no
triples is missing; an entry with `owl:sameAs` to another one is a redirect (that is how
Wikidata's RDF shows merged items). Entries of other registries are checked by HTTP HEAD where a
resolver is configured for their namespace (the IRI itself, or a mirror); otherwise they are
reported as not checked. Results come one by one, so callers can show them as they arrive.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from rdflib import Literal, URIRef

from . import vocabulary as v
from .links import WIKIDATA
from .registry_client import Politeness, RegistryClient, head
from .sparql_values import values_block
from .store import Store

LINKS = """\
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?subject ?predicate ?target WHERE {
  VALUES ?predicate { owl:sameAs skos:exactMatch skos:closeMatch }
  ?subject ?predicate ?target .
  FILTER(isIRI(?target) && STRSTARTS(STR(?subject), ?base))
}
ORDER BY ?target ?subject
"""

EXISTENCE = """\
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?item ?redirect ?present WHERE {{
  {values}
  OPTIONAL {{ ?item owl:sameAs ?redirect . FILTER(isIRI(?redirect)) }}
  BIND(EXISTS {{ ?item ?p ?o }} AS ?present)
}}
"""
BATCH = 50

OK, MISSING, REDIRECTED, UNCHECKED = "ok", "missing", "redirected", "not checked"


@dataclass(frozen=True)
class LinkedEntry:
    """One link from our data to a registry entry."""

    subject: str
    predicate: str
    target: str
    registry: v.Registry


@dataclass(frozen=True)
class Status:
    """What the registry said about a linked entry."""

    entry: LinkedEntry
    state: str
    detail: str = ""


def linked_entries(store: Store, base: str = "https://w3id.org/stadtgraph/") -> list[LinkedEntry]:
    """Every link from our resources into a registry we know."""
    found = []
    for row in store.select(LINKS, {"base": Literal(base)}):
        target = str(row["target"])
        registry = v.registry_for(target)
        if registry is not None:
            found.append(LinkedEntry(str(row["subject"]), str(row["predicate"]), target, registry))
    return found


def check(
    entries: list[LinkedEntry],
    client: RegistryClient | None,
    resolvers: Mapping[str, str],
    politeness: Politeness,
) -> Iterator[Status]:
    """Check each entry; RegistryError stops the iteration, earlier results stay yielded."""
    wikidata = [e for e in entries if e.target.startswith(WIKIDATA)]
    others = [e for e in entries if not e.target.startswith(WIKIDATA)]
    if client is not None:
        yield from _check_sparql(wikidata, client)
    else:
        yield from (Status(e, UNCHECKED, "no registry endpoint") for e in wikidata)
    last: float | None = None
    for entry in others:
        resolver = _resolver(entry.target, resolvers)
        if resolver is None:
            yield Status(entry, UNCHECKED, f"no resolver configured for {entry.registry.name}")
            continue
        namespace, base = resolver
        url = base + entry.target[len(namespace) :] if base else entry.target
        if last is not None:
            time.sleep(max(0.0, politeness.min_interval - (time.monotonic() - last)))
        try:
            yield _status_of(entry, url, politeness)
        finally:
            last = time.monotonic()


def _check_sparql(entries: list[LinkedEntry], client: RegistryClient) -> Iterator[Status]:
    targets = sorted({e.target for e in entries})
    for start in range(0, len(targets), BATCH):
        batch = targets[start : start + BATCH]
        query = EXISTENCE.format(values=values_block("item", [URIRef(t) for t in batch]))
        present: dict[str, bool] = {}
        redirects: dict[str, str] = {}
        for row in client.select(query):
            item = str(row.get("item"))
            flag = row.get("present")
            present[item] = present.get(item, False) or (
                isinstance(flag, Literal) and bool(flag.toPython())
            )
            if row.get("redirect") is not None:
                redirects[item] = str(row["redirect"])
        for entry in (e for e in entries if e.target in batch):
            if entry.target in redirects:
                yield Status(entry, REDIRECTED, f"now {redirects[entry.target]}")
            elif present.get(entry.target):
                yield Status(entry, OK)
            else:
                yield Status(entry, MISSING, "no statements in the registry")


def _resolver(target: str, resolvers: Mapping[str, str]) -> tuple[str, str] | None:
    matches = [(ns, base) for ns, base in resolvers.items() if target.startswith(ns)]
    return max(matches, key=lambda pair: len(pair[0])) if matches else None


def _status_of(entry: LinkedEntry, url: str, politeness: Politeness) -> Status:
    answer = head(url, politeness)
    if 200 <= answer.status < 300 or answer.status == 303:
        return Status(entry, OK, f"HTTP {answer.status}")
    if answer.status in (301, 308):
        return Status(entry, REDIRECTED, f"HTTP {answer.status} to {answer.location}")
    if answer.status in (302, 307):
        return Status(entry, OK, f"HTTP {answer.status} (temporary) to {answer.location}")
    if answer.status in (404, 410):
        return Status(entry, MISSING, f"HTTP {answer.status}")
    return Status(entry, "error", f"HTTP {answer.status} from {url}")
