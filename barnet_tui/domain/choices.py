"""Resolving what a person typed (a service, a period, a rating) against the valid choices.

An unknown value is an error that lists the valid choices, closest first, so a typo is one
glance from its fix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

_LISTED = 20
"""Choices an error names, closest first: a decade of quarters would not fit one line."""


class ChoiceError(ValueError):
    """A value that is not one of the choices; ``str()`` is one line for the user."""

    def __init__(
        self, kind: str, value: str, choices: Sequence[str], reason: str = "unknown"
    ) -> None:
        self.kind, self.value = kind, value
        self.choices = closest_first(value, choices)
        listed = ", ".join(self.choices[:_LISTED]) if self.choices else "none"
        if len(self.choices) > _LISTED:
            listed += f" and {len(self.choices) - _LISTED} more"
        super().__init__(f"{reason} {kind} {value!r}; choose from: {listed}")


def closest_first(value: str, choices: Sequence[str]) -> list[str]:
    """All choices, the most similar to ``value`` first (ties keep their given order)."""
    import difflib  # only on the error path

    folded = value.casefold()

    def distance(choice: str) -> float:
        candidate = choice.casefold()
        if candidate.startswith(folded) or folded.startswith(candidate):
            return -1.0
        return -difflib.SequenceMatcher(None, folded, candidate).ratio()

    return sorted(choices, key=distance)


def choose(
    kind: str,
    value: str,
    choices: Sequence[str],
    aliases: Mapping[str, str] | None = None,
) -> str:
    """The choice ``value`` names: exactly, by alias, or by a unique prefix (any case)."""
    folded = value.strip().casefold()
    for choice in choices:
        if choice.casefold() == folded:
            return choice
    for alias, choice in (aliases or {}).items():
        if alias.casefold() == folded and choice in choices:
            return choice
    matches = [choice for choice in choices if choice.casefold().startswith(folded)]
    if folded and len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise ChoiceError(kind, value, matches, reason="ambiguous")
    raise ChoiceError(kind, value, choices)
