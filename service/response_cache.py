"""Finished responses kept for reuse until the store changes: query results and entity pages.

The data of a city changes seldom (every write passes the SHACL gate), while the same named
queries, dashboards and entity pages are asked for again and again. A kept answer is reused
only while the store is at the version it was computed from (`Store.version`, which counts
every write made through the store); a store that others may write to (a remote one) has no
version, and nothing is kept for it. The memory the kept bodies and their keys take is
bounded; the least recently used go first, and everything goes when the store changes.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from werkzeug.http import parse_etags


@dataclass(frozen=True)
class KeptResponse:
    """A response body with what is needed to send it again."""

    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...] = ()
    etag: str = ""

    def matches(self, if_none_match: str | None) -> bool:
        """Whether a request's If-None-Match header names this response (so 304 will do)."""
        # If-None-Match compares weakly (RFC 9110 §13.1.2): W/"x" names "x" too.
        return bool(if_none_match and self.etag) and parse_etags(if_none_match).contains_weak(
            self.etag.strip('"')
        )


_ENTRY_OVERHEAD = 300
"""Bytes counted per entry beyond its body and key (the entry, its headers, the dict slot)."""


def _key_bytes(key: Hashable) -> int:
    """Roughly the memory a key holds: the length of its text parts (a query may be 100 kB)."""
    parts = key if isinstance(key, tuple) else (key,)
    total = 0
    for part in parts:
        if isinstance(part, str | bytes):
            total += len(part)
        elif isinstance(part, tuple):
            total += _key_bytes(part)
        else:
            total += 16
    return total


def etag_for(body: bytes) -> str:
    """Return a strong entity tag for a body (a hash of its bytes, quoted)."""
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


class Flight:
    """One answer being computed; requests for the same answer wait for it."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.error: Exception | None = None
        """The error the computing request ended with, to be given to those who waited."""


class ResponseCache:
    """A thread-safe store of responses, bounded in bytes, valid for one store version.

    Requests that miss the same key at the same time compute its answer once: the first
    leads (`lead_or_follow`), the others wait for it and then take the kept answer.
    """

    def __init__(self, max_bytes: int, max_body_bytes: int | None = None) -> None:
        self.max_bytes = max_bytes
        self.max_body_bytes = max_body_bytes if max_body_bytes is not None else max_bytes // 8
        self._lock = threading.Lock()
        self._kept: OrderedDict[Hashable, tuple[KeptResponse, int]] = OrderedDict()
        self._bytes = 0
        self._version: int | None = None
        self._flights: dict[Hashable, Flight] = {}
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def get(self, key: Hashable, version: int | None) -> KeptResponse | None:
        """Return the response kept under key for this store version, or None."""
        if version is None or not self.enabled:
            return None
        with self._lock:
            if version != self._version:
                self._start_over(version)
            entry = self._kept.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._kept.move_to_end(key)
            self.hits += 1
            return entry[0]

    def put(self, key: Hashable, version: int | None, response: KeptResponse) -> None:
        """Keep a response computed from the store at `version` (unless the store moved on
        meanwhile, or the body is larger than one entry may be). Bodies and keys (a query text
        may be long) both count against the bound."""
        if version is None or not self.enabled or len(response.body) > self.max_body_bytes:
            return
        with self._lock:
            if version != self._version:
                if self._version is not None and version < self._version:
                    return  # computed before a write that has since finished
                self._start_over(version)
            previous = self._kept.pop(key, None)
            if previous is not None:
                self._bytes -= previous[1]
            size = len(response.body) + _key_bytes(key) + _ENTRY_OVERHEAD
            self._kept[key] = (response, size)
            self._bytes += size
            while self._bytes > self.max_bytes and self._kept:
                _, (_, dropped) = self._kept.popitem(last=False)
                self._bytes -= dropped

    def lead_or_follow(self, key: Hashable) -> tuple[Flight, bool]:
        """Return the flight computing key's answer, and True if the caller is to compute it
        (it must `land` the flight afterwards, also when it fails)."""
        with self._lock:
            flight = self._flights.get(key)
            if flight is not None:
                return flight, False
            flight = self._flights[key] = Flight()
            return flight, True

    def land(self, key: Hashable, flight: Flight, error: Exception | None = None) -> None:
        """End a flight: those waiting on it wake up (and get `error`, if any)."""
        with self._lock:
            if self._flights.get(key) is flight:
                del self._flights[key]
        flight.error = error
        flight.done.set()

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._kept)

    def _start_over(self, version: int | None) -> None:
        self._kept.clear()
        self._bytes = 0
        self._version = version
