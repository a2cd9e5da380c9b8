"""Giving freed memory back to the system between the steps of a big ingest.

A row is a dict of some thirty entries: too big for Python's small-object allocator, so
glibc's ``malloc`` holds it, and keeps what is freed for later instead of returning it. A
million-row tracker's rows, freed once they are a frame, would stay counted against the
process while it writes the dataset; ``malloc_trim`` returns them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import cache
from typing import Any


@cache
def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def give_back() -> None:
    """Return the memory freed so far to the system, where the C library can (glibc)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
