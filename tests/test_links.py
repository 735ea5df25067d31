"""`stadtgraph links` end to end against real local servers.

A real `oxigraph serve` holds a small registry in Wikidata's own shape
(tests/data/links/wikidata-fixture.ttl, test data only); an embedded store holds a small
Stadtgraph graph. Discover writes an SSSOM table, the test reviews it like a person would,
apply writes links with provenance through the SHACL gate, check finds a deleted and a merged
entry. Misbehaving registries (slow, 500, malformed, 429) are real `http.server`s.
"""

from __future__ import annotations

import csv
import io
import shutil
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, XSD
from rdflib.plugins.sparql import prepareQuery

from service.cli import cli
from service.link_model import SG, consistency_problems
from service.link_scoring import Candidate, Resource, score
from service.links import candidate_query
from service.registry_client import retry_after
from service.sssom import header_text, parse_header, read_table
from service.store import open_store

from .conftest import ROOT, TEST_DATA, run_cli
from .link_servers import head_server, misbehaving_registry
from .servers import running_oxigraph

pytestmark = pytest.mark.remote

LINKS_DATA = TEST_DATA / "links"
WD = "http://www.wikidata.org/entity/"
PLACE = "https://w3id.org/stadtgraph/id/kassel/place/"
AGENT = "sgid:agent/stadtgraph-projekt"
FAST = ("--min-interval", "0")


