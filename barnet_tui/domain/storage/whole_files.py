"""Files that appear whole or not at all: written beside their place, then renamed into it.

``tempfile`` makes its files 0600 and its folders 0700, private to their owner; renamed into
place they would hide a refreshed dataset or an export from the colleagues who read it, so
what is written here gets the mode an ordinary ``open`` or ``mkdir`` would give.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def ordinary_mode(full: int) -> int:
    """``full`` (0o666 for a file, 0o777 for a folder) less the user's umask."""
    umask = os.umask(0o022)
    os.umask(umask)
    return full & ~umask


@contextmanager
def written_beside(path: Path, prefix: str) -> Iterator[Path]:
    """A temporary file beside ``path`` (``prefix`` starts its name) to write and then
    rename over ``path``: with the mode of the file it replaces, else a new file's. It is
    removed if it is still there at the end, whatever happened."""
    handle, name = tempfile.mkstemp(prefix=prefix, dir=path.parent)
    temporary = Path(name)
    try:
        os.fchmod(handle, path.stat().st_mode & 0o777 if path.exists() else ordinary_mode(0o666))
        os.close(handle)
        yield temporary
    finally:
        temporary.unlink(missing_ok=True)
