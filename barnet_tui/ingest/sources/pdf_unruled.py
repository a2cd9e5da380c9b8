"""Tables with no ruling lines: runs of printed lines set out in columns (gaps that run down
the whole run), cut into rows by the space between them."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence

from barnet_tui.ingest.sources.pdf_blocks import EDGE, Cell, TableBlock, same_columns
from barnet_tui.ingest.sources.pdf_hyphens import (
    join_lines,
)
from barnet_tui.ingest.sources.pdf_lines import TextLine, Word, joined_words

_LEADING = 1.3
"""Baselines of one paragraph's (or cell's) lines are at most this many font sizes apart."""


_PADDINGS = 12.0
"""Points at most between a cell's text and the next column's, at a cell's right side: a
word processor's padding on both sides of the rule (Word's 0.19 cm each)."""
_ROW_GAP = 1.5
"""Font sizes of space at most between the rows of a table without ruling lines."""


def aligned_tables(
    lines: list[TextLine],
    warnings: list[str],
    going_on: list[float] | None = None,
    body: float = 0.0,
) -> tuple[list[TableBlock], list[TextLine]]:
    """Runs of lines set out in columns, as tables; and the other lines (prose).
    ``going_on``: where the columns start of a table the page before ended with, which the
    first lines may go on with; ``body``: the type size of the document's prose."""
    tables: list[TableBlock] = []
    prose: list[TextLine] = []
    index = 0
    while index < len(lines):
        at_top = not tables and all(_close(a, b) for a, b in itertools.pairwise(lines[: index + 1]))
        first, end = _aligned_run(lines, index, going_on if at_top else None, body)
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
        any(column[0] - EDGE <= segment[0]["x0"] <= column[1] for column in columns)
        for segment in line.parts
    )


def _aligned_table(lines: Sequence[TextLine]) -> TableBlock:
    """A table without ruling lines. A line further below the one above than the lines of
    a paragraph are apart starts a row; where rows are set apart so, a line closer than
    that goes on with its row (a cell's wrapped lines); where every line is as close, a
    line goes on with the row above only where each of its cells goes on with a cell of
    the line above that was full (its next word would not have fitted in the column), and
    where it has its first cell, it has fewer cells than that line (a row's first line
    holds the first line of each of its cells)."""
    columns = _columns(lines)
    feet = [line.baseline for line in lines]
    gaps = [b - a for a, b in itertools.pairwise(feet)]
    # A cell's lines are as far apart as the typesetter's leading, which may be looser than
    # _LEADING (1.15 x a font's own line height): the closest lines of the run show it.
    sized = zip(gaps, lines[1:], strict=True)
    pitch = min((gap for gap, line in sized if gap >= 0.9 * line.size), default=0.0)
    apart = [
        gap > max(_LEADING * line.size, pitch + max(0.5, 0.1 * line.size))
        for gap, line in zip(gaps, lines[1:], strict=True)
    ]
    rows: list[list[str]] = []
    spans: list[list[float]] = []  # each row's top and foot, for its cells' boxes
    above: list[list[Word]] = []
    for index, line in enumerate(lines):
        cells = _line_cells(line, columns)
        texts = [joined_words(words, line.size) if words else "" for words in cells]
        if any(apart):
            new_row = not rows or apart[index - 1]
        else:
            wrapped = _wrapped_on(above, cells, columns, line.size)
            # fewer cells than the row's first line, which holds the first line of each
            fewer = sum(map(bool, cells)) < sum(map(bool, rows[-1] if rows else []))
            # a first cell in lower case goes on a sentence (a ref or a title starts none)
            starts = bool(texts[0]) and not texts[0][0].islower()
            new_row = not rows or not wrapped or (starts and not fewer)
        above = cells
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


def _line_cells(line: TextLine, columns: Sequence[Sequence[float]]) -> list[list[Word]]:
    """The line's words in the columns they start in."""
    cells: list[list[Word]] = [[] for _ in columns]
    for word in line.words:
        at = float(word["at"] if "at" in word else word["x0"])  # a mark moved: its place
        column = next((i for i, span in enumerate(columns) if at < span[1] + 1.0), len(columns) - 1)
        cells[column].append(word)
    return cells


