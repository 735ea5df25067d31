"""pyshacl, mended where the gate needs it: nested shapes checked, focus filter by hash.

pyshacl 0.40 applies `focus_nodes` to every shape evaluation, also to the value nodes a
property shape hands to nested shapes (sh:or, sh:node, sh:qualifiedValueShape). Those are
then dropped, literals always, so nested constraints pass silently when validating by focus
node. The gate validates every write by focus node, so it needs the filter on targets only.
pyshacl also tests every target against the focus nodes, and every shape predicate against
its constraint parameters, as list scans. `ensure_focus_filter_on_targets_only` checks once
whether the installed pyshacl has the nested-shape fault and mends it only then; the lookups
become hash lookups either way. The executor is per validation, so threads don't share it.
"""

from __future__ import annotations

import threading
from functools import wraps
from typing import Any

import pyshacl
from pyshacl.shape import Shape
from rdflib import Graph, URIRef

_lock = threading.Lock()
_checked = False

_PROBE_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:probe:> .
ex:S a sh:NodeShape ; sh:targetClass ex:C ;
  sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:languageIn ("de") ] ;
                sh:qualifiedMinCount 1 ] .
"""
_PROBE_DATA = '<urn:probe:x> a <urn:probe:C> ; <urn:probe:p> "only English"@en .'


def nested_shapes_skipped() -> bool:
    """Return True when pyshacl skips nested shapes while validating by focus node."""
    shapes = Graph().parse(data=_PROBE_SHAPES, format="turtle")
    data = Graph().parse(data=_PROBE_DATA, format="turtle")
    conforms, _, _ = pyshacl.validate(data, shacl_graph=shapes, focus_nodes=[URIRef("urn:probe:x")])
    return bool(conforms)


def _wrap_shape_validate(*, nested_fix: bool) -> None:
    """Make pyshacl's focus filter a set lookup, and (nested_fix) apply it to targets only."""
    original = Shape.validate

    @wraps(original)
    def validate(
        self: Shape, executor: Any, target_graph: Any, focus: Any = None, *args: Any, **kw: Any
    ) -> Any:
        if isinstance(executor.focus_nodes, list):
            # pyshacl checks every target against this list: targets x focus comparisons.
            executor.focus_nodes = _FocusSet(executor.focus_nodes)
        if not nested_fix or focus is None or executor.focus_nodes is None:
            return original(self, executor, target_graph, focus, *args, **kw)
        saved, executor.focus_nodes = executor.focus_nodes, None
        try:
            return original(self, executor, target_graph, focus, *args, **kw)
        finally:
            executor.focus_nodes = saved

    Shape.validate = validate  # type: ignore[method-assign]


class _FocusSet(list[Any]):
    """A list for pyshacl with membership tests by hash: the focus nodes, and the constraint
    parameters it tests every shape predicate against on every evaluation."""

    def __init__(self, items: list[Any]) -> None:
        super().__init__(items)
        self._members = frozenset(items)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _hash_constraint_parameters() -> None:
    from pyshacl import shape
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP

    shape.CONSTRAINT_PARAMS = (  # type: ignore[attr-defined]
        _FocusSet(ALL_CONSTRAINT_PARAMETERS),
        CONSTRAINT_PARAMETERS_MAP,
    )


def ensure_focus_filter_on_targets_only() -> None:
    """Check the installed pyshacl once and mend its focus filter if it has the fault."""
    global _checked
    with _lock:
        if not _checked:
            _hash_constraint_parameters()
            _wrap_shape_validate(nested_fix=nested_shapes_skipped())
            _checked = True


def validate(data: Graph, **kwargs: Any) -> tuple[bool, Graph, str]:
    """Run pyshacl.validate with nested shapes checked also when validating by focus node."""
    if kwargs.get("focus_nodes") is not None:
        ensure_focus_filter_on_targets_only()
    conforms, report, text = pyshacl.validate(data, **kwargs)
    return bool(conforms), report, str(text)
