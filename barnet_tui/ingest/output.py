"""Writing a dataset directory: Parquet + CSV per table and the manifest, never losing data.

A dataset is recognised by its own manifest: a format marker and the list of files the
ingest that wrote it wrote. Refreshing one replaces those files and nothing else, so a
user's notes or a web app's ``src/`` beside them survive (with a warning that they are
there). A folder that is not a dataset is never written into.

One generation at a time (``domain/generations.py``): the tables are written into a hidden
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
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from barnet_tui.display import literal
from barnet_tui.domain.contract import (
    DERIVED_TABLES,
    MANIFEST_FORMAT,
    MANIFEST_FORMATS,
    MANIFEST_NAME,
    TABLES,
)
from barnet_tui.domain.derived import derived_tables, stamp
from barnet_tui.domain.generations import (
    GENERATION_NAME,
    GENERATION_PREFIX,
    generation_name,
    read_manifest,
    try_exclusive,
)
from barnet_tui.ingest.errors import IngestError
from barnet_tui.whole_files import ordinary_mode, written_beside

ROW_GROUP = 100_000
"""Rows per Parquet row group. Each group carries min/max statistics per column, and rows
come sorted by period (then source and line), so a filter on one period reads only the
groups that hold it: a period of a 5M-row dataset is one or two groups. Smaller groups skip
more finely but cost more metadata and more seeks; 100k rows is a few MB per group."""

STAGING_PREFIX = ".barnet-tui-staging-"
REMOVING_PREFIX = ".barnet-tui-removing-"
LOCK_NAME = ".barnet-tui.lock"
WRITABLE = frozenset(
    {f"{table}.{kind}" for table in TABLES for kind in ("parquet", "csv")}
    | {MANIFEST_NAME, "corrections.csv"}
)
"""Every file name ingest can write: the only files it will ever replace or delete."""
_SHOWN = 5


def write_table(frame: pl.DataFrame, directory: Path, name: str) -> None:
    """One table as Parquet (what the tools read) and CSV (for people), the same rows; a
    derived table (after the indicators) with the fingerprint of the indicators."""
    metadata = stamp(directory) if name in DERIVED_TABLES else None
    frame.write_parquet(
        directory / f"{name}.parquet",
        statistics=True,
        row_group_size=ROW_GROUP,
        metadata=metadata,
    )
    frame.write_csv(directory / f"{name}.csv")


def _derived_last(name: str) -> bool:
    return name in DERIVED_TABLES


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


def _existing_dataset(target: Path, out: Path) -> set[str]:
    """The files of the dataset in ``target`` (empty for a new or empty folder); IngestError
    for anything that is not a barnet-tui dataset."""
    if not target.exists():
        return set()
    if not target.is_dir():
        raise IngestError(f"--out {_shown(out)}: exists and is not a directory")
    entries = [entry for entry in target.iterdir() if not _ours(entry.name)]
    if not entries:
        return set()
    refuse = f"--out {_shown(out)}: exists and is not a barnet-tui dataset"
    manifest_path = target / MANIFEST_NAME
    if not manifest_path.is_file():
        raise IngestError(f"{refuse} (no {MANIFEST_NAME}); refusing to write into it")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        manifest = None
    files = dataset_files(manifest)
    if files is None:
        raise IngestError(
            f"{refuse} (its {MANIFEST_NAME} was not written by barnet-tui); "
            "refusing to write into it"
        )
    return files


@contextmanager
def _one_at_a_time(target: Path, out: Path, wait: bool) -> Iterator[None]:
    """Hold the folder's ingest lock: two ingests into one folder would interleave their
    files. The kernel drops the lock when its holder dies, so a killed run never leaves it
    held; the file says who holds it, for the message the next one gets."""
    try:
        handle = (target / LOCK_NAME).open("a+", encoding="utf-8")
    except OSError as error:
        raise IngestError(f"--out {_shown(out)}: cannot write there ({error.strerror})") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            handle.seek(0)
            said = handle.read().strip().splitlines()
            holder = literal(said[-1]) if said else "an unknown time"
            raise IngestError(
                f"--out {_shown(out)}: another ingest is running since {holder}; "
                "nothing written (--wait waits for it)"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{datetime.now():%H:%M} (pid {os.getpid()})\n")
        handle.flush()
        yield


def write_dataset(
    out: Path,
    tables: Mapping[str, pl.DataFrame],
    manifest: dict[str, Any],
    extra_files: Mapping[str, bytes],
    wait: bool = False,
) -> list[str]:
    """Write the dataset to ``out``, replacing only the files of the dataset already there;
    one ingest at a time (``wait`` for another to finish, else IngestError). The tables
    derived for speed (``domain/derived.py``) are computed here, after the indicators.

    Returns what a user should be told (files in the folder that ingest did not write).
    """
    if "indicators" in tables:  # computed again from the rows written beside them
        tables = {**tables, **derived_tables(tables["indicators"])}
        tables = {name: tables[name] for name in sorted(tables, key=_derived_last)}
    target = out.resolve()
    _existing_dataset(target, out)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise IngestError(f"--out {_shown(out)}: cannot write there ({error.strerror})") from None
    with _one_at_a_time(target, out, wait):
        old_files = _existing_dataset(target, out)  # again: another ingest may have written
        return _write(target, out, tables, manifest, extra_files, old_files)


def _write(
    target: Path,
    out: Path,
    tables: Mapping[str, pl.DataFrame],
    manifest: dict[str, Any],
    extra_files: Mapping[str, bytes],
    old_files: set[str],
) -> list[str]:
    try:
        _remove_leftovers(target)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=target))
        staging.chmod(ordinary_mode(0o777))  # mkdtemp's is 0700: colleagues read the generation
    except OSError as error:
        raise IngestError(f"--out {_shown(out)}: cannot write there ({error.strerror})") from None
    generation = None
    try:
        for name, frame in tables.items():
            write_table(frame, staging, name)
        generation = _place_generation(staging, target, out)
        for name, data in extra_files.items():
            _replace(target / name, data)
        top = sorted({*extra_files, MANIFEST_NAME})
        files = [f"{generation}/{name}" for name in sorted(_names(target / generation))] + top
        manifest = {"format": MANIFEST_FORMAT, **manifest, "generation": generation, "files": files}
        text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        _replace(target / MANIFEST_NAME, text.encode("utf-8"))  # the switch
    except OSError as error:
        if generation and generation != generation_name(read_manifest(target)):
            _remove(target / generation)  # placed, never switched to
        raise IngestError(
            f"--out {_shown(out)}: cannot write the dataset ({error.strerror})"
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for name in sorted(old_files - set(top)):  # tables of a dataset from before generations
        (target / name).unlink(missing_ok=True)
    _remove_old_generations(target, generation)
    kept = sorted(
        entry.name + ("/" if entry.is_dir() else "")
        for entry in target.iterdir()
        if entry.name not in top and not _ours(entry.name)
    )
    if not kept:
        return []
    listed = ", ".join(literal(name) for name in kept[:_SHOWN])
    more = f" and {len(kept) - _SHOWN} more" if len(kept) > _SHOWN else ""
    noun = "file" if len(kept) == 1 else "files"
    return [f"kept {len(kept)} {noun} ingest did not write in {_shown(out)}: {listed}{more}"]


def _ours(name: str) -> bool:
    """The lock, a staging or removal folder, or a generation: ingest's own entries."""
    return (
        name == LOCK_NAME
        or name.startswith((STAGING_PREFIX, REMOVING_PREFIX))
        or GENERATION_NAME.fullmatch(name) is not None
    )


