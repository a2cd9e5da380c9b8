"""A table's heading that a word processor repeats at the top of the next page.

A table whose first rows are a heading (a title row over its header row) may have that
heading repeated on each page, as Word does for the rows marked to repeat; where the page
before printed the heading apart from the table (its own paragraph, or a row of the table
with fewer cells), the page's top shows it as a block of its own, set over the rest of the
table. It is the heading again, not a new table, when its words are the words the table
was introduced with; the table under it goes on with the one the break cut."""

from __future__ import annotations

from barnet_tui.ingest.sources.pdf_blocks import Block, ProseBlock, TableBlock


def _words(text: str) -> str:
    """A heading's letters, however the page split it into cells or words."""
    return "".join(text.split())


def _table_start(joined: list[tuple[int, Block]]) -> int | None:
    """Where in ``joined`` the table that ends it begins (its first page's part)."""
    index = len(joined) - 1
    while index >= 0 and isinstance(joined[index][1], TableBlock):
        block = joined[index][1]
        assert isinstance(block, TableBlock)
        if not block.continued:
            return index
        index -= 1
    return None


def _headings(joined: list[tuple[int, Block]]) -> set[str]:
    """The words the table that ends ``joined`` was introduced with: the paragraph just
    above it, and its rows above its header row."""
    start = _table_start(joined)
    if start is None:
        return set()
    table = joined[start][1]
    assert isinstance(table, TableBlock)
    found = {
        _words(" ".join(row))
        for row in table.rows[: table.rows.index(table.head) if table.head in table.rows else 0]
    }
    above = joined[start - 1][1] if start > 0 else None
    if isinstance(above, ProseBlock):
        found.add(_words(above.text))
    return found - {""}


def repeated_heading(joined: list[tuple[int, Block]], page: list[Block]) -> bool:
    """Whether the first block of a page (``page``: its blocks) repeats the heading of the
    table that ended the page before, with a table under it that may go on with that one."""
    if len(page) < 2 or not isinstance(page[1], TableBlock) or not joined:
        return False
    first = page[0]
    if isinstance(first, TableBlock):
        if len(first.rows) != 1:
            return False
        text = " ".join(first.rows[0])
    else:
        text = first.text
    return _words(text) in _headings(joined)
