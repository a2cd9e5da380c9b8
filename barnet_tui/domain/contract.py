"""The dataset contract: the one place that names every table, column, dtype and vocabulary.

Ingest writes frames in this shape and the loader validates against it, so the two can never
drift apart. The prose version of this contract is ``docs/dataset.md``; a test keeps the two
in step.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

import polars as pl


class Column(NamedTuple):
    """One column of a contract table."""

    name: str
    dtype: pl.DataType
    nullable: bool = True
    vocabulary: tuple[str, ...] | None = None
    optional: bool = False
    """Added after datasets were first written: one without it reads as all null."""


RAG_VALUES: Final = ("Green", "Green Amber", "Red Amber", "Red", "Monitor")
BELOW_TARGET_RAGS: Final = ("Green Amber", "Red Amber", "Red")
RAG_SOURCES: Final = ("published", "fill", "section", "computed")
DOT_VALUES: Final = ("Improving", "Worsening", "Same", "Not comparable", "New", "Monitor")
POLARITIES: Final = ("Bigger is Better", "Smaller is Better", "Monitor")
INDICATOR_TYPES: Final = ("CPI", "SPI", "MPI", "KPI", "Strategic", "Critical")
FINANCE_KINDS: Final = ("revenue", "capital")
SUMMARY_LEVELS: Final = ("service", "committee", "council")
ALL_SERVICES: Final = "All services"

SERVICES: Final = (
    "Adults and Communities",
    "Barnet Homes",
    "Commissioning Group",
    "Customer and Support Group (CSG)",
    "Education and Skills",
    "Family Services",
    "HB Public Law",
    "Parking and Infrastructure",
    "Public Health",
    "Regional Enterprise (Re)",
    "Registrar Service",
    "Street Scene",
    "Your Choice Barnet (YCB)",
)

PERIOD_PATTERN: Final = re.compile(r"^(\d{4})/(\d{2}) Q([1-4])$")

_STR = pl.String()
_INT = pl.Int64()
_FLOAT = pl.Float64()
_BOOL = pl.Boolean()


PROVENANCE: Final = (
    Column("source_page", _INT, optional=True),
    Column("page_line", _INT, optional=True),
)
"""Where a row from a PDF was printed: its page, and its line in that page's text (null for a
text report without pages). ``source_line`` counts lines through the whole text, as
``barnet-tui extract`` prints it."""

INDICATORS: Final = (
    Column("period", _STR, nullable=False),
    Column("fin_year", _STR, nullable=False),
    Column("quarter", _INT, nullable=False),
    Column("service", _STR, nullable=False),
    Column("ref", _STR, nullable=False),
    Column("ref_raw", _STR, nullable=False),
    Column("ref_note", _STR),
    Column("indicator", _STR, nullable=False),
    Column("indicator_type", _STR, vocabulary=INDICATOR_TYPES),
    Column("polarity", _STR, vocabulary=POLARITIES),
    Column("period_covered", _STR),
    Column("target_raw", _STR),
    Column("target", _FLOAT),
    Column("annual_target_raw", _STR),
    Column("result_raw", _STR),
    Column("result", _FLOAT),
    Column("unit", _STR),
    Column("rag", _STR, vocabulary=RAG_VALUES),
    Column("rag_source", _STR, vocabulary=RAG_SOURCES),
    Column("below_target", _BOOL),
    Column("previous_raw", _STR),
    Column("previous", _FLOAT),
    Column("previous_period", _STR),
    Column("dot", _STR, vocabulary=DOT_VALUES),
    Column("previous_short_raw", _STR),
    Column("dot_short", _STR, vocabulary=DOT_VALUES),
    Column("benchmark", _STR),
    Column("comment", _STR),
    Column("source", _STR, nullable=False),
    Column("source_line", _INT, nullable=False),
    *PROVENANCE,
)

SERVICE_SUMMARY: Final = (
    Column("period", _STR, nullable=False),
    Column("level", _STR, nullable=False, vocabulary=SUMMARY_LEVELS),
    Column("service", _STR, nullable=False),
    Column("reported", _INT),
    Column("rag_rated", _INT),
    Column("green", _INT),
    Column("green_amber", _INT),
    Column("red_amber", _INT),
    Column("red", _INT),
    Column("monitor", _INT),
    Column("dot_rated", _INT),
    Column("improved_same", _INT),
    Column("worsened", _INT),
    Column("source", _STR, nullable=False),
    Column("source_line", _INT, nullable=False),
    *PROVENANCE,
)

SUMMARY_COUNTS: Final = tuple(
    column.name
    for column in SERVICE_SUMMARY
    if column.dtype == _INT and column.name not in {"source_line", "source_page", "page_line"}
)
"""The published counts of a service_summary row, in contract order."""

TARGETS: Final = (
    Column("ref", _STR, nullable=False),
    Column("service", _STR, nullable=False),
    Column("indicator", _STR, nullable=False),
    Column("fin_year", _STR, nullable=False),
    Column("target_raw", _STR),
    Column("target", _FLOAT),
    Column("source", _STR, nullable=False),
    Column("source_line", _INT, nullable=False),
    *PROVENANCE,
)

ACTIONS: Final = (
    Column("period", _STR, nullable=False),
    Column("service", _STR, nullable=False),
    Column("ref", _STR),
    Column("priority", _STR),
    Column("action", _STR, nullable=False),
    Column("rag", _STR, vocabulary=RAG_VALUES),
    Column("rag_raw", _STR),
    Column("overall_rag", _STR, vocabulary=RAG_VALUES),
    Column("overall_rag_raw", _STR),
    Column("due", _STR),
    Column("comment", _STR),
    Column("source", _STR, nullable=False),
    Column("source_line", _INT, nullable=False),
    *PROVENANCE,
)

FINANCE: Final = (
    Column("period", _STR, nullable=False),
    Column("service", _STR, nullable=False),
    Column("kind", _STR, nullable=False, vocabulary=FINANCE_KINDS),
    Column("line", _STR, nullable=False),
    Column("original_budget", _FLOAT),
    Column("revised_budget", _FLOAT),
    Column("additions", _FLOAT),
    Column("slippage", _FLOAT),
    Column("proposed_budget", _FLOAT),
    Column("forecast_or_actual", _FLOAT),
    Column("variance", _FLOAT),
    Column("reserve_movements", _FLOAT),
    Column("variance_after_reserves", _FLOAT),
    Column("variance_pct", _FLOAT),
    Column("slippage_pct", _FLOAT),
    Column("comment", _STR),
    Column("source", _STR, nullable=False),
    Column("source_line", _INT, nullable=False),
    *PROVENANCE,
)

RISKS: Final = (
    Column("period", _STR, nullable=False),
    Column("service", _STR, nullable=False),
    Column("risk_id", _STR, nullable=False),
    Column("category", _STR),
    Column("description", _STR),
    Column("impact", _INT),
    Column("probability", _INT),
    Column("score", _INT),
    Column("rating", _STR),
    Column("controls", _STR),
    Column("status", _STR),
    Column("review", _STR),
    Column("target_impact", _INT),
    Column("target_probability", _INT),
    Column("target_score", _INT),
    Column("target_rating", _STR),
    Column("source", _STR, nullable=False),
    Column("source_line", _INT, nullable=False),
    *PROVENANCE,
)

PERIOD_COUNTS: Final = (
    Column("period", _STR, nullable=False),
    Column("service", _STR, nullable=False),
    Column("source", _STR, nullable=False),
    *(Column(name, _INT, nullable=False) for name in SUMMARY_COUNTS),
    Column("rag_monitor", _INT, nullable=False),
    Column("unrated_below", _INT, nullable=False),
    Column("previous_period", _STR),
    Column("changed", _INT),
)
"""Derived at ingest from ``indicators`` for speed: what the summary counts, per period."""

REPORT_TABLE_COLUMNS: Final[dict[str, tuple[Column, ...]]] = {
    "actions": ACTIONS,
    "finance": FINANCE,
    "risks": RISKS,
}
"""The rest of a report beside its indicators, one entry per table: a reader under
``ingest/readers/`` names the entry it fills (its ``READER.table``), and a table added here
is in ``TABLES`` and ``REPORT_TABLES`` too. Optional: a dataset from before them has none."""

TABLES: Final[dict[str, tuple[Column, ...]]] = {
    "indicators": INDICATORS,
    "service_summary": SERVICE_SUMMARY,
    "targets": TARGETS,
    **REPORT_TABLE_COLUMNS,
    "period_counts": PERIOD_COUNTS,
    "current_indicators": INDICATORS,
    "indicators_by_ref": INDICATORS,
}
"""Every table of the contract, in the order the manifest lists them."""

REQUIRED_TABLES: Final = ("indicators", "service_summary", "targets")
"""Tables a dataset must have; the others are optional until ingest produces them."""
REPORT_TABLES: Final = tuple(REPORT_TABLE_COLUMNS)
"""The names of the tables of ``REPORT_TABLE_COLUMNS``, in contract order."""
DERIVED_TABLES: Final = ("period_counts", "current_indicators", "indicators_by_ref")
"""Tables ingest computes from ``indicators`` so that a view reads a small table instead of
every row: optional (a dataset from before them is read without), and used only when
written with or after ``indicators`` (``docs/dataset.md``)."""

MANIFEST_NAME: Final = "manifest.json"
MANIFEST_FORMAT: Final = "barnet-tui-dataset/2"
"""The manifest's ``format``: how a folder says it is a dataset that ingest may refresh.
Format 2 keeps the tables in the generation folder the manifest names; format 1 kept them
beside it (such a dataset is still read, and refreshed into format 2)."""
MANIFEST_FORMATS: Final = ("barnet-tui-dataset/1", MANIFEST_FORMAT)


def schema(table: str) -> pl.Schema:
    """The Polars schema of a contract table."""
    return pl.Schema({column.name: column.dtype for column in TABLES[table]})


def empty_frame(table: str) -> pl.DataFrame:
    """An empty frame with the contract's columns, for a table a report does not have."""
    return pl.DataFrame(schema=schema(table))
