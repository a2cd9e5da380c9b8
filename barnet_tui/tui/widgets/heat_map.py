"""The 5x5 risk heat map: how many risks sit at each probability and impact.

Counts are printed in every cell (a dot for none), so the map reads at 80x24 and with
NO_COLOR; colour adds the score band (high, 15 and over; 8 and over, the rest).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from barnet_tui.domain.attention import HIGH_RISK
from barnet_tui.domain.report_tables import IMPACT_WORDS, PROBABILITY_WORDS

_CELL = 5
_LABEL = 16


def _band(score: int) -> str:
    """A score band's colour; the count in the cell says the rest, colour or none."""
    if score >= HIGH_RISK:
        return "on dark_red"
    if score >= 8:
        return "on dark_orange3"
    return "on dark_green"


def heat_map_text(cells: dict[tuple[int, int], int], unplaced: int, derived: int = 0) -> Text:
    """The grid; under it, the risks it cannot place and those placed by a derived impact."""
    text = Text()
    text.append("Probability ↓  Impact →\n", style="bold")
    text.append(" " * _LABEL)
    for word in IMPACT_WORDS:
        text.append(word[:4].center(_CELL), style="dim")
    for probability in range(5, 0, -1):
        text.append("\n")
        text.append(f"{probability} {PROBABILITY_WORDS[probability - 1]}"[:_LABEL].ljust(_LABEL))
        for impact in range(1, 6):
            count = cells.get((probability, impact), 0)
            colour = _band(probability * impact)
            if count:
                text.append(f"{count:^{_CELL}}", style=f"bold white {colour}")
            else:
                text.append(f"{'·':^{_CELL}}", style=f"white {colour}")
    notes = []
    if unplaced:
        notes.append(f"{unplaced} not placed (no probability or impact)")
    if derived:
        noun = "impact" if derived == 1 else "impacts"
        notes.append(f"{derived} {noun} derived (score ÷ probability)")
    if notes:
        text.append("\n" + " · ".join(notes), style="dim")
    return text


class HeatMap(Static):
    """The Risks tab's heat map of the risks listed (whatever the filters hide)."""

    DEFAULT_CSS = """
    HeatMap {
        width: 43;
        height: 8;
        padding: 0 1;
    }
    """

    def show(self, cells: dict[tuple[int, int], int], unplaced: int, derived: int = 0) -> None:
        self.update(heat_map_text(cells, unplaced, derived), layout=False)