def _names(folder: Path) -> set[str]:
    return {entry.name for entry in folder.iterdir()}


def _generation_of(staging: Path) -> str:
    """The generation's name, from its tables' CSV (the same rows give the same name, on
    any Polars: the Parquet bytes say which Polars wrote them)."""
    digest = hashlib.sha256()
    for csv in sorted(staging.glob("*.csv")):
        digest.update(csv.name.encode() + b"\0" + csv.read_bytes() + b"\0")
    return f"{GENERATION_PREFIX}{digest.hexdigest()[:12]}"


def _place_generation(staging: Path, target: Path, out: Path) -> str:
    """The staged tables, renamed whole into their generation folder; a generation with the
    same tables already there is kept as it is (readers may hold it)."""
    generation = _generation_of(staging)
    folder = target / generation
    if folder.is_dir() and _names(folder) != _names(staging) and not _remove(folder):
        raise IngestError(
            f"--out {_shown(out)}: {generation}/ is damaged and in use; "
            "close the explorers reading it and ingest again"
        )
    if not folder.is_dir():
        staging.rename(folder)
    return generation


def _replace(path: Path, data: bytes) -> None:
    """``path`` holds ``data`` or what it held before, never a part: written beside it, then
    renamed over it."""
    with written_beside(path, STAGING_PREFIX) as temporary:
        with temporary.open("wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        temporary.replace(path)


def _remove_leftovers(target: Path) -> None:
    """What a killed run left: staging folders and files, and generations half removed."""
    for leftover in target.iterdir():
        if not leftover.name.startswith((STAGING_PREFIX, REMOVING_PREFIX)):
            continue
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _remove_old_generations(target: Path, current: str) -> None:
    """Every generation but ``current`` that no reader holds and that holds only files
    ingest writes (anything else in it is someone's, and keeps it)."""
    for entry in target.iterdir():
        if entry.name == current or not GENERATION_NAME.fullmatch(entry.name):
            continue
        if entry.is_dir() and not entry.is_symlink() and _names(entry) <= WRITABLE:
            _remove(entry)


def _remove(folder: Path) -> bool:
    """Remove a generation folder unless a reader holds it; whether it went. It is renamed
    away first, so a reader never finds it half removed."""
    handle = try_exclusive(folder)
    if handle is None:
        return False
    try:
        away = folder.with_name(f"{REMOVING_PREFIX}{folder.name}")
        folder.rename(away)
        shutil.rmtree(away, ignore_errors=True)
    except OSError:
        return False
    finally:
        os.close(handle)
    return True
