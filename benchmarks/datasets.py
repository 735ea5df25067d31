"""The data the benchmarks run on: generated graphs by size, and a 1,000-triple write into them.

Files are cached under benchmarks/out/data/ by size and seed, so repeated runs reuse them.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from rdflib import RDF, Graph, Literal, Namespace, URIRef

from benchmarks.generate import KASSEL, generate, kassel_files, nt_term
from service.project import ROOT, graph_for_path

OUT = Path(__file__).resolve().parent / "out"
SG = Namespace("https://w3id.org/stadtgraph/ontology#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
SYNTH = "https://w3id.org/stadtgraph/id/synth-{:05d}/"
_UNITS = {"k": 1_000, "m": 1_000_000}


def parse_sizes(text: str) -> list[tuple[str, int]]:
    """Turn '10k,100k,1m' into [('10k', 10000), ('100k', 100000), ('1m', 1000000)]."""
    sizes = []
    for label in (part.strip().lower() for part in text.split(",") if part.strip()):
        match = re.fullmatch(r"(\d+)([km]?)", label)
        if match is None:
            raise ValueError(f"not a size: {label!r} (use e.g. 10k, 100k, 1m)")
        sizes.append((label, int(match[1]) * _UNITS.get(match[2], 1)))
    return sizes


def data_file(label: str, triples: int, seed: int) -> Path:
    """Return the generated graph of this size (N-Quads), generating it once."""
    path = OUT / "data" / f"{label}-seed{seed}.nq"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        generate(triples, seed, partial)
        partial.rename(path)
    return path


def served_file(label: str, triples: int, seed: int) -> Path:
    """Return the generated graph plus the ontology (its own named graph), as a service holds it.

    Every server in the HTTP benchmark gets this same file.
    """
    path = OUT / "data" / f"{label}-seed{seed}-with-ontology.nq"
    if not path.exists():
        source_data = data_file(label, triples, seed)  # (creates the data folder)
        partial = path.with_suffix(".partial")
        with partial.open("w", encoding="utf-8") as out:
            out.write(source_data.read_text(encoding="utf-8"))
            for source in sorted((ROOT / "ontology").glob("*.ttl")):
                graph = graph_for_path(source)
                for s, p, o in Graph().parse(source):
                    out.write(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} <{graph}> .\n")
        partial.rename(path)
    return path


def city_count(data: Path) -> int:
    """Count the synthetic cities of a generated file (their numbers run from 0)."""
    highest = -1
    pattern = re.compile(rb"/id/synth-(\d{5})/")
    with data.open("rb") as stream:
        for line in stream:
            match = pattern.search(line)
            if match:
                highest = max(highest, int(match[1]))
    return highest + 1


class _Template:
    """What a write may point at: Kassel's agents, targets, statements and typed resources."""

    def __init__(self) -> None:
        kassel = Graph()
        for path in kassel_files():
            kassel.parse(path)
        self.graph = kassel

        def local(node: object) -> str:
            return str(node)[len(KASSEL) :]

        def typed(cls: URIRef) -> list[str]:
            return sorted(local(s) for s in kassel.subjects(RDF.type, cls) if _ours(s))

        self.agents = sorted({local(o) for o in kassel.objects(None, PROV.agent) if _ours(o)})
        self.targets = typed(SG.Strategy) + typed(SG.ActionField) + typed(SG.Topic)
        self.statements = typed(SG.Statement)
        self.described = sorted(
            {local(s) for s in kassel.subjects(RDF.type, None) if _ours(s)} - set(self.statements)
        )


def _ours(node: object) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(KASSEL)


def write_file(data: Path, seed: int, triples: int = 1000) -> Path:
    """Write a ~`triples`-triple change into the graph of `data`, as N-Quads in one new graph.

    About an eighth are new statements (copies of a Kassel statement under new IRIs), about
    half new qualified involvements (with the sg:involvedIn shortcut on the existing agent) of
    existing actors in existing strategies, action fields and topics, derived from existing or
    new statements; the rest are edits of existing resources (an editorial note each).
    """
    path = data.with_name(f"{data.stem}-write{triples}-seed{seed}.nq")
    if path.exists():
        return path
    rng = random.Random(seed)
    cities = city_count(data)
    template = _Template()
    graph = f"<https://w3id.org/stadtgraph/graph/bench/write-seed{seed}>"
    lines: list[str] = []

    def quad(s: str, p: URIRef, o: str) -> None:
        lines.append(f"{s} <{p}> {o} {graph} .\n")

    def iri(city: int, local: str) -> str:
        return f"<{SYNTH.format(city)}{local}>"

    new_statements: list[str] = []
    while len(lines) < triples // 8:
        city = rng.randrange(cities)
        original = URIRef(KASSEL + str(rng.choice(template.statements)))
        number = len(new_statements)
        subject = iri(city, f"statement/bench-{seed}-{number}")
        for p, o in template.graph.predicate_objects(original):
            if p == RDFS_LABEL and isinstance(o, Literal):
                o = Literal(f"{o} (Nachtrag {number})", lang=o.language)
            quad(subject, URIRef(str(p)), _renamed(o, city))
        new_statements.append(subject)
    involvement = 0
    while len(lines) < triples * 5 // 8:
        city, other = rng.randrange(cities), rng.randrange(cities)
        agent = iri(city, rng.choice(template.agents))
        target = iri(other, rng.choice(template.targets))
        source = (
            rng.choice(new_statements)
            if rng.random() < 0.5
            else iri(city, rng.choice(template.statements))
        )
        node = f"<https://w3id.org/stadtgraph/id/synth/involvement/bench-{seed}-{involvement}>"
        quad(node, RDF.type, f"<{SG.Involvement}>")
        quad(node, RDFS_LABEL, Literal(f"Nachgetragene Beteiligung {involvement}", lang="de").n3())
        quad(node, PROV.agent, agent)
        quad(node, SG.target, target)
        quad(node, PROV.hadRole, f"<{SG[rng.choice(('Participating', 'Informed'))]}>")
        quad(node, SG.asOf, f'"2019-03-06"^^<{XSD_DATE}>')
        quad(node, PROV.wasDerivedFrom, source)
        quad(agent, SG.involvedIn, target)
        involvement += 1
    edit = 0
    while len(lines) < triples:
        subject = iri(rng.randrange(cities), rng.choice(template.described))
        note = Literal(f"Redaktionell geprüft im Nachtrag {seed}, Punkt {edit}.", lang="de")
        quad(subject, SKOS.editorialNote, note.n3())
        edit += 1
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _renamed(term: object, city: int) -> str:
    if isinstance(term, URIRef) and str(term).startswith(KASSEL):
        return f"<{SYNTH.format(city)}{str(term)[len(KASSEL) :]}>"
    return term.n3()  # type: ignore[attr-defined, no-any-return]
