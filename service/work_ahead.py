"""Work done ahead of requests in a background thread, again whenever asked.

A server prepares what would otherwise make the first request after a start or a write wait
(the dumps, the explorer's graph). `WorkAhead.request` returns at once; a request while the
work runs makes it run once more afterwards, so the last state asked for is the one prepared
and the requests in between fold into that one run. Each step's failure is logged and does
not stop the others: what failed is then made on its first request, as without this.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence


class WorkAhead:
    """Run named steps, in order, in a background thread, each time `request` is called."""

    def __init__(
        self, steps: Sequence[tuple[str, Callable[[], object]]], log: logging.Logger
    ) -> None:
        self.steps = list(steps)
        self._log = log
        self._lock = threading.Lock()
        self._running = False
        self._again = False
        self._idle = threading.Event()
        self._idle.set()

    def request(self) -> None:
        """Have the steps run soon (returns at once)."""
        with self._lock:
            if self._running:
                self._again = True
                return
            self._running = True
            self._idle.clear()
        threading.Thread(target=self._run, name="work-ahead", daemon=True).start()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until no run is under way or asked for; False if the timeout passed first."""
        return self._idle.wait(timeout)

    def _run(self) -> None:
        while True:
            for name, step in self.steps:
                try:
                    step()
                except Exception:  # made on first request instead
                    self._log.exception("Preparing %s ahead of requests failed", name)
            with self._lock:
                if not self._again:
                    self._running = False
                    self._idle.set()
                    return
                self._again = False
