"""The `stadtgraph` command line: load, validate, query, export, stats, serve."""

from __future__ import annotations

import concurrent.futures
import functools
import multiprocessing
import os
import socket
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .atomic_file import replaced_atomically
from .gate import Gate, ValidationReport
from .project import ROOT, graph_for_path, project_files
from .queries import ParameterError, QueryNotFound, get_query
from .rdf_files import ParsedRdf, RdfParseError, parse_rdf
from .settings import SETTINGS, SettingsError, optional_http_url, resolve_settings
from .sparql_guard import QueryNotReadable, QueryRefused, describe_syntax_error, inspect_query
from .store import QuerySyntaxError, RdfFormat, RemoteStore, Store, StoreError, open_store
from .store.base import StoreLocked
from .store.terms import checked_graph_iri

if TYPE_CHECKING:
    from flask import Flask

F = TypeVar("F", bound=Callable[..., Any])
err = Console(stderr=True, highlight=False)
out = Console(highlight=False)

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
TABLE_COLUMNS = 5
"""Results with more columns print as one record per row."""
PROGRESS_BYTES = 5_000_000
"""Files above this size show a progress bar while they are read."""

QUERY_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}


class CliError(click.ClickException):
    """A message for the user (exit 2: usage, parse or input error); shown without a traceback."""

    exit_code = EXIT_USAGE

    def show(self, file: Any = None) -> None:
        err.print(f"[bold red]Error:[/] {self.format_message()}", markup=True, soft_wrap=True)


class StoreFailure(CliError):
    """The store failed while working (exit 1)."""

    exit_code = EXIT_INVALID


@dataclass
class StoreOptions:
    store: str | None
    endpoint: str | None
    update_endpoint: str | None
    gsp_endpoint: str | None

    def describe(self) -> str:
        return self.endpoint or str(self.store_path)

    @property
    def store_path(self) -> Path:
        from .app_store import instance_folder

        return Path(self.store) if self.store else instance_folder() / "store"


