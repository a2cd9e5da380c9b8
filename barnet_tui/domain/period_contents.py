"""What each period of a dataset holds, so that choosing one is not a guess: its reports,
services, indicator rows (rated and not), key actions, budget lines and risks, and which
period ``latest`` opens on.

Read from the small tables: ``period_counts`` where ingest wrote it (else the indicators'
period, service, source and rag columns) and the report tables' period column.
"""

from __future__ import annotations

import polars as pl

from barnet_tui.domain.contract import ALL_SERVICES, REPORT_TABLES
from barnet_tui.domain.dataset import Dataset
from barnet_tui.domain.queries import periods as periods_of
from barnet_tui.domain.summary import count_rows

CONTENTS_SCHEMA = pl.Schema(
    {
        "period": pl.String(),
        "reports": pl.Int64(),
        "services": pl.Int64(),
        "indicators": pl.Int64(),
        "rated": pl.Int64(),
        "actions": pl.Int64(),
        "finance": pl.Int64(),
        "risks": pl.Int64(),
    }
)


def period_contents(dataset: Dataset) -> pl.DataFrame:
    """One row per period with rows, oldest first (columns :data:`CONTENTS_SCHEMA`)."""
    keys = ["period", "service", "source"]
    if dataset.counts is not None:
        counts = dataset.collect(
            dataset.counts.select(*keys, "reported", "rag_rated"), table="period_counts"
        )
    else:
        counts = dataset.collect(
            lambda: count_rows(
                dataset.indicators.select([*keys, "rag", "dot", "below_target"]), keys
            ).lazy()
        )
    contents = counts.group_by("period").agg(
        reports=pl.col("source").n_unique(),
        services=pl.col("service").n_unique(),
        indicators=pl.col("reported").sum(),
        rated=pl.col("rag_rated").sum(),
    )
    for table in REPORT_TABLES:
        per_period = (
            dataset.report_columns(table, ("period",)).group_by("period").agg(pl.len().alias(table))
        )
        contents = contents.join(per_period, on="period", how="left")
    order = {period: index for index, period in enumerate(periods_of(contents))}
    return (
        contents.with_columns(pl.col(name).fill_null(0) for name in REPORT_TABLES)
        .select(CONTENTS_SCHEMA.names())
        .cast(CONTENTS_SCHEMA)
        .sort(pl.col("period").replace_strict(order, return_dtype=pl.Int64))
    )


def council_periods(dataset: Dataset) -> list[str]:
    """The periods with a council-wide summary, oldest first."""
    return periods_of(dataset.service_summary.filter(pl.col("service") == ALL_SERVICES))


def latest_of(dataset: Dataset) -> str | None:
    """The period ``latest`` names: the newest with a council-wide summary, else the newest
    with rows (``queries.latest_period``, without reading the indicators again)."""
    council = council_periods(dataset)
    if council:
        return council[-1]
    return dataset.periods[-1] if dataset.periods else None


def contents_line(row: dict[str, int | str], counted: int | None = None) -> str:
    """ "1 report · 13 services · 73 indicators (49 rated; the report counts 367) · no key
    actions, finance, risks": the parts a period has, none left unsaid; ``counted``, the
    indicators its reports count, where they print a count."""

    def count(number: object, noun: str) -> str:
        return f"{number} {noun}{'' if number == 1 else 's'}"

    rated = f"{row['rated']} rated" + ("" if counted is None else f"; the report counts {counted}")
    parts = [
        count(row["reports"], "report"),
        count(row["services"], "service"),
        f"{count(row['indicators'], 'indicator')} ({rated})",
    ]
    nouns = {"actions": "key action", "finance": "budget line", "risks": "risk"}
    parts += [count(row[name], noun) for name, noun in nouns.items() if row[name]]
    absent = {"actions": "key actions", "finance": "finance", "risks": "risks"}
    missing = [noun for name, noun in absent.items() if not row[name]]
    if missing:
        parts.append("no " + ", ".join(missing))
    return " · ".join(parts)
