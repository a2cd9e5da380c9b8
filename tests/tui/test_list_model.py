"""The explorer's one list model, asked directly: filters, sort, search and paging."""

from __future__ import annotations

import polars as pl

from barnet_tui.domain.attention import below_target_expr, not_on_track, severity
from barnet_tui.domain.literal_text import SHOWN_INSTEAD
from barnet_tui.tui.list_model import ListModel, ListRules

ROWS = pl.DataFrame(
    {
        "ref": ["A1", "A2", "A3", "A4", "A5", "A6"],
        "rag": ["Green", "Red", None, "Green Amber", "Red Amber", "Green"],
        "name": ["Town centre", "Parks", "Libraries", "Town hall", "Roads", "Bins"],
        "score": [3, 20, None, 15, 9, 12],
        "below_target": [False, True, None, True, True, False],
        "source": ["r.txt"] * 6,
        "source_line": [10, 11, 12, 13, 14, 15],
    }
)
RULES = ListRules(
    sorts={
        "rag": [severity(), pl.col("ref")],
        "ref": [pl.col("ref")],
        "name": [pl.col("name").str.to_lowercase()],
        "score": [pl.col("score")],
    },
    default_sort="rag",
    descending_first=frozenset({"score"}),
    attention=not_on_track(),
    cycle_column="rag",
    cycle_values=(None, "Red", "Green", "-"),
    search=("ref", "name"),
)


def refs(model: ListModel) -> list[str]:
    return [row["ref"] for row in model.page(0, model.count)]


def test_the_default_sort_is_worst_first_and_every_row_is_shown() -> None:
    model = ListModel(RULES)
    model.show(ROWS)
    assert refs(model) == ["A2", "A5", "A4", "A3", "A1", "A6"]
    assert (model.count, model.total) == (6, 6)


def test_attention_keeps_the_rows_the_rule_keeps() -> None:
    model = ListModel(RULES)
    model.show(ROWS)
    model.toggle_attention()
    assert refs(model) == ["A2", "A5", "A4", "A3"]  # every rating but Green, or none
    model.toggle_attention()
    assert model.count == 6


def test_the_cycle_steps_through_values_then_rows_without_one_then_all() -> None:
    model = ListModel(RULES)
    model.show(ROWS)
    seen = []
    for _step in range(4):
        model.next_value()
        seen.append((model.cycle_value, refs(model)))
    assert seen == [
        ("Red", ["A2"]),
        ("Green", ["A1", "A6"]),
        ("-", ["A3"]),
        (None, ["A2", "A5", "A4", "A3", "A1", "A6"]),
    ]


def test_words_search_the_rules_columns_in_any_case_literally() -> None:
    model = ListModel(RULES)
    model.show(ROWS)
    model.set_search("TOWN")
    assert refs(model) == ["A4", "A1"]
    model.set_search("a[")  # literal text, never a pattern
    assert refs(model) == []
    model.set_search("")
    assert model.count == 6


def test_filters_combine_and_say_themselves_in_words() -> None:
    model = ListModel(RULES)
    model.show(ROWS)
    model.toggle_attention()
    model.next_value()
    model.next_value()  # Green: none is not on track
    assert refs(model) == []
    model.set_search("\x1b[31m")
    assert model.filters("rating", "not on track") == [
        "not on track only",
        "rating Green",
        f"words “{SHOWN_INSTEAD}[31m”",  # never a control sequence
    ]
    model.clear_filters()
    assert model.filters("rating", "not on track") == [] and model.count == 6


def test_sorting_again_reverses_and_biggest_first_columns_start_descending() -> None:
    model = ListModel(RULES)
    model.show(ROWS)
    model.sort_by("score")
    assert refs(model) == ["A2", "A4", "A6", "A5", "A1", "A3"]  # nulls last, either way
    model.sort_by("score")
    assert refs(model) == ["A1", "A5", "A6", "A4", "A2", "A3"]
    model.sort_by("name")
    assert refs(model)[:2] == ["A6", "A3"] and not model.sort_descending


def test_sort_steps_go_through_the_columns_shown_and_wrap_round() -> None:
    model = ListModel(RULES)
    model.show(ROWS)
    shown = ["rag", "ref", "unsortable", "name"]
    model.sort_step(shown, 1)
    assert model.sort_column == "ref"
    model.sort_step(shown, 1)
    assert model.sort_column == "name"  # past the column that has no sort
    model.sort_step(shown, 1)
    assert model.sort_column == "rag"
    model.sort_step(shown, -1)
    assert model.sort_column == "name"


def test_a_page_is_as_many_rows_as_asked_from_where_asked() -> None:
    model = ListModel(RULES)
    model.show(ROWS)
    assert [row["ref"] for row in model.page(2, 3)] == ["A4", "A3", "A1"]
    assert [row["ref"] for row in model.page(5, 10)] == ["A6"]
    assert model.page(6, 3) == [] and model.page(0, 0) == []
    assert model.row(99) == model.row(5) and model.row(0) is not None
    assert model.place_of("r.txt", 13) == 2 and model.place_of("r.txt", 99) is None
    assert model.index_of("ref", "A1") == 4


def test_new_rows_keep_the_filters_or_start_afresh() -> None:
    model = ListModel(RULES)
    model.show(ROWS, attention_only=True)
    model.sort_by("ref")
    model.keep_rows(ROWS.head(3))  # the same list read again
    assert refs(model) == ["A2", "A3"] and model.sort_column == "ref"
    model.show(ROWS)  # another list
    assert model.count == 6 and model.sort_column == "rag" and not model.attention_only


def test_the_loaded_order_stays_until_another_sort_is_asked() -> None:
    rules = RULES._replace(loaded_order=True, default_sort="ref")
    model = ListModel(rules)
    model.show(ROWS[[2, 0, 5, 1, 4, 3]])
    assert refs(model) == ["A3", "A1", "A6", "A2", "A5", "A4"]
    model.sort_by("ref")  # the default column again: now sorted, the other way
    assert refs(model) == ["A6", "A5", "A4", "A3", "A2", "A1"] and model.sort_descending
    model.sort_by("ref")
    assert refs(model) == ["A3", "A1", "A6", "A2", "A5", "A4"]  # back to as loaded


def test_below_target_is_the_configured_ratings_or_the_rows_mark() -> None:
    model = ListModel(RULES._replace(attention=below_target_expr(("Red",))))
    model.show(ROWS, attention_only=True)
    assert sorted(refs(model)) == ["A2"]  # A4, A5 are marked, but rated otherwise
