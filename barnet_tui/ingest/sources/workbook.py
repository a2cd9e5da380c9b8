"""A workbook's sheets as rows of text (XLSX, XLSM, XLS, ODS), run in the reading child.

Polars reads them through calamine, which keeps each cell's cached value: a formula cell
that was never calculated (a file written by a script, say) has none and reads as empty.
Such cells are found in the sheet's XML and named, so an empty figure is never silently
taken for what the tracker says.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NAMED_SHOWN = 20
"""Formula cells named per sheet; the rest are counted."""


def excel_sheets(data: bytes) -> dict[str, Any]:
    """Every sheet's rows as CSV text (each cell as text, an empty one empty), and the
    formula cells with no cached value as ``[sheet, cell]`` pairs. CSV, written by Polars
    from its columns: a list of every row's cells (a Python object per cell) would take
    several times the sheet's size, here and again in the parent."""
    import polars as pl

    frames = pl.read_excel(io.BytesIO(data), sheet_id=0, has_header=False, infer_schema_length=0)
    sheets = {}
    for name in list(frames):
        sheets[name] = frames.pop(name).write_csv(include_header=False)
    return {"sheets": sheets, "uncached": uncached_formulas(data)}


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part name) for each sheet, in the workbook's order."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_RELS}Relationship")}
    parts = []
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_OFFICE_RELS}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts.append((sheet.get("name", ""), part))
    return parts


def uncached_formulas(data: bytes) -> list[list[str]]:
    """The formula cells of an XLSX with no value saved beside them, as [sheet, cell]; none
    for a workbook of another kind."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = _sheet_parts(archive)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError):
        return []
    found: list[list[str]] = []
    with archive:
        for sheet, part in parts:
            try:
                found += [[sheet, cell] for cell in _uncached_in(archive, part)]
            except (KeyError, ElementTree.ParseError, OSError):
                continue
    return found


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formula(archive: zipfile.ZipFile, part: str) -> bool:
    """Whether a sheet has a formula at all (most have none): a quick look before parsing."""
    tail = b""
    with archive.open(part) as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            if _FORMULA.search(tail + chunk):
                return True
            tail = chunk[-8:]  # a tag cut between two chunks
    return False


def _uncached_in(archive: zipfile.ZipFile, part: str) -> list[str]:
    if not _has_formula(archive, part):
        return []
    cells = []
    with archive.open(part) as stream:
        for _event, element in ElementTree.iterparse(stream):
            if element.tag != f"{_MAIN}c":
                continue
            formula = element.find(f"{_MAIN}f")
            value = element.find(f"{_MAIN}v")
            inline = element.find(f"{_MAIN}is")
            saved = inline is not None or (value is not None and bool(value.text))
            if formula is not None and not saved:  # no <v>, or <v></v> as openpyxl writes
                cells.append(element.get("r", "?"))
            element.clear()
    return cells
