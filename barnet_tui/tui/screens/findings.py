"""A list of findings about indicators (what changed, what the RAG rule says), each row
opening its indicator: the shape the changes and audit screens share."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from barnet_tui.domain.queries import with_period
from barnet_tui.tui.list_model import ListRules, column_sorts
from barnet_tui.tui.messages import OpenIndicator
from barnet_tui.tui.reads import reads_dataset
from barnet_tui.tui.render import row_words
from barnet_tui.tui.screens.base import SortedTableScreen, exported
from barnet_tui.tui.session import Session
from barnet_tui.tui.widgets.breadcrumbs import Breadcrumbs
from barnet_tui.tui.widgets.key_hints import KeyHints, key_for
from barnet_tui.tui.widgets.row_table import Column, LazyRows, RowTable

HOME = "Corporate"
_ROOMY = 60
"""Cells of the free column beyond which the service column takes the extra room."""
_WIDEST_SERVICE = 34

if TYPE_CHECKING:
    import polars as pl


class FindingColumn(NamedTuple):
    key: str
    """Also what the sort keys sort on: a column of the findings frame."""
    label: str
    width: int
    """0: the rest of the line."""
    cell: Callable[[dict[str, Any]], Text]


class FindingsScreen(SortedTableScreen):
    """Findings for one period; ``b`` narrows to those that need attention; Enter opens the
    indicator a finding is about, with its history."""

    AUTO_FOCUS = "#findings"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "toggle_attention", "Needs attention", id="filter.attention"),
        Binding("escape", "back", "Back", id="back"),
    ]
    CRUMB: ClassVar[str] = ""
    COLUMNS: ClassVar[tuple[FindingColumn, ...]] = ()
    ATTENTION: ClassVar[str] = ""
    """What ``b`` keeps, in words ("worse only")."""

    def __init__(self, session: Session, period: str) -> None:
        rules = ListRules(
            sorts=column_sorts(column.key for column in self.COLUMNS),
            default_sort=self.COLUMNS[0].key,
            attention=self.attention(),
            loaded_order=True,
        )
        super().__init__(session, rules)
        self.period = period

    @property
    def findings(self) -> pl.DataFrame:
        """Every finding of the period."""
        return self.model.rows

    @property
    def shown(self) -> pl.DataFrame:
        """The findings shown, in their filter and sort."""
        return self.model.listed

    # What each screen says --------------------------------------------------------------

    def load(self) -> pl.DataFrame:
        """Every finding of the period, in the screen's natural order."""
        raise NotImplementedError

    def attention(self) -> pl.Expr:
        """The findings ``b`` keeps."""
        raise NotImplementedError

    def headline(self) -> Text:
        raise NotImplementedError

    def legend(self) -> Text:
        raise NotImplementedError

    def describe(self, row: dict[str, Any]) -> Text:
        """The highlighted finding in full, under the list (cells cut long text short)."""
        raise NotImplementedError

    def empty(self) -> str:
        """What an empty list is empty of, said where its rows would be."""
        return "Nothing to show."

    def attention_empty(self) -> str:
        """What ``b`` finding nothing says: what was looked through."""
        key = key_for(self, "filter.attention")
        return f"No {self.ATTENTION} in {self.period} ({key} shows all {self.findings.height})."

    def export_frame(self) -> pl.DataFrame:
        """The findings shown, every field, with the period they are of."""
        shown = self.shown
        if "period" not in shown.columns:
            shown = with_period(shown, self.period)
        first = ["period", "service", "ref", "indicator"]
        return exported(shown, [*first, *(name for name in shown.columns if name not in first)])

    def place(self, row: dict[str, Any]) -> tuple[str, str, str]:
        """(service, period, ref) of the indicator a finding is about."""
        return row["service"], row["period"], row["ref"]

    # Shared -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Breadcrumbs(HOME, self.CRUMB, id="crumbs")
        yield Static(id="headline")
        yield RowTable(id="findings")
        yield Static(id="finding")
        yield Static(id="legend")
        yield KeyHints(self)

    def on_mount(self) -> None:
        self.reload_data()

    @reads_dataset
    def reload_data(self) -> None:
        """The findings of the app's dataset: when the screen opens, and after a reload."""
        self.model.keep_rows(self.load())
        self.refresh_rows()

    def on_resize(self) -> None:
        if self.findings.height or self.is_mounted:
            self.refresh_rows()

    def refresh_rows(self) -> None:
        shown = self.shown
        self.query_one("#crumbs", Breadcrumbs).show(HOME, self.CRUMB)
        self.query_one("#headline", Static).update(self.headline())
        legend = self.legend()
        if self.model.attention_only:
            legend = Text(
                f"Showing {self.ATTENTION} ({key_for(self, 'filter.attention')} shows all) · ",
                style="bold",
            ).append_text(legend)
        self.query_one("#legend", Static).update(legend)
        table = self.query_one("#findings", RowTable)
        table.set_columns(
            Column(column.key, Text(f" {column.label}"), width, self.sort_arrow(column.key))
            for column, width in zip(self.COLUMNS, self._widths(), strict=True)
        )

        def cells(index: int) -> list[Text]:
            row = shown.row(index, named=True)
            return [column.cell(row) for column in self.COLUMNS]

        words = row_words(shown, [column.key for column in self.COLUMNS] + ["indicator"])
        rows = LazyRows(shown.height, cells, words)
        table.set_rows(rows, self._cursor(table.cursor_row))
        self._show_finding()

    def _cursor(self, row: int) -> int:
        return max(min(row, self.shown.height - 1), 0)

    @on(RowTable.Highlighted, "#findings")
    def _show_finding(self) -> None:
        empty = self.attention_empty() if self.model.attention_only else self.empty()
        text = Text(empty, style="dim")
        if self.shown.height:
            row = self._cursor(self.query_one("#findings", RowTable).cursor_row)
            text = self.describe(self.shown.row(row, named=True))
        self.query_one("#finding", Static).update(text)

    def _widths(self) -> list[int]:
        """Fixed widths, the free column the rest; on a wide terminal the service column
        grows too (up to its longest names), so names are cut only where room is short."""
        widths = [column.width for column in self.COLUMNS]
        rest = max(self.size.width - 1 - sum(widths), 12)
        keys = [column.key for column in self.COLUMNS]
        if "service" in keys and rest > _ROOMY:
            grown = min(rest - _ROOMY, _WIDEST_SERVICE - widths[keys.index("service")])
            widths[keys.index("service")] += grown
            rest -= grown
        return [width or rest for width in widths]

    def describe_binding(self, binding: Binding) -> str | None:
        """``b`` says what it keeps, in the words of the line above the keys."""
        return self.ATTENTION.capitalize() if binding.action == "toggle_attention" else None

    def action_toggle_attention(self) -> None:
        self.model.toggle_attention()
        self.refresh_rows()
        if not self.shown.height:
            self.notify(self.attention_empty(), markup=False)

    def action_back(self) -> None:
        self.app.pop_screen()

    @on(RowTable.Selected, "#findings")
    def open_finding(self) -> None:
        table = self.query_one("#findings", RowTable)
        if not self.shown.height:
            return
        service, period, ref = self.place(
            self.shown.row(self._cursor(table.cursor_row), named=True)
        )
        self.post_message(OpenIndicator(service, period, ref))
