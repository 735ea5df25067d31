"""Reading reconciliation requests: entity ids, type and property ids, and queries.

Queries come in the shapes of version 0.2 (`{"q0": {"query", "type", "limit", "properties":
[{"pid", "v"}]}}`, as OpenRefine sends them) and of the 1.0 draft (`{"queries": [{"conditions":
[{"matchType": "name" | "property", …}]}]}`, or its earlier `properties` without `pid` for the
name); `parse_query` reads all of them into one `Query`. No Flask here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import vocabulary as v
from .store.binding import sparql_iri

MAX_LIMIT = 50
DEFAULT_LIMIT = 5


class ReconcileError(ValueError):
    """A request the service cannot read; the message says what is wrong (HTTP 400)."""


@dataclass(frozen=True)
class Space:
    """Where our identifiers live: entity ids are IRIs relative to `{base}id/`."""

    base_iri: str

    @property
    def ids(self) -> str:
        return self.base_iri + "id/"

    def iri(self, identifier: str) -> str:
        """The IRI of an entity id (a relative id, or a full IRI); ReconcileError if invalid."""
        text = identifier.strip()
        iri = text if text.startswith(("http://", "https://")) else self.ids + text.lstrip("/")
        return _checked(iri)

    def named(self, text: str) -> str:
        """The IRI a query text names when it is an entity id or IRI of ours, else ''."""
        value = text.strip()
        if not value or any(c.isspace() for c in value):
            return ""
        try:
            iri = self.iri(value)
        except ReconcileError:
            return ""
        return iri if iri.startswith(self.ids) and len(iri) > len(self.ids) else ""

    def id_of(self, iri: str) -> str:
        return iri[len(self.ids) :] if iri.startswith(self.ids) else iri

    def owns(self, iri: str) -> bool:
        return iri.startswith(self.base_iri)


def expand_term(text: str) -> str:
    """A type or property id: a full IRI, or a CURIE with a well-known prefix, expanded.

    Other ids (another service's, like `DifferentiatedPerson`) are kept as they are: no entity
    here has such a type or property, so they match nothing, but they are no error.
    """
    value = text.strip()
    prefix, sep, local = value.partition(":")
    if sep and prefix in v.PREFIXES and not local.startswith("//"):
        return v.PREFIXES[prefix] + local
    return value


def is_iri(text: str) -> bool:
    """Whether text is an http(s) IRI SPARQL can carry."""
    if not text.startswith(("http://", "https://")):
        return False
    try:
        sparql_iri(text)
    except ValueError:
        return False
    return True


def _checked(iri: str) -> str:
    if not is_iri(iri):
        raise ReconcileError(f"{iri!r} is not a valid IRI")
    return iri


# -- queries -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Constraint:
    """A property condition: the property and the values an entity should have for it."""

    pid: str
    values: tuple[str, ...]
    required: bool = False


@dataclass(frozen=True)
class Query:
    """One reconciliation query, whichever version it came in."""

    text: str
    type: str | None = None
    limit: int = DEFAULT_LIMIT
    constraints: tuple[Constraint, ...] = ()
    language: str | None = None


def parse_query(raw: object, space: Space) -> Query:
    """Read a query of version 0.1/0.2 or of the 1.0 draft."""
    if isinstance(raw, str):
        return Query(raw.strip())
    if not isinstance(raw, Mapping):
        raise ReconcileError("a reconciliation query is a JSON object")
    text = raw.get("query", "")
    constraints: list[Constraint] = []
    for prop in _list(raw.get("properties"), "properties"):
        if not isinstance(prop, Mapping):
            raise ReconcileError("each entry of properties is an object with pid and v")
        if "pid" not in prop and "v" in prop and not text:
            text = _text(prop["v"])  # draft: a property without pid is the name
            continue
        constraints.append(_constraint(prop.get("pid"), prop.get("v"), prop, space))
    for condition in _list(raw.get("conditions"), "conditions"):
        if not isinstance(condition, Mapping):
            raise ReconcileError("each condition is an object")
        kind = condition.get("matchType", condition.get("match_type"))
        value = condition.get("propertyValue", condition.get("v"))
        if kind == "name":
            text = _text(value)
        elif kind == "property":
            pid = condition.get("propertyId", condition.get("pid"))
            constraints.append(_constraint(pid, value, condition, space))
        else:
            raise ReconcileError(f"unknown matchType {kind!r} (name or property)")
    if not isinstance(text, str):
        raise ReconcileError("query must be a string")
    if not text.strip() and not constraints:
        raise ReconcileError("a query needs a query string or property conditions")
    types = raw.get("type")
    if isinstance(types, list):
        types = types[0] if types else None
    if types is not None and not isinstance(types, str):
        raise ReconcileError("type must be a type id (a string)")
    limit = raw.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ReconcileError("limit must be a positive integer")
    language = raw.get("lang")
    return Query(
        text.strip(),
        expand_term(types) if types else None,
        min(limit, MAX_LIMIT),
        tuple(constraints),
        language if isinstance(language, str) else None,
    )


def _list(value: object, name: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ReconcileError(f"{name} must be a list")
    return value


def _text(value: object) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, Mapping):
        value = value.get("str", value.get("id", ""))
    return str(value)


def _constraint(pid: object, value: object, raw: Mapping[str, Any], space: Space) -> Constraint:
    if not isinstance(pid, str) or not pid.strip():
        raise ReconcileError("a property condition needs a property id (pid)")
    values = value if isinstance(value, list) else [value]
    texts = []
    for item in values:
        if isinstance(item, Mapping) and "id" in item:
            texts.append(space.iri(str(item["id"])))  # a reconciled value: an entity id
        elif item is not None:
            texts.append(_text(item))
    return Constraint(expand_term(pid), tuple(texts), bool(raw.get("required", False)))
