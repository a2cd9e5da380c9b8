"""The keys that matter where the focus is, in one line at the bottom, and the keys in
effect for ``?``.

A single Static instead of Textual's Footer: the Footer builds a widget per key and restyles
them all whenever a screen opens, which is most of the time it takes to open one. The line
follows the focus, so a tab's own list names its own keys (``b`` on the Finance tab keeps
overspent lines, ``f`` steps through the kinds).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rich.text import Text
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
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


def keys_in_effect(app: App[Any], binding: Binding, short: bool = False) -> list[str]:
    """The keys that run ``binding`` now: the user's keymap's (``[keys]`` in config.toml)
    where it names the binding's id, else the binding's own; as a user reads them. ``short``
    (the bottom line) lets a binding stand for a pair ("<>" for < and >)."""
    keys = app._keymap.get(binding.id or "", binding.key) if binding.id else binding.key
    if short and binding.key_display and keys == binding.key:
        return [binding.key_display]
    shown = [
        app.get_key_display(binding.with_key(key.strip(), key_display=None))
        for key in keys.split(",")
    ]
    return list(dict.fromkeys(shown))


def key_for(node: DOMNode, binding_id: str) -> str:
    """The key in effect for one of ``node``'s bindings, for text that names it ("w shows
    all"): the user's keymap may have moved it."""
    for binding in declared_bindings(type(node)):
        if binding.id == binding_id:
            return keys_in_effect(node.app, binding)[0]
    raise KeyError(binding_id)


def binding_description(node: DOMNode, binding: Binding) -> str:
    """What a binding does, in the words of the node that owns it (a list may name its
    own filter); a node says so with a ``describe_binding`` method."""
    describe = getattr(node, "describe_binding", None)
    said = describe(binding) if callable(describe) else None
    return str(said or binding.description or binding.action)


def bindings_in_effect(screen: Screen[Any]) -> Iterator[tuple[DOMNode, Binding]]:
    """Every binding of barnet-tui's own classes from the focused widget out to the app,
    the nearest first; a key bound nearer hides the same key further out, as Textual
    dispatches it."""
    app = screen.app
    focused = screen.focused
    nodes: list[DOMNode] = list(focused.ancestors_with_self) if focused else [screen, app]
    taken: set[str] = set()
    for node in nodes:
        for binding in declared_bindings(type(node)):
            keys = set(keys_in_effect(app, binding))
            if keys <= taken:
                continue
            taken |= keys
            yield node, binding


class KeyHints(Static):
    """``key description`` for each shown binding where the focus is, then the app's."""

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
        """The hints for ``screen``, made with the screen, then following its focus."""
        self.target = screen
        hints = self.hints()
        self._shown_text = hints.plain
        super().__init__(hints)

    def hints(self) -> Text:
        """The key that lists every key comes first: a narrow terminal cuts the line's
        end, and that one key finds the rest."""
        app = self.target.app
        shown = [
            (keys_in_effect(app, binding, short=True)[0], binding_description(node, binding))
            for node, binding in bindings_in_effect(self.target)
            if binding.show
        ]
        shown.sort(key=lambda hint: hint[1] != "Keys")
        text = Text()
        for key, description in [*shown, ("^p", "Jump")]:
            text.append(f" {key} ", style="bold")
            text.append(f"{description} ")
        return text

    def on_mount(self) -> None:
        self.watch(self.target, "focused", self._focus_moved, init=False)

    def _focus_moved(self) -> None:
        hints = self.hints()
        if hints.plain != self._shown_text:  # most moves keep the same keys: no repaint
            self._shown_text = hints.plain
            self.update(hints, layout=False)
