"""Spreadsheets as a source: trackers kept in XLSX, XLS, ODS or CSV.

Performance teams keep their indicators in a spreadsheet, one row per indicator and period,
under headers people type (Ref, Indicator, Service, Period, Polarity, Target, Result, RAG,
Direction of travel, Comment). Each sheet's rows become lines of cells, the same kind of
lines a text report gives (each cell that row's alone, never joined into text and split
again), so one reader reads every source by what its headers say. Cells are read as text:
a number typed as a number (``10.4``, ``1045``) and one
printed as text (``10.4%``, ``1,045``) both reach the reader as the sheet shows them.
Title rows above the header are lines of one cell, read as a report's title is.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.periods import Period
from barnet_tui.ingest.diagnostics import IngestWarning
from barnet_tui.ingest.errors import ReportError
from barnet_tui.ingest.report import BATCH, Report, Rest, report_of
from barnet_tui.ingest.sources.fills import Colour, marked_sheet
from barnet_tui.ingest.sources.isolated import ReaderFailed, read_isolated
from barnet_tui.ingest.sources.kinds import Kind
from barnet_tui.ingest.sources.limits import (
    COLUMNS_LIMIT,
    TooLarge,
    TooWide,
    check_lines,
    check_zip_parts,
    csv_rows,
)
from barnet_tui.ingest.sources.text import Line, decoded, line_of_cells
from barnet_tui.ingest.sources.xlsx_fills import FillsUnreadable, sheet_shades, workbook_fills
from barnet_tui.ingest.tables.layout import Table, TableKind

Sheet = list[list[str]]
Shaded = tuple[list[list[str]], list[list[Colour | None]]]
"""A sheet's rows of cells with their fills (``xlsx_fills.sheet_shades``)."""


def _csv_lines(path: Path, data: bytes) -> Iterator[Line]:
    """A CSV file's rows as lines of cells, read a row at a time (no copy of the whole
    text, no list of its rows beside the lines); a ReportError for text that is not UTF-8
    or a row wider than any table."""
    check_lines(data)
    # "utf-8-sig": "CSV UTF-8" as Excel saves it starts with a byte-order mark.
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    try:
        for number, row in enumerate(_rows(path, text), start=1):
            yield line_of_cells(number, _trimmed(row))
    except UnicodeDecodeError:
        decoded(path, data)  # says where, in the words a text report's would
        raise


def _rows(path: Path, lines: Iterable[str]) -> Iterator[list[str]]:
    """The rows of CSV text given as its lines (each with its line break), one at a time; a
    ReportError for a row wider than any table or text that is no CSV."""
    commas = 0  # in the lines the row being read has taken so far
    taken = 0  # lines read so far

    def physical() -> Iterator[str]:
        nonlocal commas, taken
        for taken, line in enumerate(lines, start=1):
            commas += line.count(",")
            if commas >= COLUMNS_LIMIT:
                raise TooWide(taken)
            yield line
        yield _END  # inside a field only when a quote was never closed

    try:
        started = 1
        for row in csv_rows(physical()):
            commas = 0
            if row and _END in row[-1]:
                raise ReportError(unclosed_quote(path, started, taken))
            if row != [_END.strip()]:
                yield row
            started = taken + 1
    except csv.Error as error:
        raise ReportError(f"{path}: cannot read as a spreadsheet ({error})") from None


_END = "\ue000end\ue000\n"
"""Fed to the CSV reader after the last line (a private-use character no report holds)."""


def unclosed_quote(path: Path, line: int, lines: int) -> str:
    """Why a CSV whose quote is never closed is not read: every line after it would be
    one cell of its row."""
    after = lines - line
    return (
        f"{path}: line {line}: a quote opened on this row is never closed, so the "
        f"{after:,} line{'' if after == 1 else 's'} after it would be one cell; not read"
    )


def _text_lines(text: str) -> Iterator[str]:
    """A text's lines with their line breaks, one at a time (no list of them all)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _trimmed(cells: Sequence[str | None]) -> list[str]:
    """A row's cells as text, without its trailing empty ones: a title row is one cell."""
    texts = ["" if cell is None else cell for cell in cells]
    while texts and not texts[-1].strip():
        texts.pop()
    return texts


Read = tuple[dict[str, str], list[tuple[str, str, str]], dict[str, tuple[list[int], list[int]]]]
"""Each sheet's CSV text; notes on cells (sheet, cell, what); each sheet's rows and columns."""


def _workbook_sheets(path: Path, data: bytes) -> Read:
    """Every sheet of a workbook as CSV text, read in a child process, each cell as text;
    ReportError when it cannot be read; the notes on its cells (an error, a formula with
    no value saved: ``sources.xlsx_cells``) and which rows and columns each sheet's are."""
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
    sheets = {str(name): str(text) for name, text in read["sheets"].items()}
    notes = [(str(sheet), str(cell), str(what)) for sheet, cell, what in read["notes"]]
    layouts = {
        str(name): (list(rows), list(columns)) for name, (rows, columns) in read["layouts"].items()
    }
    return sheets, notes, layouts


def _text_sheet_lines(path: Path, text: str) -> Iterator[Line]:
    """A sheet's rows (CSV ``text``) as lines of cells, a row at a time."""
    for number, row in enumerate(_rows(path, _text_lines(text)), start=1):
        yield line_of_cells(number, _trimmed(row))


