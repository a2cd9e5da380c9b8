"""The corporate summary: per service, how many indicators are on target, improving, below.

Reports publish these counts (``service_summary``); the detailed rows give counts too, and
for most reports only their below-target rows are detailed. Each summary row says which it
is (``basis``). Where the report publishes counts, those are shown, and the detailed
below-target count sits beside them: when the two disagree, both are there to see.
"""

from __future__ import annotations

import polars as pl

from barnet_tui.domain.contract import ALL_SERVICES, BELOW_TARGET_RAGS, SUMMARY_COUNTS
from barnet_tui.domain.ratings import below_target_expr

PUBLISHED = "published"
DETAILED = "detailed rows"
MIXED = "mixed"
"""A total summed from service rows of both bases (the report's counts for some services,
counted rows for others)."""

COUNTS = SUMMARY_COUNTS


def detailed_counts(
    indicators: pl.DataFrame, ratings: tuple[str, ...] = BELOW_TARGET_RAGS
) -> pl.DataFrame:
    """Counts per service from detailed rows, in service_summary's terms."""
    rag = pl.col("rag")
    improved = pl.col("dot").is_in(["Improving", "Same"]).sum()
    worsened = (pl.col("dot") == "Worsening").sum()
    rated = rag.is_in(["Green", "Green Amber", "Red Amber", "Red"]).sum()
    return (
        indicators.group_by("service")
        .agg(
            reported=pl.len(),
            rag_rated=rated,
            green=(rag == "Green").sum(),
            green_amber=(rag == "Green Amber").sum(),
            red_amber=(rag == "Red Amber").sum(),
            red=(rag == "Red").sum(),
            monitor=pl.len() - rated,
            dot_rated=improved + worsened,
            improved_same=improved,
            worsened=worsened,
            below=below_target_expr(ratings).sum(),
        )
        .with_columns(pl.col(name).cast(pl.Int64) for name in (*COUNTS, "below"))
    )


def _with_derived(frame: pl.DataFrame, ratings: tuple[str, ...]) -> pl.DataFrame:
    """Fill counts a report leaves unprinted but implies, and add the percentages."""
    below_parts = {"Green Amber": "green_amber", "Red Amber": "red_amber", "Red": "red"}
    below_rated = pl.sum_horizontal(
        pl.col(column) for rating, column in below_parts.items() if rating in ratings
    )
    rated_sum = pl.sum_horizontal("green", "green_amber", "red_amber", "red")
    filled = frame.with_columns(
        rag_rated=pl.coalesce("rag_rated", rated_sum),
        dot_rated=pl.coalesce("dot_rated", pl.col("improved_same") + pl.col("worsened")),
    )
    # Both percentages are of the rated indicators, so they add up; a row listed as below
    # target without a rating is in ``below`` (and ``below_unrated``), never in a share.
    return filled.with_columns(
        below=pl.coalesce("below", below_rated),
        below_rated=below_rated,
    ).with_columns(
        below_unrated=(pl.col("below") - pl.col("below_rated")).clip(lower_bound=0),
        pct_on_target=_pct(pl.col("green"), pl.col("rag_rated")),
        pct_below_target=_pct(pl.col("below_rated"), pl.col("rag_rated")),
        pct_improved_same=_pct(pl.col("improved_same"), pl.col("dot_rated")),
    )


def _pct(part: pl.Expr, whole: pl.Expr) -> pl.Expr:
    return pl.when(whole > 0).then((part * 100.0 / whole).round(1)).otherwise(None)


