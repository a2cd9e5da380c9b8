"""Tables drawn with ruling lines: the page's lines and rectangles as edges, the cells
pdfplumber's table finder makes of them, and each cell's words joined into its text."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from barnet_tui.ingest.sources.pdf_blocks import EDGE, Cell, TableBlock
from barnet_tui.ingest.sources.pdf_cells import (
    assign_words,
    spanned,
)
from barnet_tui.ingest.sources.pdf_hyphens import (
    join_lines,
)
from barnet_tui.ingest.sources.pdf_lines import Word, printed_lines, word_inside
from barnet_tui.ingest.sources.pdf_overflow import overflowed, unread_cells

_RULED = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


_SPACES = re.compile(r"\s+")


def page_ruling(page: Any, height: float) -> list[dict[str, Any]]:
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
class RuledPage:
    """What pdfplumber's table finder needs of a page: its edges."""

    edges: list[dict[str, Any]]
    bbox: tuple[float, float, float, float]


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


def ruled_tables(
    ruling: RuledPage, words: list[Word], warnings: list[str]
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
                    if index not in taken and word_inside(word, bbox)
                ]
                cells = [""] * len(starts)
                boxes.append([None] * len(starts))
                assigned = assign_words(words, inside, row)
                for cell, mine in zip(row, assigned, strict=True):
                    taken.update(mine)
                    lines = printed_lines([words[i] for i in mine])
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
        if not merged or edge - merged[-1] > EDGE:
            merged.append(edge)
    return merged
