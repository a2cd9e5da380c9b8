"""Writing a table as shown to CSV, XLSX or Markdown: atomically, never over a file without
being told to, with report text made inert for terminals and spreadsheets alike.

Never imports Textual: the explorer hands over the plain text of what is on screen.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Sequence
from pathlib import Path

from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.whole_files import written_beside
from barnet_tui.output.formats import markdown_cell

FORMATS = {"csv": "CSV", "xlsx": "Excel (XLSX)", "md": "Markdown"}
"""File extension: what the dialog calls it."""
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
"""How a spreadsheet recognises a formula: a cell of report text starting so could run one."""
_NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?%?$")


class ExportError(Exception):
    """A one-line reason the file was not written (``str()`` is shown as is)."""


def proposed_path(view: str, period: str, extension: str) -> Path:
    """``./barnet-<view>-<period>.<ext>``, safe as a file name: ``2016/17 Q4`` becomes
    ``2016-17-Q4``."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{view}-{period}").strip("-").lower()
    return Path(f"barnet-{slug}.{extension}")


def _inert_for_spreadsheets(text: str) -> str:
    """A text cell that would start a formula gets a leading apostrophe (shown by no
    spreadsheet, and the usual defence); numbers as shown (``-491``, ``12.5%``) are kept."""
    if text.startswith(_FORMULA) and not _NUMBER.match(text):
        return "'" + text
    return text


def export_bytes(extension: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    """The file's content, made in memory: a served explorer hands it to the browser as a
    download and writes nothing on the server (XLSX too: xlsxwriter's ``in_memory``)."""
    if extension not in FORMATS:
        raise ExportError(f"unknown format {extension!r}")
    headers = [literal(header) for header in headers]
    cells = [[literal(cell) for cell in row] for row in rows]
    return _WRITERS[extension](headers, cells)


def write_export(
    path: Path, extension: str, headers: Sequence[str], rows: Sequence[Sequence[str]],
    *, overwrite: bool = False,
) -> Path:  # fmt: skip
    """Write ``rows`` under ``headers`` to ``path`` as ``extension`` ("csv", "xlsx" or "md");
    ExportError, one line, when it exists (unless ``overwrite``) or cannot be written (a
    name too long, a folder that cannot be read, ...). The file appears whole or not at
    all: written beside it under a temporary name, then renamed."""
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


def _csv(headers: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows([_inert_for_spreadsheets(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8")


def _xlsx(headers: list[str], rows: list[list[str]]) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("barnet-tui")
    bold = book.add_format({"bold": True})
    for column, header in enumerate(headers):
        sheet.write_string(0, column, header, bold)
    for number, row in enumerate(rows, start=1):
        for column, cell in enumerate(row):
            sheet.write_string(number, column, cell)  # text, never a formula
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()


def _markdown(headers: list[str], rows: list[list[str]]) -> bytes:
    lines = ["| " + " | ".join(markdown_cell(header) for header in headers) + " |"]
    lines.append("|" + "---|" * len(headers))
    lines += ["| " + " | ".join(markdown_cell(cell) for cell in row) + " |" for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


_WRITERS = {"csv": _csv, "xlsx": _xlsx, "md": _markdown}
MIME_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown",
}
