"""Finding tables in report text by what their header rows say.

A header row names its columns; a small table of synonyms per table kind maps each header
cell to a field. Everything that follows a header up to the next line without tabs belongs to
that table. The same kind of table comes in many layouts (annual or quarterly, with or without
a type column), so nothing here depends on a column's position.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum

from barnet_tui.domain.periods import Period
from barnet_tui.ingest.sources.text import Line
from barnet_tui.ingest.tables.finder import FoundTable, between, claimed_twice
from barnet_tui.ingest.tables.vocabulary import (
    COUNT_COLUMNS,
    INDICATOR_COLUMNS,
    HeaderPeriod,
    header_key,
    header_period,
    is_annual,
    is_periodic,
    is_short_term,
    squash,
)

_REF_AND_TITLE = re.compile(
    r"^(?:ref|reference|indicator ref)(?: no\.?)? and (?:the )?(?:title|indicator|description)"
)
_ACTION_COUNTS = re.compile(r"keyaction|commissioningintention|status")
_LONGEST_COUNT_LABEL = 40


class TableKind(Enum):
    INDICATORS = "indicators"
    COMMENTS = "comments"
    COUNTS = "counts"
    DASHBOARD = "dashboard"


@dataclass
class Header:
    """A table's header row and what each of its cells means."""

    line: Line
    kind: TableKind
    labels: list[str]
    """Header cells with leading empty cells removed."""
    fields: list[str]
    """The field each label names ("" when the cell is blank or unknown)."""
    lead: int
    """How many empty cells were removed from the start of the row."""
    periods: dict[int, str] = field(default_factory=dict)
    """Period label printed in a result or target column ("2015/16", "Q3 2015/16")."""
    period: HeaderPeriod | None = None
    """The period of the table's current result: the latest its result columns name."""
    problem: str = ""
    """Why the table's rows cannot be read without guessing (two columns claim one meaning,
    or the headers do not say which result is this period's); "" when they can."""

    def index(self, name: str) -> int | None:
        return self.fields.index(name) if name in self.fields else None

    @property
    def signature(self) -> tuple[str, ...]:
        return tuple(header_key(label) for label in self.labels)


@dataclass
class Table:
    header: Header
    rows: list[Line]
    service: str | None = None
    """The service the heading above the table names (``FoundTable.service``)."""


def _choose_results(labels: Sequence[str], fields: list[str]) -> tuple[HeaderPeriod | None, str]:
    """Name the result columns by the periods they print: the latest is this period's result.

    Of the older ones, the same period a year before is the long-term comparison and the
    latest other one the short-term comparison (when the table has a short-term direction).
    Returns the current period and a note when the headers do not say which is current.
    """
    results = [index for index, name in enumerate(fields) if name == "result"]
    if not results:
        return None, ""
    dated = {index: period for index in results if (period := header_period(labels[index]))}
    note = ""
    if len(dated) < len(results) and len(results) > 1:
        shown = ", ".join(repr(labels[index]) for index in results)
        note = (
            f"{len(results)} result columns ({shown}) and the headers do not say which is "
            "this period's"
        )
        current, period = results[0], dated.get(results[0])
    elif dated:
        current = max(dated, key=lambda index: dated[index].order)
        period = dated[current]
    else:
        current, period = results[0], None
    others = sorted(
        (index for index in results if index != current),
        key=lambda index: dated[index].order if index in dated else (0, 0),
        reverse=True,
    )
    year_before = next(
        (i for i in others if period and i in dated and period.year_before(dated[i])), None
    )
    recent = [index for index in others if index != year_before]
    short = recent.pop(0) if recent and "dot_short" in fields else None
    long = year_before if year_before is not None else (recent.pop(0) if recent else None)
    for index in results:
        fields[index] = {current: "result", short: "previous_short", long: "previous"}.get(
            index, "ignored"
        )
    return period, note


def _name_targets(labels: Sequence[str], fields: list[str]) -> None:
    """A target column is the period's, the year's (annual), or one of several years' targets."""
    for index, name in enumerate(fields):
        if name != "target":
            continue
        label = labels[index]
        period = header_period(label)
        if is_annual(label):
            fields[index] = "annual_target"
        elif is_periodic(label):
            fields[index] = "period_target"
        elif period is not None:
            fields[index] = "year_target"


def _choose_period_target(
    labels: Sequence[str], fields: list[str], period: HeaderPeriod | None
) -> None:
    """Of several period targets ("Q4 2015/16 Target", "Q1 2016/17 Target"), the result's."""
    targets = [index for index, name in enumerate(fields) if name == "period_target"]
    matching = [index for index in targets if header_period(labels[index]) == period]
    if period is None or len(targets) < 2 or not matching:
        return
    for index in targets:
        if index != matching[0]:
            fields[index] = "ignored"


def _indicator_fields(labels: Sequence[str]) -> tuple[list[str], HeaderPeriod | None, str]:
    fields = [INDICATOR_COLUMNS.field(label) for label in labels]
    for index, name in enumerate(fields):
        if name == "dot" and is_short_term(labels[index]):
            fields[index] = "dot_short"
    _name_targets(labels, fields)
    period, note = _choose_results(labels, fields)
    _choose_period_target(labels, fields, period)
    return fields, period, note


def _fill_blank_headers(header: Header, previous: Header) -> None:
    """A repeated header that lost a cell's text takes it from the previous header (its
    first cells too, which were taken for its leading blanks)."""
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


