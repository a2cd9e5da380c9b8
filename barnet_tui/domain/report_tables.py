"""Questions asked of the rest of a report: key actions, finance lines and risks.

Pure functions of frames, like ``queries``: the quick check runs them lazily over a scan, the
explorer over one period's rows.
"""

from __future__ import annotations

from typing import TypeVar

import polars as pl

from barnet_tui.domain.ratings import SEVERITY

Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)

IMPACT_WORDS = ("Negligible", "Minor", "Moderate", "Major", "Catastrophic")
PROBABILITY_WORDS = ("Rare", "Unlikely", "Possible", "Likely", "Almost certain")
ACTION_RATINGS = ("Green", "Green Amber", "Red Amber", "Red")


def latest_per_service(frame: Frame) -> Frame:
    """Each service's rows from the latest period it has any in: what we know of it now.

    Periods are ``YYYY/YY Qn``, so their text order is their time order.
    """
    return frame.filter(pl.col("period") == pl.col("period").max().over("service"))


def not_green(frame: Frame) -> Frame:
    """Key actions that are not on track: any rating but Green, or none at all."""
    return frame.filter(pl.col("rag").is_null() | (pl.col("rag") != "Green"))


def worst_actions_first(frame: Frame) -> Frame:
    severity = pl.col("rag").replace_strict(SEVERITY, default=len(SEVERITY), return_dtype=pl.Int64)
    return frame.sort(["service", severity, "ref"], nulls_last=True, maintain_order=True)


def scored_at_least(frame: Frame, minimum: int | None) -> Frame:
    if minimum is None:
        return frame
    return frame.filter(pl.col("score") >= minimum)


def worst_risks_first(frame: Frame) -> Frame:
    return frame.sort(
        ["service", "score", "risk_id"],
        descending=[False, True, False],
        nulls_last=True,
        maintain_order=True,
    )


def placed_impact() -> pl.Expr:
    """A risk's impact, or its score over its probability when the register leaves the impact
    blank but the score is a whole step of the scale (how the report's heat map counts it)."""
    derived = pl.col("score") // pl.col("probability")
    whole = (pl.col("score") % pl.col("probability") == 0) & derived.is_between(1, 5)
    return pl.coalesce(pl.col("impact"), pl.when(whole).then(derived))


def heat_map(risks: pl.DataFrame) -> tuple[dict[tuple[int, int], int], int]:
    """Risks per (probability, impact) cell, and how many cannot be placed on the grid."""
    placed = risks.select(pl.col("probability"), placed_impact().alias("impact"))
    on_grid = placed.filter(
        pl.col("probability").is_between(1, 5) & pl.col("impact").is_between(1, 5)
    )
    counts = on_grid.group_by("probability", "impact").len()
    cells = {(int(p), int(i)): int(n) for p, i, n in counts.iter_rows()}
    return cells, risks.height - on_grid.height


def action_counts(actions: pl.DataFrame) -> pl.DataFrame:
    """Per service: key actions by rating, not rated, and in all, counted as the report's
    overview counts them: where a service's rows carry an overall (annual) status, its
    intentions by that status; otherwise every action by its own."""
    if actions.is_empty():
        return pl.DataFrame(
            schema={"service": pl.String, **dict.fromkeys(_COUNT_COLUMNS, pl.UInt32)}
        )
    has_overall = pl.col("overall_rag_raw").is_not_null().any().over("service")
    counted = actions.with_columns(
        pl.when(has_overall).then(pl.col("overall_rag")).otherwise(pl.col("rag")).alias("_rag"),
        (~has_overall | pl.col("overall_rag_raw").is_not_null()).alias("_counted"),
    ).filter(pl.col("_counted"))
    return counted.group_by("service").agg(
        *[(pl.col("_rag") == rating).sum().alias(column) for rating, column in _RATING_COLUMNS],
        pl.col("_rag").is_null().sum().alias("actions_not_rated"),
        pl.len().alias("actions"),
    )


_RATING_COLUMNS = (
    ("Green", "actions_green"),
    ("Green Amber", "actions_green_amber"),
    ("Red Amber", "actions_red_amber"),
    ("Red", "actions_red"),
)
_COUNT_COLUMNS = (*(column for _rating, column in _RATING_COLUMNS), "actions_not_rated", "actions")


def revenue_variance(finance: pl.DataFrame) -> pl.DataFrame:
    """Per service: the revenue variance of its Total line, else of its one line, in £000."""
    revenue = finance.filter(pl.col("kind") == "revenue")
    variance = pl.coalesce("variance_after_reserves", "variance")
    is_total = pl.col("line").str.to_lowercase().str.starts_with("total")
    lines = revenue.with_columns(variance.alias("revenue_variance"), is_total.alias("_total"))
    totals = (
        lines.filter(pl.col("_total")).group_by("service").agg(pl.col("revenue_variance").last())
    )
    single = (
        lines.group_by("service")
        .agg(pl.col("revenue_variance").first(), pl.len().alias("_lines"))
        .filter(pl.col("_lines") == 1)
        .drop("_lines")
    )
    return pl.concat([totals, single.join(totals, on="service", how="anti")])


def with_report_columns(
    summary: pl.DataFrame, actions: pl.DataFrame, finance: pl.DataFrame
) -> pl.DataFrame:
    """The corporate summary with each service's key-action counts and revenue variance
    (null where its report gives none, and on committee and council rows)."""
    extra = action_counts(actions).join(
        revenue_variance(finance), on="service", how="full", coalesce=True
    )
    service_rows = pl.col("level") == "service"
    joined = summary.join(extra, on="service", how="left")
    added = [column for column in extra.columns if column != "service"]
    return joined.with_columns(pl.when(service_rows).then(pl.col(added)))
