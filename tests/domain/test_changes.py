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
    detail,
)
from barnet_tui.domain.storage.generations import current_tables
from tests.conftest import DATA

RATING_BELOW = {"Green": False, "Green Amber": True, "Red Amber": True, "Red": True}


def row(
    period: str, ref: str, rag: str | None, dot: str | None = None, **more: Any
) -> dict[str, Any]:
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
        "previous_raw": more.pop("previous_raw", None),
        "previous_period": more.pop("previous_period", None),
        "result": more.pop("result", None),
        "previous": more.pop("previous", None),
        "polarity": more.pop("polarity", None),
        "source_line": more.pop("source_line", 1),
    }


def frame(*rows: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(
        list(rows),
        schema={
            "service": pl.String, "ref": pl.String, "indicator": pl.String,
            "period": pl.String, "rag": pl.String, "below_target": pl.Boolean,
            "dot": pl.String, "result_raw": pl.String, "previous_raw": pl.String,
            "previous_period": pl.String, "result": pl.Float64, "previous": pl.Float64,
            "polarity": pl.String, "source_line": pl.Int64,
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
    # A service's first report is compared too (with the previous results it prints).
    assert pairs.rows() == [
        ("Family Services", B, C, None),
        ("Public Health", None, C, None),
        ("Street Scene", A, B, None),
    ]
    assert comparisons(indicators, to_period=B).rows() == [
        ("Family Services", A, B, None),
        ("Street Scene", A, B, None),
    ]
    assert comparisons(indicators, from_period=A).rows() == [
        ("Family Services", A, C, A),
        ("Street Scene", A, B, A),
    ]
    assert comparisons(indicators, from_period=A, to_period=C).rows() == [
        ("Family Services", A, C, A)
    ]


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
        "worse vs previous": 1,  # FS/C28: new here, 518 against the 511 its report prints
        "new": 4,
        "dropped": 15,
    }


def test_each_indicator_is_compared_with_its_own_latest_comparable_figure() -> None:
    """Not with the service's report before as a whole: a report of targets only between
    two rated ones is passed over for the indicators it does not rate."""
    Q3 = "2016/17 Q3"
    indicators = frame(
        row(A, "X1", "Green"), row(Q3, "X1", None, below_target=None), row(B, "X1", "Red"),
        row(A, "X2", "Red"), row(Q3, "X2", "Green"), row(B, "X2", "Green"),  # the latest
    )  # fmt: skip
    result = changes(indicators, comparisons(indicators, to_period=B))
    assert result.select("ref", "change", "from_period", "compared_with").rows() == [
        ("X1", "newly below target", A, "earlier report"),
        ("X1", "rating down", A, "earlier report"),
    ]
    covered = coverage(indicators, comparisons(indicators, to_period=B))
    assert covered.select("compared", "printed", "new", "dropped").row(0) == (2, 0, 0, 0)


def test_else_with_the_previous_result_its_report_prints_labelled_as_such() -> None:
    """The report's own direction of travel against the previous result it prints: a
    service's first report is compared, and a printed previous later than an earlier
    report's row is the one compared with."""
    indicators = frame(
        row(B, "X1", "Green", "Worsening", previous_raw="71%", previous_period="2015/16",
            result_raw="66%"),
        row(B, "X2", "Green", "Improving", previous_raw="5", previous_period="2015/16"),
        row(B, "X3", "Green", "Same", previous_raw="5", previous_period="2015/16"),
        row(B, "X4", "Green", None, previous_raw="5", previous_period="2015/16"),
        row(B, "X5", "Green"),
        row(A, "Y1", "Green", service="Street Scene"),
        row(C, "Y1", "Green", "Worsening", previous_raw="9", previous_period="Q3 2016/17",
            service="Street Scene"),
    )  # fmt: skip
    result = changes(indicators, comparisons(indicators))
    assert result.select("ref", "change", "worse", "from_period", "compared_with").rows() == [
        ("X1", "worse vs previous", True, "2015/16", "previous result printed"),
        ("X2", "better vs previous", False, "2015/16", "previous result printed"),
        ("X5", "new", False, None, None),
        ("Y1", "worse vs previous", True, "Q3 2016/17", "previous result printed"),
    ]
    assert detail(result.row(0, named=True)) == "66% from 71%"
    covered = coverage(indicators, comparisons(indicators))
    assert counts_sentence(result, covered) == (
        "4 indicators compared (4 with the previous result their report prints): 2 worse vs "
        "previous · 1 better vs previous (3 changes, 2 worse) · not comparable: 1 without a "
        "rating or direction to compare, 1 new"
    )


def test_coverage_counts_what_was_compared_and_what_could_not_be() -> None:
    """2016/17 Q4 after the Q3 addendum (targets only): each indicator is compared with its
    latest earlier figure, never read as "0 compared, no changes" (issue 28)."""
    rows = pl.read_parquet(current_tables(DATA) / "indicators.parquet")
    pairs = comparisons(rows, to_period="2016/17 Q4")
    covered = coverage(rows, pairs)
    totals = {name: int(covered[name].sum()) for name in covered.columns[1:]}
    assert totals == {
        "compared": 42, "printed": 34, "nothing_to_compare": 12, "new": 19, "dropped": 44
    }  # fmt: skip
    found = changes(rows, pairs)
    worse = found.filter(pl.col("worse"))
    assert worse.height == 27
    # Where the comparison is the report's own (its direction of travel against the
    # previous result it prints), it agrees with that direction, row by row.
    printed = found.filter(pl.col("compared_with") == "previous result printed")
    assert set(printed.filter(pl.col("worse"))["to_dot"]) == {"Worsening"}
    assert set(printed.filter(~pl.col("worse"))["to_dot"]) == {"Improving"}
    assert counts_sentence(found, covered).startswith(
        "42 indicators compared (8 with an earlier report, 34 with the previous result "
        "their report prints): 1 newly below target · 2 direction flipped · 25 worse vs "
        "previous · 9 better vs previous (37 changes, 27 worse)"
    )
    assert counts_sentence(pl.DataFrame(schema=CHANGES_SCHEMA), coverage(rows, pairs.clear())) == (
        "Nothing compared: no service reports in this period."
    )


def test_a_direction_its_own_figures_contradict_is_said() -> None:
    """CG/C16: "Worsening" from 38% to 37% where smaller is better. The list follows the
    report's direction, and says its figures say the opposite (issue 28: no figure on a
    screen contradicts another without a word)."""
    indicators = frame(
        row(B, "X1", None, "Worsening", previous_raw="38%", previous_period="2015/16",
            result_raw="37%", result=37.0, previous=38.0, polarity="Smaller is Better"),
        row(B, "X2", None, "Worsening", previous_raw="36%", previous_period="2015/16",
            result_raw="37%", result=37.0, previous=36.0, polarity="Smaller is Better"),
    )  # fmt: skip
    result = changes(indicators, comparisons(indicators))
    assert result.select("ref", "change", "direction_disputed").rows() == [
        ("X1", "worse vs previous", True),
        ("X2", "worse vs previous", False),
    ]
    assert detail(result.row(0, named=True)) == (
        "37% from 38% (its report says so; by its polarity the figures say the opposite)"
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
