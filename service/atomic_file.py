"""Write a file so that readers see the old content or the new, never a part."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def replaced_atomically(path: Path) -> Iterator[BinaryIO]:
    """Yield a temporary file beside `path`; when the block ends without error, it replaces
    the file, readable as the umask allows. Through a symbolic link the file it names is
    replaced (the link stays). On an error the temporary file is removed."""
    real = path.resolve()
    handle, temporary = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        umask = os.umask(0)  # (read by setting it: there is no other way)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it for its owner alone
        os.replace(temporary, real)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
