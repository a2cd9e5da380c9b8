"""The permissions a file or folder written under a temporary name should end with.

``tempfile`` makes its files 0600 and its folders 0700, private to their owner; renamed into
place they would hide a refreshed dataset or an export from the colleagues who read it.
"""

from __future__ import annotations

import os


def ordinary_mode(full: int) -> int:
    """``full`` (0o666 for a file, 0o777 for a folder) less the user's umask: the mode a
    plain ``open`` or ``mkdir`` gives."""
    umask = os.umask(0o022)
    os.umask(umask)
    return full & ~umask
