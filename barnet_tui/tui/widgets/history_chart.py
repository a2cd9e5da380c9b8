"""Result against target across periods, as horizontal bars with a target mark (a Rich
renderable, shown in the indicator screen's history).

Drawn with block characters so it works in any terminal, over SSH and without colour: the bar
is the result, ``┃`` marks the target, and a sentence under it says which way it is going.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

from rich.text import Text

from barnet_tui.domain.literal_text import literal
from barnet_tui.tui.render import badge_colour

_LABEL = 11
_VALUES = 22


def history_bars(
    points: Sequence[Mapping[str, Any]], width: int, colours: Mapping[str, str]
) -> list[Text]:
    """One line per period: the result as a bar from zero, ``┃`` at the target, the figures."""
    width = max(width - _LABEL - _VALUES, 8)
    values = [
        value
        for point in points
        for value in (point["result"], point["target"])
        if value is not None
    ]
    if not values:
        return [Text("No numeric results to chart.", style="dim")]
    low, high = min(0.0, *values), max(0.0, *values)
    span = (high - low) or 1.0

    def position(value: float) -> int:
        return min(int((value - low) / span * (width - 1) + 0.5), width - 1)

    lines = []
    for point in points:
        line = Text(f"{literal(point['period']):<{_LABEL}}")
        cells = [" "] * width
        styles = [""] * width
        if point["result"] is not None:
            start, end = sorted((position(0.0), position(point["result"])))
            for index in range(start, end + 1):
                cells[index] = "█"
                styles[index] = badge_colour(point["rag"], colours)
        if point["target"] is not None:
            mark = position(point["target"])
            cells[mark] = "┃"
            styles[mark] = "bold"
        for style, run in groupby(zip(styles, cells, strict=True), key=itemgetter(0)):
            line.append("".join(char for _style, char in run), style=style)
        result = literal(point["result_raw"] or "no result")
        target = literal(point["target_raw"] or "–")
        line.append(f" {result[:10]:>10} ┃{target[:9]:<9}")
        lines.append(line)
    lines.append(Text("█ result   ┃ target", style="dim"))
    return lines
