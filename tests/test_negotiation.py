"""The content-type tables and the choice by Accept header or `format=` (no app needed)."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from service.web.negotiation import (
    NotAcceptable,
    ResultKind,
    UnknownFormat,
    choose_format,
    choose_format_for,
)

SOLUTIONS, GRAPH = ResultKind.SOLUTIONS, ResultKind.GRAPH


def accept(header: str | None) -> MIMEAccept:
    return parse_accept_header(header, MIMEAccept)


@pytest.mark.parametrize(
    ("kind", "header", "expected"),
    [
        (SOLUTIONS, None, "application/sparql-results+json"),
        (SOLUTIONS, "*/*", "application/sparql-results+json"),
        (SOLUTIONS, "application/json", "application/sparql-results+json"),
        (SOLUTIONS, "application/sparql-results+xml", "application/sparql-results+xml"),
        (SOLUTIONS, "text/csv", "text/csv"),
        (SOLUTIONS, "TEXT/CSV", "text/csv"),
        (SOLUTIONS, "text/tab-separated-values", "text/tab-separated-values"),
        (SOLUTIONS, "text/*", "text/csv"),
        (
            SOLUTIONS,
            "text/csv;q=0.5, application/sparql-results+xml",
            "application/sparql-results+xml",
        ),
        (SOLUTIONS, "text/csv;q=0, */*;q=0.1", "application/sparql-results+json"),
        (
            SOLUTIONS,
            "application/sparql-results+json;q=0.4, text/tab-separated-values;q=0.9",
            "text/tab-separated-values",
        ),
        (
            SOLUTIONS,
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "application/sparql-results+json",
        ),
        (GRAPH, None, "text/turtle"),
        (GRAPH, "*/*", "text/turtle"),
        (GRAPH, "application/n-triples", "application/n-triples"),
        (GRAPH, "application/ld+json", "application/ld+json"),
        (GRAPH, "application/json", "application/ld+json"),
        (GRAPH, "application/rdf+xml;q=1, text/turtle;q=0.2", "application/rdf+xml"),
        (GRAPH, "application/n-quads", "application/n-quads"),
        (GRAPH, "application/n-quads;q=0.9, */*;q=0.1", "application/n-quads"),
        (GRAPH, "application/*", "application/n-triples"),
        # Media-type parameters are not compared; a type's own q=0 outweighs a wildcard.
        (
            SOLUTIONS,
            "application/sparql-results+json; charset=utf-8",
            "application/sparql-results+json",
        ),
        (SOLUTIONS, "text/csv; header=present", "text/csv"),
        (SOLUTIONS, "application/sparql-results+json;q=0, */*", "application/sparql-results+xml"),
        (SOLUTIONS, "text/*;q=0.9, text/csv;q=0", "text/tab-separated-values"),
        (GRAPH, "text/turtle;charset=UTF-8", "text/turtle"),
        (
            GRAPH,
            'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"',
            "application/ld+json",
        ),
        (GRAPH, "application/n-quads; charset=utf-8", "application/n-quads"),
        (GRAPH, "text/turtle;q=0, */*", "application/n-triples"),
    ],
)
def test_accept_header_picks_the_format(
    kind: ResultKind, header: str | None, expected: str
) -> None:
    assert choose_format(kind, accept(header)).media_type == expected


@pytest.mark.parametrize(
    ("kind", "header"),
    [
        (GRAPH, "application/json, application/ld+json;q=0"),
        (SOLUTIONS, "application/json, application/sparql-results+json;q=0"),
    ],
)
def test_an_alias_does_not_bring_back_a_type_refused_by_name(kind: ResultKind, header: str) -> None:
    with pytest.raises(NotAcceptable):
        choose_format(kind, accept(header))


def test_n_quads_is_never_picked_by_a_wildcard() -> None:
    assert (
        choose_format(GRAPH, accept("application/n-quads;q=0.1, */*")).media_type == "text/turtle"
    )
    with pytest.raises(NotAcceptable):
        choose_format(GRAPH, accept("application/n-quads;q=0"))


@pytest.mark.parametrize(
    ("kind", "name", "expected"),
    [
        (SOLUTIONS, "json", "application/sparql-results+json"),
        (SOLUTIONS, "xml", "application/sparql-results+xml"),
        (SOLUTIONS, "csv", "text/csv"),
        (SOLUTIONS, "tsv", "text/tab-separated-values"),
        (SOLUTIONS, "text/csv", "text/csv"),
        (GRAPH, "ttl", "text/turtle"),
        (GRAPH, "nt", "application/n-triples"),
        (GRAPH, "jsonld", "application/ld+json"),
        (GRAPH, "json", "application/ld+json"),
        (GRAPH, "xml", "application/rdf+xml"),
        (GRAPH, "nq", "application/n-quads"),
    ],
)
def test_format_parameter_overrides_accept(kind: ResultKind, name: str, expected: str) -> None:
    assert choose_format(kind, accept("image/png"), name).media_type == expected


def test_format_of_the_other_kind_is_not_acceptable() -> None:
    with pytest.raises(NotAcceptable, match="does not fit a graph"):
        choose_format(GRAPH, accept(None), "csv")


def test_unknown_format_lists_the_known_ones() -> None:
    with pytest.raises(UnknownFormat, match="known formats: csv"):
        choose_format(SOLUTIONS, accept(None), "excel")


def test_not_acceptable_lists_what_is_offered() -> None:
    with pytest.raises(NotAcceptable) as caught:
        choose_format(SOLUTIONS, accept("image/png, text/turtle"))
    message = str(caught.value)
    assert "image/png" in message
    for offered in ("application/sparql-results+json", "text/csv", "text/tab-separated-values"):
        assert offered in message


def test_text_formats_declare_utf8() -> None:
    assert choose_format(SOLUTIONS, accept("text/csv")).content_type == "text/csv; charset=utf-8"
    assert choose_format(GRAPH, accept("application/n-triples")).content_type == (
        "application/n-triples"
    )


@pytest.mark.parametrize(
    ("kind", "header", "name"),
    [
        (SOLUTIONS, "", None),
        (SOLUTIONS, "text/csv;q=0.5, application/sparql-results+xml", None),
        (GRAPH, "application/n-quads;q=0.1, */*", None),
        (GRAPH, "image/png", "nt"),
    ],
)
def test_choice_from_a_raw_header_is_the_choice_from_the_parsed_one(
    kind: ResultKind, header: str, name: str | None
) -> None:
    expected = choose_format(kind, accept(header), name)
    assert choose_format_for(kind, header, name) == expected
    assert choose_format_for(kind, header, name) == expected  # the kept choice


def test_a_refusal_from_a_raw_header_is_raised_every_time() -> None:
    for _ in range(2):
        with pytest.raises(NotAcceptable, match="image/png"):
            choose_format_for(SOLUTIONS, "image/png", None)
