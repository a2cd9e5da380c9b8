"""``barnet-tui --below-target``: the below-target indicators, printed, for people and scripts.

Never imports Textual or Rich: it runs in cron jobs and SSH logins where start-up time is
the whole cost. Colour only when stdout is a terminal and NO_COLOR is unset.
"""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from typing import Any, NamedTuple, TextIO

import polars as pl

from barnet_tui.config import Config
from barnet_tui.display import fit, literal, literal_column
from barnet_tui.domain.choices import ChoiceError, choose
from barnet_tui.domain.contract import INDICATORS
from barnet_tui.domain.dataset import TableScan, load_table, scan_derived, scan_table
from barnet_tui.domain.queries import (
    ALL,
    CURRENT,
    LATEST,
    current_rows,
    has_period,
    in_period,
    resolve_period,
    resolve_service,
    unavailable_period,
    with_ratings,
    worst_first,
)
from barnet_tui.domain.ratings import (
    BADGE_LETTERS,
    NOT_RATED,
    badge_letters,
    below_target_expr,
    dot_label,
)
from barnet_tui.output_formats import colour_wanted, markdown_cell, write_records

RATING_CHOICES = ("R", "RA", "GA", NOT_RATED)
"""Letters --rag accepts: the below-target ratings, and "-" for those listed without one."""

_ANSI_CODES = {
    name: code
    for code, name in enumerate(
        ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"), start=30
    )
}
_BADGE_COLOUR_KEYS = {
    "Green": "green",
    "Green Amber": "green_amber",
    "Red Amber": "red_amber",
    "Red": "red",
    "Monitor": "monitor",
}


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


def select(query: Query, config: Config) -> Selection:
    """The rows the quick check prints; DatasetError / ChoiceError on bad data or arguments.

    The dataset is scanned lazily: only the columns and rows the answer needs are read.
    """
    indicators = scan_table(config.data_dir, "indicators")
    scope = resolve_scope(indicators, config, query.period, query.service, "indicator")
    period, service = scope.period, scope.service
    # Each indicator's latest row, as ingest wrote them (else chosen from every row here).
    current = None
    if query.period == CURRENT:
        current = scan_derived(indicators.generation, "current_indicators")
    table = current or indicators

    def rows(frame: pl.LazyFrame) -> pl.LazyFrame:
        if query.period == CURRENT and table is indicators:
            frame = current_rows(frame)
        elif period is not None:
            frame = in_period(frame, period)
        if service is not None:
            frame = frame.filter(pl.col("service") == service)
        frame = frame.filter(below_target_expr(config.below_target))
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
    return Selection(selected, scope.title, scope.many)


class Scope(NamedTuple):
    """The period and service a quick check asked for, checked, and its title."""

    period: str | None
    """A period, or None for "current" (each item's latest report) and "all"."""
    service: str | None
    title: str
    many: bool
    """Whether rows come from more than one period."""


def resolve_scope(
    indicators: TableScan, config: Config, period_text: str, service_text: str | None, item: str
) -> Scope:
    """``--period`` and ``--service`` resolved against the dataset's indicators; ``item``
    names what "current" takes the latest report of ("indicator", "service")."""
    title, many, period = "all periods", True, None
    if period_text == CURRENT:
        title = f"each {item}'s latest report"
    elif period_text != ALL:
        summary = None
        if period_text.strip().casefold() == LATEST:
            summary, _ = load_table(indicators.generation, "service_summary")
        period = resolve_period(indicators.rows, summary, period_text, check=False)
        title, many = period, False
    service = None
    if service_text is not None:
        service = resolve_service(indicators.rows, service_text)
        title = f"{service}, {title}"
    return Scope(period, service, title, many)


# Output -------------------------------------------------------------------------------------


def _direction(row: dict[str, Any]) -> str:
    """ "▼ Worsening"; a word outside the contract is shown as printed, so made inert."""
    return literal(dot_label(row["dot"]))


def _sgr(colour: str, background: bool) -> str:
    if colour.startswith("#"):
        digits = colour[1:]
        if len(digits) == 3:
            digits = "".join(char * 2 for char in digits)
        red, green, blue = (int(digits[index : index + 2], 16) for index in (0, 2, 4))
        return f"{48 if background else 38};2;{red};{green};{blue}"
    bright = colour.startswith("bright_")
    code = _ANSI_CODES.get(colour.removeprefix("bright_"), 37) + (60 if bright else 0)
    return str(code + 10 if background else code)


