"""A PDF's filled shapes, given to the table cells they shade (ratings printed as colour).

PDFium reads each path's fill colour as a viewer shows it: a CMYK or grey fill comes as the
RGB PDFium paints (its CMYK conversion approximates Adobe's), so a fill is judged by what a
reader of the page sees, and a translucent fill as its blend with white paper. A path only
stroked (a ruling line), one fully transparent, or one thinner than a rule (a border drawn
as a filled bar) shades nothing. A cell takes the fill that covers at least half of it and
is painted last (cell shading over a table's background); the key is read from the
report's own tables and legends (``ingest.fills``).
"""

from __future__ import annotations

import ctypes
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from barnet_tui.ingest.sources.fills import (
    Colour,
    Key,
    is_blank,
    key_entries,
    marked_rows,
    report_key,
)

_MAX_FILLS = 5_000
"""Filled shapes read on a page at most (rules and borders aside): a drawing, not a table's
shading, beyond that; it bounds the work of giving cells their fill."""
_THIN = 1.5
"""Points: a filled shape this thin is a rule or a border, not a cell's shading."""
_SWATCH = 40.0
"""Points: a legend's colour square is at most this wide and high."""
_MAX_SWATCHES = 200
"""Small coloured shapes on a page beyond which it holds a drawing, not a legend."""
_COVER = 0.5
"""The share of a cell a fill must cover to be the cell's."""

Box = tuple[float, float, float, float]
"""x0, top, x1, bottom, from the page's top as pdfplumber measures."""


@dataclass(frozen=True)
class Fill:
    box: Box
    colour: Colour


class _Table(Protocol):
    """What this module needs of a table on a page (``pdf.TableBlock``)."""

    rows: list[list[str]]
    boxes: list[list[Box | None]]
    top: float
    bottom: float
    edges: list[float]


def page_fills(page: Any, height: float) -> list[Fill]:
    """The page's filled shapes in the order they are painted."""
    import pypdfium2.raw as pdfium_c

    fills: list[Fill] = []
    mode, stroke = ctypes.c_int(), ctypes.c_int()
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    for shape in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
        pdfium_c.FPDFPath_GetDrawMode(shape.raw, ctypes.byref(mode), ctypes.byref(stroke))
        if mode.value == pdfium_c.FPDF_FILLMODE_NONE:
            continue
        if not pdfium_c.FPDFPageObj_GetFillColor(
            shape.raw, ctypes.byref(red), ctypes.byref(green), ctypes.byref(blue),
            ctypes.byref(alpha),
        ):  # fmt: skip
            continue
        left, bottom, right, top = (float(side) for side in shape.get_bounds())
        if alpha.value == 0 or right - left < _THIN or top - bottom < _THIN:
            continue
        box = (left, height - top, right, height - bottom)
        share = alpha.value / 255  # a translucent fill shows as its blend with the paper
        colour = tuple(round(share * c.value + (1 - share) * 255) for c in (red, green, blue))
        fills.append(Fill(box, (colour[0], colour[1], colour[2])))
        if len(fills) >= _MAX_FILLS:
            break
    return fills


def _overlap(a: Box, b: Box) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def cell_fill(box: Box, fills: Sequence[Fill]) -> Colour | None:
    """The colour a cell is shaded: of the last-painted fill covering half of it or more;
    else, of the coloured marks set in it (a traffic-light dot: small shapes centred in the
    cell), where they are all one colour."""
    area = (box[2] - box[0]) * (box[3] - box[1])
    if area <= 0:
        return None
    colour = None
    dots: set[Colour] = set()
    for fill in fills:
        if _overlap(box, fill.box) >= _COVER * area:
            colour = fill.colour
            dots.clear()  # painted over
        elif _dot_in(fill, box) and not is_blank(fill.colour):
            dots.add(fill.colour)
    if not is_blank(colour):
        return colour
    return dots.pop() if len(dots) == 1 else None


def _dot_in(fill: Fill, box: Box) -> bool:
    x0, top, x1, bottom = fill.box
    middle_x, middle_y = (x0 + x1) / 2, (top + bottom) / 2
    small = x1 - x0 <= _SWATCH and bottom - top <= _SWATCH
    return small and box[0] <= middle_x <= box[2] and box[1] <= middle_y <= box[3]


def _table_fills(table: _Table, fills: Sequence[Fill]) -> list[list[Colour | None]]:
    """Each cell's fill; a row whose cells are shaded alike across the table has its fill in
    every cell, those a wider cell covers included. A cell's box is where ruling lines draw
    it, or, in a table without them, its column's width by its row's lines' height."""
    near = [
        fill for fill in fills if fill.box[3] > table.top - 1 and fill.box[1] < table.bottom + 1
    ]
    aligned = len(table.boxes) == len(table.rows) and all(
        len(boxes) == len(cells) for boxes, cells in zip(table.boxes, table.rows, strict=True)
    )
    if not aligned or not near:
        return [[] for _row in table.rows]  # no boxes (or none that match its cells)
    full = max(sum(box[2] - box[0] for box in boxes if box) for boxes in table.boxes)
    return [_row_fills(boxes, near, full) for boxes in table.boxes]


