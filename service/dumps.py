"""Dumps of the whole dataset in five formats, written once per state of the store.

Each state of the store (its fingerprint: quad count, named graphs and state token) gets a
folder of its own under the dump folder, with the five files and a manifest of their sizes,
statement counts and SHA-256 checksums. A folder is built completely under a temporary name
and then renamed, so a reader never sees half a dump. Worker processes share the result: a
lock file makes one of them write a state's dumps while the others wait for it (at 1M
triples writing takes about a minute; two processes each writing them doubled that).

A serving worker writes them ahead of requests (see `web/ahead.py`).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from .dataset_stats import Fingerprint
from .store import RdfFormat, Store

NAME = "stadtgraph"
MANIFEST = "manifest.json"
LOCK = ".lock"
"""The lock file beside the state folders; whoever holds it may write dumps."""


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
    text = json.dumps([state.quads, list(state.graphs), state.token])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _lines(path: Path) -> int:
    with path.open("rb") as source:
        return sum(block.count(b"\n") for block in iter(lambda: source.read(1 << 20), b""))


def write_dumps(
    store: Store, folder: Path, created: str, prefixes: Mapping[str, str] | None = None
) -> list[Dump]:
    """Write the five dumps into folder.

    The store is read twice, as N-Triples (the union of the graphs) and as N-Quads; Turtle is
    converted from the first, TriG and JSON-LD from the second, so each family holds exactly the
    same statements, and line counts of the line-based files count them.
    """
    paths = {fmt.ext: folder / fmt.filename for fmt in DUMP_FORMATS}
    with paths["nt"].open("wb") as out:
        store.dump(out, RdfFormat.NTRIPLES)
    with paths["nq"].open("wb") as out:
        store.dump(out, RdfFormat.NQUADS)
    counts = {"nt": _lines(paths["nt"]), "nq": _lines(paths["nq"])}
    for ext, source in (("ttl", "nt"), ("trig", "nq"), ("jsonld", "nq")):
        statements = ox.parse(
            path=str(paths[source]), format=_OX[FORMATS_BY_EXT[source].rdf_format]
        )
        target = _OX[FORMATS_BY_EXT[ext].rdf_format]
        with paths[ext].open("wb") as out:
            if ext == "jsonld":
                ox.serialize(statements, out, target)
            else:
                ox.serialize(statements, out, target, prefixes=dict(prefixes or {}))
        counts[ext] = counts[source]
    return [
        Dump(
            fmt.ext,
            str(paths[fmt.ext]),
            paths[fmt.ext].stat().st_size,
            counts[fmt.ext],
            _hash(paths[fmt.ext]),
            created,
        )
        for fmt in DUMP_FORMATS
    ]


class DumpCache:
    """The dumps of the store's current state, written on first request."""

    def __init__(self, folder: Path, prefixes: Mapping[str, str] | None = None) -> None:
        self.folder = folder
        self.prefixes = dict(prefixes or {})

    def dumps(self, store: Store, state: Fingerprint) -> list[Dump]:
        """Return the dumps of the state `state` (the store's current one), writing them if
        needed (or waiting while another thread or process writes them)."""
        target = self.folder / _key(state)
        found = _read_manifest(target)
        if found is not None:
            return found
        with self._building():
            found = _read_manifest(target)
            if found is None:
                found = self._build(store, target)
        return found

    def get(self, store: Store, state: Fingerprint, ext: str) -> Dump:
        return next(d for d in self.dumps(store, state) if d.ext == ext)

    @contextmanager
    def _building(self) -> Iterator[None]:
        """Hold the dump folder's lock file: one writer at a time, across processes."""
        self.folder.mkdir(parents=True, exist_ok=True)
        # Each call opens the file anew: flock locks belong to the open file, so threads of
        # one process exclude each other as processes do.
        with (self.folder / LOCK).open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _build(self, store: Store, target: Path) -> list[Dump]:
        created = datetime.now(UTC).replace(microsecond=0).isoformat()
        staging = Path(tempfile.mkdtemp(prefix=".building-", dir=self.folder))
        try:
            written = write_dumps(store, staging, created, self.prefixes)
            manifest = [asdict(d) | {"path": Path(d.path).name} for d in written]
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
            if target.exists():  # a folder whose manifest cannot be read: written anew
                shutil.rmtree(target)
            staging.rename(target)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        self._remove_others(keep=target)
        found = _read_manifest(target)
        assert found is not None
        return found

    def _remove_others(self, keep: Path) -> None:
        # Under the lock nobody else is writing, so leftover `.building-` folders (of a
        # process that died while writing) go too.
        for old in self.folder.iterdir():
            if old.is_dir() and old != keep:
                shutil.rmtree(old, ignore_errors=True)


def _read_manifest(folder: Path) -> list[Dump] | None:
    try:
        items = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError, json.JSONDecodeError):
        return None
    return [Dump(**(item | {"path": str(folder / item["path"])})) for item in items]
