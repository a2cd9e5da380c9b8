"""What a check judged, so that its "nothing" is a measured nothing.

A list that comes back empty means two different things: everything it could judge passed
("Nothing is below target among the 41 rated indicators of 2016/17 Q4"), or there was nothing
to judge ("2016/17 Q3: 0 of 63 indicators carry a rating; nothing to judge"). A cron job that
reads the second as the first stays silent for ever, so every check counts what it held, what
of it could be judged, and what it found; the quick check, ``changes``, ``audit`` and the
explorer all say their nothing from one :class:`Judged`.
"""

from __future__ import annotations

from typing import NamedTuple, TypeVar

import polars as pl

from barnet_tui.domain.attention import below_target_expr, high_risk, not_on_track
from barnet_tui.domain.contract import RAG_VALUES
from barnet_tui.domain.queries import rated_as
from barnet_tui.domain.ratings import badge_letters
from barnet_tui.domain.report_tables import ACTION_RATINGS

Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)

TARGET_RATINGS = ("Green", "Green Amber", "Red Amber", "Red")
"""Ratings that say how an indicator stands against its target (Monitor says none)."""

UNKNOWN_EXIT = 3
"""The exit status of a check with nothing to judge, as monitoring plugins use it (UNKNOWN):
neither "all clear" (0) nor "found something" (1)."""


class Judged(NamedTuple):
    """What one check looked at: ``held`` items in its scope, ``judged`` of them carrying
    what the check needs (a rating, a below-target mark, a score), ``found`` it keeps."""

    held: int
    judged: int
    found: int
    marked_only: int = 0
    """Of the judged, those judged by a mark alone (an indicator listed as below target
    without a rating), so a sentence never calls them rated."""

    @property
    def nothing_to_judge(self) -> bool:
        return self.judged == 0


def judged_against_target() -> pl.Expr:
    """Rows that say how they stand against their target: a rating of ``TARGET_RATINGS``,
    or, without a rating the contract knows, a below-target mark either way."""
    rag = pl.col("rag")
    unknown = rag.is_null() | ~rag.is_in(list(RAG_VALUES))
    return rag.is_in(list(TARGET_RATINGS)) | (unknown & pl.col("below_target").is_not_null())


def judge_below_target(
    rows: Frame, below_target: tuple[str, ...], only: tuple[str, ...] | None = None
) -> Judged:
    """The indicator rows of a scope judged for being below target: ``below_target`` the
    ratings that count (as ``below_target_expr`` reads them), ``only`` those asked for
    (``--rag``; "-" for rows marked below without a rating)."""
    below = below_target_expr(below_target)
    if only is not None:
        below = below & rated_as(only)
    judged = _judged(rows, judged_against_target(), below)
    marked = judged_against_target() & ~pl.col("rag").is_in(list(TARGET_RATINGS)).fill_null(False)
    return judged._replace(marked_only=_judged(rows, marked, pl.lit(False)).judged)


def judge_actions(actions: Frame) -> Judged:
    """Key actions judged for being on track: each one a rating says. An unrated action is
    found (not on track), never passed."""
    return _judged(actions, pl.col("rag").is_in(list(ACTION_RATINGS)), not_on_track())


def judge_risks(risks: Frame, min_score: int | None) -> Judged:
    """Risks judged against ``min_score``: those with a score (every risk, without one)."""
    if min_score is None:  # every risk is listed
        held = _judged(risks, pl.lit(False), pl.lit(False)).held
        return Judged(held, held, held)
    return _judged(risks, pl.col("score").is_not_null(), high_risk(min_score))


def _judged(frame: Frame, judged: pl.Expr, found: pl.Expr) -> Judged:
    counted = frame.select(
        held=pl.len(), judged=judged.fill_null(False).sum(), found=found.fill_null(False).sum()
    )
    row = (counted.collect() if isinstance(counted, pl.LazyFrame) else counted).row(0)
    held, judged_count, found_count = (int(value or 0) for value in row)
    return Judged(held, judged_count, found_count)


def _indicators(count: int) -> str:
    return f"{count} indicator" + ("" if count == 1 else "s")


def rating_words(ratings: tuple[str, ...] | None) -> str:
    """ "is below target", or "below target is rated R or RA" for a chosen few."""
    if ratings is None:
        return "is below target"
    letters = " or ".join(badge_letters(rating) for rating in ratings if rating != "-")
    said = [f"rated {letters}"] if letters else []
    if "-" in ratings:
        said.append("listed without a rating")
    return "below target is " + ", or ".join(said)


def nothing_below_target(judged: Judged, scope: str, ratings: tuple[str, ...] | None) -> str:
    """What an empty below-target list judged: its rated indicators, or that it had none."""
    if judged.held == 0:
        return f"{scope} holds no indicator; nothing to judge."
    if judged.nothing_to_judge:
        carry = "carries" if judged.held == 1 else "carry"
        return f"{scope}: 0 of {_indicators(judged.held)} {carry} a rating; nothing to judge."
    unjudged = judged.held - judged.judged
    if judged.marked_only:
        among = f"{_indicators(judged.judged)} of {scope} rated or marked below target"
        rest = f" ({unjudged} more are neither)" if unjudged else ""
    else:
        among = f"{judged.judged} rated indicator{'' if judged.judged == 1 else 's'} of {scope}"
        rest = f" ({unjudged} more carry no rating)" if unjudged else ""
    return f"Nothing {rating_words(ratings)} among the {among}{rest}."


def nothing_off_track(judged: Judged, scope: str) -> str:
    """What an empty list of key actions not on track judged."""
    if judged.held == 0:
        return f"{scope} holds no key action; nothing to judge."
    many = judged.held != 1
    return f"Every one of the {judged.held} key action{'s' if many else ''} of {scope} is on track."


def nothing_scored(judged: Judged, scope: str, min_score: int | None) -> str:
    """What an empty list of risks judged."""
    if judged.held == 0:
        return f"{scope} holds no risk; nothing to judge."
    if judged.nothing_to_judge:
        return f"{scope}: 0 of {judged.held} risks carry a score; nothing to judge."
    many = judged.judged != 1
    return (
        f"No risk is scored {min_score} or more among the {judged.judged} scored "
        f"risk{'s' if many else ''} of {scope}."
    )


def exit_status(judged: Judged, fail_if_any: bool) -> int:
    """A check's exit status: 1 when ``fail_if_any`` and something was found, 3 when it
    asked and there was nothing to judge, else 0."""
    if not fail_if_any:
        return 0
    if judged.found:
        return 1
    return UNKNOWN_EXIT if judged.nothing_to_judge else 0