def _row_fills(boxes: list[Box | None], near: Sequence[Fill], full: float) -> list[Colour | None]:
    """One row's cells' fills; a row shaded alike across ``full`` (the table's width) has
    its fill in every cell."""
    drawn = [box for box in boxes if box]
    if not drawn:
        return [None] * len(boxes)
    top = min(box[1] for box in drawn)
    bottom = max(box[3] for box in drawn)
    in_row = [fill for fill in near if fill.box[3] > top and fill.box[1] < bottom]
    row = [cell_fill(box, in_row) if box else None for box in boxes]
    across = sum(box[2] - box[0] for box in drawn)
    colours = {colour for colour, box in zip(row, boxes, strict=True) if box}
    if len(colours) == 1 and across >= 0.9 * full:
        return [colours.pop()] * len(row)  # the row is shaded whole (``marked_rows`` decides)
    return row


def _legend(
    fills: Sequence[Fill], words: Sequence[dict[str, Any]], tables: Sequence[_Table]
) -> list[tuple[str, Colour]]:
    """Key entries outside tables: a small coloured square with a rating's name in it or
    just to its right, on its line."""
    entries: list[tuple[str, Colour]] = []
    swatches = [
        fill
        for fill in fills
        if fill.box[2] - fill.box[0] <= _SWATCH
        and fill.box[3] - fill.box[1] <= _SWATCH
        and not is_blank(fill.colour)
        and not any(_in_table(fill, table) for table in tables)
    ]
    if not swatches or len(swatches) > _MAX_SWATCHES:
        return entries
    placed = sorted(
        ((float(word["top"]) + float(word["bottom"])) / 2, float(word["x0"]), index)
        for index, word in enumerate(words)
    )
    middles = [middle for middle, _x0, _index in placed]
    for fill in swatches:
        x0, top, x1, bottom = fill.box
        inside: list[str] = []
        right: list[str] = []  # the words that run on from the square's right side
        edge = x1
        stop = min(  # the next square on the line starts another entry
            (other.box[0] for other in swatches if other.box[0] > x1 and _same_line(other, fill)),
            default=float("inf"),
        )
        on_line = placed[bisect_left(middles, top - 2) : bisect_right(middles, bottom + 2)]
        for _middle, start, index in sorted(on_line, key=lambda item: item[1]):
            word = words[index]
            if x0 <= start and float(word["x1"]) <= x1 + 1:
                inside.append(str(word["text"]))
            elif edge - 1 <= start <= min(edge + 3 * float(word["size"]), stop):
                right.append(str(word["text"]))
                edge = float(word["x1"])
        entries += key_entries([(" ".join(inside), fill.colour), (" ".join(right), None)])
    return entries


def _in_table(fill: Fill, table: _Table) -> bool:
    middle = (fill.box[1] + fill.box[3]) / 2
    return table.top <= middle <= table.bottom and table.edges[0] <= fill.box[0] <= table.edges[-1]


def _same_line(one: Fill, other: Fill) -> bool:
    middle = (one.box[1] + one.box[3]) / 2
    return other.box[1] <= middle <= other.box[3]


def mark_fills(
    pages: Sequence[tuple[Sequence[_Table], Sequence[Fill], Sequence[dict[str, Any]]]],
) -> list[str]:
    """Mark every shaded table cell of the document with its fill, read by the report's own
    key where it prints one (in a table or a legend on any page), else the usual palette;
    ``pages`` are each page's tables, fills and words. What the key's reading warns."""
    grids = [[_table_fills(table, fills) for table in tables] for tables, fills, _words in pages]
    entries: list[tuple[str, Colour]] = []
    for (tables, fills, words), page_grids in zip(pages, grids, strict=True):
        for table, grid in zip(tables, page_grids, strict=True):
            for row, row_fills in zip(table.rows, grid, strict=True):
                if any(row_fills):
                    entries += key_entries(list(zip(row, row_fills, strict=True)))
        entries += _legend(fills, words, tables)
    key, problem = report_key(entries) if entries else (Key(), None)
    for (tables, _fills, _words), page_grids in zip(pages, grids, strict=True):
        for table, grid in zip(tables, page_grids, strict=True):
            if any(any(row) for row in grid):
                table.rows[:] = marked_rows(table.rows, grid, key)
    return [problem] if problem else []
