"""A service: its indicators for a period, worst first, with filters and each comment, and
the report's key actions, finance lines and risks, a tab each."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from barnet_tui.domain.attention import below_target_expr
from barnet_tui.domain.queries import (
    no_rows,
    of_period_and_service,
    of_service,
    of_table,
    service_row,
    worst_first,
)
from barnet_tui.domain.summary import fewer_rows_note
from barnet_tui.domain.traceable import actions_note, ratings_note
from barnet_tui.tui.reads import reads_dataset
from barnet_tui.tui.render import plain
from barnet_tui.tui.report_views import VIEWS, indicators_view
from barnet_tui.tui.screens.base import BarnetScreen, exported
from barnet_tui.tui.screens.summary import HOME
from barnet_tui.tui.session import Session
from barnet_tui.tui.widgets.breadcrumbs import Breadcrumbs
from barnet_tui.tui.widgets.key_hints import KeyHints
from barnet_tui.tui.widgets.report_list import ReportList
from barnet_tui.tui.widgets.tab_bar import TabBar

if TYPE_CHECKING:
    import polars as pl


class ServiceScreen(BarnetScreen[None]):
    """Which indicators are below target, and why; each tab is a list of its own, with its
    own keys (``b``, ``f``, ``|``, the sort)."""

    AUTO_FOCUS = "#indicators"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="back"),
        Binding("1", "show_tab('indicators')", "Tabs 1-4", id="tab.indicators"),
        Binding("2", "show_tab('actions')", "Key actions", show=False, id="tab.actions"),
        Binding("3", "show_tab('finance')", "Finance", show=False, id="tab.finance"),
        Binding("4", "show_tab('risks')", "Risks", show=False, id="tab.risks"),
        Binding("x", "export", "Export", id="export"),
    ]
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
        self.views = {
            "indicators": indicators_view(below_target_expr(session.config.below_target)),
            **VIEWS,
        }
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
        self._rows: dict[str, pl.DataFrame] = {}
        self._checks = no_rows()
        self._unfilled: set[str] = set()
        """Tabs whose list still shows another service or period: each is filled when it
        is first shown, so opening a service costs only the tab it opens on."""

    def reopen(self, service: str, period: str, below_only: bool, tab: str = "indicators") -> None:
        """Show another service (or the same one afresh) in this already built screen, on
        ``tab``."""
        self._start(service, period, below_only, None, tab)
        self._load_rows()
        self.query_one("#crumbs", Breadcrumbs).show(HOME, service)
        # Two lines, always (see app.tcss): no need to lay the screen out again.
        self.query_one("#service-header", Static).update(self._header(), layout=False)
        self._show_tabs()

    @reads_dataset
    def reload_data(self) -> None:
        """The newer dataset's rows: the indicators keep their filters, sort and cursor;
        the report tabs start afresh when next shown."""
        self._load_rows()
        self.query_one("#service-header", Static).update(self._header(), layout=False)
        indicators = self._list("indicators")
        if "indicators" not in self._unfilled:
            indicators.reload(self._rows["indicators"], self._fewer_rows_note())
        unfilled = self._unfilled | set(VIEWS)
        self._show_tabs(unfilled)

    def _load_rows(self) -> None:
        """The service's rows of the period: its indicators, and each report tab's."""
        dataset = self.session.dataset
        self._rows = {"indicators": worst_first(dataset.service_rows(self.period, self.service))}
        for table in VIEWS:
            self._rows[table] = of_service(dataset.report_rows(table, self.period), self.service)
        self._checks = of_period_and_service(dataset.disagreements, self.period, self.service)

    def compose(self) -> ComposeResult:
        self._load_rows()
        yield Breadcrumbs(HOME, self.service, id="crumbs")
        yield Static(self._header(), id="service-header")
        yield TabBar(
            {table: self._tab_label(table) for table in self.TABS}, self._active, id="tabs"
        )
        # Only the active tab's pane is laid out; the others wait, hidden.
        for table, view in self.views.items():
            pane = ReportList(view, id=f"{table}-list", classes="tab-pane")
            pane.display = self._active == table
            yield pane
        yield KeyHints(self)

    def on_mount(self) -> None:
        self._show_tabs()
        if self.open_row is not None:
            self.open_place(*self.open_row)

    # Tabs ---------------------------------------------------------------------------------

    def _list(self, table: str) -> ReportList:
        return self.query_one(f"#{table}-list", ReportList)

    def _tab_label(self, table: str) -> str:
        number = list(self.TABS).index(table) + 1
        return f"{number} {self.TABS[table]} ({self._rows[table].height})"

    def _show_tabs(self, unfilled: set[str] | None = None) -> None:
        """Each tab's count for this service and period, and the active tab shown; the
        other tabs are filled when shown."""
        self._unfilled = set(self.TABS) if unfilled is None else unfilled
        labels = ((table, self._tab_label(table)) for table in self.TABS)
        self.query_one("#tabs", TabBar).show(labels)
        self._switch_to(self._active)

    def _fill(self, table: str) -> None:
        """``table``'s list with this service's rows, its filters back to their defaults."""
        self._unfilled.discard(table)
        if table == "indicators":
            note, attention_only, checks = self._fewer_rows_note(), self.below_only, no_rows()
        else:
            row = self._summary_row() if table == "actions" else None
            note = actions_note(row, long=True) if row else ""
            attention_only, checks = False, of_table(self._checks, table)
        self._list(table).show(
            self._rows[table],
            checks,
            self.session.config.badges,
            (HOME, self.service),
            note=note,
            period=self.period,
            attention_only=attention_only,
        )

    def _switch_to(self, table: str) -> None:
        """Show ``table``'s pane (filled with this service's rows, if it was not) and no
        other, and focus its list."""
        self._active = table
        if table in self._unfilled:
            self._fill(table)
        for pane in self.query(".tab-pane"):
            pane.display = pane.id == f"{table}-list"
        self.query_one("#tabs", TabBar).show(active=table)
        self._list(table).table.focus()

    def export_frame(self) -> pl.DataFrame:
        """The active tab's rows as listed, every field typed, period and service first."""
        rows = self._list(self._active).listed
        first = ["period", "service", "ref", "indicator"]
        rest = [name for name in rows.columns if name not in first and not name.startswith("_")]
        return exported(rows, [*first, *rest])

    def export_name(self) -> str:
        return f"service-{self.service}-{self.active_tab()}"

    def active_tab(self) -> str:
        return self._active

    def selected_row(self) -> dict[str, Any] | None:
        """The row under the active tab's cursor."""
        return self._list(self._active).selected_row()

    def action_show_tab(self, table: str) -> None:
        if table != self._active:
            self._switch_to(table)

    @on(TabBar.Chosen, "#tabs")
    def _tab_chosen(self, event: TabBar.Chosen) -> None:
        self.action_show_tab(event.tab)

    def open_report_place(self, table: str, source: str, line: int) -> None:
        """Show ``table``'s tab with the cursor on the row from ``source``:``line``."""
        self.action_show_tab(table)
        self._list(table).move_to(source, line)

    def open_place(self, source: str, line: int) -> None:
        """Open the indicator from ``source``:``line``, clearing filters that hide it."""
        self.action_show_tab("indicators")
        indicators = self._list("indicators")
        if indicators.move_to(source, line):
            # Opened by the list itself: a message bubbles no further than the node whose
            # handler made it, and this one must reach the app.
            indicators.call_later(indicators.action_open)

    def action_back(self) -> None:
        self.app.pop_screen()

    def _header(self) -> Text:
        text = Text()
        text.append_text(plain(self.service, style="bold"))
        text.append(f" · {self.period}")
        row = self._summary_row()
        if row is not None:
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

    def _fewer_rows_note(self) -> str:
        """Why the list is shorter than the header's count, when it is (most reports detail
        only the indicators below target), and where the header's rating counts are the
        report's and its rows rate otherwise, both."""
        row = self._summary_row()
        if row is None:
            return ""
        listed = self._rows["indicators"].height
        fewer = fewer_rows_note(row["reported"], listed, row["detailed_below"])
        ratings = ratings_note(row)
        return " ".join(
            part
            for part in (fewer, ratings[:1].upper() + ratings[1:] + "." * bool(ratings))
            if part
        )

    def _summary_row(self) -> dict[str, Any] | None:
        """The service's row of the period's summary (the header's counts)."""
        return service_row(self.session.summary_for(self.period), self.service)
