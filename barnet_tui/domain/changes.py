"""What changed: each indicator of a report against its own latest earlier comparable figure.

A service's report is compared indicator by indicator (``earlier.matched``): each with the
latest earlier report's row of it that can be compared, else the previous result its report
prints. Each change is one record, so one indicator can have several (newly below target
*and* rating down), and says what it was compared with (``compared_with``). Rows whose ref is
only ``TBC`` cannot be matched and are left out.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from barnet_tui.domain.earlier import FLIPS, PAIRS_SCHEMA, PRINTED_PREVIOUS, RATING_STEPS, matched
from barnet_tui.domain.earlier import READ as READ
from barnet_tui.domain.queries import Frame
from barnet_tui.domain.ratings import badge_letters, dot_label
from barnet_tui.domain.summary import with_changed

NEWLY_BELOW = "newly below target"
RECOVERED = "recovered"
RATING_DOWN = "rating down"
RATING_UP = "rating up"
DIRECTION_FLIPPED = "direction flipped"
WORSE_THAN_PRINTED = "worse vs previous"
BETTER_THAN_PRINTED = "better vs previous"
"""Against the previous result the report prints, by the report's own direction of travel."""
NEW = "new"
DROPPED = "dropped"
CHANGE_KINDS = (
    NEWLY_BELOW,
    RATING_DOWN,
    DIRECTION_FLIPPED,
    WORSE_THAN_PRINTED,
    RECOVERED,
    RATING_UP,
    BETTER_THAN_PRINTED,
    NEW,
    DROPPED,
)
"""In the order lists show them: what got worse first."""

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
        "compared_with": pl.String(),
        "direction_disputed": pl.Boolean(),
    }
)
"""``direction_disputed``: compared with the previous result its report prints, whose
direction of travel says the opposite of those two figures by its polarity."""


def comparisons(
    indicators: Frame, from_period: str | None = None, to_period: str | None = None
) -> pl.DataFrame:
    """Which two periods each service is compared between (``service``, ``from_period``,
    ``to_period``): both given, every service reporting in both; only ``to_period``, each
    service reporting then against its report before; only ``from_period``, against its
    latest report after; neither, each service's two latest reports. A service's first
    report (no report before: ``from_period`` null) is compared too, with the previous
    results it prints. With ``from_period``, nothing before it is compared with (``since``).

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
    pairs = pairs.filter((pl.col("from_period") != pl.col("to_period")).fill_null(True))
    since = from_period if from_period is not None and to_period is None else None
    pairs = pairs.drop_nulls("to_period").with_columns(since=pl.lit(since, pl.String))
    if from_period is not None and to_period is not None:
        pairs = pairs.with_columns(since=pl.col("from_period"))
    return pairs.cast(PAIRS_SCHEMA).sort("service")


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
    # A service with no report before is compared too (with the previous results it prints).
    pairs = pl.DataFrame(
        {"service": sorted(wanted), "from_period": [found.get(name) for name in sorted(wanted)]},
        schema={"service": pl.String, "from_period": pl.String},
    )
    return (
        pairs.with_columns(to_period=pl.lit(to_period), since=pl.lit(None, pl.String))
        .cast(PAIRS_SCHEMA)
        .sort("service")
    )


def changes(indicators: Frame, pairs: pl.DataFrame) -> pl.DataFrame:
    """Every change (columns :data:`CHANGES_SCHEMA`) between the periods ``pairs`` names,
    per service in service order, what got worse first."""
    if pairs.is_empty():
        return pl.DataFrame(schema=CHANGES_SCHEMA)
    return _changes(matched(indicators, pairs))


def changes_and_coverage(
    indicators: Frame, pairs: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``changes`` and ``coverage`` from one read of the two reports' rows."""
    if pairs.is_empty():
        return changes(indicators, pairs), pl.DataFrame(schema=COVERAGE_SCHEMA)
    joined = matched(indicators, pairs)
    return _changes(joined), _coverage(joined, pairs)


