"""Reading report text and undoing what PDF extraction did to it.

A report line is a row of tab-separated cells. Cleaning removes markup (``<sup>2</sup>``,
``<b>``, ``**``), footnote markers (``¹``, ``$^{^2}$``), reads look-alike characters
(Cyrillic ``СРІ`` is ``CPI``) and rejoins superscript ordinals (``5 ^{th}`` is ``5th``), but
otherwise keeps the text as printed. Control and bidi characters are taken out of every
cell (see ``barnet_tui.display``): report text is never trusted to reach a terminal.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from barnet_tui.display import without_controls
from barnet_tui.domain.files import REPORT_LIMIT, FileRefused, regular_file_or_error
from barnet_tui.ingest.errors import ReportError

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


def cleaned(text: str) -> tuple[str, int]:
    """``clean``, and how many control or bidi characters it took out."""
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


@dataclass(frozen=True)
class Line:
    """One line of a report: its 1-based number, raw text and cleaned cells."""

    number: int
    raw: str
    cells: tuple[str, ...]
    removed: int = 0
    """Control and bidi characters taken out of its cells."""

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
        return "\t" in self.raw


def split_line(number: int, raw: str) -> Line:
    cells = [cleaned(cell) for cell in raw.split("\t")]
    return Line(number, raw, tuple(text for text, _ in cells), sum(n for _, n in cells))


def read_report(path: Path) -> tuple[str, bytes]:
    """The report's text and bytes; a ReportError says why it cannot be read."""
    try:
        data = regular_file_or_error(path, REPORT_LIMIT, "report")
    except FileRefused as refused:
        raise ReportError(f"{path}: {refused}") from None
    try:
        return data.decode("utf-8"), data
    except UnicodeDecodeError as error:
        byte = data[error.start]
        raise ReportError(
            f"{path}: not UTF-8 text (byte 0x{byte:02x} at offset {error.start})"
        ) from None


def split_lines(text: str) -> list[Line]:
    """Lines numbered as an editor numbers them (only newlines end a line)."""
    raws = text.split("\n")
    if raws and raws[-1] == "":
        raws.pop()
    return [split_line(number, raw.rstrip("\r")) for number, raw in enumerate(raws, start=1)]
