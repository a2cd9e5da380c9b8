"""What the explorer's screens share: the app they present, and sorting one table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import events, on
from textual.binding import Binding, BindingType
from textual.screen import Screen

from barnet_tui.tui.screens.export import ExportDialog, TableExport
from barnet_tui.tui.widgets.row_table import RowTable

if TYPE_CHECKING:
    from barnet_tui.tui.app import BarnetApp


Result = TypeVar("Result")


class BarnetScreen(Screen[Result]):
    """A screen of the explorer, with typed access to the app's dataset and config."""

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

    @property
    def barnet(self) -> BarnetApp:
        return self.app  # type: ignore[return-value]

    def reload_data(self) -> None:
        """Show the app's dataset again after a reload, keeping the user's place (the
        period, the item under the cursor, filters and sort); screens that show data say
        how."""

    def export_name(self) -> str:
        """What the view is called in an export's file name."""
        return type(self).__name__.removesuffix("Screen").lower()

    def table_export(self) -> TableExport | None:
        """The table the user is looking at (the focused one, else the first shown), as
        plain text in its sort and filter; None when the screen has no table."""
        focused = self.focused
        tables = [focused] if isinstance(focused, RowTable) else []
        tables += [table for table in self.query(RowTable) if table.display]
        if not tables:
            return None
        table = tables[0]
        headers = [_without_sort_arrow(column.label.plain) for column in table.columns]
        rows = [[cell.plain.strip() for cell in row] for row in table.rows]
        return TableExport(self.export_name(), self.barnet.period, headers, rows)

    def action_export(self) -> None:
        """``x``: the table on screen to CSV, XLSX or Markdown."""
        table = self.table_export()
        if table is None:
            self.notify("Nothing to export here.", markup=False)
            return

        def written(path: Path | None) -> None:
            if path is not None:
                self.notify(f"Wrote {len(table.rows)} rows to {path}", markup=False)

        self.app.push_screen(ExportDialog(table), written)


def _without_sort_arrow(label: str) -> str:
    """A column's name as exported: the arrow that marks the sort (after the name, or
    before it on a right-aligned column) is the screen's, not the data's."""
    return " ".join(label.replace("▲", " ").replace("▼", " ").split())


class SortedTableScreen(BarnetScreen[None]):
    """A screen around one table sortable by any column: ``s`` next column, ``S`` reverse,
    or a click on a column header."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sort_next", "Sort"),
        Binding("S", "sort_reverse", "Reverse sort", show=False),
        Binding("x", "export", "Export"),
    ]
    SORT_COLUMNS: ClassVar[tuple[str, ...]] = ()
    DESCENDING_FIRST: ClassVar[frozenset[str]] = frozenset()
    """Columns whose first sort is biggest first (counts); the rest start A to Z."""

    sort_column: str
    sort_descending: bool = False

    def refresh_rows(self) -> None:
        """Show the rows again in the current sort; each screen says how."""

    def sort_arrow(self, key: str) -> str:
        if key != self.sort_column:
            return ""
        return "▼" if self.sort_descending else "▲"

    def sort_by(self, key: str) -> None:
        if key == self.sort_column:
            self.sort_descending = not self.sort_descending
        else:
            self.sort_column, self.sort_descending = key, key in self.DESCENDING_FIRST
        self.refresh_rows()

    def sort_columns(self) -> tuple[str, ...]:
        """The columns ``s`` steps through (those on screen)."""
        return self.SORT_COLUMNS

    def action_sort_next(self) -> None:
        keys = self.sort_columns()
        self.sort_column = keys[(keys.index(self.sort_column) + 1) % len(keys)]
        self.sort_descending = self.sort_column in self.DESCENDING_FIRST
        self.refresh_rows()

    def action_sort_reverse(self) -> None:
        self.sort_by(self.sort_column)

    @on(RowTable.HeaderSelected)
    def _header_selected(self, event: RowTable.HeaderSelected) -> None:
        self.sort_by(event.key)
