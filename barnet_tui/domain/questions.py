"""The questions the command line and the explorer both ask of a dataset, answered here once:
the period and service someone typed (the audit's scope too), the indicators below target,
a report's key actions or risks, the changes, an indicator by its ref, the palette's hits.
Callers print or show the answers; none of them builds a query of its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import polars as pl

from barnet_tui.domain.attention import below_target_expr
from barnet_tui.domain.changes import READ, changes, changes_and_coverage, comparisons, coverage
from barnet_tui.domain.count_basis import action_overview_notes, reported_below, summary_row
from barnet_tui.domain.dataset import Dataset, TableScan, load_table, scan_derived, scan_table
from barnet_tui.domain.judging import Judged, judge_actions, judge_below_target, judge_risks
from barnet_tui.domain.queries import (
    ALL,
    CURRENT,
    LATEST,
    TBC_REF,
    current_rows,
    distinct,
    has_period,
    in_period,
    resolve_period,
    resolve_service,
    unavailable_period,
    with_ratings,
    worst_first,
)
from barnet_tui.domain.report_tables import (
    latest_per_service,
    not_green,
    scored_at_least,
    with_report_columns,
    worst_actions_first,
    worst_risks_first,
)
from barnet_tui.domain.storage.location import Location
from barnet_tui.domain.summary import count_rows
from barnet_tui.domain.validate import Problem

Warn = Callable[[Problem], None]
"""Told each value found outside the contract's vocabularies (kept, shown as unknown)."""


class UsageError(Exception):
    """Options that cannot go together once the data is known; ``str()`` is the line shown."""


class Scope(NamedTuple):
    """The period and service a question asked for, checked, and its title."""

    period: str | None
    """A period, or None for "current" (each item's latest report) and "all"."""
    service: str | None
    title: str
    many: bool
    """Whether rows come from more than one period."""


def resolve_scope(
    indicators: TableScan, period_text: str, service_text: str | None, item: str
) -> Scope:
    """A period and a service as typed, resolved against the dataset's indicators; ``item``
    names what "current" takes the latest report of ("indicator", "service")."""
    title, many, period = "all periods", True, None
    if period_text == CURRENT:
        title = f"each {item}'s latest report"
    elif period_text != ALL:
        summary = None
        if period_text.strip().casefold() == LATEST:
            summary, _ = load_table(indicators.generation, "service_summary")
        period = resolve_period(indicators.rows, summary, period_text, check=False)
        title, many = period, False
    service = None
    if service_text is not None:
        service = resolve_service(indicators.rows, service_text)
        title = f"{service}, {title}"
    return Scope(period, service, title, many)


def within(frame: pl.LazyFrame, scope: Scope) -> pl.LazyFrame:
    """The rows of the scope's service, if it names one, and of its period, if it names one."""
    if scope.service is not None:
        frame = frame.filter(pl.col("service") == scope.service)
    if scope.period is not None:
        frame = in_period(frame, scope.period)
    return frame


def _known_period(indicators: TableScan, scope: Scope, period_text: str) -> None:
    """When a question found nothing: an empty dataset, or a period it does not hold, is an
    error, never an empty answer."""
    indicators.require_rows()
    if scope.period is not None and not has_period(indicators.rows, scope.period):
        raise unavailable_period(indicators.rows, period_text)


# Below target -------------------------------------------------------------------------------


class BelowTargetQuery(NamedTuple):
    period: str
    """"current", "all", "latest" or a period."""
    service: str | None
    ratings: tuple[str, ...] | None
    """Ratings asked for (``"-"`` for rows without one), or None for those below target."""


