"""The four output formats every list prints in (table, csv, json, markdown), shared by the
quick check, ``changes`` and ``audit``.

csv and json carry every record whole; no format carries a control or bidi character from
the data (a dataset written by another tool may hold them), json's C1 controls included.
csv and json keep the text as it is, for scripts; csv-excel, for a spreadsheet, makes a
cell that would run as a formula inert.
The table is each command's own, coloured only on a terminal without NO_COLOR or TERM=dumb.
"""

from __future__ import annotations

import math
import os
import re
import shutil
from collections.abc import Callable, Sequence
from typing import TextIO, TypeVar

import polars as pl
import polars.selectors as cs

from barnet_tui.domain.literal_text import literal, literal_column
from barnet_tui.domain.spreadsheet_text import inert_frame
from barnet_tui.output.options import OUTPUT_FORMATS, PIPED_WIDTH, WIDTHS

FORMATS = OUTPUT_FORMATS


def table_width(out: TextIO, requested: int | None = None) -> int:
    """How wide a table may be: ``--width``, else the terminal's, else ``PIPED_WIDTH``."""
    if requested is not None:
        return requested
    if out.isatty():
        return max(shutil.get_terminal_size((PIPED_WIDTH, 24)).columns, WIDTHS[0])
    return PIPED_WIDTH


def wrapped(text: str, width: int) -> str:
    """A sentence of a table's text broken into lines of at most ``width`` cells."""
    import textwrap

    return textwrap.fill(text, width, break_on_hyphens=False, subsequent_indent="  ")


def wrapped_block(text: str, width: int, indent: str) -> str:
    """A paragraph (an audit's working) whole, every line ``indent``-ed and within ``width``."""
    import textwrap

    return textwrap.fill(
        text, width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
    )


def share_widths(
    available: int, wanted: Sequence[int], least: Sequence[int], rest: int
) -> list[int]:
    """Column widths that fit ``available`` cells: column ``rest`` takes what the others
    leave; when that is under its least, the others give way, the one with most to spare
    first, down to their least (only then does a line run over)."""
    widths = list(wanted)
    widths[rest] = 0
    over = sum(widths) + least[rest] - available
    while over > 0:
        spare = [i for i, width in enumerate(widths) if i != rest and width > least[i]]
        if not spare:
            break
        widest = max(spare, key=lambda i: widths[i] - least[i])
        widths[widest] -= 1
        over -= 1
    widths[rest] = max(available - sum(widths), least[rest])
    return widths


def row_lines(cells: Sequence[tuple[str, int, bool]], gaps: Sequence[str] = ()) -> list[str]:
    """One table row as lines: each cell is (text, width, whole). A whole cell (a figure, a
    ref, a period) wraps within its width over as many lines as it needs, never cut; the
    others (names, comments) are cut with an ellipsis. A newline in a whole cell marks
    where it rather breaks ("result\\nvs target"); on one line it is a space. ``gaps`` go
    between the cells (two spaces where not given). Lines end without trailing spaces."""
    import textwrap

    from barnet_tui.domain.literal_text import fit

    columns = []
    for text, width, whole in cells:
        one_line = text.replace("\n", " ")
        if whole and len(one_line) > width:
            parts = [
                part
                for piece in text.split("\n")
                for part in textwrap.wrap(piece, max(width, 1), break_on_hyphens=False)
            ] or [""]
        else:
            parts = [one_line if whole else fit(one_line, width)]
        columns.append([part.ljust(width) for part in parts])
    between = [*gaps, *["  "] * len(cells)][: len(cells) - 1]
    lines = []
    for line in range(max(len(parts) for parts in columns)):
        shown = [parts[line] if line < len(parts) else " " * len(parts[0]) for parts in columns]
        text = shown[0] + "".join(gap + cell for gap, cell in zip(between, shown[1:], strict=True))
        lines.append(text.rstrip())
    return lines


