"""The changes (``barnet-tui changes``) as a table, Markdown, CSV or JSON."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, TextIO

import polars as pl

from barnet_tui.config import Config
from barnet_tui.domain.changes import (
    compared_with,
    counts_sentence,
    cue,
    detail,
    not_comparable,
)
from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.questions import Changes
from barnet_tui.output.formats import (
    markdown_cell,
    markdown_table,
    row_lines,
    share_widths,
    wrapped,
    write_answer,
)
from barnet_tui.output.painter import titled


def write_table(
    found: Changes, out: TextIO, colour: bool, config: Config, width: int | None = None
) -> None:
    """Per service, one line a change, no line wider than ``table_width``."""
    painter, width = titled(out, colour, config, width, f"Changes — {literal(found.title)}")
    rows = found.rows
    spans = {row["service"]: row for row in found.pairs.iter_rows(named=True)}
    covered = {row["service"]: row for row in found.covered.iter_rows(named=True)}
    # "  ▼ ", change, " ", ref, " ", name, "  ", what moved
    available = width - 4 - 1 - 1 - 2
    for service, span in spans.items():
        own = rows.filter(pl.col("service") == service)
        counts = covered[service]
        heading = f"{literal(service)}  {span['to_period']}"
        print(f"\n{painter.paint(wrapped(heading, width), '1;4')}", file=out)
        apart = not_comparable(counts["nothing_to_compare"], counts["new"], counts["dropped"])
        compared = f"  {counts['compared']} compared" + compared_with(
            counts["compared"], counts["printed"]
        )
        compared += f"; {apart}" if apart else ""
        print(wrapped(compared, width), file=out)
        if own.height == 0:
            said = (
                f"No changes among the {counts['compared']} compared."
                if counts["compared"]
                else "Nothing could be compared: no earlier figure for any of them."
            )
            print(f"  {said}", file=out)
            continue
        records = own.to_dicts()
        # What moved and the ref are never cut: a longer one wraps in its column, whole. The
        # kind of change ("better vs previous") stays on one line, so a row starts with it.
        # The ref too, up to ten characters ("REGENKPI05", "KPI1.2 NM"): the name gives way.
        kind_width = max(len(row["change"]) for row in records)
        ref_wanted = max(len(literal(row["ref"])) for row in records)
        change_width, ref_width, name_width, detail_width = share_widths(
            available,
            [
                kind_width,
                ref_wanted,
                0,
                min(max(len(literal(detail(row))) for row in records), 30),
            ],
            [kind_width, min(ref_wanted, 10), 10, 12],
            rest=2,
        )
        for row in records:
            sign = painter.paint(cue(row), "31" if row["worse"] else "0")
            cells = [
                (row["change"], change_width, True),
                (literal(row["ref"]), ref_width, True),
                (literal(row["indicator"]), name_width, False),
                (literal(detail(row)), detail_width, True),
            ]
            first, *more = row_lines(cells, (" ", " ", "  "))
            print(f"  {sign} {first}", file=out)
            for line in more:
                print(f"    {line}", file=out)
    council = f"Council-wide: {counts_sentence(rows, found.covered)}"
    print(f"\n{wrapped(council, width)}", file=out)
    if found.not_compared:
        print(wrapped(not_compared_line(found.not_compared, literal), width), file=out)


def not_compared_line(services: list[str], shown: Callable[[str], str]) -> str:
    """The services left out, each name made safe by ``shown`` for where it is printed:
    without it, no changes would read as nothing having changed there."""
    names = ", ".join(shown(name) for name in services)
    return f"Not compared (no report to compare with): {names}"


_MARKDOWN: Sequence[tuple[str, Any]] = (
    ("Service", lambda row: row["service"]),
    ("Ref", lambda row: row["ref"]),
    ("Indicator", lambda row: row["indicator"]),
    ("Change", lambda row: row["change"]),
    ("From", lambda row: f"{row['from_period']}"),
    ("To", lambda row: f"{row['to_period']}"),
    ("What moved", detail),
)


def write_markdown(found: Changes, rows: pl.DataFrame, out: TextIO) -> None:
    print(f"## Changes: {markdown_cell(found.title)}\n", file=out)
    if rows.height:
        print("\n".join(markdown_table(rows, _MARKDOWN)), file=out)
    print(f"\nCouncil-wide: {counts_sentence(rows, found.covered)}", file=out)
    if found.not_compared:
        print(f"\n{not_compared_line(found.not_compared, markdown_cell)}", file=out)


def write(found: Changes, fmt: str, out: TextIO, config: Config, width: int | None) -> None:
    table = partial(write_table, config=config, width=width)
    write_answer(found, found.rows, fmt, out, write_markdown, table)