class Selection(NamedTuple):
    rows: pl.DataFrame
    title: str
    period_shown: bool
    """Whether rows come from more than one period (so each row shows its period)."""
    judged: Judged
    """What was judged: the scope's indicators, those rated, and those found below."""
    ratings: tuple[str, ...] | None = None
    """The ratings asked for, to say what an empty list is empty of."""
    basis: str = "the rows the dataset holds"
    """What the footer's counts count."""
    summary: dict[str, Any] | None = None
    """The corporate summary's row for the same period (and service), when one period."""
    below_target: tuple[str, ...] = ()
    """The ratings counted below target (the configuration's)."""


def below_target_list(
    query: BelowTargetQuery,
    data: Location,
    below_target: tuple[str, ...],
    warn: Warn,
    beside_summary: bool = True,
) -> Selection:
    """The indicators below target (rated one of ``below_target``), worst first per service;
    DatasetError / ChoiceError on bad data or arguments.

    The dataset is scanned lazily: only the columns and rows the answer needs are read.
    ``beside_summary``: for one period, read the summary's counts too, for a footer to name
    them and an exit status to count them (a csv or json for a script needs neither).
    """
    indicators = scan_table(data, "indicators")
    scope = resolve_scope(indicators, query.period, query.service, "indicator")
    # Each indicator's latest row, as ingest wrote them (else chosen from every row here).
    current = None
    if query.period == CURRENT:
        current = scan_derived(indicators.generation, "current_indicators")
    table = current or indicators

    def scoped(frame: pl.LazyFrame) -> pl.LazyFrame:
        if query.period == CURRENT and table is indicators:
            frame = current_rows(frame)
        return within(frame, scope)

    def rows(frame: pl.LazyFrame) -> pl.LazyFrame:
        frame = scoped(frame).filter(below_target_expr(below_target))
        if query.ratings is not None:
            frame = with_ratings(frame, query.ratings)
        return worst_first(frame)

    selected, warnings = table.collect(rows)
    if not selected.height:
        _known_period(indicators, scope, query.period)
    for warning in warnings:
        warn(warning)
    # What an empty list judged, counted only then (a list says its own count); the same
    # columns of the same rows were read above, so the file is known to be sound.
    judged = Judged(selected.height, selected.height, selected.height)
    if not selected.height:
        judged = judge_below_target(scoped(table.rows), below_target, query.ratings)
    basis, summary = "the rows the dataset holds", None
    if query.period == CURRENT:
        basis = "each indicator's latest row the dataset holds"
    elif scope.period is not None and beside_summary:
        summary = _summary_row(indicators, scope.period, scope.service, below_target)
        said = reported_below(summary) if query.ratings is None else 0
        if said > judged.found:
            # The report counts indicators below target its rows do not detail: found,
            # never an all-clear (the footer gives both numbers).
            judged = judged._replace(found=said)
    return Selection(
        selected, scope.title, scope.many, judged, query.ratings, basis, summary, below_target
    )


def _summary_row(
    indicators: TableScan, period: str, service: str | None, ratings: tuple[str, ...]
) -> dict[str, Any] | None:
    """The summary's row the footer names beside its own count: from the counts ingest
    wrote per period (else counted from the period's rows), as the explorer reads them."""
    published, _ = load_table(indicators.generation, "service_summary")
    derived = scan_derived(indicators.generation, "period_counts")
    if derived is not None:
        counts, _ = derived.collect(lambda frame: in_period(frame, period))
    else:
        counts = count_rows(in_period(indicators.rows, period), ["service", "source"]).collect()
    row = summary_row(counts, published, period, service, ratings)
    return None if row is None else {**row, "period": period}


# A report's key actions and risks -----------------------------------------------------------


class ListQuery(NamedTuple):
    table: str
    """``actions`` or ``risks``."""
    period: str
    service: str | None
    min_score: int | None = None


class Listing(NamedTuple):
    rows: pl.DataFrame
    title: str
    period_shown: bool
    judged: Judged
    """What was judged: the scope's key actions or risks, those rated or scored, those kept."""
    notes: list[str]
    """Where a report's overview counts other key actions than it lists: both, and why."""


