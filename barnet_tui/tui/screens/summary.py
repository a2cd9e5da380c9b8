"""The corporate summary: one row per service for a period, with headline figures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from barnet_tui.domain.queries import no_rows, with_period
from barnet_tui.domain.summary import (
    DETAILED,
    MIXED,
    basis_note,
    headline,
    service_rows,
    service_sorts,
    with_rest_below,
)
from barnet_tui.domain.traceable import actions_differ, actions_note, detail_lines, ratings_note
from barnet_tui.tui.list_model import ListRules
from barnet_tui.tui.messages import OpenService, ShowAudit, ShowChanges
from barnet_tui.tui.reads import reads_dataset
from barnet_tui.tui.render import cell, number, plain, rag_bar, row_words
from barnet_tui.tui.report_views import variance_cue
from barnet_tui.tui.screens.base import SortedTableScreen, exported
from barnet_tui.tui.screens.period_picker import PeriodPicker
from barnet_tui.tui.session import Session
from barnet_tui.tui.widgets.breadcrumbs import Breadcrumbs
from barnet_tui.tui.widgets.key_hints import KeyHints, key_for
from barnet_tui.tui.widgets.row_table import Column, LazyRows, RowTable

if TYPE_CHECKING:  # frames are only typed here: the domain builds them
    import polars as pl

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
    ("changed", "Chg", 4),
    ("basis", "From", 7),
)
REPORT_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("actions", "Actions", 15),
    ("revenue_variance", "Revenue", 13),
)
"""Shown when the period's reports give key actions or budgets."""
_NARROW_DROPS = ("bar", "rag_rated", "basis", "improved_same", "worsened")
"""Columns given up, in this order, so the service names keep room on a narrow terminal
(Rated early: it is the sum of G, GA, RA and R beside it)."""
_NARROWEST_SERVICE = 16
_WIDEST_BAR = 41
SORTS = service_sorts(key for key, _label, _width in COLUMNS + REPORT_COLUMNS)
EXPORTED = (
    "period", "service", "level", "basis", "reported", "rag_rated", "green", "green_amber",
    "red_amber", "red", "monitor", "below", "below_unrated", "pct_on_target",
    "pct_below_target", "improved_same", "worsened", "changed", "detailed_reported",
    "detailed_below", "disagrees", "actions_green", "actions_green_amber",
    "actions_red_amber", "actions_red", "actions_not_rated", "actions", "actions_listed",
    "actions_disputed",
    "revenue_variance", "revenue_disputed",
)  # fmt: skip
"""What ``x`` writes of each row: every count behind the columns, and where it is from."""
_FROM = {"published": "report", DETAILED: "rows", MIXED: "mixed"}


