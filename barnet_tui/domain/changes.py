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


def comparisons_to(
    indicators: pl.LazyFrame, to_period: str, periods: list[str], tries: int = 4
) -> pl.DataFrame:
    """``comparisons(indicators, to_period=to_period)``, reading only a few periods' services
    (``periods``: every period with rows, in time order): the periods before, newest first,
    until each service of ``to_period`` has its report before, or ``tries`` have been read;
    then, for any service still without one, the earlier periods at once. A summary at 20M
    rows reads two periods' services rather than every row's."""

    def services(period: str) -> set[str]:
        rows = indicators.filter(pl.col("period") == period).select(pl.col("service").unique())
        return {name for name in rows.collect()["service"] if name is not None}

    wanted = services(to_period)
    found: dict[str, str] = {}
    earlier = [period for period in reversed(periods) if period < to_period]
    for period in earlier[:tries]:
        if len(found) == len(wanted):
            break
        for service in (services(period) & wanted) - found.keys():
            found[service] = period
    rest = sorted(wanted - found.keys())
    if rest and earlier[tries:]:
        latest = (
            indicators.filter(
                pl.col("service").is_in(rest) & pl.col("period").is_in(earlier[tries:])
            )
            .group_by("service")
            .agg(pl.col("period").max())
            .collect(engine="streaming")
        )
        found.update(dict(latest.iter_rows()))
    pairs = pl.DataFrame(
        {"service": list(found), "from_period": list(found.values())},
        schema={"service": pl.String, "from_period": pl.String},
    )
    return pairs.with_columns(to_period=pl.lit(to_period)).cast(PAIRS_SCHEMA).sort("service")


def _matched(indicators: Frame, pairs: pl.DataFrame) -> pl.DataFrame:
    """Each ref of a compared service in either of its two reports, its fields before
    (``from_*``, ``was``) beside its fields after (``to_*``, ``now``)."""
    periods = pl.concat([pairs["from_period"], pairs["to_period"]]).unique().implode()
    rows = indicators.select(READ).filter(
        pl.col("period").is_in(periods) & (pl.col("ref") != TBC_REF)
    )  # only the compared reports' rows are read
    return _joined(rows.collect() if isinstance(rows, pl.LazyFrame) else rows, pairs)


