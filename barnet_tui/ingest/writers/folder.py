"""Writing a dataset directory: Parquet + CSV per table and the manifest, never losing data.

A dataset is recognised by its own manifest: a format marker and the list of files the
ingest that wrote it wrote. Refreshing one replaces those files and nothing else, so a
user's notes or a web app's ``src/`` beside them survive (with a warning that they are
there). A folder that is not a dataset is never written into.

One generation at a time (``domain/storage/generations.py``): the tables are written into a hidden
staging folder inside the target folder (the same filesystem, wherever ``--out`` points: a
symlink is followed to its target), which is renamed whole into a new ``gen-<hash>`` folder;
then ``manifest.json``, which names that folder, replaces the old manifest in one rename.
A reader sees the old generation or the new one, never a mix; a run that fails or is killed
before that rename leaves the old dataset as it was. Then the generations no reader holds
are removed, and the next ingest removes whatever a killed run left behind.
"""

from __future__ import annotations

import fcntl
import hashlib
import itertools
import json
import os
import re
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, TextIO

import polars as pl

from barnet_tui.domain.contract import (
    MANIFEST_FORMAT,
    MANIFEST_FORMATS,
    MANIFEST_NAME,
    TABLES,
)
from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.speed_tables import PREFIX as SPEED_PREFIX
from barnet_tui.domain.storage.files import FileRefused, os_reason, resolved
from barnet_tui.domain.storage.generations import (
    GENERATION_NAME,
    GENERATION_PREFIX,
    GenerationError,
    generation_name,
    manifest_or_error,
    read_manifest,
    try_exclusive,
)
from barnet_tui.domain.storage.whole_files import ordinary_mode, written_beside
from barnet_tui.ingest.corrections import CORRECTIONS_NAME
from barnet_tui.ingest.errors import IngestError
from barnet_tui.ingest.writers.table_files import Table, csv_copy, with_derived, write_table
from barnet_tui.ingest.writers.watched import ensure_watched

STAGING_PREFIX = ".barnet-tui-staging-"
REMOVING_PREFIX = ".barnet-tui-removing-"
LOCK_NAME = ".barnet-tui.lock"
WRITABLE = frozenset(
    {f"{table}.{kind}" for table in TABLES for kind in ("parquet", "csv")}
    | {MANIFEST_NAME, "corrections.csv"}
)
"""Every file name ingest can write: the only files it will ever replace or delete."""
_SHOWN = 5
_JOURNAL_READ = 100_000
"""Characters of the lock file read for its journal: a few records; never a huge file."""


def dataset_files(manifest: Any) -> set[str] | None:
    """The files a manifest says its ingest wrote; None when it is not a barnet-tui one.

    Knows the manifests barnet-tui wrote before the format marker (``"generator":
    "barnet-tui ..."``, files listed per table). Only names ingest can write count, so a
    manifest can never make ingest delete anything else.
    """
    if not isinstance(manifest, dict):
        return None
    if manifest.get("format") in MANIFEST_FORMATS:
        listed = manifest.get("files")
    elif str(manifest.get("generator", "")).startswith("barnet-tui ") and isinstance(
        manifest.get("tables"), dict
    ):
        listed = [MANIFEST_NAME]
        for table in manifest["tables"].values():
            listed += table.get("files", []) if isinstance(table, dict) else []
        corrections = manifest.get("corrections_file")
        if isinstance(corrections, dict):
            listed.append(corrections.get("file"))
    else:
        return None
    if not isinstance(listed, list):
        return None
    return {name for name in listed if name in WRITABLE}


def _shown(path: Path) -> str:
    return literal(str(path))


class Existing(NamedTuple):
    """What is in ``--out`` before an ingest writes there."""

    files: set[str]
    """Top-level files its manifest says ingest wrote (a dataset from before generations)."""
    manifest: dict[str, Any] | None
    notes: list[str]
    """What the user should be told about it."""


def out_folder(out: Path) -> Path:
    """``--out`` followed to the folder to write into, checked before any report is read;
    IngestError for a path that cannot be followed or a folder ingest must not write into."""
    try:
        target = resolved(out)
    except FileRefused as refused:
        raise IngestError(f"--out {_shown(out)}: {refused}") from None
    _existing_dataset(target, out)
    return target


