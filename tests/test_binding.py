"""Binding values into SPARQL: escaping, validation, injection attempts against a real engine."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import XSD
from rdflib.term import BNode, Literal, URIRef

from service.store.binding import declares_dataset, sparql_term, sparql_variable, with_bindings

EX = "http://example.org/"


@pytest.fixture
def engine() -> ox.Store:
    """Return an in-memory pyoxigraph store with two labelled things."""
    store = ox.Store()
    store.update(
        f"""INSERT DATA {{
            <{EX}a> <{EX}label> "Alpha" ; <{EX}secret> "s3cret" .
            <{EX}b> <{EX}label> "Beta"@de .
        }}"""
    )
    return store


def run(store: ox.Store, sparql: str) -> list[dict[str, str]]:
    """Run a SELECT and return its rows as {variable: lexical value}."""
    result = store.query(sparql)
    names = [variable.value for variable in result.variables]
    return [{name: row[name].value for name in names if row[name] is not None} for row in result]


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        (URIRef("http://example.org/a?x=1#y"), "<http://example.org/a?x=1#y>"),
        (URIRef("https://de.wikipedia.org/wiki/Kassel_(Stadt)"), None),
        (URIRef("http://example.org/Straße"), "<http://example.org/Straße>"),
        (Literal("plain"), '"plain"'),
        (Literal("Kassel", lang="de-DE"), '"Kassel"@de-DE'),
        (Literal(42), '"42"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        (Literal("x", datatype=XSD.string), '"x"^^<http://www.w3.org/2001/XMLSchema#string>'),
        (Literal('say "hi"\\now'), '"say \\"hi\\"\\\\now"'),
        (Literal("line1\nline2\r\tend"), '"line1\\nline2\\r\\tend"'),
        (Literal("Grüße 🏙"), '"Grüße 🏙"'),
    ],
)
def test_sparql_term_writes_grammar_conformant_syntax(
    node: URIRef | Literal, expected: str | None
) -> None:
    text = sparql_term(node)
    if expected is not None:
        assert text == expected
    assert "\n" not in text
    assert "\r" not in text


@pytest.mark.parametrize(
    "iri",
    [
        "http://example.org/a> . ?s ?p ?o <http://x",
        "http://example.org/with space",
        'http://example.org/quote"',
        "http://example.org/{x}",
        "http://example.org/a|b",
        "http://example.org/a^b",
        "http://example.org/a`b",
        "http://example.org/a\\b",
        "http://example.org/new\nline",
        "http://example.org/nul\x00",
        "http://example.org/<",
        "",
    ],
)
def test_sparql_term_refuses_iris_outside_the_iriref_grammar(iri: str) -> None:
    with pytest.raises(ValueError, match="IRI"):
        sparql_term(URIRef(iri))


def test_sparql_term_refuses_blank_nodes_and_bad_tags() -> None:
    with pytest.raises(ValueError, match="blank nodes"):
        sparql_term(BNode())
    with pytest.raises(ValueError, match="language tag"):
        sparql_term(Literal("x", lang="de DE"))
    with pytest.raises(ValueError, match="IRI"):
        sparql_term(Literal("x", datatype=URIRef("http://example.org/t> . <x")))
    with pytest.raises(ValueError, match="Unicode"):
        sparql_term(Literal("lone \ud800 surrogate"))
    with pytest.raises(TypeError):
        sparql_term("just a str")  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["s", "?s", "$s", "label_de", "2nd", "straße", "x·y"])
def test_sparql_variable_accepts_varnames(name: str) -> None:
    assert sparql_variable(name) == "?" + name.lstrip("?$")


@pytest.mark.parametrize("name", ["", "?", "a b", "s)", "s}", "a-b", "s\n", "?s ?o"])
def test_sparql_variable_refuses_other_text(name: str) -> None:
    with pytest.raises(ValueError, match="variable"):
        sparql_variable(name)


def test_with_bindings_without_values_returns_the_query_unchanged() -> None:
    assert with_bindings("ASK {}", {}) == "ASK {}"
    assert with_bindings("ASK {}", None) == "ASK {}"


def test_with_bindings_binds_before_solution_modifiers(engine: ox.Store) -> None:
    sparql = f"SELECT ?s ?label WHERE {{ ?s <{EX}label> ?label }} ORDER BY ?label LIMIT 1"
    rows = run(engine, with_bindings(sparql, {"s": URIRef(f"{EX}b")}))
    # LIMIT 1 over the unbound query would give Alpha; the join happens first.
    assert rows == [{"s": f"{EX}b", "label": "Beta"}]


def test_with_bindings_survives_a_trailing_comment(engine: ox.Store) -> None:
    sparql = f"SELECT ?label WHERE {{ ?s <{EX}label> ?label }} # any ?s"
    rows = run(engine, with_bindings(sparql, {"s": URIRef(f"{EX}a")}))
    assert rows == [{"label": "Alpha"}]


def test_with_bindings_binds_several_variables(engine: ox.Store) -> None:
    sparql = f"ASK {{ ?s <{EX}label> ?label }}"
    assert engine.query(
        with_bindings(sparql, {"s": URIRef(f"{EX}b"), "label": Literal("Beta", lang="de")})
    )
    assert not engine.query(
        with_bindings(sparql, {"s": URIRef(f"{EX}b"), "label": Literal("Beta")})
    )


@pytest.mark.parametrize(
    "hostile",
    [
        '"} ; DROP ALL ; #',
        '" } } SELECT * WHERE { ?s ?p ?o } #',
        "Alpha\n} UNION { ?s ?p ?o",
        'Alpha""" . ?s ?p ?o . """',
        '\\" } #',
        "\\u0022 } #",
        "Alpha'",
        "Ålpha ∀ 🏙\u2028\u2029",
    ],
)
def test_hostile_literals_stay_one_literal(engine: ox.Store, hostile: str) -> None:
    sparql = f"SELECT ?s ?label WHERE {{ ?s <{EX}label> ?label }}"
    text = with_bindings(sparql, {"label": Literal(hostile)})
    # The query still parses, matches nothing, leaks no other triple and changes nothing.
    assert run(engine, text) == []
    assert len(engine) == 3
    echo = with_bindings("SELECT ?v WHERE {}", {"v": Literal(hostile)})
    assert run(engine, echo) == [{"v": hostile}]


def test_hostile_iri_is_refused_before_it_reaches_the_engine(engine: ox.Store) -> None:
    with pytest.raises(ValueError, match="IRI"):
        with_bindings(
            f"SELECT ?label WHERE {{ ?s <{EX}label> ?label }}",
            {"s": URIRef(f"{EX}a> . ?s ?p ?o <{EX}x")},
        )


def test_unicode_iri_round_trips(engine: ox.Store) -> None:
    iri = f"{EX}Straße/Ünter_den_Linden/🏙"
    assert run(engine, with_bindings("SELECT ?v WHERE {}", {"v": URIRef(iri)})) == [{"v": iri}]


def test_typed_and_tagged_literals_round_trip(engine: ox.Store) -> None:
    text = with_bindings(
        "SELECT ?n ?t WHERE {}",
        {"n": Literal(7), "t": Literal("Kassel", lang="de")},
    )
    (row,) = engine.query(text)
    assert row["n"] == ox.Literal("7", datatype=ox.NamedNode(str(XSD.integer)))
    assert row["t"] == ox.Literal("Kassel", language="de")


# -- where the VALUES block goes ------------------------------------------------------------

KASSEL_IRI = URIRef("https://w3id.org/stadtgraph/id/kassel/org/kvv")


@pytest.mark.parametrize(
    ("sparql", "opening"),
    [
        ("SELECT ?o WHERE { ?s ?p ?o }", "SELECT ?o WHERE {"),
        ("SELECT * { ?s ?p ?o }", "SELECT * {"),
        ("ASK { ?s ?p ?o }", "ASK {"),
        ("PREFIX ex: <http://e/ns#select> SELECT ?o WHERE { ?s ex:p ?o }", "SELECT ?o WHERE {"),
        ('SELECT (CONCAT("{", ?o) AS ?x) WHERE { ?s ?p ?o }', "AS ?x) WHERE {"),
        ("# { not here\nSELECT ?o WHERE { ?s ?p ?o }", "SELECT ?o WHERE {"),
        ("SELECT (EXISTS { ?s ?p 1 } AS ?e) WHERE { ?s ?p ?o }", "AS ?e) WHERE {"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "?o } WHERE {"),
        ("SELECT ?o WHERE { ?s ?p ?o FILTER(?o < 3) }", "SELECT ?o WHERE {"),
    ],
)
def test_values_open_the_where_group(sparql: str, opening: str) -> None:
    bound = with_bindings(sparql, {"s": KASSEL_IRI})
    head, _, rest = bound.partition("VALUES")
    assert head.rstrip().endswith(opening)
    assert rest.lstrip().startswith("(?s) { (<https://w3id.org/stadtgraph/id/kassel/org/kvv>) }")


@pytest.mark.parametrize("sparql", ["DESCRIBE ?s", "CONSTRUCT WHERE { ?s ?p ?o }"])
def test_values_trail_where_no_group_can_take_them(sparql: str) -> None:
    bound = with_bindings(sparql, {"s": KASSEL_IRI})
    assert bound.startswith(sparql)
    assert bound.rstrip().endswith("}")


def test_values_filter_before_aggregation() -> None:
    store = ox.Store()
    for subject in ("a", "b"):
        for value in range(3 if subject == "a" else 5):
            store.add(
                ox.Quad(
                    ox.NamedNode(f"http://e/{subject}"),
                    ox.NamedNode("http://e/p"),
                    ox.Literal(str(value)),
                )
            )
    sparql = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    bound = with_bindings(sparql, {"s": URIRef("http://e/a")})
    [row] = list(store.query(bound))  # type: ignore[arg-type]
    assert row["n"].value == "3"


@pytest.mark.parametrize(
    ("sparql", "declared"),
    [
        ("SELECT * FROM <http://e/g> WHERE { ?s ?p ?o }", True),
        ("SELECT * FROM NAMED <http://e/g> { GRAPH ?g { ?s ?p ?o } }", True),
        ("CONSTRUCT { ?s ?p ?o } FROM <http://e/g> WHERE { ?s ?p ?o }", True),
        ("SELECT * WHERE { ?s <http://e/from> ?o }", False),
        ('SELECT * WHERE { ?s ?p "FROM x" }', False),
        ("# FROM <http://e/g>\nSELECT * WHERE { ?s ?p ?o }", False),
        ("SELECT ?from WHERE { ?from ?p ?o }", False),
    ],
)
def test_declares_dataset(sparql: str, declared: bool) -> None:
    assert declares_dataset(sparql) is declared


def test_from_restricts_the_embedded_store_despite_the_union_default() -> None:
    from service.store import open_store

    store = open_store(path=None)
    try:
        store.update(
            "INSERT DATA { GRAPH <http://e/g1> { <http://e/a> <http://e/p> 1 } "
            "GRAPH <http://e/g2> { <http://e/b> <http://e/p> 2 } }"
        )
        rows = store.select("SELECT ?s FROM <http://e/g1> WHERE { ?s ?p ?o }")
        assert [str(r["s"]) for r in rows] == ["http://e/a"]
        assert len(store.select("SELECT ?s WHERE { ?s ?p ?o }")) == 2
    finally:
        store.close()


def test_long_texts_are_analysed_like_short_ones() -> None:
    """Short texts have their analysis remembered; a long one is scanned each time, same answer."""
    padding = "# " + "x" * 9000 + "\n"
    for sparql in ("SELECT * FROM <http://e/g> WHERE { ?s ?p ?o }", "ASK { ?s ?p ?o }"):
        for _ in range(2):
            assert declares_dataset(padding + sparql) is declares_dataset(sparql)
            short = with_bindings(sparql, {"s": URIRef("http://e/a")})
            long = with_bindings(padding + sparql, {"s": URIRef("http://e/a")})
            assert long == padding + short


def test_remembered_conversions_keep_terms_apart() -> None:
    from service.store import terms

    typed = ox.Literal("1", datatype=ox.NamedNode(str(XSD.integer)))
    plain = ox.Literal("1")
    tagged = ox.Literal("1", language="de")
    for _ in range(2):
        assert terms.to_rdflib(typed) == Literal("1", datatype=XSD.integer)
        assert terms.to_rdflib(plain) == Literal("1")
        assert terms.to_rdflib(tagged) == Literal("1", lang="de")
        assert terms.to_rdflib(ox.NamedNode("http://e/1")) == URIRef("http://e/1")
    blank = ox.BlankNode()
    assert terms.to_rdflib(blank) == BNode(blank.value)


def test_the_conversion_memo_starts_over_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    from service.store import terms

    monkeypatch.setattr(terms, "_CONVERTED_LIMIT", 3)
    terms._converted.clear()
    for i in range(10):
        assert terms.to_rdflib(ox.NamedNode(f"http://e/{i}")) == URIRef(f"http://e/{i}")
        assert len(terms._converted) <= 3
