"""What a PDF's page is read into: tables (rows of cell text, their column edges and cell
boxes) and paragraphs, page by page, and the reader's error and result."""

from __future__ import annotations

from dataclasses import dataclass, field

EDGE = 2.0
"""Points within which two column edges are the same edge."""


_SAME_COLUMNS = 4.0
"""Points within which a table's columns on the next page are its columns."""


class PdfError(Exception):
    """The PDF cannot be read as a report; the message says why, in a few words."""


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


Cell = tuple[float, float, float, float]


def same_columns(onto: list[float], starts: list[float]) -> list[int] | None:
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
