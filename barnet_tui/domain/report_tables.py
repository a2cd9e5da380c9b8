"""Questions asked of the rest of a report: key actions, finance lines and risks.

Pure functions of frames, like ``queries``: the quick check runs them lazily over a scan, the
explorer over one period's rows.
"""

from __future__ import annotations

from typing import TypeVar

import polars as pl

from barnet_tui.domain.attention import high_risk, not_on_track, severity, variance

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
    return frame.filter(not_on_track())


def worst_actions_first(frame: Frame) -> Frame:
    return frame.sort(["service", severity(), "ref"], nulls_last=True, maintain_order=True)


def scored_at_least(frame: Frame, minimum: int | None) -> Frame:
    return frame if minimum is None else frame.filter(high_risk(minimum))


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


def with_placed_impact(risks: pl.DataFrame) -> pl.DataFrame:
    """``risks`` with ``placed_impact``: the impact the heat map places each at, which is
    derived (``impact_derived``) where the register leaves the impact blank."""
    return risks.with_columns(placed_impact().alias("placed_impact")).with_columns(
        impact_derived=pl.col("impact").is_null() & pl.col("placed_impact").is_not_null()
    )


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
    intentions by that status; otherwise every action by its own. ``actions_listed``: every
    action its tables list (the Key actions tab), so a count that differs can say so."""
    if actions.is_empty():
        return pl.DataFrame(
            schema={"service": pl.String, **dict.fromkeys(_COUNT_COLUMNS, pl.UInt32)}
        )
    has_overall = pl.col("overall_rag_raw").is_not_null().any().over("service")
    counted = actions.with_columns(
        pl.when(has_overall).then(pl.col("overall_rag")).otherwise(pl.col("rag")).alias("_rag"),
        (~has_overall | pl.col("overall_rag_raw").is_not_null()).alias("_counted"),
    ).filter(pl.col("_counted"))
    listed = actions.group_by("service").agg(pl.len().alias("actions_listed"))
    return (
        counted.group_by("service")
        .agg(
            *[(pl.col("_rag") == rating).sum().alias(column) for rating, column in _RATING_COLUMNS],
            pl.col("_rag").is_null().sum().alias("actions_not_rated"),
            pl.len().alias("actions"),
        )
        .join(listed, on="service", how="left")
    )


_RATING_COLUMNS = (
    ("Green", "actions_green"),
    ("Green Amber", "actions_green_amber"),
    ("Red Amber", "actions_red_amber"),
    ("Red", "actions_red"),
)
_COUNT_COLUMNS = (
    *(column for _rating, column in _RATING_COLUMNS),
    "actions_not_rated",
    "actions",
    "actions_listed",
)
"""``actions_listed``: every action the tables list, whatever the overview counts."""


def revenue_variance(finance: pl.DataFrame) -> pl.DataFrame:
    """Per service: the revenue variance of its Total line, else of its one line, in £000,
    and where that line is (``revenue_source``, ``revenue_line``)."""
    revenue = finance.filter(pl.col("kind") == "revenue")
    is_total = pl.col("line").str.to_lowercase().str.starts_with("total")
    lines = revenue.with_columns(
        variance().alias("revenue_variance"),
        is_total.alias("_total"),
        pl.col("source").alias("revenue_source"),
        pl.col("source_line").alias("revenue_line"),
    )
    picked = ("revenue_variance", "revenue_source", "revenue_line")
    totals = lines.filter(pl.col("_total")).group_by("service").agg(pl.col(picked).last())
    single = (
        lines.group_by("service")
        .agg(pl.col(picked).first(), pl.len().alias("_lines"))
        .filter(pl.col("_lines") == 1)
        .drop("_lines")
    )
    return pl.concat([totals, single.join(totals, on="service", how="anti")])


def disputed_places(disagreements: pl.DataFrame) -> pl.DataFrame:
    """(source, source_line) of every line a disagreement is about: the line it was found
    on and each line its message names ("the table (line 105) gives 0")."""
    named = disagreements.select(
        "source",
        pl.concat_list(
            pl.col("line").cast(pl.Int64),
            pl.col("message")
            .str.extract_all(r"\(line (\d+)\)")
            .list.eval(pl.element().str.extract(r"(\d+)").cast(pl.Int64)),
        ).alias("source_line"),
    )
    return named.explode("source_line").unique().with_columns(disputed=pl.lit(True))


def with_disputed(rows: pl.DataFrame, disagreements: pl.DataFrame) -> pl.DataFrame:
    """``rows`` with ``disputed``: the report states a figure of the row twice, and the two
    disagree (so every place the row's figures appear can carry a mark)."""
    if rows.is_empty() or disagreements.is_empty():
        return rows.with_columns(disputed=pl.lit(False))
    places = disputed_places(disagreements)
    return rows.join(places, on=["source", "source_line"], how="left").with_columns(
        pl.col("disputed").fill_null(False)
    )


def with_report_columns(
    summary: pl.DataFrame,
    actions: pl.DataFrame,
    finance: pl.DataFrame,
    disagreements: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The corporate summary with each service's key-action counts and revenue variance
    (null where its report gives none, and on committee and council rows), and whether the
    report disputes them (``actions_disputed``: its overview counts other actions than it
    lists; ``revenue_disputed``: it gives the variance's line another figure elsewhere)."""
    extra = action_counts(actions).join(
        revenue_variance(finance), on="service", how="full", coalesce=True
    )
    checks = disagreements if disagreements is not None else pl.DataFrame()
    places = (
        disputed_places(checks)
        if not checks.is_empty()
        else pl.DataFrame(
            schema={"source": pl.String, "source_line": pl.Int64, "disputed": pl.Boolean}
        )
    )
    extra = extra.join(
        places.rename({"source": "revenue_source", "source_line": "revenue_line"}),
        on=["revenue_source", "revenue_line"],
        how="left",
    ).rename({"disputed": "revenue_disputed"})
    action_services = (
        checks.filter(pl.col("table") == "actions")["service"].unique().to_list()
        if not checks.is_empty()
        else []
    )
    extra = extra.with_columns(
        pl.col("revenue_disputed").fill_null(False) & pl.col("revenue_variance").is_not_null(),
        actions_disputed=pl.col("service").is_in(action_services) & pl.col("actions").is_not_null(),
    ).drop("revenue_source", "revenue_line")
    service_rows = pl.col("level") == "service"
    joined = summary.join(extra, on="service", how="left")
    added = [column for column in extra.columns if column != "service"]
    return joined.with_columns(pl.when(service_rows).then(pl.col(added)))