_MARKDOWN_ESCAPES = str.maketrans(
    {"\\": "\\\\", "|": "\\|", "[": "\\[", "]": "\\]", "<": "&lt;", ">": "&gt;"}
)
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
"""An ``&`` that starts a character reference; any other (``Children & Young People``) is
text to Markdown already."""


def markdown_cell(value: object) -> str:
    """A cell of data text in a Markdown table shows as typed and does nothing else: no raw
    HTML (``<img src=…>``, ``<script>``), no entity (``&#106;avascript:``), no link or image
    (``[click](javascript:…)``, ``![](http://…)``, ``<javascript:…>``), no cell boundary."""
    text = literal("" if value is None else str(value).replace("\n", " "))
    return _ENTITY.sub("&amp;", text).translate(_MARKDOWN_ESCAPES)


_JSON_BATCH = 10_000
"""Rows turned into Python objects at a time: millions of rows never become one string."""


def _finite(value: object) -> object:
    """``value`` with NaN and the infinities as None: JSON has no word for them (Python's
    bare ``NaN`` and ``Infinity`` make the file unreadable to every strict parser)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list):
        return [_finite(item) for item in value]
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    return value


def write_json(rows: pl.DataFrame, out: TextIO) -> None:
    """A JSON array of one object per row, written as it goes; a figure that is not a
    finite number (NaN, an infinity, from a dataset another tool wrote) is null."""
    import json

    out.write("[")
    first = True
    for batch in rows.iter_slices(_JSON_BATCH):
        for record in batch.iter_rows(named=True):
            text = json.dumps(_finite(record), ensure_ascii=False, indent=2, allow_nan=False)
            out.write(("\n  " if first else ",\n  ") + text.replace("\n", "\n  "))
            first = False
    out.write("\n]\n" if not first else "]\n")


def colour_wanted(out: TextIO) -> bool:
    return out.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def write_records(
    rows: pl.DataFrame,
    fmt: str,
    out: TextIO,
    markdown: Callable[[pl.DataFrame, TextIO], None],
    table: Callable[[pl.DataFrame, TextIO], None],
) -> None:
    """``rows`` as ``fmt``: csv and json are every record whole; no format carries a control
    or bidi character from the data. csv-excel is for a spreadsheet: a text cell it would
    run as a formula is made inert (``domain/spreadsheet_text.py``); csv stays raw for
    scripts."""
    inert = rows.with_columns(literal_column(cs.string()))
    if fmt == "csv":
        inert.write_csv(out)
    elif fmt == "csv-excel":
        out.write("\ufeff")
        inert_frame(inert).write_csv(out)
    elif fmt == "json":
        write_json(inert, out)
    elif fmt == "markdown":
        markdown(inert, out)
    else:
        table(rows, out)
    out.flush()


Answer = TypeVar("Answer")


def write_answer(
    found: Answer,
    rows: pl.DataFrame,
    fmt: str,
    out: TextIO,
    markdown: Callable[[Answer, pl.DataFrame, TextIO], None],
    table: Callable[[Answer, TextIO, bool], None],
) -> None:
    """An answer's ``rows`` as ``fmt`` (``write_records``), its Markdown and its terminal
    table laid out by its own writers; the table is told whether to colour."""
    write_records(
        rows,
        fmt,
        out,
        lambda shown, stream: markdown(found, shown, stream),
        lambda _rows, stream: table(found, stream, colour_wanted(stream)),
    )


def markdown_table(
    rows: pl.DataFrame, columns: Sequence[tuple[str, Callable[[dict[str, object]], object]]]
) -> list[str]:
    """Lines of a Markdown table: ``columns`` are (heading, cell of a record)."""
    lines = ["| " + " | ".join(heading for heading, _cell in columns) + " |"]
    lines.append("|" + "---|" * len(columns))
    for row in rows.iter_rows(named=True):
        lines.append("| " + " | ".join(markdown_cell(cell(row)) for _h, cell in columns) + " |")
    return lines
