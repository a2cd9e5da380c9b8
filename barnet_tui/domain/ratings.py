"""Ratings and directions of travel as people read them: badge letters, words, arrows.

A badge never relies on colour alone: every rating has letters (``G``, ``GA``, ``RA``, ``R``,
``M`` for Monitor, ``-`` for not rated, ``?`` for a value outside the contract).
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from barnet_tui.domain.contract import BELOW_TARGET_RAGS, RAG_VALUES

BADGE_LETTERS: dict[str, str] = {
    "Green": "G",
    "Green Amber": "GA",
    "Red Amber": "RA",
    "Red": "R",
    "Monitor": "M",
}
NOT_RATED = "-"
UNKNOWN = "?"

# Worst first: the order below-target lists and summaries use.
SEVERITY: dict[str | None, int] = {"Red": 0, "Red Amber": 1, "Green Amber": 2, None: 3}
SEVERITY.update({"Green": 4, "Monitor": 5})

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


def below_target_expr(ratings: Iterable[str] = BELOW_TARGET_RAGS) -> pl.Expr:
    """Rows below target: a rating in ``ratings``, or the row says so and has no rating we
    know (none printed, or a word outside the contract: kept, never dropped)."""
    rated = pl.col("rag").is_in(list(ratings))
    unknown = pl.col("rag").is_null() | ~pl.col("rag").is_in(list(RAG_VALUES))
    return rated | (unknown & pl.col("below_target").fill_null(False))