def settle_headers(tables: Sequence[FoundTable]) -> None:
    """Each indicator table's header as its rows are read: a repeated header takes what it
    lost from the one before it, then a ref header cell spread over two is one."""
    previous: Header | None = None
    for table in tables:
        header = table.meaning
        if header.kind is not TableKind.INDICATORS:
            continue
        if previous is not None:
            _fill_blank_headers(header, previous)
        drop_spread_ref(header)
        previous = header


def drop_spread_ref(header: Header) -> None:
    """``Ref | | Indicator``: the ref's header cell spread over two, as its rows are not.

    Called once a repeated header has taken what it lost from the header before it (there a
    blank between is a column whose text was lost)."""
    ref, name = header.index("ref"), header.index("indicator")
    if ref is None or name is None or name <= ref + 1 or any(header.labels[ref + 1 : name]):
        return
    gone = name - ref - 1
    del header.labels[ref + 1 : name]
    del header.fields[ref + 1 : name]
    header.periods = {i - gone if i > ref else i: label for i, label in header.periods.items()}


_REPEATABLE = frozenset({"", "ignored", "year_target"})
"""Fields several columns may hold: unread ones, and the targets of several years."""


def _count_fields(labels: Sequence[str]) -> list[str]:
    return [COUNT_COLUMNS.field(label) for label in labels]


def classify_header(line: Line, above: Line | None = None) -> Header | None:
    """The header a line is, or None; ``above`` is the line before, for two-line headers."""
    if not line.is_tabular:
        return None
    cells = list(line.cells)
    lead = 0
    while lead < len(cells) and not cells[lead]:
        lead += 1
    labels = cells[lead:]
    read = _indicator_fields(labels)
    header = _indicator_header(line, labels, lead, read)
    if header is not None or {"ref", "indicator"} <= set(read[0]):
        return header  # a ref and an indicator column: an indicator table's or none
    return _count_header(line, above, labels, lead)


_TARGETS = frozenset({"result", "target", "annual_target", "period_target", "year_target"})
_PERIOD_COLUMNS = frozenset({"result", "previous", "previous_short", "year_target"})


def _indicator_header(
    line: Line,
    labels: list[str],
    lead: int,
    read: tuple[list[str], HeaderPeriod | None, str],
) -> Header | None:
    """A comments table's header ("Ref and title | Comment"), or an indicator table's: a ref,
    an indicator and a result or target column."""
    fields, period, note = read
    titled = [
        index for index, label in enumerate(labels) if _REF_AND_TITLE.match(header_key(label))
    ]
    if len(titled) == 1 and "comment" in fields:
        comments = [
            "ref_title" if index == titled[0] else name for index, name in enumerate(fields)
        ]
        return Header(line, TableKind.COMMENTS, labels, comments, lead)
    if not ("ref" in fields and "indicator" in fields and _TARGETS & set(fields)):
        return None
    periods = {
        index: found.label
        for index, label in enumerate(labels)
        if fields[index] in _PERIOD_COLUMNS and (found := header_period(label))
    }
    problem = note or claimed_twice(labels, fields, _REPEATABLE)
    return Header(line, TableKind.INDICATORS, labels, fields, lead, periods, period, problem)


def _count_header(line: Line, above: Line | None, labels: list[str], lead: int) -> Header | None:
    """A table of RAG counts per service, or a service's dashboard: the ratings named."""
    squashed = " ".join(squash(label) for label in labels)
    has_ratings = "green" in squashed and "red" in squashed
    if not has_ratings or _ACTION_COUNTS.search(squashed):
        return None
    if any(len(label) > _LONGEST_COUNT_LABEL for label in labels):
        return None  # a row of prose that happens to mention ratings
    fields = _count_fields(labels)
    if above is not None and above.is_tabular:
        # A two-line header: a cell the lower line leaves unnamed ("2016/17") may be named by
        # the cell above it ("Monitor").
        upper = list(above.cells)[lead:]
        for index, name in enumerate(fields):
            if not name and index < len(upper):
                fields[index] = _count_fields([upper[index]])[0]
    named = [found for label in labels if (found := header_period(label))]
    period = max(named, key=lambda found: found.order, default=None)
    problem = claimed_twice(labels, fields, frozenset({""}))
    if {"reported", "monitor", "rag_rated"} & set(fields):
        return Header(line, TableKind.COUNTS, labels, fields, lead, period=period, problem=problem)
    if "worsened" in fields:
        return Header(line, TableKind.DASHBOARD, labels, fields, lead, period=period)
    return None


def tables_period(parts: Sequence[Table | Line]) -> Period | None:
    """The latest period a report's indicator or count table headers name, for a report whose
    title names none: one rule for every kind of table."""
    periods = [
        table.header.period
        for table in parts
        if isinstance(table, Table) and table.header.period is not None
    ]
    return max(periods, key=lambda found: found.order).as_period() if periods else None


def layout(lines: Sequence[Line], found: Sequence[FoundTable]) -> Iterator[Table | Line]:
    """The report as a sequence of indicator, comment, count and dashboard tables (those the
    finder ``found`` of the layout kind) and the text lines between them."""
    for _index, part in between(lines, found):
        yield Table(part.meaning, part.rows, part.service) if isinstance(part, FoundTable) else part