def store_options(command: F) -> F:
    """Add --store / --endpoint / --update-endpoint / --gsp-endpoint to a command."""
    options = [
        click.option(
            "--store",
            "store",
            envvar="STADTGRAPH_STORE",
            metavar="PATH",
            help="Embedded store folder [env STADTGRAPH_STORE; default instance/store].",
        ),
        click.option(
            "--endpoint",
            envvar="STADTGRAPH_ENDPOINT",
            metavar="URL",
            help="SPARQL query URL of a remote store [env STADTGRAPH_ENDPOINT].",
        ),
        click.option(
            "--update-endpoint",
            envvar="STADTGRAPH_UPDATE_ENDPOINT",
            metavar="URL",
            help="SPARQL Update URL of the remote store.",
        ),
        click.option(
            "--gsp-endpoint",
            envvar="STADTGRAPH_GSP_ENDPOINT",
            metavar="URL",
            help="Graph Store Protocol URL of the remote store.",
        ),
    ]

    @functools.wraps(command)
    def wrapper(
        *args: Any,
        store: str | None,
        endpoint: str | None,
        update_endpoint: str | None,
        gsp_endpoint: str | None,
        **kwargs: Any,
    ) -> Any:
        urls = (("--endpoint", endpoint), ("--update-endpoint", update_endpoint))
        for option, value in (*urls, ("--gsp-endpoint", gsp_endpoint)):
            try:
                optional_http_url(value)
            except ValueError as error:
                setting = "STADTGRAPH_" + option.removeprefix("--").replace("-", "_").upper()
                hint = f"{option} (or {setting})"
                raise click.BadParameter(str(error), param_hint=hint) from None
        from .app_store import MEMORY

        if store == MEMORY and not endpoint:
            raise click.BadParameter(
                f"{MEMORY} is a store for tests and the Python API: it would be empty when the "
                "command starts and gone when it ends; name a folder",
                param_hint="--store (or STADTGRAPH_STORE)",
            )
        opts = StoreOptions(store, endpoint, update_endpoint, gsp_endpoint)
        return command(*args, target=opts, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


@contextmanager
def opened_store(
    target: StoreOptions,
    *,
    must_exist: bool = False,
    for_serving: bool = False,
    reads_only: bool = False,
) -> Iterator[Store]:
    """Open the store the options name, turning failures into one clear message. A command
    that `reads_only` reads a store another process holds (a running server) as it is now."""
    if not target.endpoint and must_exist and not target.store_path.exists():
        raise CliError(f"no store at {target.store_path}; run `stadtgraph load` first")
    try:
        try:
            store = _open(target, serve_from_memory=for_serving)
        except StoreLocked:
            if not reads_only:
                raise
            store = open_store(path=target.store_path, serve_from_memory=False, read_only=True)
            err.print(
                f"Note: the store {target.describe()} is in use by another process; "
                "reading it as it is now",
                soft_wrap=True,
            )
    except StoreError as error:
        raise CliError(f"cannot open the store {target.describe()}: {error}") from None
    try:
        yield store
    except StoreError as error:
        raise StoreFailure(f"the store {target.describe()} failed: {error}") from None
    finally:
        store.close()


def _open(target: StoreOptions, *, serve_from_memory: bool) -> Store:
    """Open the store; a remote one with the credentials and time limit the settings give
    (every command, serve included, as the app itself does)."""
    remote: dict[str, Any] = {}
    if target.endpoint:
        try:
            settings = resolve_settings()
        except SettingsError as error:
            raise CliError(str(error)) from None
        remote = {
            "user": settings["ENDPOINT_USER"],
            "password": settings["ENDPOINT_PASSWORD"],
            "timeout": float(settings["ENDPOINT_TIMEOUT"]),
        }
    return open_store(
        path=None if target.endpoint else target.store_path,
        endpoint=target.endpoint,
        update_endpoint=target.update_endpoint,
        gsp_endpoint=target.gsp_endpoint,
        serve_from_memory=serve_from_memory,
        **remote,
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(package_name="stadtgraph")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Stadtgraph: who is involved in what in a city's digital strategy."""
    ctx.obj = {"debug": debug}


# -- reading and validating ------------------------------------------------------------------


@dataclass
class Batch:
    """Parsed files ready for the gate: triples by graph and which file each subject came from."""

    parsed: list[ParsedRdf]

    def additions(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for item in self.parsed:
            for graph, triples in item.graphs.items():
                if graph in merged:
                    merged[graph] += triples
                else:
                    merged[graph] = triples
        return merged

    def sources(self) -> dict[Any, set[str]]:
        found: dict[Any, set[str]] = {}
        for item in self.parsed:
            for subject in item.subjects():
                found.setdefault(subject, set()).add(item.source)
        return found

    @property
    def triple_count(self) -> int:
        return sum(p.triple_count for p in self.parsed)


def _inputs(
    files: tuple[Path, ...], graph: str | None, fmt: str | None
) -> list[tuple[Path, RdfFormat, str]]:
    paths = list(files) if files else list(project_files())
    if not paths:
        raise CliError(f"no RDF files found in {ROOT}/ontology, shapes or data")
    if graph and len(paths) > 1:
        raise CliError("--graph names one graph; give one file with it")
    resolved = []
    for path in dict.fromkeys(paths):  # a file named twice is read once
        if not path.is_file():
            raise CliError(f"{path}: no such file")
        if not os.access(path, os.R_OK):
            raise CliError(f"{path}: not readable")
        try:
            rdf_format = RdfFormat.for_name(fmt) if fmt else RdfFormat.for_path(path)
        except ValueError as error:
            raise CliError(f"{path}: {error}") from None
        resolved.append((path, rdf_format, graph or graph_for_path(path)))
    return resolved


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def read_batch(inputs: list[tuple[Path, RdfFormat, str]]) -> Batch:
    """Parse every input, with a progress bar for large ones; parse errors stop everything."""
    total = sum(path.stat().st_size for path, _, _ in inputs)
    parsed = []
    with _progress(total >= PROGRESS_BYTES) as progress:
        task = progress.add_task("reading", total=None)
        for path, rdf_format, graph in inputs:
            progress.update(task, description=f"reading {path.name}")
            try:
                parsed.append(
                    parse_rdf(
                        path,
                        rdf_format,
                        graph,
                        name=_display(path),
                        progress=lambda n: progress.advance(task, n),
                    )
                )
            except RdfParseError as error:
                raise CliError(f"syntax error in {error}") from None
            except MemoryError as error:  # the parser's own limit, say on one literal's size
                raise CliError(f"{_display(path)}: cannot be read: {error}") from None
    return Batch(parsed)


@contextmanager
def _progress(visible: bool) -> Iterator[Progress]:
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,} triples"),
        TimeElapsedColumn(),
        console=err,
        disable=not visible or not err.is_terminal,
        transient=True,
    )
    with progress:
        yield progress


def run_gate(batch: Batch, store: Store | None, replaced: set[str]) -> ValidationReport:
    """Validate what the batch would make of the store."""
    with (
        err.status("validating against shapes/ …", spinner="dots")
        if err.is_terminal
        else _nothing()
    ):
        try:
            settings = resolve_settings()
        except SettingsError as error:
            raise CliError(f"bad setting: {error}") from None
        gate = Gate.for_settings(settings)
        return gate.validate_change(store, batch.additions(), replaced, batch.sources())


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _report_violations(report: ValidationReport) -> None:
    err.print(report.to_text("en"), markup=False, soft_wrap=True)
    err.print("[bold red]Nothing was written.[/]")


def _graph_iri(_context: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Refuse a --graph that names no graph, before anything is read or written."""
    try:
        return None if value is None else checked_graph_iri(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


# -- commands --------------------------------------------------------------------------------


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--graph",
    metavar="IRI",
    callback=_graph_iri,
    help="Graph for triples that name none (N-Quads and TriG keep theirs; default: from the path).",
)
@click.option(
    "--format",
    "fmt",
    metavar="FORMAT",
    help="RDF format when the suffix does not tell (ttl, nt, nq, trig, jsonld, rdf).",
)
@click.option("--replace", is_flag=True, help="Swap each graph atomically instead of adding to it.")
@store_options
def load(
    files: tuple[Path, ...], graph: str | None, fmt: str | None, replace: bool, target: StoreOptions
) -> None:
    """Validate RDF files and load them into the store.

    With no FILES: ontology/, shapes/ and data/, each file replacing its own named graph.
    """
    if not files:
        replace = True
    inputs = _inputs(files, graph, fmt)
    if replace:
        _refuse_shared_graphs(inputs)
    batch = read_batch(inputs)
    graphs = set(batch.additions())
    with opened_store(target) as store:
        before = store.count()
        report = run_gate(batch, store, graphs if replace else set())
        if not report.conforms:
            _report_violations(report)
            raise SystemExit(EXIT_INVALID)
        with _progress(batch.triple_count >= 100_000) as progress:
            task = progress.add_task("writing", total=batch.triple_count)
            for (path, rdf_format, default_graph), parsed in zip(inputs, batch.parsed, strict=True):
                progress.update(task, description=f"writing {path.name}")
                store.load(path, rdf_format, default_graph, replace=replace)
                progress.advance(task, parsed.triple_count)
        total = store.count()
    verb = "replaced" if replace else "loaded into"
    err.print(
        f"read {batch.triple_count:,} triples from {len(inputs)} file(s) and {verb} "
        f"{len(graphs)} graph(s); the store {target.describe()} now holds {total:,} quads "
        f"({total - before:+,})"
    )


def _refuse_shared_graphs(inputs: list[tuple[Path, RdfFormat, str]]) -> None:
    """With --replace, two files for one graph would leave only the second: refuse."""
    first: dict[str, Path] = {}
    for path, _, graph in inputs:
        if graph in first:
            raise CliError(
                f"{first[graph]} and {path} would both replace the graph <{graph}>, so only the "
                "second would remain; load them one at a time with --graph, or without --replace"
            )
        first[graph] = path


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "turtle", "json"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--graph", metavar="IRI", callback=_graph_iri, help="Graph the triples would go into."
)
@click.option("--replace", is_flag=True, help="Validate as a replacement of the graphs.")
@store_options
def validate(
    files: tuple[Path, ...], output: str, graph: str | None, replace: bool, target: StoreOptions
) -> None:
    """Validate RDF files against shapes/ without writing anything.

    Files are checked as if loaded into the store when one exists (so references to resources
    already there resolve). Exit 0 conforms, 1 violations, 2 usage or parse error.
    """
    if not files:
        replace = True
    batch = read_batch(_inputs(files, graph, None))
    graphs = set(batch.additions())
    use_store = target.endpoint or target.store_path.exists()
    if use_store and files:
        # (a store a running server holds is read as it is now, as `query` reads it)
        with opened_store(target, reads_only=True) as store:
            report = run_gate(batch, store, graphs if replace else set())
    else:
        if files:
            err.print(
                f"Note: no store at {target.describe()}; the files are checked on their own, so "
                "a reference to a resource described only elsewhere counts as missing (give "
                "--store, or those files too)",
                soft_wrap=True,
            )
        report = run_gate(batch, None, set())
    if output == "turtle":
        click.echo(report.to_turtle())
    elif output == "json":
        click.echo(report.to_json())
    elif report.conforms:
        triples = "triple" if batch.triple_count == 1 else "triples"
        err.print(f"[green]✓[/] {report.to_text()} ({batch.triple_count:,} {triples})")
    else:
        err.print(report.to_text("en"), markup=False, soft_wrap=True)
    raise SystemExit(EXIT_OK if report.conforms else EXIT_INVALID)


@cli.command()
@click.argument("query")
@click.option(
    "--format",
    "output",
    type=click.Choice([*QUERY_FORMATS, "table"]),
    default=None,
    help="Result format [default: a table on a terminal, SPARQL TSV (every value whole) when "
    "piped; `table` asks for a table there too].",
)
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Parameter of a named query (repeatable).",
)
@store_options
def query(query: str, output: str | None, params: tuple[str, ...], target: StoreOptions) -> None:
    """Run QUERY: SPARQL text, a .rq file, or the name of a query in queries/."""
    sparql, bindings = _resolve_query(query, params)
    form = _query_form(sparql, output or "table")
    if output is None:
        # A table cuts values to the width of a terminal; piped, there is none.
        output = "table" if out.is_terminal or form != "SELECT" else "tsv"
    with opened_store(target, must_exist=True, reads_only=True) as store:
        if isinstance(store, RemoteStore) and store.default_graph_is_union() is False:
            # A query naming its graphs still works: warn, do not refuse.
            err.print(
                f"[yellow]Note:[/] {_not_union(target)}; a query without FROM or GRAPH "
                "sees only that server's default graph",
                soft_wrap=True,
            )
        try:
            if output == "table":
                _print_table(store, sparql, bindings, form)
                return
            if bindings:
                from .store.binding import with_bindings

                sparql = with_bindings(sparql, bindings)
            result = store.query_serialized(sparql, QUERY_FORMATS[output])
        except QuerySyntaxError as error:
            raise CliError(describe_syntax_error(sparql, str(error))) from None
        except ValueError as error:
            raise CliError(str(error)) from None
    sys.stdout.buffer.write(result)
    if not result.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")


def _resolve_query(text: str, params: tuple[str, ...]) -> tuple[str, dict[str, Any]]:
    raw_params = {}
    for param in params:
        name, sep, value = param.partition("=")
        if not sep:
            raise CliError(f"--param {param!r}: write NAME=VALUE")
        raw_params[name] = value
    path = Path(text)
    if text.endswith(".rq"):
        if not path.is_file():
            raise CliError(f"{text}: no such query file")
        try:
            sparql = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise CliError(f"{text}: not UTF-8 text (byte {error.start})") from None
        if raw_params:
            raise CliError("--param works with named queries; put values into the file")
        return sparql, {}
    if " " not in text.strip() and "{" not in text:
        try:
            named = get_query(text)
        except QueryNotFound:
            raise CliError(
                f"no query named {text!r} in queries/ "
                "(give SPARQL text, a .rq file or a query name)"
            ) from None
        try:
            return named.sparql, named.bindings(raw_params)
        except ParameterError as error:
            raise CliError(str(error)) from None
    if raw_params:
        raise CliError("--param works with named queries only")
    return text, {}


def _print_table(store: Store, sparql: str, bindings: dict[str, Any], form: str) -> None:
    if form == "ASK":
        out.print("yes" if store.ask(sparql, bindings) else "no")
        return
    if form in {"CONSTRUCT", "DESCRIBE"}:
        for s, p, o in store.construct(sparql, bindings):
            out.print(f"{s.n3()} {p.n3()} {o.n3()} .", markup=False, soft_wrap=True)
        return
    result = store.select(sparql, bindings)
    if len(result.variables) <= TABLE_COLUMNS:
        table = Table(*result.variables, show_lines=False)
        for row in result.rows:
            table.add_row(*(str(row[v]) if v in row else "" for v in result.variables))
        out.print(table)
    else:
        # Wide results read better as one record per row than as a squeezed table.
        width = max(len(v) for v in result.variables)
        for number, row in enumerate(result.rows, start=1):
            out.print(f"[bold]── {number} ──[/]")
            for variable in result.variables:
                if variable in row:
                    out.print(f"{variable:<{width}}  {row[variable]}", markup=False)
    err.print(f"{len(result.rows)} row(s)")


GRAPH_FORMATS = ("turtle", "ntriples", "jsonld")


def _query_form(sparql: str, output: str) -> str:
    """Return the query's form, or stop with a message for an update, for text that is no
    query, and for a format the form's results cannot be written in."""
    try:
        form = inspect_query(sparql).form
    except QueryNotReadable as error:
        raise CliError(error.message) from None
    except QueryRefused:
        raise CliError(
            "this is a SPARQL Update; `stadtgraph query` runs queries only. Load files with "
            "`stadtgraph load`, or send updates to the server's POST /update with a token."
        ) from None
    graph = form in {"CONSTRUCT", "DESCRIBE"}
    if output != "table" and graph != (output in GRAPH_FORMATS):
        wanted = GRAPH_FORMATS if graph else [f for f in QUERY_FORMATS if f not in GRAPH_FORMATS]
        raise CliError(
            f"{'an' if form == 'ASK' else 'a'} {form} query cannot be written as {output}; "
            f"use --format {', '.join(wanted)} or table"
        )
    return form


EXPORT_SUFFIXES = {".ttl": "ttl", ".nt": "nt", ".nq": "nq", ".trig": "trig", ".jsonld": "jsonld"}


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld"]),
    default=None,
    help="Dump format [default: from the file's suffix, else trig].",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="File to write ('-' for standard output).",
)
@store_options
def export(fmt: str | None, output: Path, target: StoreOptions) -> None:
    """Write a full dump of the store; a file appears only when complete."""
    rdf_format = RdfFormat.for_name(_export_format(fmt, output))
    with opened_store(target, must_exist=True, reads_only=True) as store:
        if str(output) == "-":
            _dump_to_stdout(store, rdf_format)
            return
        real = output.resolve()  # through a symbolic link to the file it names
        if not real.parent.is_dir():
            raise CliError(f"{output}: folder {real.parent} does not exist")
        if real.exists() and not real.is_file():  # a device or a pipe: written as it is
            with real.open("wb") as stream:
                store.dump(stream, rdf_format)
        else:
            with replaced_atomically(real) as stream:
                store.dump(stream, rdf_format)
        count = store.count()
    if rdf_format.has_graphs:
        err.print(f"wrote {count:,} quads to {output} ({rdf_format.media_type})")
    else:  # the union of the graphs: a triple in two graphs is written once
        err.print(
            f"wrote the union of {count:,} quads, as triples, to {output} ({rdf_format.media_type})"
        )


def _export_format(fmt: str | None, output: Path) -> str:
    """The format asked for, else the one the file's suffix names; refuse a contradiction."""
    by_suffix = EXPORT_SUFFIXES.get(output.suffix.lower())
    if fmt is not None and by_suffix is not None and fmt != by_suffix:
        raise CliError(f"{output}: its suffix names {by_suffix}, not --format {fmt}")
    return fmt or by_suffix or "trig"


def _dump_to_stdout(store: Store, rdf_format: RdfFormat) -> None:
    try:
        store.dump(sys.stdout.buffer, rdf_format)
        sys.stdout.buffer.flush()
    except StoreError as error:  # the engine's write failed: the reader's doing, or not
        if not isinstance(error.__cause__, BrokenPipeError):
            raise
        _reader_stopped()
    except BrokenPipeError:
        _reader_stopped()


def _reader_stopped() -> None:
    """The reader stopped (`| head`): nothing is wrong, and nothing more is written."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


STATS_GRAPHS = """
SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } }
GROUP BY ?graph ORDER BY ?graph
"""
STATS_CLASSES = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?instances) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?instances) ?class
"""


