"""pyshacl, with its focus-node filter limited to the targets it was meant for.

pyshacl 0.40 applies `focus_nodes` to every shape evaluation, also to the value nodes a
property shape hands to nested shapes (sh:or, sh:node, sh:qualifiedValueShape). Those are
then dropped, literals always, so nested constraints pass silently when validating by focus
node. The gate validates every write by focus node, so it needs the filter on targets only.
`validate` checks once whether the installed pyshacl has the fault and, only then, clears
the filter for nested evaluations (the executor is per validation, so threads don't share it).
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


def _filter_targets_only() -> None:
    original = Shape.validate

    @wraps(original)
    def validate(
        self: Shape, executor: Any, target_graph: Any, focus: Any = None, *args: Any, **kw: Any
    ) -> Any:
        if focus is None or executor.focus_nodes is None:
            return original(self, executor, target_graph, focus, *args, **kw)
        saved, executor.focus_nodes = executor.focus_nodes, None
        try:
            return original(self, executor, target_graph, focus, *args, **kw)
        finally:
            executor.focus_nodes = saved

    Shape.validate = validate  # type: ignore[method-assign]


class _ParameterList(list[Any]):
    """pyshacl's list of constraint parameters, with membership tests by hash.

    pyshacl tests every predicate of every shape against this list on every evaluation;
    as a list that costs a linear scan each time (a quarter of a gate run in profiles).
    """

    def __init__(self, items: list[Any]) -> None:
        super().__init__(items)
        self._members = frozenset(items)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _hash_constraint_parameters() -> None:
    from pyshacl import shape
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP

    shape.CONSTRAINT_PARAMS = (  # type: ignore[attr-defined]
        _ParameterList(ALL_CONSTRAINT_PARAMETERS),
        CONSTRAINT_PARAMETERS_MAP,
    )


def ensure_focus_filter_on_targets_only() -> None:
    """Check the installed pyshacl once and mend its focus filter if it has the fault."""
    global _checked
    with _lock:
        if not _checked:
            _hash_constraint_parameters()
            if nested_shapes_skipped():
                _filter_targets_only()
            _checked = True


def validate(data: Graph, **kwargs: Any) -> tuple[bool, Graph, str]:
    """Run pyshacl.validate with nested shapes checked also when validating by focus node."""
    if kwargs.get("focus_nodes") is not None:
        ensure_focus_filter_on_targets_only()
    conforms, report, text = pyshacl.validate(data, **kwargs)
    return bool(conforms), report, str(text)
