"""One pass over a report's indicator layout: the evidence indicator rows are made from.

The pass collects three kinds of evidence:

- indicator table rows, with the lines PDF extraction wrapped or split rejoined to them;
- "comments and proposed interventions" entries, for their indicator's ``comment``;
- indicators named in running text as below target.

Tables the finder gave the layout kind arrive as ``report.parts``; rows with a ref under no
indicator header are counted and named in a warning, never silently lost.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from barnet_tui.ingest.cells.refs import TBC_REF, Ref, parse_ref
from barnet_tui.ingest.diagnostics import IngestWarning
from barnet_tui.ingest.readers.unplaced import unplaced
from barnet_tui.ingest.report import Report
from barnet_tui.ingest.sources.fills import FillMark
from barnet_tui.ingest.sources.text import Line
from barnet_tui.ingest.tables.finder import not_read, row_without_ref
from barnet_tui.ingest.tables.layout import Header, Table, TableKind
from barnet_tui.ingest.tables.sections import (
    ListedIndicator,
    Section,
    continues_text,
    is_footnote,
    is_terminated,
    list_indicator_type,
    listed_indicator,
    opens_list,
    section_change,
)

Row = dict[str, Any]

_MAX_REF_COLUMN = 3
_RULE = re.compile(r"^[-:= ]*$")
_LONGEST_HEADER_SHOWN = 160
_RUN_LOOKBACK = 50
"""Rows of a run of tables looked back over for one under the same header."""


def _ref_position(cells: Sequence[str], expected: int = 0) -> int | None:
    """Where a row's ref is printed: under its header cell, or a few cells either side of it
    (an unheaded CPI column before it, a header that lost its leading blank cell)."""
    undecided = None  # a bare "TBC" may be a target's; a ref that names an indicator wins
    for distance in range(_MAX_REF_COLUMN + 1):
        for index in (expected + distance, expected - distance) if distance else (expected,):
            if not (0 <= index < len(cells) and cells[index]):
                continue
            ref = parse_ref(cells[index])
            if ref is not None and ref.ref != TBC_REF:
                return index
            if ref is not None and undecided is None:
                undecided = index
    return undecided


def _nothing(_name: str) -> None:
    """No row above: none of its fields has text."""


_SUB_HEADING_FIELDS = frozenset({"ref", "indicator_type", ""})
"""A line whose text stands only under these columns is a heading inside the table."""


@dataclass(slots=True)  # one per row of a tracker of a million rows
class TableRow:
    """An indicator table row as printed, its wrapped lines rejoined."""

    line: int
    header: Header
    cells: dict[int, str]
    """Header column index -> text."""
    before_ref: list[str]
    """Cells printed before the ref that no header names (a leading CPI/SPI column)."""
    ref: Ref
    offset: int
    """Where the row's cells stand from its header's: cell ``column + offset`` is under
    header column ``column`` (an unheaded CPI column before the ref shifts a row by one)."""
    section: Section | None
    heading: str | None
    fills: dict[int, FillMark] = field(default_factory=dict)
    """Header column index -> the cell's fill, where the source marked one."""

    def get(self, name: str) -> str | None:
        index = self.header.index(name)
        if index is None:
            return None
        return self.cells.get(index) or None

    def append(self, index: int, text: str, *, front: bool = False) -> None:
        old = self.cells.get(index, "")
        parts = [text, old] if front else [old, text]
        self.cells[index] = " ".join(part for part in parts if part)


@dataclass
class CommentEntry:
    """One "comments and proposed interventions" entry."""

    ref: Ref
    title: str
    comment: str
    line: int
    section: Section | None


@dataclass
class Evidence:
    """What one pass over a report found."""

    table_rows: list[TableRow] = field(default_factory=list)
    comments: list[CommentEntry] = field(default_factory=list)
    listed: list[ListedIndicator] = field(default_factory=list)
    warnings: list[IngestWarning] = field(default_factory=list)
    unread: int = 0
    """Rows with a ref under a header that is not an indicator table's: never silently lost."""