class Painter:
    def __init__(self, enabled: bool, config: Config) -> None:
        self.enabled = enabled
        self.badges = config.badges

    def paint(self, text: str, sgr: str) -> str:
        return f"\x1b[{sgr}m{text}\x1b[0m" if self.enabled else text

    def badge(self, rag: str | None) -> str:
        letters = badge_letters(rag).center(4)
        if not self.enabled:
            return letters
        key = _BADGE_COLOUR_KEYS.get(rag or "", "not_rated" if rag is None else "unknown")
        return self.paint(letters, f"1;30;{_sgr(self.badges[key], background=True)}")


def footer(rows: pl.DataFrame) -> str:
    counts = Counter(rows["rag"].to_list())
    parts = [
        f"{counts[rag]} {badge_letters(rag)}"
        for rag in ("Red", "Red Amber", "Green Amber")
        if counts[rag]
    ]
    if counts[None]:
        parts.append(f"{counts[None]} listed without a rating")
    noun = "indicator" if rows.height == 1 else "indicators"
    return f"{rows.height} {noun} below target: " + (" · ".join(parts) if parts else "none")


def _shown_text(name: str) -> pl.Expr:
    """A text column as ``literal`` shows it, made inert in one pass over the column."""
    return literal_column(pl.col(name).fill_null(""))


def write_table(selection: Selection, out: TextIO, colour: bool, config: Config) -> None:
    """The rows as lines for a person. Text is made inert and figures are put together a
    column at a time (the default check lists every indicator below target: on a dataset
    of many councils, tens of thousands of lines), and written at once."""
    rows = selection.rows
    painter = Painter(colour, config)
    width = max(shutil.get_terminal_size((100, 24)).columns, 60)
    print(painter.paint(f"Below target — {literal(selection.title)}", "1"), file=out)
    if rows.height == 0:
        print("Nothing is below target.", file=out)
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
        figures=pl.when(target != "").then(pl.format("{} vs {}", result, target)).otherwise(result),
    )
    directions = {dot: _direction({"dot": dot}) for dot in shown["dot"].unique().to_list()}
    badges = {rag: painter.badge(rag) for rag in shown["rag"].unique().to_list()}
    longest = shown.select(pl.col("ref", "figures").str.len_chars().max()).row(0, named=True)
    ref_width, figures_width = min(longest["ref"], 14), min(longest["figures"], 18)
    dot_width = max(len(direction) for direction in directions.values())
    period_width = 10 if selection.period_shown else 0
    fixed = 2 + 4 + 1 + ref_width + 1 + 1 + figures_width + 1 + dot_width
    fixed += period_width + (1 if period_width else 0)
    name_width = max(width - fixed - 1, 12)
    lines = []
    service = None
    columns = ("service", "rag", "dot", "period", "ref", "indicator", "figures")
    for name, rag, dot, period, ref, indicator, figures in shown.select(columns).iter_rows():
        if name != service:
            service = name
            lines.append(f"\n{painter.paint(literal(service), '1;4')}")
        line = "  ".join(
            [
                badges[rag],
                fit(ref, ref_width) + " " + fit(indicator, name_width),
                fit(figures, figures_width),
                directions[dot].ljust(dot_width),
            ]
        )
        if selection.period_shown:
            line += "  " + painter.paint(period, "2")
        lines.append(line.rstrip())
    lines.append(f"\n{footer(rows)}")
    out.write("\n".join(lines) + "\n")


def write_markdown(selection: Selection, out: TextIO) -> None:
    print(f"## Below target: {markdown_cell(selection.title)}\n", file=out)
    if selection.rows.height == 0:
        print("Nothing is below target.", file=out)
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
    print(f"\n{footer(selection.rows)}", file=out)


def write(selection: Selection, fmt: str, out: TextIO, config: Config) -> None:
    """Print ``selection`` as ``fmt``; no format carries a control or bidi character from the
    data (a dataset written by another tool may hold them), json's C1 controls included."""
    write_records(
        selection.rows.select(column.name for column in INDICATORS),
        fmt,
        out,
        lambda _rows, stream: write_markdown(selection, stream),
        lambda _rows, stream: write_table(selection, stream, colour_wanted(stream), config),
    )


def run(query: Query, fmt: str, fail_if_any: bool, config: Config) -> int:
    """Print the selection; exit status 1 with ``fail_if_any`` when anything is below target."""
    selection = select(query, config)
    write(selection, fmt, sys.stdout, config)
    return 1 if fail_if_any and selection.rows.height else 0
