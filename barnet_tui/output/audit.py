"""The RAG rule audit (``barnet-tui audit``) as a table, Markdown, CSV or JSON."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any, TextIO

import polars as pl

from barnet_tui.config import Config
from barnet_tui.domain.audit import (
    CANNOT_RATE,
    CHECKED,
    NOT_PUBLISHED,
    Audit,
    audit_sentence,
    mark,
    pair,
)
from barnet_tui.domain.literal_text import fit, literal, literal_column
from barnet_tui.domain.ratings import badge_letters
from barnet_tui.output.formats import (
    markdown_cell,
    markdown_table,
    row_lines,
    wrapped,
    wrapped_block,
    write_answer,
)
from barnet_tui.output.painter import titled

SECTIONS = {
    CHECKED: "Published ratings checked",
    NOT_PUBLISHED: "Published without a rating, rated by the rule",
    CANNOT_RATE: "Cannot be rated",
}


def write_table(
    found: Audit, out: TextIO, colour: bool, config: Config, width: int | None = None
) -> None:
    """Per kind, two lines a row, no line wider than ``table_width``."""
    title = f"RAG rule audit — {literal(found.title)}"
    painter, width = titled(out, colour, config, width, title)
    print(wrapped(audit_sentence(found.rows), width), file=out)
    for kind, heading in SECTIONS.items():
        rows = found.rows.filter(pl.col("kind") == kind)
        if not rows.height:
            continue
        if kind == CHECKED:
            heading += f" ({rows.height}; {int((~rows['agrees']).sum())} disagree)"
        else:
            heading += f" ({rows.height})"
        print(f"\n{painter.paint(wrapped(heading, width), '1;4')}", file=out)
        longest_ref = rows.select(literal_column(pl.col("ref").fill_null("")).str.len_chars().max())
        ref_width = min(int(longest_ref.item() or 1), 12)  # a longer ref wraps, whole
        for row in rows.iter_rows(named=True):
            sign = painter.paint(mark(row), "31" if row["agrees"] is False else "0")
            # The ratings, the ref and the period are whole; the service gives way.
            period = row["period"] or ""
            service_width = width - 4 - 13 - 1 - ref_width - 2 - len(period) - 2
            service = fit(literal(row["service"]), max(service_width, 8)).rstrip()
            cells = [(pair(row), 13, True), (literal(row["ref"]), ref_width, True)]
            cells.append((f"{service}, {period}", width - 4 - 13 - 1 - ref_width - 2, True))
            first, *more = row_lines(cells, (" ", "  "))
            print(f"  {sign} {first}", file=out)
            for line in more:
                print(f"    {line}", file=out)
            # The working is whole, in as many lines as it takes.
            print(wrapped_block(literal(row["working"]), width, "      "), file=out)


_MARKDOWN: Sequence[tuple[str, Any]] = (
    ("Kind", lambda row: row["kind"]),
    ("Period", lambda row: row["period"]),
    ("Service", lambda row: row["service"]),
    ("Ref", lambda row: row["ref"]),
    ("Published", lambda row: badge_letters(row["published"])),
    ("Rule", lambda row: badge_letters(row["computed"])),
    ("Agrees", lambda row: {True: "yes", False: "no"}.get(row["agrees"], "")),
    ("Working", lambda row: row["working"]),
)


def write_markdown(found: Audit, rows: pl.DataFrame, out: TextIO) -> None:
    print(f"## RAG rule audit: {markdown_cell(found.title)}\n", file=out)
    print(audit_sentence(rows) + "\n", file=out)
    if rows.height:
        print("\n".join(markdown_table(rows, _MARKDOWN)), file=out)


def write(found: Audit, fmt: str, out: TextIO, config: Config, width: int | None) -> None:
    table = partial(write_table, config=config, width=width)
    write_answer(found, found.rows, fmt, out, write_markdown, table)
