"""``barnet-tui --below-target``: the below-target indicators, printed, for people and scripts.

Never imports Textual or Rich: it runs in cron jobs and SSH logins where start-up time is
the whole cost. Colour only when stdout is a terminal and NO_COLOR is unset. The domain
answers (``questions.below_target_list``); ``output.below_target`` prints.
"""

from __future__ import annotations

import sys

from barnet_tui.cli.common import warn
from barnet_tui.config import Config
from barnet_tui.domain.choices import ChoiceError, choose
from barnet_tui.domain.judging import exit_status
from barnet_tui.domain.questions import BelowTargetQuery, below_target_list
from barnet_tui.domain.ratings import BADGE_LETTERS, NOT_RATED
from barnet_tui.output.below_target import write

RATING_CHOICES = ("R", "RA", "GA", NOT_RATED)
"""Letters --rag accepts: the below-target ratings, and "-" for those listed without one."""


def parse_ratings(text: str) -> tuple[str, ...]:
    """``R,RA,GA`` -> the contract's ratings; "-" keeps rows listed without a rating."""
    chosen = []
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        letters = choose("rating", part, RATING_CHOICES)
        chosen.append(NOT_RATED if letters == NOT_RATED else _rating_for(letters))
    if not chosen:
        raise ChoiceError("rating", text, RATING_CHOICES)
    return tuple(chosen)


def _rating_for(letters: str) -> str:
    return next(rag for rag, badge in BADGE_LETTERS.items() if badge == letters)


def run(
    query: BelowTargetQuery,
    fmt: str,
    fail_if_any: bool,
    config: Config,
    width: int | None = None,
) -> int:
    """Print the selection; with ``fail_if_any``, exit status 1 when anything is below
    target, 3 when nothing could be judged (no indicator in scope carries a rating)."""
    footed = fmt in ("table", "markdown")  # the formats whose footer names the summary's
    selection = below_target_list(
        query, config.data_dir, config.below_target, warn, beside_summary=footed or fail_if_any
    )
    write(selection, fmt, sys.stdout, config, width)
    return exit_status(selection.judged, fail_if_any)
