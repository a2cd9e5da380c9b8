"""The ``[keys]`` table of config.toml: any binding remapped by its id, as posting does.

``"move.down" = "j,down"`` gives the binding with id ``move.down`` those keys instead of its
own. Every binding of the explorer has an id; ``?`` lists them with the keys in effect.
An id that names no binding, a key Textual does not know, or a key another binding of the
same list or screen keeps is one line and exit 2 before the explorer starts, never a key
that silently does nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import Keys, _character_to_key, key_to_character

from barnet_tui.domain.literal_text import literal
from barnet_tui.tui.widgets.key_hints import declared_bindings

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_NAMED_KEYS = frozenset(key.value for key in Keys) | {"space", "tab", "enter", "escape"}


class KeymapError(ValueError):
    """A ``[keys]`` entry that is not right; ``str()`` is the one line a user is shown."""


def _subclasses(cls: type) -> Iterator[type]:
    sub: type
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _explorer_classes() -> list[type]:
    """The explorer's own screens and widgets (those imported: the app imports them all)."""
    return [cls for cls in _subclasses(DOMNode) if cls.__module__.startswith("barnet_tui")]


def explorer_bindings() -> dict[str, Binding]:
    """Every binding the explorer's own classes declare, by id."""
    found: dict[str, Binding] = {}
    for cls in _explorer_classes():
        for binding in declared_bindings(cls):
            if binding.id:
                found.setdefault(binding.id, binding)
    return found


def _normal(key: str) -> str:
    """A key as Textual binds it: "," is "comma", "ctrl+d" stays."""
    key = key.strip()
    return _character_to_key(key) if len(key) == 1 else key


def _clash(keymap: dict[str, str]) -> tuple[str, str, str] | None:
    """(id, key, other id): a key the keymap gives to a binding that another binding of
    the same list or screen keeps, where one of them would silently stop working."""
    for cls in _explorer_classes():
        owners: dict[str, str] = {}
        for binding in declared_bindings(cls):
            keys = keymap.get(binding.id or "", binding.key)
            for key in {_normal(key) for key in keys.split(",")}:
                other = owners.setdefault(key, binding.id or binding.action)
                if other != (binding.id or binding.action) and (
                    binding.id in keymap or other in keymap
                ):
                    mine = binding.id if binding.id in keymap else other
                    return mine, key, other if mine != other else binding.id or ""
    return None


def valid_key(key: str) -> bool:
    """A key Textual can bind: a character, or a key name ("pagedown", "less_than_sign"),
    after any modifiers ("ctrl+d")."""
    *modifiers, name = key.strip().split("+")
    if not name or any(modifier not in MODIFIERS for modifier in modifiers):
        return False
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    return name in _NAMED_KEYS or key_to_character(name) is not None


def read_keymap(entries: Sequence[tuple[str, str, str]]) -> dict[str, str]:
    """``[keys]`` entries (id, keys, where) as a keymap for ``App.set_keymap``; KeymapError,
    whose text is the one line a user is shown, for the first entry that is not right."""
    known = explorer_bindings()
    keymap: dict[str, str] = {}
    for binding_id, keys, where in entries:
        if binding_id not in known:
            close = difflib.get_close_matches(binding_id, list(known), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else "; ? in the explorer lists them"
            raise KeymapError(literal(f"{where}: no key binding has the id {binding_id!r}{hint}"))
        parts = [part.strip() for part in keys.split(",")]
        if "" in parts:
            raise KeymapError(
                literal(f"{where}: {keys!r}: a comma separates keys; the comma key is 'comma'")
            )
        bad = next((part for part in parts if not valid_key(part)), None)
        if bad is not None:
            raise KeymapError(
                literal(
                    f"{where}: {bad!r} is not a key (a character like 'j', or a name like "
                    "'pagedown' or 'ctrl+d'; several separated by commas)"
                )
            )
        keymap[binding_id] = ",".join(parts)
    clash = _clash(keymap)
    if clash is not None:
        mine, key, other = clash
        where = next(where for binding_id, _keys, where in entries if binding_id == mine)
        raise KeymapError(
            literal(
                f"{where}: {key!r} is already the key of {other!r} in the same place; "
                f"give {other!r} another key too, or choose another"
            )
        )
    return keymap
