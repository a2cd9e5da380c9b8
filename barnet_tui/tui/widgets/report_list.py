"""A tab of the service screen: its indicators, key actions, finance lines or risks.

Every tab keeps the same conventions: ``b`` keeps what needs attention, ``f`` steps through
a rating (or kind), ``|`` filters by words (``/`` searches, as in every list), ``<`` / ``>``
or a header click sorts, and Enter opens the row. The rows, filters and sort are a
``ListModel``; the tab's ``ReportView`` says what its columns, cells and detail are. Where
a report's own figures disagree, the tab says so above the rows (``w`` shows them all) and
under the row concerned. What only the app does (open a screen) is a message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from barnet_tui.domain.describe import cited
from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.queries import about_line, blank_columns, no_rows
from barnet_tui.domain.report_tables import heat_map, with_disputed, with_placed_impact
from barnet_tui.tui.list_model import ListModel
from barnet_tui.tui.messages import ShowIndicators, ShowRecord
from barnet_tui.tui.render import plain
from barnet_tui.tui.report_views import ReportView
from barnet_tui.tui.widgets.filter_box import FilterBox
from barnet_tui.tui.widgets.heat_map import HeatMap
from barnet_tui.tui.widgets.key_hints import key_for
from barnet_tui.tui.widgets.row_table import SORT_BINDINGS, Column, LazyRows, RowTable
from barnet_tui.tui.widgets.text_view import TextView

if TYPE_CHECKING:
    import polars as pl


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
    ReportList.report-table > .report-status { height: 1; padding: 0 1; color: $text-muted; }
    ReportList > .report-checks { height: auto; max-height: 2; padding: 0 1; }
    ReportList.report-table > .report-note { height: auto; max-height: 3; padding: 0 1; }
    ReportList > .report-checks.expanded { max-height: 12; }
    ReportList.warnings-open > Horizontal { display: none; }
    ReportList > Horizontal { height: 8; border-top: solid $primary-darken-2; }
    ReportList.report-table .report-detail { width: 1fr; height: 8; padding: 0 1; }
    ReportList > Input { height: 3; }  /* no side margin: see #search in app.tcss */
    """

    def __init__(self, view: ReportView, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.view = view
        self.model = ListModel(view.rules)
        self.disagreements = no_rows()
        self.colours: dict[str, str] = {}
        self.crumbs: tuple[str, ...] = ()
        """Where the rows are (Corporate, the service): the record screen continues it."""
        self.period = ""
        self._widths_shown: list[int] = []
        self._detail_shown: tuple[object, ...] | None = None
        if view.report_checks:
            self.add_class("report-table")

    def compose(self) -> ComposeResult:
        ids = self.view.ids
        yield Static(id=ids.note, classes="report-note")
        yield Static(id=ids.status, classes="report-status")
        yield Static(classes="report-checks")
        yield RowTable(id=ids.table or f"{self.view.table}-rows")
        if not self.view.report_checks:
            yield TextView(id=ids.detail, classes="report-detail")
            return
        with Horizontal():
            if self.view.table == "risks":
                yield HeatMap(id="heat-map")
            yield TextView(id=ids.detail, classes="report-detail")

    @property
    def table(self) -> RowTable:
        return self.query_one(RowTable)

    @property
    def listed(self) -> pl.DataFrame:
        """The rows shown, in their filter and sort."""
        return self.model.listed

    def show(
        self,
        rows: pl.DataFrame,
        disagreements: pl.DataFrame,
        colours: dict[str, str],
        crumbs: tuple[str, ...],
        note: str = "",
        period: str = "",
        attention_only: bool = False,
    ) -> None:
        """New rows (a service's, for a period), every filter back to its default (``b``
        on, if asked); ``note`` above them says how a count shown elsewhere relates to
        them."""
        self.disagreements, self.colours = disagreements, colours
        self.crumbs, self.period = crumbs, period
        if self.view.report_checks:
            rows = with_disputed(rows, disagreements)
        if self.view.table == "risks":
            rows = with_placed_impact(rows)
            self.query_one(HeatMap).show(*heat_map(rows), int(rows["impact_derived"].sum()))
        self.model.show(rows, attention_only)
        self._close_filter_box()
        self.show_note(note)
        checks = self.query_one(".report-checks", Static)
        checks.update(self._checks())
        checks.display = bool(self.disagreements.height)
        self.refresh_rows(keep=False)

    def reload(self, rows: pl.DataFrame, note: str = "") -> None:
        """The same list read again (a newer dataset): filters, sort and the row under the
        cursor kept, found by its id where its line moved."""
        current = self.selected_row()
        self.model.keep_rows(rows)
        self._detail_shown = None  # the same row may say something else now
        self.show_note(note)
        self.refresh_rows()
        if current is not None:
            column = self.view.id_column
            index = self.model.index_of(column, current[column])
            if index is not None:
                self.table.move_cursor(index)

    def show_note(self, note: str) -> None:
        shown = self.query_one(".report-note", Static)
        shown.update(Text(note, style="italic"))
        shown.display = bool(note)

    # Rows ---------------------------------------------------------------------------------

    def refresh_rows(self, keep: bool = True) -> None:
        """Show the model's rows again, the cursor staying on its row (``keep``) or on
        the first."""
        current = self.selected_row() if keep else None
        model = self.model
        cursor = 0
        if current is not None:
            cursor = model.place_of(current["source"], current["source_line"]) or 0
        self._widths_shown = widths = self._widths()
        table = self.table
        table.set_columns(
            Column(key, Text(f" {label}"), width, self._arrow(key))
            for (key, label, _width), width in zip(self.view.columns, widths, strict=True)
        )
        # Rows are made as they show (a page, not the list); ``/`` reads their words only
        # when it searches.
        rows = LazyRows(
            model.count, lambda index: self._cells(model.page(index, 1)[0]), self._words
        )
        table.set_rows(rows, cursor, self._blank_columns())
        self.query_one(".report-status", Static).update(self._status(), layout=False)
        self.show_detail()

    def _words(self) -> list[str]:
        """Each row's cells as shown, for ``/`` to search (a match is within one cell)."""
        return [
            "\n".join(shown.plain for shown in self._cells(row))
            for row in self.model.page(0, self.model.count)
        ]

    def _blank_columns(self) -> list[int]:
        """The columns with nothing to show in any row listed."""
        listed = self.model.listed
        if listed.is_empty():
            return []
        keys = [key for key, _label, _width in self.view.columns]
        return [keys.index(key) for key in blank_columns(listed, self.view.blank_when_empty)]

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

    def _widths(self) -> list[int]:
        width = self.size.width or self.app.size.width
        return self.view.widths(self.view.columns, width, self.model.rows)

    def on_resize(self) -> None:
        if self.model.rows.width and self._widths() != self._widths_shown:
            self.refresh_rows()

    def _arrow(self, key: str) -> str:
        if key != self.model.sort_column:
            return ""
        return "▼" if self.model.sort_descending else "▲"

    def _status(self) -> Text:
        model, view = self.model, self.view
        text = Text()
        text.append(f"Showing {model.count} of {model.total}", style="bold")
        text.append(f" · {view.attention_label} only: ")
        on = model.attention_only
        text.append("ON" if on else "off", style="bold reverse" if on else "")
        text.append(f" · {view.cycle_label}: {view.cycle_words(model.cycle_value)}")
        if model.search_text:
            text.append(" · filter: ")
            text.append_text(plain(model.search_text, style="bold"))
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
        cursor = self.table.cursor_row if self.is_mounted else 0
        return self.model.row(cursor)

    def row_disagreements(self, row: dict[str, Any]) -> list[str]:
        """Disagreements on the row's own line, or that name it ("the table (line 105)")."""
        if self.disagreements.is_empty():
            return []
        return about_line(self.disagreements, row["source"], row["source_line"])

    def detail(self, row: dict[str, Any] | None) -> Text:
        if row is None:
            return Text(self.empty(), style="dim")
        text = self.view.detail(row)
        if not self.view.report_checks:
            return text
        for message in self.row_disagreements(row):
            text.append("\n! ", style="bold red")
            text.append_text(plain(message, style="red"))
        text.append(f"\n{cited(row)}", style="dim")
        return text

    def empty(self) -> str:
        """What an empty list judged: the report gave none, or which filters kept none of
        how many rows."""
        service = literal(self.crumbs[-1]) if self.crumbs else "this service"
        view, total = self.view, self.model.total
        if not total:
            return view.nothing.format(noun=view.noun, service=service, period=self.period)
        on = self.model.filters(view.cycle_label, view.attention_label)
        return f"None of {service}'s {total} {view.noun} match: {', '.join(on)}."

    def show_detail(self) -> None:
        """The selected row's detail, drawn again only when it changes (new text lays the
        screen out again)."""
        row = self.selected_row()
        place = (row["source"], row["source_line"]) if row else None
        shown = (place, None if row else self.empty())
        if shown != self._detail_shown:
            self._detail_shown = shown
            self.query_one(".report-detail", TextView).set_text(self.detail(row))

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
        self.model.sort_by(event.key)
        self.refresh_rows(keep=False)

    # Actions ------------------------------------------------------------------------------

    def action_sort_step(self, step: int) -> None:
        """The column to the left or right of the one sorted by, as shown."""
        self.model.sort_step([key for key, _label, _width in self.view.columns], step)
        self.refresh_rows(keep=False)

    def action_sort_reverse(self) -> None:
        self.model.sort_by(self.model.sort_column)
        self.refresh_rows(keep=False)

    def action_toggle_warnings(self) -> None:
        """``w``: every disagreement of the report's own figures, or the first only."""
        checks = self.query_one(".report-checks", Static)
        checks.toggle_class("expanded")
        self.set_class(checks.has_class("expanded"), "warnings-open")  # room for them
        checks.update(self._checks())

    def describe_binding(self, binding: Binding) -> str | None:
        """``b`` and ``f`` in this table's words, as its status line says them."""
        if binding.action == "toggle_attention":
            return self.view.attention_label.capitalize()
        if binding.action == "next_value":
            return self.view.cycle_label.capitalize()
        return None

    def action_toggle_attention(self) -> None:
        self.model.toggle_attention()
        self.refresh_rows()

    def action_next_value(self) -> None:
        self.model.next_value()
        self.refresh_rows()

    def _filter_box(self) -> Input | None:
        """The word filter's box (not the list's search box), when open."""
        found = self.query(FilterBox)
        return found.first(FilterBox) if found else None

    def _close_filter_box(self) -> None:
        box = self._filter_box()
        if box is not None:
            box.remove()

    async def action_search(self) -> None:
        """``|``: the words filter's box above the rows (made only when wanted: a hidden
        one slows every screen)."""
        box = self._filter_box()
        if box is None:
            box = FilterBox(
                self.model.search_text,
                placeholder=self.view.placeholder or f"Filter {self.view.noun} by words",
                id=self.view.ids.search or f"{self.view.table}-search",
                on_change=self._filter_typed,
            )
            await self.mount(box, before=self.table)
        box.focus()

    def _filter_typed(self, text: str) -> None:
        self.model.set_search(text)
        self.refresh_rows()

    @on(Input.Submitted)
    def _search_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    def action_back(self) -> None:
        """Escape in the filter box clears it and returns to the rows; elsewhere, it is the
        screen's."""
        box = self._filter_box()
        if box is None or not box.has_focus:
            raise SkipAction
        box.remove()
        self.table.focus()
        self.model.set_search("")
        self.refresh_rows()

    def action_open(self) -> None:
        """The row whole: an indicator with its history, any other row on its own
        screen."""
        row = self.selected_row()
        if row is None:
            return
        if self.view.opens == "record":
            crumbs = (*self.crumbs, row[self.view.id_column] or self.view.noun)
            self.post_message(ShowRecord(crumbs, self.detail(row)))
            return
        table = self.table

        def returned(index: int | None) -> None:
            if index is not None:
                table.move_cursor(index)

        service = self.crumbs[-1]
        self.post_message(ShowIndicators(service, self.listed, table.cursor_row, returned))

    def move_to(self, source: str, line: int) -> bool:
        """Put the cursor on the row from ``source``:``line``, clearing filters that hide it."""
        if self.model.place_of(source, line) is None:
            self.model.clear_filters()
            self.refresh_rows(keep=False)
        index = self.model.place_of(source, line)
        if index is None:
            return False
        self.table.move_cursor(index)
        return True
