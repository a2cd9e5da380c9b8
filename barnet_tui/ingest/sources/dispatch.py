"""Which source reads a file: one guard for every file, then one choice by its bytes.

Every source gives lines of cells with where each came from (a spreadsheet's rows as its
cells, a report's text split at its tabs); one reader (``ingest.tables`` and the readers)
reads them all, whatever the container was.
"""

from __future__ import annotations

from pathlib import Path

from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.periods import Period
from barnet_tui.ingest.diagnostics import IngestWarning
from barnet_tui.ingest.errors import ReportError
from barnet_tui.ingest.report import EMPTY, Report, load_report, report_text
from barnet_tui.ingest.sources.kinds import Kind, kind_of
from barnet_tui.ingest.sources.limits import TooLarge
from barnet_tui.ingest.sources.spreadsheet import load_spreadsheet, sheet_lines, sheet_warnings
from barnet_tui.ingest.sources.text import PAGE_BREAK, read_bytes


def guarded(path: Path) -> tuple[bytes, Kind]:
    """The file's bytes and what they are. Every source goes through here: a regular file
    (a FIFO, a device or a directory is refused at once, never waited on) of at most 200 MB,
    read once, not empty; what it is told by its bytes (``sources.kinds``), its name only
    breaking a tie. A ReportError says, in one line, why it cannot be read."""
    data = read_bytes(path)
    if not data or data.isspace():  # never data.strip(): a copy of up to 200 MB
        raise ReportError(f"{path}: {EMPTY}")
    return data, kind_of(path, data)


def load_reports(path: Path, period: Period | None = None) -> list[Report]:
    """The reports one file holds: a PDF or text report, or each sheet of a spreadsheet
    that has a table; ``period`` (``--period``) for those that name none. Each reader works
    from the guarded bytes and has its own limits on what they decode to."""
    data, kind = guarded(path)
    try:
        if kind in (Kind.PDF, Kind.TEXT):
            return [load_report(path, period, data, kind is Kind.PDF)]
        return load_spreadsheet(path, data, kind, period)
    except TooLarge as error:
        raise ReportError(f"{path}: {error}") from None


def extracted(path: Path) -> tuple[str, list[IngestWarning]]:
    """What ingest reads from a file, as text, and what reading it found wrong: a report's
    text (a PDF's tables as tab-separated lines, each page after the first started by a form
    feed); a spreadsheet's rows as its cells joined by tabs, each sheet after the first
    started by a form feed. A ReportError says why it cannot be read."""
    data, kind = guarded(path)
    try:
        if kind in (Kind.PDF, Kind.TEXT):
            return report_text(path, data, kind is Kind.PDF)
        count, sheets = sheet_lines(path, data, kind)
        pages: list[str] = []
        warnings: list[IngestWarning] = []
        for sheet, lines_of, said, notes in sheets:
            source = literal(path.name) if count == 1 else f"{literal(path.name)}#{literal(sheet)}"
            warnings += sheet_warnings(source, said, notes)
            pages.append("".join(f"{line.raw}\n" for line in lines_of()))
        return PAGE_BREAK.join(pages), warnings
    except TooLarge as error:
        raise ReportError(f"{path}: {error}") from None