class Walker:
    """Walks a report's layout once, keeping the state that wrapped lines need."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.evidence = Evidence()
        self.section: Section | None = None
        self.heading: str | None = None
        """The service the heading above the table being read names."""
        self.listing = False
        self.listing_type: str | None = None
        # Rows of the current run of tables (consecutive tables with only blank lines between);
        # a wrapped line after a repeated header may still belong to the row before it.
        self.run_rows: list[TableRow] = []
        self.run_comments: list[CommentEntry] = []
        self.unread_row = False
        """Whether the last line with text where a ref goes was not a row read."""

    def warn(self, line: int, message: str) -> None:
        self.evidence.warnings.append(IngestWarning(self.report.source, line, message))

    def walk(self) -> Evidence:
        loose: list[Line] = []  # tabular lines under no header
        for item in self.report.parts:
            if isinstance(item, Line) and item.is_tabular:
                loose.append(item)
            else:
                self.unread_rows(loose)
                loose = []
            if isinstance(item, Table):
                self.listing = False
                if item.header.kind is TableKind.INDICATORS:
                    self.indicator_table(item)
                elif item.header.kind is TableKind.COMMENTS:
                    self.comment_table(item)
                else:
                    self.unread_rows([item.header.line, *item.rows])
                    self.run_rows, self.run_comments = [], []
            else:
                self.text_line(item)
        self.unread_rows(loose)
        return self.evidence

    def unread_rows(self, block: list[Line]) -> None:
        """Warn about a block of table lines with refs that no indicator header introduced."""
        rows = sum(1 for line in block if _ref_position(line.cells) is not None)
        if not rows:
            return
        header = block[0]
        self.evidence.unread += rows
        text = " | ".join(cell for cell in header.cells if cell)
        if len(text) > _LONGEST_HEADER_SHOWN:
            text = text[: _LONGEST_HEADER_SHOWN - 1] + "…"
        self.warn(header.number, f"{rows} rows under a header that was not recognised: {text}")

    def not_read(self, table: Table, problem: str) -> None:
        """A table whose columns cannot be told apart: a warning, and its rows not guessed."""
        rows = sum(1 for line in table.rows if _ref_position(line.cells) is not None)
        self.evidence.unread += rows
        self.warn(table.header.line.number, not_read("indicator table", problem, rows))
        self.run_rows, self.run_comments = [], []

    # Running text -------------------------------------------------------------------------

    def text_line(self, line: Any) -> None:
        if line.is_blank:
            return
        if not is_footnote(line):
            self.run_rows, self.run_comments = [], []
        starts, section = section_change(line)
        if starts:
            self.section = section
        listed = listed_indicator(line)
        if listed is not None:
            listed.indicator_type = self.listing_type if self.listing else None
        if self.listing and listed is not None:
            self.evidence.listed.append(listed)
            return
        if self.listing and self.evidence.listed and continues_text(line):
            last = self.evidence.listed[-1]
            if last.line > 0 and not is_terminated(last.commentary or last.title):
                last.commentary = f"{last.commentary} {line.text}".strip()
                return
        if self.listing and is_footnote(line):
            return
        self.listing = opens_list(line)
        self.listing_type = list_indicator_type(line) if self.listing else None
        if self.listing and listed is not None:
            # A bullet can both open a list and name the first indicator of it.
            self.evidence.listed.append(listed)

    # Indicator tables ---------------------------------------------------------------------

    def indicator_table(self, table: Table) -> None:
        header, self.heading = table.header, table.service
        if header.problem:
            self.not_read(table, header.problem)
            return
        ref_column = header.index("ref")
        name_column = header.index("indicator")
        assert ref_column is not None and name_column is not None
        pending: list[tuple[int, str]] = []
        previous_line_was_row = self.unread_row = False
        positions = self._ref_positions(table)
        for line, position, shift in zip(
            table.rows, positions, self._offsets(table, positions), strict=True
        ):
            cells = list(line.cells)
            if all(_RULE.match(cell) for cell in cells):
                continue  # a Markdown table rule ("-----\t------")
            if position is not None:
                row = self._table_row(line.number, header, cells, position)
                row.fills = {
                    column: mark
                    for column in range(len(header.fields))
                    if 0 <= column + row.offset < len(line.fills)
                    and (mark := line.fills[column + row.offset]) is not None
                }
                for index, text in pending:
                    row.append(index, text, front=True)
                pending = []
                self.evidence.table_rows.append(row)
                self.run_rows.append(row)
                previous_line_was_row, self.unread_row = True, False
                continue
            placed = {
                column: cells[column + shift]
                for column in range(len(header.fields))
                if 0 <= column + shift < len(cells) and cells[column + shift]
            }
            if not placed:
                continue
            if all(header.fields[column] in _SUB_HEADING_FIELDS for column in placed):
                continue  # a sub-heading inside the table ("Council Tax and business rates")
            if self.report.one_row_per_line:
                cells = list(placed.values())
                found = placed.get(ref_column)
                self.warn(line.number, row_without_ref("indicator table", cells, found))
                continue
            if self._apart(line.number, placed, header.fields):
                continue
            target = self._wrapped_line_target(
                placed, name_column, previous_line_was_row, self.run_rows
            )
            if target is None:
                pending.extend(placed.items())
            else:
                for column, text in placed.items():
                    # The row may stand under an earlier header with its columns elsewhere.
                    name = header.fields[column]
                    own = column if target.header is header else target.header.index(name)
                    target.append(column if own is None else own, text)
            previous_line_was_row = target is not None and previous_line_was_row
        for _column, text in pending:
            self.warn(table.header.line.number, f"wrapped text with no row to join: {text!r}")

    def _apart(self, number: int, placed: dict[int, str], fields: Sequence[str]) -> bool:
        """Whether a line without a ref stands apart from the rows around it: one that can be
        no row's wrapped text (a warning), or the wrapped text of a row not read (named in
        that row's warning)."""
        above = self.run_rows[-1].get if self.run_rows else _nothing
        problem = unplaced(placed, fields, above)
        if problem is not None:
            self.warn(number, problem)
            self.unread_row = self.unread_row or any(fields[at] == "ref" for at in placed)
        return problem is not None or self.unread_row

    def _shift(self, header: Header) -> int | None:
        """How far the last row under the same header sat from its header cells."""
        signature = header.signature
        for row in reversed(self.run_rows[-_RUN_LOOKBACK:]):
            if row.header.signature == signature:
                return row.offset
        return None

    def _ref_positions(self, table: Table) -> list[int | None]:
        """Where each line's ref stands (None for a line without one): near the ref column,
        shifted as the row before was."""
        ref_column = table.header.index("ref")
        assert ref_column is not None
        shift = self._shift(table.header)
        offset = table.header.lead if shift is None else shift
        positions: list[int | None] = []
        for line in table.rows:
            position = _ref_position(line.cells, ref_column + offset)
            if position is not None:
                offset = position - ref_column
            positions.append(position)
        return positions

    def _offsets(self, table: Table, positions: list[int | None]) -> list[int]:
        """How far each line's cells sit from their header cells: a row's own; a line without
        a ref is shifted as the row above it, else as the last row under the same header
        (across a repeated header), else as the row below it."""
        ref_column = table.header.index("ref")
        assert ref_column is not None
        offsets = [None if p is None else p - ref_column for p in positions]
        last = self._shift(table.header)
        following = next((o for o in offsets if o is not None), None)
        fallback = last if last is not None else following
        result: list[int] = []
        for offset in offsets:
            if offset is not None:
                fallback = offset
            result.append(fallback if fallback is not None else table.header.lead)
        return result

    @staticmethod
    def _wrapped_line_target(
        placed: dict[int, str],
        name_column: int,
        after_row: bool,
        run_rows: list[TableRow],
    ) -> TableRow | None:
        """The row a wrapped line belongs to; None when it belongs to the next row.

        A line directly under a row continues it. A line that carries on an indicator's name
        continues the row above, even across a repeated header. Any other line continues the
        row above only when that row's text stops mid-sentence; otherwise it is the top of a
        vertically centred cell of the next row.
        """
        if not run_rows:
            return None
        previous = run_rows[-1]
        if after_row or name_column in placed:
            return previous
        unfinished = any(not is_terminated(previous.cells.get(column, "")) for column in placed)
        return previous if unfinished else None

    def _table_row(self, number: int, header: Header, cells: list[str], position: int) -> TableRow:
        """A row read column by column under its header, shifted as its ref says."""
        ref_column = header.index("ref")
        assert ref_column is not None
        offset = position - ref_column
        mapped = {
            column: cells[column + offset]
            for column in range(len(header.fields))
            if 0 <= column + offset < len(cells) and cells[column + offset]
        }
        unheaded = [text for column, text in mapped.items() if not header.fields[column] and text]
        unheaded += [cell for cell in cells[len(header.fields) + offset :] if cell]
        if unheaded:
            self.warn(number, f"cells under no header ignored: {unheaded}")
        ref = parse_ref(cells[position])
        assert ref is not None
        before = cells[: max(offset, 0)]
        return TableRow(number, header, mapped, before, ref, offset, self.section, self.heading)

    # Comment tables -----------------------------------------------------------------------

    def comment_table(self, table: Table) -> None:
        pending: list[str] = []
        current: CommentEntry | None = None
        after_row = False
        titles = table.header.index("ref_title")
        assert titles is not None
        for line in table.rows:
            # The ref and title under their header cell (rows drop the header's leading
            # blank cells); everything else is the comment.
            cells = list(line.cells)
            at = titles
            first = cells[at] if at < len(cells) else ""
            comment = " ".join(c for i, c in enumerate(cells) if c and i != at)
            ref = parse_ref(first, title_follows=True) if first else None
            if ref is not None:
                current = CommentEntry(
                    ref, ref.rest, " ".join([*pending, comment]).strip(), line.number, self.section
                )
                pending = []
                self.evidence.comments.append(current)
                self.run_comments.append(current)
                after_row = True
                continue
            if first and current is not None:
                current.title = f"{current.title} {first}".strip()
                current.comment = f"{current.comment} {comment}".strip()
                after_row = False
                continue
            if not comment:
                continue
            previous = self.run_comments[-1] if self.run_comments else None
            if previous is not None and (after_row or not is_terminated(previous.comment)):
                previous.comment = f"{previous.comment} {comment}".strip()
            else:
                pending.append(comment)
        for text in pending:
            self.warn(table.header.line.number, f"comment with no indicator to join: {text!r}")
