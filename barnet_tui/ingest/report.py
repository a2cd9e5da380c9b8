"""What a report says about itself: its period, and the service or committee it covers."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.periods import Period
from barnet_tui.ingest.cells.services import services_in_cell
from barnet_tui.ingest.diagnostics import IngestWarning
from barnet_tui.ingest.errors import ReportError
from barnet_tui.ingest.sources.isolated import ReaderFailed, read_isolated
from barnet_tui.ingest.sources.kinds import Kind, kind_of
from barnet_tui.ingest.sources.limits import TooLarge, check_pdf_streams
from barnet_tui.ingest.sources.text import Line, decoded, read_bytes, split_lines
from barnet_tui.ingest.tables.finder import find_tables
from barnet_tui.ingest.tables.kinds import LAYOUT
from barnet_tui.ingest.tables.layout import Table, layout, tables_period

BATCH = 20_000
"""Lines of a spreadsheet held at once when its rows are read a batch at a time: a tracker
of a million rows is never held whole, as lines or as rows."""
EMPTY = "empty file, not a performance report"
"""What every source says of a file with nothing in it."""
_TITLE_LINES = 30
_PERIOD_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bQ(?:uarter)?\s*([1-4])\s*/?\s*(?:End of Year\s*)?(\d{4}/\d{2})", re.I), "qy"),
    (re.compile(r"\b(\d{4}/\d{2})\s*Q([1-4])\b", re.I), "yq"),
    (re.compile(r"\bEnd of Year\s*(?:\(EOY\)\s*)?(\d{4}/\d{2})", re.I), "eoy"),
    (re.compile(r"\b(\d{4}/\d{2})\s*(?:EOY|End of Year)\b", re.I), "eoy"),
)
_COMMITTEE = re.compile(r"^[A-Z][\w,&' ]+ Committee$")


@dataclass(frozen=True)
class Report:
    """One report file, read and split into lines."""

    source: str
    """The file's name, as rows cite it (a control character in it shown as U+FFFD)."""
    sha256: str
    """The file's digest (hex), for the manifest: its bytes are not kept once read."""
    size: int
    """The file's bytes."""
    lines: list[Line]
    period: Period | None
    """The period its title names, else the latest its tables' headers name (the plan
    addendum's "2016/17 Q3 Result"); None when neither says."""
    service: str | None
    """The service a single-service report covers ("Family Services – Q4 2015/16")."""
    committee: str | None
    warnings: tuple[IngestWarning, ...] = ()
    """What reading the text found wrong with it (control characters taken out)."""
    parts: tuple[Table | Line, ...] = ()
    """The report as its indicator, comment and count tables (the finder's ``LAYOUT``) and
    the lines between them; the tables of every other kind are found for their readers
    (``readers/registry.py``)."""
    one_row_per_line: bool = False
    """Each line is one row of a spreadsheet: its cells are that row's alone, never the
    continuation of another line's (as a wrapped cell of a printed table may be)."""
    rest: Rest | None = None
    """A sheet longer than ``BATCH`` rows: ``lines`` are its first ``BATCH``, and the rest
    are read when asked (``ingest.streamed`` reads such a tracker a batch at a time); None
    when ``lines`` are all there is."""


@dataclass(frozen=True)
class Rest:
    """The rest of a long sheet, read again from the file's bytes at each call."""

    lines: Callable[[], Iterator[Line]]
    """The lines after the first ``BATCH``, a row at a time."""
    whole: Callable[[], Report]
    """The sheet's report with all its lines (for a sheet not read a batch at a time)."""


def _title_period(lines: list[Line]) -> Period | None:
    for line in lines[:_TITLE_LINES]:
        for pattern, order in _PERIOD_PATTERNS:
            match = pattern.search(line.text)
            if match is None:
                continue
            if order == "qy":
                return Period.from_parts(match[2], int(match[1]))
            if order == "yq":
                return Period.from_parts(match[1], int(match[2]))
            return Period.from_parts(match[1], 4)
    return None


