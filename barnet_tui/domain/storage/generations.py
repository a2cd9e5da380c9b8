"""One generation at a time: which folder of a dataset holds its tables, held while read.

Each ingest writes its tables into a new folder ``gen-<hash>`` beside the manifest, then
replaces ``manifest.json`` (which names that folder in ``generation``) in one atomic
rename: the manifest is the pointer. A reader reads the manifest once and reads every
table from the folder it names, so it sees the dataset before a refresh or after it,
never a mix of the two. While it reads, it holds a shared ``flock`` on that folder; ingest
removes an old generation only when it can take the lock exclusively, so no generation
is removed under a reader, and a reader that was killed holds nothing.

A folder whose manifest names no generation (written before generations, or made by hand
or by a test) holds its tables itself.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import time
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from barnet_tui.domain.contract import MANIFEST_NAME
from barnet_tui.domain.storage.files import FileRefused, regular_file_or_error

if TYPE_CHECKING:
    from barnet_tui.domain.storage.location import RemoteFolder, S3Location

GENERATION_PREFIX = "gen-"
GENERATION_NAME = re.compile(r"gen-[0-9a-f]{12}")
"""What a generation folder is called: ``gen-`` and 12 hex digits of its tables' hash."""
_TRIES = 200
_PAUSE = 0.005


class GenerationError(Exception):
    """The manifest cannot be read, or names a generation that is not there (or the dataset
    changed under every one of a reader's tries); ``str()`` says which."""


class ReadLock:
    """A shared lock on a generation folder, held until released or garbage-collected."""

    def __init__(self, handle: int) -> None:
        self._release = weakref.finalize(self, os.close, handle)

    def release(self) -> None:
        self._release()


class Generation(NamedTuple):
    """The tables' folder of one dataset generation, and the manifest that named it.

    Keep it while reading its tables: its ``lock`` keeps ingest from removing them."""

    dataset: Path | S3Location
    """The dataset's folder (where its manifest is): what messages name."""
    tables: Path | RemoteFolder
    name: str | None
    """``gen-…``, or None for a dataset that holds its tables itself."""
    manifest: dict[str, Any] | None
    """The manifest as read when the generation was chosen (None: none readable)."""
    lock: ReadLock | None = None


MANIFEST_LIMIT = 100_000_000
"""Bytes: a manifest lists sources, corrections and warnings; none comes near this."""


class ManifestUnreadable(Exception):
    """Why a manifest's bytes are not a manifest; ``str()`` is the reason, a few words."""


def manifest_from(data: bytes) -> dict[str, Any]:
    """A manifest's bytes (at most ``MANIFEST_LIMIT``) as the object they hold, wherever
    they were read (a folder or a store: the same limits); ManifestUnreadable says why not.
    Nesting deeper than Python's recursion limit (a manifest is a few levels deep) is
    refused by the JSON decoder itself, as a RecursionError said here in words."""
    try:
        manifest = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ManifestUnreadable(f"not UTF-8 text, byte offset {error.start}") from None
    except RecursionError:
        raise ManifestUnreadable("not JSON: nested too deeply") from None
    except ValueError as error:
        raise ManifestUnreadable(f"not JSON: {error}") from None
    if not isinstance(manifest, dict):
        raise ManifestUnreadable(f"it holds a JSON {_json_kind(manifest)}, not an object")
    return manifest


TOO_BIG = f"is larger than any manifest ({MANIFEST_LIMIT // 1_000_000} MB at most); not read"
"""Why a manifest over ``MANIFEST_LIMIT`` is not read, in a store as in a folder."""


def manifest_or_error(directory: Path) -> dict[str, Any] | None:
    """The dataset's manifest; None when there is none (a folder made by hand, or written
    before manifests). GenerationError says why one that is there cannot be read."""
    try:
        data = regular_file_or_error(directory / MANIFEST_NAME, MANIFEST_LIMIT, "manifest")
    except FileRefused as refused:
        if refused.missing:
            return None
        raise unreadable(directory, str(refused)) from None
    try:
        return manifest_from(data)
    except ManifestUnreadable as why:
        raise unreadable(directory, str(why)) from None


