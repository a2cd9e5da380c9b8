"""Words a printed line's end breaks, and how its lines join again.

A word processor breaks a word at a line's end in two ways: at a hyphen the text has
("Non-" / "Disadvantaged": the hyphen is the word's) or at one it adds itself (a soft
hyphen: the word is whole without it). PDFium marks both as a hyphen ending a line; the
hyphen a typesetter adds is drawn on its own, the text's with its word. The reader marks each
kind in the word's text with an invisible character, so that joining the lines of a cell or
a paragraph (``join_lines``) makes the word whole as printed; ``unhyphenated`` takes the
marks out of the text ingest reads.
"""

from __future__ import annotations

import re
from typing import Any

Word = dict[str, Any]

SOFT_HYPHEN = "\xad"
"""Ends a printed line where the typesetter broke a word and drew a hyphen of its own: the
word is whole when the lines are joined."""

HARD_HYPHEN = "\u200b"
"""Follows a hyphen of the text that ends a printed line inside a word ("Non-" / "Disadvantaged"),
as the PDF reader tells it: the word is whole, hyphen kept, when the lines are joined. A
hyphen the reader does not see break a word (a line ending "S27-" before "2") is joined with
a space, as the text may have one there."""

MINUS = "\u2060"
"""Follows HARD_HYPHEN where the hyphen stands alone: joined to a figure with no space (a
minus sign), to a word with one (a dash)."""

UNSURE_HYPHEN = "\u2062"
"""Follows a hyphen ending a line, with no space after it, in a document that does not print
the spaces its lines break at: whether the text had one there cannot be told."""

DOUBTFUL_DASH = "\u2063"
"""Marks where a lone hyphen at a line's end was read as a dash with a space after it
("Barnet. -" / "The ..."): the report may have had no space ("-The"), so the row it is in
is named in a warning."""


def join_lines(above: str, below: str) -> str:
    """Two printed lines of one cell as one text: a word broken at the line's end by a hard
    hyphen ("Non-" / "Disadvantaged") keeps its hyphen and no space, one the typesetter broke
    (a soft hyphen) is whole again; else a space."""
    if not above or not below:
        return above or below
    if above.endswith(SOFT_HYPHEN) and below[0].isalnum():
        return above[:-1] + below
    if above.endswith(MINUS):
        if below[0].isdigit() or below[0] == ".":
            return above[:-2] + below
        return f"{above[:-2]} {DOUBTFUL_DASH}{below}"
    if above.endswith(HARD_HYPHEN):
        return above[:-1] + below
    if above.endswith(UNSURE_HYPHEN):
        return f"{above[:-1]} {DOUBTFUL_DASH}{below}"
    return f"{above} {below}"


def unhyphenated(text: str) -> str:
    """Text with no soft-hyphen marks left: one that ends a line nothing was joined to is
    the hyphen the page prints; any other is invisible."""
    text = re.sub(f"{SOFT_HYPHEN}(?=\\s|$)", "-", text).replace(SOFT_HYPHEN, "")
    for mark in (MINUS, HARD_HYPHEN, DOUBTFUL_DASH, UNSURE_HYPHEN):
        text = text.replace(mark, "")
    return text


def mark_broken_words(pages: list[list[Word]], spaced: bool) -> None:
    """Mark the words of ``pages`` that a line's end broke at their hyphen.

    ``spaced``: whether the document prints the spaces its lines break at. Where it does, a
    line ending in a hyphen with none after it broke a word at the hyphen ("16-" / "17"):
    the hyphen is marked so that joining the lines keeps it and adds no space. A hyphen
    standing alone so is a minus sign where a figure follows ("-" / "0.22"), a dash where
    words do ("Amber -" / "delayed"). Elsewhere (a typesetter that drops those spaces) a
    line's hyphen may have had a space after it or not: the lines join with one, and the row
    is named in a warning."""
    for words in pages:
        for word in words:
            if not word.pop("open", False):
                continue
            if not spaced:
                word["text"] = f"{word['text']}{UNSURE_HYPHEN}"
            else:
                word["text"] = f"{word['text']}{HARD_HYPHEN}"
                if len(str(word["text"])) == 2:
                    word["text"] = f"{word['text']}{MINUS}"


def drawn_alone(textpage: Any, index: int) -> bool:
    """Whether the character at ``index`` (a hyphen ending a line) is drawn on its own, as a
    word processor draws the hyphen it adds where it breaks a word (a soft hyphen), while it
    draws the characters before it together; a hyphen the text has (a hard one, "Non-") is
    drawn with the word it ends. Where each character is drawn on its own (as a browser may
    draw them), nothing tells: the hyphen is kept, as printed."""
    return (
        _drawn_length(textpage, index) == 1
        and index > 0
        and (_drawn_length(textpage, index - 1) > 1)
    )


def _drawn_length(textpage: Any, index: int) -> int:
    """How many characters the text object that draws character ``index`` draws (0 when
    none does)."""
    import pypdfium2.raw as pdfium_c

    shown = pdfium_c.FPDFText_GetTextObject(textpage.raw, index)
    if not shown:
        return 0
    # UTF-16 code units and a terminating NUL, two bytes each
    return max(0, int(pdfium_c.FPDFTextObj_GetText(shown, textpage.raw, None, 0)) // 2 - 1)
