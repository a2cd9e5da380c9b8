"""Counts a reader can trace to rows: where a count shown is the report's own and the rows
behind it say otherwise, the words that say so, with both figures.

A report's dashboard counts "G 13 GA 8 RA 2 R 3" where its tables detail 28 indicators
that print no rating; a report's overview counts 16 key actions by their annual status
where its tables list 31 by the quarter's. Neither figure is wrong, but one beside the
other without a word reads as a contradiction, or as rows that went missing.
"""

from __future__ import annotations

from typing import Any

import polars as pl

RATINGS = (("green", "G"), ("green_amber", "GA"), ("red_amber", "RA"), ("red", "R"))


def _letters(counts: dict[str, Any], prefix: str = "") -> str:
    return " ".join(f"{letters} {counts[prefix + name] or 0}" for name, letters in RATINGS)


def ratings_note(row: dict[str, Any], short: bool = False) -> str:
    """For a summary row (``summary_of_counts``) on the report's counts: "" when its rating
    counts are those of the rows the dataset holds; else "the report counts G 13 GA 8 RA 2
    R 3; the 28 rows it details print no rating" (or "...; the 8 rows it details: G 0 GA 3
    RA 1 R 4"). ``short``: "report's counts G 15 GA 3 RA 1 R 4; its 8 rows G 0 GA 3 RA 1
    R 4", for a line with little room."""
    if row.get("basis") != "published" or row.get("detailed_reported") is None:
        return ""
    names = [name for name, _letters in RATINGS]
    if all((row[name] or 0) == (row[f"detailed_{name}"] or 0) for name in names):
        return ""
    counted = f"report's counts {_letters(row)}" if short else f"the report counts {_letters(row)}"
    detailed = row["detailed_reported"]
    if not detailed:
        return f"{counted}; it details no rows"
    plural = "" if detailed == 1 else "s"
    rows = f"its {detailed} row{plural}" if short else f"the {detailed} row{plural} it details"
    if not sum(row[f"detailed_{name}"] or 0 for name in names):
        return f"{counted}; {rows} print{'s' if detailed == 1 else ''} no rating"
    return f"{counted}; {rows}{'' if short else ':'} {_letters(row, 'detailed_')}"


def actions_differ(row: dict[str, Any]) -> bool:
    """Whether a summary row's key-action counts count other actions than its tab lists."""
    counted, listed = row.get("actions"), row.get("actions_listed")
    return counted is not None and listed is not None and counted != listed


def actions_note(row: dict[str, Any], long: bool = False) -> str:
    """For a summary row with key-action counts (``with_report_columns``): "" when they count
    the actions its tab lists; else both: "key actions: 16 by the overview's annual status ≠
    31 listed" (``long``: the words the Key actions tab says it in)."""
    if not actions_differ(row):
        return ""
    counted, listed = row["actions"], row["actions_listed"]
    if long:
        return (
            f"The summary's key actions are the report's overview: {counted} by their overall "
            f"(annual) status. This tab lists all {listed} actions its tables give, each by "
            "its own status."
        )
    return f"key actions: {counted} by the overview's annual status ≠ {listed} listed (tab 2)"


def detail_lines(summary: pl.DataFrame, width: int, most: int = 3) -> int:
    """Lines (up to ``most``) the longest summary row's line under the table needs at
    ``width``: its name and figures, and the notes above where it has them. Reckoned from
    lengths over the whole frame at once (thousands of services cost no more than a few),
    with room for where words wrap."""
    if summary.is_empty():
        return 1

    def digits(name: str) -> pl.Expr:
        return pl.col(name).cast(pl.String).fill_null("–").str.len_chars()

    counts = [pl.col(name).fill_null(0) for name, _letters in RATINGS]
    detailed = [pl.col(f"detailed_{name}").fill_null(0) for name, _letters in RATINGS]
    ratings = (
        (pl.col("basis") == "published")
        & pl.col("detailed_reported").is_not_null()
        & pl.any_horizontal([count != rows for count, rows in zip(counts, detailed, strict=True)])
    ).fill_null(False)
    actions = (
        (pl.col("actions") != pl.col("actions_listed")).fill_null(False)
        if {"actions", "actions_listed"} <= set(summary.columns)
        else pl.lit(False)
    )
    figures = ["reported", "rag_rated"]
    numbers = [*figures, *(name for name, _letters in RATINGS)]
    numbers += [f"detailed_{name}" for name, _letters in RATINGS]
    # "name · 29 reported · 23 rated · 35% below target" and, with the note, " · report's
    # counts G 15 GA 3 RA 1 R 4; its 8 rows G 0 GA 3 RA 1 R 4"; else " · Enter opens its
    # list"; and " · key actions: 16 by the overview's annual status ≠ 31 listed (tab 2)".
    note = sum((digits(name) for name in numbers[2:]), digits("detailed_reported"))
    length = (
        pl.col("service").str.len_chars()
        + sum((digits(name) for name in figures), pl.lit(0))
        + 37
        + pl.when(ratings).then(note + 48).otherwise(23)
        + actions.cast(pl.Int64) * 70
    )
    longest = int(summary.select(length.max()).item() or 0)
    room = max(width - 8, 10)  # a line breaks at a word: some of it goes unused
    return max(1, min(most, -(-longest // room)))