def _changes(joined: pl.DataFrame) -> pl.DataFrame:
    was, now = pl.col("was").fill_null(False), pl.col("now").fill_null(False)
    printed = pl.col("basis") == PRINTED_PREVIOUS
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
        WORSE_THAN_PRINTED: printed & (pl.col("to_dot") == "Worsening"),
        RATING_UP: step_to < step_from,
        BETTER_THAN_PRINTED: printed & (pl.col("to_dot") == "Improving"),
        NEW: now & pl.col("fresh"),
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
        worse=pl.col("change").is_in([NEWLY_BELOW, RATING_DOWN, WORSE_THAN_PRINTED])
        | ((pl.col("change") == DIRECTION_FLIPPED) & (pl.col("to_dot") == "Worsening")),
        from_result=pl.col("from_result_raw"),
        to_result=pl.col("to_result_raw"),
        compared_with=pl.col("basis"),
        direction_disputed=pl.col("direction_disputed").fill_null(False),
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


def change_counts_per_period(indicators: pl.LazyFrame) -> pl.DataFrame:
    """Each service's report (``service``, ``period``) with ``previous_period``, the
    service's report before, and ``changed``, its indicators' changes against their latest
    earlier figures as ``with_change_counts`` counts them (null with nothing compared).

    Every report of a few services at once, in one pass over their rows (``earlier.matched``),
    reading only the columns a count needs (no name or figure text): a service's indicators
    are compared only with its own, so memory follows :data:`BATCH_ROWS`, not the dataset.
    """
    sizes = indicators.group_by("service", "period").len().collect(engine="streaming")
    reports = sizes.select("service", "period")
    pairs = (
        reports.sort("service", "period")
        .with_columns(from_period=pl.col("period").shift(1).over("service"))
        .select("service", "from_period", to_period="period", since=pl.lit(None, pl.String))
        .cast(PAIRS_SCHEMA)
    )
    schema = pl.Schema({"service": pl.String(), "to_period": pl.String(), "changed": pl.Int64()})
    if pairs.is_empty():
        counted = pl.DataFrame(schema=schema)
    else:
        bare = indicators.with_columns(
            indicator=pl.lit(None, pl.String),
            result_raw=pl.lit(None, pl.String),
            previous_raw=pl.when(pl.col("previous_raw").is_not_null()).then(pl.lit("")),
        )
        rows = sizes.group_by("service").agg(pl.col("len").sum()).sort("service")
        counted = pl.concat(
            [
                _counted(bare, pairs.filter(pl.col("service").is_in(batch))).cast(schema)
                for batch in _service_batches(rows)
            ]
        )
    return pairs.join(counted, on=["service", "to_period"], how="left").select(
        "service", period="to_period", previous_period="from_period", changed="changed"
    )


BATCH_ROWS = 100_000
"""Indicator rows compared at once when counting every report's changes (a few services'):
comparing takes about 1 KB a row, so a million-row tracker's services are compared one at
a time rather than all at once (ingest counts them beside every row it read)."""


def _service_batches(rows: pl.DataFrame) -> list[list[str]]:
    """Services (``service``, ``len``: its rows) in groups of at most :data:`BATCH_ROWS`
    rows, a service alone where it has more."""
    batches: list[list[str]] = [[]]
    held = 0
    for service, count in rows.iter_rows():
        if batches[-1] and held + count > BATCH_ROWS:
            batches.append([])
            held = 0
        batches[-1].append(service)
        held += count
    return batches


