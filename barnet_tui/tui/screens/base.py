"""What the explorer's screens share: the session they present, and sorting one table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import events, on
from textual.binding import Binding, BindingType
from textual.screen import Screen

from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.queries import columns_present
from barnet_tui.output.export import Cell
from barnet_tui.tui.list_model import ListModel, ListRules
from barnet_tui.tui.screens.export import ExportDialog, TableExport
from barnet_tui.tui.session import Session
from barnet_tui.tui.widgets.row_table import SORT_BINDINGS, RowTable

if TYPE_CHECKING:  # frames are only typed here: the domain builds them
    import polars as pl

Result = TypeVar("Result")


class BarnetScreen(Screen[Result]):
    """A screen of the explorer: it reads the session it is given and posts Messages
    (``tui.messages``) for what only the app does, such as opening another screen."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    _styled_theme: str | None = None
    """The theme the screen's widgets were last styled in."""

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Shown again (the service and indicator screens are built once and reused), the
        screen restyles its widgets only if the theme changed meanwhile: restyling every
        widget was most of the time it took to open a service. (Textual calls this before
        ``Screen``'s own handler, which reads ``refresh_styles``; a class or focus that
        changes restyles its own widget when it changes.)"""
        theme = self.app.theme
        event.refresh_styles = event.refresh_styles and theme != self._styled_theme
        self._styled_theme = theme

    def reload_data(self) -> None:
        """Show the app's dataset again after a reload, keeping the user's place (the
        period, the item under the cursor, filters and sort); screens that show data say
        how."""

    def export_name(self) -> str:
        """What the view is called in an export's file name."""
        return type(self).__name__.removesuffix("Screen").lower()

    def export_frame(self) -> pl.DataFrame | None:
        """The rows the user is looking at, in their sort and filter, as typed values with
        their period and what each is; None where a screen shows only text."""
        return None

    def table_export(self) -> TableExport | None:
        """The table the user is looking at (the focused one, else the first shown): its
        rows typed where the screen has them (``export_frame``), else as plain text in its
        sort and filter; None when the screen has no table."""
        frame = self.export_frame()
        if frame is not None:
            return TableExport(
                self.export_name(), self.session.period, frame.columns, typed_rows(frame)
            )
        focused = self.focused
        tables = [focused] if isinstance(focused, RowTable) else []
        tables += [table for table in self.query(RowTable) if table.display]
        if not tables:
            return None
        table = tables[0]
        headers = [" ".join(column.label.plain.split()) for column in table.columns]
        rows: list[list[Cell]] = [
            [cell.plain.strip().replace("\u2212", "-") for cell in row] for row in table.rows
        ]
        return TableExport(self.export_name(), self.session.period, headers, rows)

    def action_export(self) -> None:
        """``x``: the table on screen to CSV, XLSX or Markdown."""
        table = self.table_export()
        if table is None:
            self.notify("Nothing to export here.", markup=False)
            return

        def written(where: str | None) -> None:
            if where is not None:
                self.notify(f"Wrote {len(table.rows)} rows to {literal(where)}", markup=False)

        self.app.push_screen(ExportDialog(table), written)


def typed_rows(frame: pl.DataFrame) -> list[list[Cell]]:
    """A frame's rows as export cells: its numbers, booleans and text as they are."""
    return [list(row) for row in frame.iter_rows()]


def exported(frame: pl.DataFrame, columns: Sequence[str]) -> pl.DataFrame:
    """``columns`` of ``frame`` that it has, in that order: what an export carries."""
    return columns_present(frame, columns)


class SortedTableScreen(BarnetScreen[None]):
    """A screen around one table sortable by any column: ``<`` / ``>`` (or ``s``) sort by
    the column to the left or right, ``S`` reverses, a click on a header sorts by it. After
    a sort the cursor is on the first row, so Enter opens the first of the new order. The
    rows, their filter and their sort are the screen's ``model``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *SORT_BINDINGS,
        Binding("x", "export", "Export", id="export"),
    ]

    def __init__(self, session: Session, rules: ListRules) -> None:
        super().__init__(session)
        self.model = ListModel(rules)

    def refresh_rows(self) -> None:
        """Show the rows again in the current sort; each screen says how."""

    def sorted_table(self) -> RowTable:
        """The table the sort keys sort."""
        return self.query_one(RowTable)

    def sort_arrow(self, key: str) -> str:
        if key != self.model.sort_column:
            return ""
        return "▼" if self.model.sort_descending else "▲"

    def _sorted(self) -> None:
        self.refresh_rows()
        self.sorted_table().move_cursor(0)

    def sort_by(self, key: str) -> None:
        self.model.sort_by(key)
        self._sorted()

    def sort_columns(self) -> tuple[str, ...]:
        """The columns the sort keys step through (those on screen, left to right)."""
        return tuple(self.model.rules.sorts)

    def action_sort_step(self, step: int) -> None:
        self.model.sort_step(self.sort_columns(), step)
        self._sorted()

    def action_sort_reverse(self) -> None:
        self.sort_by(self.model.sort_column)

    @on(RowTable.HeaderSelected)
    def _header_selected(self, event: RowTable.HeaderSelected) -> None:
        self.sort_by(event.key)
