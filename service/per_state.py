"""One value derived from the store, kept for the state of the store it was made from.

Dataset statistics, the explorer's graph and the data of the home and inquiry pages each read
much of the store (seconds at 1M triples). `PerState` makes such a value once per state (the
store's `Fingerprint`) and makes it again when the state has changed; requests that arrive
while it is being made wait for it instead of making it too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from .dataset_stats import Fingerprint
from .store import Store

T = TypeVar("T")


class PerState(Generic[T]):
    """A value made from the store by `make`, kept until the store's state changes."""

    def __init__(self, make: Callable[[Store], T]) -> None:
        self._make = make
        self._lock = threading.Lock()
        self._key: Fingerprint | None = None
        self._value: T | None = None

    def get(self, store: Store, key: Fingerprint) -> T:
        """Return the value for the state `key`, the store's current one (the web layer
        passes the state it shares, see `StoreState`)."""
        with self._lock:
            if self._value is None or key != self._key:
                self._value = self._make(store)
                self._key = key
            return self._value

    @property
    def kept_for(self) -> Fingerprint | None:
        """The state the kept value was made for (None before the first `get`)."""
        return self._key

    @property
    def kept(self) -> T | None:
        """The kept value, whatever state it was made for (None before the first `get`)."""
        return self._value