def _json_kind(value: object) -> str:
    kinds = {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}
    return kinds.get(type(value), "null")


def unreadable(directory: Path | S3Location, why: str) -> GenerationError:
    return GenerationError(f"{MANIFEST_NAME} cannot be read ({why}); {rewrite(directory)}")


def rewrite(directory: Path | S3Location) -> str:
    """What to run to write the dataset again."""
    return f"write the dataset again with: barnet-tui ingest REPORT... --out {directory}"


def read_manifest(directory: Path) -> dict[str, Any] | None:
    """The dataset's manifest, or None when there is none or it cannot be read."""
    try:
        return manifest_or_error(directory)
    except GenerationError:
        return None


def generation_name(manifest: dict[str, Any] | None) -> str | None:
    """The generation a manifest points to; None when it names none (or names something that
    is not a generation folder: a manifest can never point a reader outside the dataset)."""
    name = manifest.get("generation") if manifest else None
    return name if isinstance(name, str) and GENERATION_NAME.fullmatch(name) else None


def not_a_generation(
    manifest: dict[str, Any] | None, directory: Path | S3Location
) -> GenerationError | None:
    """The error for a manifest whose ``generation`` is there but names no generation folder
    (``../other/gen-…``, ``..``, an ``s3://`` URL, a number, a control sequence): a folder's
    and a store's readers say it alike, never taking the tables from anywhere else."""
    if manifest is None or "generation" not in manifest or generation_name(manifest):
        return None
    named = json.dumps(manifest["generation"])[:80]  # ASCII: inert on a terminal
    return GenerationError(
        f"{MANIFEST_NAME} names {named} as its generation, which is not a generation "
        f"folder; {rewrite(directory)}"
    )


def open_generation(directory: Path) -> Generation:
    """The generation the manifest points to now, share-locked while it is kept;
    GenerationError when the manifest cannot be read or names no generation that is there.

    Between reading the manifest and locking its folder, an ingest may have switched the
    pointer and removed that folder; then the pointer is read again.
    """
    name = None
    for _ in range(_TRIES):
        manifest = manifest_or_error(directory)
        name = generation_name(manifest)
        not_one = not_a_generation(manifest, directory)
        if not_one is not None:
            raise not_one
        if name is None:
            return Generation(directory, directory, None, manifest)
        folder = directory / name
        handle = _share_lock(folder)
        if handle is not None:
            return Generation(directory, folder, name, manifest, ReadLock(handle))
        time.sleep(_PAUSE)
    raise GenerationError(
        f"{MANIFEST_NAME} names {name}/, which is not there (or was being removed at each "
        f"of {_TRIES} tries); {rewrite(directory)}"
    )


def _share_lock(folder: Path) -> int | None:
    """A descriptor holding a shared lock on ``folder``; None when it is gone or being
    removed (its remover holds the lock exclusively)."""
    handle = _locked(folder, fcntl.LOCK_SH)
    if handle is None:
        return None
    try:
        still_there = os.path.samestat(os.fstat(handle), folder.stat())
    except OSError:
        still_there = False
    if not still_there:  # removed (renamed away) before the lock was had
        os.close(handle)
        return None
    return handle


def try_exclusive(folder: Path) -> int | None:
    """A descriptor holding ``folder`` exclusively, for removing it; None while any reader
    holds it (or the filesystem cannot say)."""
    return _locked(folder, fcntl.LOCK_EX)


def _locked(folder: Path, mode: int) -> int | None:
    """``folder`` opened and ``flock``ed in ``mode`` without waiting; None when it is not
    there or is held the other way. On a filesystem without ``flock`` a reader reads
    unlocked, and a remover removes nothing."""
    try:
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        fcntl.flock(handle, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(handle)
        return None
    except OSError:
        if mode == fcntl.LOCK_EX:
            os.close(handle)
            return None
    return handle


def current_tables(directory: Path) -> Path:
    """The folder of the current generation's tables, not held: for tools and tests that
    read a table's file by name (a program reading while ingests run uses
    ``open_generation``)."""
    name = generation_name(read_manifest(directory))
    return directory / name if name else directory
