"""A screen's tabs in one line: ``▸1 Indicators (28)◂│ 2 Key actions (33) │ …``.

A single Static instead of Textual's TabbedContent: that builds a widget per tab, a content
switcher and a pane per tab, relabels each when a screen is reused, and moves its underline
one refresh after the screen shows, which together were most of the time it took to open a
service. The active tab is shown reversed and between ``▸ ◂``, so it reads without colour.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Static

from barnet_tui.tui.render import plain

SEPARATOR = "│"


class TabBar(Static):
    """Labelled tabs, one active; a click on a label posts ``TabBar.Chosen``."""

    DEFAULT_CSS = """
    TabBar {
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    class Chosen(Message):
        """A tab's label was clicked."""

        def __init__(self, bar: TabBar, tab: str) -> None:
            super().__init__()
            self.bar = bar
            self.tab = tab

        @property
        def control(self) -> TabBar:
            return self.bar

    def __init__(self, labels: dict[str, str], active: str, id: str | None = None) -> None:
        self.labels = dict(labels)
        self.active = active
        self._spans: list[tuple[int, int, str]] = []
        super().__init__(self._text(), id=id)

    def show(self, labels: Iterable[tuple[str, str]] | None = None, active: str = "") -> None:
        """New labels for some tabs and/or another active one; one line, so no layout."""
        self.labels.update(labels or ())
        self.active = active or self.active
        self.update(self._text(), layout=False)

    def _text(self) -> Text:
        text = Text()
        self._spans = []
        for tab, label in self.labels.items():
            if text:
                text.append(SEPARATOR, style="dim")
            start = len(text)
            if tab == self.active:
                text.append("▸")
                text.append_text(plain(label, style="bold reverse"))
                text.append("◂")
            else:
                text.append(" ")
                text.append_text(plain(label))
                text.append(" ")
            self._spans.append((start, len(text), tab))
        return text

    def tab_at(self, x: int) -> str | None:
        """The tab whose label is at column ``x`` of the line, if any."""
        for start, end, tab in self._spans:
            if start <= x < end:
                return tab
        return None

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        tab = None if offset is None else self.tab_at(offset.x)
        if tab is not None:
            self.post_message(self.Chosen(self, tab))
