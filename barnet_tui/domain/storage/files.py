"""Reading a file or following a path a user named, with every way it can fail as one
reason: a path is hostile input like any other.

A FIFO or ``/dev/zero`` named as a config or a report would be read until memory runs
out, a symlink loop makes ``Path.resolve`` raise ``RuntimeError``, a NUL byte ``ValueError``,
a 5,000-character name ``OSError``: each becomes a ``FileRefused`` whose ``str()`` is the
reason, for the caller to put after the path in its one line.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

CONFIG_LIMIT = 1_000_000
"""Bytes: no config comes near this (the commented example is 2 kB)."""
REPORT_LIMIT = 200_000_000
"""Bytes: no report comes near this (the largest shipped report is 60 kB of text)."""


class FileRefused(Exception):
    """A path that cannot be used; ``str()`` is why, without the path."""

    def __init__(self, reason: str, missing: bool = False) -> None:
        super().__init__(reason)
        self.missing = missing
        """Nothing is there (callers may word that their own way)."""


def os_reason(error: BaseException) -> str:
    """What an OSError (or pathlib's RuntimeError and ValueError) says, in a few words."""
    if isinstance(error, RuntimeError):  # Path.resolve on a symlink loop
        return "a symbolic link loop"
    if isinstance(error, ValueError):  # os functions refuse a NUL byte
        return "the path contains a NUL byte"
    if isinstance(error, OSError):
        if error.errno == errno.ELOOP:
            return "a symbolic link loop"
        if error.strerror:
            return error.strerror.lower()
        said = str(error).strip()  # Rust's io errors: "File too large (os error 27)"
        return said.splitlines()[0] if said else type(error).__name__
    return type(error).__name__


def _kind(mode: int) -> str:
    kinds = {
        stat.S_ISDIR: "a directory",
        stat.S_ISFIFO: "a FIFO (named pipe)",
        stat.S_ISCHR: "a character device",
        stat.S_ISBLK: "a block device",
        stat.S_ISSOCK: "a socket",
    }
    return next((name for test, name in kinds.items() if test(mode)), "not a regular file")


def _size(count: int) -> str:
    return f"{count / 1_000_000:,.0f} MB" if count >= 1_000_000 else f"{count:,} bytes"


def regular_file_or_error(path: Path, limit: int, what: str = "file") -> bytes:
    """The bytes of ``path`` when it is a regular file of at most ``limit`` bytes;
    FileRefused otherwise. ``what`` names the file in the reason ("config", "report").

    Opened without blocking, so a FIFO with no writer is refused rather than waited on; read
    to one byte past the limit, so a file that grows while read is refused too.
    """
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise FileRefused("no such file", missing=True) from None
    except (OSError, ValueError) as error:
        raise FileRefused(f"cannot be read ({os_reason(error)})") from None
    status = os.fstat(handle)
    too_big = FileRefused(f"is larger than any {what} ({_size(limit)} at most); not read")
    if not stat.S_ISREG(status.st_mode):
        os.close(handle)
        raise FileRefused(f"is {_kind(status.st_mode)}, not a {what} file")
    if status.st_size > limit:  # said at once, not after reading the limit's worth
        os.close(handle)
        raise too_big
    with os.fdopen(handle, "rb") as file:
        try:
            data = _read_up_to(file, status.st_size, limit + 1)
        except OSError as error:
            raise FileRefused(f"cannot be read ({os_reason(error)})") from None
    if len(data) > limit:  # grew while read, or a file whose size says nothing (/proc)
        raise too_big
    return data


def _read_up_to(file: BinaryIO, size: int, most: int) -> bytes:
    """At most ``most`` bytes of ``file``: the size it says it has, then more while it has
    more (it grew, or says nothing of its size, as /proc's files do). Never a buffer of
    ``most`` bytes for a small file: that would take the whole limit's memory for each one;
    and the bytes of a file that kept its size are the buffer first read, never copied (a
    read asked for one byte more than it gets is shrunk by a copy: twice the file at once)."""
    parts = [file.read(min(size, most))] if size else []
    total = len(parts[0]) if parts else 0
    while total < most:
        more = file.read(min(1 << 20, most - total))
        if not more:
            break
        parts.append(more)
        total += len(more)
    if len(parts) == 1:
        return parts[0]
    return b"".join(parts)


def resolved(path: Path) -> Path:
    """``path`` made absolute with its links followed; FileRefused for a symlink loop, a NUL
    byte or a name too long."""
    try:
        return path.resolve()
    except FileNotFoundError:
        raise  # the working directory is gone: the CLI says so in its own words
    except (OSError, RuntimeError, ValueError) as error:
        raise FileRefused(os_reason(error)) from None
