"""Questions the CLI and the app both ask of a dataset, as pure functions of frames."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypeVar

import polars as pl

from barnet_tui.domain.attention import below_target_expr, severity
from barnet_tui.domain.choices import ChoiceError, choose
from barnet_tui.domain.contract import ALL_SERVICES, BELOW_TARGET_RAGS, SERVICES
from barnet_tui.domain.periods import Period, PeriodError, sort_periods
from barnet_tui.domain.validate import ROW

LATEST = "latest"
CURRENT = "current"
ALL = "all"
TBC_REF = "TBC"
_ROWS_LIMIT = 2**32
"""Row numbers are below this (Polars' row index is 32-bit)."""

Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)
"""Query functions take either: the quick check chains them lazily and collects once."""

# Short names people use for services ("Re", "CSG", "YCB").
SERVICE_ALIASES = {
    re.sub(r".*\((.+)\)$", r"\1", name): name for name in SERVICES if name.endswith(")")
}


def distinct(frame: Frame, column: str) -> list[str]:
    """The values of one column, once each (only that column is read of a lazy frame)."""
    values = frame.select(pl.col(column).unique())
    collected = values.collect() if isinstance(values, pl.LazyFrame) else values
    return [value for value in collected[column].to_list() if value is not None]


def periods(frame: Frame) -> list[str]:
    """The periods a frame has rows for, oldest first."""
    return sort_periods(distinct(frame, "period"))


def has_period(frame: Frame, period: str) -> bool:
    found = frame.filter(pl.col("period") == period).select(pl.len())
    collected = found.collect() if isinstance(found, pl.LazyFrame) else found
    return bool(collected.item())


def latest_period(indicators: Frame, service_summary: pl.DataFrame | None) -> str | None:
    """The newest period with a council-wide summary, else the newest period with rows.

    The shipped data mixes council-wide and single-service reports; someone opening the app
    expects the whole council.
    """
    if service_summary is not None:
        council = periods(service_summary.filter(pl.col("service") == ALL_SERVICES))
        if council:
            return council[-1]
    every = periods(indicators)
    return every[-1] if every else None


def resolve_period(
    indicators: Frame,
    service_summary: pl.DataFrame | None,
    text: str,
    *,
    check: bool = True,
) -> str:
    """A period someone typed ("latest", "2016/17 Q4"), checked against the data.

    Without ``service_summary``, "latest" is simply the newest period with rows. With
    ``check`` false a well-formed period is not looked up (a caller that finds no rows for
    it asks ``has_period`` then, and only then pays for reading the period column).
    """
    if text.strip().casefold() == LATEST:
        latest = latest_period(indicators, service_summary)
        if latest is None:
            raise ChoiceError("period", text, [], reason="no data for")
        return latest
    try:
        period = str(Period.parse(text))
    except PeriodError:
        raise ChoiceError("period", text, [LATEST, *periods(indicators)]) from None
    if check and not has_period(indicators, period):
        raise unavailable_period(indicators, text)
    return period


def unavailable_period(indicators: Frame, text: str) -> ChoiceError:
    return ChoiceError("period", text, [LATEST, *periods(indicators)], reason="no data for")


def resolve_service(frame: Frame, text: str) -> str:
    """A service someone typed: any case, a short name ("Re") or a unique prefix."""
    names = sorted(distinct(frame, "service"))
    return choose("service", text, names, SERVICE_ALIASES)


def columns_present(frame: pl.DataFrame, columns: Sequence[str]) -> pl.DataFrame:
    """``columns`` of ``frame`` that it has, in that order."""
    return frame.select(name for name in columns if name in frame.columns)


def no_rows() -> pl.DataFrame:
    """A frame of no rows and no columns: what a view shows before it has read anything."""
    return pl.DataFrame()


def with_period(frame: pl.DataFrame, period: str) -> pl.DataFrame:
    """``frame`` with a ``period`` column saying which period it is of (an export's)."""
    return frame.with_columns(period=pl.lit(period))


def in_period(frame: Frame, period: str) -> Frame:
    return frame.filter(pl.col("period") == period)


def current_rows(frame: Frame) -> Frame:
    """Each indicator's most recent row: what we know of it now, whichever report said it.

    Indicators match on ref; rows whose ref is only "TBC" are each their own indicator. Where
    two reports give the same period, the row with a rating wins, then the later row (ingest
    writes rows in source and line order). The choice is one group-by over the few columns
    it needs; only the chosen rows are then read whole, so millions of rows stay cheap.
    """
    numbered = frame if ROW in frame.collect_schema() else frame.with_row_index(ROW)
    row = pl.col(ROW).cast(pl.Int64)
    indicator = (
        pl.when(pl.col("ref") == TBC_REF)
        .then(pl.format("{}@{}", pl.col("ref"), row))
        .otherwise(pl.col("ref"))
    )
    rated = (pl.col("rag").is_not_null() | pl.col("below_target").is_not_null()).cast(pl.Int64)
    year = pl.col("fin_year").str.slice(0, 4).cast(pl.Int64, strict=False)
    # Latest period, then rated, then the later row, as one number whose maximum wins.
    order = (((year * 4 + pl.col("quarter")) * 2 + rated) * _ROWS_LIMIT) + row
    chosen = numbered.group_by(indicator.alias("_indicator")).agg(order.max().alias("_order"))
    ids = chosen.select((pl.col("_order") % _ROWS_LIMIT).cast(pl.UInt32).alias(ROW))
    collected = ids.collect(engine="streaming") if isinstance(ids, pl.LazyFrame) else ids
    latest = numbered.filter(pl.col(ROW).is_in(collected[ROW].implode()))
    return latest if ROW in frame.collect_schema() else latest.drop(ROW)


