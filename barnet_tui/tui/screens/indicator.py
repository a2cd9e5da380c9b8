"""One indicator: every field laid out for reading, and its history across periods."""

from __future__ import annotations

from typing import Any, ClassVar

import polars as pl
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from barnet_tui.domain.describe import copy_line, rating_sentence, trend
from barnet_tui.domain.queries import history_for_ref
from barnet_tui.tui.render import badge, dot, plain
from barnet_tui.tui.screens.base import BarnetScreen
from barnet_tui.tui.widgets.breadcrumbs import Breadcrumbs
from barnet_tui.tui.widgets.history_chart import HistoryChart

HOME = "Corporate"

# Field label, row key: the order a reader wants them in.
FIELDS: tuple[tuple[str, str], ...] = (
    ("Type", "indicator_type"),
    ("Polarity", "polarity"),
    ("Period covered", "period_covered"),
    ("Target", "target_raw"),
    ("Annual target", "annual_target_raw"),
    ("Result", "result_raw"),
    ("Compared with", "previous_raw"),
    ("Short-term comparison", "previous_short_raw"),
    ("Benchmarking", "benchmark"),
    ("Ref as printed", "ref_raw"),
    ("Ref note", "ref_note"),
)


class IndicatorScreen(BarnetScreen[int]):
    """An indicator; ``n`` / ``p`` step through the service list it was opened from.

    Dismisses with the list index it ends on, so the list puts its cursor there.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "step(1)", "Next"),
        Binding("p", "step(-1)", "Previous"),
        Binding("y", "copy", "Copy"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, service: str, rows: pl.DataFrame, index: int) -> None:
        super().__init__()
        self.service = service
        self.rows = rows
        self.index = index

    @property
    def row(self) -> dict[str, Any]:
        return self.rows.row(self.index, named=True)

    def compose(self) -> ComposeResult:
        yield Breadcrumbs(HOME, self.service, id="crumbs")
        with VerticalScroll(id="indicator-body"):
            yield Static(id="title")
            yield Static(id="rating")
            yield Static(id="fields")
            yield Static(id="dot")
            yield Static("Comment", classes="section-title")
            yield Static(id="comment")
            yield Static(id="source")
            yield Static("History", classes="section-title")
            yield Static(id="history")
            yield HistoryChart(self.barnet.config.badges, id="chart")
            yield Static(id="trend")
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        row = self.row
        colours = self.barnet.config.badges
        self.query_one("#crumbs", Breadcrumbs).show(HOME, self.service, row["ref"])

        title = Text()
        title.append_text(plain(row["ref"], style="bold"))
        title.append("  ")
        title.append_text(plain(row["indicator"], style="bold"))
        title.append(
            f"\n{row['period']} · {self.index + 1} of {self.rows.height} in the list", style="dim"
        )
        self.query_one("#title", Static).update(title)

        rating = Text.assemble(badge(row["rag"], colours), " ", plain(rating_sentence(row)))
        self.query_one("#rating", Static).update(rating)

        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        for label, key in FIELDS:
            value = row[key]
            if key == "previous_raw" and value and row["previous_period"]:
                value = f"{value} ({row['previous_period']})"
            if key == "ref_raw" and value == row["ref"]:
                continue
            if value:
                grid.add_row(label, plain(value))
        self.query_one("#fields", Static).update(grid)

        direction = Text("Direction of travel: ", style="dim")
        direction.append_text(dot(row["dot"]) if row["dot"] else Text("not given"))
        if row["dot_short"]:
            direction.append("   short-term: ", style="dim")
            direction.append_text(dot(row["dot_short"]))
        self.query_one("#dot", Static).update(direction)

        comment = (
            plain(row["comment"])
            if row["comment"]
            else Text("No comment in the report.", style="dim")
        )
        self.query_one("#comment", Static).update(comment)
        source = Text("Source: ", style="dim")
        source.append_text(plain(f"{row['source']}, line {row['source_line']}"))
        self.query_one("#source", Static).update(source)
        self._show_history(row)
        self.query_one("#indicator-body", VerticalScroll).scroll_home(animate=False)

    def _show_history(self, row: dict[str, Any]) -> None:
        history = history_for_ref(self.barnet.dataset.indicators, row["ref"])
        if history.height == 0:
            history = self.rows.slice(self.index, 1)
        table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
        for label in ("Period", "Rating", "Result", "Target", "Direction", "Source"):
            table.add_column(label, overflow="fold")
        colours = self.barnet.config.badges
        for point in history.iter_rows(named=True):
            table.add_row(
                Text(point["period"], style="bold" if point["period"] == row["period"] else ""),
                _rating_cell(point, colours),
                plain(point["result_raw"] or "–"),
                plain(point["target_raw"] or "–"),
                dot(point["dot"]),
                plain(f"{point['source']}:{point['source_line']}", style="dim"),
            )
        self.query_one("#history", Static).update(table)
        self.query_one("#chart", HistoryChart).show(history.to_dicts())
        self.query_one("#trend", Static).update(
            Text(trend(history, row["polarity"]), style="italic")
        )

    def action_step(self, step: int) -> None:
        index = self.index + step
        if 0 <= index < self.rows.height:
            self.index = index
            self.show()
        else:
            self.notify(
                "That was the last one." if step > 0 else "That was the first one.", markup=False
            )

    def action_copy(self) -> None:
        line = copy_line(self.row)
        self.app.copy_to_clipboard(line)
        self.notify(f"Copied: {line}", markup=False)

    def action_back(self) -> None:
        self.dismiss(self.index)


def _rating_cell(point: dict[str, Any], colours: dict[str, str]) -> Text:
    """The badge, and "below" where the report says so without printing a rating."""
    text = Text.assemble(badge(point["rag"], colours))
    if point["rag"] is None and point["below_target"]:
        text.append(" below", style="italic")
    return text