def _counted(indicators: pl.LazyFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """``service``, ``to_period`` and ``changed`` for each report of ``pairs`` that compared
    something."""
    joined = matched(indicators, pairs)
    keys = ["service", "to_period"]
    compared = joined.group_by(keys).agg(
        compared=(pl.col("now").fill_null(False) & pl.col("basis").is_not_null()).sum()
    )
    found = _changes(joined).filter(~pl.col("change").is_in([NEW, DROPPED]))
    moved = found.group_by(keys).agg(moved=pl.len())
    return (
        compared.filter(pl.col("compared") > 0)
        .join(moved, on=keys, how="left")
        .select(*keys, changed=pl.col("moved").fill_null(0))
    )


COVERAGE_SCHEMA = pl.Schema(
    {
        "service": pl.String(),
        "compared": pl.Int64(),
        "printed": pl.Int64(),
        "nothing_to_compare": pl.Int64(),
        "new": pl.Int64(),
        "dropped": pl.Int64(),
    }
)


def coverage(indicators: Frame, pairs: pl.DataFrame) -> pl.DataFrame:
    """Per compared service: its indicators compared with an earlier figure (``compared``;
    of them ``printed``, with the previous result their report prints), those with an
    earlier figure but nothing to compare in it (``nothing_to_compare``: a report of targets
    only), those with no earlier figure at all (``new``) and those its report before gave and
    it does not (``dropped``). Reports on different indicators, or without ratings, then
    read as that, not as nothing having moved."""
    if pairs.is_empty():
        return pl.DataFrame(schema=COVERAGE_SCHEMA)
    return _coverage(matched(indicators, pairs), pairs)


def _coverage(joined: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    now, basis = pl.col("now").fill_null(False), pl.col("basis")
    counted = joined.group_by("service").agg(
        compared=(now & basis.is_not_null()).sum(),
        printed=(now & (basis == PRINTED_PREVIOUS)).sum(),
        nothing_to_compare=(now & basis.is_null() & ~pl.col("fresh")).sum(),
        new=(now & pl.col("fresh")).sum(),
        dropped=(~now).sum(),
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
        return "Nothing compared: no service reports in this period."
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
    compared, printed, bare, new, dropped = (
        int(covered[name].sum())
        for name in ("compared", "printed", "nothing_to_compare", "new", "dropped")
    )
    noun = "indicator" if compared == 1 else "indicators"
    apart = not_comparable(bare, new, dropped)
    if not compared:  # "0 compared: no changes" would read as an all-clear
        return "Nothing could be compared" + (f" · {apart}" if apart else ".")
    return f"{compared} {noun} compared{compared_with(compared, printed)}: {moved}" + (
        f" · {apart}" if apart else ""
    )


def compared_with(compared: int, printed: int) -> str:
    """ " (12 with an earlier report, 29 with the previous result their report prints)": what
    the ``compared`` indicators were compared with; "" with none compared."""
    if not compared:
        return ""
    parts = [f"{compared - printed} with an earlier report"] * bool(compared - printed)
    parts += [f"{printed} with the previous result their report prints"] * bool(printed)
    return f" ({', '.join(parts)})"


def not_comparable(nothing_to_compare: int, new: int, dropped: int) -> str:
    """ "not comparable: 2 without a rating or direction to compare, 8 new, 12 dropped",
    the parts there are; "" when every indicator was compared."""
    parts = [f"{nothing_to_compare} without a rating or direction to compare"] * bool(
        nothing_to_compare
    )
    parts += [f"{new} new"] * bool(new) + [f"{dropped} dropped"] * bool(dropped)
    return "not comparable: " + ", ".join(parts) if parts else ""


def source(row: dict[str, Any]) -> str:
    """What a change compares, in words: "2016/17 Q1 report → 2016/17 Q4", or "previous
    result printed for 2015/16 → 2016/17 Q4", or where a new or dropped indicator is."""
    if row["change"] == NEW:
        return f"new in {row['to_period']}: no earlier figure"
    if row["change"] == DROPPED:
        return f"in {row['from_period']}, not in {row['to_period']}"
    if row["compared_with"] == PRINTED_PREVIOUS:
        return (
            f"against the previous result the {row['to_period']} report prints "
            f"({row['from_period']}), by its direction of travel"
        )
    return f"{row['from_period']} report → {row['to_period']}"


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
    if row["change"] in (WORSE_THAN_PRINTED, BETTER_THAN_PRINTED):
        moved = f"{row['to_result'] or '?'} from {row['from_result'] or '?'}"
        # The report's direction, which the list follows, against its own two figures.
        return moved + " (its report says so; by its polarity the figures say the opposite)" * bool(
            row.get("direction_disputed")
        )
    moved = f"{badge_letters(row['from_rag'])} → {badge_letters(row['to_rag'])}"
    steps = row["steps"]
    return moved + (f" ({steps} step{'' if steps == 1 else 's'})" if steps else "")
