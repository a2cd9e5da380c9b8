"""One of the service screen's other tabs: key actions, finance lines or risks.

The same conventions as the indicator list: ``b`` keeps what needs attention, ``f`` steps
through a rating (or kind), ``|`` filters by words (``/`` searches, as in every list), ``<``
/ ``>`` or a header click sorts, and Enter opens the row whole. Where the report's own
figures disagree, the tab says so above the rows (``w`` shows them all) and under the row
concerned.
"""

from __future__ import annotations

from typing import Any, ClassVar

import polars as pl
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from barnet_tui.domain.describe import cited
from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.queries import search
from barnet_tui.domain.report_tables import heat_map, with_disputed, with_placed_impact
from barnet_tui.tui.render import plain
from barnet_tui.tui.report_views import DESCENDING_FIRST, ReportView
from barnet_tui.tui.screens.record import RecordScreen
from barnet_tui.tui.widgets.filter_box import FilterBox
from barnet_tui.tui.widgets.heat_map import HeatMap
from barnet_tui.tui.widgets.key_hints import key_for
from barnet_tui.tui.widgets.row_table import SORT_BINDINGS, Column, RowTable
from barnet_tui.tui.widgets.text_view import TextView

NOT_RATED = "-"


class ReportList(Vertical):
    """Rows of one table for one service and period, with filters, sort and detail."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "toggle_attention", "Needs attention", id="filter.attention"),
        Binding("f", "next_value", "Rating", id="filter.cycle"),
        Binding("vertical_line", "search", "Filter", id="filter.words"),
        *SORT_BINDINGS,
        Binding("escape", "back", "Back", show=False, id="back"),
        Binding("w", "toggle_warnings", "All warnings", show=False, id="warnings.expand"),
    ]
    DEFAULT_CSS = """
    ReportList { height: 1fr; }
    ReportList > .report-status { height: 1; padding: 0 1; color: $text-muted; }
    ReportList > .report-checks { height: auto; max-height: 2; padding: 0 1; }
    ReportList > .report-note { height: auto; max-height: 3; padding: 0 1; }
    ReportList > .report-checks.expanded { max-height: 12; }
    ReportList.warnings-open > Horizontal { display: none; }
    ReportList > Horizontal { height: 8; border-top: solid $primary-darken-2; }
    ReportList .report-detail { width: 1fr; height: 8; padding: 0 1; }
    ReportList > Input { height: 3; }  /* no side margin: see #search in app.tcss */
    """

    def __init__(self, view: ReportView, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.view = view
        self.rows = pl.DataFrame()
        self.listed = pl.DataFrame()
        self.disagreements = pl.DataFrame()
        self.attention_only = False
        self.cycle_value: str | None = None
        self.search_text = ""
        self.sort_column, self.sort_descending = (
            view.default_sort,
            view.default_sort in DESCENDING_FIRST,
        )
        self.colours: dict[str, str] = {}
        self.crumbs: tuple[str, ...] = ()
        """Where the rows are (Corporate, the service): the record screen continues it."""

    def compose(self) -> ComposeResult:
        yield Static(classes="report-note")
        yield Static(classes="report-status")
        yield Static(classes="report-checks")
        yield RowTable(id=f"{self.view.table}-rows")
        with Horizontal():
            if self.view.table == "risks":
                yield HeatMap(id="heat-map")
            yield TextView(classes="report-detail")

    @property
    def table(self) -> RowTable:
        return self.query_one(RowTable)

    def show(
        self,
        rows: pl.DataFrame,
        disagreements: pl.DataFrame,
        colours: dict[str, str],
        crumbs: tuple[str, ...],
        note: str = "",
    ) -> None:
        """New rows (a service's, for a period), every filter back to its default; ``note``
        above them says how a count shown elsewhere relates to them."""
        self.rows = with_disputed(rows, disagreements)
        self.disagreements, self.colours = disagreements, colours
        self.crumbs = crumbs
        self.attention_only, self.cycle_value, self.search_text = False, None, ""
        self.sort_column = self.view.default_sort
        self.sort_descending = self.sort_column in DESCENDING_FIRST
        for found in self.query(Input):
            found.remove()
        if self.view.table == "risks":
            self.rows = with_placed_impact(self.rows)
            derived = int(self.rows["impact_derived"].sum())
            self.query_one(HeatMap).show(*heat_map(rows), derived)
        shown = self.query_one(".report-note", Static)
        shown.update(Text(note, style="italic"))
        shown.display = bool(note)
        checks = self.query_one(".report-checks", Static)
        checks.update(self._checks())
        checks.display = bool(self.disagreements.height)
        self.refresh_rows(keep=False)

    # Filters and sort ---------------------------------------------------------------------

    def filtered(self) -> pl.DataFrame:
        rows = self.rows
        if rows.is_empty():
            return rows
        if self.attention_only:
            rows = rows.filter(self.view.attention[1].fill_null(False))
        _label, column, _values = self.view.cycle
        if self.cycle_value == NOT_RATED:
            rows = rows.filter(pl.col(column).is_null())
        elif self.cycle_value is not None:
            rows = rows.filter(pl.col(column) == self.cycle_value)
        rows = search(rows, self.search_text, self.view.search)
        order = self.view.sorts[self.sort_column]
        return rows.sort(order, descending=self.sort_descending, nulls_last=True)

    def refresh_rows(self, keep: bool = True) -> None:
        current = self.selected_row() if keep else None
        self.listed = self.filtered()
        places = self._places()
        place = (current["source"], current["source_line"]) if current else None
        cursor = places.index(place) if place in places else 0
        table = self.table
        widths = self._widths()
        table.set_columns(
            Column(key, Text(f" {label}"), width, self._arrow(key))
            for (key, label, _width), width in zip(self.view.columns, widths, strict=True)
        )
        table.set_rows([self._cells(row) for row in self.listed.iter_rows(named=True)], cursor)
        self.query_one(".report-status", Static).update(self._status(), layout=False)
        self.show_detail()

    def _cells(self, row: dict[str, Any]) -> list[Text]:
        """The view's cells; a row the report disputes starts its words with ≠."""
        cells = list(self.view.cells(row, self.colours))
        if row.get("disputed"):
            words = [width for _key, _label, width in self.view.columns].index(0)
            shown = cells[words]
            lead = len(shown.plain) - len(shown.plain.lstrip(" "))
            cells[words] = Text.assemble(
                shown[:lead], Text("≠ ", style="bold red"), shown[lead:], justify=shown.justify
            )
        return cells

    def _places(self) -> list[tuple[str, int]]:
        if self.listed.is_empty():
            return []
        return list(zip(self.listed["source"], self.listed["source_line"], strict=True))

    def _widths(self) -> list[int]:
        widths = [width for _key, _label, width in self.view.columns]
        available = (self.size.width or self.app.size.width) - 2  # the scrollbar
        flexible = widths.index(0)
        widths[flexible] = max(available - sum(widths), 12)
        return widths

    def on_resize(self) -> None:
        if self.rows.width:
            self.refresh_rows()

    def _arrow(self, key: str) -> str:
        if key != self.sort_column:
            return ""
        return "▼" if self.sort_descending else "▲"

    def _status(self) -> Text:
        label, _column, _values = self.view.cycle
        text = Text()
        text.append(f"Showing {self.listed.height} of {self.rows.height}", style="bold")
        text.append(f" · {self.view.attention[0]} only: ")
        text.append(
            "ON" if self.attention_only else "off",
            style="bold reverse" if self.attention_only else "",
        )
        text.append(f" · {label}: {self.cycle_value or 'all'}")
        if self.search_text:
            text.append(" · filter: ")
            text.append_text(plain(self.search_text, style="bold"))
        return text

    def _checks(self) -> Text:
        """The report's own figures that disagree, in this tab's table."""
        count = self.disagreements.height
        if not count:
            return Text()
        expanded = self.query_one(".report-checks").has_class("expanded")
        text = Text(
            f"! {count} of the report's own figures disagree (rows marked ≠)", style="bold red"
        )
        if count > 1:
            key = key_for(self, "warnings.expand")
            text.append(f" · {key}: fewer" if expanded else f" · {key} shows all {count}", "dim")
        messages = self.disagreements["message"].to_list()
        for message in messages if expanded else messages[:1]:
            text.append("\n• ")
            text.append_text(plain(message))
        return text

    # Selection and detail -----------------------------------------------------------------

    def selected_row(self) -> dict[str, Any] | None:
        if self.listed.is_empty():
            return None
        cursor = self.table.cursor_row if self.is_mounted else 0
        return self.listed.row(min(cursor, self.listed.height - 1), named=True)

    def row_disagreements(self, row: dict[str, Any]) -> list[str]:
        """Disagreements on the row's own line, or that name it ("the table (line 105)")."""
        if self.disagreements.is_empty():
            return []
        line = row["source_line"]
        mine = self.disagreements.filter(
            (pl.col("source") == row["source"])
            & (
                (pl.col("line") == line)
                | pl.col("message").str.contains(f"(line {line})", literal=True)
            )
        )
        return mine["message"].to_list()

    def detail(self, row: dict[str, Any] | None) -> Text:
        if row is None:
            return Text(self.empty(), style="dim")
        text = self.view.detail(row)
        for message in self.row_disagreements(row):
            text.append("\n! ", style="bold red")
            text.append_text(plain(message, style="red"))
        text.append(f"\n{cited(row)}", style="dim")
        return text

    def empty(self) -> str:
        """What an empty list judged: the report gave none, or which filters kept none of
        how many rows."""
        service = literal(self.crumbs[-1]) if self.crumbs else "this service"
        if self.rows.is_empty():
            return f"No {self.view.noun}: the report gives none for {service} in this period."
        return (
            f"None of {service}'s {self.rows.height} {self.view.noun} match: "
            f"{', '.join(self.filters())}."
        )

    def filters(self) -> list[str]:
        """The filters on, in words."""
        label, _column, _values = self.view.cycle
        on = [f"{self.view.attention[0]} only"] * self.attention_only
        on += [f"{label} {self.cycle_value}"] * (self.cycle_value is not None)
        on += [f"words “{literal(self.search_text)}”"] * bool(self.search_text)
        return on

    def show_detail(self) -> None:
        self.query_one(".report-detail", TextView).set_text(self.detail(self.selected_row()))

    @on(RowTable.Highlighted)
    def _highlighted(self, event: RowTable.Highlighted) -> None:
        event.stop()
        self.show_detail()

    @on(RowTable.Selected)
    def _selected(self, event: RowTable.Selected) -> None:
        event.stop()
        self.action_open()

    @on(RowTable.HeaderSelected)
    def _header(self, event: RowTable.HeaderSelected) -> None:
        event.stop()
        self.sort_by(event.key)

    # Actions ------------------------------------------------------------------------------

    def sort_by(self, key: str) -> None:
        """Sort by ``key`` (again: the other way); the cursor on the first row."""
        if key == self.sort_column:
            self.sort_descending = not self.sort_descending
        else:
            self.sort_column, self.sort_descending = key, key in DESCENDING_FIRST
        self.refresh_rows(keep=False)

    def action_sort_step(self, step: int) -> None:
        """The column to the left or right of the one sorted by, as shown."""
        keys = [key for key, _label, _width in self.view.columns if key in self.view.sorts]
        self.sort_column = keys[(keys.index(self.sort_column) + step) % len(keys)]
        self.sort_descending = self.sort_column in DESCENDING_FIRST
        self.refresh_rows(keep=False)

    def action_sort_reverse(self) -> None:
        self.sort_by(self.sort_column)

    def action_toggle_warnings(self) -> None:
        """``w``: every disagreement of the report's own figures, or the first only."""
        checks = self.query_one(".report-checks", Static)
        checks.toggle_class("expanded")
        self.set_class(checks.has_class("expanded"), "warnings-open")  # room for them
        checks.update(self._checks())

    def describe_binding(self, binding: Binding) -> str | None:
        """``b`` and ``f`` in this table's words, as its status line says them."""
        if binding.action == "toggle_attention":
            return self.view.attention[0].capitalize()
        if binding.action == "next_value":
            return self.view.cycle[0].capitalize()
        return None

    def action_toggle_attention(self) -> None:
        self.attention_only = not self.attention_only
        self.refresh_rows()

    def action_next_value(self) -> None:
        values = self.view.cycle[2]
        self.cycle_value = values[(values.index(self.cycle_value) + 1) % len(values)]
        self.refresh_rows()

    def _search_input(self) -> Input | None:
        """The word filter's box (not the list's search box), when open."""
        found = self.query(f"#{self.view.table}-search")
        return found.first(Input) if found else None

    async def action_search(self) -> None:
        search_input = self._search_input()
        if search_input is None:
            search_input = FilterBox(
                self.search_text,
                placeholder=f"Filter {self.view.noun} by words",
                id=f"{self.view.table}-search",
                on_change=self._filter_typed,
            )
            await self.mount(search_input, before=self.table)
        search_input.focus()

    def _filter_typed(self, text: str) -> None:
        self.search_text = text
        self.refresh_rows()

    @on(Input.Submitted)
    def _search_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    def action_back(self) -> None:
        search_input = self._search_input()
        if search_input is not None and search_input.has_focus:
            self.search_text = ""
            search_input.remove()
            self.table.focus()
            self.refresh_rows()
            return
        self.screen.action_back()  # type: ignore[attr-defined]

    def action_open(self) -> None:
        """The whole row, on its own screen."""
        row = self.selected_row()
        if row is not None:
            crumbs = (*self.crumbs, row[self.view.id_column] or self.view.noun)
            self.app.push_screen(RecordScreen(crumbs, self.detail(row)))

    def move_to(self, source: str, line: int) -> bool:
        """Put the cursor on the row from ``source``:``line``, clearing filters that hide it."""
        if (source, line) not in self._places():
            self.attention_only, self.cycle_value, self.search_text = False, None, ""
            self.refresh_rows(keep=False)
        places = self._places()
        if (source, line) not in places:
            return False
        self.table.move_cursor(places.index((source, line)))
        return True
