"""Several values for one variable: a VALUES block written with the binding module's escaping.

`store.binding.with_bindings` binds one row; queries that need a set of values (a batch of
registry entries, the candidates of a reconciliation query) use `values_block`, whose every
term goes through `sparql_term`, so no outside text reaches the query unescaped.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib.term import Literal, URIRef

from .store.binding import sparql_term, sparql_variable


def values_block(variable: str, terms: Iterable[URIRef | Literal]) -> str:
    """Return `VALUES ?variable { term … }`; ValueError for a term SPARQL cannot carry."""
    written = " ".join(sparql_term(term) for term in terms)
    return f"VALUES {sparql_variable(variable)} {{ {written} }}"
