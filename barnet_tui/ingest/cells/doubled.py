"""A cell that holds two values where a row holds one: two rows glued into one (a page break
or a reader that joined a row's rest to the wrong row), as in "35.0% 35.0%" or "Bigger is
Better Smaller is Better". Which value is the row's cannot be told, so neither is stored and
a warning names the row.
"""

from __future__ import annotations

import re

from barnet_tui.ingest.cells.values import parse_number

_FIGURE = r"[-–]?[£$€]?\d[\d,]*(?:\.\d+)?\s*(?:%|p|k|m|bn)?"
_TWO_FIGURES = re.compile(rf"^\s*{_FIGURE}\s+{_FIGURE}\s*$", re.IGNORECASE)
_POLARITY = re.compile(r"\b(?:bigger|smaller|higher|lower)\s+is\s+better\b|\bmonitor\b", re.I)

FIGURE_CELLS = ("result_raw", "target_raw", "previous_raw")
"""The cells that hold one figure each."""


def two_figures(raw: str | None) -> bool:
    """Whether ``raw`` is two figures side by side ("35.0% 35.0%", "12 14"), not one that a
    line's end split ("£1,878,9 55")."""
    return raw is not None and _TWO_FIGURES.match(raw) is not None and parse_number(raw) is None


def two_polarities(raw: str | None) -> bool:
    """Whether ``raw`` states a polarity twice ("Bigger is Better Bigger is Better")."""
    return bool(raw) and len(_POLARITY.findall(raw or "")) > 1


def doubled_cells(row: dict[str, object], polarity_raw: str | None) -> list[str]:
    """The names of ``row``'s cells that hold two values: its figures, and its polarity."""
    names = [name for name in FIGURE_CELLS if two_figures(_text(row.get(name)))]
    if two_polarities(polarity_raw):
        names.append("polarity")
    return names


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
