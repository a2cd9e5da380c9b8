"""What a check judged: the counts behind every "nothing" the tool says."""

from __future__ import annotations

import polars as pl

from barnet_tui.domain.judging import (
    Judged,
    exit_status,
    judge_actions,
    judge_below_target,
    judge_risks,
    nothing_below_target,
)

BELOW = ("Green Amber", "Red Amber", "Red")


def indicators(*pairs: tuple[str | None, bool | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {"rag": [rag for rag, _ in pairs], "below_target": [below for _, below in pairs]},
        schema={"rag": pl.String, "below_target": pl.Boolean},
    )


def test_monitor_and_unmarked_rows_are_not_judged() -> None:
    rows = indicators(("Green", False), ("Monitor", None), (None, None), (None, True))
    judged = judge_below_target(rows.lazy(), BELOW)
    assert judged == Judged(held=4, judged=2, found=1, marked_only=1)


def test_nothing_to_judge_is_said_and_exits_3() -> None:
    judged = judge_below_target(indicators(("Monitor", None), (None, None)), BELOW)
    assert nothing_below_target(judged, "2016/17 Q3", None) == (
        "2016/17 Q3: 0 of 2 indicators carry a rating; nothing to judge."
    )
    assert (exit_status(judged, True), exit_status(judged, False)) == (3, 0)


def test_a_judged_nothing_says_how_many_and_exits_0() -> None:
    judged = judge_below_target(indicators(("Green", False), ("Green", False)), BELOW)
    assert nothing_below_target(judged, "2016/17 Q4", ("Red",)) == (
        "Nothing below target is rated R among the 2 rated indicators of 2016/17 Q4."
    )
    assert exit_status(judged, True) == 0


def test_unrated_key_actions_are_found_and_risks_without_a_score_not_judged() -> None:
    actions = pl.DataFrame({"rag": ["Green", None, "Red"]}, schema={"rag": pl.String})
    assert judge_actions(actions) == Judged(3, 2, 2)
    risks = pl.DataFrame({"score": [20, None, 4]}, schema={"score": pl.Int64})
    assert judge_risks(risks, 15) == Judged(3, 2, 1)
    assert judge_risks(risks, None) == Judged(3, 3, 3)