def _joined(frame: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """``_matched`` of the compared reports' rows (``frame``, without TBC refs)."""
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
    return joined


def changes(indicators: Frame, pairs: pl.DataFrame) -> pl.DataFrame:
    """Every change (columns :data:`CHANGES_SCHEMA`) between the periods ``pairs`` names,
    per service in service order, what got worse first."""
    return _changes(_matched(indicators, pairs))


def changes_and_coverage(
    indicators: Frame, pairs: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``changes`` and ``coverage`` from one read of the two reports' rows."""
    if pairs.is_empty():
        return changes(indicators, pairs), pl.DataFrame(schema=COVERAGE_SCHEMA)
    joined = _matched(indicators, pairs)
    return _changes(joined), _coverage(joined, pairs)


def _changes(joined: pl.DataFrame) -> pl.DataFrame:
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
    summary: pl.DataFrame,
    found: pl.DataFrame,
    pairs: pl.DataFrame,
    covered: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The corporate summary with a ``changed`` column (``summary.with_changed``): each
    compared service's number of changes since its report before among the indicators in
    both (new and dropped ones are not changes of a figure: the changes view counts them
    apart); with ``covered`` (``coverage``), null where nothing in both reports could be
    compared, so "0" never stands for "nothing to compare"."""
    return with_changed(summary, changed_per_service(found, pairs, covered))


def changed_per_service(
    found: pl.DataFrame, pairs: pl.DataFrame, covered: pl.DataFrame | None
) -> pl.DataFrame:
    """``service``, ``changed``: the changes ``found`` per service ``pairs`` compares,
    new and dropped ones left out; with ``covered``, only services with something compared."""
    moved = found.filter(~pl.col("change").is_in([NEW, DROPPED]))
    if covered is not None:
        pairs = pairs.join(covered.filter(pl.col("compared") > 0), on="service", how="semi")
    return (
        pairs.select("service")
        .join(moved.group_by("service").agg(changed=pl.len()), on="service", how="left")
        .with_columns(pl.col("changed").fill_null(0).cast(pl.Int64))
    )


BATCH_ROWS = 1_000_000
"""Indicator rows compared at once when counting every report's changes: the reports of a
few periods, so memory stays bounded and a dataset sorted by period is read in few passes."""


def change_counts_per_period(
    indicators: pl.LazyFrame, rows_per_period: dict[str, int] | None = None
) -> pl.DataFrame:
    """Each service's report (``service``, ``period``) with ``previous_period``, the
    service's report before, and ``changed``, its changes since then as
    ``with_change_counts`` counts them (null without one, or with nothing to compare).

    A few periods at a time (``rows_per_period`` says how many rows each has): only their
    reports' rows are held at once, with the columns a count needs.
    """
    reports = indicators.select("service", "period").unique().collect(engine="streaming")
    pairs = (
        reports.sort("service", "period")
        .with_columns(from_period=pl.col("period").shift(1).over("service"))
        .select("service", "from_period", to_period="period")
    )
    schema = pl.Schema({**PAIRS_SCHEMA, "changed": pl.Int64()})
    counted = [
        _changed_in(indicators, batch).cast(schema)
        for batch in _batches(pairs.drop_nulls().cast(PAIRS_SCHEMA), rows_per_period or {})
    ]
    changed = pl.concat(counted) if counted else pl.DataFrame(schema=schema)
    return pairs.join(changed, on=["service", "from_period", "to_period"], how="left").select(
        "service", period="to_period", previous_period="from_period", changed="changed"
    )


def _batches(pairs: pl.DataFrame, rows_per_period: dict[str, int]) -> list[pl.DataFrame]:
    """``pairs`` in groups of consecutive ``to_period``s whose reports (and the reports
    before them) hold about :data:`BATCH_ROWS` rows; one period a group without the sizes."""
    batches: list[pl.DataFrame] = []
    chosen: list[str] = []
    held = 0
    for period in sorted(pairs["to_period"].unique().to_list()):
        size = 2 * rows_per_period.get(period, BATCH_ROWS)  # its rows and those before
        if chosen and held + size > BATCH_ROWS:
            batches.append(pairs.filter(pl.col("to_period").is_in(chosen)))
            chosen, held = [], 0
        chosen.append(period)
        held += size
    if chosen:
        batches.append(pairs.filter(pl.col("to_period").is_in(chosen)))
    return batches


def _changed_in(indicators: pl.LazyFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """``changed_per_service`` of several periods' ``pairs`` at once, from one read: each
    pair is compared as a service of its own (numbered), so a service's reports in two
    periods of the batch never mix. Keys are compared as numbers and categories, not text:
    the same comparison, a fraction of the time on millions of rows."""
    keyed = pairs.with_row_index("_key")
    periods = sorted({*pairs["from_period"], *pairs["to_period"]})
    code = {period: index for index, period in enumerate(periods)}
    coded = keyed.with_columns(
        pl.col(side).replace_strict(code, return_dtype=pl.Int32)
        for side in ("from_period", "to_period")
    )
    rows = (
        indicators.filter(pl.col("period").is_in(periods) & (pl.col("ref") != TBC_REF))
        .select(READ)
        .with_columns(
            pl.col("period").replace_strict(code, return_dtype=pl.Int32),
            pl.col("ref").cast(pl.Categorical).to_physical(),  # exact numbers of the refs
            indicator=pl.lit(None, pl.String),  # the name and result only say what changed:
            result_raw=pl.lit(None, pl.String),  # a count needs neither
        )
        .collect()
    )
    sides = []
    for side in ("from_period", "to_period"):
        joined = rows.join(
            coded.select("service", side, "_key"),
            left_on=["service", "period"],
            right_on=["service", side],
        )
        sides.append(joined.with_columns(service="_key").select(READ))
    compared = coded.select(service="_key", from_period="from_period", to_period="to_period")
    joined = _joined(pl.concat(sides), compared)
    found, covered = _changes(joined), _coverage(joined, compared)
    changed = changed_per_service(found, compared.cast({"service": pl.String}), covered)
    numbered = keyed.with_columns(pl.col("_key").cast(pl.String))
    return numbered.join(changed.rename({"service": "_key"}), on="_key", how="inner").select(
        *PAIRS_SCHEMA.names(), "changed"
    )


COVERAGE_SCHEMA = pl.Schema(
    {
        "service": pl.String(),
        "compared": pl.Int64(),
        "nothing_to_compare": pl.Int64(),
        "new": pl.Int64(),
        "dropped": pl.Int64(),
    }
)


def coverage(indicators: Frame, pairs: pl.DataFrame) -> pl.DataFrame:
    """Per compared service: indicators in both reports with a figure to compare
    (``compared``: a rating, a below-target flag or a direction in both), those in both
    without one (``nothing_to_compare``: a report of targets only), and those in only one
    (``new``, ``dropped``). Two reports on different indicators, or without ratings, then
    read as that, not as nothing having moved."""
    if pairs.is_empty():
        return pl.DataFrame(schema=COVERAGE_SCHEMA)
    return _coverage(_matched(indicators, pairs), pairs)


def _coverage(joined: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    was, now = pl.col("was").fill_null(False), pl.col("now").fill_null(False)
    both = was & now
    figures = (
        (pl.col("from_rag").is_not_null() & pl.col("to_rag").is_not_null())
        | (pl.col("from_below_target").is_not_null() & pl.col("to_below_target").is_not_null())
        | (pl.col("from_dot").is_in(FLIPS) & pl.col("to_dot").is_in(FLIPS))
    ).fill_null(False)
    counted = joined.group_by("service").agg(
        compared=(both & figures).sum(),
        nothing_to_compare=(both & ~figures).sum(),
        new=(now & ~was).sum(),
        dropped=(was & ~now).sum(),
    )
    return (
        pairs.select("service")
        .join(counted, on="service", how="left")
        .fill_null(0)
        .cast(COVERAGE_SCHEMA)
        .sort("service")
    )


def counts_sentence(rows: pl.DataFrame, covered: pl.DataFrame | None = None) -> str:
    """ "23 indicators compared: 1 newly below target (1 change, 1 worse) · not comparable:
    5 new, 2 dropped": with ``covered`` (from ``coverage``), what was compared and what could not
    be; every count says what it counts, and none says only "No changes"."""
    if covered is not None and covered.is_empty():
        return "Nothing compared: no service has an earlier report to compare with."
    compared_rows = rows.filter(~pl.col("change").is_in([NEW, DROPPED]))
    counts = change_counts(compared_rows if covered is not None else rows)
    if counts:
        listed = " · ".join(f"{count} {kind}" for kind, count in counts.items())
        shown = compared_rows if covered is not None else rows
        noun = "change" if shown.height == 1 else "changes"
        moved = f"{listed} ({shown.height} {noun}, {int(shown['worse'].sum())} worse)"
    else:
        moved = "no changes"
    if covered is None:
        return moved[0].upper() + moved[1:] + ("" if counts else ".")
    compared, bare, new, dropped = (
        int(covered[name].sum()) for name in ("compared", "nothing_to_compare", "new", "dropped")
    )
    noun = "indicator" if compared == 1 else "indicators"
    apart = not_comparable(bare, new, dropped)
    return f"{compared} {noun} compared: {moved}" + (f" · {apart}" if apart else "")


def not_comparable(nothing_to_compare: int, new: int, dropped: int) -> str:
    """ "not comparable: 2 without a rating or direction in both, 8 new, 12 dropped", the
    parts there are; "" when every indicator was compared."""
    parts = [f"{nothing_to_compare} without a rating or direction in both"] * bool(
        nothing_to_compare
    )
    parts += [f"{new} new"] * bool(new) + [f"{dropped} dropped"] * bool(dropped)
    return "not comparable: " + ", ".join(parts) if parts else ""


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