def corporate_summary(
    rows: pl.DataFrame,
    service_summary: pl.DataFrame,
    period: str,
    ratings: tuple[str, ...] = BELOW_TARGET_RAGS,
) -> pl.DataFrame:
    """One row per service for ``period``, then committee rows, then a total row.

    Columns: service, level, basis, the counts of ``COUNTS`` and ``below`` (published where
    the report has them, else counted from rows), the percentages pct_on_target /
    pct_below_target / pct_improved_same, the same counts from the detailed rows as
    ``detailed_<count>``, and ``disagrees``: the published below-target count and the
    below-target rows differ. (Other published counts cover indicators a report does not
    detail, so only the below-target counts are expected to match.)
    """
    rows = rows.filter(pl.col("period") == period)
    published = (
        service_summary.filter(pl.col("period") == period)
        .unique(subset=["level", "service"], keep="first", maintain_order=True)
        .with_columns(basis=pl.lit(PUBLISHED), below=pl.lit(None, pl.Int64))
    )
    committees = published.filter(pl.col("level") == "committee")
    # Detailed counts per service, per committee (the rows of its report) and in total.
    detail = pl.concat(
        [
            detailed_counts(rows, ratings),
            detailed_counts(  # each committee's row counts the rows of its report
                rows.drop("service").join(
                    committees.select("source", "service"), on="source", how="inner"
                ),
                ratings,
            ),
            detailed_counts(rows.with_columns(service=pl.lit(ALL_SERVICES)), ratings),
        ]
    )
    columns = ["service", "level", "basis", *COUNTS, "below"]
    named = published.filter(pl.col("level") == "service")["service"].to_list()
    services = pl.concat(
        [
            published.filter(pl.col("level") == "service").select(columns),
            detail.filter(
                (pl.col("service") != ALL_SERVICES)
                & ~pl.col("service").is_in([*named, *committees["service"]])
            )
            .with_columns(level=pl.lit("service"), basis=pl.lit(DETAILED))
            .select(columns),
        ]
    ).sort("service")
    council = published.filter(pl.col("level") == "council").select(columns)
    if council.height == 0 and services.height:
        council = _sum_of(services, columns, ratings)
    elif council.height == 0:
        council = (
            detail.filter(pl.col("service") == ALL_SERVICES)
            .with_columns(level=pl.lit("council"), basis=pl.lit(DETAILED))
            .select(columns)
        )
    summary = _with_derived(pl.concat([services, committees.select(columns), council]), ratings)
    detailed = detail.select(
        "service", *(pl.col(name).alias(f"detailed_{name}") for name in (*COUNTS, "below"))
    )
    return summary.join(detailed, on="service", how="left", maintain_order="left").with_columns(
        disagrees=pl.col("detailed_below").is_not_null()
        & (pl.col("below") != pl.col("detailed_below"))
    )


def _sum_of(services: pl.DataFrame, columns: list[str], ratings: tuple[str, ...]) -> pl.DataFrame:
    """The total of the service rows shown, each on its own basis: the total then never
    says less than a row above it. Its basis is theirs, or ``MIXED``."""
    filled = _with_derived(services, ratings)
    bases = set(services["basis"])
    basis = bases.pop() if len(bases) == 1 else MIXED
    return filled.select(
        service=pl.lit(ALL_SERVICES),
        level=pl.lit("council"),
        basis=pl.lit(basis),
        **{name: pl.col(name).sum().cast(pl.Int64) for name in (*COUNTS, "below")},
    ).select(columns)


def headline(summary: pl.DataFrame) -> dict[str, float | int | None]:
    """The figures a summary's header shows: from its total row (``basis_note`` says
    where they come from)."""
    total = summary.filter(pl.col("level") == "council").row(0, named=True)
    return {
        "reported": total["reported"],
        "rag_rated": total["rag_rated"],
        "pct_on_target": total["pct_on_target"],
        "pct_improved_same": total["pct_improved_same"],
    }


def basis_note(summary: pl.DataFrame) -> str:
    """Where the total's counts come from, in words a reader can quote."""
    total = summary.filter(pl.col("level") == "council").row(0, named=True)
    services = summary.filter(pl.col("level") == "service")
    if total["basis"] == PUBLISHED:
        return "the report's counts"
    if total["basis"] == DETAILED:
        return "counted from the rows the reports detail"
    published = int((services["basis"] == PUBLISHED).sum())
    counted = services.height - published
    return (
        f"sum of the services: the report's counts for {published}, counted from rows for {counted}"
    )


def fewer_rows_note(counted: int | None, detailed: int, detailed_below: int | None) -> str:
    """Why a service lists fewer indicators than its report counts ("" when it does not):
    most reports detail only those below target."""
    if counted is None or detailed >= counted:
        return ""
    if detailed and detailed == detailed_below:
        return f"The report counts {counted} but details only the {detailed} below target."
    return (
        f"The report counts {counted} but details {detailed}: "
        f"the other {counted - detailed} are not in its tables."
    )


def counted_per_period(service_summary: pl.DataFrame) -> dict[str, int]:
    """How many indicators each period's reports count (their council row, else the sum
    of their service rows): beside the rows a period has, so neither figure reads as the
    other."""
    published = service_summary.filter(pl.col("reported").is_not_null())
    council = (
        published.filter(pl.col("level") == "council")
        .group_by("period")
        .agg(pl.col("reported").first())
    )
    services = (
        published.filter(pl.col("level") == "service")
        .unique(subset=["period", "service"], keep="first")
        .group_by("period")
        .agg(pl.col("reported").sum())
    )
    counted = pl.concat([council, services.join(council, on="period", how="anti")])
    return {period: int(reported) for period, reported in counted.iter_rows()}
