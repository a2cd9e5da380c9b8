"""``barnet-tui --below-target``: the below-target indicators, printed, for people and scripts.

Never imports Textual or Rich: it runs in cron jobs and SSH logins where start-up time is
the whole cost. Colour only when stdout is a terminal and NO_COLOR is unset.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from typing import Any, NamedTuple, TextIO

import polars as pl

from barnet_tui.cli.common import resolve_scope
from barnet_tui.config import Config
from barnet_tui.domain.attention import below_target_expr
from barnet_tui.domain.choices import ChoiceError, choose
from barnet_tui.domain.contract import INDICATORS
from barnet_tui.domain.count_basis import (
    report_counts_sentence,
    report_scope,
    reported_below,
    summary_row,
)
from barnet_tui.domain.dataset import TableScan, load_table, scan_derived, scan_table
from barnet_tui.domain.judging import Judged, exit_status, judge_below_target, nothing_below_target
from barnet_tui.domain.literal_text import fit, literal, literal_column
from barnet_tui.domain.queries import (
    CURRENT,
    current_rows,
    has_period,
    in_period,
    unavailable_period,
    with_ratings,
    worst_first,
)
from barnet_tui.domain.ratings import (
    BADGE_LETTERS,
    DOT_ARROWS,
    NOT_RATED,
    badge_letters,
    dot_label,
)
from barnet_tui.domain.summary import count_rows
from barnet_tui.output.formats import (
    colour_wanted,
    markdown_cell,
    row_lines,
    share_widths,
    table_width,
    wrapped,
    write_records,
)
from barnet_tui.output.painter import Painter

FIGURES_WIDTH = 18
"""The figures column's width when the table has room: longer figures wrap in it, whole."""
RATING_CHOICES = ("R", "RA", "GA", NOT_RATED)
"""Letters --rag accepts: the below-target ratings, and "-" for those listed without one."""


class Query(NamedTuple):
    period: str
    """"current", "all", "latest" or a period."""
    service: str | None
    ratings: tuple[str, ...] | None
    """Badge letters from --rag, or None for the configured below-target ratings."""


class Selection(NamedTuple):
    rows: pl.DataFrame
    title: str
    period_shown: bool
    """Whether rows come from more than one period (so each row shows its period)."""
    judged: Judged
    """What was judged: the scope's indicators, those rated, and those found below."""
    ratings: tuple[str, ...] | None = None
    """The ratings ``--rag`` asked for, to say what an empty list is empty of."""
    basis: str = "the rows the dataset holds"
    """What the footer's counts count."""
    summary: dict[str, Any] | None = None
    """The corporate summary's row for the same period (and service), when one period."""
    below_target: tuple[str, ...] = ()
    """The ratings counted below target (the configuration's)."""


def parse_ratings(text: str) -> tuple[str, ...]:
    """``R,RA,GA`` -> the contract's ratings; "-" keeps rows listed without a rating."""
    chosen = []
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        letters = choose("rating", part, RATING_CHOICES)
        chosen.append(NOT_RATED if letters == NOT_RATED else _rating_for(letters))
    if not chosen:
        raise ChoiceError("rating", text, RATING_CHOICES)
    return tuple(chosen)


def _rating_for(letters: str) -> str:
    return next(rag for rag, badge in BADGE_LETTERS.items() if badge == letters)


def select(query: Query, config: Config, beside_summary: bool = True) -> Selection:
    """The rows the quick check prints; DatasetError / ChoiceError on bad data or arguments.

    The dataset is scanned lazily: only the columns and rows the answer needs are read.
    ``beside_summary``: for one period, read the summary's counts too, for a footer to name
    them and an exit status to count them (a csv or json for a script needs neither).
    """
    indicators = scan_table(config.data_dir, "indicators")
    scope = resolve_scope(indicators, config, query.period, query.service, "indicator")
    period, service = scope.period, scope.service
    # Each indicator's latest row, as ingest wrote them (else chosen from every row here).
    current = None
    if query.period == CURRENT:
        current = scan_derived(indicators.generation, "current_indicators")
    table = current or indicators

    def scoped(frame: pl.LazyFrame) -> pl.LazyFrame:
        if query.period == CURRENT and table is indicators:
            frame = current_rows(frame)
        elif period is not None:
            frame = in_period(frame, period)
        if service is not None:
            frame = frame.filter(pl.col("service") == service)
        return frame

    def rows(frame: pl.LazyFrame) -> pl.LazyFrame:
        frame = scoped(frame).filter(below_target_expr(config.below_target))
        if query.ratings is not None:
            frame = with_ratings(frame, query.ratings)
        return worst_first(frame)

    selected, warnings = table.collect(rows)
    if not selected.height:
        indicators.require_rows()
    if not selected.height and period is not None and not has_period(indicators.rows, period):
        raise unavailable_period(indicators.rows, query.period)
    for warning in warnings:  # values outside the contract: kept, shown as unknown ("?")
        print(f"barnet-tui: warning: {warning}", file=sys.stderr)
    # What an empty list judged, counted only then (a list says its own count); the same
    # columns of the same rows were read above, so the file is known to be sound.
    judged = Judged(selected.height, selected.height, selected.height)
    if not selected.height:
        judged = judge_below_target(scoped(table.rows), config.below_target, query.ratings)
    basis, summary = "the rows the dataset holds", None
    if query.period == CURRENT:
        basis = "each indicator's latest row the dataset holds"
    elif period is not None and beside_summary:
        summary = _summary_row(indicators, period, service, config.below_target)
        said = reported_below(summary) if query.ratings is None else 0
        if said > judged.found:
            # The report counts indicators below target its rows do not detail: found,
            # never an all-clear (the footer gives both numbers).
            judged = judged._replace(found=said)
    return Selection(
        selected,
        scope.title,
        scope.many,
        judged,
        query.ratings,
        basis,
        summary,
        config.below_target,
    )


def _summary_row(
    indicators: TableScan, period: str, service: str | None, ratings: tuple[str, ...]
) -> dict[str, Any] | None:
    """The summary's row the footer names beside its own count: from the counts ingest
    wrote per period (else counted from the period's rows), as the explorer reads them."""
    published, _ = load_table(indicators.generation, "service_summary")
    derived = scan_derived(indicators.generation, "period_counts")
    if derived is not None:
        counts, _ = derived.collect(lambda frame: frame.filter(pl.col("period") == period))
    else:
        counts = count_rows(in_period(indicators.rows, period), ["service", "source"]).collect()
    row = summary_row(counts, published, period, service, ratings)
    return None if row is None else {**row, "period": period}


# Output -------------------------------------------------------------------------------------


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
    painter = Painter(colour, config)
    width = table_width(out, width)
    heading = config.headed(f"Below target — {literal(selection.title)}")
    print(painter.paint(wrapped(heading, width), "1"), file=out)
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


def run(query: Query, fmt: str, fail_if_any: bool, config: Config, width: int | None = None) -> int:
    """Print the selection; with ``fail_if_any``, exit status 1 when anything is below
    target, 3 when nothing could be judged (no indicator in scope carries a rating)."""
    footed = fmt in ("table", "markdown")  # the formats whose footer names the summary's
    selection = select(query, config, beside_summary=footed or fail_if_any)
    write(selection, fmt, sys.stdout, config, width)
    return exit_status(selection.judged, fail_if_any)
