"""A service: its indicators for a period, worst first, with filters and each comment."""

from __future__ import annotations

from typing import Any, ClassVar

import polars as pl
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.queries import search, worst_first
from barnet_tui.domain.ratings import BADGE_LETTERS, NOT_RATED, SEVERITY, below_target_expr
from barnet_tui.domain.summary import fewer_rows_note
from barnet_tui.domain.traceable import actions_note, ratings_note
from barnet_tui.tui.messages import ShowIndicators
from barnet_tui.tui.reads import reads_dataset
from barnet_tui.tui.render import badge, cell, dot, plain
from barnet_tui.tui.report_views import VIEWS
from barnet_tui.tui.screens.base import SortedTableScreen, exported
from barnet_tui.tui.screens.summary import HOME
from barnet_tui.tui.session import Session
from barnet_tui.tui.widgets.breadcrumbs import Breadcrumbs
from barnet_tui.tui.widgets.filter_box import FilterBox
from barnet_tui.tui.widgets.key_hints import KeyHints
from barnet_tui.tui.widgets.report_list import ReportList
from barnet_tui.tui.widgets.row_table import Column, RowTable
from barnet_tui.tui.widgets.tab_bar import TabBar
from barnet_tui.tui.widgets.text_view import TextView

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
        Binding("enter", "open", "Open", show=False, id="service.open"),
        Binding("b", "toggle_below", "Below target", id="filter.attention"),
        Binding("f", "next_rating", "Rating", id="filter.cycle"),
        Binding("vertical_line", "search", "Filter", id="filter.words"),
        Binding("escape", "back", "Back", id="back"),
        Binding("1", "show_tab('indicators')", "Tabs 1-4", id="tab.indicators"),
        Binding("2", "show_tab('actions')", "Key actions", show=False, id="tab.actions"),
        Binding("3", "show_tab('finance')", "Finance", show=False, id="tab.finance"),
        Binding("4", "show_tab('risks')", "Risks", show=False, id="tab.risks"),
    ]
    SORT_COLUMNS = tuple(key for key, _label, _width in COLUMNS)
    TABS: ClassVar[dict[str, str]] = {
        "indicators": "Indicators",
        "actions": "Key actions",
        "finance": "Finance",
        "risks": "Risks",
    }

    def __init__(
        self,
        session: Session,
        service: str,
        period: str,
        below_only: bool = False,
        open_row: tuple[str, int] | None = None,
        tab: str = "indicators",
    ) -> None:
        """``open_row`` (source, line) opens that indicator as soon as the list is shown."""
        super().__init__(session)
        self._widths_shown: list[int] = []
        self._comment_place: tuple[str, int] | None = None
        self._start(service, period, below_only, open_row, tab)

    def _start(
        self,
        service: str,
        period: str,
        below_only: bool,
        open_row: tuple[str, int] | None,
        tab: str,
    ) -> None:
        self.service, self.period, self.open_row = service, period, open_row
        self._active = tab
        self.below_only = below_only
        self.rating_filter: str | None = None
        self.search_text = ""
        self.sort_column, self.sort_descending = "rag", False
        self.rows = pl.DataFrame()
        self.listed = pl.DataFrame()
        self._report_rows: dict[str, pl.DataFrame] = {}
        self._checks = pl.DataFrame()
        self._unfilled: set[str] = set()
        """Report tabs whose list still shows another service or period: each is filled
        when it is first shown, so opening a service costs only the tab it opens on."""

    def reopen(self, service: str, period: str, below_only: bool, tab: str = "indicators") -> None:
        """Show another service (or the same one afresh) in this already built screen, on
        ``tab``."""
        self._start(service, period, below_only, None, tab)
        self._load_rows()
        self._show_report_tabs()
        self.query_one("#crumbs", Breadcrumbs).show(HOME, service)
        # Two lines, always (see app.tcss): no need to lay the screen out again.
        self.query_one("#service-header", Static).update(self._header(), layout=False)
        self._fewer_rows(self.query_one("#fewer-rows", Static))
        search_input = self._search_input()
        if search_input is not None:
            search_input.remove()
        self._focus_tab(tab)
        self.refresh_rows(keep_ref=False)

    @reads_dataset
    def reload_data(self) -> None:
        selected = self.selected_row()
        self._load_rows()
        self._comment_place = None  # the same row may say something else now
        self._show_report_tabs()
        self.query_one("#service-header", Static).update(self._header(), layout=False)
        self._fewer_rows(self.query_one("#fewer-rows", Static))
        self.refresh_rows()
        refs = self.listed["ref"].to_list()
        if selected is not None and selected["ref"] in refs:  # its line may have moved
            self.query_one("#indicators", RowTable).move_cursor(refs.index(selected["ref"]))

    def _load_rows(self) -> None:
        """The service's rows of the period: its indicators, and each report tab's."""
        dataset = self.session.dataset
        self.rows = worst_first(dataset.service_rows(self.period, self.service))
        self.listed = self.filtered()
        mine = pl.col("service") == self.service
        self._report_rows = {
            table: dataset.report_rows(table, self.period).filter(mine) for table in VIEWS
        }
        self._checks = dataset.disagreements.filter((pl.col("period") == self.period) & mine)

    def compose(self) -> ComposeResult:
        # Widgets are made with their content: updating them after mounting would lay the
        # screen out again, which is most of the time it takes to open one.
        self._load_rows()
        yield Breadcrumbs(HOME, self.service, id="crumbs")
        yield Static(self._header(), id="service-header")
        yield TabBar(
            {table: self._tab_label(table) for table in self.TABS}, self._active, id="tabs"
        )
        # Only the active tab's pane is laid out; the others wait, hidden.
        with Vertical(id="tab-indicators", classes="tab-pane") as indicators:
            indicators.display = self._active == "indicators"
            yield self._fewer_rows(Static(id="fewer-rows"))
            yield Static(self._filter_status(), id="filters")
            yield RowTable(id="indicators")
            yield TextView(self._comment(self.selected_row()), id="comment")
        for table, view in VIEWS.items():
            report = ReportList(view, id=f"{table}-list", classes="tab-pane")
            report.display = self._active == table
            yield report
        yield KeyHints(self)

    def on_mount(self) -> None:
        self._fill(self.query_one("#indicators", RowTable), 0)
        self._show_report_tabs()
        if self.open_row is not None:
            self.open_place(*self.open_row)

    # Tabs ---------------------------------------------------------------------------------

    def _tab_label(self, table: str) -> str:
        number = list(self.TABS).index(table) + 1
        rows = self.rows if table == "indicators" else self._report_rows[table]
        return f"{number} {self.TABS[table]} ({rows.height})"

    def _show_report_tabs(self) -> None:
        """Each tab's count for this service and period, and the active tab shown; the
        other report tabs are filled when shown."""
        self._unfilled = set(VIEWS)
        labels = ((table, self._tab_label(table)) for table in self.TABS)
        self.query_one("#tabs", TabBar).show(labels)
        self._switch_to(self._active)

    def _switch_to(self, table: str) -> None:
        """Show ``table``'s pane (filled with this service's rows, if it was not) and no
        other, and focus its list."""
        self._active = table
        if table in self._unfilled:
            self._unfilled.discard(table)
            row = self._summary_row() if table == "actions" else None
            note = actions_note(row, long=True) if row else ""
            self.query_one(f"#{table}-list", ReportList).show(
                self._report_rows[table],
                self._checks.filter(pl.col("table") == table),
                self.session.config.badges,
                (HOME, self.service),
                note=note,
            )
        for pane in self.query(".tab-pane"):
            pane.display = pane.id in (f"tab-{table}", f"{table}-list")
        self.query_one("#tabs", TabBar).show(active=table)
        self._focus_tab(table)

    def export_frame(self) -> pl.DataFrame:
        """The active tab's rows as listed, every field typed, period and service first."""
        listing = self._report_list()
        rows = self.listed if listing is None else listing.listed
        first = ["period", "service", "ref", "indicator"]
        rest = [name for name in rows.columns if name not in first and not name.startswith("_")]
        return exported(rows, [*first, *rest])

    def export_name(self) -> str:
        return f"service-{self.service}-{self.active_tab()}"

    def active_tab(self) -> str:
        return self._active

    def _report_list(self) -> ReportList | None:
        tab = self.active_tab()
        return None if tab == "indicators" else self.query_one(f"#{tab}-list", ReportList)

    def action_show_tab(self, table: str) -> None:
        if table != self._active:
            self._switch_to(table)

    def _focus_tab(self, table: str) -> None:
        if table == "indicators":
            self.query_one("#indicators", RowTable).focus()
        else:
            self.query_one(f"#{table}-list", ReportList).table.focus()

    @on(TabBar.Chosen, "#tabs")
    def _tab_chosen(self, event: TabBar.Chosen) -> None:
        self.action_show_tab(event.tab)

    def open_report_place(self, table: str, source: str, line: int) -> None:
        """Show ``table``'s tab with the cursor on the row from ``source``:``line``."""
        self.action_show_tab(table)
        self.query_one(f"#{table}-list", ReportList).move_to(source, line)

    def open_place(self, source: str, line: int) -> None:
        """Put the cursor on the row from ``source``:``line`` and open it, clearing filters
        that hide it."""
        if (source, line) not in self._places():
            self.below_only, self.rating_filter, self.search_text = False, None, ""
            self.refresh_rows(keep_ref=False)
        self.query_one("#indicators", RowTable).move_cursor(self._places().index((source, line)))
        self.action_open()

    def _places(self) -> list[tuple[str, int]]:
        return list(zip(self.listed["source"], self.listed["source_line"], strict=True))

    def on_resize(self) -> None:
        if self._widths_shown and self._widths_shown != self._widths():
            self.refresh_rows()

    def _header(self) -> Text:
        summary = self.session.summary_for(self.period)
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
            rows = rows.filter(below_target_expr(self.session.config.below_target))
        if self.rating_filter == NOT_RATED:
            rows = rows.filter(pl.col("rag").is_null())
        elif self.rating_filter is not None:
            rows = rows.filter(pl.col("rag") == self.rating_filter)
        rows = search(rows, self.search_text)
        return rows.sort(SORTS[self.sort_column], descending=self.sort_descending, nulls_last=True)

    def refresh_rows(self, keep_ref: bool = True) -> None:
        """Filter, sort and show the rows again, the cursor staying on its indicator."""
        table = self.query_one("#indicators", RowTable)
        current = self.selected_row() if keep_ref else None
        self.listed = self.filtered()
        places = self._places()
        place = (current["source"], current["source_line"]) if current else None
        self._fill(table, places.index(place) if place in places else 0)
        # One line, always: no need to lay the screen out again.
        self.query_one("#filters", Static).update(self._filter_status(), layout=False)
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

    def _fewer_rows(self, widget: Static) -> Static:
        """The line saying why the list is shorter than the header's count; hidden when it
        is not."""
        note = self._fewer_rows_note()
        widget.update(Text(note, style="italic"))
        widget.display = bool(note)
        return widget

    def _fewer_rows_note(self) -> str:
        """Why the list is shorter than the header's count, when it is (most reports detail
        only the indicators below target), and where the header's rating counts are the
        report's and its rows rate otherwise, both."""
        row = self._summary_row()
        if row is None:
            return ""
        fewer = fewer_rows_note(row["reported"], self.rows.height, row["detailed_below"])
        ratings = ratings_note(row)
        return " ".join(
            part
            for part in (fewer, ratings[:1].upper() + ratings[1:] + "." * bool(ratings))
            if part
        )

    def _summary_row(self) -> dict[str, Any] | None:
        """The service's row of the period's summary (the header's counts)."""
        summary = self.session.summary_for(self.period)
        match = summary.filter(pl.col("service") == self.service)
        return match.row(0, named=True) if match.height else None

    def _widths(self) -> list[int]:
        """Fixed columns and the name; on a wide terminal results and targets widen too, as
        far as the service's longest ("15.0% (Spring 2016)"), the name keeping 60 cells."""
        widths = [width for _key, _label, width in COLUMNS]
        available = (self.size.width or self.app.size.width) - 1
        spare = max(available - sum(widths) - 60, 0)
        for key in ("result", "target"):
            lengths = self.rows[f"{key}_raw"].drop_nulls().str.len_chars().to_list()
            wanted = max(max(lengths, default=0) + 2 - widths[self.SORT_COLUMNS.index(key)], 0)
            widths[self.SORT_COLUMNS.index(key)] += min(spare // 2, wanted)
        widths[self.SORT_COLUMNS.index("indicator")] = max(available - sum(widths), 16)
        return widths

    def _fill(self, table: RowTable, cursor: int) -> None:
        colours = self.session.config.badges
        self._widths_shown = widths = self._widths()
        table.set_columns(
            Column(key, Text(f" {label}"), width, self.sort_arrow(key))
            for (key, label, _width), width in zip(COLUMNS, widths, strict=True)
        )
        rows = [
            (
                badge(row["rag"], colours),
                cell(row["ref"]),
                cell(row["indicator"]),
                cell(row["result_raw"] or "–"),
                cell(row["target_raw"] or "–"),
                Text(" ").append_text(dot(row["dot"])),
                cell(row["indicator_type"] or ""),
            )
            for row in self.listed.iter_rows(named=True)
        ]
        table.set_rows(rows, cursor)

    def selected_row(self) -> dict[str, Any] | None:
        if not self.listed.height:
            return None
        tables = self.query("#indicators")
        cursor = tables.first(RowTable).cursor_row if tables else 0
        return self.listed.row(min(cursor, self.listed.height - 1), named=True)

    def show_comment(self) -> None:
        """The selected row's comment, updated only when the row changes (an update lays
        the screen out again)."""
        row = self.selected_row()
        place = (row["source"], row["source_line"]) if row else None
        if place != self._comment_place or place is None:
            self._comment_place = place
            self.query_one("#comment", TextView).set_text(self._comment(row))

    def _comment(self, row: dict[str, Any] | None) -> Text:
        if row is None:
            return Text(self._empty(), style="dim")
        # The whole name first: names cut in the list ("Percentage of resident…") can
        # differ only in their last words.
        text = Text()
        text.append_text(plain(row["ref"], style="bold"))
        text.append(" ")
        text.append_text(plain(row["indicator"], style="bold"))
        text.append("\n")
        if row["comment"]:
            text.append_text(plain(row["comment"]))
        elif row["below_target"] and row["result_raw"] is None:
            text.append("Listed in the report as below target; it gives no figures.", style="dim")
        else:
            text.append("No comment in the report.", style="dim")
        return text

    def _empty(self) -> str:
        """What an empty indicator list judged: the report detailed none, or which filters
        kept none of how many."""
        service = literal(self.service)
        if not self.rows.height:
            return f"No indicators: the report details none for {service} in {self.period}."
        on = ["below target only"] * self.below_only
        rating = "not rated" if self.rating_filter == NOT_RATED else self.rating_filter
        on += [f"rating {rating}"] * (self.rating_filter is not None)
        on += [f"words “{literal(self.search_text)}”"] * bool(self.search_text)
        return f"None of {service}'s {self.rows.height} indicators match: {', '.join(on)}."

    @on(RowTable.Highlighted, "#indicators")
    def _highlighted(self) -> None:
        self.show_comment()

    # Actions ------------------------------------------------------------------------------

    def action_toggle_below(self) -> None:
        if (report := self._report_list()) is not None:
            report.action_toggle_attention()
            return
        self.below_only = not self.below_only
        self.refresh_rows()

    def sorted_table(self) -> RowTable:
        return self.query_one("#indicators", RowTable)

    def action_sort_step(self, step: int) -> None:
        if (report := self._report_list()) is not None:
            report.action_sort_step(step)
            return
        super().action_sort_step(step)

    def action_sort_reverse(self) -> None:
        if (report := self._report_list()) is not None:
            report.action_sort_reverse()
            return
        super().action_sort_reverse()

    def action_next_rating(self) -> None:
        if (report := self._report_list()) is not None:
            report.action_next_value()
            return
        index = RATING_FILTERS.index(self.rating_filter)
        self.rating_filter = RATING_FILTERS[(index + 1) % len(RATING_FILTERS)]
        self.refresh_rows()

    def _search_input(self) -> Input | None:
        found = self.query("#search")
        return found.first(Input) if found else None

    async def action_search(self) -> None:
        """Open the filter box (made only when wanted: a hidden one slows every screen)."""
        if (report := self._report_list()) is not None:
            await report.action_search()
            return
        search_input = self._search_input()
        if search_input is None:
            search_input = FilterBox(
                self.search_text,
                placeholder="Filter by ref, name or comment",
                id="search",
                on_change=self._filter_typed,
            )
            await self.mount(search_input, before="#indicators")
        search_input.focus()

    def _filter_typed(self, text: str) -> None:
        self.search_text = text
        self.refresh_rows()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one("#indicators", RowTable).focus()

    def action_back(self) -> None:
        search_input = self._search_input()
        if search_input is not None and search_input.has_focus:
            # Escape in the filter box clears it and returns to the list.
            self.search_text = ""
            search_input.remove()
            self.query_one("#indicators", RowTable).focus()
            self.refresh_rows()
            return
        self.app.pop_screen()

    def action_open(self) -> None:
        search_input = self._search_input()
        if search_input is not None and search_input.has_focus:
            self._search_done()
            return
        row = self.selected_row()
        if row is None:
            return
        table = self.query_one("#indicators", RowTable)

        def returned(index: int | None) -> None:
            if index is not None:
                table.move_cursor(index)

        self.post_message(ShowIndicators(self.service, self.listed, table.cursor_row, returned))

    @on(RowTable.Selected, "#indicators")
    def _row_selected(self) -> None:
        self.action_open()