def _shaded_lines(shaded: Shaded) -> tuple[list[Line], str | None]:
    """A shaded sheet's rows as lines of cells, each shaded cell's fill marked
    (``ingest.fills``), and what reading the sheet's colour key warns."""
    spaced = [[" ".join(cell.split()) for cell in row] for row in shaded[0]]
    texts, problem = marked_sheet(spaced, shaded[1])
    return [line_of_cells(n, _trimmed(row), True) for n, row in enumerate(texts, start=1)], problem


def _shades(
    path: Path, kind: Kind, data: bytes, read: Read
) -> tuple[dict[str, Shaded], dict[str, list[str]]]:
    """Each sheet's cell fills, where the workbook is XLSX and shades a cell of the sheet (a
    rating shown only as colour); and, by sheet, why its fills could not be read."""
    sheets, _notes, layouts = read
    if kind is not Kind.XLSX:
        return {}, {}
    try:
        found = workbook_fills(data)
    except FillsUnreadable as error:
        return {}, {sheet: [f"cell colours not read: {error}"] for sheet in sheets}
    shaded: dict[str, Shaded] = {}
    problems: dict[str, list[str]] = {}
    for sheet, text in sheets.items():
        if sheet not in found or not found[sheet].fills:
            continue
        rows: Sheet = list(_rows(path, _text_lines(text)))
        laid_out = sheet_shades(rows, found[sheet], layouts.get(sheet))
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


def sheet_warnings(
    source: str, said: list[str], notes: list[tuple[str, str]]
) -> tuple[IngestWarning, ...]:
    """What reading a sheet found: its fills' problems, and what its cells' notes say (a
    cell, what of it), each on the cell's row."""
    warnings = [IngestWarning(source, 1, problem) for problem in said]
    for cell, what in notes:
        row = re.sub(r"\D", "", cell)
        line = int(row) if row and len(row) < 8 else 1
        warnings.append(IngestWarning(source, line, f"cell {cell}: {what}" if cell else what))
    return tuple(warnings)


LinesOf = Callable[[], Iterator[Line]]
"""A sheet's lines, a row at a time, read afresh from its first row at each call."""
SheetLines = tuple[str, LinesOf, list[str], list[tuple[str, str]]]
"""A sheet's name, lines, what reading its fills warns, and the notes on its cells."""


def sheet_lines(path: Path, data: bytes, kind: Kind) -> tuple[int, Iterator[SheetLines]]:
    """How many sheets the file has, and each sheet's lines, made a row at a time as they
    are read (a shaded sheet's all at once: its fills are laid out over the whole sheet)."""
    if kind is Kind.CSV:
        return 1, iter([("", lambda: _csv_lines(path, data), [], [])])
    read = _workbook_sheets(path, data)
    sheets, notes = read[0], read[1]
    shaded, problems = _shades(path, kind, data, read)

    def each() -> Iterator[SheetLines]:
        for sheet in list(sheets):
            said = list(problems.get(sheet, []))
            text = sheets.pop(sheet)
            lines_of: LinesOf = functools.partial(_text_sheet_lines, path, text)
            if sheet in shaded:
                lines, key_problem = _shaded_lines(shaded.pop(sheet))
                lines_of = functools.partial(iter, lines)
                said += [key_problem] if key_problem else []
            yield (
                sheet,
                lines_of,
                said,
                [(cell, what) for named, cell, what in notes if named == sheet],
            )

    return len(sheets), each()


def load_spreadsheet(
    path: Path, data: bytes, kind: Kind, period: Period | None = None
) -> list[Report]:
    """One report per sheet that has an indicator table: a sheet of a workbook is cited as
    ``file#sheet``, its rows by their number in the sheet's data. ``data``: the file's bytes,
    read by the one guard every source goes through (``sources.dispatch``); ``kind``: what
    they are (``sources.kinds``). A sheet longer than ``BATCH`` rows keeps only its first
    batch of lines, the rest read again a batch at a time (``Report.rest``)."""
    name = literal(path.name)
    reports = []
    count, sheets = sheet_lines(path, data, kind)
    for sheet, lines_of, said, notes in sheets:
        source = name if count == 1 else f"{name}#{literal(sheet)}"
        warnings = sheet_warnings(source, said, notes)
        report = _sheet_report(path, source, data, lines_of, period, warnings)
        if _has_table(report):
            reports.append(report)
    if not reports:
        raise ReportError(
            f"{path}: no sheet has an indicator table (a header naming at least Ref, Indicator "
            f"and a Result or Target column; {count} sheets read)"
        )
    return reports


def _sheet_report(
    path: Path,
    source: str,
    data: bytes,
    lines_of: LinesOf,
    period: Period | None,
    warnings: tuple[IngestWarning, ...],
) -> Report:
    """A sheet's report: whole, or its first ``BATCH`` lines and the rest to read again (when
    its indicator table starts among them)."""
    lines = lines_of()
    first = list(itertools.islice(lines, BATCH))
    if next(lines, None) is None:
        return report_of(source, data, first, period, warnings, one_row_per_line=True)
    del lines

    def rest() -> Iterator[Line]:
        try:
            yield from itertools.islice(lines_of(), BATCH, None)
        except TooLarge as error:
            raise ReportError(f"{path}: {error}") from None

    def whole() -> Report:
        return report_of(source, data, [*first, *rest()], period, warnings, one_row_per_line=True)

    head = report_of(
        source, data, first, period, warnings, one_row_per_line=True, rest=Rest(rest, whole)
    )
    return head if _has_table(head) else whole()
