"""A remote store: SPARQL 1.1 Protocol and Update through SPARQLWrapper, graphs through the
Graph Store HTTP Protocol (GET/PUT/POST with `?graph=` or `?default`).

Tested against a real `oxigraph serve`; any conformant server (Fuseki, Virtuoso, GraphDB) fits.
"""

from __future__ import annotations

import ast
import base64
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib.term import BNode, Literal, URIRef
from SPARQLWrapper import POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from service.sparql_guard import inspect_query
from service.store.base import (
    Dataset,
    Node,
    RdfFormat,
    SelectResult,
    StoreError,
    Triple,
    WriteOutcomeUnknown,
)
from service.store.binding import declares_dataset, sparql_iri, with_bindings
from service.store.oxigraph import OxigraphStore
from service.store.terms import (
    OX_FORMATS,
    data_syntax_message,
    graph_node,
    query_syntax_error,
    to_oxigraph,
    to_rdflib,
)

_READ_SIZE = 1 << 16
RESULTS_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"


class RemoteStore:
    """A SPARQL 1.1 Protocol + Update + Graph Store server, such as `oxigraph serve`.

    Queries see whatever the server makes the default graph; run it with the union of all
    graphs as default graph (`oxigraph serve --union-default-graph`) to match the embedded store.
    """

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        gsp_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url
        self.gsp_url = gsp_url
        self._credentials = (user, password or "") if user else None
        self.timeout = timeout
        """Seconds to wait for the server to answer, or to send the next part of its answer."""
        self.answer_seconds: float | None = None
        """Seconds the whole of one answer may take (None: as long as parts keep coming)."""
        self.max_answer_bytes: int | None = None
        """Largest answer read (None: any); a longer one is broken off with a StoreError."""
        self._closed = False

    def bounded(self, seconds: float, max_answer_bytes: int | None) -> RemoteStore:
        """The same server for the public endpoint's queries: each answer must be whole within
        `seconds` and at most `max_answer_bytes` long. The app's own reads (dumps, the
        explorer's graph, statistics) keep this store's patience."""
        copy = RemoteStore(self.query_url, self.update_url, self.gsp_url, timeout=seconds)
        copy._credentials = self._credentials
        copy.answer_seconds = seconds
        copy.max_answer_bytes = max_answer_bytes
        return copy

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- queries ------------------------------------------------------------------------------

    def select(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        dataset: Dataset | None = None,
    ) -> SelectResult:
        """Run a SELECT query and return its rows; bindings open the WHERE group as VALUES."""
        body = self._query(with_bindings(sparql, bindings), RESULTS_JSON, dataset, "SELECT")
        document = _json(body, self.query_url)
        try:
            names = list(document["head"]["vars"])
            rows = [
                {name: _json_term(term) for name, term in binding.items()}
                for binding in document["results"]["bindings"]
            ]
        except (KeyError, TypeError, ValueError) as error:
            raise StoreError(f"{self.query_url} sent malformed SELECT results ({error})") from None
        return SelectResult(names, rows)

    def ask(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        dataset: Dataset | None = None,
    ) -> bool:
        """Run an ASK query."""
        body = self._query(with_bindings(sparql, bindings), RESULTS_JSON, dataset, "ASK")
        answer = _json(body, self.query_url).get("boolean")
        if not isinstance(answer, bool):
            raise StoreError(f"{self.query_url} sent an ASK result without a boolean")
        return answer

    def construct(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        dataset: Dataset | None = None,
    ) -> list[Triple]:
        """Run a CONSTRUCT or DESCRIBE query and return its triples."""
        text = with_bindings(sparql, bindings)
        body = self._query(text, NTRIPLES, dataset, "CONSTRUCT", "DESCRIBE")
        try:
            return [
                (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))  # type: ignore[misc]
                for q in ox.parse(body, ox.RdfFormat.N_TRIPLES)
            ]
        except SyntaxError as error:
            message = data_syntax_message(error)
            raise StoreError(f"{self.query_url} sent malformed N-Triples ({message})") from None

    def query_serialized(
        self, sparql: str, media_type: str, dataset: Dataset | None = None
    ) -> bytes:
        """Run any query and return its result serialised in media_type (results or RDF format).

        The answer is read through once before it is returned: a server that stops a query at
        its own time limit may end a 200 answer mid-way (`oxigraph serve --timeout-s` appends
        "The SPARQL operation has been cancelled"), and that must not pass as a result.
        """
        body = self._query(sparql, media_type, dataset)
        _check_whole(body, media_type, self.query_url)
        return body

    # -- writes -------------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update."""
        if self.update_url is None:
            raise StoreError(f"no SPARQL Update URL is configured for {self.query_url}")
        wrapper = self._wrapper(sparql)
        if not wrapper.isSparqlUpdateRequest():
            raise ValueError("expected a SPARQL Update")
        self._send(wrapper, self.update_url, write=True)

    def load(
        self,
        source: Path | bytes | IO[bytes],
        fmt: RdfFormat,
        graph: str | None,
        *,
        replace: bool = False,
    ) -> int:
        """Add RDF to graph (TriG/N-Quads keep their graph names); replace swaps each graph.

        The data is parsed here first, so a syntax error sends nothing. Each graph goes in one
        Graph Store request (PUT to replace, POST to add), which the server applies atomically;
        a file with several graphs is not swapped as a whole.
        Return the number of distinct quads the data held.
        """
        parsed = ox.Store()
        target = graph_node(graph)
        try:
            if isinstance(source, Path):
                parsed.bulk_load(path=source, format=OX_FORMATS[fmt], to_graph=target)
            else:
                parsed.bulk_load(source, OX_FORMATS[fmt], to_graph=target)
        except SyntaxError as error:
            message = data_syntax_message(error)
            raise StoreError(f"the {fmt.name} data is invalid: {message}") from None
        names: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [target]
        if fmt.has_graphs:
            names = [*parsed.named_graphs()]
            if next(iter(parsed.quads_for_pattern(None, None, None, ox.DefaultGraph())), None):
                names.append(ox.DefaultGraph())
        if any(isinstance(name, ox.BlankNode) for name in names):
            raise StoreError("graphs named by blank nodes cannot be loaded; name them by IRI")
        written: list[str] = []
        for name in names:
            content = parsed.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name) or b""
            iri = name.value if isinstance(name, ox.NamedNode) else None
            try:
                self._graph_request("PUT" if replace else "POST", iri, content, NTRIPLES)
            except StoreError as error:
                if not written:
                    raise
                done = "replaced" if replace else "added to"
                raise StoreError(
                    f"{error}. Before that, {len(written)} graph(s) of the same data were "
                    f"already {done} (one Graph Store request per graph): {', '.join(written)}"
                ) from None
            written.append(f"<{iri}>" if iri else "the default graph")
        return len(parsed)

    def replace_graph(self, graph: str, quads: Iterable[Triple]) -> int:
        """Swap the content of a named graph atomically (Graph Store PUT); return its new size."""
        blank_nodes: dict[BNode, ox.BlankNode] = {}
        target = ox.NamedNode(graph)
        memory = ox.Store()
        memory.extend(
            ox.Quad(
                to_oxigraph(s, blank_nodes),  # type: ignore[arg-type]
                to_oxigraph(p, blank_nodes),  # type: ignore[arg-type]
                to_oxigraph(o, blank_nodes),
                target,
            )
            for s, p, o in quads
        )
        content = memory.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=target) or b""
        self._graph_request("PUT", graph, content, NTRIPLES)
        return len(memory)

    # -- reading the whole store --------------------------------------------------------------

    def dump(self, out: IO[bytes], fmt: RdfFormat, graph: str | None = None) -> None:
        """Write the whole dataset (or one graph) to out; triple formats get the union."""
        with OxigraphStore(None) as copy:
            names = [graph] if graph is not None else self.graphs()
            for name in names:
                content = self._query(
                    f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {sparql_iri(name)} {{ ?s ?p ?o }} }}",
                    NTRIPLES,
                    None,
                )
                copy.load(content, RdfFormat.NTRIPLES, name)
            if graph is None and self.gsp_url is not None:
                copy.load(self._graph_request("GET", None), RdfFormat.NTRIPLES, None)
            copy.dump(out, fmt, graph)

    def count(self, graph: str | None = None) -> int:
        """Count quads in the store, or triples in one named graph."""
        if graph is not None:
            pattern = f"GRAPH {sparql_iri(graph)} {{ ?s ?p ?o }}"
        else:
            pattern = "GRAPH ?g { ?s ?p ?o }"
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}").rows
        total = int(rows[0]["n"]) if rows else 0
        if graph is None and self.gsp_url is not None:
            # The server may serve the union as default graph, so ask for the real one.
            total += sum(
                1 for _ in ox.parse(self._graph_request("GET", None), ox.RdfFormat.N_TRIPLES)
            )
        return total

    def graphs(self) -> list[str]:
        """List the named graphs that hold triples."""
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
        return sorted(str(row["g"]) for row in rows if isinstance(row.get("g"), URIRef))

    def default_graph_is_union(self) -> bool | None:
        """Say whether the server's default graph holds its named graphs' triples, sampled
        with one of them without blank nodes (which a query cannot name); None when there is
        no such triple."""
        rows = self.select(
            "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER (!isBlank(?s) && !isBlank(?o)) }"
            " LIMIT 1"
        ).rows
        if not rows:
            return None
        return self.ask("ASK { ?s ?p ?o }", bindings=rows[0])

    def state_token(self) -> None:
        """Return None: the server does not say when its data changed."""
        return None

    def version(self) -> None:
        """Return None: other clients of the server may write to it at any time."""
        return None

    def close(self) -> None:
        """Refuse further requests; each request opened and closed its own connection."""
        self._closed = True

    # -- HTTP ---------------------------------------------------------------------------------

    def _wrapper(self, sparql: str) -> SPARQLWrapper:
        if self._closed:
            raise StoreError("the store is closed")
        wrapper = SPARQLWrapper(self.query_url, updateEndpoint=self.update_url)
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)
        wrapper.setTimeout(max(1, round(self.timeout)))
        if self._credentials is not None:
            wrapper.setCredentials(*self._credentials)
        wrapper.setQuery(sparql)
        return wrapper

    def _query(self, sparql: str, accept: str, dataset: Dataset | None, *kinds: str) -> bytes:
        wrapper = self._wrapper(sparql)
        if wrapper.isSparqlUpdateRequest():
            raise ValueError("expected a query, got a SPARQL Update")
        if dataset is None and declares_dataset(sparql):
            # A server whose default graph is the union of all graphs lets that win over FROM
            # (as pyoxigraph does); the protocol's parameters name the query's graphs instead.
            info = inspect_query(sparql)
            dataset = Dataset(info.from_graphs, info.from_named_graphs)
        if kinds and wrapper.queryType not in kinds:
            raise ValueError(f"expected a {' or '.join(kinds)} query, got {wrapper.queryType}")
        wrapper.addCustomHttpHeader("Accept", accept)
        if dataset is not None:
            for name in dataset.default_graphs:
                wrapper.addParameter("default-graph-uri", name)
            for name in dataset.named_graphs:
                wrapper.addParameter("named-graph-uri", name)
        return self._send(wrapper, self.query_url)

    def _send(self, wrapper: SPARQLWrapper, url: str, *, write: bool = False) -> bytes:
        deadline = None if self.answer_seconds is None else time.monotonic() + self.answer_seconds
        try:
            response = wrapper.query().response
        except QueryBadFormed as error:
            raise query_syntax_error(_server_message(error)) from None
        except SPARQLWrapperException as error:
            raise StoreError(f"{url} refused the request: {_server_message(error)}") from None
        except urllib.error.HTTPError as error:
            with error:
                message = error.read().decode(errors="replace").strip()
            if error.code == 406:
                raise ValueError(f"{url} cannot answer in that format: {message}") from None
            raise StoreError(f"{url} answered HTTP {error.code}: {message}") from None
        except (http.client.RemoteDisconnected, TimeoutError) as error:
            # Sent, but no answer came (urllib wraps what fails before the request is sent).
            if write:
                raise WriteOutcomeUnknown(
                    f"{url} took the update but gave no answer ({error})"
                ) from None
            raise StoreError(f"{url} gave no answer: {error}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise StoreError(f"cannot reach the SPARQL endpoint {url}: {reason}") from None
        try:
            with response:
                return self._read_answer(response, url, deadline)
        except OSError as error:
            raise StoreError(f"the answer from {url} broke off: {error}") from None

    def _read_answer(self, response: Any, url: str, deadline: float | None) -> bytes:
        """Read an answer by parts until the deadline: a server that streams its rows (a
        runaway SELECT) keeps every single read short, so the socket's own timeout never ends it."""
        parts: list[bytes] = []
        size = 0
        read = getattr(response, "read1", response.read)
        while True:
            if deadline is not None and time.monotonic() > deadline:
                raise StoreError(
                    f"{url} did not finish its answer within {self.answer_seconds:g} s"
                )
            part: bytes = read(_READ_SIZE)
            if not part:
                return b"".join(parts)
            size += len(part)
            if self.max_answer_bytes is not None and size > self.max_answer_bytes:
                raise StoreError(
                    f"the answer from {url} is larger than {self.max_answer_bytes // 2**20} MB"
                )
            parts.append(part)

    def _graph_request(
        self, method: str, graph: str | None, body: bytes | None = None, content_type: str = ""
    ) -> bytes:
        """Send one Graph Store Protocol request for graph (None: the default graph)."""
        if self._closed:
            raise StoreError("the store is closed")
        if self.gsp_url is None:
            raise StoreError(f"no Graph Store URL is configured for {self.query_url}")
        query = "default" if graph is None else urllib.parse.urlencode({"graph": graph})
        url = f"{self.gsp_url}?{query}"
        request = urllib.request.Request(url, data=body, method=method)  # noqa: S310
        if body is not None:
            request.add_header("Content-Type", content_type)
        request.add_header("Accept", NTRIPLES)
        if self._credentials is not None:
            token = base64.b64encode(":".join(self._credentials).encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer: bytes = response.read()
                return answer
        except urllib.error.HTTPError as error:
            with error:
                message = error.read().decode(errors="replace").strip()
            if error.code == 404 and method == "GET":
                return b""  # an absent graph is an empty one
            raise StoreError(f"{self.gsp_url} answered HTTP {error.code}: {message}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise StoreError(f"cannot reach the Graph Store {self.gsp_url}: {reason}") from None


def _check_whole(body: bytes, media_type: str, url: str) -> None:
    """Raise StoreError unless body is a whole answer in media_type (when we can read it)."""
    try:
        results_format = ox.QueryResultsFormat.from_media_type(media_type)
        if results_format == ox.QueryResultsFormat.CSV:
            return  # CSV cannot be read back (its terms have no types)
        if results_format is not None:
            results = ox.parse_query_results(body, results_format)
            if not isinstance(results, ox.QueryBoolean):
                for _ in results:
                    pass
            return
        rdf_format = ox.RdfFormat.from_media_type(media_type)
        if rdf_format is not None:
            for _ in ox.parse(body, format=rdf_format):
                pass
    except (SyntaxError, ValueError) as error:
        raise StoreError(
            f"{url} sent an answer that breaks off or cannot be read ({error}); the server may "
            "have stopped the query at its own time limit"
        ) from None


def _server_message(error: SPARQLWrapperException) -> str:
    """Return the server's own words from a SPARQLWrapper exception."""
    text = str(error)
    _, found, response = text.partition("Response:\n")
    if found:
        try:
            raw = ast.literal_eval(response)
        except (ValueError, SyntaxError):
            return response.strip()
        if isinstance(raw, bytes):
            return raw.decode(errors="replace").strip()
    return text


def _json(body: bytes, url: str) -> dict[str, Any]:
    try:
        document = json.loads(body)
    except ValueError:
        raise StoreError(f"{url} sent a malformed JSON result") from None
    if not isinstance(document, dict):
        raise StoreError(f"{url} sent a malformed JSON result")
    return document


def _json_term(term: Mapping[str, str]) -> Node:
    """Return the rdflib term for one SPARQL 1.1 JSON results term."""
    kind, value = term["type"], term["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in term:
            return Literal(value, lang=term["xml:lang"])
        datatype = term.get("datatype")
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            datatype = None
        return Literal(value, datatype=datatype)
    raise ValueError(f"unknown term type {kind!r}")
