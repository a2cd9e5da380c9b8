"""Comparing what ingest reads from a report's PDF with what it reads from its text."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from barnet_tui.domain.contract import DERIVED_TABLES, TABLES
from barnet_tui.ingest.pipeline import ingest

PROVENANCE = {"source", "source_line", "source_page", "page_line"}
"""Where a row was printed: the only fields a PDF's rows may differ in from its text's."""


def rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows read from one report, without provenance, in dataset order."""
    result = ingest([path], None)
    return {
        name: [
            tuple(value for key, value in row.items() if key not in PROVENANCE)
            for row in result.tables[name].iter_rows(named=True)
        ]
        for name in TABLES
        if name not in DERIVED_TABLES  # computed from the indicators when they are written
    }


def identical(expected: list[tuple[Any, ...]], got: list[tuple[Any, ...]]) -> int:
    """How many of ``expected`` rows ``got`` has, field by field."""
    return sum((Counter(expected) & Counter(got)).values())
