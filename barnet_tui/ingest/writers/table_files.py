"""One table's files: Parquet (what the tools read) and its CSV copy (for people).

A million-row table is written without a second copy of its rows: the CSV copy is made
inert for spreadsheets (``spreadsheet_text``) a row group at a time, and a table that is
another's rows in another order (``indicators_by_ref``) is an ``Ordered``: the order as a
column of row numbers, its rows gathered a row group at a time as they are written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from polars.io.plugins import register_io_source

from barnet_tui.domain.contract import DERIVED_TABLES
from barnet_tui.domain.derived import ROW_GROUP as DERIVED_ROW_GROUP
from barnet_tui.domain.derived import by_ref_order, counted_tables, stamp
from barnet_tui.domain.spreadsheet_text import inert_frame

ROW_GROUP = DERIVED_ROW_GROUP
"""Rows per Parquet row group. Each group carries min/max statistics per column, and rows
come sorted by period (then source and line), so a filter on one period reads only the
groups that hold it: a period of a 5M-row dataset is one or two groups. Smaller groups skip
more finely but cost more metadata and more seeks; 100k rows is a few MB per group."""

SPREADSHEET_ROWS = 1_048_576
"""Rows a spreadsheet opens (Excel, LibreOffice Calc): a CSV copy is written while the
table, with its header row, fits in them (``csv_copy``)."""


@dataclass(frozen=True)
class Ordered:
    """A table that is ``frame``'s rows in ``order`` (row numbers), never built whole."""

    frame: pl.DataFrame
    order: pl.Series

    @property
    def height(self) -> int:
        return self.order.len()


Table = pl.DataFrame | Ordered


def slices(table: Table, size: int = ROW_GROUP) -> Iterator[pl.DataFrame]:
    """The table's rows, ``size`` at a time (an empty table: one empty slice)."""
    frame = table.frame if isinstance(table, Ordered) else table
    if not table.height:
        yield frame.clear()
    for start in range(0, table.height, size):
        if isinstance(table, Ordered):
            yield frame[table.order.slice(start, size)]
        else:
            yield frame.slice(start, size)


def _lazy(table: Ordered) -> pl.LazyFrame:
    """The table as a LazyFrame whose rows come a slice at a time (for ``sink_parquet``)."""

    def source(
        columns: list[str] | None, predicate: pl.Expr | None, rows: int | None, _size: int | None
    ) -> Iterator[pl.DataFrame]:
        left = table.height if rows is None else rows
        for part in slices(table):
            part = part if columns is None else part.select(columns)
            part = part if predicate is None else part.filter(predicate)
            yield part.head(left)
            left -= min(left, part.height)
            if not left:
                return

    return register_io_source(source, schema=table.frame.schema)


def csv_copy(rows: int, requested: bool = False) -> bool:
    """Whether a table of ``rows`` gets its CSV copy: while a person can open it in a
    spreadsheet, or when asked for (``ingest --all-csv``). No reader depends on it."""
    return requested or rows + 1 <= SPREADSHEET_ROWS


def write_table(table: Table, directory: Path, name: str, csv: bool | None = None) -> None:
    """One table as Parquet (what the tools read) and CSV (for people, in a spreadsheet: a
    text cell it would run as a formula starts with an apostrophe), the same rows; a
    derived table (after the indicators) with the fingerprint of the indicators. The CSV
    copy only where ``csv`` says, by default while it fits a spreadsheet (``csv_copy``)."""
    metadata = stamp(directory) if name in DERIVED_TABLES else None
    parquet = directory / f"{name}.parquet"
    if isinstance(table, Ordered):
        _lazy(table).sink_parquet(
            parquet, statistics=True, row_group_size=ROW_GROUP, metadata=metadata
        )
    else:
        table.write_parquet(parquet, statistics=True, row_group_size=ROW_GROUP, metadata=metadata)
    if csv_copy(table.height) if csv is None else csv:
        with (directory / f"{name}.csv").open("wb") as file:
            for number, part in enumerate(slices(table)):  # for spreadsheets: no formula
                inert_frame(part).write_csv(file, include_header=number == 0)


def _derived_last(name: str) -> bool:
    return name in DERIVED_TABLES


def with_derived(tables: Mapping[str, pl.DataFrame]) -> dict[str, Table]:
    """``tables`` and the tables derived for speed from their indicators (computed again
    from the rows written beside them; ``domain/derived.py``), those last: each is stamped
    with the indicators written before it."""
    if "indicators" not in tables:
        return dict(tables)
    indicators = tables["indicators"]
    every: dict[str, Table] = {
        **tables,
        **counted_tables(indicators.lazy()),
        "indicators_by_ref": Ordered(indicators, by_ref_order(indicators)),
    }
    return {name: every[name] for name in sorted(every, key=_derived_last)}
