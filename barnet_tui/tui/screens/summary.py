"""The corporate summary: one row per service for a period, with headline figures."""

from __future__ import annotations

from typing import Any, ClassVar

import polars as pl
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from barnet_tui.domain.summary import DETAILED, headline
from barnet_tui.tui.reads import reads_dataset
from barnet_tui.tui.render import cell, number, rag_bar
from barnet_tui.tui.screens.base import SortedTableScreen
from barnet_tui.tui.screens.period_picker import PeriodPicker
from barnet_tui.tui.widgets.breadcrumbs import Breadcrumbs
from barnet_tui.tui.widgets.key_hints import KeyHints
from barnet_tui.tui.widgets.row_table import Column, LazyRows, RowTable

HOME = "Corporate"

# (key, header, width, sort expression on the summary frame); width 0 means "the rest".
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("service", "Service", 0),
    ("reported", "Rep", 4),
    ("rag_rated", "Rated", 6),
    ("green", "G", 4),
    ("green_amber", "GA", 4),
    ("red_amber", "RA", 4),
    ("red", "R", 4),
    ("bar", "RAG", 11),
    ("pct_below_target", "%Below", 7),
    ("improved_same", "Imp", 4),
    ("worsened", "Wor", 4),
    ("basis", "From", 7),
)
_BAR = 7  # index of the RAG bar: on a wide terminal it takes the spare width, up to
_WIDEST_BAR = 41
SORT_KEYS = {"bar": "pct_on_target"}
_FROM = {"published": "report", DETAILED: "rows"}


