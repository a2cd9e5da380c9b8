"""Tables ingest derives from ``indicators`` for speed: a view reads a few rows of them
instead of every indicator row (``docs/dataset.md``, "Tables for speed").

- ``period_counts``: the summary's counts per period, service and source, with each
  service's changes since its report before. The summary and switching period read one
  period of it; the list of periods and the rows per period are its sums.
- ``current_indicators``: each indicator's latest row (``queries.current_rows``), what the
  default quick check lists.
- ``indicators_by_ref``: the indicators in ref order, so that an indicator's history reads
  the row group that holds its ref (its min/max statistics say which), not every row.

Both are computed again by every ingest, from the indicators it writes beside them, and
carry in their Parquet metadata a fingerprint of that ``indicators.parquet`` (``stamp``). A
reader uses them only while the fingerprint matches (a file changed since ingest makes them
stale) and otherwise computes the same from the rows.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import polars as pl

from barnet_tui.domain.changes import change_counts_per_period
from barnet_tui.domain.contract import DERIVED_TABLES, schema
from barnet_tui.domain.queries import current_rows
from barnet_tui.domain.storage.location import RemoteFolder
from barnet_tui.domain.summary import count_rows

KEYS = ["period", "service", "source"]


def period_counts(indicators: pl.LazyFrame, changes: bool = True) -> pl.DataFrame:
    """The ``period_counts`` table of ``indicators``; ``changes`` false leaves
    ``previous_period`` and ``changed`` null (what a check of the counts compares)."""
    counts = count_rows(indicators, KEYS).collect(engine="streaming")
    if changes:
        changed = change_counts_per_period(indicators)
        counts = counts.join(changed, on=["period", "service"], how="left")
    else:
        counts = counts.with_columns(
            previous_period=pl.lit(None, pl.String), changed=pl.lit(None, pl.Int64)
        )
    return counts.select(schema("period_counts").names()).cast(schema("period_counts")).sort(KEYS)


def current_indicators(indicators: pl.LazyFrame) -> pl.DataFrame:
    """The ``current_indicators`` table: each indicator's latest row, in file order."""
    return current_rows(indicators).collect(engine="streaming")


def by_ref_order(indicators: pl.DataFrame) -> pl.Series:
    """The row numbers of ``indicators_by_ref`` in ``indicators``: by ref, in file order
    within a ref. A column of numbers, so a writer can gather the rows a slice at a time
    rather than hold every row twice. Sorted eagerly: Polars' lazy sort of 200,000 rows
    (either engine) took 4.9 GB of address space for 0.35 GB used, and under ``ulimit -v``
    aborted the ingest."""
    return indicators.select(pl.arg_sort_by("ref", maintain_order=True)).to_series()


def indicators_by_ref(indicators: pl.DataFrame) -> pl.DataFrame:
    """The ``indicators_by_ref`` table: every row, by ref, in file order within a ref."""
    return indicators[by_ref_order(indicators)]


def derived_tables(indicators: pl.DataFrame | pl.LazyFrame) -> dict[str, pl.DataFrame]:
    """Every derived table of ``indicators``, by name."""
    frame = indicators if isinstance(indicators, pl.DataFrame) else indicators.collect()
    return {**counted_tables(frame.lazy()), "indicators_by_ref": indicators_by_ref(frame)}


def counted_tables(indicators: pl.LazyFrame) -> dict[str, pl.DataFrame]:
    """The derived tables that are a few rows per indicator or period (all but
    ``indicators_by_ref``, which is every row again), by name."""
    return {
        "period_counts": period_counts(indicators),
        "current_indicators": current_indicators(indicators),
    }


STAMP = "barnet-tui:indicators"
"""The Parquet metadata key of a derived table's fingerprint of its indicators."""


ROW_GROUP = 100_000
"""Rows per Parquet row group of every table written (``ingest/writers/folder.py`` says why)."""

TAIL = 65_536
"""Bytes read from a Parquet file's end for its footer: most footers are within, so one
(ranged) read finds it."""


def footer_in(size: int, tail: bytes) -> int | None:
    """The length of the footer of a Parquet file of ``size`` bytes ending in ``tail``;
    None when it is not Parquet."""
    if size < 12 or len(tail) < 8 or tail[-4:] != b"PAR1":
        return None
    length = int.from_bytes(tail[-8:-4], "little")
    return length if length <= size - 12 else None


def fingerprint_of(size: int, footer: bytes) -> str:
    """A Parquet file's fingerprint from its size and footer (``fingerprint``)."""
    return f"{size}:{hashlib.sha256(footer).hexdigest()}"


def stamp_in(footer: bytes) -> str | None:
    """The fingerprint a derived table's footer carries (``STAMP``), if any."""
    framed = b"PAR1" + footer + len(footer).to_bytes(4, "little") + b"PAR1"
    try:
        return pl.read_parquet_metadata(io.BytesIO(framed)).get(STAMP)
    except (OSError, pl.exceptions.PolarsError):
        return None


def footer(parquet: Path) -> tuple[int, bytes] | None:
    """A local Parquet file's size and footer; None for a file that is not Parquet."""
    try:
        with parquet.open("rb") as file:
            size = file.seek(0, 2)
            file.seek(max(size - 8, 0))
            length = footer_in(size, file.read(8))
            if length is None:
                return None
            file.seek(size - 8 - length)
            return size, file.read(length)
    except OSError:
        return None


def fingerprint(parquet: Path) -> str | None:
    """The size of a Parquet file and a hash of its footer, which holds every row group's
    sizes and statistics: changed rows change it. None for a file that is not Parquet."""
    found = footer(parquet)
    return None if found is None else fingerprint_of(*found)


def stamp(tables: Path) -> dict[str, str]:
    """The metadata a derived table is written with: the fingerprint of the indicators
    written before it in ``tables``."""
    found = fingerprint(tables / "indicators.parquet")
    assert found is not None, "the indicators are written first"
    return {STAMP: found}


def fresh(tables: Path | RemoteFolder, table: str) -> bool:
    """Whether ``table`` (a derived table) was computed from the indicators in the same
    folder, so it says what they say; a missing or unreadable file is not fresh. In a
    store it is never taken as fresh (checking costs requests): the rows are read."""
    assert table in DERIVED_TABLES
    if not isinstance(tables, Path):
        return False
    try:
        written = pl.read_parquet_metadata(tables / f"{table}.parquet").get(STAMP)
    except (OSError, pl.exceptions.PolarsError):
        return False
    return written is not None and written == fingerprint(tables / "indicators.parquet")
