"""One key action, budget line or risk, whole: every field the report gave, and where."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen

from barnet_tui.tui.widgets.breadcrumbs import Breadcrumbs
from barnet_tui.tui.widgets.key_hints import KeyHints
from barnet_tui.tui.widgets.text_view import TextView


class RecordScreen(Screen[None]):
    """The row the service screen's tab had selected, with room for long comments."""

    AUTO_FOCUS = "#record"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back", id="back")]

    def __init__(self, crumbs: tuple[str, ...], text: Text) -> None:
        super().__init__()
        self.crumbs, self.text = crumbs, text

    def compose(self) -> ComposeResult:
        yield Breadcrumbs(*self.crumbs, id="crumbs")
        yield TextView(self.text, id="record")
        yield KeyHints(self)

    def action_back(self) -> None:
        self.app.pop_screen()
