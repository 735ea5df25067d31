"""Stadtgraph: a knowledge graph of who is involved in what in a city's digital strategy."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("stadtgraph")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
