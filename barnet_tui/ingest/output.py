"""Writing a dataset directory: Parquet + CSV per table and the manifest, all or nothing.

The new dataset is written into a temporary sibling directory and swapped in with renames,
so an interrupted ingest never leaves a half-written ``--out``. A directory that is not a
dataset (no manifest) is never replaced.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

from barnet_tui.domain.contract import MANIFEST_NAME
from barnet_tui.ingest.errors import IngestError


def _check_replaceable(out: Path) -> None:
    if not out.exists():
        return
    if not out.is_dir():
        raise IngestError(f"--out {out}: exists and is not a directory")
    if any(out.iterdir()) and not (out / MANIFEST_NAME).is_file():
        raise IngestError(
            f"--out {out}: exists and is not a barnet-tui dataset (no {MANIFEST_NAME}); "
            "refusing to replace it"
        )


ROW_GROUP = 100_000
"""Rows per Parquet row group. Each group carries min/max statistics per column, and rows
come sorted by period (then source and line), so a filter on one period reads only the
groups that hold it: a period of a 5M-row dataset is one or two groups. Smaller groups skip
more finely but cost more metadata and more seeks; 100k rows is a few MB per group."""


def write_table(frame: pl.DataFrame, directory: Path, name: str) -> None:
    """One table as Parquet (what the tools read) and CSV (for people), the same rows."""
    frame.write_parquet(directory / f"{name}.parquet", statistics=True, row_group_size=ROW_GROUP)
    frame.write_csv(directory / f"{name}.csv")


def write_dataset(
    out: Path,
    tables: Mapping[str, pl.DataFrame],
    manifest: dict[str, Any],
    extra_files: Mapping[str, bytes],
) -> None:
    """Replace ``out`` with a dataset made of ``tables``, ``manifest`` and ``extra_files``."""
    _check_replaceable(out)
    parent = out.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=parent))
    except OSError as error:
        raise IngestError(f"--out {out}: cannot write there ({error.strerror})") from None
    try:
        for name, frame in tables.items():
            write_table(frame, staging, name)
        for name, data in extra_files.items():
            (staging / name).write_bytes(data)
        text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        (staging / MANIFEST_NAME).write_text(text, encoding="utf-8")
        staging.chmod(0o755)
        _swap_in(staging, out)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise IngestError(f"--out {out}: cannot write the dataset ({error.strerror})") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap_in(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=staging.parent))
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except OSError:
        retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)
