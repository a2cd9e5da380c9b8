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

from pathlib import Path

from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.periods import Period
from barnet_tui.ingest.diagnostics import IngestWarning
from barnet_tui.ingest.errors import ReportError
from barnet_tui.ingest.fills import Colour, marked_sheet
from barnet_tui.ingest.layout import Table, TableKind
from barnet_tui.ingest.report import Report, report_of
from barnet_tui.ingest.text import Line, split_line
from barnet_tui.ingest.xlsx_fills import FillsUnreadable, sheet_shades, workbook_fills

EXCEL = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
XLSX = frozenset({".xlsx", ".xlsm"})
"""Workbooks whose cell fills are read (``ingest.xlsx_fills``)."""
SPREADSHEETS = EXCEL | {".csv"}
Sheet = list[tuple[str | None, ...]]
Shaded = tuple[list[list[str]], list[list[Colour | None]]]
"""A sheet's rows of cells with their fills (``xlsx_fills.sheet_shades``)."""


def _csv_width(path: Path) -> int:
    """The most cells any row of a CSV file has."""
    import csv

    with path.open(newline="", encoding="utf-8") as file:
        return max((len(row) for row in csv.reader(file)), default=1)


def _sheets(path: Path) -> dict[str, Sheet]:
    """Every sheet's rows, each cell as text (None when empty); ReportError when the file
    cannot be read as a spreadsheet."""
    import polars as pl

    try:
        if path.suffix.lower() == ".csv":
            # Polars takes the width from the first row, and a title row is one cell wide.
            schema = {f"column_{i}": pl.String for i in range(_csv_width(path))}
            frame = pl.read_csv(
                path,
                has_header=False,
                schema=schema,
                missing_columns="insert",
                truncate_ragged_lines=True,
            )
            return {"": frame.rows()}
        frames = pl.read_excel(path, sheet_id=0, has_header=False, infer_schema_length=0)
    except FileNotFoundError:
        raise ReportError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ReportError(f"{path}: is a directory, not a report file") from None
    except Exception as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ReportError(f"{path}: cannot read as a spreadsheet ({first[:200]})") from None
    return {name: frame.rows() for name, frame in frames.items()}


def _lines(rows: Sheet, shaded: Shaded | None = None) -> tuple[list[Line], str | None]:
    """A sheet's rows as report lines: cells joined by tabs (a tab or line break inside a
    cell is a space), a shaded cell's fill marked (``ingest.fills``), trailing empty cells
    dropped so a title row is a line of one cell; and what reading the sheet's colour key
    warns."""
    texts = [[" ".join((cell or "").split()) for cell in row] for row in rows]
    problem = None
    if shaded is not None:
        texts = [[" ".join(cell.split()) for cell in row] for row in shaded[0]]
        texts, problem = marked_sheet(texts, shaded[1])
    lines = []
    for number, cells in enumerate(texts, start=1):
        while cells and not cells[-1]:
            cells.pop()
        lines.append(split_line(number, "\t".join(cells)))
    return lines, problem


def _shades(
    path: Path, data: bytes, sheets: dict[str, Sheet]
) -> tuple[dict[str, Shaded], dict[str, list[str]]]:
    """Each sheet's cell fills, where the workbook is XLSX (a rating shown only as colour);
    and, by sheet, why its fills could not be read."""
    if path.suffix.lower() not in XLSX:
        return {}, {}
    try:
        found = workbook_fills(data)
    except FillsUnreadable as error:
        return {}, {sheet: [f"cell colours not read: {error}"] for sheet in sheets}
    shaded: dict[str, Shaded] = {}
    problems: dict[str, list[str]] = {}
    for sheet, rows in sheets.items():
        if sheet not in found:
            continue
        laid_out = sheet_shades(rows, found[sheet])
        if laid_out is None:
            problems[sheet] = ["cell colours not read: its cells and their values do not match"]
        else:
            shaded[sheet] = laid_out
    return shaded, problems


def _has_table(report: Report) -> bool:
    return any(
        isinstance(part, Table) and part.header.kind is TableKind.INDICATORS
        for part in report.parts
    )


def load_spreadsheet(path: Path, period: Period | None = None) -> list[Report]:
    """One report per sheet that has an indicator table: a sheet of a workbook is cited as
    ``file#sheet``, its rows by their number in the sheet's data."""
    sheets = _sheets(path)
    data = path.read_bytes()
    name = literal(path.name)
    shaded, problems = _shades(path, data, sheets)
    reports = []
    for sheet, rows in sheets.items():
        source = name if len(sheets) == 1 else f"{name}#{literal(sheet)}"
        lines, key_problem = _lines(rows, shaded.get(sheet))
        said = [*problems.get(sheet, []), *([key_problem] if key_problem else [])]
        warnings = tuple(IngestWarning(source, 1, problem) for problem in said)
        report = report_of(source, data, lines, period, warnings)
        if _has_table(report):
            reports.append(report)
    if not reports:
        raise ReportError(
            f"{path}: no sheet has an indicator table (a header naming at least Ref, Indicator "
            f"and a Result or Target column; {len(sheets)} sheets read)"
        )
    return reports
