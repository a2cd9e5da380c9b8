"""Reading report text and undoing what PDF extraction did to it.

A report line is a row of tab-separated cells (a spreadsheet gives its rows as cells).
Cleaning removes markup (``<sup>2</sup>``, ``<b>``, ``**``), footnote markers (``¹``,
``$^{^2}$``), reads look-alike characters (Cyrillic ``СРІ`` is ``CPI``) and rejoins
superscript ordinals (``5 ^{th}`` is ``5th``), but otherwise keeps the text as printed.
Control and bidi characters are taken out of every cell (see
``barnet_tui.domain.literal_text``): report text is never trusted to reach a terminal.
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from barnet_tui.domain.literal_text import without_controls
from barnet_tui.domain.storage.files import REPORT_LIMIT, FileRefused, regular_file_or_error
from barnet_tui.ingest.errors import ReportError
from barnet_tui.ingest.sources.fills import FillMark, take_marks
from barnet_tui.ingest.sources.limits import COLUMNS_LIMIT, TooWide

_SHARED = 64
"""Cells at most this long are kept once however many lines print them (a service, a period,
a rating): a long report or tracker repeats them on every row."""
PAGE_BREAK = "\f"
"""Starts the first line of each page after the first, as ``pdftotext`` writes it."""

# Cyrillic letters that PDF text extraction hands us in place of the Latin ones they look like.
_LOOKALIKES = str.maketrans(
    {
        "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "І": "I", "К": "K", "М": "M",
        "О": "O", "Р": "P", "Т": "T", "Х": "X", "а": "a", "с": "c", "е": "e", "о": "o",
        "р": "p", "х": "x", "і": "i", "у": "y",
    }
)  # fmt: skip

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉"
_FOOTNOTE_TAGS = re.compile(r"<su[pb]>.*?</su[pb]>", re.IGNORECASE)
_LATEX_FOOTNOTE = re.compile(r"\$\^\{\^?[^}]*\}\$")
_LATEX_SUPERSCRIPT = re.compile(r"\s*\^\{([^}]*)\}")
_LIST_ITEM_END = re.compile(r"</li>", re.IGNORECASE)
_TAGS = re.compile(r"</?(?:b|i|u|em|strong|mark|ul|ol|li|span|p|br)\b[^>]*>", re.IGNORECASE)
_BOLD = re.compile(r"\*\*")
_SPACES = re.compile(r"\s+")
_ORDINAL = re.compile(r"(\d) (st|nd|rd|th)\b")
_WRAPPED_HYPHEN = re.compile(r"(?<=[A-Za-z])- (?=[a-z])")


def clean(text: str) -> str:
    """One cell's text with markup, footnote markers, extraction artefacts and control
    characters removed."""
    return cleaned(text)[0]


_SPECIAL = frozenset("<&$^*\\" + _SUPERSCRIPTS + "".join(map(chr, _LOOKALIKES)))
"""Characters that start markup, an entity or a footnote, and those read as others: a cell
without them (and with only printable characters) needs only its spaces and words tidied."""


def cleaned(text: str) -> tuple[str, int]:
    """``clean``, and how many control or bidi characters it took out."""
    if text.isprintable() and _SPECIAL.isdisjoint(text):
        text = " ".join(text.split())
        if " st" in text or " nd" in text or " rd" in text or " th" in text:
            text = _ORDINAL.sub(r"\1\2", text)
        return (_WRAPPED_HYPHEN.sub("-", text) if "- " in text else text), 0
    text = text.translate(_LOOKALIKES)
    text = html.unescape(text).replace("\\pounds", "£")
    # After unescaping: "&#x202e;" is as much a bidi override as the character itself.
    text, removed = without_controls(text)
    text = _FOOTNOTE_TAGS.sub("", text)
    text = _LATEX_FOOTNOTE.sub("", text)
    text = _LATEX_SUPERSCRIPT.sub(r" \1", text)
    text = _LIST_ITEM_END.sub(" ", text)
    text = _TAGS.sub(" ", text)
    text = _BOLD.sub("", text)
    text = "".join(" " if char in _SUPERSCRIPTS else char for char in text)
    text = _SPACES.sub(" ", text).strip()
    text = _ORDINAL.sub(r"\1\2", text)
    return _WRAPPED_HYPHEN.sub("-", text), removed


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a report, or one row of a spreadsheet: its 1-based number and cleaned
    cells."""

    number: int
    printed: str | None
    """The line as a text gave it (a report's text, a PDF's as extracted); None for a row
    a source gave as cells (a spreadsheet's), which has no text of its own to keep."""
    cells: tuple[str, ...]
    removed: int = 0
    """Control and bidi characters taken out of its cells."""
    page: int | None = None
    """The page it is printed on, where the text has pages (a PDF's, or text that starts
    each page with a form feed as ``pdftotext`` writes it); else None."""
    page_line: int | None = None
    """Its 1-based line within that page's text."""
    fills: tuple[FillMark | None, ...] = ()
    """Each cell's fill, where the source marked one (``ingest.fills``); empty when none."""

    @property
    def raw(self) -> str:
        """The line as ``barnet-tui extract`` prints it: a text's line as given, a row's
        cells joined by tabs (each shaded one with its fill's mark), which read back as
        text give the same cells."""
        if self.printed is not None:
            return self.printed
        if not self.fills:
            return "\t".join(self.cells)
        return "\t".join(
            cell if mark is None else f"{cell} {mark.text}".strip()
            for cell, mark in zip(self.cells, self.fills, strict=True)
        )

    @property
    def text(self) -> str:
        """The line's cleaned text with its cells joined by single spaces."""
        return " ".join(cell for cell in self.cells if cell)

    @property
    def is_blank(self) -> bool:
        return not any(self.cells)

    @property
    def is_tabular(self) -> bool:
        """Whether the line has more than one cell (PDF tables come out tab-separated)."""
        return len(self.cells) > 1


