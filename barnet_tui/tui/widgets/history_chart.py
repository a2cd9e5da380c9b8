"""Result against target across periods, as horizontal bars with a target mark (a Rich
renderable, shown in the indicator screen's history).

Drawn with block characters so it works in any terminal, over SSH and without colour: the bar
is the result, ``┃`` marks the target, and a sentence under it says which way it is going.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

from rich.text import Text

from barnet_tui.domain.literal_text import literal
from barnet_tui.tui.render import badge_colour

_LABEL = 11
_VALUES = 22


def drawable(value: float | None) -> float | None:
    """``value`` when a bar can be drawn to it; None for nothing, NaN or an infinity (a
    dataset written by another tool may hold them): those are shown as text only."""
    return value if value is not None and math.isfinite(value) else None


def _scale(low: float, high: float, cells: int) -> Callable[[float], int]:
    """The cell of a value between ``low`` and ``high`` (finite, ``low <= 0 <= high``): even
    when ``high - low`` overflows (-1.7e308 to 1.7e308), halves are measured instead."""
    span = high - low
    halves = math.isinf(span)
    if halves:
        low, span = low / 2, high / 2 - low / 2

    def position(value: float) -> int:
        share = ((value / 2 if halves else value) - low) / span if span else 0.0
        return min(max(int(share * (cells - 1) + 0.5), 0), cells - 1)

    return position


def _figure(raw: str | None, value: float | None, missing: str) -> str:
    """The figure as the report printed it; else the number itself (``nan``, ``inf``)."""
    if raw:
        return literal(raw)
    return missing if value is None else f"{value:g}"


def history_bars(
    points: Sequence[Mapping[str, Any]], width: int, colours: Mapping[str, str]
) -> list[Text]:
    """One line per period: the result as a bar from zero, ``┃`` at the target, the figures.
    A figure that cannot be drawn (NaN, infinity) has no bar or mark; its text is shown."""
    width = max(width - _LABEL - _VALUES, 8)
    values = [
        value
        for point in points
        for value in (drawable(point["result"]), drawable(point["target"]))
        if value is not None
    ]
    if not values:
        return [Text("No numeric results to chart.", style="dim")]
    position = _scale(min(0.0, *values), max(0.0, *values), width)

    lines = []
    for point in points:
        line = Text(f"{literal(point['period']):<{_LABEL}}")
        cells = [" "] * width
        styles = [""] * width
        result, target = drawable(point["result"]), drawable(point["target"])
        if result is not None:
            start, end = sorted((position(0.0), position(result)))
            for index in range(start, end + 1):
                cells[index] = "█"
                styles[index] = badge_colour(point["rag"], colours)
        if target is not None:
            mark = position(target)
            cells[mark] = "┃"
            styles[mark] = "bold"
        for style, run in groupby(zip(styles, cells, strict=True), key=itemgetter(0)):
            line.append("".join(char for _style, char in run), style=style)
        shown = _figure(point["result_raw"], point["result"], "no result")
        aimed = _figure(point["target_raw"], point["target"], "–")
        line.append(f" {shown[:10]:>10} ┃{aimed[:9]:<9}")
        lines.append(line)
    lines.append(Text("█ result   ┃ target", style="dim"))
    return lines
