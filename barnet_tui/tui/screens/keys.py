"""Every key in effect where the focus was (a tab's list, the screen, the app), hidden ones
too, as the user's keymap binds them."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from barnet_tui.tui.widgets.key_hints import (
    binding_description,
    bindings_in_effect,
    keys_in_effect,
)

EVERYWHERE = (
    ("^p", "Jump: id, words, a period"),
    ("Mouse", "Click: a row selects, a header sorts"),
)


class KeysScreen(ModalScreen[None]):
    """``?``: what every key does here."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="keys.close"),
        Binding("question_mark", "close", "Close", show=False, id="keys.close_question_mark"),
        Binding("q", "close", "Close", show=False, id="keys.close_q"),
        Binding("j", "focused.scroll_down", "Down", show=False, id="keys.down"),
        Binding("k", "focused.scroll_up", "Up", show=False, id="keys.up"),
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
        table.add_column("Key", width=8)
        table.add_column("Does", width=28)
        table.add_column(Text("Id, for [keys]"))
        for node, binding in bindings_in_effect(self.target):
            keys = " ".join(keys_in_effect(self.app, binding))
            described = binding.tooltip or binding_description(node, binding)
            table.add_row(
                Text(keys, style="bold"), Text(described), Text(binding.id or "", style="dim")
            )
        for key, description in EVERYWHERE:
            table.add_row(Text(key, style="bold"), Text(description), Text())
        table.focus()

    def rows(self) -> list[tuple[str, str]]:
        """(keys, what they do), as listed."""
        table = self.query_one("#key-table", DataTable)
        return [
            (str(table.get_row_at(index)[0]), str(table.get_row_at(index)[1]))
            for index in range(table.row_count)
        ]

    def action_close(self) -> None:
        self.dismiss(None)
