"""Writing a dataset to an S3-compatible store, with the guarantees of the local folder.

A store has no rename and no locks, so the order of PUTs carries the design
(docs/dataset.md, "On object storage"):

1. The new generation's objects (``gen-<hash>/…``, the same files a folder gets), then
   the top-level extra files.
2. The manifest last, by one conditional PUT: ``If-Match`` the ETag of the manifest this
   ingest read (``If-None-Match: *`` when there was none). That PUT switches every reader
   at once; when another ingest switched first, it fails and this one says so in one line.
3. Only then, old generations: each one the manifest stops naming is recorded in its
   ``retired`` map with the time it stopped, and is removed by the first ingest after it
   has been unreferenced for longer than the grace period (``storage.grace_minutes``).
   A generation no manifest records (a run killed before its switch, or one that lost
   the race on a store that ignores conditional PUTs) counts from its newest object.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from barnet_tui.domain.contract import MANIFEST_FORMAT, MANIFEST_NAME
from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.storage.generations import GENERATION_NAME, generation_name
from barnet_tui.domain.storage.location import S3Location
from barnet_tui.domain.storage.remote import (
    StorageError,
    open_store,
    read_remote_manifest,
    storage_error,
)
from barnet_tui.ingest.errors import IngestError
from barnet_tui.ingest.writers.folder import (
    WRITABLE,
    _generation_of,
    dataset_files,
    json_pieces,
    write_pieces,
)
from barnet_tui.ingest.writers.table_files import csv_copy, with_derived, write_table
from barnet_tui.ingest.writers.watched import ensure_watched

RETIRED = "retired"
"""The manifest's map of generations it no longer names to when they stopped (UTC, ISO)."""


def write_s3_dataset(
    location: S3Location,
    tables: Mapping[str, pl.DataFrame],
    manifest: dict[str, Any],
    extra_files: Mapping[str, bytes],
    all_csv: bool = False,
) -> list[str]:
    """Write the dataset to ``location``; IngestError (one line) when nothing was switched.
    Each table's CSV copy as in a folder (``output.write_dataset``). Returns what a user
    should be told."""
    try:
        return _write(location, tables, manifest, extra_files, all_csv)
    except StorageError as error:
        raise IngestError(f"--out {error}") from None


def _write(
    location: S3Location,
    tables: Mapping[str, pl.DataFrame],
    manifest: dict[str, Any],
    extra_files: Mapping[str, bytes],
    all_csv: bool,
) -> list[str]:
    current, tag = read_remote_manifest(location)
    if tag is None:
        _refuse_foreign(location)
    elif dataset_files(current) is None:
        raise IngestError(
            f"--out {location}: holds a {MANIFEST_NAME} not written by barnet-tui; "
            "refusing to write there"
        )
    now = datetime.now(UTC)
    retired = _retired(current)
    old = generation_name(current)
    with tempfile.TemporaryDirectory(prefix="barnet-tui-s3-") as folder:
        staging = Path(folder)
        for name, frame in with_derived(tables).items():  # the tables for speed too
            write_table(frame, staging, name, csv_copy(frame.height, all_csv))
        generation = _generation_of(staging)
        names = sorted(path.name for path in staging.iterdir())
        if generation != old and generation not in retired:  # else its objects are there
            for name in names:
                _put(location, f"{generation}/{name}", staging / name)
    for name, data in extra_files.items():
        _put(location, name, data)
    if old and old != generation:
        retired[old] = now
    retired.pop(generation, None)
    grace = timedelta(minutes=location.settings.grace_minutes)
    expired = {name for name, since in retired.items() if now - since > grace}
    top = sorted({*extra_files, MANIFEST_NAME})
    kept = {name: since for name, since in sorted(retired.items()) if name not in expired}
    record = {
        "format": MANIFEST_FORMAT,
        **manifest,
        "generation": generation,
        "files": [f"{generation}/{name}" for name in names] + top,
        RETIRED: {name: since.isoformat() for name, since in kept.items()},
    }
    ensure_watched()
    _switch(location, record, tag)
    return _remove_old(location, {generation, *kept}, expired, grace, now, top)


def _put(location: S3Location, name: str, data: Path | bytes) -> None:
    import obstore

    try:
        obstore.put(open_store(location), location.key(name), data)
    except Exception as error:  # obstore's errors, and the OS's under it
        raise storage_error(location, error, "write") from None


