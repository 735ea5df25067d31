"""Put values into SPARQL text safely: the one place where terms become query syntax.

Every IRI and literal that reaches a query from outside goes through `sparql_term`, which
checks it against the SPARQL 1.1 grammar (IRIREF, STRING_LITERAL2, LANGTAG) and escapes it,
so a value can never close its token and inject syntax. `with_bindings` adds such values to a
query as a trailing VALUES clause instead of splicing them into the pattern.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib.term import BNode, Literal, URIRef

from service.store.base import Node

# IRIREF ::= '<' ([^<>"{}|^`\]-[#x00-#x20])* '>'  (SPARQL 1.1 §19.8, production 139)
_IRIREF_BODY = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')

# LANGTAG ::= '@' [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*  (production 145)
_LANGTAG = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z0-9]+)*")

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
# VARNAME ::= ( PN_CHARS_U | [0-9] )
#             ( PN_CHARS_U | [0-9] | #xB7 | [#x300-#x36F] | [#x203F-#x2040] )*
_VARNAME = re.compile(
    f"[{_PN_CHARS_BASE}_0-9][{_PN_CHARS_BASE}_0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
)

# ECHAR ::= '\' [tbnrf\"'] — every character STRING_LITERAL2 forbids raw (" \ LF CR) has one.
_ESCAPES = str.maketrans(
    {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
)


def sparql_iri(iri: str) -> str:
    """Return `<iri>`; raise ValueError if iri is not a valid SPARQL IRIREF body."""
    if not iri:
        raise ValueError("an empty IRI cannot be bound into a query")
    if _IRIREF_BODY.fullmatch(iri) is None:
        bad = next(c for c in iri if _IRIREF_BODY.fullmatch(c) is None)
        raise ValueError(f"IRI {iri!r} contains {bad!r}, which SPARQL does not allow in an IRI")
    _check_encodable(iri)
    return f"<{iri}>"


def sparql_literal(literal: Literal) -> str:
    """Return literal as a quoted, escaped SPARQL literal with its language tag or datatype."""
    lexical = str(literal)
    _check_encodable(lexical)
    quoted = '"' + lexical.translate(_ESCAPES) + '"'
    if literal.language is not None:
        if _LANGTAG.fullmatch(literal.language) is None:
            raise ValueError(f"language tag {literal.language!r} is not a valid BCP 47 tag")
        return f"{quoted}@{literal.language}"
    if literal.datatype is not None:
        return f"{quoted}^^{sparql_iri(str(literal.datatype))}"
    return quoted


def sparql_term(node: Node) -> str:
    """Return node as SPARQL syntax; raise ValueError for blank nodes and invalid values."""
    if isinstance(node, URIRef):
        return sparql_iri(str(node))
    if isinstance(node, Literal):
        return sparql_literal(node)
    if isinstance(node, BNode):
        raise ValueError("blank nodes cannot be bound into a query: they only name nodes locally")
    raise TypeError(f"cannot bind {type(node).__name__} into a query; use URIRef or Literal")


def sparql_variable(name: str) -> str:
    """Return `?name`; a leading ? or $ is accepted, anything but a VARNAME is refused."""
    bare = name[1:] if name[:1] in ("?", "$") else name
    if _VARNAME.fullmatch(bare) is None:
        raise ValueError(f"{name!r} is not a valid SPARQL variable name")
    return f"?{bare}"


def with_bindings(sparql: str, bindings: Mapping[str, Node] | None) -> str:
    """Append a VALUES clause binding each variable to its term (SPARQL 1.1 §18.2.4.3).

    The trailing VALUES block is joined with the WHERE pattern before ORDER BY, LIMIT and the
    other solution modifiers apply, so the query keeps its meaning with the values fixed.
    """
    if not bindings:
        return sparql
    names = " ".join(sparql_variable(name) for name in bindings)
    values = " ".join(sparql_term(node) for node in bindings.values())
    # The newline ends a trailing `# comment` the query text may have.
    return f"{sparql}\nVALUES ({names}) {{ ({values}) }}\n"


def _check_encodable(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(f"{text!r} is not valid Unicode (lone surrogate)") from error
