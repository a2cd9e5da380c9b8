"""The report's own arithmetic: figures it states twice, compared with their rounding allowed.

A report prints money to the £000 and percentages to a decimal or none, so a Total may
differ from the sum of its printed lines by the lines' rounding, and a printed percentage
from the one its printed parts give. ``Approx`` carries that allowance through sums and
ratios; two statements disagree only when no unrounded figures could make both true.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from barnet_tui.ingest.cells.money import Figure
from barnet_tui.ingest.diagnostics import IngestWarning

_EPSILON = 1e-9


@dataclass(frozen=True)
class Approx:
    """A figure and how far the unrounded figure may be from it."""

    value: float
    error: float = 0.0

    @classmethod
    def of(cls, figure: Figure) -> Approx:
        return cls(figure.value, figure.half_unit)

    def __add__(self, other: Approx) -> Approx:
        return Approx(self.value + other.value, self.error + other.error)

    def __sub__(self, other: Approx) -> Approx:
        return Approx(self.value - other.value, self.error + other.error)

    def __neg__(self) -> Approx:
        return Approx(-self.value, self.error)

    def percent_of(self, whole: Approx) -> Approx | None:
        """100 x self / whole, or None when the whole could be zero."""
        if abs(whole.value) <= whole.error:
            return None
        ratio = self.value / whole.value
        error = (self.error + abs(ratio) * whole.error) / (abs(whole.value) - whole.error)
        return Approx(100 * ratio, 100 * error)

    def agrees(self, other: Approx) -> bool:
        return abs(self.value - other.value) <= self.error + other.error + _EPSILON


def total(parts: Iterable[Approx]) -> Approx:
    result = Approx(0.0)
    for part in parts:
        result += part
    return result


def shown(value: float, percent: bool = False) -> str:
    """A figure as the report would print it (``(4,331)``, ``-12.3%``)."""
    if percent:
        return f"{value:.1f}%"
    text = f"{abs(value):,.1f}".removesuffix(".0")
    return f"({text})" if value < 0 else text


@dataclass(frozen=True, order=True)
class Disagreement:
    """Two statements of one figure in a report that cannot both be true."""

    source: str
    line: int
    period: str
    service: str
    table: str
    """The dataset table whose figures it concerns: ``finance``, ``actions`` or ``risks``."""
    message: str

    def warning(self) -> IngestWarning:
        return IngestWarning(self.source, self.line, f"{self.service}: {self.message}")

    def as_dict(self) -> dict[str, str | int]:
        return {
            "source": self.source,
            "line": self.line,
            "period": self.period,
            "service": self.service,
            "table": self.table,
            "message": self.message,
        }
