"""Inspect a public SPARQL query before the engine sees it, and refuse what is not safe.

pyoxigraph runs `SERVICE` itself (it makes the HTTP request) and would run an update if asked,
so the public endpoint checks every query first:

- only the query forms (SELECT, CONSTRUCT, DESCRIBE, ASK); every update form, LOAD included,
  is refused;
- `SERVICE` only to an IRI on the allowlist (empty by default), written out in full; never to
  a variable;
- `FROM` / `FROM NAMED` only for graphs the store holds, so that no store ever fetches one.

The query is read with a tokenizer that follows the SPARQL 1.1 lexical grammar (§19.8), not
with a full parser: rdflib's parser costs ~12 ms per query, the tokenizer well under 1 ms.
The tokenizer only has to find keywords outside strings, IRIs and comments; it errs on the
side of seeing a keyword (a comment ends at any line break character, an unknown character is
a token of its own). `<` is the one character the lexical grammar leaves ambiguous: in
`FILTER(?a<?b)SERVICE:x#>` it is less-than to the engine, and read as the start of an IRI it
would hide the SERVICE. So the tokenizer follows the brackets: inside an expression, a `<`
right after an operand is the operator, as the engine's parser reads it. Two quirks of
pyoxigraph's grammar are handled: a keyword needs no space before a prefixed name
(`SERVICE:x` is `SERVICE :x`), and none before an IRI (`SERVICE<…>`). Every walk is linear in
the length of the text.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field

from .text_memo import remembered_for_short_texts

QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
UPDATE_FORMS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_CHARS_U = _BASE + "_"
_CHARS = _CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = f"(?:[{_CHARS_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_BREAK = "\n\r\v\f\x85\u2028\u2029"


def _token_regex(pname: str) -> re.Pattern[str]:
    return re.compile(
        rf"""
        (?P<ws>[ \t\r\n]+)
      | (?P<comment>\#[^{_BREAK}]*)
      | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*>)
      | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
                  |\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
                  |'(?:[^'\\\n\r]|\\[^\n\r])*'
                  |"(?:[^"\\\n\r]|\\[^\n\r])*")
      | (?P<var>[?$][{_CHARS_U}0-9][{_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*)
      | (?P<bnode>_:[{_CHARS_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)
      | (?P<pname>{pname})
      | (?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
      | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<other>.)
        """,
        re.VERBOSE | re.DOTALL,
    )


_TOKEN = _token_regex(f"(?:{_PREFIX})?:(?:{_LOCAL})?")
_TOKEN_NO_PNAME = _token_regex(f":(?:{_LOCAL})?")
"""`_TOKEN` where no prefix can start: inside a name run that no `:` follows."""
_NAME_RUN = re.compile(f"[{_BASE}][{_CHARS}.]*")
_LESS_THAN = re.compile(r"<=?")
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_FOUND = re.compile(r"found (.+?)\s+\(at char")
_RDFLIB_PARSER = threading.Lock()
_IRI_KINDS = ("iri", "pname")
_LOOKAHEAD = 2
"""Tokens after a keyword that any check reads (`SERVICE SILENT <…>`, `PREFIX ex: <…>`): the
walks slice no more, which kept them linear (a slice of the rest made a 100 kB text cost
0.1 s per walk)."""
RDFLIB_READS_AT_MOST = 4_000
"""Characters of a refused query that rdflib re-reads to say where it goes wrong."""


class QueryRefused(Exception):
    """The query may not run on the public endpoint; the message says why and what to do."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class QueryNotReadable(QueryRefused):
    """The text is not a SPARQL query at all (no query form found); the message says where."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"SPARQL syntax error at line {line}, column {column}: {message}", 400)
        self.line, self.column = line, column


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    offset: int


@dataclass(frozen=True)
class QueryInfo:
    """What the guard learnt about a query."""

    form: str
    from_graphs: tuple[str, ...] = ()
    from_named_graphs: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    prefixes: dict[str, str] = field(default_factory=dict)

    @property
    def has_dataset_clause(self) -> bool:
        """Whether the query names its own dataset with FROM or FROM NAMED."""
        return bool(self.from_graphs or self.from_named_graphs)


def tokens(text: str) -> Iterator[Token]:
    """Yield the significant tokens of a SPARQL text (no whitespace, no comments)."""
    brackets = _Brackets()
    no_colon_before = 0
    position = 0
    size = len(text)
    while position < size:
        pattern = _TOKEN if position >= no_colon_before else _TOKEN_NO_PNAME
        match = pattern.match(text, position)
        assert match is not None  # `other` matches any character
        kind = match.lastgroup or "other"
        end = match.end()
        if kind == "iri" and brackets.operand_ended():
            end = position + (2 if text.startswith("<=", position) else 1)
            kind = "other"
        elif position >= no_colon_before and (
            (kind == "word" and _may_go_on(text[end : end + 1]))
            or (kind == "other" and not text[position].isascii())
        ):
            # A name run not followed by `:` is no prefix from any of its characters on;
            # without this, each word of `a-a-a-…` would scan the whole run again.
            run = _NAME_RUN.match(text, position)
            if run is not None and not text.startswith(":", run.end()):
                no_colon_before = run.end()
        if kind != "ws" and kind != "comment":
            token = Token(kind, text[position:end], position)
            if kind == "other" or kind == "word":
                brackets.step(token)
            brackets.before_previous, brackets.previous = brackets.previous, token
            yield token
        position = end


def _may_go_on(following: str) -> bool:
    """Whether a word's name run may go on after it (`a-b`, `a.b`, `aä`): then the run is
    looked at whole, once."""
    return following in ("-", ".", "\u00b7") or (following != "" and not following.isascii())


def iri_value(token: Token) -> str:
    """Return the IRI an IRI token writes, its `\\u`/`\\U` escapes decoded (SPARQL 1.1 §19.2),
    as the engine reads it."""
    return _CODEPOINT_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), token.text[1:-1])


_OPERAND_ENDS = frozenset({"var", "iri", "pname", "string", "number", "langtag", "bnode"})
_PATTERN_WORDS = frozenset({"a"})
"""Words after which `(` opens a collection, not an expression: only `a` (rdf:type) can be a
predicate that a collection follows."""


class _Brackets:
    """Where in the query the tokens are: inside an expression or in a pattern.

    An expression is only ever in parentheses: after FILTER, BIND, a function's name, IN, in
    the projection and in GROUP BY, ORDER BY and HAVING. Parentheses in a graph pattern are
    collections or path groups, and VALUES holds data; `EXISTS { … }` is a pattern again.
    """

    def __init__(self) -> None:
        self.stack: list[str] = []  # "{", "values{", "expr", "list"
        self.braces = 0  # open `{` of either kind
        self.values = False  # after VALUES, until its data block closes
        self.previous: Token | None = None
        self.before_previous: Token | None = None

    def operand_ended(self) -> bool:
        """Whether a `<` here is less-than: in an expression, right after an operand."""
        if not self.stack or self.stack[-1] != "expr" or self.previous is None:
            return False
        previous = self.previous
        return (
            previous.kind in _OPERAND_ENDS
            or previous.text == ")"
            or _keyword(previous) in ("TRUE", "FALSE")
        )

    def step(self, token: Token) -> None:
        """Follow a word or punctuation token (the caller keeps `previous` up to date)."""
        text = token.text
        if token.kind == "word":
            if text.upper() == "VALUES":
                self.values = True
        elif text == "(":
            self.stack.append("expr" if self._opens_expression() else "list")
        elif text == "{":
            self.stack.append("values{" if self.values else "{")
            self.braces += 1
        elif text in (")", "}") and self.stack:
            frame = self.stack.pop()
            if frame in ("{", "values{"):
                self.braces -= 1
            if frame == "values{":
                self.values = False

    def _opens_expression(self) -> bool:
        if self.values:
            return False
        if self.stack and self.stack[-1] == "expr":
            return True  # a nested expression, a function's arguments, an IN list
        if not self.braces:
            return True  # projection, GROUP BY, ORDER BY, HAVING
        previous = self.previous
        if previous is None:
            return False
        if previous.kind == "word":
            return previous.text not in _PATTERN_WORDS  # FILTER, BIND, STR, REGEX, …
        # `FILTER ex:f(…)`: a function call; elsewhere a predicate before a collection
        before = self.before_previous
        return previous.kind in _IRI_KINDS and before is not None and _keyword(before) == "FILTER"


@remembered_for_short_texts
def inspect_query(text: str) -> QueryInfo:
    """Read a query's form, dataset clauses and SERVICE targets; refuse updates.

    Remembered for short texts (the same queries come again and again); a refusal is not,
    it is found again each time.

    Raises `QueryRefused` for an update and `QueryNotReadable` when no query form is found.
    """
    items = list(tokens(text))
    prefixes, base, position = _prologue(items, text)
    if position >= len(items):
        line, column = _where(text, len(text))
        raise QueryNotReadable("expected SELECT, CONSTRUCT, DESCRIBE or ASK", line, column)
    first = items[position]
    keyword = _keyword(first)
    if keyword in UPDATE_FORMS:
        raise QueryRefused(
            f"{keyword} is a SPARQL Update. This endpoint is read-only; writes go to "
            "POST /update with a bearer token."
        )
    if keyword not in QUERY_FORMS:
        line, column = _where(text, first.offset)
        raise QueryNotReadable(
            f"expected SELECT, CONSTRUCT, DESCRIBE or ASK, found {first.text[:40]!r}", line, column
        )
    resolve = _Resolver(prefixes, base)
    services: list[str] = []
    from_graphs: list[str] = []
    from_named: list[str] = []
    rest = items[position:]
    for index, token in enumerate(rest):
        following = rest[index + 1 : index + 1 + _LOOKAHEAD]
        if _is_keyword(token, "SERVICE", following):
            services.append(_service_target(token, following, resolve))
        elif _is_keyword(token, "FROM", following):
            target, named = _from_target(token, following, resolve)
            (from_named if named else from_graphs).append(target)
    return QueryInfo(keyword, tuple(from_graphs), tuple(from_named), tuple(services), prefixes)


def check_query(
    info: QueryInfo,
    *,
    service_allowlist: Collection[str],
    graphs_in_store: Callable[[], Collection[str]],
) -> None:
    """Refuse SERVICE outside the allowlist and FROM / FROM NAMED outside the store."""
    for target in info.services:
        if target not in service_allowlist:
            allowed = ", ".join(sorted(service_allowlist)) or "none"
            raise QueryRefused(
                f"SERVICE <{target}> is not allowed: this endpoint does not call other "
                f"endpoints on a query's behalf (allowed: {allowed})."
            )
    named = info.from_graphs + info.from_named_graphs
    if named:
        known = set(graphs_in_store())
        for graph in named:
            if graph not in known:
                raise QueryRefused(
                    f"FROM <{graph}> names a graph this store does not hold; the endpoint "
                    "never fetches graphs from the web. The service description at /sparql "
                    "lists the graphs it holds."
                )


def check_update(text: str, *, service_allowlist: Collection[str]) -> None:
    """Refuse an update that would make the server contact another host: LOAD, or SERVICE
    outside the allowlist. Raise QueryRefused."""
    items = list(tokens(text))
    prefixes: dict[str, str] = {}
    for index, token in enumerate(items):
        following = items[index + 1 : index + 1 + _LOOKAHEAD]
        keyword = _keyword(token)
        if keyword == "PREFIX" and len(following) >= 2 and following[1].kind == "iri":
            prefixes[following[0].text[:-1]] = iri_value(following[1])
        elif keyword == "LOAD" or _glued_prefix(token) == "LOAD":
            raise QueryRefused(
                "LOAD is not allowed: the server does not fetch documents from the web. "
                "Send the data itself with PUT or POST to /store."
            )
        elif _is_keyword(token, "SERVICE", following):
            target = _service_target(token, following, _Resolver(prefixes, None))
            if target not in service_allowlist:
                raise QueryRefused(f"SERVICE <{target}> is not allowed in an update.")


_PATTERN_TERMS = frozenset({"var", "iri", "pname", "bnode", "string", "number"})
_NAMING_BLOCKS = ("GRAPH", "SERVICE")


@dataclass
class _Group:
    """A `{ … }` of an update's WHERE clause, as `reads_default_graph` walks it."""

    shielded: bool
    """Inside GRAPH or SERVICE (patterns read a named graph or another service), or data."""
    parens: int = 0
    subselect: str = ""
    """"projection" after a subquery's SELECT, "modifiers" after its WHERE group."""


def reads_default_graph(text: str) -> str | None:
    """Return why an update would read or write the default graph, or None when it does not.

    Queries here see the union of the named graphs as the default graph, but an update sees
    the engine's own default graph, which holds nothing: a WHERE pattern outside GRAPH matched
    nothing, so the update answered 204 and changed nothing. Updates with WITH or USING name
    their default graph and pass (`USING NAMED` alone does not). Errs on the side of None: an
    update this walk cannot place is left to the engine, as before.
    """
    items = list(tokens(text))
    for token in items:
        if _keyword(token) == "DEFAULT":
            return (
                "DEFAULT names the default graph, which here is the union of the named graphs: "
                "it cannot be cleared, dropped, copied, moved or added. Name the graph instead."
            )
    for operation in _operations(items):
        if _names_its_default_graph(operation):
            continue
        where = next((i for i, t in enumerate(operation) if _keyword(t) == "WHERE"), None)
        if where is not None and _pattern_outside_graph(operation[where + 1 :]):
            return (
                "The update's WHERE clause has a pattern outside GRAPH, so it reads the default "
                "graph, and an update's default graph holds nothing here (queries see the union "
                "of the named graphs; an update does not). Put the pattern in GRAPH <…> { … } or "
                "GRAPH ?g { … }, or name the graphs to read with WITH <…> or USING <…>."
            )
    return None


def _names_its_default_graph(operation: list[Token]) -> bool:
    """Whether an operation's WHERE reads graphs it names: `USING <g>`, or `WITH <g>` without
    any USING (SPARQL 1.1 Update §3.1.3: `USING NAMED` alone leaves the default graph empty,
    and any USING overrides WITH)."""
    usings = [i for i, token in enumerate(operation) if _keyword(token) == "USING"]
    if any(_keyword(operation[i + 1]) != "NAMED" for i in usings if i + 1 < len(operation)):
        return True
    return not usings and any(_keyword(token) == "WITH" for token in operation)


def _operations(items: list[Token]) -> Iterator[list[Token]]:
    """Split an update into its operations at the `;` outside any bracket."""
    depth, start = 0, 0
    for index, token in enumerate(items):
        if token.text in ("{", "(", "["):
            depth += 1
        elif token.text in ("}", ")", "]"):
            depth -= 1
        elif token.text == ";" and depth == 0:
            yield items[start:index]
            start = index + 1
    yield items[start:]


def _pattern_outside_graph(items: list[Token]) -> bool:
    """Whether a WHERE group (its tokens from the opening `{`) has a triple pattern term that
    is not inside GRAPH, SERVICE, VALUES data or an expression."""
    stack: list[_Group] = []
    naming = False  # after GRAPH or SERVICE, until its `{`
    values = False  # after VALUES, until its data `{`
    for index, token in enumerate(items):
        following = items[index + 1 : index + 1 + _LOOKAHEAD]
        if (
            token.kind in _IRI_KINDS
            and index
            and _keyword(items[index - 1]) == "FILTER"
            and following[:1]
            and following[0].text == "("
        ):
            continue  # `FILTER xsd:boolean(?o)`: a function's name, not a pattern term
        if token.text == "{":
            parent = stack[-1] if stack else None
            if parent is not None and parent.subselect == "projection":
                parent.subselect = "modifiers"
            shielded = naming or values or (parent is not None and parent.shielded)
            stack.append(_Group(shielded))
            naming = values = False
            continue
        if not stack:
            continue
        group = stack[-1]
        if token.text == "}":
            stack.pop()
            if not stack:
                return False
            continue
        if token.text == "(":
            group.parens += 1
        elif token.text == ")":
            group.parens -= 1
        elif any(_is_keyword(token, word, following) for word in _NAMING_BLOCKS):
            naming = True
        elif _keyword(token) == "VALUES":
            values = True
        elif _keyword(token) == "SELECT":
            group.subselect = "projection"
        elif (token.kind in _PATTERN_TERMS or token.text == "[") and not (
            naming or values or group.shielded or group.parens or group.subselect
        ):
            return True
    return False


def graphs_named_in_update(text: str) -> set[str] | None:
    """Return every IRI an update writes out, or None when it can address graphs it does not
    name (`GRAPH ?g`, ALL, NAMED, DEFAULT, or relative IRIs under BASE).

    Errs on the side of None and of too many IRIs: the caller copies these graphs to try the
    update on, and a graph left out could only make the trial do less.
    """
    items = list(tokens(text))
    prefixes: dict[str, str] = {}
    named: set[str] = set()
    for index, token in enumerate(items):
        keyword = _keyword(token) or _glued_prefix(token)
        following = items[index + 1 : index + 1 + _LOOKAHEAD]
        if keyword in ("ALL", "NAMED", "DEFAULT", "BASE"):
            return None
        if _keyword(token) == "GRAPH" and (not following or following[0].kind not in _IRI_KINDS):
            return None
        if _keyword(token) == "PREFIX" and len(following) >= 2 and following[1].kind == "iri":
            prefixes[following[0].text[:-1]] = iri_value(following[1])
        if token.kind == "iri":
            named.add(iri_value(token))
        elif token.kind == "pname":
            prefix, local = token.text.split(":", 1)
            for candidate in {prefix, ""}:  # `GRAPH:x` is GRAPH applied to `:x`
                if candidate in prefixes:
                    named.add(prefixes[candidate] + _LOCAL_ESCAPE.sub(r"\1", local))
    return named


def describe_syntax_error(text: str, engine_message: str) -> str:
    """Say where a query the engine refused goes wrong, as precisely as can be found.

    pyoxigraph reports the furthest place its parser reached, often the end of the text;
    rdflib's parser names the first token it could not read. Used only for queries the engine
    already refused, so rdflib's cost (~10 ms) is paid on errors only, and only for texts of
    at most `RDFLIB_READS_AT_MOST` characters: it grows with the text (a 20 kB query took
    7.6 s) and runs one at a time.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    # The engine names an undeclared prefix only where its grammar expected a name ("expected
    # OPTIONAL" after `?s y:q`); it knows no prefix the query does not declare, so one is
    # always an error of its own.
    undeclared = _undeclared_prefix(text)
    if undeclared is not None:
        return undeclared
    if len(text) > RDFLIB_READS_AT_MOST:
        return f"SPARQL syntax error at {engine_message}"
    try:
        with _RDFLIB_PARSER:
            parseQuery(text)
    except ParseException as error:
        found = _FOUND.search(str(error))
        what = f"unexpected {found.group(1)}" if found else "cannot read the query here"
        return f"SPARQL syntax error at line {error.lineno}, column {error.col}: {what}"
    except Exception:  # noqa: S110 - rdflib cannot say more; the engine's message stands
        pass
    return f"SPARQL syntax error at {engine_message}"


def _undeclared_prefix(text: str) -> str | None:
    """Name the first prefixed name whose prefix no PREFIX declares, and where it is."""
    items = list(tokens(text))
    declared = {
        following.text[:-1]
        for token, following in itertools.pairwise(items)
        if _keyword(token) == "PREFIX" and following.kind == "pname"
    }
    for index, token in enumerate(items):
        if token.kind != "pname" or (index and _keyword(items[index - 1]) == "PREFIX"):
            continue
        prefix = token.text.split(":", 1)[0]
        if prefix not in declared:
            line, column = _where(text, token.offset)
            return (
                f"SPARQL syntax error at line {line}, column {column}: the prefix {prefix}: of "
                f"{token.text} is not declared; add PREFIX {prefix}: <…> before the query"
            )
    return None


@remembered_for_short_texts
def cap_select(text: str, rows: int) -> str:
    """Append `LIMIT rows` to a SELECT query that has no LIMIT of its own.

    LIMIT applies after ORDER BY and OFFSET, so the rows the engine then yields are exactly the
    first `rows` of the full result, and it stops early instead of producing rows that would be
    thrown away. A query with its own top-level LIMIT keeps it; one with a trailing VALUES block
    or unbalanced brackets is returned unchanged (the engine then reports its syntax error at
    the place the client wrote). Remembered like `inspect_query`.
    """
    braces = parens = 0
    for token in tokens(text):
        if token.kind == "other" and token.text in ("{", "}", "(", ")"):
            braces += {"{": 1, "}": -1}.get(token.text, 0)
            parens += {"(": 1, ")": -1}.get(token.text, 0)
        elif braces == 0 and parens == 0 and _keyword(token) in ("LIMIT", "VALUES"):
            return text
    if braces or parens:
        return text
    # The newline ends a trailing `# comment`.
    return f"{text}\nLIMIT {rows}\n"


def _prologue(items: list[Token], text: str) -> tuple[dict[str, str], str | None, int]:
    prefixes: dict[str, str] = {}
    base: str | None = None
    position = 0
    while position < len(items):
        keyword = _keyword(items[position])
        if keyword == "BASE":
            if _kind_at(items, position + 1) != "iri":
                raise _not_readable(text, items, position + 1, "expected an IRI after BASE")
            base = iri_value(items[position + 1])
            position += 2
        elif keyword == "PREFIX":
            name = items[position + 1] if position + 1 < len(items) else None
            if name is None or name.kind != "pname" or not name.text.endswith(":"):
                raise _not_readable(text, items, position + 1, "expected a prefix name like ex:")
            if _kind_at(items, position + 2) != "iri":
                raise _not_readable(text, items, position + 2, "expected an IRI like <http://…>")
            prefixes[name.text[:-1]] = iri_value(items[position + 2])
            position += 3
        else:
            break
    return prefixes, base, position


def _not_readable(text: str, items: list[Token], position: int, message: str) -> QueryNotReadable:
    offset = items[position].offset if position < len(items) else len(text)
    line, column = _where(text, offset)
    return QueryNotReadable(message, line, column)


def _kind_at(items: list[Token], position: int) -> str | None:
    return items[position].kind if position < len(items) else None


def _keyword(token: Token) -> str:
    return token.text.upper() if token.kind == "word" else ""


def _is_keyword(token: Token, keyword: str, following: list[Token]) -> bool:
    """Whether a token is the keyword, also in its glued form `KEYWORD:local` before `{`."""
    if _keyword(token) == keyword:
        return True
    if _glued_prefix(token) != keyword:
        return False
    # `SERVICE:x { … }` is SERVICE applied to `:x`; `FROM:x` is FROM applied to `:x`.
    return keyword == "FROM" or (bool(following) and following[0].text == "{")


def _glued_prefix(token: Token) -> str:
    return token.text.split(":", 1)[0].upper() if token.kind == "pname" else ""


def _glued_local(token: Token) -> Token:
    """Turn `KEYWORD:local` into the prefixed name `:local` it stands for."""
    return Token("pname", ":" + token.text.split(":", 1)[1], token.offset)


def _service_target(token: Token, following: list[Token], resolve: _Resolver) -> str:
    target: Token | None = _glued_local(token) if token.kind == "pname" else None
    if target is None:
        target = following[0] if following else None
        if target is not None and _keyword(target) == "SILENT":
            target = following[1] if len(following) > 1 else None
        elif target is not None and _glued_prefix(target) == "SILENT":
            target = _glued_local(target)
    if target is None or target.kind not in ("iri", "pname"):
        shown = "nothing" if target is None else repr(target.text[:40])
        raise QueryRefused(
            f"SERVICE must name an allowed endpoint IRI, found {shown}: this endpoint does "
            "not call other endpoints on a query's behalf."
        )
    return resolve(target, what="SERVICE")


def _from_target(token: Token, following: list[Token], resolve: _Resolver) -> tuple[str, bool]:
    if token.kind == "pname":
        return resolve(_glued_local(token), what="FROM"), False
    target = following[0] if following else None
    named = False
    if target is not None and _keyword(target) == "NAMED":
        named = True
        target = following[1] if len(following) > 1 else None
    elif target is not None and _glued_prefix(target) == "NAMED":
        named, target = True, _glued_local(target)
    if target is None or target.kind not in ("iri", "pname"):
        raise QueryRefused("FROM must be followed by a graph IRI.", 400)
    return resolve(target, what="FROM NAMED" if named else "FROM"), named


class _Resolver:
    """Expand prefixed names and check that IRIs are absolute."""

    def __init__(self, prefixes: dict[str, str], base: str | None) -> None:
        self.prefixes = prefixes
        self.base = base

    def __call__(self, token: Token, *, what: str) -> str:
        if token.kind == "iri":
            iri = iri_value(token)
        else:
            prefix, local = token.text.split(":", 1)
            if prefix not in self.prefixes:
                raise QueryRefused(f"{what} uses the undeclared prefix {prefix + ':'!r}.", 400)
            iri = self.prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)
        if not _ABSOLUTE_IRI.match(iri):
            # Relative IRIs would be resolved against BASE by the engine; the guard does not
            # second-guess that resolution, it asks for the IRI in full.
            raise QueryRefused(f"{what} must name an absolute IRI, not <{iri}>.", 400)
        return iri


def _where(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column