@cli.command()
@store_options
def stats(target: StoreOptions) -> None:
    """Show triples per graph and instances per class."""
    with opened_store(target, must_exist=True, reads_only=True) as store:
        graphs = store.select(STATS_GRAPHS)
        classes = store.select(STATS_CLASSES)
        total = store.count()
        if isinstance(store, RemoteStore) and store.default_graph_is_union() is False:
            err.print(
                f"[yellow]Note:[/] {_not_union(target)}; the classes below are only those of "
                "that server's default graph",
                soft_wrap=True,
            )
    table = Table("graph", "triples", title=f"{total:,} quads in {target.describe()}")
    for row in graphs:
        table.add_row(str(row["graph"]), f"{int(row['triples']):,}")
    out.print(table)
    table = Table("class", "instances")
    for row in classes:
        table.add_row(str(row["class"]), f"{int(row['instances']):,}")
    out.print(table)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes. More than one serve an embedded store read-only (they share one "
    "in-memory copy); a remote store can be written with any number.",
)
@store_options
def serve(host: str, port: int, workers: int, target: StoreOptions) -> None:
    """Serve the web application and the SPARQL endpoint (Granian)."""
    from .app import create_app
    from .serving import ServerOptions, run_server

    overrides = _settings_for(target, workers)
    try:
        settings = resolve_settings(overrides)
    except SettingsError as error:
        raise CliError(f"bad setting: {error}") from None
    _check_port_free(host, port)
    # Checked here, so that a missing or empty store is one clear message.
    quads = _count_remote(target) if target.endpoint else _count_in_a_child(target)
    if quads == 0:
        raise CliError(f"the store {target.describe()} is empty; run `stadtgraph load` first")
    _check_dump_folder(settings)

    def make_app() -> Flask:
        return create_app(overrides, store=_open(target, serve_from_memory=True))

    options = ServerOptions(
        host, port, workers, int(settings["SERVER_THREADS"]), bool(settings["ACCESS_LOG"])
    )
    err.print(
        f"Stadtgraph serving {quads:,} quads at http://{host}:{port}/ "
        f"({workers} worker{'s' if workers > 1 else ''} × {options.threads} threads"
        f"{', read-only' if overrides.get('READ_ONLY') else ''})",
        soft_wrap=True,
    )
    run_server(make_app, options, shared=workers > 1 and not target.endpoint)


