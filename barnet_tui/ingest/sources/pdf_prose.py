"""Printed lines as paragraphs: a line runs on from the one above when that one was full
(its next word would not have fitted) and nothing (a bullet, a gap) starts a new one."""

from __future__ import annotations

import re

from barnet_tui.ingest.sources.pdf_blocks import ProseBlock
from barnet_tui.ingest.sources.pdf_hyphens import (
    join_lines,
)
from barnet_tui.ingest.sources.pdf_lines import TextLine

BULLET = re.compile(r"^(?:[-–•·▪*]\s|[⁰¹²³⁴⁵⁶⁷⁸⁹])")
"""A list item, or a footnote (its mark first), starts a paragraph of its own."""


def paragraphs(lines: list[TextLine], right: float) -> list[ProseBlock]:
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


def _runs_on(block: ProseBlock, before: TextLine, line: TextLine, right: float) -> bool:
    """Whether ``line`` continues the paragraph that ``before`` ends: same size, close
    below, and ``before`` ran to the margin (its next word would not have fitted)."""
    if abs(line.size - block.size) > 0.5:
        return False
    if line.top - before.bottom > 0.6 * line.size or BULLET.match(line.text):
        return False
    first = line.words[0]
    return full_line(before.x1, first["x1"] - first["x0"], line.size, right)


def full_line(x1: float, next_word: float, size: float, right: float) -> bool:
    """Whether a line ending at ``x1`` had no room left for a next word that wide."""
    return x1 + next_word + 0.3 * size > right
