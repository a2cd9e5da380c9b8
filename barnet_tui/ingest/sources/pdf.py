"""Reading a report's PDF into the text ingest reads: tables as tab-separated rows, prose as
paragraphs, pages separated by form feeds (as ``pdftotext`` separates them).

pypdfium2 (PDFium, Chrome's PDF engine: BSD and Apache licences) reads every character
with its box and type size, and every line the page draws; pdfplumber's table finder (MIT)
finds the cells of a committee paper's Word tables from those ruling lines. PDFium is C and
hardened against hostile files, and ten times faster than a pure-Python parser (a 40-page
report is read in about a second). Where a table has no ruling lines, columns are told
apart by the gaps that run down the whole table. Nothing here depends on the typesetter
that made the PDF: only on what the page shows.

The result is text, so ``barnet-tui extract`` prints exactly what ingest reads, and ingesting
that text gives the same rows as ingesting the PDF.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from barnet_tui.domain.literal_text import without_controls
from barnet_tui.ingest.sources.limits import PAGE_CHARACTERS
from barnet_tui.ingest.sources.page_breaks import (
    at_foot,
    cut_row,
    empty_under_break,
    joined_row,
    keyed,
    named,
)
from barnet_tui.ingest.sources.pdf_cells import (
    assign_words,
    closed_at_breaks,
    merged_over_break,
    spanned,
)
from barnet_tui.ingest.sources.pdf_fills import Fill, mark_fills, page_fills
from barnet_tui.ingest.sources.pdf_hyphens import (
    DOUBTFUL_DASH,
    HARD_HYPHEN,
    SOFT_HYPHEN,
    drawn_alone,
    join_lines,
    mark_broken_words,
    unhyphenated,
)
from barnet_tui.ingest.sources.pdf_overflow import overflowed, unread_cells
from barnet_tui.ingest.sources.text import PAGE_BREAK

PDF_MAGIC = b"%PDF-"

_RULED = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_EDGE = 2.0
"""Points within which two column edges are the same edge."""
_LEADING = 1.3
"""Baselines of one paragraph's (or cell's) lines are at most this many font sizes apart."""
_ROW_GAP = 1.5
"""Font sizes of space at most between the rows of a table without ruling lines."""
_SAME_COLUMNS = 4.0
"""Points within which a table's columns on the next page are its columns."""
_MARGIN_SHARE = 0.1
"""The top and bottom tenth of a page, where running headers and footers sit."""
_SPACES = re.compile(r"\s+")
_BULLET = re.compile(r"^(?:[-–•·▪*]\s|[⁰¹²³⁴⁵⁶⁷⁸⁹])")
"""A list item, or a footnote (its mark first), starts a paragraph of its own."""
_DIGITS = re.compile(r"\d+")

Word = dict[str, Any]


def is_pdf(data: bytes) -> bool:
    """Whether the bytes are a PDF: they start with its header, or a little binary junk
    comes first (as PDF readers allow); a text that quotes "%PDF-" is still text."""
    at = data.find(PDF_MAGIC, 0, 1024)
    if at < 0:
        return False
    prefix = data[:at]
    if not prefix.strip():
        return True
    try:
        prefix.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return b"\x00" in prefix


class PdfError(Exception):
    """The PDF cannot be read as a report; the message says why, in a few words."""


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
        """The foot of its text, marks raised or lowered aside."""
        size = self.size
        return max(float(word["bottom"]) for word in self.words if word["size"] >= 0.85 * size)

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
        return _joined(self.words, self.size)

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


def _joined(words: Sequence[Word], size: float) -> str:
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
    return max(1.2 * float(word["size"]), 6.0)


@dataclass
class TableBlock:
    """A table on one page: its top, column edges and rows of cell text."""

    top: float
    bottom: float
    edges: list[float]
    rows: list[list[str]]
    continued: bool = False
    """Whether it goes on with the table that ended the page before."""
    header: list[str] | None = None
    """The header row of the table it goes on with (which a page may repeat)."""
    size: float = 0.0
    """The type size most of its text is set in."""
    spans: list[tuple[int, int, int]] = field(default_factory=list)
    """Empty merged cells among its first rows: (row, column, how many rows it spans)."""
    boxes: list[list[Cell | None]] = field(default_factory=list)
    """Each cell's box where ruling lines draw it, row by row (for its fill)."""

    @property
    def head(self) -> list[str]:
        return self.header if self.header is not None else self.rows[0] if self.rows else []


