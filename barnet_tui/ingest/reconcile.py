"""Reconciling rows against the counts reports print about themselves.

Every report counts its indicators per service: how many are below target, Green, Red and
so on. Each disagreement between those printed counts and the rows ingest found, or between
two printed counts of the same thing, is a warning: either the parser missed something or
the report contradicts itself, and a person should look.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

from barnet_tui.domain.contract import ALL_SERVICES, SUMMARY_COUNTS, schema
from barnet_tui.domain.summary import detailed_counts as summary_counts
from barnet_tui.ingest.diagnostics import IngestWarning
from barnet_tui.ingest.readers.summary import PublishedCounts

Row = dict[str, Any]
_RATING_FIELDS = {
    "Green": "green",
    "Green Amber": "green_amber",
    "Red Amber": "red_amber",
    "Red": "red",
}


def detailed_counts(rows: Iterable[Row]) -> dict[str, int]:
    """The counts a set of indicator rows gives, counted as the app counts them."""
    frame = pl.DataFrame(list(rows), schema=schema("indicators"), orient="row")
    counts = summary_counts(frame.with_columns(service=pl.lit("")))
    if counts.height == 0:
        return dict.fromkeys((*SUMMARY_COUNTS, "below"), 0)
    return {name: int(value) for name, value in counts.drop("service").row(0, named=True).items()}


def _published_below(summary: Row) -> int | None:
    parts = [summary[field] for field in ("green_amber", "red_amber", "red")]
    return None if None in parts else sum(parts)


def _name(summary: Row) -> str:
    return str(summary["service"])


def reconcile_rows(
    summary: Row, rows: list[Row], detail: dict[str, int] | None = None
) -> list[IngestWarning]:
    """Warnings where a published count row disagrees with the detailed rows it covers
    (``detail``: their ``detailed_counts``, when already counted)."""
    source, line = summary["source"], summary["source_line"]
    detail = detailed_counts(rows) if detail is None else detail
    warnings: list[IngestWarning] = []

    def warn(message: str) -> None:
        warnings.append(IngestWarning(source, line, f"{_name(summary)}: {message}"))

    below = _published_below(summary)
    if below is not None and detail["below"] != below:
        warn(f"{detail['below']} rows below target, the report counts {below}")
    rated_below = detail["green_amber"] + detail["red_amber"] + detail["red"]
    all_below_rated = rated_below == detail["below"]
    for rag, field in _RATING_FIELDS.items():
        published = summary[field]
        if published is None or rag == "Green":
            continue
        if detail[field] > published or (all_below_rated and detail[field] != published):
            warn(f"{detail[field]} rows rated {rag}, the report counts {published}")

    details_only_below = rows and all(row["below_target"] for row in rows)
    reported = summary["reported"]
    if details_only_below or reported is None:
        return warnings  # the report details only its below-target indicators, by design
    if detail["reported"] != reported:
        warn(f"{detail['reported']} rows for {reported} indicators the report counts")
        return warnings
    for field in ("green", "rag_rated", "monitor", "improved_same", "worsened"):
        if summary[field] is not None and detail[field] != summary[field]:
            warn(f"{detail[field]} rows count as {field}, the report counts {summary[field]}")
    return warnings


def reconcile_totals(summaries: list[Row]) -> list[IngestWarning]:
    """Warnings where a report's Total row is not the sum of its service rows."""
    warnings: list[IngestWarning] = []
    parts: dict[str, list[Row]] = {}  # per report, its service rows: found once
    for row in summaries:
        if row["level"] == "service":
            parts.setdefault(row["source"], []).append(row)
    sums: dict[tuple[str, str], int | None] = {}
    for total in (row for row in summaries if row["service"] == ALL_SERVICES):
        services = parts.get(total["source"], [])
        if not services:
            continue
        for field, value in total.items():
            if not isinstance(value, int) or field == "source_line":
                continue
            key = (total["source"], field)
            if key not in sums:
                values = [row[field] for row in services]
                sums[key] = None if None in values else sum(values)
            summed = sums[key]
            if summed is None or summed == value:
                continue
            warnings.append(
                IngestWarning(
                    total["source"],
                    total["source_line"],
                    f"Total {field} is {value}, its services add up to {summed}",
                )
            )
    return warnings


def reconcile_published(item: PublishedCounts, summary: Row, source: str) -> list[IngestWarning]:
    """Warnings where a dashboard or sentence disagrees with the service's count row."""
    expected = dict(summary)
    below = _published_below(summary)
    expected["below"] = below
    if summary["green"] is not None and below is not None:
        expected["on_target"] = summary["green"]
    warnings = []
    for field, value in item.counts.items():
        if expected.get(field) is not None and expected[field] != value:
            warnings.append(
                IngestWarning(
                    source,
                    item.line,
                    f"{summary['service']}: the {item.kind} says {field} {value}, "
                    f"the count table (line {summary['source_line']}) says {expected[field]}",
                )
            )
    return warnings


def reconcile_published_rows(
    item: PublishedCounts, rows: list[Row], source: str
) -> list[IngestWarning]:
    """Warnings where a dashboard or sentence with no count table disagrees with the rows."""
    counts = item.counts
    below = counts.get("below")
    if below is None and all(field in counts for field in ("green_amber", "red_amber", "red")):
        below = counts["green_amber"] + counts["red_amber"] + counts["red"]
    detail = detailed_counts(rows)["below"]
    if below is None or detail == below:
        return []
    return [
        IngestWarning(
            source,
            item.line,
            f"{item.service}: {detail} rows below target, the {item.kind} counts {below}",
        )
    ]


SHORT = 0.5
"""A report that details fewer than this share of the indicators it counts is taken for a
cut-short file. Reports detail a subset by design (the shipped ones: 18 of 30, 28 of 36), or
only their below-target indicators (73 of 73), but never as few as half."""


def incomplete_reports(indicators: pl.DataFrame, summaries: pl.DataFrame) -> list[IngestWarning]:
    """Reports with far fewer indicator rows than they count themselves: most likely a file
    cut short, which must not silently replace a good dataset.

    A report's own count is its council-wide row, else the sum of its service (or committee)
    rows; a report that details only its below-target indicators is held to its
    below-target count.
    """
    warnings = []
    for (source,), own in summaries.group_by("source", maintain_order=True):
        level = next(
            name for name in ("council", "service", "committee") if (own["level"] == name).any()
        )
        counted = own.filter(pl.col("level") == level)
        rows = indicators.filter(pl.col("source") == source)
        found, expected, what = rows.height, int(counted["reported"].sum()), ""
        below = rows["below_target"].fill_null(False).sum()
        if found == below:
            parts = counted.select(pl.sum_horizontal("green_amber", "red_amber", "red"))
            found, expected, what = int(below), int(parts.to_series().sum()), "below-target "
        if expected and found < expected * SHORT:
            warnings.append(
                IngestWarning(
                    str(source),
                    int(counted["source_line"].min()),  # type: ignore[arg-type]
                    f"{found} {what}indicator rows for the {expected} the report counts: "
                    "the file looks cut short",
                )
            )
    return warnings
