"""Result against target across periods, as horizontal bars with a target mark.

Drawn with block characters so it works in any terminal, over SSH and without colour: the bar
is the result, ``┃`` marks the target, and a sentence under it says which way it is going.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual.widget import Widget

from barnet_tui.display import literal
from barnet_tui.tui.render import badge_colour

_LABEL = 11
_VALUES = 22


class HistoryBars:
    """A Rich renderable: one bar per period with a numeric result."""

    def __init__(self, points: Sequence[Mapping[str, Any]], colours: Mapping[str, str]) -> None:
        self.points = points
        self.colours = colours

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(options.max_width - _LABEL - _VALUES, 8)
        values = [
            value
            for point in self.points
            for value in (point["result"], point["target"])
            if value is not None
        ]
        if not values:
            yield Text("No numeric results to chart.", style="dim")
            return
        low, high = min(0.0, *values), max(0.0, *values)
        span = (high - low) or 1.0

        def position(value: float) -> int:
            return min(int((value - low) / span * (width - 1) + 0.5), width - 1)

        for point in self.points:
            line = Text(f"{literal(point['period']):<{_LABEL}}")
            cells = [" "] * width
            styles = [""] * width
            if point["result"] is not None:
                start, end = sorted((position(0.0), position(point["result"])))
                for index in range(start, end + 1):
                    cells[index] = "█"
                    styles[index] = badge_colour(point["rag"], self.colours)
            if point["target"] is not None:
                mark = position(point["target"])
                cells[mark] = "┃"
                styles[mark] = "bold"
            for char, style in zip(cells, styles, strict=True):
                line.append(char, style=style)
            result = literal(point["result_raw"] or "no result")
            target = literal(point["target_raw"] or "–")
            line.append(f" {result[:10]:>10} ┃{target[:9]:<9}")
            yield line
        yield Text("█ result   ┃ target", style="dim")


class HistoryChart(Widget):
    """The chart of an indicator's history; ``show()`` gives it the rows to draw."""

    DEFAULT_CSS = """
    HistoryChart {
        height: auto;
    }
    """

    def __init__(self, colours: Mapping[str, str], id: str | None = None) -> None:
        super().__init__(id=id)
        self.colours = colours
        self.points: Sequence[Mapping[str, Any]] = []

    def show(self, points: Sequence[Mapping[str, Any]]) -> None:
        self.points = points
        self.refresh(layout=True)

    def render(self) -> HistoryBars:
        return HistoryBars(self.points, self.colours)

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return max(len(self.points), 1) + 1
