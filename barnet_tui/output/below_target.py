"""The below-target list (``barnet-tui --below-target``) as a table, Markdown, CSV or JSON:
grouped by service, each figure whole, the footer saying what the counts count."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any, TextIO

import polars as pl

from barnet_tui.config import Config
from barnet_tui.domain.contract import INDICATORS
from barnet_tui.domain.count_basis import report_counts_sentence, report_scope
from barnet_tui.domain.judging import nothing_below_target
from barnet_tui.domain.literal_text import fit, literal, literal_column
from barnet_tui.domain.questions import Selection
from barnet_tui.domain.ratings import DOT_ARROWS, badge_letters, dot_label
from barnet_tui.output.formats import (
    colour_wanted,
    markdown_cell,
    row_lines,
    share_widths,
    wrapped,
    write_records,
)
from barnet_tui.output.painter import titled

FIGURES_WIDTH = 18
"""The figures column's width when the table has room: longer figures wrap in it, whole."""


def _direction(row: dict[str, Any]) -> str:
    """ "▼ Worsening"; a word outside the contract is shown as printed, so made inert."""
    return literal(dot_label(row["dot"]))


def footer(selection: Selection) -> list[str]:
    """The count of the rows listed, saying what it counts, and beside it what the summary
    shows for the same period (the report's own counts, and how many of them its rows
    detail), so that "22 R" here and "R 37" there read as the two counts they are."""
    rows = selection.rows
    counts = Counter(rows["rag"].to_list())
    parts = [
        f"{counts[rag]} {badge_letters(rag)}"
        for rag in ("Red", "Red Amber", "Green Amber")
        if counts[rag]
    ]
    if counts[None]:
        parts.append(f"{counts[None]} listed without a rating")
    noun = "indicator" if rows.height == 1 else "indicators"
    listed = " · ".join(parts) if parts else "none"
    lines = [f"{rows.height} {noun} below target, counted from {selection.basis}: {listed}"]
    if selection.summary is not None:
        scope = report_scope(selection.summary["service"], selection.summary["period"])
        lines.append(report_counts_sentence(selection.summary, scope, selection.below_target))
    return [line for line in lines if line]


def _nothing(selection: Selection, shown: Callable[[str], str]) -> str:
    """What an empty list judged, its scope made safe by ``shown`` for where it goes."""
    return nothing_below_target(selection.judged, shown(selection.title), selection.ratings)


def _shown_text(name: str) -> pl.Expr:
    """A text column as ``literal`` shows it, made inert in one pass over the column."""
    return literal_column(pl.col(name).fill_null(""))


