"""SSSOM/TSV mapping tables: a YAML metadata header (lines starting with #), then a TSV table.

`MappingWriter` writes the header first and every row as soon as it is known (flushed), so a
table stays readable and complete up to the last row when the work stops early. `read_table`
reads such a table back, with whatever edits a reviewer made, and expands CURIEs through the
header's `curie_map`.

The header is written in a small YAML subset (scalars as JSON strings, one level of maps and
lists) and read with the same subset; no YAML library is needed. Tables edited in a
spreadsheet that drops the header still read, with the default prefixes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

SSSOM_VERSION = "1.1"
SEMAPV = "https://w3id.org/semapv/vocab/"

DEFAULT_PREFIXES: dict[str, str] = {
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "semapv": SEMAPV,
    "sssom": "https://w3id.org/sssom/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "sg": "https://w3id.org/stadtgraph/ontology#",
    "sgid": "https://w3id.org/stadtgraph/id/",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
}

COLUMNS = (
    "subject_id",
    "subject_label",
    "subject_category",
    "predicate_id",
    "predicate_modifier",
    "object_id",
    "object_label",
    "object_category",
    "mapping_justification",
    "confidence",
    "subject_match_field",
    "object_match_field",
    "match_string",
    "reviewer_id",
    "reviewer_label",
    "review_date",
    "comment",
)
"""The columns discovery writes; reviewers fill the three reviewer columns (and may set
predicate_modifier to `Not` to reject, or change predicate_id)."""


class SssomError(ValueError):
    """A mapping table cannot be read; the message names the line."""


@dataclass
class MappingTable:
    """A mapping set: its metadata, its prefixes and its rows (column name → text)."""

    metadata: dict[str, Any]
    rows: list[dict[str, str]]
    line_numbers: list[int] = field(default_factory=list)

    @property
    def prefixes(self) -> dict[str, str]:
        found = self.metadata.get("curie_map")
        merged = dict(DEFAULT_PREFIXES)
        if isinstance(found, dict):
            merged.update({str(k): str(v) for k, v in found.items()})
        return merged

    def expand(self, value: str) -> str:
        """Expand a CURIE with the table's prefixes; IRIs (and <IRIs>) are returned as they are."""
        return expand(value, self.prefixes)


def expand(value: str, prefixes: Mapping[str, str]) -> str:
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    prefix, sep, local = text.partition(":")
    if sep and prefix in prefixes and not local.startswith("//"):
        return prefixes[prefix] + local
    return text


def compact(iri: str, prefixes: Mapping[str, str]) -> str:
    """Write an IRI as a CURIE with the longest matching prefix, or leave it whole."""
    best: tuple[str, str] | None = None
    for prefix, namespace in prefixes.items():
        fits = iri.startswith(namespace) and len(iri) > len(namespace)
        if fits and (best is None or len(namespace) > len(best[1])):
            best = (prefix, namespace)
    if best is None:
        return iri
    local = iri[len(best[1]) :]
    if any(c.isspace() or c in "\t\"'<>" for c in local):
        return iri
    return f"{best[0]}:{local}"


# -- writing -----------------------------------------------------------------------------------


class MappingWriter:
    """Write a mapping table row by row; each row reaches the file before the next is sought."""

    def __init__(self, stream: IO[str], metadata: Mapping[str, Any]) -> None:
        self._stream = stream
        self.rows_written = 0
        stream.write(header_text(metadata))
        self._writer = csv.DictWriter(
            stream,
            fieldnames=COLUMNS,
            delimiter="\t",
            lineterminator="\n",
            quoting=csv.QUOTE_MINIMAL,
            extrasaction="raise",
        )
        self._writer.writeheader()
        stream.flush()

    def write(self, row: Mapping[str, str]) -> None:
        self._writer.writerow({name: _cell(row.get(name, "")) for name in COLUMNS})
        self._stream.flush()
        self.rows_written += 1


def _cell(value: str) -> str:
    # A TSV cell holds one line; tabs and newlines inside values become spaces.
    return " ".join(str(value).split()) if any(c in str(value) for c in "\t\r\n") else str(value)


def header_text(metadata: Mapping[str, Any]) -> str:
    """Render metadata as the commented YAML block of SSSOM/TSV."""
    lines: list[str] = []
    for key, value in metadata.items():
        if isinstance(value, Mapping):
            lines.append(f"{key}:")
            lines.extend(f"  {k}: {_scalar(v)}" for k, v in value.items())
        elif isinstance(value, list | tuple):
            lines.append(f"{key}:")
            lines.extend(f"  - {_scalar(v)}" for v in value)
        else:
            lines.append(f"{key}: {_scalar(value)}")
    return "".join(f"#{line}\n" for line in lines)


def _scalar(value: object) -> str:
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    return json.dumps(str(value), ensure_ascii=False)


# -- reading -----------------------------------------------------------------------------------


def read_table(path: Path) -> MappingTable:
    """Read an SSSOM/TSV file; SssomError names the line of anything unreadable."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise SssomError(f"{path}: not UTF-8 text ({error})") from None
    header_lines: list[str] = []
    body_start = 0
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines):
        if line.startswith("#"):
            header_lines.append(line[1:].rstrip("\r\n"))
            body_start = number + 1
        elif line.strip():
            break
        else:
            body_start = number + 1
    metadata = parse_header(header_lines, path)
    reader = csv.DictReader(io.StringIO("".join(lines[body_start:])), delimiter="\t")
    if reader.fieldnames is None:
        raise SssomError(f"{path}: no table after the metadata header")
    missing = {"subject_id", "predicate_id", "object_id"} - set(reader.fieldnames)
    if missing:
        raise SssomError(f"{path}: the table lacks the column(s) {', '.join(sorted(missing))}")
    rows: list[dict[str, str]] = []
    numbers: list[int] = []
    for row in reader:
        if None in row:
            raise SssomError(
                f"{path}, line {body_start + reader.line_num}: more cells than columns"
            )
        cleaned = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if not any(cleaned.values()):
            continue
        rows.append(cleaned)
        numbers.append(body_start + reader.line_num)
    return MappingTable(metadata, rows, numbers)


def parse_header(lines: Iterable[str], path: Path | str = "") -> dict[str, Any]:
    """Parse the YAML subset the header is written in: `key: scalar`, maps and lists one deep."""
    metadata: dict[str, Any] = {}
    current: str | None = None
    for number, raw in enumerate(lines, start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        indented = raw[:1] in (" ", "\t")
        line = raw.strip()
        if indented and current is not None:
            container = metadata[current]
            if line.startswith("- "):
                if not isinstance(container, list):
                    container = metadata[current] = []
                container.append(_parse_scalar(line[2:]))
                continue
            key, sep, value = line.partition(":")
            if sep:
                if not isinstance(container, dict):
                    container = metadata[current] = {}
                container[key.strip()] = _parse_scalar(value)
                continue
        key, sep, value = line.partition(":")
        if not sep or indented:
            raise SssomError(f"{path}: metadata line {number} is not `key: value`: {raw!r}")
        key = key.strip()
        if value.strip():
            metadata[key] = _parse_scalar(value)
            current = None
        else:
            metadata[key] = {}
            current = key
    return metadata


def _parse_scalar(text: str) -> Any:
    value = text.strip()
    if value.startswith('"'):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value.strip('"')
    if value.startswith("'") and value.endswith("'") and len(value) >= 2:
        return value[1:-1].replace("''", "'")
    if value in ("true", "false"):
        return value == "true"
    return value