class SummaryScreen(SortedTableScreen):
    """Home: how is the council doing this period, and which services are slipping."""

    AUTO_FOCUS = "#services"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", show=False),
        Binding("left_square_bracket", "step_period(-1)", "Earlier"),
        Binding("right_square_bracket", "step_period(1)", "Later"),
        Binding("p", "pick_period", "Periods"),
    ]
    SORT_COLUMNS = tuple(key for key, _label, _width in COLUMNS)
    DESCENDING_FIRST = frozenset(SORT_COLUMNS) - {"service", "basis"}

    def __init__(self, period: str) -> None:
        super().__init__()
        self.period = period
        self.sort_column = "service"
        self.sort_descending = False
        self.frame = pl.DataFrame()
        self._filled_widths: list[int] = []

    def compose(self) -> ComposeResult:
        yield Breadcrumbs(HOME, id="crumbs")
        yield Static(id="headline")
        yield RowTable(id="services")
        yield Static(id="legend")
        yield KeyHints(self)

    def on_mount(self) -> None:
        self.refresh_rows()

    def on_resize(self) -> None:
        if self._filled_widths != self._widths():
            self.refresh_rows()

    # Data -> widgets ----------------------------------------------------------------------

    @reads_dataset
    def refresh_rows(self) -> None:
        table = self.query_one("#services", RowTable)
        selected = self.selected_service()
        summary = self.barnet.summary_for(self.period)
        key = SORT_KEYS.get(self.sort_column, self.sort_column)
        services = summary.filter(pl.col("level") == "service").sort(
            key, descending=self.sort_descending, nulls_last=True
        )
        # Committee rows and the total stay below the services, whatever the sort.
        self.frame = pl.concat([services, summary.filter(pl.col("level") != "service")])
        self.query_one("#crumbs", Breadcrumbs).show(HOME)
        self.query_one("#headline", Static).update(self._headline(summary))
        self.query_one("#legend", Static).update(
            Text(
                "From: report = counts the report publishes · rows = counted from the rows "
                "this dataset holds · report≠ = the report's below-target count differs "
                "from its rows",
                style="dim",
            )
        )
        services_shown = self.frame["service"].to_list()
        cursor = services_shown.index(selected) if selected in services_shown else 0
        self._fill(table, cursor)

    def _headline(self, summary: pl.DataFrame) -> Text:
        figures = headline(summary)
        periods = self.barnet.dataset.periods
        index = periods.index(self.period) + 1 if self.period in periods else 0
        text = Text()
        text.append(self.period, style="bold")
        text.append(f" ({index} of {len(periods)})  ", style="dim")
        parts = [
            f"{figures['reported']} reported",
            f"{figures['rag_rated']} rated",
            f"{_pct(figures['pct_on_target'])} on/above target",
            f"{_pct(figures['pct_improved_same'])} improved/same",
        ]
        text.append(" · ".join(parts))
        return text

    def _widths(self) -> list[int]:
        """Fixed columns, the service name up to 36 cells, and the bar takes what is left."""
        widths = [width for _key, _label, width in COLUMNS]
        available = max(self.size.width - 1, 60)
        widths[0] = min(max(available - sum(widths), 14), 36)
        widths[_BAR] = min(widths[_BAR] + max(available - sum(widths), 0), _WIDEST_BAR)
        return widths

    def _fill(self, table: RowTable, cursor: int) -> None:
        colours = self.barnet.config.badges
        widths = self._filled_widths = self._widths()
        columns = []
        for (key, label, _width), width in zip(COLUMNS, widths, strict=True):
            arrow = self.sort_arrow(key)
            if key in ("service", "bar", "basis"):
                columns.append(Column(key, Text(f" {label}{arrow}"), width))
            else:
                columns.append(Column(key, Text(f"{arrow}{label} ", justify="right"), width))
        table.set_columns(columns)
        frame = self.frame

        def cells(index: int) -> list[Text]:
            row = frame.row(index, named=True)
            total = row["level"] == "council"
            name = cell(row["service"], style="bold" if total else "")
            if row["level"] == "committee":
                name.append(" (committee)", style="dim")
            return [
                name,
                number(row["reported"], " "),
                number(row["rag_rated"], " "),
                number(row["green"], " "),
                number(row["green_amber"], " "),
                number(row["red_amber"], " "),
                number(row["red"], " "),
                Text(" ").append_text(rag_bar(row, widths[_BAR] - 1, colours)),
                Text(f"{_pct(row['pct_below_target'])} ", justify="right"),
                number(row["improved_same"], " "),
                number(row["worsened"], " "),
                _source_cell(row),
            ]

        rows = LazyRows(frame.height, cells)
        table.set_rows(rows, cursor)

    def selected_service(self) -> str | None:
        table = self.query_one("#services", RowTable)
        if not self.frame.height or table.row_count == 0:
            return None
        return str(self.frame["service"][min(table.cursor_row, self.frame.height - 1)])

    # Actions ------------------------------------------------------------------------------

    def action_open(self) -> None:
        table = self.query_one("#services", RowTable)
        if not self.frame.height:
            return
        row = self.frame.row(table.cursor_row, named=True)
        if row["level"] == "service":
            self.barnet.open_service(row["service"], self.period)
        else:
            self.notify(
                "The total and committee rows have no service list; pick a service row.",
                markup=False,
            )

    @on(RowTable.Selected, "#services")
    def _row_selected(self) -> None:
        self.action_open()

    @reads_dataset
    def action_step_period(self, step: int) -> None:
        periods = self.barnet.dataset.periods
        index = periods.index(self.period) + step
        if 0 <= index < len(periods):
            self.set_period(periods[index])
        else:
            self.notify("No earlier period." if step < 0 else "No later period.", markup=False)

    def set_period(self, period: str) -> None:
        self.period = period
        self.barnet.period = period
        if self.is_mounted:  # else on_mount shows it
            self.refresh_rows()

    @reads_dataset
    def action_pick_period(self) -> None:
        def chosen(period: str | None) -> None:
            if period:
                self.set_period(period)

        self.barnet.dataset.rows_per_period()  # what the picker shows, read where caught
        self.app.push_screen(PeriodPicker(self.barnet.dataset, self.period), chosen)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


def _source_cell(row: dict[str, Any]) -> Text:
    """Where a row's counts come from; ≠ when the report's own counts and rows disagree."""
    if row["disagrees"]:
        return cell("report≠", style="bold red")
    return cell(_FROM.get(row["basis"], row["basis"]), style="dim")