def write_table(
    selection: Selection, out: TextIO, colour: bool, config: Config, width: int | None = None
) -> None:
    """Grouped by service, one line an indicator, no line wider than ``table_width``. Text
    is made inert and figures are put together a column at a time (the default check lists
    every indicator below target: on a dataset of many councils, tens of thousands of
    lines), and written at once."""
    rows = selection.rows
    heading = config.headed(f"Below target — {literal(selection.title)}")
    painter, width = titled(out, colour, config, width, heading)
    if rows.height == 0:
        print(wrapped(_nothing(selection, literal), width), file=out)
        for line in footer(selection)[1:]:  # what the report itself counts
            print(wrapped(literal(line), width), file=out)
        return
    result, target = _shown_text("result_raw"), _shown_text("target_raw")
    result = pl.when(result == "").then(pl.lit("listed only")).otherwise(result)
    shown = rows.select(
        "service",
        "rag",
        "dot",
        "period",
        ref=_shown_text("ref"),
        indicator=_shown_text("indicator"),
        # A newline marks where a figure too wide for its column breaks: before "vs".
        figures=pl.when(target != "")
        .then(pl.format("{}\nvs {}", result, target))
        .otherwise(result),
    )
    directions = {dot: _direction({"dot": dot}) for dot in shown["dot"].unique().to_list()}
    badges = {rag: painter.badge(rag) for rag in shown["rag"].unique().to_list()}
    longest = shown.select(pl.col("ref", "figures").str.len_chars().max()).row(0, named=True)
    period_width = 10 if selection.period_shown else 0
    # badge, "  ", ref, " ", name, "  ", figures, "  ", direction[, "  ", period]
    available = width - 4 - 7 - (2 + period_width if period_width else 0)
    # Refs and figures are never cut: a row whose figures are wider than their column wraps
    # them onto lines of its own; the name gives way first.
    wanted = [
        longest["ref"],
        0,
        min(longest["figures"], FIGURES_WIDTH),
        max(len(direction) for direction in directions.values()),
    ]
    least = [10, 14, 10, 1]
    ref_width, name_width, figures_width, dot_width = share_widths(available, wanted, least, 1)
    arrows_only = dot_width < wanted[3]  # "▼" reads better than "▼ Worseni…"
    if arrows_only:
        wanted[3] = 1
        ref_width, name_width, figures_width, dot_width = share_widths(available, wanted, least, 1)
    shown_directions = {
        dot: direction[:1] if arrows_only else fit(direction, dot_width)
        for dot, direction in directions.items()
    }
    lines = []
    service = None
    columns = ("service", "rag", "dot", "period", "ref", "indicator", "figures")
    for name, rag, dot, period, ref, indicator, figures in shown.select(columns).iter_rows():
        if name != service:
            service = name
            lines.append(f"\n{painter.paint(wrapped(literal(service), width), '1;4')}")
        cells = [(ref, ref_width, True), (indicator, name_width, False)]
        cells.append((figures, figures_width, True))
        first, *more = row_lines(cells, (" ", "  "))
        first = first.ljust(ref_width + name_width + figures_width + 3)
        line = f"{badges[rag]}  {first}  {shown_directions[dot]}"
        if selection.period_shown:
            line += "  " + painter.paint(period, "2")
        lines.append(line.rstrip())
        lines.extend(f"{' ' * 6}{rest}" for rest in more)
    lines.append("\n" + "\n".join(wrapped(literal(line), width) for line in footer(selection)))
    if arrows_only:
        arrows = " · ".join(f"{arrow} {word.lower()}" for word, arrow in DOT_ARROWS.items())
        lines.append(wrapped(f"Direction of travel: {arrows}", width))
    out.write("\n".join(lines) + "\n")


def write_markdown(selection: Selection, out: TextIO) -> None:
    print(f"## Below target: {markdown_cell(selection.title)}\n", file=out)
    if selection.rows.height == 0:
        print(_nothing(selection, markdown_cell), file=out)
        for line in footer(selection)[1:]:  # what the report itself counts
            print(f"\n{markdown_cell(line)}", file=out)
        return
    header = ["Service", "Ref", "Indicator", "Rating", "Result", "Target", "Direction", "Period"]
    print("| " + " | ".join(header) + " |", file=out)
    print("|" + "---|" * len(header), file=out)
    for row in selection.rows.iter_rows(named=True):
        rating = f"{badge_letters(row['rag'])} ({row['rag']})" if row["rag"] else "below target"
        cells = [
            row["service"],
            row["ref"],
            row["indicator"],
            rating,
            row["result_raw"],
            row["target_raw"],
            dot_label(row["dot"]),
            row["period"],
        ]
        print("| " + " | ".join(markdown_cell(cell) for cell in cells) + " |", file=out)
    print("\n" + "\n\n".join(markdown_cell(line) for line in footer(selection)), file=out)


def write(
    selection: Selection, fmt: str, out: TextIO, config: Config, width: int | None = None
) -> None:
    """Print ``selection`` as ``fmt``; no format carries a control or bidi character from the
    data (a dataset written by another tool may hold them), json's C1 controls included."""
    write_records(
        selection.rows.select(column.name for column in INDICATORS),
        fmt,
        out,
        lambda _rows, stream: write_markdown(selection, stream),
        lambda _rows, stream: write_table(selection, stream, colour_wanted(stream), config, width),
    )
