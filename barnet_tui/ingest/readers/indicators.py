"""Indicator rows: from indicator tables, comment tables and lists of below-target indicators.

One pass over a report's layout collects three kinds of evidence, then rows are assembled:

- indicator table rows, with the lines PDF extraction wrapped or split rejoined to them;
- "comments and proposed interventions" entries, attached to their indicator's ``comment``;
- indicators named in running text as below target, which become rows of their own when no
  table gives them.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from barnet_tui.domain.contract import BELOW_TARGET_RAGS
from barnet_tui.domain.periods import Period
from barnet_tui.ingest.cells.doubled import doubled_cells
from barnet_tui.ingest.cells.refs import TBC_REF, Ref, parse_ref, unread_row
from barnet_tui.ingest.cells.services import (
    choose_service,
    heading_service,
    service_for_ref,
    services_in_cell,
)
from barnet_tui.ingest.cells.values import (
    dated_figures,
    direction_of_travel,
    indicator_type,
    parse_number,
    polarity,
    rating,
    split_rag,
    strip_footnote,
    unit_from_name,
    unit_of,
)
from barnet_tui.ingest.diagnostics import IngestWarning
from barnet_tui.ingest.errors import ReportError
from barnet_tui.ingest.report import Report
from barnet_tui.ingest.sources.fills import FillMark, rating_by_fill
from barnet_tui.ingest.sources.text import Line
from barnet_tui.ingest.tables.layout import Header, Table, TableKind, drop_spread_ref
from barnet_tui.ingest.tables.sections import (
    ListedIndicator,
    Section,
    carries_on,
    continues_text,
    is_footnote,
    is_terminated,
    list_indicator_type,
    listed_indicator,
    opens_list,
    section_change,
)
from barnet_tui.ingest.tables.vocabulary import header_period

Row = dict[str, Any]
Warn = Callable[[int, str], None]

_IN_CELL_TARGET = re.compile(r"\((Q[1-4]) Target ([^)]*)\)", re.I)
_TRAILING_FOOTNOTE = re.compile(r"\s*\*+$")
_MONITOR = re.compile(r"^monitor\b", re.I)
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


_YEAR_TYPED = re.compile(r"\b(\d{4})\s*[-/–]\s*(\d{4}|\d{2})\b")
"""A financial year as people type it: "2016-17", "2016/2017", "2016 - 17"."""
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


class _Walker:
    """Walks a report's layout once, keeping the state that wrapped lines need."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.evidence = Evidence()
        self.section: Section | None = None
        self.heading: str | None = None
        self.listing = False
        self.listing_type: str | None = None
        self.last_header: Header | None = None
        # Rows of the current run of tables (consecutive tables with only blank lines between);
        # a wrapped line after a repeated header may still belong to the row before it.
        self.run_rows: list[TableRow] = []
        self.run_comments: list[CommentEntry] = []

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
        self.warn(
            table.header.line.number,
            f"indicator table not read: {problem}; none of its {rows} rows guessed",
        )
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
        service = heading_service(line.text) if not line.is_tabular else None
        if service is not None:
            self.heading = service
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

    def _fill_blank_headers(self, header: Header) -> None:
        """A repeated header that lost a cell's text takes it from the previous header (its
        first cells too, which were taken for its leading blanks)."""
        previous = self.last_header
        if previous is None:
            return
        missing = len(previous.fields) - len(header.fields)
        if not ((missing == 0 and "" in header.fields) or 0 < missing <= header.lead):
            return
        fields = [""] * missing + header.fields
        agree = all(
            not mine or mine == theirs for mine, theirs in zip(fields, previous.fields, strict=True)
        )
        if not agree:
            return
        header.labels[:0] = [""] * missing
        header.fields[:0] = [""] * missing
        header.periods = {index + missing: label for index, label in header.periods.items()}
        header.lead -= missing
        for index, name in enumerate(header.fields):
            if not name and previous.fields[index]:
                header.fields[index] = previous.fields[index]
                header.labels[index] = previous.labels[index]
                if index in previous.periods:
                    header.periods[index] = previous.periods[index]

    def indicator_table(self, table: Table) -> None:
        header = table.header
        self._fill_blank_headers(header)
        drop_spread_ref(header)
        self.last_header = header
        if header.problem:
            self.not_read(table, header.problem)
            return
        ref_column = header.index("ref")
        name_column = header.index("indicator")
        assert ref_column is not None and name_column is not None
        pending: list[tuple[int, str]] = []
        previous_line_was_row = False
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
                previous_line_was_row = True
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
                self.warn(line.number, unread_row(list(placed.values()), placed.get(ref_column)))
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


