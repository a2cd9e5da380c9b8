"""The corporate summary: per service, how many indicators are on target, improving, below.

Reports publish these counts (``service_summary``); the detailed rows give counts too, and
for most reports only their below-target rows are detailed. Each summary row says which it
is (``basis``). Where the report publishes counts, those are shown, and the detailed
below-target count sits beside them: when the two disagree, both are there to see.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

import polars as pl

from barnet_tui.domain.contract import ALL_SERVICES, BELOW_TARGET_RAGS, RAG_VALUES, SUMMARY_COUNTS

PUBLISHED = "published"
DETAILED = "detailed rows"
MIXED = "mixed"
"""A total summed from service rows of both bases (the report's counts for some services,
counted rows for others)."""

COUNTS = SUMMARY_COUNTS

Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)


RATED = ("Green", "Green Amber", "Red Amber", "Red")
RAG_COUNTS = {
    "Green": "green",
    "Green Amber": "green_amber",
    "Red Amber": "red_amber",
    "Red": "red",
    "Monitor": "rag_monitor",
}
"""The count of rows with each rating."""
ROW_COUNTS = (*COUNTS, "rag_monitor", "unrated_below")
"""What ``count_rows`` counts: sums, so counts of any rows add up to those of their union
(the ``period_counts`` table holds them per period, service and source)."""


def count_rows(rows: Frame, keys: list[str]) -> Frame:
    """The ``ROW_COUNTS`` of ``rows`` per ``keys``, in service_summary's terms.

    ``unrated_below`` counts rows with no rating the contract knows whose ``below_target``
    says they are below: with the rows of each rating it gives the below-target count for
    any choice of ratings (``below_count``), without reading the rows again.
    """
    rag = pl.col("rag")
    improved = pl.col("dot").is_in(["Improving", "Same"]).sum()
    worsened = (pl.col("dot") == "Worsening").sum()
    rated = rag.is_in(list(RATED)).sum()
    unknown = rag.is_null() | ~rag.is_in(list(RAG_VALUES))
    return (
        rows.group_by(keys)
        .agg(
            reported=pl.len(),
            rag_rated=rated,
            **{column: (rag == rating).sum() for rating, column in RAG_COUNTS.items()},
            monitor=pl.len() - rated,
            dot_rated=improved + worsened,
            improved_same=improved,
            worsened=worsened,
            unrated_below=(unknown & pl.col("below_target").fill_null(False)).sum(),
        )
        .select(*keys, *(pl.col(name).cast(pl.Int64) for name in ROW_COUNTS))
    )


def below_count(ratings: tuple[str, ...]) -> pl.Expr:
    """Rows below target from ``ROW_COUNTS`` columns: as ``below_target_expr`` counts them."""
    parts = [pl.col(RAG_COUNTS[rating]) for rating in ratings if rating in RAG_COUNTS]
    return pl.sum_horizontal(*parts, pl.col("unrated_below")).cast(pl.Int64)


def totals(counts: pl.DataFrame, by: str, ratings: tuple[str, ...]) -> pl.DataFrame:
    """``counts`` (``ROW_COUNTS`` columns) added up per ``by``, with ``below``."""
    return (
        counts.group_by(by, maintain_order=True)
        .agg(pl.col(name).sum().cast(pl.Int64) for name in ROW_COUNTS)
        .select(by, *COUNTS, below=below_count(ratings))
    )


def detailed_counts(
    indicators: pl.DataFrame, ratings: tuple[str, ...] = BELOW_TARGET_RAGS
) -> pl.DataFrame:
    """Counts per service from detailed rows, in service_summary's terms."""
    return totals(count_rows(indicators, ["service"]), "service", ratings)


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
    counts = count_rows(rows.filter(pl.col("period") == period), ["service", "source"])
    return summary_of_counts(counts, service_summary, period, ratings)


def summary_of_counts(
    counts: pl.DataFrame,
    service_summary: pl.DataFrame,
    period: str,
    ratings: tuple[str, ...] = BELOW_TARGET_RAGS,
) -> pl.DataFrame:
    """``corporate_summary`` from one period's ``count_rows`` per service and source (the
    ``period_counts`` table's rows of that period): the rows themselves are not read."""
    published = (
        service_summary.filter(pl.col("period") == period)
        .unique(subset=["level", "service"], keep="first", maintain_order=True)
        .with_columns(basis=pl.lit(PUBLISHED), below=pl.lit(None, pl.Int64))
    )
    committees = published.filter(pl.col("level") == "committee")
    # Detailed counts per service, per committee (the rows of its report) and in total.
    counts = counts.select("service", "source", *ROW_COUNTS)
    detail = pl.concat(
        [
            totals(counts, "service", ratings),
            totals(  # each committee's row counts the rows of its report
                counts.drop("service").join(
                    committees.select("source", "service"), on="source", how="inner"
                ),
                "service",
                ratings,
            ),
            totals(counts.with_columns(service=pl.lit(ALL_SERVICES)), "service", ratings),
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


def with_changed(summary: pl.DataFrame, changed: pl.DataFrame) -> pl.DataFrame:
    """The corporate summary with a ``changed`` column from ``changed`` (``service``,
    ``changed``: each compared service's number of changes since its report before among
    the indicators in both), the council row their total; null where a service was not
    compared (no earlier report, or nothing in both reports to compare) and on committee
    rows, so "0" never stands for "nothing to compare"."""
    changed = changed.select("service", pl.col("changed").fill_null(0).cast(pl.Int64))
    total = pl.DataFrame(
        {
            "service": [ALL_SERVICES],
            "changed": [int(changed["changed"].sum()) if changed.height else None],
        },
        schema={"service": pl.String, "changed": pl.Int64},
    )
    return summary.join(pl.concat([changed, total]), on="service", how="left")


def with_period_changes(summary: pl.DataFrame, counts: pl.DataFrame) -> pl.DataFrame:
    """``with_changed`` from one period's ``period_counts`` rows, which carry each service's
    changes since its report before (the same on each of a service's rows; null where it
    was not compared or nothing could be)."""
    compared = counts.filter(pl.col("changed").is_not_null())
    changed = compared.group_by("service", maintain_order=True).agg(pl.col("changed").first())
    return with_changed(summary, changed)


def service_sorts(keys: Iterable[str]) -> dict[str, list[pl.Expr]]:
    """What sorting the summary by each of ``keys`` sorts on: the column itself, but for the
    RAG bar (its share on target) and key actions (those rated other than Green)."""
    sorts = {key: [pl.col(key)] for key in keys}
    sorts["bar"] = [pl.col("pct_on_target")]
    sorts["actions"] = [pl.col("actions") - pl.col("actions_green")]
    return sorts


def service_rows(summary: pl.DataFrame) -> pl.DataFrame:
    """A corporate summary's rows for services (not committees, not the total)."""
    return summary.filter(pl.col("level") == "service")


def with_rest_below(services: pl.DataFrame, summary: pl.DataFrame) -> pl.DataFrame:
    """``services`` (however sorted or filtered), then the summary's committee rows and
    total, which stay below them whatever the sort."""
    return pl.concat([services, summary.filter(pl.col("level") != "service")])
