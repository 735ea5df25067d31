"""The query mix: what the service's users typically ask, over a generated graph.

The IRIs are those of synthetic city 1 (present at every size from 10k up): its copy of the
Kassel transport company, the overall strategy, the inquiry's first question and Hesse.
"""

from __future__ import annotations

from dataclasses import dataclass

SELECT_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
HTML = "text/html"
CITY = "https://w3id.org/stadtgraph/id/synth-00001/"

PREFIXES = """\
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX sg: <https://w3id.org/stadtgraph/ontology#>
"""


@dataclass(frozen=True)
class Query:
    """One request of the mix: a SPARQL query, or (page set) a page of our server."""

    name: str
    what: str
    sparql: str = ""
    accept: str = SELECT_JSON
    page: str | None = None
    diagnostic: bool = False
    """Not part of the mix (and its mean ratio): shows a server's cost per request."""


def _q(name: str, what: str, body: str, accept: str = SELECT_JSON) -> Query:
    return Query(name, what, PREFIXES + body, accept)


QUERIES: tuple[Query, ...] = (
    _q(
        "entity",
        "all triples of one actor (entity description by IRI)",
        "SELECT ?p ?o WHERE { <" + CITY + "org/kvv> ?p ?o }",
    ),
    _q(
        "involved-in",
        "who is involved in a strategy, in which role, with German labels",
        f"""SELECT ?agent ?label ?role WHERE {{
  ?involvement a sg:Involvement ; sg:target <{CITY}strategy/gesamtstrategie> ;
               prov:agent ?agent ; prov:hadRole ?role .
  OPTIONAL {{ ?agent rdfs:label ?label FILTER(lang(?label) = "de") }}
}}""",
    ),
    _q(
        "answers",
        "statements answering one question of the inquiry, with speaker and quote",
        f"""SELECT ?statement ?label ?speaker ?quote WHERE {{
  ?statement a sg:Statement ; sg:answers <{CITY}question/frage-1> ;
             rdfs:label ?label ; sg:speaker ?speaker .
  OPTIONAL {{ ?statement sg:quote ?quote }}
  FILTER(lang(?label) = "de")
}}""",
    ),
    _q(
        "class-counts",
        "instances per class",
        "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)",
    ),
    _q(
        "label-search",
        "label search with FILTER/CONTAINS, first 50",
        """SELECT ?s ?label WHERE {
  ?s rdfs:label ?label FILTER(CONTAINS(LCASE(STR(?label)), "verkehr"))
} LIMIT 50""",
    ),
    _q(
        "two-hop",
        "the 2-hop neighbourhood of an actor",
        f"""SELECT DISTINCT ?p1 ?n1 ?p2 ?n2 WHERE {{
  <{CITY}org/kvv> ?p1 ?n1 . FILTER(isIRI(?n1))
  ?n1 ?p2 ?n2 . FILTER(isIRI(?n2))
}} LIMIT 1000""",
    ),
    _q(
        "roles-aggregate",
        "involvements per role: count and distinct agents",
        """SELECT ?role (COUNT(?involvement) AS ?n) (COUNT(DISTINCT ?agent) AS ?agents) WHERE {
  ?involvement a sg:Involvement ; prov:hadRole ?role ; prov:agent ?agent .
} GROUP BY ?role ORDER BY DESC(?n)""",
    ),
    _q(
        "contained-in",
        "places transitively contained in a state (property path +)",
        f"""SELECT ?place ?label WHERE {{
  ?place schema:containedInPlace+ <{CITY}place/hessen> ; rdfs:label ?label .
  FILTER(lang(?label) = "de")
}}""",
    ),
    _q(
        "construct-involvements",
        "CONSTRUCT the involvements in a strategy with all their properties",
        f"""CONSTRUCT {{ ?involvement ?p ?o }} WHERE {{
  ?involvement sg:target <{CITY}strategy/gesamtstrategie> ; ?p ?o .
}}""",
        N_TRIPLES,
    ),
    Query(
        "floor-ask",
        "`ASK {}`: no data touched, the cost of one request through each server's stack",
        "ASK {}",
        diagnostic=True,
    ),
)

PAGES: tuple[Query, ...] = (
    Query("page-actor", "entity page of an actor", accept=HTML, page="/page/synth-00001/org/kvv"),
    Query(
        "page-strategy",
        "entity page of a strategy many involvements point at",
        accept=HTML,
        page="/page/synth-00001/strategy/gesamtstrategie",
    ),
    Query(
        "page-statement",
        "entity page of a statement",
        accept=HTML,
        page="/page/synth-00001/statement/s01-smart-city",
    ),
)