def report_list(query: ListQuery, data: Location, warn: Warn) -> Listing:
    """Key actions not on track (any rating but Green, or none), or risks scored at least
    ``min_score``, worst first; DatasetError / ChoiceError on bad data or arguments."""
    scan = scan_table(data, query.table)
    indicators = scan_table(scan.generation, "indicators")  # the same generation
    scope = resolve_scope(indicators, query.period, query.service, "service")

    def scoped(frame: pl.LazyFrame) -> pl.LazyFrame:
        frame = within(frame, scope)
        if scope.period is None and query.period == CURRENT:
            frame = latest_per_service(frame)
        return frame

    def rows(frame: pl.LazyFrame) -> pl.LazyFrame:
        frame = scoped(frame)
        if query.table == "actions":
            return worst_actions_first(not_green(frame))
        return worst_risks_first(scored_at_least(frame, query.min_score))

    selected, warnings = scan.collect(rows)
    if not selected.height:
        _known_period(indicators, scope, query.period)
    for warning in warnings:
        warn(warning)
    # What the list judged, and where a report's overview counts other key actions than it
    # lists (the tables are a report's few rows, read again whole).
    in_scope, _ = scan.collect(scoped)
    notes: list[str] = []
    if query.table == "actions":
        judged = judge_actions(in_scope)
        notes = action_overview_notes(in_scope)
    else:
        judged = judge_risks(in_scope, query.min_score)
    return Listing(selected, scope.title, scope.many, judged, notes)


# Changes and the audit ----------------------------------------------------------------------


class Changes(NamedTuple):
    rows: pl.DataFrame
    pairs: pl.DataFrame
    not_compared: list[str]
    """Services in scope with no second report to compare with."""
    title: str
    covered: pl.DataFrame
    """Per compared service, indicators in both reports and in one only (``coverage``)."""

    def judged(self) -> Judged:
        """What the changes judged: the indicators compared, and the changes for the worse."""
        compared = int(self.covered["compared"].sum()) if self.covered.height else 0
        worse = int(self.rows["worse"].sum()) if self.rows.height else 0
        return Judged(self.rows.height, compared, worse)


def changes_asked(
    data: Location, from_text: str | None, to_text: str | None, service_text: str | None
) -> Changes:
    """The changes between two periods (either, or both, each service's latest reports),
    for one service or all; ChoiceError / DatasetError / UsageError on bad input."""
    scan = scan_table(data, "indicators")
    scan.require_rows()
    indicators = scan.rows.select(READ)
    from_period = None if from_text is None else resolve_period(indicators, None, from_text)
    to_period = None if to_text is None else resolve_period(indicators, None, to_text)
    if from_period is not None and to_period is not None and from_period >= to_period:
        raise UsageError(f"--to {to_period} is not after --from {from_period}")
    service = None if service_text is None else resolve_service(indicators, service_text)
    if service is not None:
        indicators = indicators.filter(pl.col("service") == service)
    pairs = comparisons(indicators, from_period, to_period)
    asked = [period for period in (from_period, to_period) if period is not None]
    # A service reporting in either period asked for (any, with none asked) but not compared.
    in_scope = indicators.filter(pl.col("period").is_in(asked)) if asked else indicators
    compared = set(pairs["service"].to_list())
    not_compared = [name for name in sorted(distinct(in_scope, "service")) if name not in compared]
    found = changes(indicators, pairs)
    title = _changes_title(from_period, to_period, service)
    return Changes(found, pairs, not_compared, title, coverage(indicators, pairs))


def _changes_title(from_period: str | None, to_period: str | None, service: str | None) -> str:
    if from_period and to_period:
        span = f"{from_period} → {to_period}"
    elif to_period:
        span = f"{to_period}, each indicator against its latest earlier figure"
    elif from_period:
        span = f"{from_period} → each service's latest report"
    else:
        span = "each service's latest report, each indicator against its latest earlier figure"
    return f"{service}, {span}" if service else span


