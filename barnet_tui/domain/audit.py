"""The RAG rule audited: every indicator row's published rating beside the rule's.

Three kinds of row come out, in this order: rows published with a rating the rule can check
(does it agree?), rows the rule can rate that were published without one, and rows it cannot
rate (why not). A published Green whose result misses its target always disagrees, even when
the % of the targeted improvement cannot be computed.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import polars as pl

from barnet_tui.domain.dataset import scan_table
from barnet_tui.domain.judging import TARGET_RATINGS, Judged
from barnet_tui.domain.queries import CURRENT, current_rows, has_period, unavailable_period
from barnet_tui.domain.questions import resolve_scope, within
from barnet_tui.domain.rag_rule import (
    BIGGER,
    FAIRLY_NEAR_TARGET,
    NEAR_TARGET,
    Rating,
    number_text,
    rate,
)
from barnet_tui.domain.ratings import badge_letters
from barnet_tui.domain.storage.location import Location

AUDIT_COLUMNS = (
    "period",
    "service",
    "ref",
    "indicator",
    "rag",
    "rag_source",
    "polarity",
    "target",
    "target_raw",
    "result",
    "result_raw",
    "previous",
    "dot",
    "source",
    "source_line",
)
"""The indicator columns the audit reads (nothing else is read from Parquet)."""

RULE_INPUTS = (
    "rag", "polarity", "target", "target_raw", "result", "result_raw", "previous", "dot",
)  # fmt: skip
"""What the rule and the verdict depend on: nothing else of a row."""
VERDICT_COLUMNS = ("kind", "computed", "agrees", "percent", "amendment", "working")

CHECKED = "checked"
NOT_PUBLISHED = "not published"
CANNOT_RATE = "cannot rate"
KINDS = (CHECKED, NOT_PUBLISHED, CANNOT_RATE)

AUDIT_SCHEMA = pl.Schema(
    {
        "kind": pl.String(),
        "period": pl.String(),
        "service": pl.String(),
        "ref": pl.String(),
        "indicator": pl.String(),
        "published": pl.String(),
        "rag_source": pl.String(),
        "computed": pl.String(),
        "agrees": pl.Boolean(),
        "percent": pl.Float64(),
        "amendment": pl.String(),
        "working": pl.String(),
        "source": pl.String(),
        "source_line": pl.Int64(),
    }
)


class Agreement(NamedTuple):
    agreed: int
    checked: int

    @property
    def rate(self) -> float | None:
        return self.agreed / self.checked if self.checked else None

    def sentence(self) -> str:
        if not self.checked:
            return "No published rating has the figures the rule needs."
        return (
            f"The rule agrees with {self.agreed} of {self.checked} published ratings it can "
            f"check ({self.rate:.0%})."
        )


def audit(indicators: pl.DataFrame) -> pl.DataFrame:
    """One row per indicator row (columns :data:`AUDIT_SCHEMA`), checked rows first, then
    those published without a rating, then those the rule cannot rate; disagreements first
    within the checked, each kind in period order."""
    # The rule sees only a row's figures: rate each distinct set once (reports repeat
    # them across councils and years), then join the ratings back onto the rows.
    figures = indicators.select(RULE_INPUTS).unique()
    rated = []
    for row in figures.iter_rows(named=True):
        rating = rule_for(row)
        kind, agrees, working = verdict(row, rating)
        percent = None if rating.percent is None else round(rating.percent, 1)
        rated.append((kind, rating.rating, agrees, percent, rating.amendment, working))
    verdicts = pl.DataFrame(
        rated,
        schema={name: AUDIT_SCHEMA[name] for name in VERDICT_COLUMNS},
        orient="row",
    )
    frame = (
        pl.concat([figures, verdicts], how="horizontal")
        .join(indicators.select(AUDIT_COLUMNS), on=RULE_INPUTS, how="right", nulls_equal=True)
        .rename({"rag": "published"})
        .select(AUDIT_SCHEMA.names())
    )
    order = {kind: index for index, kind in enumerate(KINDS)}
    return frame.sort(
        pl.col("kind").replace_strict(order, return_dtype=pl.Int8),
        pl.col("agrees").fill_null(True),
        "period",  # canonical "2016/17 Q4" text sorts in time order
        "service",
        "source",
        "source_line",
    )


def rule_for(row: dict[str, Any]) -> Rating:
    """The rule applied to one indicator row (a dict with :data:`AUDIT_COLUMNS`)."""
    return rate(
        row["result"], row["target"], row["previous"], row["polarity"], row["dot"],
        row["result_raw"], row["target_raw"],
    )  # fmt: skip


def verdict(row: dict[str, Any], rating: Rating) -> tuple[str, bool | None, str]:
    """The kind of audited row, whether the rule agrees, and the working shown. Where the
    rule's arithmetic is undefined, the result is still compared with the target: a
    published rating the comparison contradicts is a disagreement, said in an officer's
    words (:func:`off_target`)."""
    kind, agrees = judge(row["rag"], rating)
    if rating.rating is None and rating.missed:
        contradiction = off_target(row, rating)
        if contradiction is not None:
            return CHECKED, False, contradiction
    return kind, agrees, rating.working


NEAREST_ALLOWED = {"Green": 0.0, "Green Amber": NEAR_TARGET, "Red Amber": FAIRLY_NEAR_TARGET}
"""How far off target (%) the key ever allows each published rating: Green only on it, Green
Amber within 5% and Red Amber within 10% (its amendments' reach)."""


def off_target(row: dict[str, Any], rating: Rating) -> str | None:
    """When the rule cannot band a row whose target was missed (no comparison figure, or a
    target asking for no improvement on it), what a plain comparison of result and target
    makes of the published rating: the working, when the published rating claims more than
    the key allows that far off target (a Green below it, a Green Amber more than 5% off, a
    Red Amber more than 10%); None when it does not."""
    published, result, target = row["rag"], row["result"], row["target"]
    allowed = NEAREST_ALLOWED.get(published or "")
    if allowed is None or result is None or target is None or rating.polarity is None:
        return None
    bigger = rating.polarity == BIGGER
    off = abs(result - target) / abs(target) * 100 if target else None
    if published != "Green" and (off is None or off <= allowed):
        return None
    percents = "%" in (row["result_raw"] or "") and "%" in (row["target_raw"] or "")
    gap = number_text(abs(result - target)) + (" points" if percents else "")
    said = (
        f"{published} published, but {_printed(row, 'result')} against a target of "
        f"{_printed(row, 'target')} is {gap} {'below' if bigger else 'above'} target"
    )
    said += f" ({_figure(off)}% off; {rating.polarity.lower()})" if off is not None else ""
    baseline = row["previous"]
    if baseline is None:
        why = "No comparison figure, so no % of the targeted improvement"
    else:
        moved = "down" if result < baseline else "up" if result > baseline else "no change"
        said += f", {moved} from {number_text(baseline)}{'%' if percents else ''}"
        why = (
            f"The % of the targeted improvement is undefined (the comparison figure "
            f"{number_text(baseline)} already met the target)"
        )
    if published == "Green":
        return f"{said}. Green means target met. {why}."
    return (
        f"{said}. {why}, and the key gives {published} otherwise only within "
        f"{allowed:.0f}% of target."
    )


def _printed(row: dict[str, Any], figure: str) -> str:
    """A figure as the report prints it ("7.83 days"), else as a number."""
    printed = (row[f"{figure}_raw"] or "").strip()
    return printed or number_text(row[figure])


def _figure(value: float) -> str:
    """A share off target, to one decimal: 32.2, 5 (not 5.0)."""
    return f"{value:.1f}".removesuffix(".0")


def judge(published: str | None, rating: Rating) -> tuple[str, bool | None]:
    """Which kind of audited row this is, and whether the rule agrees with the report
    (None when there is nothing to agree with). A Monitor rating is not one the rule gives."""
    rated = published if published != "Monitor" else None
    if rated is not None and rating.rating is not None:
        return CHECKED, rated == rating.rating
    if rated == "Green" and rating.missed:
        return CHECKED, False
    if published is None and rating.rating is not None:
        return NOT_PUBLISHED, None
    return CANNOT_RATE, None


def rule_sentence(row: dict[str, Any]) -> str:
    """The rule's working for one indicator row, and what it makes of the published rating:
    what the indicator screen shows under the rating."""
    rating = rule_for(row)
    kind, agrees, working = verdict(row, rating)
    if agrees is True:
        return f"✓ {working}. Agrees with the report."
    if agrees is False and working != rating.working:
        return f"✗ {working}"
    if agrees is False:
        return f"✗ {working}. The report says {row['rag']}."
    if kind == NOT_PUBLISHED:
        return f"{rating.working}. The report gives no rating."
    return rating.working


def agreement(audited: pl.DataFrame) -> Agreement:
    checked = audited.filter(pl.col("kind") == CHECKED)
    return Agreement(int(checked["agrees"].sum()), checked.height)


def audit_judged(audited: pl.DataFrame) -> Judged:
    """What an audit judged: its rows, the published ratings checked, the disagreements."""
    agreed, checked = agreement(audited)
    return Judged(audited.height, checked, checked - agreed)


def audit_sentence(audited: pl.DataFrame) -> str:
    """The audit's first line: how far the rule agrees, or, with nothing checked, what the
    rows held (so an empty audit never reads as a clean one)."""
    held = agreement(audited)
    if held.checked or not audited.height:
        return held.sentence() if audited.height else "No indicator row to audit; nothing to check."
    published = audited.filter(pl.col("published").is_in(list(TARGET_RATINGS))).height
    rated = f"{published} of the {audited.height} indicator rows carry a published rating"
    if not published:
        return f"{rated}; nothing to check."
    return f"{rated}, none with the figures the rule needs; nothing to check."


def pair(row: dict[str, Any]) -> str:
    """ "RA ≠ R": the published rating against the rule's, as badge letters."""
    published, computed = badge_letters(row["published"]), badge_letters(row["computed"])
    if row["agrees"] is None:
        return f"{published} → {computed}" if row["kind"] == NOT_PUBLISHED else published
    if row["computed"] is None:
        return f"{published} ≠ not G" if row["published"] == "Green" else f"{published} ≠ far off"
    return f"{published} {'=' if row['agrees'] else '≠'} {computed}"


def mark(row: dict[str, Any]) -> str:
    """✓ agrees, ✗ disagrees, · nothing to agree with: never colour alone."""
    return {True: "✓", False: "✗"}.get(row["agrees"], "·")


class Audit(NamedTuple):
    rows: pl.DataFrame
    title: str


def audit_asked(data: Location, period_text: str, service_text: str | None) -> Audit:
    """The RAG rule applied to the rows of a period (or every period, or each indicator's
    latest) and service; ChoiceError / DatasetError on bad input."""
    scan = scan_table(data, "indicators")
    scan.require_rows()
    scope = resolve_scope(scan, period_text, service_text, "indicator")
    rows = within(scan.rows, scope)
    if scope.period is None and period_text == CURRENT:
        rows = current_rows(rows)
    audited = audit(rows.select(AUDIT_COLUMNS).collect())
    if not audited.height and scope.period and not has_period(scan.rows, scope.period):
        raise unavailable_period(scan.rows, period_text)  # not "nothing to audit"
    return Audit(audited, scope.title)