def _split_comment_warnings(report: Report, rows: list[TableRow]) -> list[IngestWarning]:
    """A warning for each row whose comment reads as the rest of the row above's: that text
    stops mid-sentence and this one carries on in lower case ("...to take place in an" /
    "efficient and timely manner..."). One cell printed across both rows, or two comments
    that happen to read on: the text cannot tell, so each row keeps what is printed on it,
    never the two joined (a spreadsheet's cell is its row's alone: no warning there)."""
    if report.one_row_per_line:
        return []
    warnings = []
    for above, row in itertools.pairwise(rows):
        column = row.header.index("comment")
        if column is None or above.header.signature != row.header.signature:
            continue
        text, following = above.cells.get(column, ""), row.cells.get(column, "")
        if carries_on(text, following):
            message = (
                f"{row.ref.ref}'s comment reads on from {above.ref.ref}'s at line {above.line} "
                f"({_edge(text, end=True)!r} / {_edge(following, end=False)!r}): one cell "
                "across two rows? Each row keeps the text printed on it"
            )
            warnings.append(IngestWarning(report.source, row.line, message))
    return warnings


def _edge(text: str, *, end: bool) -> str:
    """A few words at one end of a text, to quote."""
    words = text.split()
    return " ".join(words[-4:] if end else words[:4])


def _join(*parts: str | None) -> str | None:
    text = " ".join(part for part in parts if part)
    return text or None


def _rating(
    rag: str | None, target_raw: str | None, section: Section | None
) -> tuple[str | None, str | None, bool | None]:
    """(rag, rag_source, below_target) from a printed marker, the target, or the section."""
    if rag is not None:
        return rag, "published", None if rag == "Monitor" else rag in BELOW_TARGET_RAGS
    if target_raw and _MONITOR.match(target_raw):
        return "Monitor", "published", None
    if section is Section.BELOW_TARGET:
        return None, None, True
    if section is Section.MET_TARGET:
        return "Green", "section", False
    if section is Section.MONITORED:
        return "Monitor", "section", None
    return None, None, None


def _rating_column(row: TableRow, marker: str | None, warn: Warn) -> str | None:
    """The rating a column of its own gives (``RAG``, ``Status``), or the result's marker."""
    cell = row.get("rag")
    if cell is None:
        return marker
    said = rating(cell)
    if said is None:
        warn(row.line, f"unknown rating {cell!r} for {row.ref.raw!r}")
    elif marker is not None and said != marker:
        warn(row.line, f"{row.ref.raw!r} is rated {said} but its result is marked {marker}")
    return marker or said


def _fill_rating(
    report: Report, row: TableRow, said: str | None, warn: Warn
) -> tuple[str | None, bool]:
    """The rating the shading of the row's rating cell (or its result's) gives, and whether
    the rating came from it (``ingest.fills``)."""
    columns = (row.header.index("rag"), row.header.index("result"))
    mark = next((row.fills[column] for column in columns if column in row.fills), None)
    rag, by_fill, problem = rating_by_fill(said, mark, row.ref.raw)
    if problem is not None:
        page = report.lines[row.line - 1].page if 0 < row.line <= len(report.lines) else None
        warn(row.line, f"page {page}: {problem}" if page is not None else problem)
    return rag, by_fill


def row_period(row: TableRow, period: Period | None, warn: Warn) -> Period | None:
    """A row's period: its Period cell ("2016/17 Q4", "Q4 2016/17", "2016/17" for the year
    end), else the report's; None (and a warning) when its cell names none."""
    cell, year = row.get("period"), row.get("year")
    if cell is None and year is None:
        return period
    # A Year column beside a Quarter one ("2016/17", "Q4"); years typed "2016-17", "2016/2017".
    cell = " ".join(part for part in (year, cell) if part)
    cell = _YEAR_TYPED.sub(lambda m: f"{m[1]}/{m[2][-2:]}", cell)
    try:
        return Period.parse(cell)
    except ValueError:
        named = header_period(cell)
        if named is None:
            warn(row.line, f"{row.ref.raw!r} not read: period {cell!r} names no quarter or year")
        return named.as_period() if named else None


