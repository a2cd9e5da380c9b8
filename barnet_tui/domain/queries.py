"""Questions the CLI and the app both ask of a dataset, as pure functions of frames."""

from __future__ import annotations

import re
from typing import TypeVar

import polars as pl

from barnet_tui.domain.choices import ChoiceError, choose
from barnet_tui.domain.contract import ALL_SERVICES, BELOW_TARGET_RAGS, SERVICES
from barnet_tui.domain.periods import Period, PeriodError, sort_periods
from barnet_tui.domain.ratings import SEVERITY, below_target_expr

LATEST = "latest"
CURRENT = "current"
ALL = "all"
TBC_REF = "TBC"

Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)
"""Query functions take either: the quick check chains them lazily and collects once."""

# Short names people use for services ("Re", "CSG", "YCB").
SERVICE_ALIASES = {
    re.sub(r".*\((.+)\)$", r"\1", name): name for name in SERVICES if name.endswith(")")
}


def periods(frame: pl.DataFrame) -> list[str]:
    """The periods a frame has rows for, oldest first."""
    return sort_periods(frame["period"].unique().to_list())


def latest_period(indicators: pl.DataFrame, service_summary: pl.DataFrame) -> str | None:
    """The newest period with a council-wide summary, else the newest period with rows.

    The shipped data mixes council-wide and single-service reports; someone opening the app
    expects the whole council.
    """
    council = service_summary.filter(pl.col("service") == ALL_SERVICES)
    with_council = periods(council) if council.height else []
    if with_council:
        return with_council[-1]
    every = periods(indicators)
    return every[-1] if every else None


def resolve_period(
    indicators: pl.DataFrame, service_summary: pl.DataFrame | None, text: str
) -> str:
    """A period someone typed ("latest", "2016/17 Q4"), checked against the data.

    Without ``service_summary``, "latest" is simply the newest period with rows.
    """
    available = periods(indicators)
    if text.strip().casefold() == LATEST:
        summary = service_summary if service_summary is not None else indicators.clear()
        latest = latest_period(indicators, summary.select("service", "period"))
        if latest is None:
            raise ChoiceError("period", text, available, reason="no data for")
        return latest
    try:
        period = str(Period.parse(text))
    except PeriodError:
        raise ChoiceError("period", text, [LATEST, *available]) from None
    if period not in available:
        raise ChoiceError("period", text, [LATEST, *available], reason="no data for")
    return period


def resolve_service(frame: pl.DataFrame, text: str) -> str:
    """A service someone typed: any case, a short name ("Re") or a unique prefix."""
    names = sorted(frame["service"].unique().to_list())
    return choose("service", text, names, SERVICE_ALIASES)


def in_period(frame: Frame, period: str) -> Frame:
    return frame.filter(pl.col("period") == period)


def current_rows(frame: Frame) -> Frame:
    """Each indicator's most recent row: what we know of it now, whichever report said it.

    Indicators match on ref; rows whose ref is only "TBC" are each their own indicator. Where
    two reports give the same period, the row with a rating wins, then the later line.
    """
    ordered = frame.with_columns(
        _indicator=pl.when(pl.col("ref") == TBC_REF)
        .then(pl.format("{}@{}@{}", pl.col("source"), pl.col("source_line"), pl.col("ref")))
        .otherwise(pl.col("ref")),
        _rated=pl.col("rag").is_not_null() | pl.col("below_target").is_not_null(),
    ).sort(["fin_year", "quarter", "_rated", "source", "source_line"])
    latest = ordered.group_by("_indicator", maintain_order=True).last()
    return latest.select(frame.collect_schema().names())


def below_target(frame: Frame, ratings: tuple[str, ...] = BELOW_TARGET_RAGS) -> Frame:
    return frame.filter(below_target_expr(ratings))


def with_ratings(frame: Frame, ratings: tuple[str, ...]) -> Frame:
    """Rows whose rating is one of ``ratings``; ``"-"`` stands for rows without one."""
    rated = pl.col("rag").is_in([rating for rating in ratings if rating != "-"])
    if "-" in ratings:
        rated = rated | pl.col("rag").is_null()
    return frame.filter(rated)


def worst_first(frame: Frame) -> Frame:
    """Rows by service, then worst rating first, then ref."""
    severity = pl.col("rag").replace_strict(SEVERITY, default=len(SEVERITY), return_dtype=pl.Int64)
    return frame.sort(
        [pl.col("service"), severity, pl.col("ref"), pl.col("fin_year"), pl.col("quarter")],
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


def search(frame: pl.DataFrame, text: str) -> pl.DataFrame:
    """Rows whose ref, indicator name or comment contains ``text`` (any case, literally)."""
    needle = text.strip().casefold()
    if not needle:
        return frame
    hit = pl.lit(False)
    for column in ("ref", "ref_raw", "indicator", "comment"):
        hit = hit | pl.col(column).str.to_lowercase().str.contains(needle, literal=True).fill_null(
            False
        )
    return frame.filter(hit)
