"""A page's words and printed lines as PDFium reads its characters: a word ends at a space,
a change of type size, a gap or a jump to another line; a line is words side by side, with
footnote marks raised beside (or pushed below) the text they mark."""

from __future__ import annotations

import ctypes
from collections import Counter
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from barnet_tui.ingest.sources.limits import PAGE_CHARACTERS
from barnet_tui.ingest.sources.pdf_blocks import PdfError
from barnet_tui.ingest.sources.pdf_hyphens import (
    HARD_HYPHEN,
    SOFT_HYPHEN,
    drawn_alone,
)

Word = dict[str, Any]


class TextLine:
    """One printed line: its words, left to right (never changed once made)."""

    def __init__(self, words: list[Word]) -> None:
        self.words = words

    @cached_property
    def top(self) -> float:
        return min(float(word["top"]) for word in self.words)

    @cached_property
    def bottom(self) -> float:
        return max(float(word["bottom"]) for word in self.words)

    @cached_property
    def baseline(self) -> float:
        """Where its text stands (the lowest baseline of its words), marks raised or lowered
        aside: the same for every line set in one font, whatever letters hang below it."""
        size = self.size
        return max(
            float(word["base"] if "base" in word else word["bottom"])
            for word in self.words
            if word["size"] >= 0.85 * size
        )

    @cached_property
    def x0(self) -> float:
        return float(self.words[0]["x0"])

    @cached_property
    def x1(self) -> float:
        return max(float(word["x1"]) for word in self.words)

    @cached_property
    def size(self) -> float:
        """The size most of its characters are set in."""
        sizes: Counter[float] = Counter()
        for word in self.words:
            sizes[round(word["size"], 1)] += len(word["text"])
        return sizes.most_common(1)[0][0]

    @cached_property
    def text(self) -> str:
        return joined_words(self.words, self.size)

    @cached_property
    def parts(self) -> list[list[Word]]:
        """The line cut where the gap between two words is wider than any space between
        words of one cell (a column gap)."""
        parts: list[list[Word]] = [[self.words[0]]]
        for before, word in zip(self.words, self.words[1:], strict=False):
            if word["x0"] - before["x1"] > _column_gap(word):
                parts.append([])
            parts[-1].append(word)
        return parts


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def joined_words(words: Sequence[Word], size: float) -> str:
    """The words of one printed line as text: a space where the page shows one, none
    between parts of a word set in two fonts, and raised small figures (footnote marks) as
    superscript digits."""
    text = ""
    before: Word | None = None
    baseline = max(
        (float(word["bottom"]) for word in words if word["size"] >= 0.85 * size),
        default=float("inf"),
    )
    for word in words:
        piece = str(word["text"])
        raised = word.get("raised") or (
            word["size"] < 0.85 * size and word["bottom"] < baseline - 0.15 * size
        )
        lowered = word["size"] < 0.85 * size and word["top"] > baseline - 0.7 * size
        if raised and piece.isdigit():
            piece = " " + piece.translate(_SUPERSCRIPT)
        elif lowered and piece.isdigit():
            piece = piece.translate(_SUBSCRIPT)
        elif before is not None and word["x0"] - before["x1"] > 0.12 * size:
            piece = " " + piece
        text += piece
        before = word
    return text.strip()


def _column_gap(word: Word) -> float:
    return max(0.9 * float(word["size"]), 6.0)


def printed_lines(words: Sequence[Word]) -> list[TextLine]:
    """Words grouped into printed lines: words whose vertical extents overlap by half; a
    line of small figures close to a line of larger text (footnote marks, raised, or pushed
    onto a line of their own by the line's end) joins it."""
    groups: list[list[Word]] = []
    spans: list[tuple[float, float]] = []
    for word in sorted(words, key=lambda w: (round(w["top"], 0), w["x0"])):
        top, bottom = float(word["top"]), float(word["bottom"])
        for index in range(len(groups) - 1, max(-1, len(groups) - 4), -1):
            above, below = spans[index]
            if min(below, bottom) - max(above, top) > 0.5 * min(bottom - top, below - above):
                groups[index].append(word)
                spans[index] = (min(above, top), max(below, bottom))
                break
        else:
            groups.append([word])
            spans.append((top, bottom))
    lines = sorted(
        (TextLine(sorted(group, key=lambda w: w["x0"])) for group in groups),
        key=lambda line: line.top,
    )
    extra: dict[int, list[Word]] = {}
    marks: set[int] = set()
    for index, line in enumerate(lines):
        near = [(at, lines[at]) for at in (index - 1, index + 1) if 0 <= at < len(lines)]
        home = _mark_home(line, near)
        if home is None:
            continue
        at, other = home
        marks.add(index)
        if line.top < other.bottom - 0.3 * (other.bottom - other.top):
            extra.setdefault(at, []).extend(line.words)
        else:
            extra.setdefault(at, []).extend(
                {**word, "x0": other.x1 + word["size"] * (1 + i), "raised": True, "at": word["x0"]}
                for i, word in enumerate(line.words)
            )
    kept = [
        TextLine(sorted(line.words + extra[index], key=lambda w: w["x0"]))
        if index in extra
        else line
        for index, line in enumerate(lines)
        if index not in marks
    ]
    return sorted(kept, key=lambda line: (line.top, line.x0))


