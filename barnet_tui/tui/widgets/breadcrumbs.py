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
        super().__init__(self._text(parts), id=id)
        self.parts = parts

    @staticmethod
    def _text(parts: tuple[str, ...]) -> Text:
        text = Text()
        for index, part in enumerate(parts):
            if index:
                text.append(SEPARATOR)
            last = index == len(parts) - 1
            text.append_text(plain(part, style="bold" if last else ""))
        return text

    def show(self, *parts: str) -> None:
        self.parts = parts
        self.update(self._text(parts), layout=False)

    @property
    def plain_text(self) -> str:
        return SEPARATOR.join(self.parts)
