"""Writing a dataset directory: Parquet + CSV per table and the manifest, never losing data.

A dataset is recognised by its own manifest: a format marker and the list of files the
ingest that wrote it wrote. Refreshing one replaces those files and nothing else, so a
user's notes or a web app's ``src/`` beside them survive (with a warning that they are
there). A folder that is not a dataset is never written into.

Every file is first written into a hidden staging folder inside the target folder (the
same filesystem, wherever ``--out`` points: a symlink is followed to its target), then moved
into place with ``os.replace``, the manifest last. Anything that fails before the first move
leaves the old dataset as it was, and a staging folder a killed run left behind is removed by
the next ingest.
"""

from __future__ import annotations

import fcntl
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
from barnet_tui.domain.contract import MANIFEST_FORMAT, MANIFEST_NAME, TABLES
from barnet_tui.ingest.errors import IngestError

ROW_GROUP = 100_000
"""Rows per Parquet row group. Each group carries min/max statistics per column, and rows
come sorted by period (then source and line), so a filter on one period reads only the
groups that hold it: a period of a 5M-row dataset is one or two groups. Smaller groups skip
more finely but cost more metadata and more seeks; 100k rows is a few MB per group."""

STAGING_PREFIX = ".barnet-tui-staging-"
LOCK_NAME = ".barnet-tui.lock"
WRITABLE = frozenset(
    {f"{table}.{kind}" for table in TABLES for kind in ("parquet", "csv")}
    | {MANIFEST_NAME, "corrections.csv"}
)
"""Every file name ingest can write: the only files it will ever replace or delete."""
_SHOWN = 5


def write_table(frame: pl.DataFrame, directory: Path, name: str) -> None:
    """One table as Parquet (what the tools read) and CSV (for people), the same rows."""
    frame.write_parquet(directory / f"{name}.parquet", statistics=True, row_group_size=ROW_GROUP)
    frame.write_csv(directory / f"{name}.csv")


def dataset_files(manifest: Any) -> set[str] | None:
    """The files a manifest says its ingest wrote; None when it is not a barnet-tui one.

    Knows the manifests barnet-tui wrote before the format marker (``"generator":
    "barnet-tui ..."``, files listed per table). Only names ingest can write count, so a
    manifest can never make ingest delete anything else.
    """
    if not isinstance(manifest, dict):
        return None
    if manifest.get("format") == MANIFEST_FORMAT:
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
    entries = [
        entry
        for entry in target.iterdir()
        if entry.name != LOCK_NAME and not entry.name.startswith(STAGING_PREFIX)
    ]
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
    one ingest at a time (``wait`` for another to finish, else IngestError).

    Returns what a user should be told (files in the folder that ingest did not write).
    """
    target = out.resolve()
    old_files = _existing_dataset(target, out)
    new_files = sorted(
        {f"{name}.{kind}" for name in tables for kind in ("parquet", "csv")}
        | set(extra_files)
        | {MANIFEST_NAME}
    )
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise IngestError(f"--out {_shown(out)}: cannot write there ({error.strerror})") from None
    with _one_at_a_time(target, out, wait):
        old_files = _existing_dataset(target, out)  # again: another ingest may have written
        return _write(target, out, tables, manifest, extra_files, old_files, new_files)


def _write(
    target: Path,
    out: Path,
    tables: Mapping[str, pl.DataFrame],
    manifest: dict[str, Any],
    extra_files: Mapping[str, bytes],
    old_files: set[str],
    new_files: list[str],
) -> list[str]:
    try:
        for leftover in target.glob(f"{STAGING_PREFIX}*"):  # from a run that was killed
            shutil.rmtree(leftover, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=target))
    except OSError as error:
        raise IngestError(f"--out {_shown(out)}: cannot write there ({error.strerror})") from None
    try:
        for name, frame in tables.items():
            write_table(frame, staging, name)
        for name, data in extra_files.items():
            (staging / name).write_bytes(data)
        manifest = {"format": MANIFEST_FORMAT, **manifest, "files": new_files}
        text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        (staging / MANIFEST_NAME).write_text(text, encoding="utf-8")
        _move_in(staging, target, new_files, old_files)
    except OSError as error:
        raise IngestError(
            f"--out {_shown(out)}: cannot write the dataset ({error.strerror})"
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    kept = sorted(
        entry.name + ("/" if entry.is_dir() else "")
        for entry in target.iterdir()
        if entry.name not in new_files
        and entry.name != LOCK_NAME
        and not entry.name.startswith(STAGING_PREFIX)
    )
    if not kept:
        return []
    listed = ", ".join(literal(name) for name in kept[:_SHOWN])
    more = f" and {len(kept) - _SHOWN} more" if len(kept) > _SHOWN else ""
    noun = "file" if len(kept) == 1 else "files"
    return [f"kept {len(kept)} {noun} ingest did not write in {_shown(out)}: {listed}{more}"]


def _move_in(staging: Path, target: Path, new_files: list[str], old_files: set[str]) -> None:
    """Each staged file into place (the manifest last), then the old dataset's files that the
    new one does not have."""
    for name in [name for name in new_files if name != MANIFEST_NAME] + [MANIFEST_NAME]:
        (staging / name).replace(target / name)
    for name in sorted(old_files - set(new_files)):
        (target / name).unlink(missing_ok=True)
