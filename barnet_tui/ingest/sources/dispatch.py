"""Which source reads a file: a spreadsheet's sheets, else a report (PDF or text).

Every source gives lines of tab-separated cells with where each came from; one reader
(``ingest.layout`` and the table readers) reads them all, whatever the container was.
"""

from __future__ import annotations

from pathlib import Path

from barnet_tui.domain.periods import Period
from barnet_tui.ingest.errors import ReportError
from barnet_tui.ingest.report import Report, load_report
from barnet_tui.ingest.sources.limits import TooLarge
from barnet_tui.ingest.sources.spreadsheet import SPREADSHEETS, load_spreadsheet
from barnet_tui.ingest.sources.text import read_bytes


def load_reports(path: Path, period: Period | None = None) -> list[Report]:
    """The reports one file holds: a PDF or text report, or each sheet of a spreadsheet
    that has a table; ``period`` (``--period``) for those that name none.

    Every source goes through one guard first (``read_bytes``): a regular file (a FIFO or a
    device is refused, never waited on) of at most 200 MB, read once; each reader then
    works from those bytes and has its own limits on what they decode to."""
    data = read_bytes(path)
    try:
        if path.suffix.lower() in SPREADSHEETS:
            return load_spreadsheet(path, data, period)
        return [load_report(path, period, data)]
    except TooLarge as error:
        raise ReportError(f"{path}: {error}") from None
