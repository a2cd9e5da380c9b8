"""The RAG rule printed in the reports' key, applied to one indicator with its working shown.

The key rates the share of the *targeted improvement* achieved: how far the result moved
from the comparison figure (last year's result, or the previous outturn) towards the target.
Green = target met or exceeded; Green Amber = not met but 80% or more achieved; Red Amber =
65-80%; Red = under 65%. Two amendments lift a Red: within 5% of target with an improving
direction of travel to Green Amber, within 10% to Red Amber; and a survey result within its
margin of error to Red Amber. The key's third clause (a worsening direction "not in excess of
2.5%" when an improvement plan is in place) needs a plan the data does not record, so the
rule never applies it, and says so only by not lifting.

Pure: numbers in, a :class:`Rating` out, so the audit, the indicator screen and the tests all
share one implementation.
"""

from __future__ import annotations

from typing import NamedTuple

BIGGER = "Bigger is Better"
SMALLER = "Smaller is Better"

GREEN_AMBER_FROM = 80.0
RED_AMBER_FROM = 65.0
NEAR_TARGET = 5.0
"""% off target within which an improving Red is lifted to Green Amber."""
FAIRLY_NEAR_TARGET = 10.0
"""% off target within which an improving Red is lifted to Red Amber."""

MARGIN_OF_ERROR_WORDS = ("confidence interval", "margin of error")
"""Words in the printed result that say a survey figure is within its margin of error."""


class Rating(NamedTuple):
    """What the rule makes of one row. ``rating`` is None when it cannot say; ``missed``
    still says whether the target was missed when that much is known (a Green whose result
    is on the wrong side of its target is wrong even when the % cannot be computed)."""

    rating: str | None
    working: str
    missed: bool | None = None
    percent: float | None = None
    """% of the targeted improvement achieved, when computed."""
    amendment: str | None = None
    """Which amendment lifted a Red, if one did."""
    polarity: str | None = None
    """The polarity used: as printed, or inferred from the direction of travel."""


def number_text(value: float) -> str:
    """Figures as people write them: 85, 81.5, 0.959 (no float noise)."""
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def _percent(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0") + "%"


def _not_a_number(figure: str, printed: str | None) -> str:
    if printed is None or not printed.strip():
        return f"Cannot rate: no {figure} printed"
    return f"Cannot rate: the {figure} is not one number (printed: {printed.strip()})"


def infer_polarity(result: float, baseline: float | None, dot: str | None) -> str | None:
    """Which way is better, read off the report's own direction of travel: a result that
    rose and is called Improving means bigger is better. None when the row cannot tell."""
    if baseline is None or result == baseline or dot not in ("Improving", "Worsening"):
        return None
    rose = result > baseline
    return BIGGER if rose == (dot == "Improving") else SMALLER


def rate(
    result: float | None,
    target: float | None,
    baseline: float | None,
    polarity: str | None,
    dot: str | None = None,
    result_text: str | None = None,
    target_text: str | None = None,
) -> Rating:
    """The key's rating for one row, with the working as one sentence a person can check.

    ``baseline`` is the comparison figure the direction of travel uses; ``dot`` the printed
    direction of travel; ``result_text`` and ``target_text`` the figures as printed (the
    margin-of-error amendment applies when the result says it is within its confidence
    interval; a figure that is not one number is quoted in the working).
    """
    if polarity == "Monitor" or (target_text or "").strip().casefold() == "monitor":
        return Rating(None, "Monitor indicator: no target to meet, so no rating")
    if result is None:
        return Rating(None, _not_a_number("result", result_text))
    if target is None:
        return Rating(None, _not_a_number("target", target_text))
    inferred = ""
    if polarity not in (BIGGER, SMALLER) and result == target:  # met, whichever way is better
        figures = f"result {number_text(result)} equals target {number_text(target)}"
        return Rating("Green", f"Green: target met ({figures})", False)
    if polarity not in (BIGGER, SMALLER):
        polarity = infer_polarity(result, baseline, dot)
        if polarity is None:
            return Rating(
                None,
                "Cannot rate: no polarity printed, and the direction of travel does not "
                "show which way is better",
            )
        inferred = f"; {polarity.lower()}, read from the direction of travel"
    sign = 1.0 if polarity == BIGGER else -1.0
    figures = f"result {number_text(result)} against target {number_text(target)}{inferred}"
    if (result - target) * sign >= 0:
        return Rating("Green", f"Green: target met ({figures})", False, polarity=polarity)
    if baseline is None:
        return Rating(
            None,
            f"Target missed ({figures}); no comparison figure, so the % of the targeted "
            "improvement cannot be computed",
            True,
            polarity=polarity,
        )
    targeted = (target - baseline) * sign
    if targeted <= 0:
        return Rating(
            None,
            f"Target missed ({figures}); the target asks for no improvement on the "
            f"comparison figure {number_text(baseline)}, so the % achieved is undefined",
            True,
            polarity=polarity,
        )
    # Printed figures have few decimals; rounding away float noise keeps 1.6 of 2 at 80%.
    percent = round((result - baseline) * sign / targeted * 100, 9)
    achieved = f"{_percent(percent)} of the targeted improvement achieved"
    if percent >= GREEN_AMBER_FROM:
        band, why = "Green Amber", "80% or more, target missed"
    elif percent >= RED_AMBER_FROM:
        band, why = "Red Amber", "65-80%"
    else:
        band, why = "Red", "under 65%"
    working = f"{band}: {achieved} ({why}; from {number_text(baseline)}, {figures})"
    rating = Rating(band, working, True, percent, polarity=polarity)
    return _amended(rating, result, target, dot, result_text) if band == "Red" else rating


def _amended(
    rating: Rating, result: float, target: float, dot: str | None, result_text: str | None
) -> Rating:
    """The key's amendments, which only ever lift a Red."""
    if target != 0 and dot == "Improving":
        off = abs(result - target) / abs(target) * 100
        for limit, lifted in ((NEAR_TARGET, "Green Amber"), (FAIRLY_NEAR_TARGET, "Red Amber")):
            if off <= limit:
                amendment = (
                    f"lifted from Red: {_percent(off)} off target (within {limit:.0f}%) "
                    "with an improving direction of travel"
                )
                return _lift(rating, lifted, amendment)
    printed = (result_text or "").casefold()
    if any(words in printed for words in MARGIN_OF_ERROR_WORDS):
        return _lift(rating, "Red Amber", "lifted from Red: within the margin of error")
    return rating


def _lift(rating: Rating, to: str, amendment: str) -> Rating:
    working = f"{to}: " + rating.working.removeprefix("Red: ") + f"; {amendment}"
    return rating._replace(rating=to, working=working, amendment=amendment)
