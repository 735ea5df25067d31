"""Requests per client per minute: a sliding window, and how long to wait when it is full."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

WINDOW = 60.0


class RateLimiter:
    """Allow each client `limit` requests in any 60-second window."""

    def __init__(self, limit: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: dict[str, deque[float]] = {}
        self._next_sweep = clock() + WINDOW

    def check(self, client: str) -> int | None:
        """Count a request; return None when allowed, else the seconds to wait (Retry-After)."""
        now = self._clock()
        with self._lock:
            if now >= self._next_sweep:
                self._sweep(now)
            times = self._seen.setdefault(client, deque())
            while times and times[0] <= now - WINDOW:
                times.popleft()
            if len(times) >= self.limit:
                return max(1, math.ceil(times[0] + WINDOW - now))
            times.append(now)
            return None

    def _sweep(self, now: float) -> None:
        """Forget clients that sent nothing within the window, so memory stays bounded."""
        for client in [
            c for c, times in self._seen.items() if not times or times[-1] <= now - WINDOW
        ]:
            del self._seen[client]
        self._next_sweep = now + WINDOW
