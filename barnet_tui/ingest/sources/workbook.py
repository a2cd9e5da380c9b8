"""A workbook's sheets as rows of text (XLSX, XLSM, XLS, ODS), run in the reading child.

An XLSX or XLSM is read by its cells (``xlsx_cells``): each as the sheet shows it, its
errors and formulas never calculated named. An XLS or ODS is read by Polars through
calamine, which gives each cell's cached value.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from barnet_tui.ingest.sources.xlsx_cells import xlsx_sheets


def excel_sheets(data: bytes) -> dict[str, Any]:
    """Every sheet's rows as CSV text (each cell as text, an empty one empty), which of the
    sheet's rows and columns they are where known (``layouts``), and the notes on its cells
    as ``[sheet, cell, what]``. CSV: a list of every row's cells (a Python object per cell)
    would take several times the sheet's size, here and again in the parent."""
    if _is_xlsx(data):
        return xlsx_sheets(data)
    import polars as pl

    frames = pl.read_excel(io.BytesIO(data), sheet_id=0, has_header=False, infer_schema_length=0)
    sheets = {}
    for name in list(frames):
        sheets[name] = frames.pop(name).write_csv(include_header=False)
    return {"sheets": sheets, "layouts": {}, "notes": []}


def _is_xlsx(data: bytes) -> bool:
    """Whether the bytes are an XLSX or XLSM (a zip holding ``xl/workbook.xml``)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
