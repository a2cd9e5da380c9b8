"""Indicator rows: each indicator table row's columns mapped to the fields of an
``indicators`` row (and the ``targets`` rows its year columns give), with the comment
entries and below-target lists the walk found (``indicator_walk``) attached.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from barnet_tui.domain.contract import BELOW_TARGET_RAGS
from barnet_tui.domain.periods import Period
from barnet_tui.ingest.cells.doubled import doubled_cells
from barnet_tui.ingest.cells.refs import TBC_REF, Ref
from barnet_tui.ingest.cells.services import (
    choose_service,
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
from barnet_tui.ingest.readers.indicator_walk import CommentEntry, TableRow, Walker
from barnet_tui.ingest.report import Report
from barnet_tui.ingest.sources.fills import rating_by_fill
from barnet_tui.ingest.tables.finder import no_service, row_service
from barnet_tui.ingest.tables.sections import (
    ListedIndicator,
    Section,
    carries_on,
)
from barnet_tui.ingest.tables.vocabulary import header_period

Row = dict[str, Any]
Warn = Callable[[int, str], None]

_IN_CELL_TARGET = re.compile(r"\((Q[1-4]) Target ([^)]*)\)", re.I)
_TRAILING_FOOTNOTE = re.compile(r"\s*\*+$")
_MONITOR = re.compile(r"^monitor\b", re.I)
_YEAR_TYPED = re.compile(r"\b(\d{4})\s*[-/–]\s*(\d{4}|\d{2})\b")
"""A financial year as people type it: "2016-17", "2016/2017", "2016 - 17"."""


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


def _targets(row: TableRow, period: Period, result_raw: str) -> tuple[str | None, str | None]:
    """(target, annual target) as printed: the period's target column, a target printed in
    the result cell ("(Q4 Target 75%)"), or the year's."""
    year_targets = _year_targets(row)
    in_cell = _IN_CELL_TARGET.search(result_raw)
    if row.get("period_target"):
        return row.get("period_target"), row.get("annual_target")
    if in_cell:
        return in_cell[2].strip(), year_targets.get(period.fin_year)
    target = row.get("annual_target") or row.get("target") or year_targets.get(period.fin_year)
    return target, None


def _year_targets(row: TableRow) -> dict[str, str]:
    """Financial year -> the target its plan column prints."""
    header = row.header
    return {
        header.periods[index]: text
        for index, name in enumerate(header.fields)
        if name == "year_target" and (text := row.cells.get(index)) and index in header.periods
    }


def _service(report: Report, row: TableRow, warn: Warn) -> tuple[str, str | None]:
    """(service, comment): the service its cell, its ref, the heading above or the report's
    title names; the comment, or what ran into the service cell from it."""
    named: list[str] = []
    comment = row.get("comment")
    service_cell = row.get("service")
    if service_cell:
        named, rest = services_in_cell(service_cell)
        if rest and comment is None:
            comment = rest  # the Comment cell ran into the Service cell
    own = choose_service(named, row.ref.ref)
    service = row_service(row.heading, report.service, own)
    if service is None:
        warn(row.line, no_service(repr(row.ref.raw)))
        service = "Unknown"
    return service, comment


def _words(row: TableRow, warn: Warn) -> str | None:
    """The row's type cell; a warning for each word cell that says nothing known."""
    type_cell = row.get("indicator_type") or next(
        (cell for cell in row.before_ref if indicator_type(cell)), None
    )
    for cell in row.before_ref:
        if cell and not indicator_type(cell):
            warn(row.line, f"stray text {cell!r} before ref {row.ref.raw!r} ignored")
    polarity_raw = row.get("polarity")
    if polarity_raw and polarity(polarity_raw) is None:
        warn(row.line, f"unknown polarity {polarity_raw!r}")
    for raw in (row.get("dot"), row.get("dot_short")):
        if raw and direction_of_travel(raw) is None:
            warn(row.line, f"unknown direction of travel {raw!r}")
    return type_cell


def _row_from_table(
    report: Report, period: Period, row: TableRow, warn: Warn
) -> tuple[Row, list[Row]]:
    """The indicators row for a table row, and the targets rows its year columns give."""
    header = row.header
    result_raw, rag = split_rag(row.get("result") or "")
    result_raw = strip_footnote(result_raw) if result_raw else result_raw
    target_raw, annual_target_raw = _targets(row, period, result_raw or "")
    service, comment = _service(report, row, warn)
    type_cell = _words(row, warn)
    polarity_raw, dot_raw, dot_short_raw = row.get("polarity"), row.get("dot"), row.get("dot_short")

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
        for fin_year, text in _year_targets(row).items()
    ]
    return result, targets


def _bare_row(report: Report, period: Period, ref: Ref, title: str, line: int) -> Row:
    """A row for an indicator a report names without figures."""
    return {
        "period": str(period),
        "fin_year": period.fin_year,
        "quarter": period.quarter,
        "service": row_service(None, report.service, service_for_ref(ref.ref)) or "Unknown",
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
    evidence = Walker(report).walk()
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
