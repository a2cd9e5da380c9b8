"""An indicator's history: every period any report gives a figure for, each with its source.

A report's row gives its own period; the previous result it prints (``previous_raw`` for
``previous_period``, the figure its direction of travel compares against) gives another
period. Both are history: an indicator that one report details, with last year's figure
beside it, has two points and a trend, not one row beside a quoted figure the history lacks.
Where a report's own row gives a period, that row is the point; a printed previous stands
for a period no report's row gives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from barnet_tui.domain.earlier import printed_period
from barnet_tui.domain.queries import history_for_ref

if TYPE_CHECKING:
    from barnet_tui.domain.dataset import Dataset

REPORT = "report"
PRINTED = "previous printed"
"""``kind`` of a history point: a report's own row, or the previous result a report prints."""


def reported(history: pl.DataFrame) -> pl.DataFrame:
    """The points of a history that are a report's own rows (not a printed previous)."""
    return history.filter(pl.col("kind") == REPORT)


def full_history(rows: pl.DataFrame, ref: str) -> pl.DataFrame:
    """The ref's rows (``history_for_ref``), oldest first, with a ``kind`` column, and for
    each period that only a printed previous gives, one point: its figure as printed, no
    rating, target or direction, and the source of the row that prints it (the latest
    report's printing, where several print one). A printed previous whose period cannot be
    placed (no year in it) is left to the row that prints it."""
    history = history_for_ref(rows, ref).with_columns(kind=pl.lit(REPORT))
    if history.is_empty() or "previous_raw" not in history.columns:
        return history
    placed = printed_period(pl.col("previous_period"))
    printed = (
        history.filter(pl.col("previous_raw").is_not_null())
        .with_columns(placed=placed)
        .filter(pl.col("placed").is_not_null())
        .sort("fin_year", "quarter", "source", "source_line")
        .unique("placed", keep="last", maintain_order=True)
    )
    if printed.is_empty():
        return history
    given = history.select(
        placed=pl.concat_str(pl.col("fin_year"), pl.lit(" Q"), pl.col("quarter").cast(pl.String))
    )
    printed = printed.join(given, on="placed", how="anti")
    kept = {"service", "ref", "indicator", "polarity", "unit", "source", "source_line"}
    kept |= {"source_page", "page_line"}  # the row that prints it: its source
    figures = {
        "period": pl.col("previous_period"),
        "fin_year": pl.col("placed").str.slice(0, 7),
        "quarter": pl.col("placed").str.slice(-1).cast(history.schema["quarter"]),
        "result_raw": pl.col("previous_raw"),
        "result": pl.col("previous"),
        "kind": pl.lit(PRINTED),
    }
    points = printed.select(
        pl.col(name)
        if name in kept
        else figures.get(name, pl.lit(None, history.schema[name])).alias(name)
        for name in history.columns
    )
    return pl.concat([history, points]).sort(
        "fin_year", "quarter", pl.col("kind") == PRINTED, "source", "source_line"
    )


def indicator_history(dataset: Dataset, rows: pl.DataFrame, index: int) -> pl.DataFrame:
    """Every period a report gives for the indicator at ``index`` of ``rows``: its rows and
    the previous results the reports print (``full_history``); else its own row alone."""
    ref = rows["ref"][index]
    history = full_history(dataset.ref_rows(ref), ref)
    if history.height:
        return history
    return rows.slice(index, 1).with_columns(kind=pl.lit(REPORT))
