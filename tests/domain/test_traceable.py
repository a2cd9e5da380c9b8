"""A count that is the report's says so beside what its rows say (issue 28)."""

from __future__ import annotations

from typing import Any

import polars as pl

from barnet_tui.domain.traceable import actions_differ, actions_note, detail_lines, ratings_note

BASE: dict[str, Any] = {
    "basis": "published", "green": 13, "green_amber": 8, "red_amber": 2, "red": 3,
    "detailed_reported": 28, "detailed_green": 0, "detailed_green_amber": 0,
    "detailed_red_amber": 0, "detailed_red": 0,
}  # fmt: skip


def test_report_counts_against_rows_that_print_no_rating_or_other_ratings() -> None:
    assert ratings_note(BASE) == (
        "the report counts G 13 GA 8 RA 2 R 3; the 28 rows it details print no rating"
    )
    assert ratings_note(BASE, short=True) == (
        "report's counts G 13 GA 8 RA 2 R 3; its 28 rows print no rating"
    )
    some = {**BASE, "detailed_reported": 8, "detailed_green_amber": 3, "detailed_red": 4}
    assert ratings_note(some) == (
        "the report counts G 13 GA 8 RA 2 R 3; the 8 rows it details: G 0 GA 3 RA 0 R 4"
    )
    assert ratings_note({**BASE, "detailed_reported": 0}).endswith("; it details no rows")


def test_nothing_to_say_where_the_rows_bear_the_counts_out_or_are_the_counts() -> None:
    same = {**BASE, **{f"detailed_{name}": BASE[name] for name in ("green", "red")}}
    same |= {"detailed_green_amber": 8, "detailed_red_amber": 2}
    assert ratings_note(same) == ""
    assert ratings_note({**BASE, "basis": "detailed rows"}) == ""


def test_key_actions_counted_otherwise_than_listed_carry_both_numbers() -> None:
    row = {"actions": 16, "actions_listed": 31}
    assert actions_differ(row)
    assert actions_note(row) == (
        "key actions: 16 by the overview's annual status ≠ 31 listed (tab 2)"
    )
    assert actions_note({"actions": 33, "actions_listed": 33}) == ""
    assert not actions_differ({"actions": None, "actions_listed": None})


def test_the_line_under_the_summary_is_as_tall_as_its_longest_row_needs() -> None:
    """Reckoned once a period, not as the cursor moves: the list keeps its height."""
    plain = {
        **BASE,
        "basis": "detailed rows",
        "service": "Barnet Homes",
        "reported": 18,
        "rag_rated": 16,
        "detailed_reported": 18,
        "actions": None,
        "actions_listed": None,
    }
    noted = {
        **BASE,
        "service": "Customer and Support Group (CSG)",
        "reported": 29,
        "rag_rated": 26,
        "actions": None,
        "actions_listed": None,
    }
    both = {**noted, "actions": 16, "actions_listed": 31}
    assert detail_lines(pl.DataFrame([plain]), 198) == 1
    assert detail_lines(pl.DataFrame([plain, noted]), 78) == 2
    assert detail_lines(pl.DataFrame([plain, noted]), 198) == 1
    assert detail_lines(pl.DataFrame([both]), 78) == 3
    assert detail_lines(pl.DataFrame([both]), 40) == 3  # never more than 3
