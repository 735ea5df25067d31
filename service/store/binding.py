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
from service.text_memo import remembered_for_short_texts

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
    """Bind each variable to its term with a VALUES block (SPARQL 1.1 §10.2).

    The block opens the query's outer WHERE group, so it is joined with the pattern before
    grouping, aggregates and solution modifiers, and the engine can use it to drive the
    pattern (oxigraph does not push a trailing VALUES past OPTIONAL or BIND). Where no WHERE
    group can be found (DESCRIBE <iri>, CONSTRUCT WHERE), a trailing VALUES clause is used.
    """
    if not bindings:
        return sparql
    names = " ".join(sparql_variable(name) for name in bindings)
    values = " ".join(sparql_term(node) for node in bindings.values())
    block = f"VALUES ({names}) {{ ({values}) }}"
    position = where_group_start(sparql)
    if position is None:
        # The newline ends a trailing `# comment` the query text may have.
        return f"{sparql}\n{block}\n"
    return f"{sparql[:position]}\n  {block}\n{sparql[position:]}"


_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")


@remembered_for_short_texts
def where_group_start(sparql: str) -> int | None:
    """Return the index just after the `{` that opens the outer WHERE group, or None.

    Strings, IRIs and comments are skipped; a CONSTRUCT template is skipped; braces inside
    parentheses (EXISTS in a SELECT expression) do not count.
    """
    form: str | None = None
    skip_template = False
    depth_paren = 0
    i, n = 0, len(sparql)
    while i < n:
        char = sparql[i]
        skipped = _skip_literal_text(sparql, i)
        if skipped is not None:
            i = skipped
            continue
        if char.isalpha() and (i == 0 or not (sparql[i - 1].isalnum() or sparql[i - 1] in "_:?$")):
            j = i
            while j < n and (sparql[j].isalnum() or sparql[j] == "_"):
                j += 1
            word = sparql[i:j].upper()
            if form is None and word in _FORMS:
                form = word
                skip_template = word == "CONSTRUCT"
            elif skip_template and word == "WHERE":
                return None  # CONSTRUCT WHERE { … }: the group is also the template
            i = j
            continue
        if char == "(":
            depth_paren += 1
        elif char == ")":
            depth_paren = max(0, depth_paren - 1)
        elif char == "{" and form is not None and depth_paren == 0:
            if skip_template:
                i = _group_end(sparql, i)
                skip_template = False
                continue
            return i + 1
        i += 1
    return None


@remembered_for_short_texts
def declares_dataset(sparql: str) -> bool:
    """Return True when a query names its own dataset with FROM or FROM NAMED.

    Bound values cannot add a FROM, so a template's answer holds for its bound texts too.
    """
    depth, i, n = 0, 0, len(sparql)
    while i < n:
        skipped = _skip_literal_text(sparql, i)
        if skipped is not None:
            i = skipped
            continue
        char = sparql[i]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char.isalpha() and (
            i == 0 or not (sparql[i - 1].isalnum() or sparql[i - 1] in "_:?$")
        ):
            j = i
            while j < n and (sparql[j].isalnum() or sparql[j] == "_"):
                j += 1
            if depth == 0 and sparql[i:j].upper() == "FROM":
                return True
            i = j
            continue
        i += 1
    return False


def _skip_literal_text(text: str, i: int) -> int | None:
    """Return the index after a comment, string or IRI starting at i, or None if none does."""
    char = text[i]
    if char == "#":
        end = text.find("\n", i)
        return len(text) if end < 0 else end + 1
    if char in "\"'":
        return _skip_string(text, i)
    if char == "<":
        return _iri_end(text, i)
    return None


def _skip_string(text: str, start: int) -> int:
    quote = text[start]
    if text.startswith(quote * 3, start):
        end = text.find(quote * 3, start + 3)
        while end > 0 and _escaped(text, end):
            end = text.find(quote * 3, end + 1)
        return len(text) if end < 0 else end + 3
    i = start + 1
    while i < len(text) and text[i] != quote and text[i] != "\n":
        i += 2 if text[i] == "\\" else 1
    return i + 1


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _iri_end(text: str, start: int) -> int | None:
    """Return the index after an IRIREF starting at `start`, or None for a `<` operator."""
    i = start + 1
    while i < len(text):
        char = text[i]
        if char == ">":
            return i + 1
        if char in _IRI_FORBIDDEN or char.isspace():
            return None
        i += 1
    return None


_IRI_FORBIDDEN = frozenset('<"{}|^`\\')


def _group_end(text: str, start: int) -> int:
    """Return the index after the `}` that closes the group opened at `start`."""
    depth, i = 0, start
    while i < len(text):
        char = text[i]
        skipped = _skip_literal_text(text, i)
        if skipped is not None:
            i = skipped
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)


def _check_encodable(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(f"{text!r} is not valid Unicode (lone surrogate)") from error
