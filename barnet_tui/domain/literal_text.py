"""Text from the data, made safe and sized for a terminal; no Rich, no Textual.

Report text is hostile until shown otherwise: an escape sequence in an indicator's name
could retitle a terminal or clear it, a right-to-left override could make a line read as
something it is not. This module is the one place that says which characters those are.
Ingest takes them out of what it stores; the quick check, the app, its toasts and its copy
to the clipboard show each as a visible mark. Data text is always shown literally, never as
markup or escape sequences, and cut with an ellipsis when it does not fit.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for the hints: this module is imported before any argument is read
    import polars as pl

CONTROL_CHARACTERS = r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
"""C0 controls (tab and newline too), DEL, C1 controls, and the bidi embeddings, overrides
(U+202A-U+202E) and isolates (U+2066-U+2069), as one regex class that Python's ``re`` and
Polars read alike."""

SHOWN_INSTEAD = "\N{REPLACEMENT CHARACTER}"
"""What a neutralised character is shown as: visible, so nothing is hidden, and inert."""

_CONTROL = re.compile(CONTROL_CHARACTERS[:-1] + "\ud800-\udfff]")
"""The controls, and the lone surrogates Python gives a file name's bytes that are not
UTF-8 (a Latin-1 e-acute): no file, terminal or Parquet column can hold one, so it is shown
as the replacement character (Polars strings never hold one: the column form needs no
such range, which Rust's regex would refuse)."""


def literal(text: object, replacement: str = SHOWN_INSTEAD) -> str:
    """Data text with every control and bidi character replaced, so none acts on a terminal;
    a byte of a file name that is not UTF-8 too."""
    if text is None:
        return ""
    return _CONTROL.sub(replacement, str(text))


def literal_column(column: pl.Expr, replacement: str = SHOWN_INSTEAD) -> pl.Expr:
    """``literal`` over a whole string column (or a selector of columns), for frames that are
    written out whole: the quick check's csv and json, ingest's tables."""
    return column.str.replace_all(CONTROL_CHARACTERS, replacement)


def without_controls(text: str) -> tuple[str, int]:
    """Text to store: the control and bidi characters taken out, and how many there were.

    One that is whitespace (a form feed, NEL) becomes a space, so the words either side of
    it stay apart as they were printed.
    """
    return _CONTROL.subn(lambda found: " " if found[0].isspace() else "", text)


def fit(text: str, width: int) -> str:
    """``text`` padded or cut to ``width`` cells, ending in an ellipsis when cut."""
    if width <= 0:
        return ""
    if len(text) <= width:
        return text.ljust(width)
    return text[: width - 1] + "…"
