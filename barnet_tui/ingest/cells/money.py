"""Money and percentages as finance tables print them.

Budgets are printed in £000 with brackets for negatives (``(4,331)``); a percentage column
may print its sign the same way (``(41.3)``, ``(12%)``) or with a minus (``-50.7%``). A
dash means nothing was entered: it is read as null, not as zero, because the report does
not say which. Narrative prose gives the same money in millions (``£0.819m``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

_AMOUNT = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_MONEY = re.compile(
    rf"^(?P<open>\()?\s*(?P<minus>[-−])?\s*£?\s*(?P<amount>{_AMOUNT})\s*(?P<close>\)+)?$"
)
_PERCENT = re.compile(
    rf"^(?P<open>\()?\s*(?P<minus>[-−])?\s*(?P<amount>{_AMOUNT})\s*%?\s*(?P<close>\))?$"
)
_WITH_SHARE = re.compile(r"^(?P<money>\(?[-−]?[\d,.]+\)*)\s*\((?P<share>\(?[-−]?[\d.]+%\)?)\)$")
_MILLIONS = re.compile(r"£\s*(\d+(?:\.\d+)?)\s*m\b")


class Figure(NamedTuple):
    """A figure and how many decimals it was printed with (its rounding)."""

    value: float
    decimals: int
    """Negative for prose in millions: ``£2.3m`` is 2300 give or take 50 (£000)."""

    @property
    def half_unit(self) -> float:
        """Half the last printed digit: how far the true figure may be from the printed one."""
        return 0.5 * 10.0**-self.decimals


def _signed(match: re.Match[str]) -> Figure:
    amount = match["amount"].replace(",", "")
    value = float(amount)
    negative = bool(match["open"]) or bool(match["minus"])
    decimals = len(amount.split(".")[1]) if "." in amount else 0
    return Figure(-value if negative and value else value, decimals)


def money_figure(raw: str | None) -> Figure | None:
    """``(4,331)`` -> -4331; ``(1,956))`` (a stray bracket) -> -1956; ``-`` or text -> None."""
    if raw is None:
        return None
    match = _MONEY.match(raw.strip())
    if match is None or bool(match["open"]) != bool(match["close"]):
        return None
    return _signed(match)


def parse_money(raw: str | None) -> float | None:
    figure = money_figure(raw)
    return None if figure is None else figure.value


def percent_figure(raw: str | None) -> Figure | None:
    """``-50.7%``, ``(12%)``, ``(41.3)`` and ``4.2`` as signed percentages."""
    if raw is None:
        return None
    match = _PERCENT.match(raw.strip())
    if match is None or bool(match["open"]) != bool(match["close"]):
        return None
    return _signed(match)


def parse_percent(raw: str | None) -> float | None:
    figure = percent_figure(raw)
    return None if figure is None else figure.value


def money_with_share(raw: str | None) -> tuple[Figure | None, Figure | None]:
    """A dashboard cell: ``819 (4.0%)`` -> (819, 4.0); ``(4,331)`` -> (-4331, None)."""
    if raw is None:
        return None, None
    text = raw.strip()
    match = _WITH_SHARE.match(text)
    if match is None:
        return money_figure(text), None
    money, share = money_figure(match["money"]), percent_figure(match["share"])
    if money is not None and share is not None and money.value < 0 < share.value:
        share = Figure(-share.value, share.decimals)  # "(4,331) (12%)": the share of a loss
    return money, share


def millions(text: str) -> list[Figure]:
    """Every ``£0.819m`` in prose, in £000 (the tables' unit) with the rounding printed."""
    figures = []
    for match in _MILLIONS.finditer(text):
        decimals = len(match[1].split(".")[1]) if "." in match[1] else 0
        figures.append(Figure(float(match[1]) * 1000, decimals - 3))
    return figures
