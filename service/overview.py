"""What the home page shows of the graph: counts per type, the action fields with who is
involved in them, the most involved actors.

Built from SPARQL over the store (the named queries where one fits) and shaped into plain
records here, so that the shaping is testable without Flask. Labels stay rdflib literals in
every language the data has; the page picks one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib.term import Literal, URIRef

from .queries import QUERY_FOLDER, get_query
from .store import Node, Store

SG = "https://w3id.org/stadtgraph/ontology#"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"


@dataclass(frozen=True)
class TileType:
    """A kind of resource the home page counts: its key in the UI strings, its class, and the
    named query that lists what the tile counts (given the class as `type`, or nothing)."""

    key: str
    class_iri: str
    list_query: str = "actors-of-type"


TILE_TYPES = (
    TileType("actors", PROV + "Agent"),
    TileType("units", ORG + "OrganizationalUnit"),
    TileType("enterprises", SG + "MunicipalEnterprise"),
    TileType("municipalities", SG + "Municipality", "surrounding-municipalities"),
    TileType("action_fields", SG + "ActionField"),
    TileType("topics", SG + "Topic"),
    TileType("documents", FOAF + "Document"),
)

ACTION_FIELDS = """\
PREFIX sg:     <https://w3id.org/stadtgraph/ontology#>
PREFIX rdfs:   <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
SELECT ?field ?label ?position ?strategy ?strategyLabel WHERE {
  ?field a sg:ActionField .
  OPTIONAL { ?field rdfs:label ?label }
  OPTIONAL { ?field schema:position ?position }
  OPTIONAL {
    ?strategy sg:hasActionField ?field .
    OPTIONAL { ?strategy rdfs:label ?strategyLabel }
  }
}
"""

# Statements that name an actor as their speaker or their subject.
STATEMENT_COUNTS = """\
PREFIX sg:      <https://w3id.org/stadtgraph/ontology#>
PREFIX prov:    <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?agent (COUNT(DISTINCT ?statement) AS ?count) WHERE {
  ?statement a sg:Statement .
  { ?statement sg:speaker ?agent } UNION { ?statement dcterms:subject ?agent }
  ?agent a prov:Agent .
}
GROUP BY ?agent
"""


@dataclass(frozen=True)
class Tile:
    key: str
    class_iri: str
    count: int
    groups: int = 0
    """Groups of this kind the source names only collectively, not in `count`."""
    list_query: str = "actors-of-type"


@dataclass
class Named:
    """A resource and its labels in every language the data gives."""

    iri: str
    labels: list[Literal] = field(default_factory=list)

    def add_label(self, value: Node | None) -> None:
        if isinstance(value, Literal) and value not in self.labels:
            self.labels.append(value)


@dataclass
class Involvement:
    """One qualified involvement: who, in what, in which role, regarding what, from where."""

    iri: str
    actor: Named
    target: Named
    role: Named | None
    regarding: Named | None
    statement: str | None
    quote: Literal | None
    as_of: str | None


@dataclass
class ActionField:
    concept: Named
    position: int | None
    strategies: list[Named] = field(default_factory=list)
    involvements: list[Involvement] = field(default_factory=list)


@dataclass
class ActorRank:
    actor: Named
    involvements: int
    statements: int


@dataclass
class StrategyInvolvement:
    """Who is involved in a strategy as a whole, the strategy its action fields belong to."""

    strategy: Named
    involvements: list[Involvement] = field(default_factory=list)


@dataclass
class Overview:
    tiles: list[Tile]
    action_fields: list[ActionField]
    strategies: list[StrategyInvolvement]
    top_actors: list[ActorRank]


def _int(value: Node | None) -> int | None:
    if isinstance(value, Literal):
        try:
            return int(value.toPython())
        except (TypeError, ValueError):
            return None
    return None


def _str(value: Node | None) -> str | None:
    return str(value) if value is not None else None


def _named(iri: Node | None, *labels: Node | None) -> Named | None:
    if not isinstance(iri, URIRef):
        return None
    named = Named(str(iri))
    for value in labels:
        named.add_label(value)
    return named


def count_types(
    store: Store, types: Iterable[TileType] = TILE_TYPES, folder: Path = QUERY_FOLDER
) -> list[Tile]:
    """Count what each tile's list shows: its resources, and apart from them the groups it
    marks (`group` true). Counting the list's own rows keeps the two equal by construction:
    who counts as an actor, which municipalities are in the district on the session day and so
    on is decided in the named query alone."""
    tiles = []
    for tile in types:
        query = get_query(tile.list_query, folder)
        takes_type = any(parameter.name == "type" for parameter in query.parameters)
        bindings = query.bindings({"type": tile.class_iri}) if takes_type else {}
        result = store.select(query.sparql, bindings)
        first = result.variables[0]
        members: set[Node] = set()
        groups: set[Node] = set()
        for row in result.rows:
            group = row.get("group")
            found = groups if isinstance(group, Literal) and group.toPython() is True else members
            found.add(row[first])
        tiles.append(Tile(tile.key, tile.class_iri, len(members), len(groups), tile.list_query))
    return tiles


def involvements_from_rows(rows: Iterable[dict[str, Node]], target_var: str) -> list[Involvement]:
    """Shape rows of the involvement-by-* queries into involvements (one per node)."""
    found: dict[str, Involvement] = {}
    for row in rows:
        iri = _str(row.get("involvement"))
        actor = _named(row.get("actor"), row.get("actorLabel"), row.get("actorLabelEn"))
        target = _named(
            row.get(target_var), row.get(f"{target_var}Label"), row.get(f"{target_var}LabelEn")
        )
        if iri is None or actor is None or target is None or iri in found:
            continue
        quote = row.get("quote")
        found[iri] = Involvement(
            iri=iri,
            actor=actor,
            target=target,
            role=_named(row.get("role"), row.get("roleLabel"), row.get("roleLabelEn")),
            regarding=_named(
                row.get("regarding"), row.get("regardingLabel"), row.get("regardingLabelEn")
            ),
            statement=_str(row.get("statement")),
            quote=quote if isinstance(quote, Literal) else None,
            as_of=_str(row.get("asOf")),
        )
    return list(found.values())


def action_fields(store: Store, folder: Path = QUERY_FOLDER) -> list[ActionField]:
    """Return every action field with its strategy and the involvements that target it."""
    fields: dict[str, ActionField] = {}
    strategies: dict[tuple[str, str], Named] = {}
    for row in store.select(ACTION_FIELDS):
        iri = str(row["field"])
        entry = fields.setdefault(iri, ActionField(Named(iri), _int(row.get("position"))))
        entry.concept.add_label(row.get("label"))
        strategy = row.get("strategy")
        if isinstance(strategy, URIRef):
            key = (iri, str(strategy))
            if key not in strategies:
                strategies[key] = Named(str(strategy))
                entry.strategies.append(strategies[key])
            strategies[key].add_label(row.get("strategyLabel"))
    rows = store.select(get_query("involvement-by-action-field", folder).sparql)
    for involvement in involvements_from_rows(rows, "field"):
        if involvement.target.iri in fields:
            fields[involvement.target.iri].involvements.append(involvement)
    return sorted(
        fields.values(),
        key=lambda f: (f.position is None, f.position or 0, f.concept.iri),
    )


def all_involvements(store: Store, folder: Path = QUERY_FOLDER) -> list[Involvement]:
    """Return every involvement in the graph, by actor."""
    rows = store.select(get_query("involvement-by-actor", folder).sparql)
    return involvements_from_rows(rows, "target")


def strategy_involvements(
    fields: Iterable[ActionField], involvements: Iterable[Involvement]
) -> list[StrategyInvolvement]:
    """Group the involvements in the strategies the action fields belong to, by strategy."""
    by_strategy: dict[str, StrategyInvolvement] = {}
    for action_field in fields:
        for strategy in action_field.strategies:
            by_strategy.setdefault(strategy.iri, StrategyInvolvement(strategy))
    for involvement in involvements:
        entry = by_strategy.get(involvement.target.iri)
        if entry is not None:
            entry.involvements.append(involvement)
    return list(by_strategy.values())


def rank_actors(
    store: Store, involvements: Iterable[Involvement], limit: int = 10
) -> list[ActorRank]:
    """Rank actors by recorded involvements, then by statements that name them."""
    actors: dict[str, Named] = {}
    counts: defaultdict[str, int] = defaultdict(int)
    for involvement in involvements:
        actors.setdefault(involvement.actor.iri, involvement.actor)
        counts[involvement.actor.iri] += 1
    statements = {
        str(row["agent"]): _int(row.get("count")) or 0 for row in store.select(STATEMENT_COUNTS)
    }
    ranks = [ActorRank(actor, counts[iri], statements.get(iri, 0)) for iri, actor in actors.items()]
    ranks.sort(key=lambda r: (-r.involvements, -r.statements, _sort_label(r.actor)))
    return ranks[:limit]


def _sort_label(named: Named) -> str:
    return min((str(label).casefold() for label in named.labels), default=named.iri)


def build_overview(store: Store, folder: Path = QUERY_FOLDER) -> Overview:
    """Collect everything the home page shows, except the inquiry (see `inquiry`)."""
    fields = action_fields(store, folder)
    involvements = all_involvements(store, folder)
    return Overview(
        tiles=count_types(store),
        action_fields=fields,
        strategies=strategy_involvements(fields, involvements),
        top_actors=rank_actors(store, involvements),
    )
