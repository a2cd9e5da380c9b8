"""The keys that move through a list or a text, one set for both (and one id each, so a
``[keys]`` remap moves every list and text alike): arrows, PgUp/PgDn, Home/End, and the
j/k, ctrl+u/ctrl+d, g/G that vim, less, lazygit and k9s users reach for.

The widget that takes them has ``cursor(step)``, ``page(step)``, ``half_page(step)`` and
``cursor_to(row)`` (-1: the last) actions."""

from __future__ import annotations

from textual.binding import Binding, BindingType

MOVEMENT_BINDINGS: list[BindingType] = [
    Binding("up,k", "cursor(-1)", "Up", show=False, id="move.up"),
    Binding("down,j", "cursor(1)", "Down", show=False, id="move.down"),
    Binding("pageup", "page(-1)", "Page up", show=False, id="move.page_up"),
    Binding("pagedown", "page(1)", "Page down", show=False, id="move.page_down"),
    Binding("ctrl+u", "half_page(-1)", "Half a page up", show=False, id="move.half_page_up"),
    Binding("ctrl+d", "half_page(1)", "Half a page down", show=False, id="move.half_page_down"),
    Binding("home,g", "cursor_to(0)", "First", show=False, id="move.first"),
    Binding("end,G", "cursor_to(-1)", "Last", show=False, id="move.last"),
]
