"""What a file is, told by its bytes: the one place that decides which source reads it.

A file's name is typed by a person or a download: a PDF saved as ``.csv``, a workbook
renamed ``.txt``, a CSV exported as ``.xls`` are all met. So the bytes decide: ``%PDF`` is a
PDF, a ZIP holding a workbook part is an XLSX or an ODS, an OLE2 compound file is an XLS,
and anything else is text, a CSV when its lines are rows of comma-separated cells. The
suffix only breaks a tie: text named ``.csv`` is a CSV unless its lines are tab-separated,
and text named as a workbook is a CSV or nothing.
"""

from __future__ import annotations

import csv
import io
import zipfile
from enum import Enum
from pathlib import Path

from barnet_tui.ingest.errors import ReportError
from barnet_tui.ingest.sources.limits import csv_rows


class Kind(Enum):
    """The sources ingest reads."""

    PDF = "pdf"
    XLSX = "xlsx"
    ODS = "ods"
    XLS = "xls"
    CSV = "csv"
    TEXT = "text"


WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_SAMPLE = 1 << 16
"""Bytes of a text file looked at to tell a CSV from a report: the first lines say."""
_ROW_CELLS = 3
"""Cells a line must split into to count as a row of a CSV (a tracker has many more)."""


def kind_of(path: Path, data: bytes) -> Kind:
    """Which source reads ``data``, the bytes of ``path``; ReportError, in one line, for a
    file that claims to be a workbook and is none, or a ZIP archive holding no workbook."""
    from barnet_tui.ingest.sources.pdf import is_pdf

    if is_pdf(data):
        return Kind.PDF
    if data.startswith(_ZIP):
        return _zip_kind(path, data)
    if data.startswith(_OLE2):
        return Kind.XLS
    suffix = path.suffix.lower()
    if _is_csv(data, suffix == ".csv"):
        return Kind.CSV
    if suffix in WORKBOOK_SUFFIXES:
        raise ReportError(
            f"{path}: cannot read as a spreadsheet (neither an XLSX, XLS or ODS workbook nor "
            "CSV text); not read"
        )
    return Kind.TEXT


def _zip_kind(path: Path, data: bytes) -> Kind:
    """An XLSX or an ODS, by the parts the archive holds (not by what it is named)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = b""
            if "mimetype" in names:
                with archive.open("mimetype") as part:
                    mimetype = part.read(len(_ODS_MIMETYPE) + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ReportError(
            f"{path}: cannot read as a spreadsheet (a damaged ZIP archive: {error}); not read"
        ) from None
    if "xl/workbook.xml" in names:
        return Kind.XLSX
    if mimetype == _ODS_MIMETYPE:
        return Kind.ODS
    raise ReportError(
        f"{path}: a ZIP archive holding no spreadsheet (neither XLSX nor ODS) and no report; "
        "not read"
    )


def _is_csv(data: bytes, named_csv: bool) -> bool:
    """Whether text is rows of comma-separated cells rather than a report (whose tables are
    tab-separated and whose other lines are prose): most of its first lines split into
    several cells and none is tab-separated. ``named_csv``: the suffix says CSV, which
    settles a file that is neither (one column, say)."""
    sample = data[:_SAMPLE].decode("utf-8", "replace")
    lines = sample.splitlines()
    if len(data) > _SAMPLE and len(lines) > 1:
        lines.pop()  # cut short by the sample
    lines = [line for line in lines if line.strip()]
    tabbed = sum("\t" in line for line in lines)
    try:
        rows = sum(len(row) >= _ROW_CELLS for row in csv_rows(lines))
    except csv.Error:
        rows = 0
    if named_csv:
        return tabbed <= rows
    return tabbed == 0 and rows >= 2 and 2 * rows > len(lines)