def _existing_dataset(target: Path, out: Path) -> Existing:
    """What the dataset in ``target`` is (nothing, for a new or empty folder); IngestError for
    anything that is not a barnet-tui dataset, or a folder that cannot be read."""
    try:
        return _existing(target, out)
    except OSError as error:
        raise IngestError(f"--out {_shown(out)}: cannot be read ({os_reason(error)})") from None


def _existing(target: Path, out: Path) -> Existing:
    if not target.exists():
        return Existing(set(), None, [])
    if not target.is_dir():
        raise IngestError(f"--out {_shown(out)}: exists and is not a directory")
    entries = [entry for entry in target.iterdir() if not _ours(entry.name)]
    if not os.access(target, os.W_OK | os.X_OK):  # said before any report is read
        raise IngestError(f"--out {_shown(out)}: cannot write there (permission denied)")
    if not entries:
        return Existing(set(), None, [])
    refuse = f"--out {_shown(out)}: exists and is not a barnet-tui dataset"
    if not (target / MANIFEST_NAME).is_file():
        raise IngestError(f"{refuse} (no {MANIFEST_NAME}); refusing to write into it")
    try:
        manifest = manifest_or_error(target)
    except GenerationError as error:
        if not (target / LOCK_NAME).is_file():  # no sign ingest ever wrote here
            raise IngestError(
                f"{refuse} (its {MANIFEST_NAME} cannot be read); refusing to write into it"
            ) from None
        reason = str(error).split(";")[0]
        return Existing(set(), None, [f"{_shown(out)}: {reason}; it is replaced"])
    files = dataset_files(manifest)
    if files is None:
        raise IngestError(
            f"{refuse} (its {MANIFEST_NAME} was not written by barnet-tui); "
            "refusing to write into it"
        )
    return Existing(files, manifest, [])


class Journal:
    """What an ingest records in the folder's lock file before it makes an entry there, so
    the next one removes exactly what a killed run left, and nothing merely named like it.

    The file's first line says who holds the lock; then one record a line: ``run TOKEN``
    (every staging entry of that run is named ``<prefix>TOKEN-...``), ``placed gen-…`` (a
    generation renamed into place: the current one, or one never switched to) and
    ``retired gen-…`` (an old generation a reader held when it was due to go)."""

    def __init__(self, handle: TextIO, previous: list[tuple[str, str]]) -> None:
        self._handle = handle
        self.previous = previous
        """The records of the runs before this one."""
        self.token = secrets.token_hex(8)
        self._records = [("run", self.token), *previous]
        self._write()

    def prefix(self, kind: str) -> str:
        """What this run's staging (or removal) entries' names start with."""
        return f"{kind}{self.token}-"

    def note(self, kind: str, name: str) -> None:
        """Record an entry before it is made."""
        self._records.append((kind, name))
        self._write()

    def recorded(self, name: str) -> bool:
        """Whether the entry ``name`` is one the journal says ingest made."""
        for kind, value in self._records:
            if kind != "run" and name == value:
                return True
            if kind == "run" and name.startswith(
                (f"{STAGING_PREFIX}{value}-", f"{REMOVING_PREFIX}{value}-")
            ):
                return True
        return False

    def previous_of(self, kind: str) -> list[str]:
        return [name for record, name in self.previous if record == kind]

    def keep_only(self, records: list[tuple[str, str]]) -> None:
        """What is still to be removed, for the next run: all this run leaves recorded."""
        self._records = records
        self._write()

    def _write(self) -> None:
        lines = [f"{datetime.now():%H:%M} (pid {os.getpid()})"]
        lines += [f"{kind} {name}" for kind, name in dict.fromkeys(self._records)]
        self._handle.seek(0)
        self._handle.write("\n".join(lines) + "\n")
        self._handle.truncate()
        self._handle.flush()


_RECORD = re.compile(r"(run [0-9a-f]{16}|(?:placed|retired) gen-[0-9a-f]{12})")


def _records(text: str) -> list[tuple[str, str]]:
    """The records a journal holds; anything else in the file (a line half written when its
    run was killed, or another program's text) is no record."""
    found = []
    for line in text.splitlines()[1:]:
        if _RECORD.fullmatch(line):
            kind, name = line.split(" ")
            found.append((kind, name))
    return found