class SummaryScreen(SortedTableScreen):
    """Home: how is the council doing this period, and which services are slipping."""

    AUTO_FOCUS = "#services"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", show=False, id="summary.open"),
        Binding("left_square_bracket", "step_period(-1)", "Earlier", id="period.earlier"),
        Binding("right_square_bracket", "step_period(1)", "Later", id="period.later"),
        Binding("p", "pick_period", "Periods", id="period.pick"),
        Binding("c", "changes", "Changes", id="summary.changes"),
        Binding("a", "audit", "Audit", id="summary.audit"),
    ]

    def __init__(self, session: Session, period: str) -> None:
        rules = ListRules(
            sorts=SORTS,
            default_sort="service",
            descending_first=frozenset(SORTS) - {"service", "basis"},
        )
        super().__init__(session, rules)
        self.period = period
        self.frame = no_rows()
        self._filled_widths: list[int] = []
        self.columns = COLUMNS

    def compose(self) -> ComposeResult:
        yield Breadcrumbs(HOME, id="crumbs")
        yield Static(id="headline")
        yield RowTable(id="services")
        yield Static(id="row-detail")
        yield Static(id="legend")
        yield KeyHints(self)

    def on_mount(self) -> None:
        self.refresh_rows()

    def on_resize(self) -> None:
        if self._filled_widths != self._widths():
            self.refresh_rows()

    @reads_dataset
    def reload_data(self) -> None:
        if self.period not in self.session.dataset.periods:  # the new data does not have it
            self.period = self.session.dataset.periods[-1]
            self.session.period = self.period
        self.refresh_rows()

    # Data -> widgets ----------------------------------------------------------------------

    @reads_dataset
    def refresh_rows(self) -> None:
        table = self.query_one("#services", RowTable)
        selected = self.selected_service()
        summary = self.session.summary_for(self.period)
        self.columns = self._columns(summary)
        if self.model.sort_column not in self.sort_columns():
            self.model.sort_by("service")
        self.model.keep_rows(service_rows(summary))
        self.frame = with_rest_below(self.model.listed, summary)
        self.query_one("#crumbs", Breadcrumbs).show(HOME)
        self.query_one("#headline", Static).update(self._headline(summary))
        legend = (
            "Imp/Wor: the reports' direction of travel · Chg: each indicator vs its latest "
            f"earlier figure ({key_for(self, 'summary.changes')}) · From: report = its own "
            "counts · rows = counted from its rows · mixed = both · report≠ = its below-target "
            "count ≠ its rows"
        )
        if set(self.sort_columns()) & {key for key, _label, _width in REPORT_COLUMNS}:
            legend = (
                "Actions: key actions G·GA·RA·R (not rated) · Revenue: variance £000 · ≠: the "
                "report gives it another way too (its tab says how) · " + legend
            )
        self.query_one("#legend", Static).update(Text(legend, style="dim"))
        # The cursor row's line is as tall as the longest row's needs (up to 3 lines),
        # whichever row the cursor is on: the list does not change height as it moves.
        lines = detail_lines(self.frame, max(self.size.width - 2, 20))
        self.query_one("#row-detail", Static).styles.height = lines
        services_shown = self.frame["service"].to_list()
        cursor = services_shown.index(selected) if selected in services_shown else 0
        self._fill(table, cursor)
        self.show_row_detail()

    def _headline(self, summary: pl.DataFrame) -> Text:
        figures = headline(summary)
        periods = self.session.dataset.periods
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
        text.append(f" ({basis_note(summary)})", style="dim")
        return text

    def sort_columns(self) -> tuple[str, ...]:
        return tuple(key for key, _label, _width in self.columns)

    def _columns(self, summary: pl.DataFrame) -> tuple[tuple[str, str, int], ...]:
        """The indicator columns, then key actions and revenue when the period has them,
        giving up the least needed columns when they would squeeze the service names."""
        extra = tuple(
            column
            for column in REPORT_COLUMNS
            if column[0] in summary.columns and summary[column[0]].is_not_null().any()
        )
        if not extra:
            return COLUMNS
        columns = COLUMNS + extra
        available = max(self.size.width - 1, 60)
        for key in _NARROW_DROPS:
            if available - sum(width for _key, _label, width in columns) >= _NARROWEST_SERVICE:
                break
            columns = tuple(column for column in columns if column[0] != key)
        return columns

    def _widths(self) -> list[int]:
        """Fixed columns, the service name up to 36 cells, and the bar takes what is left."""
        keys = [key for key, _label, _width in self.columns]
        widths = [width for _key, _label, width in self.columns]
        available = max(self.size.width - 1, 60)
        widths[0] = min(max(available - sum(widths), 14), 36)
        if "bar" in keys:
            bar = keys.index("bar")
            widths[bar] = min(widths[bar] + max(available - sum(widths), 0), _WIDEST_BAR)
        return widths

    def _fill(self, table: RowTable, cursor: int) -> None:
        colours = self.session.config.badges
        widths = self._filled_widths = self._widths()
        columns = []
        keys = [key for key, _label, _width in self.columns]
        for (key, label, _width), width in zip(self.columns, widths, strict=True):
            arrow = self.sort_arrow(key)
            if key in ("service", "bar", "basis"):
                columns.append(Column(key, Text(f" {label}"), width, arrow))
            else:
                columns.append(Column(key, Text(f"{label} ", justify="right"), width, arrow))
        table.set_columns(columns)
        frame = self.frame

        bar_width = widths[keys.index("bar")] - 1 if "bar" in keys else 0

        def cells(index: int) -> list[Text]:
            row = frame.row(index, named=True)
            total = row["level"] == "council"
            name = cell(row["service"], style="bold" if total else "")
            if row["level"] == "committee":
                name.append(" (committee)", style="dim")
            shown = {
                "service": name,
                "reported": number(row["reported"], " "),
                "rag_rated": number(row["rag_rated"], " "),
                "green": number(row["green"], " "),
                "green_amber": number(row["green_amber"], " "),
                "red_amber": number(row["red_amber"], " "),
                "red": number(row["red"], " "),
                "bar": Text(" ").append_text(rag_bar(row, bar_width, colours)),
                "pct_below_target": Text(f"{_pct(row['pct_below_target'])} ", justify="right"),
                "improved_same": number(row["improved_same"], " "),
                "worsened": number(row["worsened"], " "),
                "changed": number(row["changed"], " "),
                "basis": _source_cell(row),
                "actions": _actions_cell(row),
                "revenue_variance": variance_cue(row.get("revenue_variance")).append_text(
                    _disputed_mark(row.get("revenue_disputed"))
                ),
            }
            return [shown[key] for key in keys]

        rows = LazyRows(frame.height, cells, row_words(frame, keys))
        table.set_rows(rows, cursor)

    def export_frame(self) -> pl.DataFrame:
        return exported(with_period(self.frame, self.period), EXPORTED)

    @on(RowTable.Highlighted, "#services")
    def show_row_detail(self) -> None:
        """The cursor row's whole name and figures: a cut name ("Commissioning …") can
        match more than one service."""
        text = Text()
        if self.frame.height:
            cursor = self.query_one("#services", RowTable).cursor_row
            text = _row_detail(self.frame.row(min(cursor, self.frame.height - 1), named=True))
        self.query_one("#row-detail", Static).update(text)

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
            self.post_message(OpenService(row["service"], self.period))
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
        periods = self.session.dataset.periods
        index = periods.index(self.period) + step
        if 0 <= index < len(periods):
            self.set_period(periods[index])
        else:
            self.notify("No earlier period." if step < 0 else "No later period.", markup=False)

    def action_changes(self) -> None:
        self.post_message(ShowChanges())

    def action_audit(self) -> None:
        self.post_message(ShowAudit())

    def set_period(self, period: str) -> None:
        self.period = period
        self.session.period = period
        if self.is_mounted:  # else on_mount shows it
            self.refresh_rows()

    @reads_dataset
    def action_pick_period(self) -> None:
        def chosen(period: str | None) -> None:
            if period:
                self.set_period(period)

        self.session.dataset.rows_per_period()  # what the picker shows, read where caught
        self.app.push_screen(PeriodPicker(self.session.dataset, self.period), chosen)


