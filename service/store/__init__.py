"""Quad stores spoken to in SPARQL 1.1: the embedded pyoxigraph store and remote endpoints."""

from __future__ import annotations

from pathlib import Path

from service.store.base import (
    Dataset,
    Node,
    Quad,
    QueryEvaluationError,
    QuerySyntaxError,
    RdfFormat,
    SelectResult,
    Store,
    StoreError,
    Triple,
    WriteOutcomeUnknown,
)
from service.store.oxigraph import OxigraphStore
from service.store.remote import RemoteStore


def open_store(
    *,
    path: Path | None = None,
    endpoint: str | None = None,
    update_endpoint: str | None = None,
    gsp_endpoint: str | None = None,
    user: str | None = None,
    password: str | None = None,
    serve_from_memory: bool = True,
    read_only: bool = False,
    timeout: float = 30.0,
) -> Store:
    """Open a remote store when endpoint is given, else the embedded one at path (None: memory).

    Without explicit update and Graph Store URLs, they are derived the way `oxigraph serve`
    lays them out: `…/query` becomes `…/update` and `…/store`.
    """
    if endpoint is None:
        return OxigraphStore(path, serve_from_memory=serve_from_memory, read_only=read_only)
    base = endpoint[: -len("/query")] if endpoint.endswith("/query") else None
    if update_endpoint is None and base is not None:
        update_endpoint = f"{base}/update"
    if gsp_endpoint is None and base is not None:
        gsp_endpoint = f"{base}/store"
    return RemoteStore(
        endpoint,
        update_url=update_endpoint,
        gsp_url=gsp_endpoint,
        user=user,
        password=password,
        timeout=timeout,
    )


__all__ = [
    "Dataset",
    "Node",
    "OxigraphStore",
    "Quad",
    "QueryEvaluationError",
    "QuerySyntaxError",
    "RdfFormat",
    "RemoteStore",
    "SelectResult",
    "Store",
    "StoreError",
    "Triple",
    "WriteOutcomeUnknown",
    "open_store",
]
