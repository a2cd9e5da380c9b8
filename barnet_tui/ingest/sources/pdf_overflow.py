"""Text that runs over a ruled cell's edge into the cells beside it.

A line set too long for its cell and not wrapped (a typesetter that overflows rather than
wraps) is printed across the rules on its right, over the next cells' own text: which
words are whose cannot be told with confidence. The page shows it: words of one printed
line follow each other a space apart (or overlap) across a rule, where two cells' texts
stand apart by both cells' padding. A single word too long for its column (``FS/S1000``
in a column set for ``FS/S99``) is its own cell's: the next cell's text is set where it
would be anyway. So a line is taken to run over only where the page leaves no doubt: it
crosses two rules, or its words are printed over the next cell's.
"""

from __future__ import annotations

from typing import Any

from barnet_tui.ingest.sources.page_breaks import named

Word = dict[str, Any]

_SPACE = 0.35
"""Font sizes of gap at most between words of one printed line: a space is about a quarter."""
_OVER = 0.1
"""Font sizes by which a word starts before the last one ends where they are printed over
each other."""
_SAME_LINE = 0.25
"""Font sizes within which two words stand on one baseline."""


def _lines(words: list[Word], indices: list[int]) -> list[list[int]]:
    """The words (indices) grouped by the baseline they stand on, each line left to right."""
    ordered = sorted(indices, key=lambda index: float(words[index]["bottom"]))
    lines: list[list[int]] = []
    for index in ordered:
        word = words[index]
        last = words[lines[-1][-1]] if lines else None
        limit = _SAME_LINE * float(word["size"])
        if last is not None and abs(float(word["bottom"]) - float(last["bottom"])) <= limit:
            lines[-1].append(index)
        else:
            lines.append([index])
    return [sorted(line, key=lambda index: float(words[index]["x0"])) for line in lines]


def _runs(words: list[Word], line: list[int]) -> list[list[int]]:
    """A line's words in runs printed a space apart (or over each other)."""
    runs: list[list[int]] = []
    right = 0.0
    for index in line:
        word = words[index]
        if runs and float(word["x0"]) - right <= _SPACE * float(word["size"]):
            runs[-1].append(index)
            right = max(right, float(word["x1"]))
        else:
            runs.append([index])
            right = float(word["x1"])
    return runs


def _overprinted(words: list[Word], run: list[int], home: dict[int, int], first: int) -> bool:
    """Whether a run's words are printed over each other, where more than one word of it
    stands in its first cell (a line of text, not one word too long for its column)."""
    if sum(1 for index in run if home[index] == first) < 2:
        return False
    right = float(words[run[0]]["x1"])
    for index in run[1:]:
        word = words[index]
        if float(word["x0"]) < right - _OVER * float(word["size"]):
            return True
        right = max(right, float(word["x1"]))
    return False


def overflowed(words: list[Word], mine: list[list[int]]) -> list[int]:
    """The cells of a ruled row (``mine``: each cell's word indices) that a printed line runs
    across: the cell it starts in and every cell it runs into, left to right."""
    home = {index: at for at, indices in enumerate(mine) for index in indices}
    crossed: set[int] = set()
    for line in _lines(words, list(home)):
        for run in _runs(words, line):
            cells = sorted({home[index] for index in run})
            if len(cells) < 2:
                continue
            if len(cells) == 2 and not _overprinted(words, run, home, cells[0]):
                continue  # a word too long for its cell, the next cell's text where it belongs
            crossed.update(range(cells[0], cells[-1] + 1))
    return sorted(crossed)


def unread_cells(cells: list[str], columns: list[int]) -> str:
    """Empty the cells of a row (``cells``) that text runs into from ``columns[0]``, where
    it starts and was printed within the rules, and say so."""
    message = (
        f"{named(cells)}: text runs over the rules from column {columns[0] + 1} "
        f"({cells[columns[0]][:40]!r}) into columns {columns[1] + 1} to {columns[-1] + 1}: "
        "which words are whose cannot be told; those not read"
    )
    for at in columns[1:]:
        cells[at] = ""
    return message