def below_target(frame: Frame, ratings: tuple[str, ...] = BELOW_TARGET_RAGS) -> Frame:
    return frame.filter(below_target_expr(ratings))


def rated_as(ratings: tuple[str, ...]) -> pl.Expr:
    """Rows whose rating is one of ``ratings``; ``"-"`` stands for rows without one."""
    rated = pl.col("rag").is_in([rating for rating in ratings if rating != "-"])
    if "-" in ratings:
        rated = rated | pl.col("rag").is_null()
    return rated


def with_ratings(frame: Frame, ratings: tuple[str, ...]) -> Frame:
    """Rows whose rating is one of ``ratings``; ``"-"`` stands for rows without one."""
    return frame.filter(rated_as(ratings))


def worst_first(frame: Frame) -> Frame:
    """Rows by service, then worst rating first, then ref."""
    return frame.sort(
        [pl.col("service"), severity(), pl.col("ref"), pl.col("fin_year"), pl.col("quarter")],
        nulls_last=True,
    )


def service_indicators(frame: pl.DataFrame, service: str) -> pl.DataFrame:
    """A service's rows, below-target first (worst first), then the rest by ref."""
    return worst_first(frame.filter(pl.col("service") == service))


def history_for_ref(frame: pl.DataFrame, ref: str) -> pl.DataFrame:
    """The same indicator in every period of the dataset, oldest first."""
    if ref == TBC_REF:
        return frame.clear()
    return frame.filter(pl.col("ref") == ref).sort(["fin_year", "quarter", "source", "source_line"])


def search(
    frame: pl.DataFrame,
    text: str,
    columns: tuple[str, ...] = ("ref", "ref_raw", "indicator", "comment"),
) -> pl.DataFrame:
    """Rows whose ``columns`` (ref, indicator name or comment) contain ``text`` (any case,
    literally)."""
    needle = text.strip().casefold()
    if not needle:
        return frame
    hit = pl.lit(False)
    for column in columns:
        hit = hit | pl.col(column).str.to_lowercase().str.contains(needle, literal=True).fill_null(
            False
        )
    return frame.filter(hit)


def earlier_report_differs(row: dict[str, Any], history: pl.DataFrame) -> dict[str, Any] | None:
    """The row of the earlier report that the row's "compared with" figure stands for, when
    that report gave another result (a restated figure): the screen then says both, where
    otherwise two figures for one period would contradict each other without a word."""
    said, named = row.get("previous"), row.get("previous_period")
    if said is None or not named:
        return None
    parts = str(named).split()
    year = next((part for part in parts if "/" in part), None)
    quarter = next((int(part[1]) for part in parts if part[:1] == "Q" and part[1:].isdigit()), 4)
    if year is None:
        return None
    earlier = history.filter(
        (pl.col("fin_year") == year)
        & (pl.col("quarter") == quarter)
        & pl.col("result").is_not_null()
    )
    if earlier.is_empty():
        return None
    found = earlier.row(earlier.height - 1, named=True)
    if abs(found["result"] - said) < 1e-9:
        return None
    decimals = re.search(r"\d(?:\.(\d+))?", str(row.get("previous_raw") or ""))
    places = len(decimals.group(1) or "") if decimals else 0
    return {**found, "rounded": round(found["result"], places) == round(said, places)}


def of_service(frame: Frame, service: str) -> Frame:
    return frame.filter(pl.col("service") == service)


def of_period_and_service(frame: Frame, period: str, service: str) -> Frame:
    return frame.filter((pl.col("period") == period) & (pl.col("service") == service))


def of_table(checks: pl.DataFrame, table: str) -> pl.DataFrame:
    """The disagreements a report's checks found about one of its tables."""
    return checks.filter(pl.col("table") == table)


def service_row(summary: pl.DataFrame, service: str) -> dict[str, Any] | None:
    """The service's row of a period's summary, if it has one."""
    match = of_service(summary, service)
    return match.row(0, named=True) if match.height else None


def about_line(checks: pl.DataFrame, source: str, line: int) -> list[str]:
    """The disagreements on a row's own line of its source, or that name it ("the table
    (line 105)")."""
    named = pl.col("message").str.contains(f"(line {line})", literal=True)
    mine = checks.filter((pl.col("source") == source) & ((pl.col("line") == line) | named))
    return [str(message) for message in mine["message"]]


def blank_columns(frame: pl.DataFrame, keys: Sequence[str]) -> list[str]:
    """Those of ``keys`` with nothing to show in any row (null or blank text)."""
    return [
        key
        for key in keys
        if (frame[key].cast(pl.String).fill_null("").str.strip_chars() == "").all()
    ]
