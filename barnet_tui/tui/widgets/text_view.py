"""Scrollable read-only text whose size never depends on what it shows.

A Static in a scroll container changes height with its text, so every new comment or
indicator laid the screen out two or three times, a frame apart. Here the text is wrapped
into lines once per width and only the lines on screen are drawn; new text changes the
virtual size, never the layout.
"""

from __future__ import annotations

import io
from typing import ClassVar

from rich.console import Console
from rich.text import Text
from textual.binding import BindingType
from textual.geometry import Size
from textual.strip import Strip

from barnet_tui.tui.render import line_strip, segments
from barnet_tui.tui.widgets.movement import MOVEMENT_BINDINGS
from barnet_tui.tui.widgets.self_sized_view import SelfSizedView

_WRAP_CONSOLE = Console(file=io.StringIO(), width=500, force_terminal=True)
"""Only wraps and renders text into segments; never writes anywhere."""


class TextView(SelfSizedView, can_focus=True):
    """Text wrapped to the widget's width, scrolled with the keys or the mouse."""

    BINDINGS: ClassVar[list[BindingType]] = MOVEMENT_BINDINGS
    DEFAULT_CSS = """
    TextView {
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 0;
        overflow-y: scroll;  /* always there: its column never comes and goes */
        overflow-x: hidden;
    }
    """

    def __init__(
        self, text: Text | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.text = text or Text()
        self._source_lines: list[Text] | None = None
        """The text's own lines, split once: splitting a long text is most of wrapping it."""
        self._lines: list[Text] = []
        self._strips: dict[int, Strip] = {}
        self._wrapped_at = 0

    def set_text(self, text: Text) -> None:
        """Show ``text`` from the top."""
        self.text = text
        self._source_lines = None
        self._wrap()
        self.scroll_to(y=0, animate=False)
        self.refresh()

    def action_cursor(self, step: int) -> None:
        self.scroll_relative(y=step, animate=False)

    def action_page(self, step: int) -> None:
        self.scroll_relative(y=step * max(self.size.height - 1, 1), animate=False)

    def action_half_page(self, step: int) -> None:
        self.scroll_relative(y=step * max(self.size.height // 2, 1), animate=False)

    def action_cursor_to(self, row: int) -> None:
        self.scroll_to(y=row if row >= 0 else self.max_scroll_y, animate=False)

    def line_index(self, text: str) -> int:
        """The first shown (wrapped) line that reads ``text``; 0 when none does."""
        self._wrap()
        found = (index for index, line in enumerate(self._lines) if line.plain.strip() == text)
        return next(found, 0)

    @property
    def plain(self) -> str:
        """The text as shown, one line per wrapped line."""
        self._wrap()
        return "\n".join(line.plain.rstrip() for line in self._lines)

    def _width(self) -> int:
        width = self.size.width or self.app.size.width
        return max(width - 1, 20)  # the scrollbar

    def _wrap(self) -> None:
        width = self._width()
        # Only lines wider than the view are wrapped: a long history is mostly short lines,
        # and wrapping each through Rich is most of the time it takes to show one.
        self._lines = []
        if self._source_lines is None:
            self._source_lines = list(self.text.split("\n", allow_blank=True))
        for line in self._source_lines:
            if line.cell_len <= width:
                self._lines.append(line)
            else:
                self._lines.extend(line.wrap(_WRAP_CONSOLE, width))
        self._strips.clear()
        self._wrapped_at = width
        self.set_virtual_size(Size(width, len(self._lines)))

    def on_mount(self) -> None:
        self._wrap()

    def on_resize(self) -> None:
        if self._wrapped_at != self._width():
            self._wrap()

    def notify_style_update(self) -> None:
        """A theme or style change: lines drawn in the old colours must be drawn again."""
        super().notify_style_update()
        self._strips.clear()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        if index >= len(self._lines):
            return Strip.blank(self.size.width, self.rich_style)
        strip = self._strips.get(index)
        if strip is None:
            line = segments(self._lines[index], _WRAP_CONSOLE)
            self._strips[index] = strip = line_strip(line, self.size.width, self.rich_style)
        return strip