@pytest.fixture(scope="module")
def registry() -> Iterator[str]:
    """A real oxigraph serve holding the Wikidata-shaped fixture; yields its query URL."""
    with running_oxigraph() as base:
        body = (LINKS_DATA / "wikidata-fixture.ttl").read_bytes()
        request = urllib.request.Request(
            f"{base}/store?default",
            data=body,
            method="PUT",
            headers={"Content-Type": "text/turtle"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status in (200, 201, 204)
        yield f"{base}/query"


@pytest.fixture(scope="module")
def graph_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded store with the registries and the small Stadtgraph test graph."""
    path = tmp_path_factory.mktemp("links") / "store"
    result = invoke(
        "load",
        "--store",
        path,
        ROOT / "data/links/registries.ttl",
        LINKS_DATA / "stadtgraph-fixture.ttl",
    )
    assert result.exit_code == 0, result.stderr
    return path


@pytest.fixture(scope="module")
def candidates(registry: str, graph_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("discover") / "candidates.sssom.tsv"
    result = run_cli(
        "links", "discover", "--store", graph_store, "--registry", registry, *FAST, "-o", output
    )
    assert result.returncode == 0, result.stderr
    assert "[4/4]" in result.stderr  # progress, one line per resource
    return output


def invoke(*args: str | Path) -> Result:
    """Run the real CLI in this process (faster than a subprocess; the servers stay real)."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def rows_by(table_path: Path) -> dict[tuple[str, str], dict[str, str]]:
    table = read_table(table_path)
    return {(row["subject_id"], row["object_id"]): row for row in table.rows}


def review(source: Path, target: Path, decisions: dict[tuple[str, str], str], **extra: str) -> None:
    """Mark rows like a reviewer: 'accept' or 'reject'; other rows stay unreviewed."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    header = "".join(line for line in lines if line.startswith("#"))
    reader = csv.DictReader([line for line in lines if not line.startswith("#")], delimiter="\t")
    rows = list(reader)
    for row in rows:
        decision = decisions.get((row["subject_id"], row["object_id"]))
        if decision:
            row.update({"reviewer_id": AGENT, "review_date": "2026-11-25", **extra})
        if decision == "reject":
            row["predicate_modifier"] = "Not"
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=reader.fieldnames or [], delimiter="\t", lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(rows)
    target.write_text(header + out.getvalue(), encoding="utf-8")


KASSEL, WIEN, HESSEN = (
    "sgid:kassel/place/kassel",
    "sgid:kassel/place/wien",
    "sgid:kassel/place/hessen",
)
STADT = "sgid:kassel/org/stadt-kassel"


# -- discover ------------------------------------------------------------------------------------


def test_discover_scores_identifier_over_label_type_country_over_label(candidates: Path) -> None:
    table = read_table(candidates)
    assert table.metadata["sssom_version"] == "1.1"
    assert table.metadata["mapping_set_id"].startswith("https://")
    assert table.prefixes["wd"] == WD
    rows = rows_by(candidates)
    kassel = rows[(KASSEL, "wd:Q2865")]
    assert float(kassel["confidence"]) >= 0.9
    assert kassel["mapping_justification"] == "semapv:LexicalMatching"
    assert (kassel["subject_match_field"], kassel["object_match_field"]) == ("sg:ags", "wdt:P439")
    assert kassel["match_string"] == "06611000"
    assert kassel["predicate_id"] == "owl:sameAs"
    assert kassel["reviewer_id"] == "" and kassel["predicate_modifier"] == ""
    village = rows[(KASSEL, "wd:Q900000001")]  # same label, other country and type
    station = rows[(KASSEL, "wd:Q900000003")]  # alt label, same country, other type
    assert float(village["confidence"]) < float(station["confidence"]) < float(kassel["confidence"])
    assert "conflict: country differs" in village["comment"]
    hessen = rows[(HESSEN, "wd:Q1199")]
    assert hessen["mapping_justification"] == "semapv:CompositeMatching"
    assert float(hessen["confidence"]) == pytest.approx(0.6)  # label and country, no type known
    wien = rows[(WIEN, "wd:Q1741")]
    assert (wien["subject_match_field"], wien["object_match_field"]) == (
        "sg:geonamesId",
        "wdt:P1566",
    )
    assert float(rows[(WIEN, "wd:Q900000005")]["confidence"]) <= 0.1  # a different GeoNames id
    organisation = rows[(STADT, "wd:Q900000020")]
    assert organisation["predicate_id"] == "skos:closeMatch"  # organisations: never owl:sameAs
    assert all(subject != "sgid:kassel/place/tallinn" for subject, _ in rows)  # already linked


def test_discover_asserts_nothing(candidates: Path, graph_store: Path) -> None:
    store = open_store(path=graph_store)
    try:
        assert not store.ask(
            "ASK { ?s <http://www.w3.org/2002/07/owl#sameAs> ?o }", {"o": URIRef(WD + "Q2865")}
        )
    finally:
        store.close()


def test_discover_refuses_to_overwrite(candidates: Path, registry: str, graph_store: Path) -> None:
    result = invoke(
        "links", "discover", "--store", graph_store, "--registry", registry, "-o", candidates
    )
    assert result.exit_code == 2
    assert "exists" in result.stderr


# -- apply ---------------------------------------------------------------------------------------


def test_reviewed_rows_become_links_with_provenance(
    candidates: Path, graph_store: Path, tmp_path: Path
) -> None:
    reviewed = tmp_path / "reviewed.sssom.tsv"
    review(
        candidates,
        reviewed,
        {
            (KASSEL, "wd:Q2865"): "accept",
            (WIEN, "wd:Q1741"): "accept",
            (KASSEL, "wd:Q900000001"): "reject",
        },
    )
    output = tmp_path / "links" / "reviewed.ttl"
    result = run_cli("links", "apply", reviewed, "--store", graph_store, "-o", output)
    assert result.returncode == 0, result.stderr
    assert "2 accepted, 1 rejected" in result.stderr
    graph = Graph().parse(output)
    kassel, q2865 = URIRef(PLACE + "kassel"), URIRef(WD + "Q2865")
    assert (kassel, OWL.sameAs, q2865) in graph
    assert (URIRef(PLACE + "wien"), OWL.sameAs, URIRef(WD + "Q1741")) in graph
    assert (kassel, OWL.sameAs, URIRef(WD + "Q900000001")) not in graph
    node = graph.value(predicate=SG.linkTarget, object=q2865)
    assert node is not None
    assert (node, RDF.type, SG.LinkAssertion) in graph
    assert graph.value(node, SG.linkMethod) == SG.ReviewedCandidate
    assert graph.value(node, SG.reviewer) == URIRef(
        "https://w3id.org/stadtgraph/id/agent/stadtgraph-projekt"
    )
    assert graph.value(node, SG.reviewDate) == Literal("2026-11-25", datatype=XSD.date)
    assert str(graph.value(node, SG.mappingJustification)).endswith("LexicalMatching")
    assert graph.value(node, SG.targetRegistry) == URIRef(
        "https://w3id.org/stadtgraph/id/registry/wikidata"
    )
    assert graph.value(node, PROV.wasDerivedFrom) is not None
    assert consistency_problems(graph) == []
    assert not list(output.parent.glob(".*.tmp"))  # the temporary file was renamed away

    copy = tmp_path / "store-copy"
    shutil.copytree(graph_store, copy)
    loaded = invoke("load", "--store", copy, output)
    assert loaded.exit_code == 0, loaded.stderr

    again = invoke("links", "apply", reviewed, "--store", graph_store, "-o", output)
    assert again.exit_code == 0, again.stderr
    assert "2 already in" in again.stderr and "nothing was written" in again.stderr


def test_a_failing_gate_writes_nothing(candidates: Path, graph_store: Path, tmp_path: Path) -> None:
    reviewed = tmp_path / "bad.sssom.tsv"
    # owl:sameAs for an organisation: the link shapes refuse it.
    review(candidates, reviewed, {(STADT, "wd:Q900000020"): "accept"}, predicate_id="owl:sameAs")
    output = tmp_path / "links.ttl"
    output.write_text("# untouched\n", encoding="utf-8")
    result = invoke("links", "apply", reviewed, "--store", graph_store, "-o", output)
    assert result.exit_code == 1
    assert "Nothing was written" in result.stderr
    assert "owl:sameAs" in result.stderr
    assert output.read_text(encoding="utf-8") == "# untouched\n"


def test_a_reviewer_that_is_no_agent_fails_the_gate(
    candidates: Path, graph_store: Path, tmp_path: Path
) -> None:
    reviewed = tmp_path / "who.sssom.tsv"
    review(candidates, reviewed, {(KASSEL, "wd:Q2865"): "accept"}, reviewer_id=KASSEL)
    output = tmp_path / "links.ttl"
    result = invoke("links", "apply", reviewed, "--store", graph_store, "-o", output)
    assert result.exit_code == 1
    assert "sg:reviewer" in result.stderr
    assert not output.exists()


def test_malformed_rows_are_refused_with_their_line(
    candidates: Path, graph_store: Path, tmp_path: Path
) -> None:
    reviewed = tmp_path / "dates.sssom.tsv"
    review(candidates, reviewed, {(KASSEL, "wd:Q2865"): "accept"}, review_date="25.11.2026")
    output = tmp_path / "links.ttl"
    result = invoke("links", "apply", reviewed, "--store", graph_store, "-o", output)
    assert result.exit_code == 2
    assert "line " in result.stderr and "YYYY-MM-DD" in result.stderr
    assert not output.exists()


def test_a_link_for_a_resource_the_graph_does_not_hold_is_refused(
    candidates: Path, graph_store: Path, tmp_path: Path
) -> None:
    reviewed = tmp_path / "ghost.sssom.tsv"
    review(candidates, reviewed, {(KASSEL, "wd:Q2865"): "accept"})
    ghost = "sgid:kassel/place/nowhere"
    text = reviewed.read_text(encoding="utf-8").replace(f"{KASSEL}\t", f"{ghost}\t")
    reviewed.write_text(text, encoding="utf-8")
    output = tmp_path / "links.ttl"
    result = invoke("links", "apply", reviewed, "--store", graph_store, "-o", output)
    assert result.exit_code == 2
    assert "not a resource of the graph" in result.stderr and "place/nowhere" in result.stderr
    assert not output.exists()


# -- check ---------------------------------------------------------------------------------------


def test_check_reports_missing_and_redirected_entries(registry: str, graph_store: Path) -> None:
    statuses = {"/588409/": (200, None), "/2921044/": (301, "https://sws.geonames.org/1/")}
    with head_server(statuses) as geonames:
        result = run_cli(
            "links",
            "check",
            "--store",
            graph_store,
            "--registry",
            registry,
            *FAST,
            "--resolve",
            f"geonames={geonames}",
        )
    assert result.returncode == 1, result.stderr
    lines = {
        tuple(line.split("\t")[:4]): line.split("\t")[4] for line in result.stdout.splitlines()
    }
    same = str(OWL.sameAs)
    assert lines[("missing", PLACE + "verschwunden", same, WD + "Q900000099")]
    assert lines[("redirected", PLACE + "doppelt", same, WD + "Q900000010")] == f"now {WD}Q2865"
    assert ("ok", PLACE + "tallinn", same, WD + "Q1770") in lines
    assert ("ok", PLACE + "tallinn", same, "https://sws.geonames.org/588409/") in lines
    redirected = lines[
        ("redirected", PLACE + "deutschland", same, "https://sws.geonames.org/2921044/")
    ]
    assert "301" in redirected
    assert "1 missing" in result.stderr and "2 redirected" in result.stderr


def test_check_without_resolvers_leaves_other_registries_unchecked(
    registry: str, graph_store: Path
) -> None:
    result = invoke("links", "check", "--store", graph_store, "--registry", registry, *FAST)
    assert "not checked" in result.stdout
    assert "no resolver configured for GeoNames" in result.stdout


# -- registries that misbehave --------------------------------------------------------------------

FAILURES = [
    pytest.param("slow", ("--timeout", "1"), "did not answer within 1 s", id="timeout"),
    pytest.param("error", (), "answered HTTP 500", id="http-500"),
    pytest.param("malformed", (), "malformed JSON", id="malformed-json"),
    pytest.param("not-json", (), "text/html instead of SPARQL JSON", id="not-sparql-json"),
    pytest.param("rate-limit", ("--max-retry-wait", "5"), "asks to wait 3600 s", id="429-too-long"),
]


@pytest.mark.parametrize(("mode", "options", "message"), FAILURES)
def test_a_failing_registry_stops_with_one_message_and_keeps_results(
    registry: str,
    graph_store: Path,
    tmp_path: Path,
    mode: str,
    options: tuple[str, ...],
    message: str,
) -> None:
    output = tmp_path / "partial.sssom.tsv"
    # Three good answers: the registry classes of the linked resources, then two resources.
    with misbehaving_registry(mode, registry, good=3, retry_after="3600") as bad:
        result = invoke(
            "links",
            "discover",
            "--store",
            graph_store,
            "--registry",
            bad,
            *FAST,
            *options,
            "-o",
            output,
        )
    assert result.exit_code == 1, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert "Stopped after 2 of 4 resource(s)" in result.stderr
    kept = read_table(output)
    assert {row["subject_id"] for row in kept.rows} == {STADT, HESSEN}
    assert "2 candidate(s) found so far" in result.stderr


def test_retry_after_is_honoured_within_the_bound(
    registry: str, graph_store: Path, tmp_path: Path
) -> None:
    output = tmp_path / "patient.sssom.tsv"
    with misbehaving_registry("rate-limit-once", registry, good=1, retry_after="1") as limited:
        started = time.monotonic()
        result = invoke(
            "links", "discover", "--store", graph_store, "--registry", limited, *FAST, "-o", output
        )
        elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.stderr
    assert "rate limited" in result.stderr and "waiting 1 s" in result.stderr
    assert elapsed >= 1.0
    assert "[4/4]" in result.stderr
    assert {row["subject_id"] for row in read_table(output).rows} == {STADT, HESSEN, KASSEL, WIEN}


def test_a_registry_that_keeps_limiting_is_given_up(
    registry: str, graph_store: Path, tmp_path: Path
) -> None:
    with misbehaving_registry("rate-limit", registry, retry_after="0") as limited:
        result = invoke("links", "check", "--store", graph_store, "--registry", limited, *FAST)
    assert result.exit_code == 1
    assert "still rate limiting (HTTP 429) after 3 retries" in result.stderr


def test_an_unreachable_registry_is_named(graph_store: Path, tmp_path: Path) -> None:
    result = invoke(
        "links",
        "discover",
        "--store",
        graph_store,
        "--registry",
        "http://127.0.0.1:9/sparql",
        *FAST,
        "-o",
        tmp_path / "none.sssom.tsv",
    )
    assert result.exit_code == 1
    assert "cannot reach http://127.0.0.1:9/sparql" in result.stderr
    assert "Nothing was written" in result.stderr


# -- the pieces ------------------------------------------------------------------------------------


def test_hostile_labels_stay_literals_in_the_registry_query() -> None:
    hostile = 'Kassel" } . ?x ?y ?z } DROP ALL ; SELECT * WHERE { "'
    resource = Resource(URIRef(PLACE + "x"), frozenset(), (hostile, "Zeile\nzwei"), {})
    query = candidate_query(resource)
    assert query is not None
    parsed = prepareQuery(query)
    assert "DROP" not in str(parsed.algebra.name)
    assert '\\"' in query and "\\n" in query


def test_scores_follow_the_order_of_evidence() -> None:
    ours = Resource(
        URIRef(PLACE + "kassel"),
        frozenset({"https://schema.org/City"}),
        ("Kassel",),
        {SG + "ags": "06611000"},
        countries=frozenset({WD + "Q183"}),
    )

    def candidate(**kwargs: object) -> Candidate:
        base: dict[str, object] = {
            "item": URIRef(WD + "Q1"),
            "matched_by": frozenset({"label"}),
            "label": "Kassel",
            "description": "",
            "types": frozenset(),
            "countries": frozenset(),
            "regions": frozenset(),
            "identifiers": {},
        }
        base.update(kwargs)
        return Candidate(**base)  # type: ignore[arg-type]

    city = frozenset({WD + "Q515x"})
    by_id = score(ours, candidate(identifiers={"P439": frozenset({"06611000"})}), city)
    full = score(ours, candidate(types=city, countries=frozenset({WD + "Q183"})), city)
    label = score(ours, candidate(), city)
    elsewhere = score(ours, candidate(countries=frozenset({WD + "Q9"})), city)
    assert by_id.confidence > full.confidence > label.confidence > elsewhere.confidence
    assert full.justification.endswith("CompositeMatching")


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
    assert retry_after("120", now) == 120
    assert retry_after("Wed, 25 Nov 2026 12:01:00 GMT", now) == 60
    assert retry_after("soon", now) is None
    assert retry_after(None, now) is None


def test_the_metadata_header_reads_back() -> None:
    metadata = {
        "curie_map": {"wd": WD},
        "mapping_set_id": "https://example.org/x",
        "mapping_set_description": 'with "quotes", colons: and ümlauts',
    }
    lines = [line[1:] for line in header_text(metadata).splitlines()]
    assert parse_header(lines) == metadata
