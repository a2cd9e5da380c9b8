"""The keys that matter on the current screen, in one line at the bottom.

A single Static instead of Textual's Footer: the Footer builds a widget per key and restyles
them all whenever a screen opens, which is most of the time it takes to open one.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static


def declared_bindings(owner: type) -> list[Binding]:
    """The bindings barnet-tui's own classes declare, the most specific class first."""
    found: list[Binding] = []
    for cls in owner.__mro__:
        if not cls.__module__.startswith("barnet_tui") or "BINDINGS" not in cls.__dict__:
            continue
        for binding in cls.__dict__["BINDINGS"]:
            found.append(binding if isinstance(binding, Binding) else Binding(*binding))
    return found


class KeyHints(Static):
    """``key description`` for each shown binding of the screen, then the app's."""

    DEFAULT_CSS = """
    KeyHints {
        dock: bottom;
        height: 1;
        background: $panel;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, screen: Screen[Any]) -> None:
        """The hints for ``screen``, made with the screen (not updated after mounting)."""
        app = screen.app
        text = Text()
        seen: set[str] = set()
        for owner in (type(screen), type(app)):
            for binding in declared_bindings(owner):
                if not binding.show or binding.action in seen:
                    continue
                seen.add(binding.action)
                text.append(f" {app.get_key_display(binding)} ", style="bold")
                text.append(f"{binding.description} ")
        text.append(" ^p ", style="bold")
        text.append("Jump")
        super().__init__(text)