def split_line(
    number: int, raw: str, page: int | None = None, page_line: int | None = None
) -> Line:
    """A line of text, its cells separated by tabs."""
    if raw.count("\t") >= COLUMNS_LIMIT:
        raise TooWide(number)
    return _line(number, raw.split("\t"), raw, page, page_line, "[fill " in raw)


def line_of_cells(number: int, cells: Sequence[str], marked: bool = False) -> Line:
    """A row a source gave as cells (a spreadsheet's), each cell that row's alone: never
    joined into text and split again. ``marked``: the source marked its cells' fills
    (``ingest.fills``); a cell of a source that did not is never read as one."""
    if len(cells) > COLUMNS_LIMIT:
        raise TooWide(number)
    return _line(number, cells, None, None, None, marked)


def _line(
    number: int,
    parts: Sequence[str],
    printed: str | None,
    page: int | None,
    page_line: int | None,
    marked: bool,
) -> Line:
    fills: tuple[FillMark | None, ...] = ()
    if marked:
        taken = [take_marks(part) for part in parts]
        parts = [text for text, _mark in taken]
        fills = tuple(mark for _text, mark in taken)
        fills = fills if any(fills) else ()
    cells = [cleaned(cell) for cell in parts]
    removed = sum(n for _, n in cells)
    texts = tuple(sys.intern(text) if len(text) <= _SHARED else text for text, _ in cells)
    return Line(number, printed, texts, removed, page, page_line, fills)


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a ReportError says why they cannot be read."""
    try:
        data = regular_file_or_error(path, REPORT_LIMIT, "report")
    except FileRefused as refused:
        raise ReportError(f"{path}: {refused}") from None
    return data


def decoded(path: Path, data: bytes) -> str:
    """The bytes of a text report as text; a ReportError says where they are not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = data[error.start]
        raise ReportError(
            f"{path}: not UTF-8 text (byte 0x{byte:02x} at offset {error.start})"
        ) from None


def split_lines(text: str) -> list[Line]:
    """Lines numbered as an editor numbers them (only newlines end a line). Form feeds at
    the start of a line start a new page (one per page), as ``pdftotext`` and
    ``barnet-tui extract`` write them; text with none has no pages."""
    raws = [raw.rstrip("\r") for raw in text.split("\n")]
    if raws and raws[-1] == "":
        raws.pop()
    if not any(raw.startswith(PAGE_BREAK) for raw in raws):
        return [split_line(number, raw) for number, raw in enumerate(raws, start=1)]
    lines: list[Line] = []
    page, page_line = 1, 0
    for number, raw in enumerate(raws, start=1):
        breaks = len(raw) - len(raw.lstrip(PAGE_BREAK))
        if breaks:
            page, page_line = page + breaks, 0
        page_line += 1
        lines.append(split_line(number, raw[breaks:], page, page_line))
    return lines