def _row_detail(row: dict[str, Any]) -> Text:
    """A summary row in full: name, figures, and where a count is the report's and its rows
    say otherwise, both."""
    text = plain(row["service"], style="bold")
    if row["level"] == "committee":
        text.append(" (committee)", style="dim")
    text.append(
        f" · {row['reported']} reported · {row['rag_rated']} rated · "
        f"{_pct(row['pct_below_target'])} below target"
    )
    ratings = ratings_note(row, short=True)
    if ratings:
        text.append(f" · {ratings}", style="italic")
    elif row["level"] == "service":
        text.append(" · Enter opens its list", "dim")
    if actions_note(row):
        text.append(f" · {actions_note(row)}", style="italic")
    return text


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


def _actions_cell(row: dict[str, Any]) -> Text:
    """ "19·12·0·0 (2)": key actions Green, GA, RA, Red (and not rated)."""
    if row.get("actions") is None:
        return Text("–", style="dim", justify="right")
    counts = "·".join(
        str(row[f"actions_{name}"]) for name in ("green", "green_amber", "red_amber", "red")
    )
    not_rated = f" ({row['actions_not_rated']})" if row["actions_not_rated"] else ""
    # ≠ too where they count other actions than the tab lists (the row's detail says both).
    return Text(f"{counts}{not_rated}", justify="right").append_text(
        _disputed_mark(row.get("actions_disputed") or actions_differ(row))
    )


def _disputed_mark(disputed: bool | None) -> Text:
    """≠ after a figure the report states twice, differently (the service's tab says how);
    a space otherwise, so figures stay in line."""
    return Text("≠", style="bold red") if disputed else Text(" ")


def _source_cell(row: dict[str, Any]) -> Text:
    """Where a row's counts come from; ≠ when the report's own counts and rows disagree."""
    if row["disagrees"]:
        return cell("report≠", style="bold red")
    return cell(_FROM.get(row["basis"], row["basis"]), style="dim")