@dataclass
class ProseBlock:
    """A paragraph: printed lines that run on into each other."""

    top: float
    bottom: float
    size: float
    text: str
    gap_before: bool = True
    last_x1: float = 0.0
    """Where its last printed line ends."""
    first_width: float = 0.0
    """How wide its first word is."""


Block = TableBlock | ProseBlock


@dataclass
class PageText:
    number: int
    blocks: list[Block] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class PdfText:
    """What a PDF says, as report text; ``warnings`` are (page, message)."""

    text: str
    pages: int
    warnings: list[tuple[int, str]]


def _lines(words: Sequence[Word]) -> list[TextLine]:
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


def _inside(word: Word, bbox: tuple[float, float, float, float]) -> bool:
    x = (float(word["x0"]) + float(word["x1"])) / 2
    y = (float(word["top"]) + float(word["bottom"])) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _words(page: Any, height: float) -> tuple[list[Word], bool]:
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

    def end_word(at_break: bool = False) -> None:
        if chars:
            words.append(
                {"text": "".join(chars), "x0": box[0], "x1": box[2], "top": height - box[3],
                 "bottom": height - box[1], "size": size}
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
        else:
            box = [min(box[0], left), min(box[1], bottom), max(box[2], right), max(box[3], top)]
        chars.append(char)
    end_word()
    return words, spaced


def _ruling(page: Any, height: float) -> list[dict[str, Any]]:
    """The page's horizontal and vertical lines, and the sides of its rectangles, as edges
    for pdfplumber's table finder."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    edges: list[dict[str, Any]] = []

    def add(start: tuple[float, float], end: tuple[float, float]) -> None:
        (x0, y0), (x1, y1) = start, end
        if abs(y0 - y1) < 1 and abs(x0 - x1) >= 1:
            left, right = sorted((x0, x1))
            top = height - (y0 + y1) / 2
            edges.append(
                {"x0": left, "x1": right, "top": top, "bottom": top, "width": right - left,
                 "height": 0.0, "orientation": "h", "object_type": "line"}
            )  # fmt: skip
        elif abs(x0 - x1) < 1 and abs(y0 - y1) >= 1:
            low, high = sorted((y0, y1))
            x = (x0 + x1) / 2
            edges.append(
                {"x0": x, "x1": x, "top": height - high, "bottom": height - low, "width": 0.0,
                 "height": high - low, "orientation": "v", "object_type": "line"}
            )  # fmt: skip

    x, y = ctypes.c_float(), ctypes.c_float()
    for shape in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
        matrix = shape.get_matrix()
        start = current = None
        for index in range(pdfium_c.FPDFPath_CountSegments(shape.raw)):
            segment = pdfium_c.FPDFPath_GetPathSegment(shape.raw, index)
            pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
            point = matrix.on_point(x.value, y.value)
            kind = pdfium_c.FPDFPathSegment_GetType(segment)
            if kind == pdfium_c.FPDF_SEGMENT_LINETO and current is not None:
                add(current, point)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = point
            current = point
            if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
                add(current, start)
                current = start
        if len(edges) > 20_000:
            break  # a drawing, not a table: enough to find any table in it
    return edges


@dataclass
class _RuledPage:
    """What pdfplumber's table finder needs of a page: its edges."""

    edges: list[dict[str, Any]]
    bbox: tuple[float, float, float, float]


Cell = tuple[float, float, float, float]


def _grids(cells: list[Cell]) -> list[list[list[Cell]]]:
    """Cells that ruling lines join, as tables of rows: where the columns change (two tables
    set one right below the other), a new table starts; a row that only spans columns of the
    rows around it (a heading across the table) stays in its table."""
    by_top: dict[float, list[Cell]] = {}
    for cell in cells:
        by_top.setdefault(round(cell[1], 1), []).append(cell)
    grids: list[list[list[Cell]]] = []
    starts: set[float] = set()
    for _top, row in sorted(by_top.items()):
        row.sort()
        mine = {round(cell[0], 1) for cell in row}
        if grids and (mine <= starts or starts <= mine):
            grids[-1].append(row)
            starts |= mine
        else:
            grids.append([row])
            starts = mine
    return grids


def _ruled_tables(
    ruling: _RuledPage, words: list[Word], warnings: list[str]
) -> tuple[list[TableBlock], list[Word]]:
    """The page's ruled tables, each cell's lines joined into one line; and the words
    outside them. A row whose text runs over its cells' rules has those cells emptied, with
    a warning: which words are whose cannot be told."""
    from pdfplumber.table import TableFinder

    found: list[TableBlock] = []
    taken: set[int] = set()
    for table in TableFinder(ruling, _RULED).tables:  # type: ignore[arg-type]
        for grid in _grids(list(table.cells)):
            starts = sorted({round(cell[0], 1) for row in grid for cell in row})
            if len(starts) < 2:
                continue  # a framed box of text is prose
            rows: list[list[str]] = []
            boxes: list[list[Cell | None]] = []
            sizes: Counter[float] = Counter()
            for row in grid:
                bbox = (row[0][0], min(c[1] for c in row), row[-1][2], max(c[3] for c in row))
                inside = [
                    index
                    for index, word in enumerate(words)
                    if index not in taken and _inside(word, bbox)
                ]
                cells = [""] * len(starts)
                boxes.append([None] * len(starts))
                assigned = assign_words(words, inside, row)
                for cell, mine in zip(row, assigned, strict=True):
                    taken.update(mine)
                    lines = _lines([words[i] for i in mine])
                    sizes.update(line.size for line in lines)
                    text = functools.reduce(join_lines, (line.text for line in lines), "")
                    cells[starts.index(round(cell[0], 1))] = _SPACES.sub(" ", text).strip()
                    boxes[-1][starts.index(round(cell[0], 1))] = cell
                over = [starts.index(round(row[at][0], 1)) for at in overflowed(words, assigned)]
                if over:
                    warnings.append(unread_cells(cells, over))
                rows.append(cells)
            spans = spanned(grid, rows, starts)
            right = max(cell[2] for row in grid for cell in row)
            top, bottom = grid[0][0][1], max(cell[3] for row in grid for cell in row)
            size = sizes.most_common(1)[0][0] if sizes else 0.0
            edges = _merged_edges([*starts, right])
            found.append(TableBlock(top, bottom, edges, rows, boxes=boxes, size=size, spans=spans))
    loose = [word for index, word in enumerate(words) if index not in taken]
    return found, loose


def _merged_edges(edges: Iterable[float]) -> list[float]:
    merged: list[float] = []
    for edge in sorted(edges):
        if not merged or edge - merged[-1] > _EDGE:
            merged.append(edge)
    return merged


def _aligned_tables(
    lines: list[TextLine], warnings: list[str], going_on: list[float] | None = None
) -> tuple[list[TableBlock], list[TextLine]]:
    """Runs of lines set out in columns, as tables; and the other lines (prose).
    ``going_on``: where the columns start of a table the page before ended with, which the
    first lines may go on with."""
    tables: list[TableBlock] = []
    prose: list[TextLine] = []
    index = 0
    while index < len(lines):
        at_top = not tables and all(_close(a, b) for a, b in itertools.pairwise(lines[: index + 1]))
        first, end = _aligned_run(lines, index, going_on if at_top else None)
        if end > first:
            table = _aligned_table(lines[first:end])
            if len(table.edges) > 2:
                del prose[len(prose) - (index - first) :]
                tables.append(table)
                index = end
                continue
            warnings.append(
                f"{end - index} lines set out in columns whose columns cannot be told apart: "
                "read as prose"
            )
            prose += lines[index:end]
            index = end
            continue
        prose.append(lines[index])
        index += 1
    return tables, prose


def _paragraphs(lines: list[TextLine], right: float) -> list[ProseBlock]:
    """Lines as paragraphs: a line that goes on with the one above joins it."""
    blocks: list[ProseBlock] = []
    for index, line in enumerate(lines):
        last = blocks[-1] if blocks else None
        if last is not None and _runs_on(last, lines[index - 1], line, right):
            last.text = join_lines(last.text, line.text)
            last.bottom = line.bottom
            last.last_x1 = line.x1
            continue
        gap = last is None or line.top - last.bottom > 0.5 * line.size
        first = line.words[0]
        blocks.append(
            ProseBlock(
                line.top, line.bottom, line.size, line.text, gap, line.x1,
                first["x1"] - first["x0"],
            )
        )  # fmt: skip
    return blocks


def _columns(lines: Sequence[TextLine]) -> list[list[float]]:
    """The x ranges that the cells of lines set out in columns keep within: the gaps between
    them run down every line, but for a line whose words crossed one (set too close)."""
    spans = sorted(
        (float(segment[0]["x0"]), float(max(word["x1"] for word in segment)))
        for line in lines
        for segment in line.parts
    )
    if not spans:
        return []
    origin = int(spans[0][0])
    cover = [0] * (int(max(x1 for _, x1 in spans)) - origin + 2)
    for x0, x1 in spans:
        for x in range(int(x0) - origin, int(x1) - origin + 1):
            cover[x] += 1
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if _bridges(cover[int(x0) - origin : int(x1) - origin + 1]):
            continue  # the gap it crosses is still a gap
        if columns and x0 < columns[-1][1] + 1.0:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    return columns


def _bridges(cover: list[int]) -> bool:
    """Whether a stretch of text crosses a gap between columns: somewhere inside it, for
    6 pt or more, no other line's text is, while other lines' text is on both sides."""
    alone = [count <= 1 for count in cover]
    run = 0
    for index, lone in enumerate(alone):
        run = run + 1 if lone else 0
        if (
            run >= 6
            and max(cover[: index - run + 1], default=0) > 1
            and max(cover[index + 1 :], default=0) > 1
        ):
            return True
    return False


def _within_one(line: TextLine, columns: Sequence[Sequence[float]]) -> bool:
    """Whether each of the line's cells starts inside a column (wrapped text of a cell)."""
    return all(
        any(column[0] - _EDGE <= segment[0]["x0"] <= column[1] for column in columns)
        for segment in line.parts
    )


def _aligned_table(lines: Sequence[TextLine]) -> TableBlock:
    """A table without ruling lines. A line further below the one above than the lines of
    a paragraph are apart starts a row; where rows are set apart so, a line closer than
    that goes on with its row (a cell's wrapped lines); where every line is as close, a
    line starts a row when it has its first cell."""
    columns = _columns(lines)
    feet = [line.baseline for line in lines]
    gaps = [b - a for a, b in itertools.pairwise(feet)]
    # A cell's lines are as far apart as the typesetter's leading, which may be looser than
    # _LEADING (1.15 x a font's own line height): the closest lines of the run show it.
    sized = zip(gaps, lines[1:], strict=True)
    pitch = min((gap for gap, line in sized if gap >= 0.9 * line.size), default=0.0)
    apart = [
        gap > max(_LEADING * line.size, 1.15 * pitch)
        for gap, line in zip(gaps, lines[1:], strict=True)
    ]
    rows: list[list[str]] = []
    spans: list[list[float]] = []  # each row's top and foot, for its cells' boxes
    for index, line in enumerate(lines):
        cells: list[list[Word]] = [[] for _ in columns]
        for word in line.words:
            at = float(word["at"] if "at" in word else word["x0"])  # a mark moved: its place
            column = next(
                (i for i, span in enumerate(columns) if at < span[1] + 1.0),
                len(columns) - 1,
            )
            cells[column].append(word)
        texts = [_joined(words, line.size) if words else "" for words in cells]
        new_row = not rows or (apart[index - 1] if any(apart) else bool(texts[0]))
        if new_row:
            rows.append(texts)
            spans.append([line.top, line.bottom])
        else:
            rows[-1] = [join_lines(a, b) for a, b in zip(rows[-1], texts, strict=True)]
            spans[-1][1] = line.bottom
    edges = [column[0] for column in columns] + [columns[-1][1]]
    boxes: list[list[Cell | None]] = [
        [(column[0], top, column[1], bottom) for column in columns] for top, bottom in spans
    ]
    size = Counter(line.size for line in lines).most_common(1)[0][0]
    return TableBlock(lines[0].top, lines[-1].bottom, edges, rows, boxes=boxes, size=size)


def _is_row(line: TextLine) -> bool:
    return len(line.parts) >= 2


def _close(before: TextLine, line: TextLine) -> bool:
    """Whether ``line`` sits as close below ``before`` as rows of one table do (a cell may
    end in a line of its own holding only a footnote mark)."""
    marked = any("at" in word for word in before.words)
    room = (_ROW_GAP + (_LEADING if marked else 0.0)) * line.size
    return line.top - before.bottom <= room and abs(line.size - before.size) <= 0.5


def _aligned_run(
    lines: Sequence[TextLine], start: int, going_on: list[float] | None = None
) -> tuple[int, int]:
    """The lines, around the row at ``start``, of a table without ruling lines: rows with
    column gaps close below each other (two at least, or one with a line below it that
    starts in a column after the first, as no paragraph does, or one at the top of a page
    in the columns of the table the page before ended with), and close lines whose text
    sits within their columns (a cell's wrapped lines, a row with one cell). (start, start)
    when ``lines[start]`` starts no such table."""
    if not _is_row(lines[start]):
        return start, start
    rows = [lines[start]]
    end = start + 1
    while end < len(lines) and _close(lines[end - 1], lines[end]):
        line = lines[end]
        if _is_row(line):
            rows.append(line)
        elif not _within_one(line, _columns(rows)):
            # A cell set at the foot of a tall row shows first the text of the row's
            # longest cells, in columns the rows above may have left empty: it belongs if
            # the row's own line (further down, as close) has those columns.
            ahead = end + 1
            while ahead < len(lines) and _close(lines[ahead - 1], lines[ahead]):
                if _is_row(lines[ahead]):
                    break
                ahead += 1
            if ahead >= len(lines) or not _close(lines[ahead - 1], lines[ahead]):
                break
            columns = _columns([*rows, lines[ahead]])
            if not all(_within_one(other, columns) for other in lines[end:ahead]):
                break
            rows.append(lines[ahead])
            end = ahead
        end += 1
    columns = _columns(rows)
    indented = any(
        abs(line.x0 - column[0]) <= _EDGE
        for line in lines[start + 1 : end]
        for column in columns[1:]
    )
    same = going_on is not None and _mapping(going_on, [col[0] for col in columns]) is not None
    if len(rows) < 2 and not indented and not same:
        return start, start
    first = start
    while (
        first > 0
        and _close(lines[first - 1], lines[first])
        and not _is_row(lines[first - 1])
        and _within_one(lines[first - 1], columns)
    ):
        first -= 1
    return first, end


def _runs_on(block: ProseBlock, before: TextLine, line: TextLine, right: float) -> bool:
    """Whether ``line`` continues the paragraph that ``before`` ends: same size, close
    below, and ``before`` ran to the margin (its next word would not have fitted)."""
    if abs(line.size - block.size) > 0.5:
        return False
    if line.top - before.bottom > 0.6 * line.size or _BULLET.match(line.text):
        return False
    first = line.words[0]
    return _full(before.x1, first["x1"] - first["x0"], line.size, right)


def _full(x1: float, next_word: float, size: float, right: float) -> bool:
    """Whether a line ending at ``x1`` had no room left for a next word that wide."""
    return x1 + next_word + 0.3 * size > right


@dataclass
class _Page:
    """A page's tables, and its other lines in groups that no table comes between."""

    number: int
    tables: list[TableBlock]
    prose: list[list[TextLine]]
    warnings: list[str]

    @property
    def last_table(self) -> list[float] | None:
        """Where the columns start of the table the page ends with, if it ends with one."""
        last = max(self.tables, key=lambda table: table.bottom, default=None)
        lines = [line.top for group in self.prose for line in group]
        if last is None or (lines and max(lines) > last.bottom):
            return None
        return last.edges[:-1]


def _page_parts(
    source: _Source, number: int, running: set[tuple[str, int]], before: _Page | None = None
) -> _Page:
    warnings: list[str] = []
    words, removed = _clean_words(
        _without_running(source.words, running, source.height, source.edges)
    )
    if removed:
        noun = "character" if removed == 1 else "characters"
        warnings.append(f"removed {removed} control or bidi {noun} from the text")
    ruling = _RuledPage(source.edges, (0.0, 0.0, source.width, source.height))
    tables, loose = _ruled_tables(ruling, words, warnings)
    # Prose between two tables stays between them: split the lines at each table's top.
    tops = sorted(table.top for table in tables)
    groups: list[list[TextLine]] = [[] for _ in range(len(tops) + 1)]
    for line in _lines(loose):
        groups[sum(1 for top in tops if top <= line.top)].append(line)
    prose: list[list[TextLine]] = []
    going_on = before.last_table if before is not None else None
    for group in groups:
        aligned, rest = _aligned_tables(group, warnings, going_on)
        going_on = None
        tables += aligned
        prose.append(rest)
    return _Page(number, tables, prose, warnings)


def _clean_words(words: list[Word]) -> tuple[list[Word], int]:
    """The words with control and bidi characters taken out (a PDF's text is as hostile as
    any report's), and how many there were; a word left empty is dropped."""
    kept: list[Word] = []
    removed = 0
    for word in words:
        text, count = without_controls(str(word["text"]))
        removed += count
        text = text.strip()
        if text:
            kept.append({**word, "text": text} if count else word)
    return kept, removed


def _page_text(parts: _Page, right: float) -> PageText:
    """A page's blocks in reading order; ``right`` is where the text's lines end."""
    blocks: list[Block] = list(parts.tables)
    for group in parts.prose:
        blocks += _paragraphs(group, right)
    blocks.sort(key=lambda block: block.top)
    return PageText(parts.number, blocks, parts.warnings)


def _running_key(line: TextLine) -> tuple[str, int]:
    """A line as a running header or footer repeats it: its text, numbers aside, at its
    place on the page."""
    return _DIGITS.sub("#", line.text), round(line.top)


def _running_lines(pages: list[list[TextLine]], heights: list[float]) -> set[tuple[str, int]]:
    """Running headers and footers: lines in a page's top or bottom tenth that recur at the
    same place, with their numbers ignored, on at least half the pages (and on two or
    more)."""
    seen: Counter[tuple[str, int]] = Counter()
    for lines, height in zip(pages, heights, strict=True):
        keys = {
            _running_key(line)
            for line in lines
            if line.bottom < height * _MARGIN_SHARE or line.top > height * (1 - _MARGIN_SHARE)
        }
        seen.update(keys)
    return {key for key, count in seen.items() if count >= max(2, len(pages) / 2)}


def _without_running(
    words: list[Word], running: set[tuple[str, int]], height: float, edges: list[dict[str, Any]]
) -> list[Word]:
    """The page's words but those of its running header and footer lines. A line that rules
    cross is no running header but a table's header row repeated at the top of each page."""
    if not running:
        return words
    drop: set[int] = set()
    for line in _lines(words):
        in_margin = line.bottom < height * _MARGIN_SHARE or line.top > height * (1 - _MARGIN_SHARE)
        if in_margin and _running_key(line) in running and not _ruled_across(line, edges):
            drop.update(id(word) for word in line.words)
    return [word for word in words if id(word) not in drop]


def _ruled_across(line: TextLine, edges: list[dict[str, Any]]) -> bool:
    """Whether a vertical rule runs down past ``line``, between or beside its words (the
    sides of a table's cells)."""
    middle = (line.top + line.bottom) / 2
    return any(
        edge["orientation"] == "v"
        and edge["top"] <= middle <= edge["bottom"]
        and line.x0 - 2 * line.size <= edge["x0"] <= line.x1 + 2 * line.size
        for edge in edges
    )


def _mapping(onto: list[float], starts: list[float]) -> list[int] | None:
    """For each column start in ``starts``, the column of ``onto`` that starts there; None
    when one starts where none does, or two would go on one."""
    if not onto:
        return None
    mapping = [min(range(len(onto)), key=lambda index: abs(onto[index] - edge)) for edge in starts]
    near = all(
        abs(onto[index] - edge) <= _SAME_COLUMNS
        for index, edge in zip(mapping, starts, strict=True)
    )
    return mapping if near and len(set(mapping)) == len(mapping) else None


def _onto(before: TableBlock, after: TableBlock) -> list[int] | None:
    """Which column of ``before`` (last on its page) each column of ``after`` (first on the
    next page) goes on: the one that starts where it starts. None when ``after`` is another
    table: one of its columns starts where none of ``before`` does, or it has fewer columns
    (one left empty on this page) and does not repeat the header row of ``before``."""
    mapping = _mapping(before.edges[:-1], after.edges[:-1])
    if mapping is None or len(mapping) == len(before.edges) - 1:
        return mapping
    repeats = bool(after.rows) and _realigned(after.rows[0], mapping, len(before.edges) - 1)
    return mapping if repeats == before.head else None


def _widened(before: TableBlock, after: TableBlock) -> TableBlock | None:
    """``before`` set out in the columns of ``after``, where ``after`` goes on with it on
    the next page with a column more (one that ``before`` left empty) and repeats its
    header row; else None."""
    if len(after.edges) <= len(before.edges) or not after.rows:
        return None
    mapping = _mapping(after.edges[:-1], before.edges[:-1])
    if mapping is None:
        return None
    width = len(after.edges) - 1
    head = _realigned(before.head, mapping, width)
    if after.rows[0] != head:
        return None
    rows = [_realigned(row, mapping, width) for row in before.rows]
    header = head if before.header is not None else None
    return TableBlock(
        before.top, before.bottom, after.edges, rows, before.continued, header, before.size
    )


def _realigned(row: list[str], mapping: list[int], width: int) -> list[str]:
    cells = [""] * width
    for cell, index in zip(row, mapping, strict=True):
        cells[index] = cell
    return cells


def _join_pages(
    pages: list[PageText], right: float, feet: dict[int, float]
) -> tuple[list[tuple[int, Block]], list[tuple[int, str]]]:
    """Every page's blocks in order, a table that goes on over a page break joined to its
    start (its repeated header row dropped, a row broken by the break made whole), and so
    is a paragraph; and a warning (page, message) for each row whose place is uncertain.
    ``feet``: for each page, how far down its text may reach (its foot)."""
    joined: list[tuple[int, Block]] = []
    warnings: list[tuple[int, str]] = []
    for index, page in enumerate(pages):
        for position, block in enumerate(page.blocks):
            last = joined[-1][1] if joined else None
            if position == 0 and isinstance(block, TableBlock) and isinstance(last, TableBlock):
                widened = _widened(last, block)
                if widened is not None:
                    joined[-1] = (joined[-1][0], widened)
                    last = widened
            mapping = (
                _onto(last, block)
                if position == 0 and isinstance(block, TableBlock) and isinstance(last, TableBlock)
                else None
            )
            if (
                mapping is not None
                and isinstance(block, TableBlock)
                and isinstance(last, TableBlock)
            ):
                width = len(last.edges) - 1
                rows = [_realigned(row, mapping, width) for row in block.rows]
                skipped = 0
                if rows and rows[0] == last.head:
                    rows, skipped = rows[1:], 1
                foot = index > 0 and _ends_at_foot(last, pages[index - 1], feet)
                if rows and last.rows and (last.continued or len(last.rows) > 1 or foot):
                    above = last.rows[-1]
                    header = not last.continued and len(last.rows) == 1
                    cut = cut_row(above, rows[0], keyed(last.rows, last.head), foot, header)
                    if cut.doubt is not None:
                        warnings.append((page.number, f"{named(above)}: {cut.doubt}"))
                    if cut.join:
                        last.rows[-1] = joined_row(above, rows[0])
                        rows = rows[1:]
                    merged_over_break(above, rows, block.spans, mapping, skipped + cut.join)
                    body = [row for row in last.rows if row != last.head]
                    doubt = empty_under_break(above, rows, body)
                    if doubt is not None:
                        warnings.append((page.number, f"{named(rows[0])}: {doubt}"))
                joined.append(
                    (
                        page.number,
                        TableBlock(
                            block.top, block.bottom, last.edges, rows, True, last.head, block.size
                        ),
                    )
                )
                continue
            if (
                position == 0
                and isinstance(block, ProseBlock)
                and isinstance(last, ProseBlock)
                and abs(block.size - last.size) <= 0.5
                and not _BULLET.match(block.text)
                and _full(last.last_x1, block.first_width, block.size, right)
            ):
                last.text = join_lines(last.text, block.text)
                last.last_x1 = block.last_x1
                continue
            joined.append((page.number, block))
    return joined, warnings


def _ends_at_foot(table: TableBlock, page: PageText, feet: dict[int, float]) -> bool:
    """Whether ``table`` is the last block of ``page`` and fills it to its foot."""
    ending = page.blocks[-1] if page.blocks else None
    return (
        isinstance(ending, TableBlock)
        and ending.bottom == table.bottom
        and at_foot(table.bottom, feet[page.number], table.size)
    )


def _render(joined: list[tuple[int, Block]], page_count: int) -> str:
    """The text: pages started by form feeds, blocks apart by blank lines, table rows as
    tab-separated cells."""
    out: list[str] = []
    page = 1
    pending_breaks = 0
    previous: Block | None = None
    for number, block in joined:
        if number != page:
            pending_breaks += number - page
            page = number
            previous = None
        lines: list[str]
        if isinstance(block, TableBlock):
            lines = ["\t".join(row) for row in block.rows]
            if not lines:
                continue
            if out and not block.continued:
                lines.insert(0, "")
        else:
            lines = [block.text]
            if out and (block.gap_before or isinstance(previous, TableBlock)):
                lines.insert(0, "")
        if pending_breaks:
            lines[0] = PAGE_BREAK * pending_breaks + lines[0]
            pending_breaks = 0
        out += lines
        previous = block
    if page < page_count and out:
        out.append(PAGE_BREAK * (page_count - page))
    return unhyphenated("\n".join(out) + "\n") if out else ""


def _why_unreadable(error: Exception) -> str:
    """A few words on why the parser failed (pdfplumber wraps pdfminer's errors)."""
    cause = error.args[0] if error.args and isinstance(error.args[0], Exception) else error
    name = type(cause).__name__
    if "Password" in name or "Encrypt" in name:
        return "encrypted: it needs a password to open"
    detail = str(cause).strip().splitlines()[0][:80] if str(cause).strip() else name
    return f"damaged PDF, cannot be read ({detail})"


@dataclass
class _Source:
    """What a page prints: its size, words, ruling lines and filled shapes."""

    width: float
    height: float
    words: list[Word]
    edges: list[dict[str, Any]]
    fills: list[Fill]
    spaced: bool = False
    """Whether it prints the space a line was broken at."""


def _sources(data: bytes) -> list[_Source]:
    """Every page's words and lines, read by pdfium (PDFium, BSD and Apache licences,
    through pypdfium2: Chrome's PDF reader, fast and hardened against hostile files)."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise PdfError("encrypted: it needs a password to open") from None
        detail = str(error).partition("PDFium: ")[2].rstrip(").") or str(error)
        raise PdfError(f"damaged PDF, cannot be read ({detail[:80]})") from None
    try:
        sources = []
        for page in document:
            width, height = (float(side) for side in page.get_size())
            words, spaced = _words(page, height)
            ruling = closed_at_breaks(_ruling(page, height))
            fills = page_fills(page, height)
            sources.append(_Source(width, height, words, ruling, fills, spaced))
        spaced = any(source.spaced for source in sources)
        mark_broken_words([source.words for source in sources], spaced)
        return sources
    finally:
        document.close()


def _right_margin(lines: list[TextLine], page_width: float) -> float:
    """Where the text's full lines end: of the lines at least 60% as wide as the widest,
    where nine in ten end by (a heading or a figure wider than the text is no margin); and
    no nearer the left than three quarters across the page (a short text of short lines
    has none that is full)."""
    if not lines:
        return page_width
    widest = max(line.x1 - line.x0 for line in lines)
    ends = sorted(line.x1 for line in lines if line.x1 - line.x0 >= 0.6 * widest)
    return max(ends[int(0.9 * (len(ends) - 1))], 0.75 * page_width)


def read_pdf(data: bytes) -> PdfText:
    """The report text a PDF's pages print; PdfError when it cannot be read as one."""
    try:
        sources = _sources(data)
        if not sources:
            raise PdfError("a PDF with no pages")
        if not any(source.words for source in sources):
            raise PdfError(
                "no text layer (a scanned document?): run it through OCR and ingest the result"
            )
        running = _running_lines(
            [_lines(source.words) for source in sources], [source.height for source in sources]
        )
        parts: list[_Page] = []
        for number, source in enumerate(sources, 1):
            parts.append(_page_parts(source, number, running, parts[-1] if parts else None))
        fill_warnings = mark_fills(
            [
                (part.tables, source.fills, source.words)
                for part, source in zip(parts, sources, strict=True)
            ]
        )
        right = _right_margin(
            [line for part in parts for group in part.prose for line in group],
            max(source.width for source in sources),
        )
        texts = [_page_text(part, right) for part in parts]
    except PdfError:
        raise
    except RecursionError:
        raise PdfError("damaged PDF, cannot be read (its objects nest without end)") from None
    except Exception as error:  # a hostile or broken file may fail anywhere in the parser
        raise PdfError(_why_unreadable(error)) from None
    warnings = [(page.number, message) for page in texts for message in page.warnings]
    warnings += [(1, message) for message in fill_warnings]
    joined, doubts = _join_pages(texts, right, _feet(texts, sources))
    doubts += _doubtful_dashes(joined)
    return PdfText(_render(joined, len(texts)), len(texts), sorted(warnings + doubts))


def _doubtful_dashes(joined: list[tuple[int, Block]]) -> list[tuple[int, str]]:
    """A warning for each table row where a hyphen ending a line was read with a space after
    it, which the report may not have had."""
    return [
        (number, f"{named(row)}: a line ends in a hyphen, read with a space after it; the "
         "report may have had none (\"2015-16\", \"-word\")")
        for number, block in joined
        if isinstance(block, TableBlock)
        for row in block.rows
        if any(DOUBTFUL_DASH in cell for cell in row)
    ]  # fmt: skip


def _feet(pages: list[PageText], sources: list[_Source]) -> dict[int, float]:
    """For each page, how far down the text of a page its size reaches at most: the lowest
    any page of that size is printed to (running footers aside), where a row the page
    break cut ends."""
    lowest: dict[tuple[float, float], float] = {}
    for page, source in zip(pages, sources, strict=True):
        key = (round(source.width), round(source.height))
        bottom = max((block.bottom for block in page.blocks), default=0.0)
        lowest[key] = max(lowest.get(key, 0.0), bottom)
    return {
        page.number: lowest[(round(source.width), round(source.height))]
        for page, source in zip(pages, sources, strict=True)
    }
