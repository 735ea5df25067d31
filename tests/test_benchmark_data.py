"""The benchmarks' synthetic graph is valid N-Quads that passes the shapes, as the servers and
the gate under test need it to be (a multi-line quote in the Kassel data once made it invalid)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from benchmarks.generate import generate
from service.gate import Gate


def test_the_synthetic_graph_is_n_quads_that_passes_the_shapes(tmp_path: Path) -> None:
    out = tmp_path / "synthetic.nq"
    written = generate(9_000, seed=1, out=out)

    quads = list(ox.parse(path=out, format=ox.RdfFormat.N_QUADS))
    assert len(quads) == written
    assert 8_000 <= written <= 10_000
    assert any("\n" in q.object.value for q in quads if isinstance(q.object, ox.Literal))
    cities = {q.subject.value.split("/id/")[1].split("/")[0] for q in quads}
    assert {"synth-00000", "synth-00001"} <= cities

    triples = ox.serialize(
        [ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES
    )
    union = Graph().parse(data=triples, format="nt")
    report = Gate().validate(union, owned=True)
    assert report.conforms, report.to_text()
