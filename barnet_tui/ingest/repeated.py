"""One row per ref and period across an ingest: the rule a report's reader keeps within one
file ("already given at line N; kept the first") held across files and sheets, so two
trackers giving FS/S1 for 2016/17 Q4 never make it two indicators (counted twice below
target, listed twice)."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from barnet_tui.ingest.cells.refs import TBC_REF
from barnet_tui.ingest.diagnostics import IngestWarning

_DROP = ("source", "source_line", "ref")
"""What names a dropped indicator row, and the target rows it gave."""


def first_of_each(
    indicators: pl.DataFrame, targets: pl.DataFrame, sources: Sequence[str]
) -> tuple[pl.DataFrame, pl.DataFrame, list[IngestWarning]]:
    """``indicators`` and ``targets`` with a ref given again for the same period by a later
    source (``sources``: the order ingest read them in) left out, and a warning naming both
    places. A TBC ref is many indicators, never a repeat."""
    order = {source: index for index, source in enumerate(sources)}
    keys = indicators.select(
        pl.int_range(pl.len()).alias("_row"), "ref", "period", "source", "source_line"
    ).filter(pl.struct("ref", "period").is_duplicated() & (pl.col("ref") != TBC_REF))
    if keys.is_empty():
        return indicators, targets, []
    keys = keys.with_columns(
        pl.col("source")
        .replace_strict(order, default=len(order), return_dtype=pl.Int64)
        .alias("_order")
    ).sort("_order", "source_line")
    first: dict[tuple[str, str], tuple[str, int]] = {}
    dropped_rows: list[int] = []
    dropped: list[tuple[str, int, str]] = []
    warnings = []
    for row, ref, period, source, line, _ in keys.iter_rows():
        given_source, given_line = first.setdefault((ref, period), (source, line))
        if (given_source, given_line) == (source, line):
            continue
        dropped_rows.append(row)
        dropped.append((source, line, ref))
        message = f"{ref} for {period} already given at {given_source}:{given_line}; kept the first"
        warnings.append(IngestWarning(source, line, message))
    kept = indicators.filter(~pl.int_range(pl.len()).is_in(dropped_rows))
    gone = pl.DataFrame(
        dropped, schema=[(name, targets.schema[name]) for name in _DROP], orient="row"
    )
    return kept, targets.join(gone, on=list(_DROP), how="anti"), warnings
