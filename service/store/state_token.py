"""A token for each state of the embedded store, kept beside its folder across restarts.

Dumps and the analytics projection are derived from the whole store and filed under what
tells one state from another. Quad count and named graphs do not: an edit that keeps the
count (a corrected label) would leave a stale dump published. Every write through the store
replaces this token, and the file keeps it for the next process that opens the store.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path


def state_file_for(store_folder: Path) -> Path:
    """Return the token file of a store folder: beside it, so RocksDB never sees it."""
    return store_folder.parent / f"{store_folder.name}.state"


class StateToken:
    """The current token; with a file, read from it on start and written on every change."""

    def __init__(self, file: Path | None) -> None:
        self.file = file
        self.current = self._read() or self._new()
        if file is not None and not file.exists():
            self._write()

    def renew(self) -> None:
        """Give the store a new token (a write is starting or has ended)."""
        self.current = self._new()
        self._write()

    def _read(self) -> str | None:
        if self.file is None:
            return None
        try:
            return self.file.read_text(encoding="ascii").strip() or None
        except (OSError, UnicodeDecodeError):
            return None

    def _write(self) -> None:
        if self.file is None:
            return
        partial = self.file.with_name(self.file.name + ".partial")
        try:
            partial.write_text(self.current + "\n", encoding="ascii")
            os.replace(partial, self.file)
        except OSError:
            # Without the file the token still changes with every write in this process, and
            # the next process starts with a new one: results are rebuilt, never stale.
            pass

    @staticmethod
    def _new() -> str:
        return uuid.uuid4().hex
