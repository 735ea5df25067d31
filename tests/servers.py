"""Real servers for tests: an in-memory `oxigraph serve` on a free loopback port."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
START_TIMEOUT = 20.0


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _answers(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/query?query=ASK%7B%7D", timeout=1) as response:
            return bool(response.status == 200)
    except urllib.error.HTTPError as error:
        error.close()
        return False
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def running_oxigraph(*, union_default_graph: bool = True) -> Iterator[str]:
    """Start an in-memory `oxigraph serve`, yield its base URL, and stop it afterwards.

    The SPARQL endpoints are `{base}/query` and `{base}/update`, the Graph Store `{base}/store`.
    """
    if not OXIGRAPH.exists():
        raise RuntimeError(f"no oxigraph binary at {OXIGRAPH}; install the dev extras")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [str(OXIGRAPH), "serve", "--bind", f"127.0.0.1:{port}"]
    if union_default_graph:
        command.append("--union-default-graph")
    with (
        tempfile.TemporaryFile() as log,
        subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log) as process,
    ):
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not _answers(base_url):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    output = log.read().decode(errors="replace").strip()
                    raise RuntimeError(f"oxigraph serve did not start on {base_url}: {output}")
                time.sleep(0.05)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def serving_handler(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve a test's own request handler on a free port; yield its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
