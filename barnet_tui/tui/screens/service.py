"""A service: its indicators for a period, worst first, with filters and each comment."""

from __future__ import annotations

from typing import Any, ClassVar

import polars as pl
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Input, Static

from barnet_tui.domain.queries import search, service_indicators
from barnet_tui.domain.ratings import BADGE_LETTERS, NOT_RATED, SEVERITY, below_target_expr
from barnet_tui.domain.summary import corporate_summary
from barnet_tui.tui.render import badge, cell, dot, plain
from barnet_tui.tui.screens.base import SortedTableScreen
from barnet_tui.tui.screens.indicator import IndicatorScreen
from barnet_tui.tui.screens.summary import HOME
from barnet_tui.tui.widgets.breadcrumbs import Breadcrumbs

COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("rag", "", 4),
    ("ref", "Ref", 11),
    ("indicator", "Indicator", 0),
    ("result", "Result", 11),
    ("target", "Target", 11),
    ("dot", "Direction", 13),
    ("indicator_type", "Type", 5),
)
# The rating filter steps through these; None shows every rating.
RATING_FILTERS: tuple[str | None, ...] = (
    None,
    "Red",
    "Red Amber",
    "Green Amber",
    "Green",
    "Monitor",
    NOT_RATED,
)


def _severity() -> pl.Expr:
    return pl.col("rag").replace_strict(SEVERITY, default=len(SEVERITY), return_dtype=pl.Int64)


SORTS: dict[str, list[pl.Expr]] = {
    "rag": [_severity(), pl.col("ref")],
    "ref": [pl.col("ref")],
    "indicator": [pl.col("indicator").str.to_lowercase()],
    "result": [pl.col("result"), pl.col("result_raw")],
    "target": [pl.col("target"), pl.col("target_raw")],
    "dot": [pl.col("dot")],
    "indicator_type": [pl.col("indicator_type")],
}


