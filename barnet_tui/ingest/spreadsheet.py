"""Spreadsheets as a source: trackers kept in XLSX, XLS, ODS or CSV.

Performance teams keep their indicators in a spreadsheet, one row per indicator and period,
under headers people type (Ref, Indicator, Service, Period, Polarity, Target, Result, RAG,
Direction of travel, Comment). Each sheet becomes lines of tab-separated cells, the same
kind of lines a text report gives, so one reader reads every source by what its headers
say. Cells are read as text: a number typed as a number (``10.4``, ``1045``) and one
printed as text (``10.4%``, ``1,045``) both reach the reader as the sheet shows them.
Title rows above the header are lines of one cell, read as a report's title is.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.periods import Period
from barnet_tui.ingest.diagnostics import IngestWarning
from barnet_tui.ingest.errors import ReportError
from barnet_tui.ingest.isolated import ReaderFailed, read_isolated
from barnet_tui.ingest.layout import Table, TableKind
from barnet_tui.ingest.limits import COLUMNS_LIMIT, TooLarge, TooWide, check_zip_parts
from barnet_tui.ingest.report import Report, report_of
from barnet_tui.ingest.text import Line, decoded, split_line

EXCEL = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
SPREADSHEETS = EXCEL | {".csv"}
Sheet = list[tuple[str | None, ...]]


def _csv_rows(path: Path, data: bytes) -> Sheet:
    """A CSV file's rows, each as wide as it is written (a title row is one cell); a
    ReportError for text that is not UTF-8 or a row wider than any table."""
    text = decoded(path, data).removeprefix("\ufeff")  # "CSV UTF-8" as Excel saves it
    commas = 0  # in the lines the row being read has taken so far

    def lines() -> Iterator[str]:
        nonlocal commas
        for number, line in enumerate(io.StringIO(text, newline=""), start=1):
            commas += line.count(",")
            if commas >= COLUMNS_LIMIT:
                raise TooWide(number)
            yield line

    rows: Sheet = []
    try:
        for row in csv.reader(lines()):
            commas = 0
            rows.append(tuple(row))
    except csv.Error as error:
        raise ReportError(f"{path}: cannot read as a spreadsheet ({error})") from None
    return rows


def _workbook_sheets(path: Path, data: bytes) -> tuple[dict[str, Sheet], list[tuple[str, str]]]:
    """Every sheet of a workbook, read in a child process, each cell as text (None when
    empty); ReportError when it cannot be read, and a warning for each formula cell that
    has no value saved with it."""
    try:
        check_zip_parts(data)
        read = read_isolated("excel", data)
    except TooLarge as error:
        raise ReportError(f"{path}: {error}") from None
    except ReaderFailed as failed:
        said = str(failed)
        if not failed.crashed:
            said = f"cannot read as a spreadsheet ({said[:200]})"
        raise ReportError(f"{path}: {said}") from None
    sheets = {str(name): [tuple(row) for row in rows] for name, rows in read["sheets"].items()}
    return sheets, [(str(sheet), str(cell)) for sheet, cell in read["uncached"]]


def _lines(rows: Sheet) -> list[Line]:
    """A sheet's rows as report lines: cells joined by tabs (a tab or line break inside a
    cell is a space), trailing empty cells dropped so a title row is a line of one cell."""
    lines = []
    for number, row in enumerate(rows, start=1):
        cells = [" ".join((cell or "").split()) for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        lines.append(split_line(number, "\t".join(cells)))
    return lines


def _has_table(report: Report) -> bool:
    return any(
        isinstance(part, Table) and part.header.kind is TableKind.INDICATORS
        for part in report.parts
    )


def _uncached_warnings(source: str, cells: list[str]) -> tuple[IngestWarning, ...]:
    warnings = []
    for cell in cells:
        row = re.sub(r"\D", "", cell)
        warnings.append(
            IngestWarning(
                source,
                int(row) if row and len(row) < 8 else 1,
                f"cell {cell}: a formula with no value saved (the workbook was never "
                "calculated): read as empty",
            )
        )
    return tuple(warnings)


def load_spreadsheet(path: Path, data: bytes, period: Period | None = None) -> list[Report]:
    """One report per sheet that has an indicator table: a sheet of a workbook is cited as
    ``file#sheet``, its rows by their number in the sheet's data. ``data``: the file's bytes,
    read by the one guard every source goes through (``sources.read_source``)."""
    uncached: list[tuple[str, str]] = []
    if path.suffix.lower() == ".csv":
        sheets = {"": _csv_rows(path, data)}
    else:
        sheets, uncached = _workbook_sheets(path, data)
    name = literal(path.name)
    reports = []
    for sheet, rows in sheets.items():
        source = name if len(sheets) == 1 else f"{name}#{literal(sheet)}"
        mine = [cell for named, cell in uncached if named == sheet]
        report = report_of(
            source,
            data,
            _lines(rows),
            period,
            _uncached_warnings(source, mine),
            one_row_per_line=True,
        )
        if _has_table(report):
            reports.append(report)
    if not reports:
        raise ReportError(
            f"{path}: no sheet has an indicator table (a header naming at least Ref, Indicator "
            f"and a Result or Target column; {len(sheets)} sheets read)"
        )
    return reports
