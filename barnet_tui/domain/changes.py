"""What changed between two reports: indicators matched by ``(service, ref)`` across periods.

A service is compared between two periods in which it reports; by default its two latest.
Each change is one record, so one indicator can have several (newly below target *and*
rating down). Rows whose ref is only ``TBC`` cannot be matched and are left out.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from barnet_tui.domain.queries import TBC_REF, Frame
from barnet_tui.domain.ratings import badge_letters, dot_label
from barnet_tui.domain.summary import with_changed

NEWLY_BELOW = "newly below target"
RECOVERED = "recovered"
RATING_DOWN = "rating down"
RATING_UP = "rating up"
DIRECTION_FLIPPED = "direction flipped"
NEW = "new"
DROPPED = "dropped"
CHANGE_KINDS = (NEWLY_BELOW, RATING_DOWN, DIRECTION_FLIPPED, RECOVERED, RATING_UP, NEW, DROPPED)
"""In the order lists show them: what got worse first."""

RATING_STEPS = {"Green": 0, "Green Amber": 1, "Red Amber": 2, "Red": 3}
"""G > GA > RA > R: a move from Green to Red is three steps down."""
FLIPS = ("Improving", "Worsening")

READ = (
    "service",
    "ref",
    "indicator",
    "period",
    "rag",
    "below_target",
    "dot",
    "result_raw",
    "source_line",
)
"""The indicator columns the comparison reads (nothing else is read from Parquet)."""
_SIDES = ("indicator", "rag", "below_target", "dot", "result_raw")

CHANGES_SCHEMA = pl.Schema(
    {
        "service": pl.String(),
        "ref": pl.String(),
        "indicator": pl.String(),
        "change": pl.String(),
        "steps": pl.Int64(),
        "worse": pl.Boolean(),
        "from_period": pl.String(),
        "to_period": pl.String(),
        "from_rag": pl.String(),
        "to_rag": pl.String(),
        "from_dot": pl.String(),
        "to_dot": pl.String(),
        "from_result": pl.String(),
        "to_result": pl.String(),
    }
)

PAIRS_SCHEMA = pl.Schema(
    {"service": pl.String(), "from_period": pl.String(), "to_period": pl.String()}
)


def comparisons(
    indicators: Frame, from_period: str | None = None, to_period: str | None = None
) -> pl.DataFrame:
    """Which two periods each service is compared between (``service``, ``from_period``,
    ``to_period``): both given, every service reporting in both; only ``to_period``, each
    service reporting then against its report before; only ``from_period``, against its
    latest report after; neither, each service's two latest reports. A service with no
    second report is not compared.

    Periods are canonical ``2016/17 Q4`` text, which sorts in time order.
    """
    reports = indicators.select("service", "period").unique()
    frame = reports.collect() if isinstance(reports, pl.LazyFrame) else reports
    ordered = frame.sort("service", "period")
    if from_period is not None and to_period is not None:
        pairs = (
            ordered.filter(pl.col("period") == from_period)
            .join(ordered.filter(pl.col("period") == to_period), on="service")
            .select("service", from_period=pl.col("period"), to_period=pl.col("period_right"))
        )
    else:
        if to_period is not None:
            ordered = ordered.filter(pl.col("period") <= to_period)
        if from_period is not None:
            ordered = ordered.filter(pl.col("period") >= from_period)
        latest = ordered.group_by("service", maintain_order=True).agg(
            to_period=pl.col("period").last(), periods=pl.col("period")
        )
        if to_period is not None:
            latest = latest.filter(pl.col("to_period") == to_period)
        if from_period is not None:
            latest = latest.filter(pl.col("periods").list.first() == from_period)
            earlier = pl.col("periods").list.first()
        else:
            earlier = pl.col("periods").list.get(-2, null_on_oob=True)
        pairs = latest.select("service", from_period=earlier, to_period="to_period")
    pairs = pairs.filter(pl.col("from_period") != pl.col("to_period"))
    return pairs.drop_nulls().cast(PAIRS_SCHEMA).sort("service")


def changes(indicators: Frame, pairs: pl.DataFrame) -> pl.DataFrame:
    """Every change (columns :data:`CHANGES_SCHEMA`) between the periods ``pairs`` names,
    per service in service order, what got worse first."""
    periods = pl.concat([pairs["from_period"], pairs["to_period"]]).unique().implode()
    rows = indicators.select(READ).filter(
        pl.col("period").is_in(periods) & (pl.col("ref") != TBC_REF)
    )  # only the compared reports' rows are read
    frame = rows.collect() if isinstance(rows, pl.LazyFrame) else rows
    # A ref printed twice in one report is matched once, as the report first gives it.
    frame = frame.sort("source_line").unique(["service", "period", "ref"], keep="first")
    before = frame.join(pairs, left_on=["service", "period"], right_on=["service", "from_period"])
    after = frame.join(pairs, left_on=["service", "period"], right_on=["service", "to_period"])
    keys = ["service", "ref", "from_period", "to_period"]
    joined = before.select(
        "service", "ref", "to_period", *(pl.col(name).alias(f"from_{name}") for name in _SIDES),
        from_period="period", was=pl.lit(True),
    ).join(
        after.select(
            "service", "ref", "from_period",
            *(pl.col(name).alias(f"to_{name}") for name in _SIDES), to_period="period",
            now=pl.lit(True),
        ),
        on=keys, how="full", coalesce=True, nulls_equal=False,
    )  # fmt: skip
    was, now = pl.col("was").fill_null(False), pl.col("now").fill_null(False)
    step_from = pl.col("from_rag").replace_strict(RATING_STEPS, default=None)
    step_to = pl.col("to_rag").replace_strict(RATING_STEPS, default=None)
    flipped = (
        pl.col("from_dot").is_in(FLIPS)
        & pl.col("to_dot").is_in(FLIPS)
        & (pl.col("from_dot") != pl.col("to_dot"))
    )
    found = {
        NEWLY_BELOW: (~pl.col("from_below_target")) & pl.col("to_below_target"),
        RATING_DOWN: step_to > step_from,
        DIRECTION_FLIPPED: flipped,
        RECOVERED: pl.col("from_below_target") & ~pl.col("to_below_target"),
        RATING_UP: step_to < step_from,
        NEW: now & ~was,
        DROPPED: was & ~now,
    }
    parts = [
        joined.filter(condition.fill_null(False)).with_columns(change=pl.lit(kind))
        for kind, condition in found.items()
    ]
    order = {kind: index for index, kind in enumerate(CHANGE_KINDS)}
    result = pl.concat(parts).with_columns(
        indicator=pl.coalesce("to_indicator", "from_indicator"),
        steps=pl.when(pl.col("change").is_in([RATING_UP, RATING_DOWN])).then(
            (step_to - step_from).abs()
        ),
        worse=pl.col("change").is_in([NEWLY_BELOW, RATING_DOWN])
        | ((pl.col("change") == DIRECTION_FLIPPED) & (pl.col("to_dot") == "Worsening")),
        from_result=pl.col("from_result_raw"),
        to_result=pl.col("to_result_raw"),
    )
    return (
        result.sort("service", pl.col("change").replace_strict(order, return_dtype=pl.Int8), "ref")
        .select(CHANGES_SCHEMA.names())
        .cast(CHANGES_SCHEMA)
    )


def change_counts(found: pl.DataFrame) -> dict[str, int]:
    """How many of each kind, in :data:`CHANGE_KINDS` order, leaving out kinds with none."""
    counted = dict(found.group_by("change").len().iter_rows())
    return {kind: counted[kind] for kind in CHANGE_KINDS if counted.get(kind)}


def with_change_counts(
    summary: pl.DataFrame, found: pl.DataFrame, pairs: pl.DataFrame
) -> pl.DataFrame:
    """The corporate summary with a ``changed`` column (``summary.with_changed``) counted
    from the changes ``found`` between the periods ``pairs`` names."""
    counts = pairs.select("service").join(
        found.group_by("service").agg(changed=pl.len()), on="service", how="left"
    )
    return with_changed(summary, counts)


def change_counts_per_period(indicators: pl.LazyFrame) -> pl.DataFrame:
    """Each service's report (``service``, ``period``) with ``previous_period``, the
    service's report before, and ``changed``, its changes since then (null without one).

    One period at a time: only the two compared reports' rows are held at once.
    """
    reports = indicators.select("service", "period").unique().collect(engine="streaming")
    pairs = (
        reports.sort("service", "period")
        .with_columns(from_period=pl.col("period").shift(1).over("service"))
        .select("service", "from_period", to_period="period")
    )
    counted = []
    for _period, compared in pairs.drop_nulls().group_by("to_period"):
        found = changes(indicators, compared.cast(PAIRS_SCHEMA))
        counted.append(
            compared.join(found.group_by("service").agg(changed=pl.len()), on="service", how="left")
        )
    schema = pl.Schema({**PAIRS_SCHEMA, "changed": pl.Int64()})
    changed = (
        pl.concat([frame.cast(schema) for frame in counted])
        if counted
        else pl.DataFrame(schema=schema)
    )
    return pairs.join(changed, on=["service", "from_period", "to_period"], how="left").select(
        "service",
        period="to_period",
        previous_period="from_period",
        changed=pl.when(pl.col("from_period").is_not_null()).then(pl.col("changed").fill_null(0)),
    )


def counts_sentence(rows: pl.DataFrame) -> str:
    """ "Council-wide: 1 newly below target · 5 new (6 changes, 1 worse)"."""
    counts = change_counts(rows)
    if not counts:
        return "No changes."
    listed = " · ".join(f"{count} {kind}" for kind, count in counts.items())
    worse = int(rows["worse"].sum())
    noun = "change" if rows.height == 1 else "changes"
    return f"{listed} ({rows.height} {noun}, {worse} worse)"


def cue(row: dict[str, Any]) -> str:
    """A sign that says better or worse without colour: ▼ worse, ▲ better, + new, − dropped."""
    if row["change"] == NEW:
        return "+"
    if row["change"] == DROPPED:
        return "−"
    return "▼" if row["worse"] else "▲"


def detail(row: dict[str, Any]) -> str:
    """What moved, in the words of the change: ratings as badge letters, directions as
    words, a new or dropped indicator's result."""
    if row["change"] == DIRECTION_FLIPPED:
        return f"{dot_label(row['from_dot'])} → {dot_label(row['to_dot'])}"
    if row["change"] == NEW:
        return f"now {row['to_result'] or 'no result'}"
    if row["change"] == DROPPED:
        return f"was {row['from_result'] or 'no result'}"
    moved = f"{badge_letters(row['from_rag'])} → {badge_letters(row['to_rag'])}"
    steps = row["steps"]
    return moved + (f" ({steps} step{'' if steps == 1 else 's'})" if steps else "")