def _row_from_table(
    report: Report, period: Period, row: TableRow, warn: Warn
) -> tuple[Row, list[Row]]:
    """The indicators row for a table row, and the targets rows its year columns give."""
    header = row.header
    result_raw, rag = split_rag(row.get("result") or "")
    result_raw = strip_footnote(result_raw) if result_raw else result_raw

    year_targets = {
        header.periods[index]: text
        for index, name in enumerate(header.fields)
        if name == "year_target" and (text := row.cells.get(index)) and index in header.periods
    }
    in_cell = _IN_CELL_TARGET.search(result_raw or "")
    annual_target_raw = None
    if row.get("period_target"):
        target_raw, annual_target_raw = row.get("period_target"), row.get("annual_target")
    elif in_cell:
        target_raw, annual_target_raw = in_cell[2].strip(), year_targets.get(period.fin_year)
    else:
        target_raw = (
            row.get("annual_target") or row.get("target") or year_targets.get(period.fin_year)
        )

    named: list[str] = []
    comment = row.get("comment")
    service_cell = row.get("service")
    if service_cell:
        named, rest = services_in_cell(service_cell)
        if rest and comment is None:
            comment = rest  # the Comment cell ran into the Service cell
    service = (
        choose_service(named, row.ref.ref)
        or service_for_ref(row.ref.ref)
        or row.heading
        or report.service
    )
    if service is None:
        warn(row.line, f"cannot tell which service {row.ref.raw!r} belongs to")
        service = "Unknown"

    type_cell = row.get("indicator_type") or next(
        (cell for cell in row.before_ref if indicator_type(cell)), None
    )
    for cell in row.before_ref:
        if cell and not indicator_type(cell):
            warn(row.line, f"stray text {cell!r} before ref {row.ref.raw!r} ignored")

    polarity_raw = row.get("polarity")
    if polarity_raw and polarity(polarity_raw) is None:
        warn(row.line, f"unknown polarity {polarity_raw!r}")
    dot_raw, dot_short_raw = row.get("dot"), row.get("dot_short")
    for raw in (dot_raw, dot_short_raw):
        if raw and direction_of_travel(raw) is None:
            warn(row.line, f"unknown direction of travel {raw!r}")

    rag = _rating_column(row, rag, warn)
    rag, by_fill = _fill_rating(report, row, rag, warn)
    rag, rag_source, below = _rating(rag, target_raw, row.section)
    rag_source = "fill" if by_fill else rag_source
    previous_raw = row.get("previous")
    previous_raw = strip_footnote(previous_raw) if previous_raw else None
    previous_column = header.index("previous")
    indicator = _TRAILING_FOOTNOTE.sub("", row.get("indicator") or "")
    result: Row = {
        "period": str(period),
        "fin_year": period.fin_year,
        "quarter": period.quarter,
        "service": service,
        "ref": row.ref.ref,
        "ref_raw": row.ref.raw,
        "ref_note": row.ref.note,
        "indicator": indicator,
        "indicator_type": indicator_type(type_cell) if type_cell else None,
        "polarity": polarity(polarity_raw),
        "period_covered": row.get("period_covered"),
        "target_raw": target_raw,
        "target": parse_number(target_raw),
        "annual_target_raw": annual_target_raw,
        "result_raw": result_raw or None,
        "result": parse_number(result_raw),
        "unit": unit_of(result_raw)
        or unit_of(target_raw)
        or unit_of(previous_raw)
        or unit_from_name(indicator, parse_number(result_raw)),
        "rag": rag,
        "rag_source": rag_source,
        "below_target": below,
        "previous_raw": previous_raw,
        "previous": parse_number(previous_raw),
        "previous_period": header.periods.get(previous_column)
        if previous_column is not None
        else None,
        "dot": direction_of_travel(dot_raw),
        "previous_short_raw": row.get("previous_short"),
        "dot_short": direction_of_travel(dot_short_raw),
        "benchmark": row.get("benchmark"),
        "comment": comment,
        "source": report.source,
        "source_line": row.line,
    }
    dated_figures(result, row.ref.raw, functools.partial(warn, row.line))
    for name in doubled_cells(result, polarity_raw):
        shown = name.removesuffix("_raw")
        warn(row.line, f"{row.ref.raw!r}: its {shown} cell holds two values: not stored")
        result.update({name: None, shown: None})
    targets = [
        {
            "ref": row.ref.ref,
            "service": service,
            "indicator": indicator,
            "fin_year": fin_year,
            "target_raw": text,
            "target": parse_number(text),
            "source": report.source,
            "source_line": row.line,
        }
        for fin_year, text in year_targets.items()
    ]
    return result, targets


def _bare_row(report: Report, period: Period, ref: Ref, title: str, line: int) -> Row:
    """A row for an indicator a report names without figures."""
    return {
        "period": str(period),
        "fin_year": period.fin_year,
        "quarter": period.quarter,
        "service": service_for_ref(ref.ref) or report.service or "Unknown",
        "ref": ref.ref,
        "ref_raw": ref.raw,
        "ref_note": ref.note,
        "indicator": title,
        "indicator_type": None,
        "polarity": None,
        "period_covered": None,
        "target_raw": None,
        "target": None,
        "annual_target_raw": None,
        "result_raw": None,
        "result": None,
        "unit": None,
        "rag": None,
        "rag_source": None,
        "below_target": True,
        "previous_raw": None,
        "previous": None,
        "previous_period": None,
        "dot": None,
        "previous_short_raw": None,
        "dot_short": None,
        "benchmark": None,
        "comment": None,
        "source": report.source,
        "source_line": line,
    }


