"""``barnet-tui --actions`` and ``--risks``: the quick check's other two lists.

Key actions not on track (any rating but Green, or none) and risks scored at least
``--min-score``, printed in the quick check's formats with its exit codes. Like it, this never
imports Textual or Rich.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, NamedTuple, TextIO

import polars as pl

from barnet_tui.cli.common import resolve_scope
from barnet_tui.config import Config
from barnet_tui.domain.attention import NOT_ON_TRACK, NOT_ON_TRACK_MEANS
from barnet_tui.domain.contract import TABLES
from barnet_tui.domain.count_basis import action_overview_notes
from barnet_tui.domain.dataset import scan_table
from barnet_tui.domain.judging import (
    Judged,
    exit_status,
    judge_actions,
    judge_risks,
    nothing_off_track,
    nothing_scored,
)
from barnet_tui.domain.literal_text import fit, literal
from barnet_tui.domain.queries import CURRENT, has_period, unavailable_period
from barnet_tui.domain.ratings import badge_letters
from barnet_tui.domain.report_tables import (
    latest_per_service,
    not_green,
    scored_at_least,
    worst_actions_first,
    worst_risks_first,
)
from barnet_tui.output.formats import (
    colour_wanted,
    markdown_cell,
    table_width,
    wrapped,
    write_records,
)
from barnet_tui.output.painter import Painter


class ListQuery(NamedTuple):
    table: str
    """``actions`` or ``risks``."""
    period: str
    service: str | None
    min_score: int | None = None


class Listing(NamedTuple):
    rows: pl.DataFrame
    title: str
    period_shown: bool
    judged: Judged
    """What was judged: the scope's key actions or risks, those rated or scored, those kept."""
    notes: list[str]
    """Where a report's overview counts other key actions than it lists: both, and why."""


def select(query: ListQuery, config: Config) -> Listing:
    """The rows to print; DatasetError / ChoiceError on bad data or arguments."""
    scan = scan_table(config.data_dir, query.table)
    indicators = scan_table(scan.generation, "indicators")  # the same generation
    scope = resolve_scope(indicators, config, query.period, query.service, "service")
    period, service = scope.period, scope.service

    def scoped(frame: pl.LazyFrame) -> pl.LazyFrame:
        if service is not None:
            frame = frame.filter(pl.col("service") == service)
        if period is not None:
            frame = frame.filter(pl.col("period") == period)
        elif query.period == CURRENT:
            frame = latest_per_service(frame)
        return frame

    def rows(frame: pl.LazyFrame) -> pl.LazyFrame:
        frame = scoped(frame)
        if query.table == "actions":
            return worst_actions_first(not_green(frame))
        return worst_risks_first(scored_at_least(frame, query.min_score))

    selected, warnings = scan.collect(rows)
    if not selected.height:
        indicators.require_rows()
        if period is not None and not has_period(indicators.rows, period):
            raise unavailable_period(indicators.rows, query.period)
    for warning in warnings:
        print(f"barnet-tui: warning: {warning}", file=sys.stderr)
    # What the list judged, and where a report's overview counts other key actions than it
    # lists (the tables are a report's few rows, read again whole).
    in_scope, _ = scan.collect(scoped)
    notes: list[str] = []
    if query.table == "actions":
        judged = judge_actions(in_scope)
        notes = action_overview_notes(in_scope)
    else:
        judged = judge_risks(in_scope, query.min_score)
    return Listing(selected, scope.title, scope.many, judged, notes)


def _heading(query: ListQuery) -> str:
    if query.table == "actions":
        return f"Key actions {NOT_ON_TRACK}"
    if query.min_score is None:
        return "Risks"
    return f"Risks scored {query.min_score} or more"


def _nothing(query: ListQuery, listing: Listing, shown: Callable[[str], str]) -> str:
    """What the empty list judged, its scope made safe by ``shown`` for where it goes."""
    scope = shown(listing.title)
    if query.table == "actions":
        return nothing_off_track(listing.judged, scope)
    return nothing_scored(listing.judged, scope, query.min_score)


def _risk_figures(row: dict[str, Any]) -> str:
    score = "?" if row["score"] is None else str(row["score"])
    target = "" if row["target_score"] is None else f" → {row['target_score']}"
    return f"{score:>2}{target}"


def _action_name(row: dict[str, Any]) -> str:
    return literal(f"{row['ref'] or '—'} {row['action']}")


