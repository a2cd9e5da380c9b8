"""Which counts a list's footer stands on, named, so two screens never contradict each other
without a word.

The quick check counts the rows the dataset holds ("22 R"); the corporate summary shows the
report's own counts where it publishes them ("R 37"). Both are true: most reports detail
only their below-target indicators, and many detailed rows print no rating. A footer says
which basis it counts, and beside it what the summary shows for the same period and service,
with how many of the report's count its rows detail, so the two can be traced to each other.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from barnet_tui.domain.contract import ALL_SERVICES
from barnet_tui.domain.report_tables import action_counts
from barnet_tui.domain.summary import DETAILED, PUBLISHED, summary_of_counts

_BELOW = (
    ("red", "R", "Red"),
    ("red_amber", "RA", "Red Amber"),
    ("green_amber", "GA", "Green Amber"),
)


def summary_row(
    counts: pl.DataFrame,
    service_summary: pl.DataFrame,
    period: str,
    service: str | None,
    ratings: tuple[str, ...],
) -> dict[str, Any] | None:
    """The corporate summary's row for ``service`` (its total without one) in ``period``,
    as the explorer shows it (``summary_of_counts`` of the same ``period_counts`` rows);
    None when the period has no such row."""
    summary = summary_of_counts(counts, service_summary, period, ratings)
    if service is None:
        found = summary.filter(pl.col("level") == "council")
    else:
        found = summary.filter((pl.col("service") == service) & (pl.col("level") != "council"))
    return found.row(0, named=True) if found.height else None


def reported_below(row: dict[str, Any] | None) -> int:
    """How many indicators the report itself counts below target in a summary row (0 when
    it publishes no count): a list whose rows detail none of them is not an all-clear."""
    if row is None or row["basis"] != PUBLISHED:
        return 0
    return int(row["below"] or 0)


def report_counts_sentence(row: dict[str, Any] | None, scope: str, ratings: tuple[str, ...]) -> str:
    """What the summary shows for ``scope`` beside the rows listed: the report's own
    below-target counts (``ratings`` those that count) and how many of them its rows
    detail, and how many of those print no rating ("" without a summary row)."""
    if row is None or row["basis"] == DETAILED:
        return (
            f"The report publishes no counts for {scope}: the summary counts these same rows."
            if row is not None
            else ""
        )
    parts = " · ".join(
        f"{letters} {row[column] or 0}" for column, letters, rating in _BELOW if rating in ratings
    )
    if row["basis"] == PUBLISHED:
        whose = f"The report's own counts for {scope}, as the summary shows them"
    else:  # MIXED: a total of services on both bases
        whose = (
            f"The summary's total for {scope} (the report's counts where it publishes them, "
            "rows counted elsewhere)"
        )
    below, detailed = row["below"], row["detailed_below"] or 0
    if below is None:
        return f"{whose}: {parts}."
    if detailed == below:
        detail = f"its rows detail all {below}"
    else:
        detail = f"its rows detail {detailed} of them (≠)"
    rated = sum(
        row[f"detailed_{column}"] or 0 for column, _l, rating in _BELOW if rating in ratings
    )
    if detailed > rated:
        detail += f", {detailed - rated} without a rating"
    return f"{whose}: {below} below target ({parts}); {detail}."


def report_scope(service: str | None, period: str) -> str:
    """ "2016/17 Q4", or "Family Services, 2016/17 Q4": what a sentence counts."""
    return period if service is None or service == ALL_SERVICES else f"{service}, {period}"


def action_overview_notes(actions: pl.DataFrame) -> list[str]:
    """Per service and period whose report's overview counts other key actions than it
    lists (its intentions by their overall status, where the rows carry one), both numbers
    and why: "Family Services, 2015/16 Q4: the report's overview counts 16 (G 12 · GA 3 ·
    RA 0 · R 0 · 1 not rated), its intentions by their overall status; it lists 31."."""
    notes = []
    for (service, period), rows in actions.group_by("service", "period", maintain_order=True):
        counted = action_counts(rows)
        if counted.is_empty():
            continue
        row = counted.row(0, named=True)
        if row["actions"] == rows.height:
            continue
        ratings = " · ".join(
            f"{letters} {row[column]}"
            for column, letters in (
                ("actions_green", "G"),
                ("actions_green_amber", "GA"),
                ("actions_red_amber", "RA"),
                ("actions_red", "R"),
            )
        )
        notes.append(
            f"{service}, {period}: the report's overview counts {row['actions']} ({ratings} · "
            f"{row['actions_not_rated']} not rated), its intentions by their overall status; "
            f"it lists {rows.height}."
        )
    return notes