@dataclass
class IndicatorRows:
    indicators: list[Row]
    targets: list[Row]
    warnings: list[IngestWarning]
    unread: int
    """Rows under a header that was not recognised (each block is also a warning)."""


def _find(rows: Iterable[Row], ref: str) -> Row | None:
    if ref == TBC_REF:
        return None
    return next((row for row in rows if row["ref"] == ref), None)


def _mark_below_target(row: Row, line: int, said: str, warn: Warn) -> None:
    """The report says this indicator is below target; a Green rating contradicts it."""
    if row["below_target"] is False:
        warn(line, f"{row['ref']} is rated {row['rag']} but {said}")
    elif row["below_target"] is None:
        row["below_target"] = True


def _attach_comment(
    report: Report, period: Period, rows: list[Row], entry: CommentEntry, warn: Warn
) -> None:
    """Join a "comments and proposed interventions" entry to its indicator's row."""
    row = _find(rows, entry.ref.ref)
    if row is None:
        row = _bare_row(report, period, entry.ref, entry.title, entry.line)
        row["below_target"] = True if entry.section is Section.BELOW_TARGET else None
        rows.append(row)
    elif entry.section is Section.BELOW_TARGET:
        _mark_below_target(row, entry.line, "listed as not met", warn)
    row["comment"] = _join(row["comment"], entry.comment)


def _attach_listed(
    report: Report, period: Period, rows: list[Row], listed: ListedIndicator, warn: Warn
) -> None:
    """An indicator named as below target: a row of its own unless a table gave it."""
    row = _find(rows, listed.ref.ref)
    if row is None:
        row = _bare_row(report, period, listed.ref, listed.title, listed.line)
        row["indicator_type"] = listed.indicator_type
        if listed.rag is not None:
            row["rag"], row["rag_source"] = listed.rag, "published"
        rows.append(row)
    else:
        if listed.rag is not None and row["rag"] not in (None, listed.rag):
            warn(
                listed.line,
                f"{row['ref']} is rated {listed.rag} in the text "
                f"but {row['rag']} in its table (line {row['source_line']})",
            )
        _mark_below_target(row, listed.line, "listed as below target", warn)
    if listed.commentary:
        row["comment"] = _join(row["comment"], listed.commentary)


def extract_indicators(report: Report) -> IndicatorRows:
    """Every indicator row a report gives, and the targets its plan columns set."""
    evidence = _Walker(report).walk()
    warnings = evidence.warnings

    def warn(line: int, message: str) -> None:
        warnings.append(IngestWarning(report.source, line, message))

    if not evidence.table_rows and not evidence.comments and not evidence.listed:
        unread = next(
            (
                warning
                for warning in warnings
                if "not recognised" in warning.message or "table not read" in warning.message
            ),
            None,
        )
        if unread is not None:
            raise ReportError(
                f"{report.source}: no indicator table found; line {unread.line}: {unread.message}"
            )
        raise ReportError(f"{report.source}: not a performance report (no indicator table found)")
    period = report.period
    dated = all(row.get("period") or row.get("year") for row in evidence.table_rows)
    if period is None and (not dated or evidence.comments or evidence.listed):
        raise ReportError(
            f"{report.source}: cannot tell which period the report covers (no title, header or "
            "Period column names it; --period says it)"
        )

    warnings += _split_comment_warnings(report, evidence.table_rows)
    rows: list[Row] = []
    targets: list[Row] = []
    given: dict[tuple[str, str], Row] = {}  # (ref, period) -> its row: found in linear time
    for table_row in evidence.table_rows:
        own = row_period(table_row, period, warn)
        if own is None:
            continue
        row, row_targets = _row_from_table(report, own, table_row, warn)
        key = (row["ref"], row["period"])
        duplicate = given.get(key) if row["ref"] != TBC_REF else None
        if duplicate is not None:
            warn(
                row["source_line"],
                f"{row['ref']} already given at line {duplicate['source_line']}; kept the first",
            )
            continue
        given.setdefault(key, row)
        rows.append(row)
        targets.extend(row_targets)

    if period is not None:
        for entry in evidence.comments:
            _attach_comment(report, period, rows, entry, warn)
        for listed in evidence.listed:
            _attach_listed(report, period, rows, listed, warn)
    rows.sort(key=lambda row: row["source_line"])
    return IndicatorRows(rows, targets, warnings, evidence.unread)
