"""No stored cell larger than a report could print.

A report's page holds a few thousand characters; a cell of more (a megabyte of an
indicator's name, rows glued together by a file built to do it) is no figure or text the
report says of one row. Such a cell is a warning naming its row and is not stored: null
where its column may be, else the row is not read.
"""

from __future__ import annotations

from typing import Any

from barnet_tui.domain.contract import TABLES
from barnet_tui.ingest.diagnostics import IngestWarning
from barnet_tui.ingest.sources.limits import CELL_LIMIT

Row = dict[str, Any]


def _where(row: Row) -> str:
    ref = row.get("ref")
    return f"{ref}: " if isinstance(ref, str) and len(ref) <= CELL_LIMIT else ""


def cap_cells(table: str, rows: list[Row]) -> tuple[list[Row], list[IngestWarning]]:
    """``rows`` with every text over ``CELL_LIMIT`` characters taken out, and a warning for
    each: the cell null, or the row left out when its column may not be null."""
    required = {column.name for column in TABLES[table] if not column.nullable}
    kept: list[Row] = []
    warnings: list[IngestWarning] = []
    for row in rows:
        over = [
            name
            for name, value in row.items()
            if isinstance(value, str) and len(value) > CELL_LIMIT
        ]
        if not over:
            kept.append(row)
            continue
        source, line = str(row.get("source", "")), int(row.get("source_line") or 0)
        dropped = False
        for name in over:
            size = len(row[name])
            shown = name.removesuffix("_raw")
            ending = "row not read" if name in required else "not stored"
            dropped = dropped or name in required
            message = (
                f"{_where(row)}{shown} of {size:,} characters, more than a report's page could "
                f"print ({CELL_LIMIT:,} at most); {ending}"
            )
            warnings.append(IngestWarning(source, line, message))
            row[name] = None
        if not dropped:
            kept.append(row)
    return kept, warnings