def _mark_home(line: TextLine, near: Sequence[tuple[int, TextLine]]) -> tuple[int, TextLine] | None:
    """The line (and its place) that ``line`` holds the footnote marks of, if it is only
    small figures raised beside a line of larger text or just below its end."""
    if not all(str(word["text"]).isdigit() for word in line.words):
        return None
    middle = (line.top + line.bottom) / 2
    for at, other in near:
        if max(word["size"] for word in line.words) >= 0.85 * other.size:
            continue
        height = other.bottom - other.top
        if other.top - 0.5 * height <= middle <= other.bottom + height:
            return at, other
    return None


def word_inside(word: Word, bbox: tuple[float, float, float, float]) -> bool:
    x = (float(word["x0"]) + float(word["x1"])) / 2
    y = (float(word["top"]) + float(word["bottom"])) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def page_words(page: Any, height: float) -> tuple[list[Word], bool]:
    """The page's words, as pdfium reads its characters: a word ends at a space, a change
    of type size (a footnote mark), a gap, or a jump to another line. And whether the page
    prints the space a line was broken at (a word processor does): then a line that ends
    in a hyphen with no space after it broke a word there (its word is marked ``open``)."""
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    if textpage.count_chars() > PAGE_CHARACTERS:
        raise PdfError(
            f"a page draws {textpage.count_chars():,} characters, more than any report's page "
            f"({PAGE_CHARACTERS:,} at most); not read"
        )
    words: list[Word] = []
    chars: list[str] = []
    box: list[float] = []
    size = 0.0
    spaced = after_space = False
    x, y = ctypes.c_double(), ctypes.c_double()
    origin = [0.0]  # the baseline of the word's first character

    def end_word(at_break: bool = False) -> None:
        if chars:
            words.append(
                {"text": "".join(chars), "x0": box[0], "x1": box[2], "top": height - box[3],
                 "bottom": height - box[1], "size": size, "base": height - origin[0]}
            )  # fmt: skip
            if at_break and chars[-1] in "-‐":
                words[-1]["open"] = True  # no space printed after it where its line breaks
            chars.clear()

    for index in range(textpage.count_chars()):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index) or 0x20)
        if char == "\x02":  # pdfium's mark for a hyphen that ends a line
            char = SOFT_HYPHEN if drawn_alone(textpage, index) else "-" + HARD_HYPHEN
        if pdfium_c.FPDFText_IsGenerated(textpage.raw, index) == 1:
            spaced = spaced or (after_space and char in "\r\n")
            end_word(at_break=char in "\r\n")
            continue
        after_space = char.isspace()
        if after_space:
            end_word()
            continue
        left, bottom, right, top = textpage.get_charbox(index, loose=True)
        char_size = round(float(pdfium_c.FPDFText_GetFontSize(textpage.raw, index)), 2)
        if chars and (
            abs(char_size - size) > 0.1
            or left - box[2] > 0.15 * size
            or left < box[0] - 0.5 * size
            or abs(bottom - box[1]) > 0.5 * size
        ):
            end_word(at_break=abs(bottom - box[1]) > 0.5 * size)
        if not chars:
            box = [left, bottom, right, top]
            size = char_size
            pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, ctypes.byref(x), ctypes.byref(y))
            origin[0] = y.value
        else:
            box = [min(box[0], left), min(box[1], bottom), max(box[2], right), max(box[3], top)]
        chars.append(char)
    end_word()
    return words, spaced