def _lock_file(target: Path, out: Path) -> TextIO:
    """The folder's lock file, opened to read and rewrite; never a link followed out of the
    folder, nor a FIFO waited on."""
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        descriptor = os.open(target / LOCK_NAME, flags, ordinary_mode(0o666))
    except OSError as error:
        raise IngestError(f"--out {_shown(out)}: cannot write there ({os_reason(error)})") from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise IngestError(f"--out {_shown(out)}: its {LOCK_NAME} is not a file ingest wrote")
    return os.fdopen(descriptor, "r+", encoding="utf-8", errors="replace")


@contextmanager
def _one_at_a_time(target: Path, out: Path, wait: bool) -> Iterator[Journal]:
    """Hold the folder's ingest lock: two ingests into one folder would interleave their
    files. The kernel drops the lock when its holder dies, so a killed run never leaves it
    held; the file says who holds it, for the message the next one gets, and is the journal
    of what ingest made in the folder."""
    handle = _lock_file(target, out)
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            handle.seek(0)
            said = handle.read().strip().splitlines()
            holder = literal(said[0]) if said else "an unknown time"
            raise IngestError(
                f"--out {_shown(out)}: another ingest is running since {holder}; "
                "nothing written (--wait waits for it)"
            ) from None
        handle.seek(0)
        yield Journal(handle, _records(handle.read(_JOURNAL_READ)))


def write_dataset(
    out: Path,
    tables: Mapping[str, pl.DataFrame],
    manifest: dict[str, Any],
    extra_files: Mapping[str, bytes],
    wait: bool = False,
    all_csv: bool = False,
) -> list[str]:
    """Write the dataset to ``out``, replacing only the files of the dataset already there;
    one ingest at a time (``wait`` for another to finish, else IngestError). The tables
    derived for speed (``domain/derived.py``) are computed here, after the indicators.
    Each table's CSV copy is written while it fits a spreadsheet, or always (``all_csv``).

    Returns what a user should be told (files in the folder that ingest did not write).
    """
    every = with_derived(tables)
    target = out_folder(out)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise IngestError(f"--out {_shown(out)}: cannot write there ({error.strerror})") from None
    with _one_at_a_time(target, out, wait) as journal:
        existing = _existing_dataset(target, out)  # again: another ingest may have written
        _refuse_edited(target, out, extra_files, existing.manifest)
        told = _write(target, out, every, manifest, extra_files, existing, journal, all_csv)
        return existing.notes + told


def _refuse_edited(
    target: Path, out: Path, extra_files: Mapping[str, bytes], manifest: dict[str, Any] | None
) -> None:
    """IngestError when a file about to be replaced holds something else than both what
    replaces it and what the last ingest wrote there: someone edited it (reviewed
    corrections), and replacing it would lose their edits without a word."""
    recorded = manifest.get("corrections_file") if manifest else None
    written = recorded.get("sha256") if isinstance(recorded, dict) else None
    for name, data in extra_files.items():
        try:
            there = (target / name).read_bytes()
        except FileNotFoundError:
            continue
        except OSError as error:
            raise IngestError(
                f"--out {_shown(out)}: cannot read its {name} ({os_reason(error)})"
            ) from None
        if there == data or hashlib.sha256(there).hexdigest() == written:
            continue
        raise IngestError(
            f"{_shown(target / name)} differs from the {name} applied, and was not written by "
            f"ingest; nothing written (apply it with --corrections {_shown(target / name)}, "
            "or move it away)"
        )


