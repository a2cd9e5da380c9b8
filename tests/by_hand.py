"""The derived tables' questions answered again in plain Python, row by row: what the
Polars queries of ``barnet_tui.domain`` are checked against (a query compared with itself
cannot fail)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import polars as pl


def _latest_order(index: int, row: dict[str, Any]) -> tuple[int, int, int, int]:
    """Later period first, then a row with a rating, then the later row in the file."""
    rated = row["rag"] is not None or row["below_target"] is not None
    return (int(row["fin_year"][:4]), int(row["quarter"]), int(rated), index)


def latest_by_hand(rows: pl.DataFrame) -> pl.DataFrame:
    """Each indicator's latest row, in file order: indicators match on ref, and every row
    whose ref is "TBC" is an indicator of its own."""
    best: dict[object, int] = {}
    records = rows.to_dicts()
    for index, row in enumerate(records):
        key = ("TBC", index) if row["ref"] == "TBC" else row["ref"]
        if key not in best or _latest_order(index, row) > _latest_order(
            best[key], records[best[key]]
        ):
            best[key] = index
    return rows[sorted(best.values())]


def by_ref_by_hand(rows: pl.DataFrame) -> pl.DataFrame:
    """Every row in ref order (no ref first), file order kept within a ref."""
    refs = rows["ref"].to_list()
    return rows[sorted(range(len(refs)), key=lambda i: (refs[i] is not None, refs[i] or ""))]


def reported_by_hand(rows: pl.DataFrame) -> dict[tuple[str, str, str], int]:
    """Rows per (period, service, source)."""
    return Counter(rows.select("period", "service", "source").iter_rows())