def _wrapped_on(
    above: list[list[Word]],
    cells: list[list[Word]],
    columns: Sequence[Sequence[float]],
    size: float,
) -> bool:
    """Whether every cell of a line goes on with the text of the line above in its column:
    that text is there and ran so far right that the cell's first word would not have
    fitted after it (the column's right side is as far as any of its text reaches, and
    near the next column's start). A
    cell that starts where the line above left its column empty, or after text with room
    to spare, starts a row: a cell's text is never broken before it must be."""
    filled = [index for index, words in enumerate(cells) if words]
    if not filled or len(above) != len(cells):
        return False
    for index in filled:
        if not above[index]:
            return False
        end = max(float(word["x1"]) for word in above[index])
        first = cells[index][0]
        space = 0.0 if str(above[index][-1]["text"]).endswith(("-", "‐", "/")) else 0.2 * size
        right = columns[index][1]  # as far as its text reaches, at least; and the next
        if index + 1 < len(columns):  # column's start but for two cell paddings
            right = max(right, columns[index + 1][0] - max(_PADDINGS, 1.5 * size))
        if end + space + float(first["x1"]) - float(first["x0"]) <= right - 0.5:
            return False
    return True


def _is_row(line: TextLine) -> bool:
    return len(line.parts) >= 2


def _close(before: TextLine, line: TextLine) -> bool:
    """Whether ``line`` sits as close below ``before`` as rows of one table do (a cell may
    end in a line of its own holding only a footnote mark)."""
    marked = any("at" in word for word in before.words)
    room = (_ROW_GAP + (_LEADING if marked else 0.0)) * line.size
    return line.top - before.bottom <= room and abs(line.size - before.size) <= 0.5


def _next_row(before: TextLine, line: TextLine, body: float) -> bool:
    """Whether ``line`` is the next row of the table ``before`` ends, though further below
    than a paragraph's lines: a word processor's row is as tall as its cells' paragraph
    marks, set in the body's type (``body``) when the table's text is set smaller. The
    cells of one start where the other's do, but for one (a row with fewer cells, or a
    heading across the first cell, under or over a row of them); a row of one cell (a
    heading) keeps within the column it starts in."""
    if abs(line.size - before.size) > 0.5 or max(len(line.parts), len(before.parts)) < 3:
        return False
    starts = [float(part[0]["x0"]) for part in line.parts]
    columns = [float(part[0]["x0"]) for part in before.parts]
    shared = sum(any(abs(start - column) <= EDGE for column in columns) for start in starts)
    fewer = min(len(starts), len(columns))
    if shared < (fewer if fewer < 3 else max(3, fewer - 1)):  # one cell may be left empty
        return False
    if len(line.parts) == 1 and not any(
        start - EDGE <= line.x0 and line.x1 <= end for start, end in _spans(before)
    ):
        return False
    room = _ROW_GAP * line.size + max(0.0, 1.2 * (body - line.size))
    return line.top - before.bottom <= room


def _spans(line: TextLine) -> list[tuple[float, float]]:
    """The columns a row's cells mark out: each from where it starts to where the next
    starts."""
    starts = [float(part[0]["x0"]) for part in line.parts]
    ends = [*starts[1:], line.x1 + 1.0]
    return [(start, end - 1.0) for start, end in zip(starts, ends, strict=True)]


def _aligned_run(
    lines: Sequence[TextLine], start: int, going_on: list[float] | None = None, body: float = 0.0
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
    while end < len(lines) and (
        _close(lines[end - 1], lines[end]) or _next_row(lines[end - 1], lines[end], body)
    ):
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
        abs(line.x0 - column[0]) <= EDGE
        for line in lines[start + 1 : end]
        for column in columns[1:]
    )
    same = going_on is not None and same_columns(going_on, [col[0] for col in columns]) is not None
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
