"""Writing a table as shown to CSV, XLSX or Markdown: atomically, never over a file without
being told to, with report text made inert for terminals and spreadsheets alike.

Never imports Textual: the explorer hands over the rows on screen as typed values (numbers
as numbers, a percentage as its number of per cent, yes/no as booleans), each row with its
period and what it is (an indicator's ref and name, a line's or risk's words).

CSV is UTF-8 without a byte-order mark by default: scripts, pandas, ``csvkit`` and version
control read it as is, and a BOM would become part of the first column's name for them.
``csv-excel`` writes the same file with a BOM, which Excel needs to read UTF-8 (£, –, é)
rather than guess an 8-bit code page.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TypeAlias

from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.spreadsheet_text import inert_for_spreadsheets
from barnet_tui.domain.storage.whole_files import written_beside
from barnet_tui.output.formats import markdown_cell

FORMATS = {
    "csv": "CSV (UTF-8)",
    "csv-excel": "CSV for Excel (UTF-8 with BOM)",
    "xlsx": "Excel (XLSX)",
    "md": "Markdown",
}
"""Format: what the dialog calls it. ``csv`` is the default (see the module's docstring)."""
EXTENSIONS = {"csv": "csv", "csv-excel": "csv", "xlsx": "xlsx", "md": "md"}
"""Format: its file name's extension."""

Cell: TypeAlias = str | int | float | bool | None
"""One exported value: text, a number, yes/no, or nothing."""


class ExportError(Exception):
    """A one-line reason the file was not written (``str()`` is shown as is)."""


def extension_for(fmt: str) -> str:
    """The file extension of a format (a name in ``FORMATS``, or an extension itself)."""
    return EXTENSIONS.get(fmt, fmt)


def proposed_path(view: str, period: str, extension: str) -> Path:
    """``./barnet-<view>-<period>.<ext>``, safe as a file name: ``2016/17 Q4`` becomes
    ``2016-17-Q4`` (``extension`` may be a format: ``csv-excel`` is a ``.csv``)."""
    extension = extension_for(extension)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{view}-{period}").strip("-").lower()
    return Path(f"barnet-{slug}.{extension}")


def is_percent(header: str) -> bool:
    """A column of per cents (``pct_below_target``, ``variance_pct``): 35.7 means 35.7%."""
    return header.startswith("pct_") or header.endswith("_pct")


def export_bytes(extension: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    """The file's content, made in memory: a served explorer hands it to the browser as a
    download and writes nothing on the server (XLSX too: xlsxwriter's ``in_memory``)."""
    if extension not in FORMATS:
        raise ExportError(f"unknown format {extension!r}")
    headers = [literal(header) for header in headers]
    cells = [[literal(cell) if isinstance(cell, str) else cell for cell in row] for row in rows]
    return _WRITERS[extension](headers, cells)


def write_export(
    path: Path, extension: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]],
    *, overwrite: bool = False,
) -> Path:  # fmt: skip
    """Write ``rows`` under ``headers`` to ``path`` as ``extension`` (a format of
    ``FORMATS``); ExportError, one line, when it exists (unless ``overwrite``) or cannot be
    written (a name too long, a folder that cannot be read, ...). The file appears whole or
    not at all: written beside it under a temporary name, then renamed."""
    content = export_bytes(extension, headers, rows)
    shown = literal(str(path))
    try:
        if path.is_dir():
            raise ExportError(f"{shown} is a folder")
        if path.exists() and not overwrite:
            raise ExportError(f"{shown} exists; not overwritten")
        with written_beside(path, f".{path.name}.") as temporary:
            temporary.write_bytes(content)
            _move(temporary, path, overwrite)
    except FileExistsError:
        raise ExportError(f"{shown} exists; not overwritten") from None
    except OSError as error:
        raise ExportError(f"cannot write {shown}: {error.strerror or error}") from None
    except ValueError as error:  # a NUL in the name
        raise ExportError(f"cannot write {shown}: {error}") from None
    return path


def _move(temporary: Path, path: Path, overwrite: bool) -> None:
    """``temporary`` renamed to ``path``; without ``overwrite``, FileExistsError if a file
    appeared there meanwhile (a hard link never replaces one; where links are not to be
    had, the check before writing stands)."""
    if overwrite:
        temporary.replace(path)
        return
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError:
        temporary.replace(path)


def shown(value: Cell) -> str:
    """A value as text: numbers plain (``-491``, ``35.7``), ``true``/``false``, nothing
    empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else repr(value)


def csv_cell(value: Cell) -> str:
    """A value as CSV text; text a spreadsheet would run as a formula made inert."""
    return inert_for_spreadsheets(value) if isinstance(value, str) else shown(value)


def _csv(headers: list[str], rows: list[list[Cell]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return out.getvalue().encode(encoding)


def _csv_for_excel(headers: list[str], rows: list[list[Cell]]) -> bytes:
    return _csv(headers, rows, encoding="utf-8-sig")


def _xlsx(headers: list[str], rows: list[list[Cell]]) -> bytes:
    """Typed cells: numbers (per cents shown with %), booleans, text (never a formula, and
    made inert as in a CSV: the sheet may be saved as CSV or a cell edited)."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("barnet-tui")
    bold = book.add_format({"bold": True})
    percent = book.add_format({"num_format": '0.0"%"'})
    for column, header in enumerate(headers):
        sheet.write_string(0, column, header, bold)
    for number, row in enumerate(rows, start=1):
        for column, cell in enumerate(row):
            if cell is None:
                continue
            if isinstance(cell, bool):
                sheet.write_boolean(number, column, cell)
            elif isinstance(cell, int | float):
                shown = percent if is_percent(headers[column]) else None
                sheet.write_number(number, column, cell, shown)
            else:
                # text, never a formula, and none once a user edits the cell either
                sheet.write_string(number, column, inert_for_spreadsheets(cell))
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()


def _markdown(headers: list[str], rows: list[list[Cell]]) -> bytes:
    lines = ["| " + " | ".join(markdown_cell(header) for header in headers) + " |"]
    lines.append("|" + "---|" * len(headers))
    lines += ["| " + " | ".join(markdown_cell(shown(cell)) for cell in row) + " |" for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


_WRITERS = {"csv": _csv, "csv-excel": _csv_for_excel, "xlsx": _xlsx, "md": _markdown}
MIME_TYPES = {
    "csv": "text/csv",
    "csv-excel": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown",
}
