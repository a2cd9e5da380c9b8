"""A list of every period, to jump to one, each saying what it holds."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from barnet_tui.domain.dataset import Dataset
from barnet_tui.domain.period_contents import (
    contents_line,
    council_periods,
    latest_of,
    period_contents,
)
from barnet_tui.domain.summary import counted_per_period


class PeriodPicker(ModalScreen[str | None]):
    """Every period in time order, with what it holds and which is the latest; Enter picks
    one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_picker", "Close", id="picker.close"),
        Binding("q", "dismiss_picker", "Close", show=False, id="picker.close_q"),
        Binding("j", "focused.cursor_down", "Down", show=False, id="picker.down"),
        Binding("k", "focused.cursor_up", "Up", show=False, id="picker.up"),
        Binding("g", "focused.first", "First", show=False, id="picker.first"),
        Binding("G", "focused.last", "Last", show=False, id="picker.last"),
    ]

    def __init__(self, dataset: Dataset, current: str) -> None:
        super().__init__()
        self.dataset = dataset
        self.current = current

    def compose(self) -> ComposeResult:
        contents = {row["period"]: row for row in period_contents(self.dataset).to_dicts()}
        counted = counted_per_period(self.dataset.service_summary)
        council = set(council_periods(self.dataset))
        latest, newest = latest_of(self.dataset), self.dataset.periods[-1]
        options = []
        for period in self.dataset.periods:
            label = Text(period, style="bold" if period == self.current else "")
            notes = []
            if period == latest:
                notes.append("latest")  # what --period latest and the explorer open on
            if period in council:
                notes.append("council-wide")
            elif period == newest != latest:
                notes.append("newest, not council-wide")
            if period == self.current:
                notes.append("on screen")
            if notes:
                label.append(f"  ({', '.join(notes)})", style="italic")
            held = (
                contents_line(contents[period], counted.get(period))
                if period in contents
                else "no rows"
            )
            label.append(f"\n  {held}", style="dim")
            options.append(Option(label, id=period))
        with Vertical(id="picker"):
            yield Static("Choose a period: what each holds", classes="modal-title")
            yield OptionList(*options, id="periods")

    def on_mount(self) -> None:
        option_list = self.query_one("#periods", OptionList)
        option_list.highlighted = option_list.get_option_index(self.current)

    @on(OptionList.OptionSelected, "#periods")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_picker(self) -> None:
        self.dismiss(None)
