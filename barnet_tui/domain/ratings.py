"""Ratings and directions of travel as people read them: badge letters, words, arrows.

A badge never relies on colour alone: every rating has letters (``G``, ``GA``, ``RA``, ``R``,
``M`` for Monitor, ``-`` for not rated, ``?`` for a value outside the contract).
"""

from __future__ import annotations

BADGE_LETTERS: dict[str, str] = {
    "Green": "G",
    "Green Amber": "GA",
    "Red Amber": "RA",
    "Red": "R",
    "Monitor": "M",
}
NOT_RATED = "-"
UNKNOWN = "?"

DOT_ARROWS: dict[str, str] = {
    "Improving": "▲",
    "Worsening": "▼",
    "Same": "↔",
    "Not comparable": "≠",
    "New": "★",
    "Monitor": "•",
}


def badge_letters(rag: str | None) -> str:
    if rag is None:
        return NOT_RATED
    return BADGE_LETTERS.get(rag, UNKNOWN)


def dot_label(dot: str | None) -> str:
    """ "▼ Worsening"; "?" words for values outside the contract are shown as printed."""
    if dot is None:
        return ""
    arrow = DOT_ARROWS.get(dot, UNKNOWN)
    return f"{arrow} {dot}"