def _risk_name(row: dict[str, Any]) -> str:
    category = f"{row['category']}: " if row["category"] else ""
    return literal(f"{row['risk_id']} {category}{row['description'] or ''}")


def write_table(
    query: ListQuery,
    listing: Listing,
    out: TextIO,
    colour: bool,
    config: Config,
    width: int | None = None,
) -> None:
    painter = Painter(colour, config)
    width = table_width(out, width)
    heading = config.headed(f"{_heading(query)} — {literal(listing.title)}")
    print(painter.paint(wrapped(heading, width), "1"), file=out)
    if listing.rows.height == 0:
        print(wrapped(_nothing(query, listing, literal), width), file=out)
        return
    period_width = 12 if listing.period_shown else 0  # "  2016/17 Q4"
    lead_width = 4 if query.table == "actions" else 7  # a badge, or "15 → 10"
    name_width = max(width - lead_width - 2 - period_width, 12)
    service = None
    for row in listing.rows.iter_rows(named=True):
        if row["service"] != service:
            service = row["service"]
            print(f"\n{painter.paint(wrapped(literal(service), width), '1;4')}", file=out)
        if query.table == "actions":
            lead, name = painter.badge(row["rag"]), _action_name(row)
        else:
            lead = painter.paint(_risk_figures(row).ljust(lead_width), "1")
            name = _risk_name(row)
        line = f"{lead}  {fit(name, name_width)}"
        if listing.period_shown:
            line += "  " + painter.paint(row["period"], "2")
        print(line.rstrip(), file=out)
    lines = (wrapped(literal(line), width) for line in footer(query, listing))
    print("\n" + "\n".join(lines), file=out)


def footer(query: ListQuery, listing: Listing) -> list[str]:
    """How many were listed of how many the scope holds, and what the report's own overview
    counts where it counts otherwise."""
    count, held = listing.rows.height, listing.judged.held
    if query.table == "actions":
        many = "" if held == 1 else "s"
        said = f"{count} of the {held} key action{many} the reports list are {NOT_ON_TRACK}"
        return [f"{said} ({NOT_ON_TRACK_MEANS}).", *listing.notes]
    if query.min_score is None:
        return [f"{count} risk{'' if count == 1 else 's'}."]
    return [f"{count} of the {held} risks scored {query.min_score} or more."]


_MARKDOWN = {
    "actions": (
        ("Service", "service"),
        ("Ref", "ref"),
        ("Action", "action"),
        ("Rating", "rag"),
        ("Status as printed", "rag_raw"),
        ("Period", "period"),
    ),
    "risks": (
        ("Service", "service"),
        ("Risk", "risk_id"),
        ("Category", "category"),
        ("Description", "description"),
        ("Score", "score"),
        ("Target score", "target_score"),
        ("Period", "period"),
    ),
}


def write_markdown(query: ListQuery, listing: Listing, out: TextIO) -> None:
    print(f"## {_heading(query)}: {markdown_cell(listing.title)}\n", file=out)
    if listing.rows.height == 0:
        print(_nothing(query, listing, markdown_cell), file=out)
        return
    columns = _MARKDOWN[query.table]
    print("| " + " | ".join(label for label, _name in columns) + " |", file=out)
    print("|" + "---|" * len(columns), file=out)
    for row in listing.rows.iter_rows(named=True):
        cells = [row[name] for _label, name in columns]
        if query.table == "actions":
            cells[3] = badge_letters(row["rag"])
        print("| " + " | ".join(markdown_cell(cell) for cell in cells) + " |", file=out)
    print("\n" + "\n\n".join(markdown_cell(line) for line in footer(query, listing)), file=out)


def run(
    query: ListQuery, fmt: str, fail_if_any: bool, config: Config, width: int | None = None
) -> int:
    """Print the list; with ``fail_if_any``, exit status 1 when it has anything in it, 3
    when nothing could be judged (no key action or risk in scope, or none scored)."""
    listing = select(query, config)
    write_records(
        listing.rows.select(column.name for column in TABLES[query.table]),
        fmt,
        sys.stdout,
        lambda rows, stream: write_markdown(query, listing._replace(rows=rows), stream),
        lambda _rows, stream: write_table(
            query, listing, stream, colour_wanted(stream), config, width
        ),
    )
    return exit_status(listing.judged, fail_if_any)