# Of a loaded dataset: what the explorer and its palette ask --------------------------------


def period_asked(dataset: Dataset, text: str) -> str:
    """A period as typed ("latest", "2016/17 Q4"), checked against the dataset; "latest" is
    the newest with a council-wide summary. ChoiceError for one it does not hold."""
    return resolve_period(dataset.indicators, dataset.service_summary, text)


def service_asked(dataset: Dataset, text: str) -> str:
    """A service as typed: any case, a short name ("Re") or a unique prefix."""
    return resolve_service(dataset.indicators, text)


def services(dataset: Dataset) -> list[str]:
    """Every service with indicator rows, by name."""
    found = dataset.collect(dataset.indicators.select(pl.col("service").unique()))
    return sorted(found["service"].drop_nulls())


def latest_indicators(dataset: Dataset) -> pl.DataFrame:
    """Each indicator's latest row (ref, name, service, period, rating), by ref: what the
    palette offers to jump to. Rows whose ref is only "TBC" are no indicator to name."""
    columns = ("ref", "indicator", "service", "period", "fin_year", "quarter", "rag")
    return dataset.collect(
        lambda: (
            current_rows(dataset.indicators.select(*columns, "below_target"))
            .filter(pl.col("ref") != TBC_REF)
            .sort("ref")
        )
    )


def indicator_rows(dataset: Dataset, ref: str) -> pl.DataFrame:
    """Every row of the indicator ``ref``, in any period: as stored, else in any case (as
    typed at the command line). None found: an empty frame."""
    rows = dataset.ref_rows(ref)
    if rows.height == 0:
        typed = pl.col("ref").str.to_uppercase() == ref.upper()
        rows = dataset.collect(dataset.indicators.filter(typed))
    return rows


def indicator_row(
    rows: pl.DataFrame, period: str, where: tuple[str, str] | None = None
) -> dict[str, Any]:
    """Of an indicator's ``rows``, the one to open: with ``where`` (service, period), that
    one (what a palette hit names); else its row in ``period``, else its latest."""
    if where is not None:
        named = rows.filter((pl.col("service") == where[0]) & (pl.col("period") == where[1]))
        rows = named if named.height else rows
    chosen = in_period(rows, where[1] if where else period)
    return current_rows(chosen if chosen.height else rows).row(0, named=True)


def disagreements_in(dataset: Dataset, period: str) -> pl.DataFrame:
    """Where a period's reports contradict their own figures (the manifest's record)."""
    return in_period(dataset.disagreements, period)


def summary_with_reports(dataset: Dataset, period: str, ratings: tuple[str, ...]) -> pl.DataFrame:
    """The corporate summary of ``period`` (``Dataset.summary``) with each service's key
    actions and revenue variance beside it, and whether its report disputes them."""
    summary = dataset.summary(period, ratings)
    actions = dataset.report_rows("actions", period)
    finance = dataset.report_rows("finance", period)
    checks = disagreements_in(dataset, period)
    return with_report_columns(summary, actions, finance, checks)


def changes_to(dataset: Dataset, period: str) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Each service's changes in ``period`` (each indicator against its latest earlier
    figure), the reports compared, and per service what was compared and what could not be."""
    pairs = comparisons(dataset.indicators, to_period=period)
    found, covered = changes_and_coverage(dataset.indicators, pairs)
    return found, pairs, covered


def rows_again(dataset: Dataset, rows: pl.DataFrame) -> pl.DataFrame:
    """The same indicators' rows (by period, service and ref) from a newer ``dataset``, in
    the same order; those it no longer has drop out."""
    keys = ["period", "service", "ref"]
    periods = rows["period"].unique().to_list()
    fresh = pl.concat([dataset.period_rows(period) for period in periods])
    return (
        rows.select(keys)
        .with_row_index("_order")
        .join(fresh.unique(keys, keep="first", maintain_order=True), on=keys)
        .sort("_order")
        .drop("_order")
    )
