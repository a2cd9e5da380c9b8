"""A report's pages as one text: a table that goes on over a page break joined to its start
(its repeated header dropped, a row the break cut made whole), a paragraph likewise, and the
blocks rendered as the text ingest reads (tab-separated rows, form feeds between pages)."""

from __future__ import annotations

from barnet_tui.ingest.sources.page_breaks import (
    at_foot,
    cut_row,
    empty_under_break,
    joined_row,
    keyed,
    named,
)
from barnet_tui.ingest.sources.pdf_blocks import (
    Block,
    PageText,
    ProseBlock,
    TableBlock,
    same_columns,
)
from barnet_tui.ingest.sources.pdf_cells import (
    merged_over_break,
)
from barnet_tui.ingest.sources.pdf_hyphens import (
    DOUBTFUL_DASH,
    join_lines,
    unhyphenated,
)
from barnet_tui.ingest.sources.pdf_prose import BULLET, full_line
from barnet_tui.ingest.sources.pdf_repeats import repeated_heading
from barnet_tui.ingest.sources.text import PAGE_BREAK


def _onto(before: TableBlock, after: TableBlock) -> list[int] | None:
    """Which column of ``before`` (last on its page) each column of ``after`` (first on the
    next page) goes on: the one that starts where it starts. None when ``after`` is another
    table: one of its columns starts where none of ``before`` does, or it has fewer columns
    (one left empty on this page) and does not repeat the header row of ``before``."""
    mapping = same_columns(before.edges[:-1], after.edges[:-1])
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
    mapping = same_columns(after.edges[:-1], before.edges[:-1])
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


def join_pages(
    pages: list[PageText], right: float, feet: dict[int, float]
) -> tuple[list[tuple[int, Block]], list[tuple[int, str]]]:
    """Every page's blocks in order, a table that goes on over a page break joined to its
    start (its repeated header row dropped, a row broken by the break made whole), and so
    is a paragraph; and a warning (page, message) for each row whose place is uncertain.
    ``feet``: for each page, how far down its text may reach (its foot)."""
    joined: list[tuple[int, Block]] = []
    warnings: list[tuple[int, str]] = []
    for index, page in enumerate(pages):
        blocks = page.blocks
        if isinstance(joined[-1][1] if joined else None, TableBlock) and repeated_heading(
            joined, blocks
        ):
            blocks = blocks[1:]  # the heading again: the table under it may go on
        for position, block in enumerate(blocks):
            last = joined[-1][1] if joined else None
            if position == 0 and isinstance(block, TableBlock) and isinstance(last, TableBlock):
                going_on, doubts = _table_going_on(joined, block, pages[index - 1], feet)
                warnings += [(page.number, message) for message in doubts]
                if going_on is not None:
                    joined.append((page.number, going_on))
                    continue
            if (
                position == 0
                and isinstance(block, ProseBlock)
                and isinstance(last, ProseBlock)
                and _paragraph_goes_on(last, block, right)
            ):
                last.text = join_lines(last.text, block.text)
                last.last_x1 = block.last_x1
                continue
            joined.append((page.number, block))
    return joined, warnings


def _paragraph_goes_on(last: ProseBlock, block: ProseBlock, right: float) -> bool:
    """Whether the paragraph opening a page goes on with the one that ended the page before:
    same size, no bullet, and the one before ran to the margin."""
    return (
        abs(block.size - last.size) <= 0.5
        and not BULLET.match(block.text)
        and full_line(last.last_x1, block.first_width, block.size, right)
    )


def _table_going_on(
    joined: list[tuple[int, Block]], block: TableBlock, before: PageText, feet: dict[int, float]
) -> tuple[TableBlock | None, list[str]]:
    """``block`` (first on its page) as the rest of the table last in ``joined`` (which it
    may widen), or None when it is a table of its own; and the warnings its first row
    raises. ``before``: the page before.

    A table that opens with the header row of the table before, where that one ended above
    the page's foot with room for this table's first row and two lines more, is a new
    table with the same header: a table broken by the page runs to its foot, but for a row
    too tall to fit there. Where the row would not have fitted either, it goes on, and a
    first row with no ref is named in a warning."""
    last = joined[-1][1]
    assert isinstance(last, TableBlock)
    widened = _widened(last, block)
    if widened is not None:
        joined[-1] = (joined[-1][0], widened)
        last = widened
    mapping = _onto(last, block)
    if mapping is None:
        return None, []
    width = len(last.edges) - 1
    rows = [_realigned(row, mapping, width) for row in block.rows]
    skipped = 0
    if rows and rows[0] == last.head:
        rows, skipped = rows[1:], 1
    warnings: list[str] = []
    foot = _ends_at_foot(last, before, feet)
    if skipped and not foot:
        room = feet[before.number] - last.bottom
        if _height(block, skipped) <= room - 2 * _LINE * block.size:
            return None, []
        warnings += _restarted(last, rows)
    if rows and last.rows and (last.continued or len(last.rows) > 1 or foot):
        above = last.rows[-1]
        header = not last.continued and len(last.rows) == 1
        cut = cut_row(above, rows[0], keyed(last.rows, last.head), foot, header)
        if cut.doubt is not None:
            warnings.append(f"{named(above)}: {cut.doubt}")
        if cut.join:
            last.rows[-1] = joined_row(above, rows[0])
            rows = rows[1:]
        merged_over_break(above, rows, block.spans, mapping, skipped + cut.join)
        body = [row for row in last.rows if row != last.head]
        doubt = empty_under_break(above, rows, body)
        if doubt is not None:
            warnings.append(f"{named(rows[0])}: {doubt}")
    table = TableBlock(block.top, block.bottom, last.edges, rows, True, last.head, block.size)
    return table, warnings


_LINE = 1.2
"""A line of a table's text, in font sizes: the room a table ended with at a page's foot
must exceed its next row by two, so that where the foot is is no doubt."""


def _height(block: TableBlock, row: int) -> float:
    """How tall the ``row``-th row of ``block`` is drawn (0 where its boxes are unknown)."""
    boxes = [box for box in (block.boxes[row] if row < len(block.boxes) else []) if box]
    return max(box[3] for box in boxes) - min(box[1] for box in boxes) if boxes else 0.0


def _restarted(last: TableBlock, rows: list[list[str]]) -> list[str]:
    """A warning when a table that repeats the header of the one before, which ended above
    the page's foot, opens with a row with no ref where the table before has one in every
    row: it is read as going on with that table, but it may be a new table of its own."""
    if not rows or rows[0][0] or not keyed(last.rows, last.head):
        return []
    return [
        f"{named(rows[0])}: the table at the top of the page repeats the header of the table "
        f"that ended above the foot of the page before, and its first row has no ref: read "
        f"as going on with {named(last.rows[-1])}, it may be a new table"
    ]


def _ends_at_foot(table: TableBlock, page: PageText, feet: dict[int, float]) -> bool:
    """Whether ``table`` is the last block of ``page`` and fills it to its foot."""
    ending = page.blocks[-1] if page.blocks else None
    return (
        isinstance(ending, TableBlock)
        and ending.bottom == table.bottom
        and at_foot(table.bottom, feet[page.number], table.size)
    )


def render(joined: list[tuple[int, Block]], page_count: int) -> str:
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


def doubtful_dashes(joined: list[tuple[int, Block]]) -> list[tuple[int, str]]:
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
