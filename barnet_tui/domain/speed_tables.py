"""Tables for speed for any dataset: found where they are fresh, else built once.

Ingest writes the tables for speed (``derived.py``) beside the indicators. A dataset
written by another tool to the contract has none, or has stale ones; its readers would
read every indicator row for the summary. So a reader that needs one looks for it, fresh
(its fingerprint of the indicators matches), in two places: beside the tables, then in
the user's cache (``$XDG_CACHE_HOME/barnet-tui/speed/<key>``, the key a hash of the
indicators' fingerprint, so a changed file is a new key). When neither has it, it is built
from the indicators and written to the first of those places it can write to, as ingest
writes: into a file beside it, renamed into place, so no reader sees half of one.

Readers building at once build once: the builder holds a lock file in the place it
writes, and the others wait for it, then find the table fresh. A folder ingest wrote
(a generation) may hold these files between ingests: ingest knows them by their prefix.

In a store the fingerprint costs a ranged GET of each file's end (its Parquet footer),
never a whole file; a table built for a store-only dataset is PUT into the store's
generation when the credentials allow it, else written to the cache.

Only the tables the views read first are built: ``period_counts`` (the summary, switching
period, the list of periods) and ``current_indicators`` (the default quick check).
``indicators_by_ref`` is every row again sorted by ref: building it takes a sort of every
row, more memory than the explorer may hold at 20M rows, so only ingest writes it, and
without it an indicator's history reads its ref's rows from the indicators.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import polars as pl

from barnet_tui.domain.derived import (
    ROW_GROUP,
    STAMP,
    current_indicators,
    fingerprint_of,
    footer,
    period_counts,
    stamp_in,
)
from barnet_tui.domain.storage.location import (
    RemoteFile,
    RemoteFolder,
    S3Location,
    S3Settings,
    TableFile,
)
from barnet_tui.domain.storage.remote import StorageError, put_file, remote_footer, scan_parquet

BUILT: Final = ("period_counts", "current_indicators")
"""The tables a reader builds when a dataset lacks them (see the module's docstring)."""
PREFIX: Final = ".barnet-tui-speed-"
"""What every file a reader makes beside the tables is named with, but the tables."""
LOCK: Final = f"{PREFIX}lock"

_BUILDERS: dict[str, Callable[[pl.LazyFrame], pl.DataFrame]] = {
    "period_counts": period_counts,
    "current_indicators": current_indicators,
}


def cache_root() -> Path | None:
    """``$XDG_CACHE_HOME/barnet-tui/speed`` (``~/.cache`` without it); None without a home."""
    base = Path(os.environ.get("XDG_CACHE_HOME", ""))
    if not base.is_absolute():  # the XDG rule: a relative path is to be ignored
        try:
            base = Path.home() / ".cache"
        except (RuntimeError, KeyError):
            return None
    return base / "barnet-tui" / "speed"


def cache_folder(fingerprint: str) -> Path | None:
    """Where the cache keeps the tables of the indicators with ``fingerprint``."""
    root = cache_root()
    return None if root is None else root / hashlib.sha256(fingerprint.encode()).hexdigest()[:32]


def _footer(file: TableFile) -> tuple[int, bytes] | None:
    return remote_footer(file) if isinstance(file, RemoteFile) else footer(file)


def indicators_fingerprint(tables: Path | RemoteFolder) -> str | None:
    """The fingerprint of the indicators in ``tables``; None when they are not Parquet (or,
    in a store, cannot be had now)."""
    found = _footer(tables / "indicators.parquet")
    return None if found is None else fingerprint_of(*found)


def fresh_file(file: TableFile, fingerprint: str) -> bool:
    """Whether the derived table ``file`` was computed from indicators with ``fingerprint``."""
    found = _footer(file)
    return found is not None and stamp_in(found[1]) == fingerprint


def _places(tables: Path | RemoteFolder, fingerprint: str) -> list[Path | RemoteFolder]:
    cache = cache_folder(fingerprint)
    return [tables] if cache is None else [tables, cache]


def find(tables: Path | RemoteFolder, table: str, fingerprint: str) -> TableFile | None:
    """The fresh ``table`` beside the tables or in the cache, if there is one. In a store,
    one only ingest writes is looked for only where the manifest lists it (no request)."""
    for place in _places(tables, fingerprint):
        file = place / f"{table}.parquet"
        if isinstance(file, RemoteFile) and table not in BUILT and not file.is_file():
            continue
        if fresh_file(file, fingerprint):
            return file
    return None


def speed_table(
    tables: Path | RemoteFolder, table: str, build: bool = True, fingerprint: str | None = None
) -> TableFile | None:
    """``table`` (one of ``derived.DERIVED_TABLES``) fresh for the indicators in ``tables``
    (whose ``fingerprint`` is read if not given): found, or (with ``build``, for a table of
    :data:`BUILT`) built now and written where it can be. None when there is none and it
    cannot be written anywhere: then compute from the rows."""
    fingerprint = fingerprint or indicators_fingerprint(tables)
    if fingerprint is None:
        return None
    found = find(tables, table, fingerprint)
    if found is not None or not build or table not in BUILT:
        return found
    return _build(tables, table, fingerprint)


def build_speed_tables(tables: Path | RemoteFolder) -> list[str]:
    """Each table of :data:`BUILT` the indicators in ``tables`` lack, built and kept where
    it can be (what the explorer does after its first summary of such a dataset); the
    names of those now fresh."""
    fingerprint = indicators_fingerprint(tables)
    if fingerprint is None:
        return []
    return [
        table
        for table in BUILT
        if find(tables, table, fingerprint) or _build(tables, table, fingerprint)
    ]


def _build(tables: Path | RemoteFolder, table: str, fingerprint: str) -> TableFile | None:
    """Build ``table`` once into the first place that takes it; None if none does."""
    computed: list[pl.DataFrame] = []

    def frame() -> pl.DataFrame:
        if not computed:
            computed.append(_BUILDERS[table](scan_parquet(tables / "indicators.parquet")))
        return computed[0]

    for place in _places(tables, fingerprint):
        lock_folder = place if isinstance(place, Path) else cache_folder(fingerprint)
        try:
            with _building(lock_folder):
                file = place / f"{table}.parquet"
                if fresh_file(file, fingerprint):  # built while this one waited
                    return file
                rows = frame()
                if indicators_fingerprint(tables) != fingerprint:
                    return None  # the indicators changed while read: stamp nothing
                _write(rows, place, table, fingerprint)
                return file
        except (OSError, StorageError, pl.exceptions.PolarsError):
            continue  # not writable there (a read-only folder, no credentials to PUT)
    return None


@contextmanager
def _building(folder: Path | None) -> Iterator[None]:
    """Hold the lock on building in ``folder`` (none without one), waiting for another
    builder; leftovers of a builder that was killed are removed then."""
    if folder is None:
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK
    while True:
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
        handle = os.open(path, flags, 0o666)
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            current = os.path.samestat(os.fstat(handle), os.lstat(path))
        except OSError:
            current = False
        if current:  # else the builder before removed it: lock the one there now
            break
        os.close(handle)
    try:
        for leftover in folder.iterdir():
            if leftover.name.startswith(PREFIX) and leftover.name != LOCK:
                leftover.unlink(missing_ok=True)
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(handle)


def _write(rows: pl.DataFrame, place: Path | RemoteFolder, table: str, fingerprint: str) -> None:
    """``rows`` as ``table`` in ``place``, whole or not at all, stamped with ``fingerprint``."""
    staging = Path(place) if isinstance(place, Path) else Path(tempfile.gettempdir())
    temporary = staging / f"{PREFIX}{secrets.token_hex(8)}-{table}.parquet"
    try:
        rows.write_parquet(
            temporary, statistics=True, row_group_size=ROW_GROUP, metadata={STAMP: fingerprint}
        )
        if isinstance(place, RemoteFolder):
            put_file(place / f"{table}.parquet", temporary)
            return
        temporary.replace(place / f"{table}.parquet")
        (place / f"{table}.csv").unlink(missing_ok=True)  # a copy of the stale table
    finally:
        temporary.unlink(missing_ok=True)


def start_building(tables: Path | RemoteFolder) -> subprocess.Popen[bytes]:
    """Build the tables for speed of ``tables`` in a process of its own (``main``), at a
    low priority: the explorer that starts it stays as small and quick as it was, quits
    at once, and the tables are there for the next open even if it has quit. Where the
    tables are goes to it on its stdin (a store's settings hold its credentials)."""
    if isinstance(tables, Path):
        where: dict[str, Any] = {"folder": str(tables)}
    else:
        location = tables.location
        where = {
            "bucket": location.bucket,
            "prefix": location.prefix,
            "settings": dataclasses.asdict(location.settings),
            "generation": tables.generation,
            "files": sorted(tables.files),
        }
    process = subprocess.Popen(
        [sys.executable, "-m", "barnet_tui.domain.speed_tables"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a Ctrl-C for the explorer is not for it
    )
    assert process.stdin is not None
    with contextlib.suppress(OSError):
        process.stdin.write(json.dumps(where).encode())
    with contextlib.suppress(OSError):
        process.stdin.close()
    # Reaped when it ends, by a thread that holds it till then, whoever drops it first.
    threading.Thread(target=process.wait, name="speed-tables", daemon=True).start()
    return process


def main() -> int:
    """The building process ``start_building`` starts."""
    with contextlib.suppress(OSError):
        os.nice(10)
    where = json.loads(sys.stdin.read())
    tables: Path | RemoteFolder
    if "folder" in where:
        tables = Path(where["folder"])
        # Held as a reader holds it, so an ingest never removes the folder mid-build.
        held = os.open(tables, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(held, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return 0  # being removed: there is nothing to build for
        except OSError:
            pass  # a filesystem without locks: read as readers do there, unlocked
    else:
        location = S3Location(where["bucket"], where["prefix"], S3Settings(**where["settings"]))
        tables = RemoteFolder(location, where["generation"], frozenset(where["files"]))
    build_speed_tables(tables)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
