"""Every key binding of the current screen and the app, hidden ones too."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from barnet_tui.tui.widgets.key_hints import declared_bindings

EVERYWHERE = (
    (
        "ctrl+p",
        "Jump to a service, an indicator, a key action or a risk (by id or words), or a period",
    ),
    ("↑ ↓  PgUp PgDn  Home End", "Move through a list"),
    ("Mouse", "Click a row to select it, a column header to sort by it"),
)


class KeysScreen(ModalScreen[None]):
    """``?``: what every key does here."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, screen: Screen[object], title: str) -> None:
        super().__init__()
        self.target = screen
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="keys"):
            yield Static(f"Keys: {self.title_text}", classes="modal-title")
            yield DataTable(id="key-table", cursor_type="row", show_cursor=False)
            yield Static(Text("Escape closes this list.", style="dim"))

    def on_mount(self) -> None:
        table = self.query_one("#key-table", DataTable)
        table.add_columns("Key", "Does")
        seen: set[str] = set()
        for owner in (type(self.target), type(self.app)):
            for binding in declared_bindings(owner):
                if binding.action in seen:
                    continue
                seen.add(binding.action)
                key = self.app.get_key_display(binding)
                table.add_row(Text(key, style="bold"), Text(binding.description or binding.action))
        for key, description in EVERYWHERE:
            table.add_row(Text(key, style="bold"), Text(description))
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