def _title_service(lines: list[Line]) -> str | None:
    first = next((line for line in lines if not line.is_blank), None)
    if first is None:
        return None
    title = first.text.lstrip("#").strip()
    named, _rest = services_in_cell(re.split(r"\s[–-]\s", title)[0])
    return named[0] if len(named) == 1 else None


def _committee(lines: list[Line]) -> str | None:
    for line in lines[:_TITLE_LINES]:
        if _COMMITTEE.match(line.text):
            return line.text
    return None


def _controls_removed(source: str, lines: list[Line]) -> tuple[IngestWarning, ...]:
    """One warning per report, at the first line that had control or bidi characters."""
    found = [line for line in lines if line.removed]
    if not found:
        return ()
    return (controls_warning(source, found[0].number, sum(line.removed for line in found)),)


def controls_warning(source: str, line: int, count: int) -> IngestWarning:
    """The warning that ``count`` control or bidi characters were taken out of a report's
    text, the first on ``line``."""
    noun = "character" if count == 1 else "characters"
    return IngestWarning(source, line, f"removed {count} control or bidi {noun} from the text")


def report_text(path: Path, data: bytes, pdf: bool) -> tuple[str, list[IngestWarning]]:
    """The text ingest reads from a report's bytes ``data`` and what reading it found wrong
    (as warnings without a source): a PDF (``pdf``, as ``sources.kinds`` tells) is read by
    ``barnet_tui.ingest.sources.pdf`` in a child process with a memory limit. ReportError
    when it cannot be read."""
    if not pdf:
        return decoded(path, data), []
    try:
        check_pdf_streams(data)
        read = read_isolated("pdf", data)
    except (TooLarge, ReaderFailed) as error:
        raise ReportError(f"{path}: {error}") from None
    text = str(read["text"])
    try:
        lines = split_lines(text)
    except TooLarge as error:
        raise ReportError(f"{path}: {error}") from None
    firsts = {line.page: line.number for line in reversed(lines)}
    warnings = [
        IngestWarning("", firsts.get(page, 1), f"page {page}: {message}")
        for page, message in read["warnings"]
    ]
    return text, warnings


def report_of(
    source: str,
    data: bytes,
    lines: list[Line],
    period: Period | None = None,
    read_warnings: tuple[IngestWarning, ...] = (),
    *,
    one_row_per_line: bool = False,
    rest: Rest | None = None,
) -> Report:
    """A report from the lines a source gave (a text file, a PDF, a spreadsheet's sheet);
    ``period`` (``--period``) when neither its title nor its tables' headers name one;
    ``read_warnings``: what reading the source found (a PDF page's columns, say)."""
    parts = tuple(layout(lines, find_tables(lines, (LAYOUT,))[LAYOUT.name]))
    return Report(
        source=source,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        lines=lines,
        period=_title_period(lines) or tables_period(parts) or period,
        service=_title_service(lines),
        committee=_committee(lines),
        warnings=read_warnings + _controls_removed(source, lines),
        parts=parts,
        one_row_per_line=one_row_per_line,
        rest=rest,
    )


def load_report(
    path: Path, period: Period | None = None, data: bytes | None = None, pdf: bool | None = None
) -> Report:
    """Read a report file, text or PDF (from ``data``, its bytes, when the caller read
    them through the guard; ``pdf``: whether they are a PDF, when the caller told);
    ReportError when it cannot be read or decoded."""
    if data is None or pdf is None:
        data = read_bytes(path) if data is None else data
        pdf = kind_of(path, data) is Kind.PDF
    text, read_warnings = report_text(path, data, pdf)
    lines = split_lines(text)
    del text  # the lines hold what it says
    if not any(line.text for line in lines):
        raise ReportError(f"{path}: {EMPTY}")
    source = literal(path.name)
    warnings = tuple(
        IngestWarning(source, warning.line, warning.message) for warning in read_warnings
    )
    return report_of(source, data, lines, period, warnings)
