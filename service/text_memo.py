"""Remember what was worked out about a query text, for texts short enough to keep.

The service's own query templates and the queries clients send again and again are read on
every request (where a VALUES block goes, whether FROM is declared, what the guard allows);
their answers are kept, bounded in number and, by leaving long texts out, in size (a query
may be 100 kB). An exception is never remembered: it is raised again for every call.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

SHORT_TEXT = 8192
"""Texts up to this many characters have what was worked out about them remembered."""

P = ParamSpec("P")
R = TypeVar("R")


def remembered_for_short_texts(
    work: Callable[Concatenate[str, P], R],
) -> Callable[Concatenate[str, P], R]:
    """Decorate a pure function of a text (and hashable arguments) to keep its answers."""
    remembered: Callable[..., R] = functools.lru_cache(maxsize=1024)(work)

    @functools.wraps(work)
    def answer(text: str, /, *args: P.args, **kwargs: P.kwargs) -> R:
        if len(text) <= SHORT_TEXT:
            return remembered(text, *args, **kwargs)
        return work(text, *args, **kwargs)

    return answer
