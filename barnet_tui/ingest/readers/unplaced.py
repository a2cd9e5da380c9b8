"""Lines of an indicator table that no row may take.

A line without a ref continues a row only where the layout shows a cell going on (a wrapped
name or comment, an empty ref cell). A line with text where the ref goes starts a row of its
own, even when that text is not a ref the tool reads (``1234``); a line holding nothing but
a rating continues only a rating the row above prints (``Green`` / ``Amber`` wrapped in a
narrow column): under a row with none, it cannot stand alone and is no one's wrapped text.
Either is a warning naming its line, never glued to the row above or below.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

_LONE_FIELDS = frozenset({"rag", "dot"})
"""Columns whose text cannot stand on a line of its own but as the rest of a wrapped cell."""
_REF_NOTE = re.compile(r"^[(\[]")
"""A ref's bracketed note wrapped under it (``AC/S11 ASCOF 2B`` / ``(1)``)."""
_SHOWN = 60


def unplaced(
    placed: Mapping[int, str], fields: Sequence[str], above: Callable[[str], str | None]
) -> str | None:
    """Why a table line without a ref (``placed``: header column -> text) can be no row's
    wrapped text, as a warning; None when it may continue one. ``above``: the text of a
    field in the row above (None where it has none, or there is no row)."""
    at = next((column for column in placed if fields[column] == "ref"), None)
    if at is not None and not _REF_NOTE.match(placed[at]):
        return (
            f"{placed[at][:_SHOWN]!r} stands where a row's ref goes but is not a ref: "
            "row not read, nor joined to another"
        )
    lone = all(fields[column] in _LONE_FIELDS for column in placed)
    if lone and not all(above(fields[column]) for column in placed):
        shown = " | ".join(placed.values())[:_SHOWN]
        return f"{shown!r} alone on a line with no ref: not read, nor joined to a row"
    return None
