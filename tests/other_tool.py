"""A dataset written by another tool to the contract (docs/dataset.md), with plain Polars:
no tables for speed, its own row-group size, columns in another order, rows in another
order, and a manifest of its own. What a council's pipeline or an export would write."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from barnet_tui.domain.storage.generations import current_tables
from tests.conftest import DATA

TABLES = ("indicators", "service_summary", "targets", "actions", "finance", "risks")


def write_other_tool_dataset(folder: Path, row_group_size: int = 17) -> Path:
    """The shipped tables, written again as another tool would; ``folder`` returned."""
    folder.mkdir(parents=True, exist_ok=True)
    shipped = current_tables(DATA)
    for table in TABLES:
        frame = pl.read_parquet(shipped / f"{table}.parquet")
        if table == "indicators":  # by service then ref, not by period: another tool's order
            frame = frame.sort("service", "ref", maintain_order=True)
        frame = frame.select(list(reversed(frame.columns)))
        frame.write_parquet(folder / f"{table}.parquet", row_group_size=row_group_size)
    manifest = {"generator": "council-pipeline 3.1", "exported": "2026-12-01"}
    (folder / "manifest.json").write_text(json.dumps(manifest) + "\n", encoding="utf-8")
    return folder
