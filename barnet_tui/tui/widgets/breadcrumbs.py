"""Where you are: Corporate › Family Services › FS/S11."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from barnet_tui.tui.render import plain

SEPARATOR = " › "


class Breadcrumbs(Static):
    """The path from the corporate summary to the current level, the last part in bold."""

    DEFAULT_CSS = """
    Breadcrumbs {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, *parts: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self.parts = parts

    def on_mount(self) -> None:
        self.show(*self.parts)

    def show(self, *parts: str) -> None:
        self.parts = parts
        text = Text()
        for index, part in enumerate(parts):
            if index:
                text.append(SEPARATOR)
            last = index == len(parts) - 1
            text.append_text(plain(part, style="bold" if last else ""))
        self.update(text)

    @property
    def plain_text(self) -> str:
        return SEPARATOR.join(self.parts)
