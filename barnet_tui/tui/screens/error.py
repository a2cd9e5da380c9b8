"""Shown instead of the explorer when the dataset or a start-up flag cannot be used."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from barnet_tui.tui.render import plain


class ErrorScreen(Screen[None]):
    """The same one line the command line prints, and how to leave."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit_with_error", "Quit", id="app.quit"),
        Binding("escape", "quit_with_error", "Quit", show=False, id="error.quit"),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="error"):
            yield Static(Text("barnet-tui cannot open the explorer", style="bold"))
            yield Static(plain(f"error: {self.message}"), id="error-message")
            yield Static(Text("Press q to quit.", style="dim"))

    def action_quit_with_error(self) -> None:
        self.app.exit(2)