def _check_dump_folder(settings: dict[str, Any]) -> None:
    """Make the dumps' folder now, so that one the server cannot write is one message at
    start-up, not a 500 on /dumps/, VoID and the catalog."""
    from .app_store import dump_folder

    folder = dump_folder(settings)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise CliError(
            f"cannot write the dumps to {folder}: {error.strerror or error}; set "
            "STADTGRAPH_DUMP_FOLDER to a folder this user may write"
        ) from None


def _check_port_free(host: str, port: int) -> None:
    """Say in one line that the address is taken (the HTTP server would stop with a Rust
    backtrace after the "serving" line)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise CliError(f"cannot serve at {host}: {error.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            raise CliError(f"cannot serve at {host}:{port}: {error.strerror}") from None


def _count_in_a_child(target: StoreOptions) -> int:
    """Count the embedded store's quads in a child process, so that this process never opens it.

    The embedded engine (RocksDB) runs its flushes in background threads that belong to the
    process that first opened a store; a process forked after that (Granian's worker) inherits
    the engine's state but not those threads, and its first bulk write waited for them forever.
    """
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as child:
        return child.submit(_count_store, target).result()


def _count_store(target: StoreOptions) -> int:
    with opened_store(target, must_exist=True) as store:
        return store.count()


def _count_remote(target: StoreOptions) -> int:
    """Count a remote store's quads; stop with a clear message when the server's default graph
    is not the union of its graphs: every page reads the union, and would find nothing."""
    with opened_store(target, must_exist=True) as store:
        quads = store.count()
        if isinstance(store, RemoteStore) and store.default_graph_is_union() is False:
            raise CliError(_not_union(target))
    return quads


def _not_union(target: StoreOptions) -> str:
    return (
        f"the SPARQL server {target.endpoint} does not answer queries over the union of its "
        "graphs, which Stadtgraph reads: start it so that its default graph is that union "
        "(`oxigraph serve --union-default-graph`; Fuseki: `tdb2:unionDefaultGraph true`)"
    )


def _settings_for(target: StoreOptions, workers: int) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    if workers > 1 and not target.endpoint:
        settings["READ_ONLY"] = True  # (each worker's memory copy could not see the others' writes)
    if target.endpoint:
        settings.update(
            ENDPOINT=target.endpoint,
            UPDATE_ENDPOINT=target.update_endpoint,
            GSP_ENDPOINT=target.gsp_endpoint,
        )
    else:
        settings["STORE"] = str(target.store_path)
    return settings


@cli.command("settings")
def list_settings() -> None:
    """List every setting with its environment variable, default and help.

    A table on a terminal; tab-separated lines when piped, so that no name is cut short."""
    rows = [
        (f"STADTGRAPH_{s.name}", "" if s.default in (None, ()) else str(s.default), s.help)
        for s in SETTINGS
    ]
    if not out.is_terminal:
        for row in rows:
            click.echo("\t".join(row))
        return
    table = Table("environment variable", "default", "help")
    for row in rows:
        table.add_row(*row)
    out.print(table)


def main() -> None:
    """Run the CLI; errors become one line and an exit code unless --debug is given."""
    debug = "--debug" in sys.argv[1:]
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        err.print("Aborted.")
        raise SystemExit(130) from None
    except click.ClickException as error:
        error.show()
        raise SystemExit(error.exit_code) from None
    except SystemExit:
        raise
    except Exception as error:
        if debug:
            raise
        err.print(
            f"[bold red]Error:[/] {type(error).__name__}: {error} "
            "(run with --debug for the traceback)",
            soft_wrap=True,
        )
        raise SystemExit(EXIT_USAGE) from None  # 1 means "violations" to `validate`


from . import cli_links  # noqa: E402, F401  (registers `stadtgraph links`)
