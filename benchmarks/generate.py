"""Generate seeded synthetic strategy graphs of a given size, valid against shapes/.

Each synthetic city is a copy of the Kassel data with its own IRIs (`…/id/synth-00042/…`),
labels carrying the city number, and one named graph per source file; seeded random
involvements then link actors of one city to the strategies and topics of others, so the
involvement graph is connected the way a region's would be. Output is N-Quads.

    python -m benchmarks.generate --triples 1000000 --seed 1 -o benchmarks/out/1m.nq
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from pathlib import Path

from rdflib import RDF, Graph, Literal, Namespace, URIRef

from service.project import ROOT, graph_for_path
from service.store.terms import to_oxigraph

KASSEL = "https://w3id.org/stadtgraph/id/kassel/"
SG = Namespace("https://w3id.org/stadtgraph/ontology#")
PROV = Namespace("http://www.w3.org/ns/prov#")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
DCTERMS_SOURCE = URIRef("http://purl.org/dc/terms/source")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
# The shapes exempt Kassel's two root sources from stating provenance; their synthetic copies
# name the Kassel original as their source instead.
ROOT_SOURCES = ("doc/quelle-anfrage-digitalisierungsstrategie-2019", "source/projektreferenz")
LABELS = {
    URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
    URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
}


def kassel_files() -> list[Path]:
    return sorted((ROOT / "data" / "kassel").glob("*.ttl"))


def nt_term(term: object) -> str:
    """The N-Triples form of an IRI or literal (rdflib's n3() writes a multi-line literal in
    Turtle's triple quotes, which N-Quads does not allow)."""
    if isinstance(term, Literal):
        return str(to_oxigraph(term, {}))
    return term.n3()  # type: ignore[attr-defined, no-any-return]


def _rename(term: object, base: str, number: int) -> object:
    if isinstance(term, URIRef) and str(term).startswith(KASSEL):
        return URIRef(base + str(term)[len(KASSEL) :])
    return term


def city_quads(templates: list[tuple[str, Graph]], number: int) -> Iterator[str]:
    """Yield the N-Quads lines of synthetic city `number`."""
    base = f"https://w3id.org/stadtgraph/id/synth-{number:05d}/"
    for graph_name, template in templates:
        graph = f"<{graph_name.replace('/kassel/', f'/synth-{number:05d}/')}>"
        for s, p, o in template:
            o2 = _rename(o, base, number)
            if p in LABELS and isinstance(o, Literal):
                o2 = Literal(f"{o} {number}", lang=o.language)
            yield f"{nt_term(_rename(s, base, number))} {nt_term(p)} {nt_term(o2)} {graph} .\n"
        for root in ROOT_SOURCES:
            if (URIRef(KASSEL + root), RDF.type, None) in template:
                yield f"<{base}{root}> {nt_term(DCTERMS_SOURCE)} <{KASSEL}{root}> {graph} .\n"


def cross_involvements(rng: random.Random, cities: int, count: int) -> Iterator[str]:
    """Yield involvements of one city's enterprises in other cities' strategies."""
    agents = ("org/kvv", "org/gwg", "org/glh", "org/verwaltung", "org/seniorenbeirat")
    roles = ("Participating", "Informed", "ContributingIdeas")
    graph = "<https://w3id.org/stadtgraph/graph/synth/cross-involvement>"
    for index in range(count):
        a, b = rng.randrange(cities), rng.randrange(cities)
        agent = f"<https://w3id.org/stadtgraph/id/synth-{a:05d}/{rng.choice(agents)}>"
        target = f"<https://w3id.org/stadtgraph/id/synth-{b:05d}/strategy/gesamtstrategie>"
        source = f"<https://w3id.org/stadtgraph/id/synth-{a:05d}/statement/s22-staedtische-betriebe-eingebunden>"
        node = f"<https://w3id.org/stadtgraph/id/synth/involvement/x{index:07d}>"
        for p, o in (
            (nt_term(RDF.type), nt_term(SG.Involvement)),
            (nt_term(RDFS_LABEL), nt_term(Literal(f"Synthetische Beteiligung {index}", lang="de"))),
            (nt_term(PROV.agent), agent),
            (nt_term(SG.target), target),
            (nt_term(PROV.hadRole), nt_term(SG[rng.choice(roles)])),
            (nt_term(SG.asOf), f'"2019-03-06"^^<{XSD_DATE}>'),
            (nt_term(PROV.wasDerivedFrom), source),
        ):
            yield f"{node} {p} {o} {graph} .\n"
        yield f"{agent} {nt_term(SG.involvedIn)} {target} {graph} .\n"


def generate(triples: int, seed: int, out: Path) -> int:
    """Write about `triples` quads to `out`; return the number written."""
    rng = random.Random(seed)
    templates = [(graph_for_path(p), Graph().parse(p)) for p in kassel_files()]
    per_city = sum(len(g) for _, g in templates) + sum(
        (URIRef(KASSEL + root), RDF.type, None) in g for _, g in templates for root in ROOT_SOURCES
    )
    cities = max(1, round(triples * 0.97 / per_city))
    cross = max(0, (triples - cities * per_city) // 8)
    written = 0
    with out.open("w", encoding="utf-8") as stream:
        for number in range(cities):
            for line in city_quads(templates, number):
                stream.write(line)
                written += 1
        for line in cross_involvements(rng, cities, cross):
            stream.write(line)
            written += 1
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    count = generate(args.triples, args.seed, args.output)
    print(f"wrote {count:,} quads to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
