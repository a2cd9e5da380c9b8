"""One report's comparison reads only the rows it can use (``earlier._one_reports_rows``)
and finds what reading every earlier report finds."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barnet_tui.domain import earlier
from barnet_tui.domain.changes import comparisons
from barnet_tui.domain.earlier import matched
from barnet_tui.domain.storage.generations import current_tables
from tests.conftest import DATA

SHIPPED = pl.read_parquet(current_tables(DATA) / "indicators.parquet")
PERIODS = ["2013/14 Q4", "2014/15 Q2", "2014/15 Q4", "2015/16 Q1", "2015/16 Q3"]


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


def _same_either_way(indicators: pl.DataFrame, **chosen: str) -> None:
    """``matched`` of a dataset on disk (read lazily, only what it needs) equals ``matched``
    of the same rows in memory (every earlier report read), for each report compared."""
    for period in sorted(indicators["period"].unique().drop_nulls()):
        pairs = comparisons(indicators, to_period=period, **chosen)
        if pairs.is_empty():
            continue
        whole = matched(indicators, pairs)
        lazily = matched(indicators.lazy(), pairs)
        assert _sorted(lazily).equals(_sorted(whole)), period


def _history(kept: list[tuple[bool, bool, bool, bool]]) -> pl.DataFrame:
    """The shipped rows of 2016/17 Q4 again in each of ``PERIODS``, each earlier copy with
    its ratings, flags, directions or rows kept as ``kept`` says: indicators whose latest
    earlier figure of a kind lies several reports back, or nowhere."""
    latest = SHIPPED.filter(pl.col("period") == "2016/17 Q4")
    copies = []
    for period, (rated, flagged, flipped, present) in zip(PERIODS, kept, strict=False):
        if not present:
            continue
        copy = latest.with_columns(period=pl.lit(period))
        odd = pl.col("source_line") % 2 == 1  # half the rows lose what is not kept
        copies.append(
            copy.with_columns(
                rag=pl.when(odd & (not rated)).then(None).otherwise("rag"),
                below_target=pl.when(odd & (not flagged)).then(None).otherwise("below_target"),
                dot=pl.when(odd & (not flipped)).then(pl.lit("Same")).otherwise("dot"),
            )
        )
    return pl.concat([*copies, SHIPPED], how="vertical_relaxed")


@pytest.mark.parametrize("look_back", [0, 1, 4])
def test_the_shipped_reports_compare_alike_read_whole_or_in_part(
    monkeypatch: pytest.MonkeyPatch, look_back: int
) -> None:
    monkeypatch.setattr(earlier, "LOOK_BACK", look_back)
    _same_either_way(SHIPPED)
    _same_either_way(SHIPPED, from_period="2015/16 Q4")


@settings(max_examples=25)
@given(
    kept=st.lists(st.tuples(*[st.booleans()] * 4), min_size=len(PERIODS), max_size=len(PERIODS)),
    look_back=st.integers(0, 3),
)
def test_figures_several_reports_back_are_found_read_whole_or_in_part(
    kept: list[tuple[bool, bool, bool, bool]], look_back: int
) -> None:
    saved = earlier.LOOK_BACK
    earlier.LOOK_BACK = look_back
    try:
        _same_either_way(_history(kept))
    finally:
        earlier.LOOK_BACK = saved
