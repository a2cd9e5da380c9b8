"""What changed between reports: periods compared per service, and each kind of change."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from barnet_tui.domain.changes import (
    CHANGES_SCHEMA,
    change_counts,
    changes,
    comparisons,
    comparisons_to,
    counts_sentence,
    coverage,
)
from barnet_tui.domain.generations import current_tables
from tests.conftest import DATA

RATING_BELOW = {"Green": False, "Green Amber": True, "Red Amber": True, "Red": True}


def row(period: str, ref: str, rag: str | None, dot: str | None = None, **more: Any) -> dict:
    below = more.pop("below_target", RATING_BELOW.get(rag or ""))
    return {
        "service": more.pop("service", "Family Services"),
        "ref": ref,
        "indicator": f"Indicator {ref}",
        "period": period,
        "rag": rag,
        "below_target": below,
        "dot": dot,
        "result_raw": more.pop("result_raw", "1"),
        "source_line": more.pop("source_line", 1),
    }


def frame(*rows: dict) -> pl.DataFrame:
    return pl.DataFrame(
        list(rows),
        schema={
            "service": pl.String, "ref": pl.String, "indicator": pl.String,
            "period": pl.String, "rag": pl.String, "below_target": pl.Boolean,
            "dot": pl.String, "result_raw": pl.String, "source_line": pl.Int64,
        },
    )  # fmt: skip


A, B, C = "2015/16 Q4", "2016/17 Q4", "2017/18 Q4"


def found(indicators: pl.DataFrame, **periods: str) -> list[tuple[str, str, int | None]]:
    result = changes(indicators, comparisons(indicators, **periods))
    return list(zip(result["ref"], result["change"], result["steps"], strict=True))


def test_each_kind_of_change_is_one_record() -> None:
    indicators = frame(
        row(A, "X1", "Green"), row(B, "X1", "Red"),  # newly below, 3 steps down
        row(A, "X2", "Red"), row(B, "X2", "Green Amber"),  # 2 steps up, still below
        row(A, "X3", "Red Amber"), row(B, "X3", "Green"),  # recovered, 2 up
        row(A, "X4", "Green", "Improving"), row(B, "X4", "Green", "Worsening"),
        row(A, "X5", "Green"),  # dropped
        row(B, "X6", None),  # new
        row(A, "X7", "Green", "Same"), row(B, "X7", "Green", "Improving"),  # no change
    )  # fmt: skip
    assert found(indicators) == [
        ("X1", "newly below target", None),
        ("X1", "rating down", 3),
        ("X4", "direction flipped", None),
        ("X3", "recovered", None),
        ("X2", "rating up", 2),
        ("X3", "rating up", 2),
        ("X6", "new", None),
        ("X5", "dropped", None),
    ]


def test_worse_is_what_fail_if_any_fails_on() -> None:
    indicators = frame(
        row(A, "X1", "Green", "Worsening"), row(B, "X1", "Green", "Improving"),
        row(A, "X2", "Green", "Improving"), row(B, "X2", "Green", "Worsening"),
        row(A, "X3", "Red"), row(B, "X3", "Green"),
    )  # fmt: skip
    result = changes(indicators, comparisons(indicators))
    worse = {(ref, change) for ref, change, bad in result.select("ref", "change", "worse").rows()
             if bad}  # fmt: skip
    assert worse == {("X2", "direction flipped")}


def test_each_service_is_compared_between_its_own_two_latest_reports() -> None:
    indicators = frame(
        row(A, "X1", "Green"), row(B, "X1", "Green"), row(C, "X1", "Red"),
        row(A, "Y1", "Green", service="Street Scene"), row(B, "Y1", "Red", service="Street Scene"),
        row(C, "Z1", "Green", service="Public Health"),
    )  # fmt: skip
    pairs = comparisons(indicators)
    assert pairs.rows() == [("Family Services", B, C), ("Street Scene", A, B)]
    assert comparisons(indicators, to_period=B).rows() == [
        ("Family Services", A, B),
        ("Street Scene", A, B),
    ]
    assert comparisons(indicators, from_period=A).rows() == [
        ("Family Services", A, C),
        ("Street Scene", A, B),
    ]
    assert comparisons(indicators, from_period=A, to_period=C).rows() == [("Family Services", A, C)]


def test_unmatchable_and_repeated_refs() -> None:
    indicators = frame(
        row(A, "TBC", None), row(B, "TBC", None),  # "NEW – TBC": nothing to match on
        row(A, "X1", "Green", source_line=5), row(A, "X1", "Red", source_line=9),
        row(B, "X1", "Red"),
    )  # fmt: skip
    # The first X1 of the earlier report (Green) is the one compared.
    assert found(indicators) == [("X1", "newly below target", None), ("X1", "rating down", 3)]


def test_family_services_between_its_first_two_reports_in_the_shipped_data() -> None:
    indicators = pl.read_parquet(current_tables(DATA) / "indicators.parquet")
    result = changes(indicators, comparisons(indicators, from_period=A, to_period=B))
    assert change_counts(result.filter(pl.col("service") == "Family Services")) == {
        "newly below target": 1,  # FS/S7: Green in 2015/16, below target in 2016/17
        "direction flipped": 1,  # FS/S11: Improving to Worsening
        "new": 5,
        "dropped": 15,
    }


def test_coverage_counts_what_was_compared_and_what_could_not_be() -> None:
    """Q3 2016/17 (targets only) against the year end: nothing rated in both, so nothing
    compared, and the sentence says so rather than "no changes"."""
    rows = pl.read_parquet(current_tables(DATA) / "indicators.parquet")
    pairs = comparisons(rows, to_period="2016/17 Q4")
    covered = coverage(rows, pairs)
    totals = {name: int(covered[name].sum()) for name in covered.columns[1:]}
    assert totals == {"compared": 0, "nothing_to_compare": 10, "new": 44, "dropped": 44}
    assert counts_sentence(changes(rows, pairs), covered) == (
        "0 indicators compared: no changes · not comparable: 10 without a rating or "
        "direction in both, 44 new, 44 dropped"
    )
    assert counts_sentence(pl.DataFrame(schema=CHANGES_SCHEMA), coverage(rows, pairs.clear())) == (
        "Nothing compared: no service has an earlier report to compare with."
    )


@pytest.mark.parametrize("tries", [0, 1, 4])
def test_the_report_before_read_a_few_periods_at_a_time_is_the_same(tries: int) -> None:
    """Services reporting in some periods and not others, some in none before: each
    service's report before is found however few periods are read one at a time."""
    rows = pl.read_parquet(current_tables(DATA) / "indicators.parquet")
    gaps = pl.concat(
        [
            rows.with_columns(period=pl.lit(period), service=pl.format("{} {}", "service", pl.lit(tag)))
            for period, tag in [
                ("2014/15 Q1", "a"), ("2014/15 Q2", "b"), ("2014/15 Q3", "a"),
                ("2015/16 Q1", "c"), ("2016/17 Q2", "b"), ("2017/18 Q4", "a"),
            ]
        ]
        + [rows]
    ).lazy()  # fmt: skip
    every = sorted(gaps.select(pl.col("period").unique()).collect()["period"])
    for period in every:
        assert comparisons_to(gaps, period, every, tries).equals(
            comparisons(gaps, to_period=period)
        ), period
