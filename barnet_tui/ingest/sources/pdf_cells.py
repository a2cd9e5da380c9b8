"""Which words of a ruled table's row go in which cell, and which rows a merged cell spans.

A word belongs to the cell it starts in: a ref too long for its column (``FS/S1000`` in a
column set for ``FS/S99``) runs over the rule into the next cell, but was written in its
own. A cell the ruling lines draw over several rows (a merged cell: one comment written for
two indicators) belongs to every row it spans, as a reader of the page sees it.
"""

from __future__ import annotations

from typing import Any

Cell = tuple[float, float, float, float]
Word = dict[str, Any]

_INTO_WORD = 2.5
"""Points into a word where it starts for sure: a character's loose box may begin a little
before the rule on its left."""
_SPAN = 2.0
"""Points by which a cell must reach past a row's top to span that row."""
_TOUCH = 1.5
"""Points within which a rule meets another."""
_CAP = 3.0
"""Points a horizontal edge must be longer than to close a rule's end: a shorter one is the
end of a thick rule drawn as a thin rectangle (as a browser draws a cell's border)."""


def _middle(word: Word) -> float:
    return (float(word["top"]) + float(word["bottom"])) / 2


def _holds(cell: Cell, x: float, y: float) -> bool:
    return cell[0] <= x <= cell[2] and cell[1] <= y <= cell[3]


def assign_words(words: list[Word], candidates: list[int], row: list[Cell]) -> list[list[int]]:
    """For each cell of ``row``, the indices (of ``candidates``, words inside the row's
    bounds) of the words in it: the cell the word starts in, or where it starts in none
    (set to the left of the rule), the cell its middle is in."""
    mine: list[list[int]] = [[] for _ in row]
    for index in candidates:
        word = words[index]
        y = _middle(word)
        start = float(word["x0"]) + _INTO_WORD
        middle = (float(word["x0"]) + float(word["x1"])) / 2
        home = next((at for at, cell in enumerate(row) if _holds(cell, start, y)), None)
        if home is None:
            home = next((at for at, cell in enumerate(row) if _holds(cell, middle, y)), None)
        if home is not None:
            mine[home].append(index)
    return mine


def spanned(
    grid: list[list[Cell]], texts: list[list[str]], starts: list[float]
) -> list[tuple[int, int, int]]:
    """Give a merged cell's text (in ``texts``, a row per row of ``grid``, a column per
    ``starts``) to every row below its own that it spans and that has no cell of its own in
    that column. Return the empty merged cells of the first two rows (a header may come
    first) as (row, column, rows spanned): at the top of a page, one may go on from a cell
    whose text the page before printed."""
    tops = [min(cell[1] for cell in row) for row in grid]
    empty: list[tuple[int, int, int]] = []
    for index, row in enumerate(grid):
        for cell in row:
            column = starts.index(round(cell[0], 1))
            count = 1
            for below in range(index + 1, len(grid)):
                if tops[below] >= cell[3] - _SPAN:
                    break
                count += 1
                if not texts[below][column]:
                    texts[below][column] = texts[index][column]
            if index < 2 and count > 1 and not texts[index][column]:
                empty.append((index, column, count))
    return empty


def merged_over_break(
    above: list[str],
    rows: list[list[str]],
    spans: list[tuple[int, int, int]],
    mapping: list[int],
    skipped: int,
) -> None:
    """Give the rows at the top of a page that an empty merged cell spans the text of the
    row above the break in its column: the cell goes on from the page before, where its text
    was printed (one comment written for rows the break falls among), as a word processor
    prints a merged cell's text once, at its top. ``skipped``: how many
    of the page's first rows are not in ``rows`` (a repeated header, the cut row's rest)."""
    for row, column, count in spans:
        if not row <= skipped < row + count:
            continue
        at = mapping[column]
        for below in rows[: row + count - skipped]:
            if not below[at]:
                below[at] = above[at]


def closed_at_breaks(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page's ruling with the cells a page break left open closed: where two or more
    column rules end (or start) at one height, open (no rule meets them there: a browser
    draws a row the break cut with no line at the page's foot, nor at the next page's top),
    a rule across them, so that the row's cells are cells. Rules whose ends are met (the
    sides of a legend's coloured squares, each square closed by its own top and foot) are
    shapes already closed: joining them would make a table of a line of text."""
    rules = [edge for edge in edges if edge["orientation"] == "v"]
    across: dict[int, list[dict[str, Any]]] = {}  # by height, to look up only those near
    for edge in edges:
        if edge["orientation"] == "h" and float(edge["x1"]) - float(edge["x0"]) > _CAP:
            across.setdefault(round(float(edge["top"])), []).append(edge)
    added: list[dict[str, Any]] = []
    for side in ("top", "bottom"):
        ends: dict[int, list[float]] = {}
        for rule in rules:
            y, x = float(rule[side]), float(rule["x0"])
            near = (edge for at in range(round(y) - 2, round(y) + 3) for edge in across.get(at, ()))
            if not any(_meets(edge, x, y) for edge in near):
                ends.setdefault(round(y), []).append(x)
        for y, xs in ends.items():
            if len(xs) < 2:
                continue
            left, right = min(xs), max(xs)
            added.append(
                {"x0": left, "x1": right, "top": float(y), "bottom": float(y),
                 "width": right - left, "height": 0.0, "orientation": "h",
                 "object_type": "line"}
            )  # fmt: skip
    return edges + added


def _meets(edge: dict[str, Any], x: float, y: float) -> bool:
    """Whether the horizontal ``edge`` runs through or to the point (x, y): the end of a
    rule it closes."""
    return (
        abs(float(edge["top"]) - y) <= _TOUCH
        and float(edge["x0"]) - _TOUCH <= x <= float(edge["x1"]) + _TOUCH
    )
