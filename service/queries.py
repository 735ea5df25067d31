"""The registry of named queries in `queries/*.rq`, with their headers, and safe parameters.

A named query starts with comment lines of `key: value`:

    # title@de: Wer ist an welchem Handlungsfeld beteiligt?
    # title@en: Who is involved in which action field?
    # description@de: …
    # description@en: …
    # param field (iri): the action field (optional: all when absent)

Parameters are bound as a VALUES block opening the WHERE group, through the store's
binding helper; they are never pasted into the text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib.namespace import XSD
from rdflib.term import Literal, URIRef

from .project import ROOT
from .store import Node

QUERY_FOLDER = ROOT / "queries"
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_HEADER = re.compile(r"^#\s*(?P<key>[A-Za-z]+(?:@[a-z]{2})?)\s*:\s*(?P<value>.*)$")
_PARAM = re.compile(r"^#\s*param\s+(?P<name>[A-Za-z_]\w*)\s*\((?P<kind>\w+)\)\s*:\s*(?P<help>.*)$")
_PARAM_HELP = re.compile(
    r"^#\s*param@(?P<language>[a-z]{2})\s+(?P<name>[A-Za-z_]\w*)\s*:\s*(?P<help>.*)$"
)
PARAM_KINDS = ("iri", "string", "integer", "date")


class QueryNotFound(KeyError):
    """No named query has that name."""


class ParameterError(ValueError):
    """A parameter value does not fit its declared kind, or is not declared. `key` names the
    message in the UI strings (`error.parameter.*`), filled from `values`."""

    def __init__(self, message: str, key: str, **values: str) -> None:
        super().__init__(message)
        self.key = "error.parameter." + key
        self.values = values


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str
    help: str
    """In English, from `# param NAME (kind): help`."""
    optional: bool
    helps: dict[str, str] = field(default_factory=dict, compare=False)
    """Help in other languages, from `# param@de NAME: Hilfe`."""

    def help_in(self, language: str) -> str:
        return self.helps.get(language) or self.help


@dataclass(frozen=True)
class NamedQuery:
    """One `.rq` file: its name, header and SPARQL text."""

    name: str
    sparql: str
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    parameters: tuple[Parameter, ...] = ()

    def title(self, language: str = "de") -> str:
        return self.titles.get(language) or next(iter(self.titles.values()), self.name)

    def description(self, language: str = "de") -> str:
        return self.descriptions.get(language) or next(iter(self.descriptions.values()), "")

    def bindings(self, values: Mapping[str, str]) -> dict[str, Node]:
        """Turn raw parameter values (from a URL or the CLI) into typed terms."""
        declared = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(declared))
        if unknown:
            raise ParameterError(
                f"query {self.name!r} has no parameter {unknown[0]!r}",
                "unknown",
                query=self.name,
                parameter=unknown[0],
            )
        bound: dict[str, Node] = {}
        for name, raw in values.items():
            if raw == "":
                continue
            bound[name] = _typed(declared[name], raw)
        missing = [p.name for p in self.parameters if not p.optional and p.name not in bound]
        if missing:
            raise ParameterError(
                f"query {self.name!r} needs the parameter {missing[0]!r}",
                "missing",
                query=self.name,
                parameter=missing[0],
            )
        return bound


def _typed(parameter: Parameter, raw: str) -> Node:
    if parameter.kind == "iri":
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|^`\\]*$", raw):
            raise ParameterError(
                f"parameter {parameter.name!r} must be an IRI, not {raw!r}",
                "iri",
                parameter=parameter.name,
                value=raw,
            )
        return URIRef(raw)
    if parameter.kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", raw):
            raise ParameterError(
                f"parameter {parameter.name!r} must be an integer",
                "integer",
                parameter=parameter.name,
            )
        return Literal(int(raw))
    if parameter.kind == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            raise ParameterError(
                f"parameter {parameter.name!r} must be a date (YYYY-MM-DD)",
                "date",
                parameter=parameter.name,
            )
        return Literal(raw, datatype=XSD.date)
    return Literal(raw)


def parse_query_file(path: Path) -> NamedQuery:
    """Read a `.rq` file and its header."""
    text = path.read_text(encoding="utf-8")
    titles: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    parameters: list[Parameter] = []
    helps: dict[str, dict[str, str]] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        if match := _PARAM.match(line):
            kind = match["kind"].lower()
            if kind not in PARAM_KINDS:
                raise ValueError(f"{path}: parameter kind {kind!r} is not one of {PARAM_KINDS}")
            help_text = match["help"].strip()
            optional = "optional" in help_text.lower()
            parameters.append(Parameter(match["name"], kind, help_text, optional))
        elif match := _PARAM_HELP.match(line):
            helps.setdefault(match["name"], {})[match["language"]] = match["help"].strip()
        elif match := _HEADER.match(line):
            key, _, language = match["key"].partition("@")
            target = {"title": titles, "description": descriptions}.get(key.lower())
            if target is not None:
                target[language or "de"] = match["value"].strip()
    unknown = sorted(set(helps) - {p.name for p in parameters})
    if unknown:
        raise ValueError(f"{path}: help for {unknown[0]!r}, which is not a declared parameter")
    for parameter in parameters:
        parameter.helps.update(helps.get(parameter.name, {}))
    return NamedQuery(path.stem, text, titles, descriptions, tuple(parameters))


@cache
def _registry(folder: Path) -> dict[str, NamedQuery]:
    return {
        path.stem: parse_query_file(path)
        for path in sorted(folder.glob("*.rq"))
        if NAME_PATTERN.match(path.stem)
    }


def all_queries(folder: Path = QUERY_FOLDER) -> list[NamedQuery]:
    """Return every named query, sorted by name."""
    return list(_registry(folder).values())


def get_query(name: str, folder: Path = QUERY_FOLDER) -> NamedQuery:
    """Return the named query, or raise QueryNotFound."""
    try:
        return _registry(folder)[name]
    except KeyError:
        raise QueryNotFound(name) from None
