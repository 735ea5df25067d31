"""`stadtgraph links`: discover registry candidates, apply reviewed ones, check existing links."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from . import link_apply, link_check
from . import links as discovery
from . import vocabulary as v
from .cli import EXIT_INVALID, CliError, StoreOptions, cli, err, opened_store, store_options
from .link_scoring import Resource
from .project import ROOT, project_files
from .registry_client import (
    MAX_RETRY_WAIT,
    MIN_INTERVAL,
    TIMEOUT,
    USER_AGENT,
    WIKIDATA_SPARQL,
    Politeness,
    RegistryClient,
    RegistryError,
)
from .sssom import DEFAULT_PREFIXES, MappingWriter, SssomError, expand, read_table
from .store import RdfFormat, Store, open_store

F = TypeVar("F", bound=Callable[..., Any])


class LinksFailure(CliError):
    """A registry failed while working (exit 1); what was done so far is kept."""

    exit_code = EXIT_INVALID


def registry_options(command: F) -> F:
    """Add the options that say which registry to ask and how gently."""
    options = [
        click.option(
            "--registry",
            default=WIKIDATA_SPARQL,
            show_default=True,
            metavar="URL",
            help="SPARQL endpoint of the registry, in Wikidata's shape (wd:, wdt:). Called "
            "--registry, not --endpoint: --endpoint names the store our data is read from, "
            "as in every other command.",
        ),
        click.option(
            "--user-agent",
            default=USER_AGENT,
            show_default=False,
            metavar="TEXT",
            help="User-Agent sent to the registry (say who you are and how to reach you).",
        ),
        click.option(
            "--min-interval",
            type=click.FloatRange(min=0),
            default=MIN_INTERVAL,
            show_default=True,
            metavar="SECONDS",
            help="Least time between two requests to the registry.",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=0.1),
            default=TIMEOUT,
            show_default=True,
            metavar="SECONDS",
            help="Longest wait for one answer.",
        ),
        click.option(
            "--max-retry-wait",
            type=click.FloatRange(min=0),
            default=MAX_RETRY_WAIT,
            show_default=True,
            metavar="SECONDS",
            help="Longest Retry-After honoured when the registry answers 429; beyond it, stop.",
        ),
    ]

    @functools.wraps(command)
    def wrapper(
        *args: Any,
        registry: str,
        user_agent: str,
        min_interval: float,
        timeout: float,
        max_retry_wait: float,
        **kwargs: Any,
    ) -> Any:
        politeness = Politeness(user_agent, min_interval, timeout, max_retry_wait)
        client = RegistryClient(registry, politeness, on_wait=lambda text: err.print(text))
        return command(*args, client=client, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


@contextmanager
def graph_store(target: StoreOptions) -> Iterator[Store]:
    """The configured store when --store/--endpoint is given, else the project files in memory."""
    if target.store or target.endpoint:
        with opened_store(target, must_exist=True) as store:
            yield store
        return
    store = open_store(path=None)
    try:
        from .project import graph_for_path

        for path in project_files():
            if path.relative_to(ROOT).parts[0] != "shapes":
                store.load(path, RdfFormat.for_path(path), graph_for_path(path))
        yield store
    finally:
        store.close()


@cli.group()
def links() -> None:
    """Link our resources to public registries (Wikidata, GeoNames, AGS keys …).

    discover proposes candidates in an SSSOM table for review, apply turns reviewed rows into
    data/links/ with provenance, check verifies that linked entries still exist.
    """


@links.command()
@click.option(
    "--type",
    "classes",
    multiple=True,
    metavar="CLASS",
    help="Class of our resources to find candidates for, as IRI or CURIE (repeatable; default "
    "schema:Place, org:FormalOrganization, sg:MunicipalEnterprise).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("wikidata-candidates.sssom.tsv"),
    show_default=True,
    help="SSSOM/TSV file for the candidates; written row by row, so it keeps what was found "
    "if the run stops.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option(
    "--max-candidates",
    type=click.IntRange(1, 50),
    default=5,
    show_default=True,
    help="Most candidates per resource.",
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Leave out candidates scored below this.",
)
@registry_options
@store_options
def discover(
    classes: tuple[str, ...],
    output: Path,
    force: bool,
    max_candidates: int,
    min_confidence: float,
    client: RegistryClient,
    target: StoreOptions,
) -> None:
    """Find registry candidates for resources without a link and write them for review.

    Nothing is asserted: review the table (fill reviewer_id and review_date; set
    predicate_modifier to Not to reject), then run `stadtgraph links apply`. Our graph is read
    from --store or --endpoint when given, else from the project's ontology/ and data/ files.
    """
    wanted = [_class_iri(c) for c in classes] or list(discovery.DEFAULT_CLASSES)
    if output.exists() and not force:
        raise CliError(f"{output} exists; choose another --output or add --force")
    if not output.resolve().parent.is_dir():
        raise CliError(f"{output}: folder {output.resolve().parent} does not exist")
    with graph_store(target) as store:
        try:
            run = discovery.prepare(store, client, wanted)
        except RegistryError as error:
            raise LinksFailure(f"{error}. Nothing was written.") from None
    total = len(run.resources)
    err.print(f"{total} resource(s) without a link to {client.endpoint}; asking for candidates")
    metadata = discovery.table_metadata(
        client.endpoint, f"https://w3id.org/stadtgraph/mappings/{output.name}", date.today()
    )

    def progress(resource: Resource, kept: int) -> None:
        err.print(f"[{run.done}/{total}] {resource.label}: {kept} candidate(s)", markup=False)

    with output.open("w", encoding="utf-8", newline="") as stream:
        writer = MappingWriter(stream, metadata)
        try:
            for proposal in discovery.proposals(
                run,
                client,
                per_resource=max_candidates,
                min_confidence=min_confidence,
                progress=progress,
            ):
                writer.write(discovery.table_row(proposal, DEFAULT_PREFIXES))
        except (RegistryError, KeyboardInterrupt) as error:
            reason = "interrupted" if isinstance(error, KeyboardInterrupt) else str(error)
            raise LinksFailure(
                f"{reason}. Stopped after {run.done} of {total} resource(s); the "
                f"{writer.rows_written} candidate(s) found so far are in {output}."
            ) from None
    err.print(
        f"wrote {writer.rows_written} candidate(s) for {total} resource(s) to {output}; "
        "review them, then run `stadtgraph links apply`"
    )


def _class_iri(text: str) -> str:
    prefixes = {**DEFAULT_PREFIXES, **v.PREFIXES}
    iri = expand(text, prefixes)
    if not iri.startswith(("http://", "https://")):
        raise CliError(f"--type {text!r}: give an IRI or a CURIE with a known prefix")
    return iri


@links.command("apply")
@click.argument("table_file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Links file to merge the accepted rows into [default: data/links/<table name>.ttl].",
)
@store_options
def apply_command(table_file: Path, output: Path | None, target: StoreOptions) -> None:
    """Turn the reviewed rows of an SSSOM table into data/links/ with provenance.

    Accepted rows (reviewer_id and review_date filled, no predicate_modifier) become links;
    rejected (predicate_modifier Not) and unreviewed rows are left out. The result passes the
    SHACL gate before the file is replaced atomically; a failing gate writes nothing. The gate
    sees the store named by --store or --endpoint, else the project's ontology/ and data/ files.
    """
    try:
        table = read_table(table_file)
    except SssomError as error:
        raise CliError(str(error)) from None
    name = table_file.name.removesuffix(".tsv").removesuffix(".sssom")
    destination = output or ROOT / "data" / "links" / f"{name}.ttl"
    with graph_store(target) as store:
        try:
            outcome = link_apply.apply(table, destination, store, table_file.name, None)
        except link_apply.ApplyError as error:
            raise CliError(f"{table_file}: nothing was written:\n{error}") from None
    steps = outcome.plan
    err.print(
        f"{len(steps.accepted)} accepted, {steps.rejected} rejected, "
        f"{steps.unreviewed} not reviewed; {len(outcome.already)} already in {destination.name}"
    )
    if outcome.report is not None and not outcome.report.conforms:
        err.print(outcome.report.to_text("en"), markup=False, soft_wrap=True)
        err.print("[bold red]Nothing was written.[/]")
        raise SystemExit(EXIT_INVALID)
    if outcome.written:
        err.print(
            f"wrote {len(outcome.written)} new link(s) with provenance to {destination}; load "
            f"them with `stadtgraph load {destination} --replace`",
            markup=False,
        )
    else:
        err.print("no new links; nothing was written")


@links.command("check")
@click.option(
    "--resolve",
    "resolvers",
    multiple=True,
    metavar="NAMESPACE[=BASE]",
    help="Check entries of a registry namespace (or registry key: geonames, ags, gnd, dbpedia) "
    "by HTTP HEAD, on the IRI itself or with the namespace replaced by BASE (repeatable).",
)
@click.option("--no-registry", is_flag=True, help="Do not ask the SPARQL registry (Wikidata).")
@registry_options
@store_options
def check_command(
    resolvers: tuple[str, ...], no_registry: bool, client: RegistryClient, target: StoreOptions
) -> None:
    """Check that every linked registry entry still exists; report missing and redirected ones.

    One line per link on standard output (state, subject, predicate, entry, detail); exit 1 when
    an entry is missing or redirected, or a registry fails while checking. Entries nothing can
    check (no registry endpoint, no resolver) are listed as "not checked" and do not fail the
    run. Links are read from --store or --endpoint when given, else from the project's
    ontology/ and data/ files.
    """
    with graph_store(target) as store:
        entries = link_check.linked_entries(store)
    err.print(f"checking {len(entries)} link(s)")
    counts: dict[str, int] = {}
    try:
        for status in link_check.check(
            entries, None if no_registry else client, _resolvers(resolvers), client.politeness
        ):
            counts[status.state] = counts.get(status.state, 0) + 1
            entry = status.entry
            click.echo(
                f"{status.state}\t{entry.subject}\t{entry.predicate}\t{entry.target}\t"
                f"{status.detail}"
            )
    except (RegistryError, KeyboardInterrupt) as error:
        reason = "interrupted" if isinstance(error, KeyboardInterrupt) else str(error)
        done = sum(counts.values())
        raise LinksFailure(
            f"{reason}. Stopped after {done} of {len(entries)} link(s); the results above stand."
        ) from None
    summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "no links"
    err.print(summary)
    if any(state not in (link_check.OK, link_check.UNCHECKED) for state in counts):
        raise SystemExit(EXIT_INVALID)


def _resolvers(values: tuple[str, ...]) -> dict[str, str]:
    by_key = {registry.key: registry for registry in v.REGISTRIES}
    resolved: dict[str, str] = {}
    for value in values:
        left, _, base = value.partition("=")
        namespaces = by_key[left].namespaces if left in by_key else (left,)
        if not all(ns.startswith(("http://", "https://")) for ns in namespaces):
            raise CliError(f"--resolve {value!r}: give a registry key or an http(s) namespace")
        if base and not base.startswith(("http://", "https://")):
            raise CliError(f"--resolve {value!r}: BASE must be an http(s) URL")
        for namespace in namespaces:
            resolved[namespace] = base
    return resolved
