"""Place nodes of large views on the server, so that browsers need not lay out thousands.

Up to SPRING_UP_TO nodes networkx's spring layout (Fruchterman–Reingold, dense) does it in
well under a second. Above that networkx slows down (about 10 s at 600 nodes and 20 s at 2,000
here), so `grid_force_layout` runs the grid variant of Fruchterman–Reingold from their 1991
paper: repulsion only between nodes closer than twice the ideal edge length (found with a k-d
tree), attraction along edges, a weak pull to the centre, a cooling step size. Everything is
seeded. Kamada–Kawai is offered for views up to KAMADA_KAWAI_UP_TO nodes (it is quadratic).
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree  # type: ignore[import-untyped]

SEED = 42
SPRING_UP_TO = 500
KAMADA_KAWAI_UP_TO = 400
METHODS = ("spring", "kamada_kawai")
SPACING = 45.0
"""Median pixels from a node to its nearest neighbour in the returned coordinates."""

Positions = dict[str, tuple[float, float]]


def grid_force_layout(
    graph: nx.Graph[str], iterations: int = 120, seed: int = SEED
) -> dict[str, np.ndarray]:
    """Lay out a graph with grid-variant Fruchterman–Reingold; ideal edge length 1.

    Repulsion k²/d acts only within distance 2 (the grid variant), attraction is a linear
    spring along each edge (it keeps hubs' many leaves from collapsing onto the hub).
    """
    nodes = list(graph)
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    edges = np.array([(index[u], index[v]) for u, v in graph.edges() if u != v], dtype=np.int64)
    edges = edges.reshape(-1, 2)
    rng = np.random.default_rng(seed)
    side = 1.5 * math.sqrt(n)
    position = rng.random((n, 2)) * side
    step = side / 10
    cooling = (0.01 / 10) ** (1 / max(iterations, 1))
    for _ in range(iterations):
        force = np.zeros((n, 2))
        pairs = cKDTree(position).query_pairs(2.0, output_type="ndarray")
        if len(pairs):
            delta = position[pairs[:, 0]] - position[pairs[:, 1]]
            distance = np.maximum(np.linalg.norm(delta, axis=1), 0.01)
            push = delta / (distance**2)[:, None]  # k²/d along the unit vector, k = 1
            _accumulate(force, pairs, push, n)
        if len(edges):
            delta = position[edges[:, 0]] - position[edges[:, 1]]
            distance = np.maximum(np.linalg.norm(delta, axis=1), 0.01)
            _accumulate(force, edges, -delta * ((distance - 1) / distance)[:, None], n)
        force -= 0.02 * (position - position.mean(axis=0))
        length = np.maximum(np.linalg.norm(force, axis=1), 1e-9)
        position += force * (np.minimum(length, step) / length)[:, None]
        step *= cooling
    return {node: position[i] for node, i in index.items()}


def _accumulate(force: np.ndarray, pairs: np.ndarray, push: np.ndarray, n: int) -> None:
    """Add push to the first node of each pair and subtract it from the second."""
    for axis in (0, 1):
        force[:, axis] += np.bincount(pairs[:, 0], push[:, axis], n)
        force[:, axis] -= np.bincount(pairs[:, 1], push[:, axis], n)


def _spacing_scale(raw: dict[str, np.ndarray]) -> float:
    """Scale so that the median distance to the nearest other node is SPACING pixels."""
    points = np.array(list(raw.values()), dtype=float)
    if len(points) < 2:
        return SPACING
    nearest, _ = cKDTree(points).query(points, k=2)
    typical = float(np.median(nearest[:, 1]))
    return SPACING / typical if typical > 0 else SPACING


def layout(graph: nx.Graph[str], method: str = "spring") -> Positions:
    """Place the nodes of graph in pixels, about SPACING apart, the same for the same input."""
    if method not in METHODS:
        raise ValueError(f"unknown layout {method!r}; known: {', '.join(METHODS)}")
    n = graph.number_of_nodes()
    if n == 0:
        return {}
    if method == "kamada_kawai" and n <= KAMADA_KAWAI_UP_TO and nx.is_connected(graph):
        raw = nx.kamada_kawai_layout(graph)
    elif n <= SPRING_UP_TO:
        raw = nx.spring_layout(graph, seed=SEED)
    else:
        raw = grid_force_layout(graph)
    scale = _spacing_scale(raw)
    return {
        node: (round(float(x) * scale, 1), round(float(y) * scale, 1))
        for node, (x, y) in raw.items()
    }
