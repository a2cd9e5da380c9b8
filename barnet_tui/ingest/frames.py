"""The contract's frames from the rows ingest read: built column by column, in time order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
import polars.selectors as cs

from barnet_tui.domain.contract import schema
from barnet_tui.domain.literal_text import CONTROL_CHARACTERS, literal_column

Row = dict[str, Any]
SORT_KEYS = {
    "indicators": ["fin_year", "quarter", "source", "source_line"],
    "service_summary": ["period", "source", "source_line"],
    "targets": ["fin_year", "source", "source_line"],
}
"""Rows in time order, then as the reports print them: a period's rows sit together, so
Parquet row-group statistics let a period filter skip the rest (``table_files.ROW_GROUP``)."""
REPORT_SORT_KEYS = ["period", "source", "source_line"]
"""The order of every other reader's table (``readers/registry.py``)."""


def sort_keys(table: str) -> list[str]:
    return SORT_KEYS.get(table, REPORT_SORT_KEYS)


def _sort_key(keys: list[str]) -> Callable[[Row], tuple[tuple[bool, Any], ...]]:
    """A row's place in its table: by ``keys``, a missing value first."""
    return lambda row: tuple((row.get(key) is not None, row.get(key)) for key in keys)


def frame(table: str, rows: list[Row]) -> pl.DataFrame:
    """The rows as the contract's frame, in ``SORT_KEYS`` order. Sorted here, as Python
    sorts (stable), and built column by column: a Polars sort of a million-row frame, or a
    copy of every row as a dict, would take more memory than the rows themselves."""
    columns = schema(table)
    ordered = sorted(rows, key=_sort_key(sort_keys(table)))
    built = pl.DataFrame(
        {
            name: pl.Series(name, [row.get(name) for row in ordered], dtype)
            for name, dtype in columns.items()
        }
    )
    # Corrections are not cells: a control character they bring is taken out. Only the
    # columns that have one are rewritten (a column copied for nothing is the frame again).
    found = built.select(cs.string().str.contains(CONTROL_CHARACTERS).any())
    dirty = [name for name in found.columns if found[name][0]]
    return built.with_columns(literal_column(pl.col(dirty), "")) if dirty else built


KEEP = "_keep"
"""A Boolean column a frame given to ``in_order`` may carry: rows without it are dropped."""


def in_order(table: str, frames: list[pl.DataFrame]) -> pl.DataFrame:
    """Frames of one table (each ``frame``'s) as one, in ``SORT_KEYS`` order as ``frame``
    sorts (a missing value first, ties kept as they come), without the rows a ``KEEP``
    column drops. Takes the frames (the list is emptied): a column is let go as soon as its
    rows are placed, so a million-row table is never held twice, as ``DataFrame.sort``
    would hold it several times over."""
    if len(frames) == 1 and KEEP not in frames[0].columns:
        return frames.pop()
    marked = [
        part if KEEP in part.columns else part.with_columns(pl.lit(True).alias(KEEP))
        for part in frames
    ]
    frames.clear()
    joined = pl.concat(marked, how="vertical", rechunk=False)
    del marked
    order = joined.select(
        pl.arg_sort_by(sort_keys(table), nulls_last=False, maintain_order=True)
    ).to_series()
    order = order.filter(joined[KEEP].gather(order))
    columns: list[pl.Series | None] = list(joined.drop(KEEP).get_columns())
    del joined
    placed = []
    for index, column in enumerate(columns):
        assert column is not None
        columns[index] = None
        placed.append(column.gather(order))
        del column
    return pl.DataFrame(placed)
