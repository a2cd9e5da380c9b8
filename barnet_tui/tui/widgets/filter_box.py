"""The ``|`` word filter's box above a list: each key filters the list at once.

An Input says it changed with a message, which reaches the list after the screen has
painted the box with the new character: the rows followed a frame or two later. This box
calls its list while the key is handled, so the box and the rows paint together.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.widgets import Input


class FilterBox(Input):
    """An Input that hands every new value to ``on_change`` as it is typed."""

    def __init__(
        self, value: str, placeholder: str, id: str, on_change: Callable[[str], None]
    ) -> None:
        super().__init__(value, placeholder=placeholder, id=id)
        self._on_change = on_change

    def watch_value(self, value: str) -> None:
        """Called only when the value changes: not for the text the box opens with."""
        self._on_change(value)

    @on(Input.Changed)
    def _applied(self, event: Input.Changed) -> None:
        event.stop()  # the list has it already
