"""The rules of attention: which rows need a reader's attention, and which are worst.

An indicator below target, a key action not on track, a budget line overspent, a risk scored
high; and the order of ratings, worst first. The quick check's lists and the explorer's
``b`` filters and sorts ask these, so the two never disagree about what needs attention.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from barnet_tui.domain.contract import BELOW_TARGET_RAGS, RAG_VALUES

SEVERITY: dict[str | None, int] = {"Red": 0, "Red Amber": 1, "Green Amber": 2, None: 3}
SEVERITY.update({"Green": 4, "Monitor": 5})
"""Ratings worst first (not rated between the ambers and Green): the order of below-target
lists, key actions and summaries; a word outside the contract comes last."""

BELOW_TARGET = "below target"
NOT_ON_TRACK = "not on track"
NOT_ON_TRACK_MEANS = "any rating but Green, or none"
OVERSPENT = "overspent"
HIGH_RISK = 15
"""The score the reports call a high-level risk ("15 or above")."""
HIGH_RISK_WORDS = f"score {HIGH_RISK}+"


def severity(column: str = "rag") -> pl.Expr:
    """A rating's place in ``SEVERITY``: sorting by it puts the worst first."""
    return pl.col(column).replace_strict(SEVERITY, default=len(SEVERITY), return_dtype=pl.Int64)


def below_target_expr(ratings: Iterable[str] = BELOW_TARGET_RAGS) -> pl.Expr:
    """Indicators below target: a rating in ``ratings``, or the row says so and has no rating
    we know (none printed, or a word outside the contract: kept, never dropped)."""
    rated = pl.col("rag").is_in(list(ratings))
    unknown = pl.col("rag").is_null() | ~pl.col("rag").is_in(list(RAG_VALUES))
    return rated | (unknown & pl.col("below_target").fill_null(False))


def not_on_track() -> pl.Expr:
    """A key action not on track: any rating but Green, or none at all."""
    return pl.col("rag").is_null() | (pl.col("rag") != "Green")


def variance() -> pl.Expr:
    """A budget line's variance in £000: after reserve movements where the report gives
    that, else before."""
    return pl.coalesce("variance_after_reserves", "variance")


def overspent() -> pl.Expr:
    """A budget line forecast (or spent) over its budget."""
    return variance() > 0


def high_risk(minimum: int = HIGH_RISK) -> pl.Expr:
    """A risk scored ``minimum`` or more (high level, by default)."""
    return pl.col("score") >= minimum


def disagrees() -> pl.Expr:
    """An audited row whose published rating is not the rule's (one the rule could not
    check is not a disagreement)."""
    return pl.col("agrees").not_().fill_null(False)


def worse() -> pl.Expr:
    """A change for the worse."""
    return pl.col("worse")
