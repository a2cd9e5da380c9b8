"""Reporting periods (``2016/17 Q4``): parsing, ordering and stepping.

Periods are compared as (financial year, quarter), never as text, so ``2015/16 Q4`` comes
before ``2016/17 Q1``.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Self

from barnet_tui.domain.contract import PERIOD_PATTERN


class PeriodError(ValueError):
    """A string that is not a ``YYYY/YY Qn`` period."""


class QuarterError(PeriodError):
    """A period whose quarter is outside 1-4 ("2016/17 Q9"): never read as some other one."""


_QUARTER_NUMBER = re.compile(r"(?<![a-z])q\s*(\d+)(?!\d)", re.IGNORECASE)


def check_quarter(text: str) -> None:
    """Refuse a quarter number outside 1-4 anywhere in ``text``, naming what was typed."""
    for match in _QUARTER_NUMBER.finditer(text):
        if not 1 <= int(match[1]) <= 4:
            raise QuarterError(f"{text!r}: quarter {match[1]} is not 1-4")


class Period(NamedTuple):
    """A financial year (by its starting calendar year) and a quarter."""

    start_year: int
    quarter: int

    @classmethod
    def parse(cls, text: str) -> Self:
        # Typed as people type it: "2016/17 q4", "2016/17Q4" and " 2016/17  Q4 " all count.
        check_quarter(text)
        spaced = re.sub(r"\s*[qQ]([1-4])$", r" Q\1", " ".join(text.split()))
        match = PERIOD_PATTERN.match(spaced)
        if match is None:
            raise PeriodError(f"{text!r} is not a period like '2016/17 Q4'")
        start, end, quarter = int(match[1]), int(match[2]), int(match[3])
        if (start + 1) % 100 != end:
            raise PeriodError(f"{text!r}: {end:02d} does not follow {start}")
        return cls(start, quarter)

    @classmethod
    def from_parts(cls, fin_year: str, quarter: int) -> Self:
        return cls.parse(f"{fin_year} Q{quarter}")

    @property
    def fin_year(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    def __str__(self) -> str:
        return f"{self.fin_year} Q{self.quarter}"


def sort_periods(periods: list[str]) -> list[str]:
    """Distinct periods in time order, oldest first; invalid ones are left out."""
    parsed = set()
    for text in periods:
        try:
            parsed.add(Period.parse(text))
        except PeriodError:
            continue
    return [str(period) for period in sorted(parsed)]
