"""Convert terms between rdflib (what callers see) and pyoxigraph (what the engine speaks)."""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import XSD
from rdflib.term import BNode, Literal, URIRef

from service.store.base import Node, QuerySyntaxError, RdfFormat

OX_FORMATS = {
    RdfFormat.TURTLE: ox.RdfFormat.TURTLE,
    RdfFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    RdfFormat.NQUADS: ox.RdfFormat.N_QUADS,
    RdfFormat.TRIG: ox.RdfFormat.TRIG,
    RdfFormat.JSONLD: ox.RdfFormat.JSON_LD,
    RdfFormat.RDFXML: ox.RdfFormat.RDF_XML,
}

_XSD_STRING = str(XSD.string)
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_POSITION = re.compile(r"^error at (\d+):(\d+): ?")


_CONVERTED_LIMIT = 200_000
_converted: dict[ox.NamedNode | ox.Literal, Node] = {}


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    """Return the rdflib term for a pyoxigraph term; xsd:string literals become plain ones.

    IRIs and literals recur across the rows of a result and across pages (predicates, types,
    labels), and building an rdflib Literal is slow, so conversions are remembered (at most
    `_CONVERTED_LIMIT`; the memo starts over when full). Both kinds of term are immutable.
    """
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    known = _converted.get(term)  # type: ignore[arg-type]
    if known is not None:
        return known
    node = _convert(term)
    if len(_converted) >= _CONVERTED_LIMIT:
        _converted.clear()
    _converted[term] = node  # type: ignore[index]
    return node


def solution_rows(names: list[str], solutions: ox.QuerySolutions) -> list[dict[str, Node]]:
    """Return each solution as {variable: rdflib term}, unbound variables left out.

    A remembered term takes one dictionary lookup here, not a call of `to_rdflib`: converting
    rows was a quarter of the time the entity page's queries took.
    """
    known = _converted
    rows = []
    for solution in solutions:
        row: dict[str, Node] = {}
        for name, term in zip(names, solution, strict=True):
            if term is not None:
                node = known.get(term)
                row[name] = node if node is not None else to_rdflib(term)
        rows.append(row)
    return rows


def _convert(term: ox.NamedNode | ox.Literal | ox.Triple) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language is not None:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == _XSD_STRING else datatype)
    raise TypeError(f"RDF-star term {term} cannot be returned as an rdflib term")


def to_oxigraph(
    node: Node, blank_nodes: dict[BNode, ox.BlankNode]
) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Return the pyoxigraph term for an rdflib term.

    Blank nodes get fresh identifiers, the same one for each occurrence (kept in blank_nodes),
    so that they never merge with blank nodes already in the store.
    """
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        if node not in blank_nodes:
            blank_nodes[node] = ox.BlankNode()
        return blank_nodes[node]
    if isinstance(node, Literal):
        if node.language is not None:
            return ox.Literal(str(node), language=node.language)
        datatype = node.datatype
        if datatype is None or str(datatype) == _RDF_LANG_STRING:
            return ox.Literal(str(node))
        return ox.Literal(str(node), datatype=ox.NamedNode(str(datatype)))
    raise TypeError(f"{type(node).__name__} is not an RDF term")


def graph_node(graph: str | None) -> ox.NamedNode | ox.DefaultGraph:
    """Return the pyoxigraph graph name for an IRI, or the default graph for None."""
    return ox.DefaultGraph() if graph is None else ox.NamedNode(graph)


def checked_graph_iri(graph: str) -> str:
    """Return graph if a store can name a graph by it (an absolute IRI); ValueError saying why
    otherwise."""
    try:
        ox.NamedNode(graph)
    except ValueError as error:
        raise ValueError(f"{graph!r} is not an absolute IRI ({error})") from None
    return graph


def query_syntax_error(error: SyntaxError | str) -> QuerySyntaxError:
    """Turn Oxigraph's "error at L:C: message" into a QuerySyntaxError with its position."""
    message = str(error).strip()
    match = _POSITION.match(message)
    if match is None:
        return QuerySyntaxError(message)
    line, column = int(match[1]), int(match[2])
    reason = message[match.end() :]
    return QuerySyntaxError(f"line {line}, column {column}: {reason}", line=line, column=column)


def data_syntax_message(error: SyntaxError) -> str:
    """Describe an RDF parse error; pyoxigraph's message already names line and column."""
    return error.msg or str(error)
