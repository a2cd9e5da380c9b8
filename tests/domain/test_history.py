"""An indicator's history holds every period any report gives for it, printed previous
results included, each with its source (issue 28)."""

from __future__ import annotations

import polars as pl

from barnet_tui.domain.describe import trend
from barnet_tui.domain.history import PRINTED, REPORT, full_history
from tests.domain.test_queries import ROWS


def test_a_previous_result_a_report_prints_is_a_point_of_the_history() -> None:
    """AC/C12 is in one report, which prints its 2015/16 result beside its own: two points,
    and a trend drawn from them."""
    history = full_history(ROWS, "AC/C12")
    assert history.select("period", "kind", "result_raw", "rag", "source_line").rows() == [
        ("2015/16", PRINTED, "7.5", None, 53),
        ("2016/17 Q4", REPORT, "9.9", "Red", 53),
    ]
    assert set(history["source"]) == {"service-performance-eoy-2016-17.txt"}
    assert trend(history, "Smaller is Better") == (
        "Worsening: 7.5 in 2015/16 to 9.9 in 2016/17 Q4 (smaller is better)."
    )


def test_a_report_row_of_the_same_period_is_the_point_not_the_printed_figure() -> None:
    """FS/S11: the 2016/17 report prints a 2015/16 figure, and the 2015/16 report has its own
    row; that row is 2015/16's point. The 2015/16 report's printed 2014/15 figure is a point
    of its own, placed by its year; each period once."""
    history = full_history(ROWS, "FS/S11")
    assert history.select("period", "kind").rows() == [
        ("2014/15", PRINTED),
        ("2015/16 Q4", REPORT),
        ("2016/17 Q4", REPORT),
        ("2017/18 Q4", REPORT),
    ]
    quarters = history.select("fin_year", "quarter").rows()
    assert len(set(quarters)) == len(quarters)


def test_quarters_are_placed_in_time_and_unplaceable_previous_figures_left_out() -> None:
    rows = ROWS.filter(pl.col("ref") == "CG/C17")
    history = full_history(rows, "CG/C17")
    assert history["period"].to_list() == ["Q1 2015/16", "2015/16", "2016/17 Q1", "2016/17 Q4"]
    unplaced = rows.with_columns(previous_period=pl.lit("last year"))
    assert full_history(unplaced, "CG/C17")["kind"].to_list() == [REPORT, REPORT]