def _write(
    target: Path,
    out: Path,
    tables: Mapping[str, Table],
    manifest: dict[str, Any],
    extra_files: Mapping[str, bytes],
    existing: Existing,
    journal: Journal,
    all_csv: bool = False,
) -> list[str]:
    current = generation_name(existing.manifest)
    try:
        _remove_leftovers(target, journal, current)
        staging = Path(tempfile.mkdtemp(prefix=journal.prefix(STAGING_PREFIX), dir=target))
        staging.chmod(ordinary_mode(0o777))  # mkdtemp's is 0700: colleagues read the generation
    except OSError as error:
        raise IngestError(f"--out {_shown(out)}: cannot write there ({error.strerror})") from None
    generation = None
    ours = {*journal.previous_of("placed"), *journal.previous_of("retired")}
    ours |= {current} if current else set()
    try:
        for name, frame in tables.items():
            write_table(frame, staging, name, csv_copy(frame.height, all_csv))
        generation = _place_generation(staging, target, out, journal, ours)
        for name, data in extra_files.items():
            _replace(target / name, data, journal)
        top = sorted({*extra_files, MANIFEST_NAME})
        files = [f"{generation}/{name}" for name in sorted(_names(target / generation))] + top
        manifest = {"format": MANIFEST_FORMAT, **manifest, "generation": generation, "files": files}
        ensure_watched()
        _replace(target / MANIFEST_NAME, json_pieces(manifest), journal)  # the switch
    except (OSError, pl.exceptions.PolarsError) as error:  # Polars wraps a full disk its way
        if generation and generation != generation_name(read_manifest(target)):
            _remove(target / generation, journal)  # placed, never switched to
        raise IngestError(
            f"--out {_shown(out)}: cannot write the dataset ({_write_failure(error)}); "
            "the dataset there is as it was"
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    # Tables of a dataset from before generations; reviewed corrections are never removed.
    for name in sorted(existing.files - set(top) - {CORRECTIONS_NAME}):
        (target / name).unlink(missing_ok=True)
    _remove_old_generations(target, generation, ours, journal)
    kept = sorted(
        entry.name + ("/" if entry.is_dir() else "")
        for entry in target.iterdir()
        if entry.name not in {*top, LOCK_NAME} and not journal.recorded(entry.name)
    )
    if not kept:
        return []
    listed = ", ".join(literal(name) for name in kept[:_SHOWN])
    more = f" and {len(kept) - _SHOWN} more" if len(kept) > _SHOWN else ""
    noun = "file" if len(kept) == 1 else "files"
    return [f"kept {len(kept)} {noun} ingest did not write in {_shown(out)}: {listed}{more}"]


def _write_failure(error: Exception) -> str:
    """Why a write failed, in a few words: an OSError's own, or the OS error Polars quotes
    ("File too large (os error 27)")."""
    if isinstance(error, OSError):
        return error.strerror or os_reason(error)
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return literal(message.rsplit(": ", 1)[-1])


def _ours(name: str) -> bool:
    """Named like the lock, a staging or removal entry, or a generation: left out of whether
    a folder is empty (never what decides a removal, nor what a user is told is kept)."""
    return (
        name == LOCK_NAME
        or name.startswith((STAGING_PREFIX, REMOVING_PREFIX))
        or GENERATION_NAME.fullmatch(name) is not None
    )


def _names(folder: Path) -> set[str]:
    return {entry.name for entry in folder.iterdir()}


def _tables_and_speed(folder: Path) -> set[str]:
    """The names in a generation folder but what a reader building its tables for speed
    left there (``speed_tables``: its lock, or a file of a builder that was killed)."""
    return {name for name in _names(folder) if not name.startswith(SPEED_PREFIX)}


def _generation_of(staging: Path) -> str:
    """The generation's name, from its tables' CSV (the same rows give the same name, on
    any Polars: the Parquet bytes say which Polars wrote them); a table written without
    its CSV copy (longer than a spreadsheet) by its Parquet, read in pieces."""
    digest = hashlib.sha256()
    csv = {path.stem for path in staging.glob("*.csv")}
    hashed = sorted(
        path
        for path in staging.iterdir()
        if path.suffix == ".csv" or (path.suffix == ".parquet" and path.stem not in csv)
    )
    for path in hashed:
        digest.update(path.name.encode() + b"\0")
        with path.open("rb") as file:
            while piece := file.read(1 << 20):
                digest.update(piece)
        digest.update(b"\0")
    return f"{GENERATION_PREFIX}{digest.hexdigest()[:12]}"


def _place_generation(
    staging: Path, target: Path, out: Path, journal: Journal, ours: set[str]
) -> str:
    """The staged tables, renamed whole into their generation folder; a generation with the
    same tables already there is kept as it is (readers may hold it). A folder of that name
    that no manifest or journal says ingest wrote is someone's, and stops the ingest."""
    generation = _generation_of(staging)
    folder = target / generation
    if os.path.lexists(folder) and generation not in ours:
        raise IngestError(
            f"--out {_shown(out)}: {generation} is there, and ingest did not write it; "
            "nothing written (move it away and ingest again)"
        )
    if folder.is_dir() and _names(folder) != _names(staging) and not _remove(folder, journal):
        raise IngestError(
            f"--out {_shown(out)}: {generation}/ is damaged and in use; "
            "close the explorers reading it and ingest again"
        )
    if not folder.is_dir():
        journal.note("placed", generation)
        staging.rename(folder)
    return generation


_PIECES = 8192
"""Pieces of text joined per write: a JSON encoder yields a few characters at a time."""


def json_pieces(record: Mapping[str, Any]) -> Iterator[str]:
    """A manifest's JSON text (indented, UTF-8 as is, a newline at the end) in the pieces
    the encoder makes: a long report's warnings make tens of MB, never held whole (and
    again as bytes) at the ingest's peak."""
    return itertools.chain(json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(record), "\n")


def write_pieces(file: BinaryIO, pieces: Iterable[str]) -> None:
    """Text made in pieces, written to ``file`` as UTF-8 a batch at a time."""
    pending: list[str] = []
    for piece in pieces:
        pending.append(piece)
        if len(pending) >= _PIECES:
            file.write("".join(pending).encode("utf-8"))
            pending.clear()
    file.write("".join(pending).encode("utf-8"))


def _replace(path: Path, data: bytes | Iterable[str], journal: Journal) -> None:
    """``path`` holds ``data`` (bytes, or text in pieces written as they come) or what it
    held before, never a part: written beside it, then renamed over it."""
    with written_beside(path, journal.prefix(STAGING_PREFIX)) as temporary:
        with temporary.open("wb") as file:
            if isinstance(data, bytes):
                file.write(data)
            else:
                write_pieces(file, data)
            file.flush()
            os.fsync(file.fileno())
        temporary.replace(path)


def _remove_leftovers(target: Path, journal: Journal, current: str | None) -> None:
    """What killed runs left, as their journal records it: staging folders and files,
    generations half removed, and generations placed but never switched to."""
    prefixes = tuple(
        f"{kind}{token}-"
        for token in journal.previous_of("run")
        for kind in (STAGING_PREFIX, REMOVING_PREFIX)
    )
    for leftover in target.iterdir():
        if not prefixes or not leftover.name.startswith(prefixes):
            continue
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
    for generation in journal.previous_of("placed"):
        if generation != current:
            _remove_generation(target / generation, journal)


def _remove_old_generations(target: Path, current: str, ours: set[str], journal: Journal) -> None:
    """Every generation ingest wrote (``ours``) but ``current`` that no reader holds; one a
    reader holds is recorded for the next ingest to remove. The journal then keeps only
    what is still there to remove."""
    retired = []
    for generation in sorted(ours - {current}):
        if not _remove_generation(target / generation, journal):
            retired.append(("retired", generation))
    runs = [
        ("run", token)
        for token in {journal.token, *journal.previous_of("run")}
        if any(
            entry.name.startswith((f"{STAGING_PREFIX}{token}-", f"{REMOVING_PREFIX}{token}-"))
            for entry in target.iterdir()
        )
    ]
    journal.keep_only([*sorted(runs), *retired, ("placed", current)])


def _remove_generation(folder: Path, journal: Journal) -> bool:
    """Remove a generation folder ingest wrote, unless a reader holds it or it holds a file
    ingest does not write (someone's, which keeps it); whether it is gone."""
    if not os.path.lexists(folder):
        return True
    if folder.is_symlink() or not folder.is_dir() or not _tables_and_speed(folder) <= WRITABLE:
        return True  # not removable, and never to be tried again
    return _remove(folder, journal)


def _remove(folder: Path, journal: Journal) -> bool:
    """Remove a generation folder unless a reader holds it; whether it went. It is renamed
    away first, so a reader never finds it half removed."""
    handle = try_exclusive(folder)
    if handle is None:
        return False
    try:
        away = folder.with_name(f"{journal.prefix(REMOVING_PREFIX)}{folder.name}")
        folder.rename(away)
        shutil.rmtree(away, ignore_errors=True)
    except OSError:
        return False
    finally:
        os.close(handle)
    return True