def _switch(location: S3Location, record: dict[str, Any], tag: str | None) -> None:
    """The manifest, replaced only if it is still the one this ingest read."""
    import obstore
    from obstore.exceptions import AlreadyExistsError, PreconditionError

    mode: Any = "create" if tag is None else {"e_tag": tag}
    try:
        with tempfile.TemporaryDirectory(prefix="barnet-tui-s3-") as folder:
            text = Path(folder) / MANIFEST_NAME  # written in pieces, never one string
            with text.open("wb") as file:
                write_pieces(file, json_pieces(record))
            key = location.key(MANIFEST_NAME)  # one PUT: a conditional one is never in parts
            obstore.put(open_store(location), key, text, mode=mode, use_multipart=False)
    except (AlreadyExistsError, PreconditionError):
        raise IngestError(
            f"--out {location}: another ingest switched the dataset while this one was "
            "writing; nothing switched (ingest again to publish these reports)"
        ) from None
    except Exception as error:
        raise storage_error(location, error, "write") from None


def _retired(manifest: dict[str, Any] | None) -> dict[str, datetime]:
    """The manifest's record of retired generations; entries of the wrong shape are left
    out (their generation then counts from its newest object)."""
    record = manifest.get(RETIRED) if manifest else None
    retired: dict[str, datetime] = {}
    for name, since in (record or {}).items() if isinstance(record, dict) else ():
        try:
            when = datetime.fromisoformat(since) if isinstance(since, str) else None
        except ValueError:
            when = None
        if GENERATION_NAME.fullmatch(name) and when is not None and when.tzinfo is not None:
            retired[name] = when
    return retired


def _listing(location: S3Location) -> tuple[list[str], list[str]]:
    """The names of the objects and of the "folders" directly under the prefix."""
    import obstore

    inside = location.key("")
    try:
        found = obstore.list_with_delimiter(open_store(location), inside or None)
    except Exception as error:
        raise storage_error(location, error, "list") from None
    objects = [entry["path"].rsplit("/", 1)[-1] for entry in found["objects"]]
    folders = [path.rstrip("/").rsplit("/", 1)[-1] for path in found["common_prefixes"]]
    return objects, folders


def _refuse_foreign(location: S3Location) -> None:
    """A prefix with no manifest is written only when it is empty, or holds nothing but
    what ingest writes (a first ingest that has not switched yet, or never did)."""
    objects, folders = _listing(location)
    if not set(objects) <= WRITABLE or any(not GENERATION_NAME.fullmatch(name) for name in folders):
        raise IngestError(
            f"--out {location}: holds objects and no {MANIFEST_NAME}: not a barnet-tui "
            "dataset; refusing to write there"
        )


def _remove_old(
    location: S3Location,
    referenced: set[str],
    expired: set[str],
    grace: timedelta,
    now: datetime,
    top: list[str],
) -> list[str]:
    """After the switch: the generations past their grace go. A failure here is a warning:
    the new dataset is published, and the next ingest tries again."""
    import obstore

    store = open_store(location)
    told: list[str] = []
    try:
        objects, folders = _listing(location)
        for name in folders:
            if name in referenced or not GENERATION_NAME.fullmatch(name):
                continue
            entries = [
                entry for chunk in obstore.list(store, location.key(name) + "/") for entry in chunk
            ]
            newest = max((entry["last_modified"] for entry in entries), default=None)
            if name not in expired and newest is not None and now - newest <= grace:
                continue  # written lately, maybe by an ingest still writing: not yet
            keys = [entry["path"] for entry in entries]
            if keys:
                obstore.delete(store, keys)
    except StorageError as error:
        told.append(f"old generations not removed yet: {error}")
    except Exception as error:
        told.append(f"old generations not removed yet: {storage_error(location, error, 'remove')}")
    kept = sorted(
        [name for name in objects if name not in top]
        + [f"{name}/" for name in folders if not GENERATION_NAME.fullmatch(name)]
    )
    if kept:
        listed = ", ".join(literal(name) for name in kept[:5])
        more = f" and {len(kept) - 5} more" if len(kept) > 5 else ""
        told.append(f"kept {len(kept)} objects ingest did not write in {location}: {listed}{more}")
    return told