class ServiceScreen(SortedTableScreen):
    """Which indicators are below target, and why."""

    AUTO_FOCUS = "#indicators"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", show=True),
        Binding("b", "toggle_below", "Below target"),
        Binding("slash", "search", "Filter"),
        Binding("f", "next_rating", "Rating"),
        Binding("escape", "back", "Back"),
    ]
    SORT_COLUMNS = tuple(key for key, _label, _width in COLUMNS)

    def __init__(
        self,
        service: str,
        period: str,
        below_only: bool = False,
        open_row: tuple[str, int] | None = None,
    ) -> None:
        """``open_row`` (source, line) opens that indicator as soon as the list is shown."""
        super().__init__()
        self.service = service
        self.open_row = open_row
        self.period = period
        self.below_only = below_only
        self.rating_filter: str | None = None
        self.search_text = ""
        self.sort_column = "rag"
        self.sort_descending = False
        self.rows = pl.DataFrame()
        self.listed = pl.DataFrame()

    def compose(self) -> ComposeResult:
        yield Breadcrumbs(HOME, self.service, id="crumbs")
        yield Static(id="service-header")
        yield Static(id="filters")
        yield Input(placeholder="Filter by ref, name or comment", id="search", classes="hidden")
        yield DataTable(id="indicators", cursor_type="row", zebra_stripes=True, cell_padding=0)
        with VerticalScroll(id="comment-box"):
            yield Static(id="comment")
        yield Footer()

    def on_mount(self) -> None:
        all_rows = self.barnet.dataset.indicators.filter(pl.col("period") == self.period)
        self.rows = service_indicators(all_rows, self.service)
        self.query_one("#service-header", Static).update(self._header())
        self.refresh_rows()
        if self.open_row is not None:
            self.open_place(*self.open_row)

    def open_place(self, source: str, line: int) -> None:
        """Put the cursor on the row from ``source``:``line`` and open it, clearing filters
        that hide it."""
        if (source, line) not in self._places():
            self.below_only, self.rating_filter, self.search_text = False, None, ""
            self.refresh_rows(keep_ref=False)
        self.query_one("#indicators", DataTable).move_cursor(
            row=self._places().index((source, line)), animate=False
        )
        self.action_open()

    def _places(self) -> list[tuple[str, int]]:
        return list(zip(self.listed["source"], self.listed["source_line"], strict=True))

    def on_resize(self) -> None:
        self.refresh_rows()

    def _header(self) -> Text:
        summary = corporate_summary(
            self.barnet.dataset, self.period, self.barnet.config.below_target
        )
        text = Text()
        text.append_text(plain(self.service, style="bold"))
        text.append(f" · {self.period}")
        match = summary.filter(pl.col("service") == self.service)
        if match.height:
            row = match.row(0, named=True)
            counts = [
                f"{row['reported']} reported",
                f"{row['rag_rated']} rated",
                f"G {row['green']} GA {row['green_amber']} RA {row['red_amber']} R {row['red']}",
                f"{row['below']} below target",
            ]
            text.append(" · " + " · ".join(counts))
            basis = "the report's counts" if row["basis"] == "published" else "counted from rows"
            if row["disagrees"]:
                basis += f"; {row['detailed_below']} below-target rows in the dataset"
            text.append(f" ({basis})", style="bold red" if row["disagrees"] else "dim")
        return text

    # Filters, sort, table -----------------------------------------------------------------

    def filtered(self) -> pl.DataFrame:
        rows = self.rows
        if self.below_only:
            rows = rows.filter(below_target_expr(self.barnet.config.below_target))
        if self.rating_filter == NOT_RATED:
            rows = rows.filter(pl.col("rag").is_null())
        elif self.rating_filter is not None:
            rows = rows.filter(pl.col("rag") == self.rating_filter)
        rows = search(rows, self.search_text)
        return rows.sort(SORTS[self.sort_column], descending=self.sort_descending, nulls_last=True)

    def refresh_rows(self, keep_ref: bool = True) -> None:
        table = self.query_one("#indicators", DataTable)
        current = self.selected_row() if keep_ref else None
        self.listed = self.filtered()
        self._fill(table)
        self.query_one("#filters", Static).update(self._filter_status())
        if current is not None:
            place = (current["source"], current["source_line"])
            if place in self._places():
                table.move_cursor(row=self._places().index(place), animate=False)
        self.show_comment()

    def _filter_status(self) -> Text:
        rating = (
            "all"
            if self.rating_filter is None
            else (
                f"{BADGE_LETTERS.get(self.rating_filter, NOT_RATED)} ({self.rating_filter})"
                if self.rating_filter != NOT_RATED
                else "- (not rated)"
            )
        )
        text = Text()
        text.append(f"Showing {self.listed.height} of {self.rows.height}", style="bold")
        text.append(" · below target only: ")
        text.append(
            "ON" if self.below_only else "off", style="bold reverse" if self.below_only else ""
        )
        text.append(f" · rating: {rating}")
        if self.search_text:
            text.append(" · filter: ")
            text.append_text(plain(self.search_text, style="bold"))
        return text

    def _widths(self) -> list[int]:
        fixed = sum(width for _key, _label, width in COLUMNS)
        name = max(self.size.width - 1 - fixed, 16)
        return [width or name for _key, _label, width in COLUMNS]

    def _fill(self, table: DataTable[Any]) -> None:
        table.clear(columns=True)
        colours = self.barnet.config.badges
        widths = self._widths()
        for (key, label, _width), width in zip(COLUMNS, widths, strict=True):
            arrow = self.sort_arrow(key)
            table.add_column(Text(f" {label}{arrow}"), key=key, width=width)
        for row in self.listed.iter_rows(named=True):
            table.add_row(
                badge(row["rag"], colours),
                cell(row["ref"]),
                cell(row["indicator"]),
                cell(row["result_raw"] or "–"),
                cell(row["target_raw"] or "–"),
                Text(" ").append_text(dot(row["dot"])),
                cell(row["indicator_type"] or ""),
                key=f"{row['source']}:{row['source_line']}",
            )

    def selected_row(self) -> dict[str, Any] | None:
        table = self.query_one("#indicators", DataTable)
        if not self.listed.height:
            return None
        return self.listed.row(min(table.cursor_row, self.listed.height - 1), named=True)

    def show_comment(self) -> None:
        row = self.selected_row()
        comment = self.query_one("#comment", Static)
        if row is None:
            comment.update(Text("No indicators match the filters.", style="dim"))
            return
        text = Text()
        text.append_text(plain(row["ref"], style="bold"))
        text.append(" ")
        if row["comment"]:
            text.append_text(plain(row["comment"]))
        elif row["below_target"] and row["result_raw"] is None:
            text.append("Listed in the report as below target; it gives no figures.", style="dim")
        else:
            text.append("No comment in the report.", style="dim")
        comment.update(text)

    @on(DataTable.RowHighlighted, "#indicators")
    def _highlighted(self) -> None:
        self.show_comment()

    # Actions ------------------------------------------------------------------------------

    def action_toggle_below(self) -> None:
        self.below_only = not self.below_only
        self.refresh_rows()

    def action_next_rating(self) -> None:
        index = RATING_FILTERS.index(self.rating_filter)
        self.rating_filter = RATING_FILTERS[(index + 1) % len(RATING_FILTERS)]
        self.refresh_rows()

    def action_search(self) -> None:
        search_input = self.query_one("#search", Input)
        search_input.remove_class("hidden")
        search_input.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search_text = event.value
        self.refresh_rows()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one("#indicators", DataTable).focus()

    def action_back(self) -> None:
        search_input = self.query_one("#search", Input)
        if search_input.has_focus:
            # Escape in the filter box clears it and returns to the list.
            search_input.value = ""
            search_input.add_class("hidden")
            self.query_one("#indicators", DataTable).focus()
            return
        self.app.pop_screen()

    def action_open(self) -> None:
        if self.query_one("#search", Input).has_focus:
            self._search_done()
            return
        row = self.selected_row()
        if row is None:
            return
        table = self.query_one("#indicators", DataTable)

        def returned(index: int | None) -> None:
            if index is not None and self.listed.height:
                table.move_cursor(row=index, animate=False)

        self.app.push_screen(IndicatorScreen(self.service, self.listed, table.cursor_row), returned)

    @on(DataTable.RowSelected, "#indicators")
    def _row_selected(self) -> None:
        self.action_open()
