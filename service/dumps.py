"""Dumps of the whole dataset in five formats, written once per state of the store.

Each state of the store (its fingerprint: quad count and named graphs) gets a folder of its
own under the dump folder, with the five files and a manifest of their sizes, statement
counts and SHA-256 checksums. A folder is built completely under a temporary name and then
renamed, so a reader never sees half a dump, and several worker processes share the result.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import tempfile
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from .dataset_stats import Fingerprint, fingerprint
from .store import RdfFormat, Store

NAME = "stadtgraph"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class DumpFormat:
    ext: str
    name: str
    rdf_format: RdfFormat
    file_type: str
    """The EU file-type authority code (http://publications.europa.eu/resource/authority/file-type/)."""

    @property
    def media_type(self) -> str:
        return self.rdf_format.media_type

    @property
    def filename(self) -> str:
        return f"{NAME}.{self.ext}"

    @property
    def quads(self) -> bool:
        """Whether the file keeps the named graphs (else it holds the union as triples)."""
        return self.rdf_format.has_graphs


DUMP_FORMATS: tuple[DumpFormat, ...] = (
    DumpFormat("ttl", "Turtle", RdfFormat.TURTLE, "RDF_TURTLE"),
    DumpFormat("nt", "N-Triples", RdfFormat.NTRIPLES, "RDF_N_TRIPLES"),
    DumpFormat("nq", "N-Quads", RdfFormat.NQUADS, "RDF_N_QUADS"),
    DumpFormat("trig", "TriG", RdfFormat.TRIG, "RDF_TRIG"),
    DumpFormat("jsonld", "JSON-LD", RdfFormat.JSONLD, "JSON_LD"),
)
FORMATS_BY_EXT = {fmt.ext: fmt for fmt in DUMP_FORMATS}


@dataclass(frozen=True)
class Dump:
    """One written dump file and what is known about it."""

    ext: str
    path: str
    size: int
    statements: int
    """Triples (Turtle, N-Triples) or quads (N-Quads, TriG, JSON-LD) in the file."""
    sha256: str
    created: str
    """When this state of the store was first dumped (ISO 8601, UTC)."""

    @property
    def fmt(self) -> DumpFormat:
        return FORMATS_BY_EXT[self.ext]


_OX = {
    RdfFormat.TURTLE: ox.RdfFormat.TURTLE,
    RdfFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    RdfFormat.NQUADS: ox.RdfFormat.N_QUADS,
    RdfFormat.TRIG: ox.RdfFormat.TRIG,
    RdfFormat.JSONLD: ox.RdfFormat.JSON_LD,
}


def _key(state: Fingerprint) -> str:
    text = json.dumps([state.quads, list(state.graphs)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def write_dump(store: Store, fmt: DumpFormat, path: Path, created: str) -> Dump:
    """Write the whole dataset to path in fmt; count its statements and hash it."""
    with path.open("wb") as out:
        store.dump(out, fmt.rdf_format)
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    statements = sum(1 for _ in ox.parse(path=str(path), format=_OX[fmt.rdf_format]))
    return Dump(fmt.ext, str(path), path.stat().st_size, statements, digest.hexdigest(), created)


class DumpCache:
    """The dumps of the store's current state, written on first request."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()

    def dumps(self, store: Store) -> list[Dump]:
        """Return the dumps of the current state, writing them if needed."""
        target = self.folder / _key(fingerprint(store))
        with self._lock:
            found = _read_manifest(target)
            if found is None:
                found = self._build(store, target)
        return found

    def get(self, store: Store, ext: str) -> Dump:
        return next(d for d in self.dumps(store) if d.ext == ext)

    def _build(self, store: Store, target: Path) -> list[Dump]:
        self.folder.mkdir(parents=True, exist_ok=True)
        created = datetime.now(UTC).replace(microsecond=0).isoformat()
        staging = Path(tempfile.mkdtemp(prefix=".building-", dir=self.folder))
        try:
            written = [
                write_dump(store, fmt, staging / fmt.filename, created) for fmt in DUMP_FORMATS
            ]
            manifest = [asdict(d) | {"path": Path(d.path).name} for d in written]
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
            try:
                staging.rename(target)
            except OSError:  # another process finished the same state first
                shutil.rmtree(staging, ignore_errors=True)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        self._remove_others(keep=target)
        found = _read_manifest(target)
        assert found is not None
        return found

    def _remove_others(self, keep: Path) -> None:
        for old in self.folder.iterdir():
            if old.is_dir() and old != keep and not old.name.startswith(".building-"):
                shutil.rmtree(old, ignore_errors=True)

    def clear(self) -> None:
        """Forget every dump (after a write the fingerprint may not tell)."""
        with self._lock, contextlib.suppress(FileNotFoundError):
            for old in self.folder.iterdir():
                if old.is_dir() and not old.name.startswith(".building-"):
                    shutil.rmtree(old, ignore_errors=True)


def _read_manifest(folder: Path) -> list[Dump] | None:
    try:
        items = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError, json.JSONDecodeError):
        return None
    return [Dump(**(item | {"path": str(folder / item["path"])})) for item in items]
