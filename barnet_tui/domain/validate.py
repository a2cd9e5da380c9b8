"""Checking a table against the contract: every problem at once, each with file, column, row.

Missing columns, wrong types and malformed periods make a dataset unusable (errors). Values
outside a vocabulary are kept and shown as unknown (warnings): a new rating word in next
year's reports must not hide a row.
"""

from __future__ import annotations

from typing import NamedTuple, TypeVar

import polars as pl

from barnet_tui.domain.contract import PERIOD_PATTERN, TABLES, Column
from barnet_tui.domain.literal_text import literal

_ROWS_SHOWN = 3
ROW = "_row"
"""A lazily read table's own row number (0-based), carried through a query so that problems
in the rows it collects name their rows in the file."""


class Problem(NamedTuple):
    """One thing wrong with a dataset file."""

    file: str
    message: str
    column: str | None = None
    rows: tuple[int, ...] = ()
    """The first few 1-based data rows (the CSV line is one more, for the header)."""
    fatal: bool = True
    row_count: int = 0
    """How many rows have the problem (``rows`` shows the first few)."""

    def __str__(self) -> str:
        """The line a user is shown (a warning, or part of a DatasetError); nothing in it may
        act on the terminal, though a message quotes values and may quote a reader's error."""
        where = self.file
        if self.column is not None:
            where += f": column {self.column!r}"
        if self.rows:
            count = max(self.row_count, len(self.rows))
            shown = ", ".join(str(row) for row in self.rows[:_ROWS_SHOWN])
            more = f" and {count - _ROWS_SHOWN} more" if count > _ROWS_SHOWN else ""
            where += f", row{'s' if count > 1 else ''} {shown}{more}"
        return literal(f"{where}: {self.message}" if where else self.message)


def _compatible(actual: pl.DataType, expected: pl.DataType) -> bool:
    if actual == expected or actual == pl.Null:
        return True
    if expected == pl.Float64:
        return actual.is_numeric()
    if expected == pl.Int64:
        return actual.is_integer()
    return False


_BOUNDS: dict[str, tuple[int, int | None]] = {
    "quarter": (1, 4),
    "source_line": (1, None),
    "source_page": (1, None),
    "page_line": (1, None),
}
"""Integer columns whose values have bounds: a quarter is 1-4, a line or page counts from 1
(a dataset another tool wrote may hold a quarter of 4e12 or a line of -5)."""


def _bounds_text(name: str) -> str:
    low, high = _BOUNDS[name]
    return f"outside {low}-{high}" if high is not None else f"below {low}"


def _checks(column: Column) -> dict[str, pl.Expr]:
    """Boolean masks of bad values in a column of the right type, by kind of problem."""
    value = pl.col(column.name)
    checks = {}
    if not column.nullable:
        checks["empty"] = value.is_null()
    if column.name == "period" and column.dtype == pl.String:
        checks["period"] = value.is_not_null() & ~value.str.contains(PERIOD_PATTERN.pattern)
    if column.name in _BOUNDS and column.dtype == pl.Int64:
        low, high = _BOUNDS[column.name]
        checks["bounds"] = value.is_not_null() & (
            (value < low) if high is None else ~value.is_between(low, high)
        )
    if column.vocabulary is not None:
        checks["vocabulary"] = value.is_not_null() & ~value.is_in(list(column.vocabulary))
    return checks


Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)


def _collected(frame: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    return frame.collect(engine="streaming") if isinstance(frame, pl.LazyFrame) else frame


def _problem(
    frame: pl.DataFrame | pl.LazyFrame,
    column: Column,
    kind: str,
    mask: pl.Expr,
    count: int,
    file: str,
) -> Problem:
    """The problem ``mask`` finds in ``count`` rows, naming the first few and their values."""
    numbered = frame if ROW in frame.collect_schema() else frame.with_row_index(ROW)
    found = _collected(numbered.filter(mask).select(ROW, column.name).head(10 * _ROWS_SHOWN))
    rows = tuple(number + 1 for number in found[ROW].head(_ROWS_SHOWN).to_list())
    if kind == "empty":
        return Problem(file, "is empty", column.name, rows, row_count=count)
    values = found[column.name].unique(maintain_order=True).to_list()[:_ROWS_SHOWN]
    shown = ", ".join(map(repr, values))
    if kind == "period":
        message = f"{shown} is not a period like '2016/17 Q4'"
        return Problem(file, message, column.name, rows, row_count=count)
    if kind == "bounds":
        message = f"{shown} is {_bounds_text(column.name)}"
        return Problem(file, message, column.name, rows, row_count=count)
    message = f"unknown value {shown} (shown as unknown)"
    return Problem(file, message, column.name, rows, fatal=False, row_count=count)


def validate(table: str, frame: pl.DataFrame | pl.LazyFrame, file: str) -> list[Problem]:
    """Every way ``frame`` breaks the contract for ``table``.

    All value checks run in one pass (streamed, for a lazy frame: millions of rows are
    checked without holding them); rows are only looked up for checks that found something.
    """
    problems = []
    schema = frame.collect_schema()
    readable: list[Column] = []
    for column in TABLES[table]:
        if column.name not in schema:
            if not column.optional:
                problems.append(Problem(file, "is missing", column.name))
        elif not _compatible(schema[column.name], column.dtype):
            actual = schema[column.name]
            problems.append(Problem(file, f"is {actual}, expected {column.dtype}", column.name))
        else:
            readable.append(column)
    if isinstance(frame, pl.DataFrame) and frame.is_empty():
        return problems  # a schema alone (a scan's, checked before any row is read)
    checks = {
        f"{column.name}:{kind}": (column, kind, mask)
        for column in readable
        for kind, mask in _checks(column).items()
    }
    if not checks:
        return problems
    sums = frame.select(**{key: mask.sum() for key, (_column, _kind, mask) in checks.items()})
    for key, count in _collected(sums).row(0, named=True).items():
        if count:
            column, kind, mask = checks[key]
            problems.append(_problem(frame, column, kind, mask, count, file))
    return problems


def conform(table: str, frame: Frame) -> Frame:
    """A validated frame cast to the contract's exact dtypes, extra columns kept, optional
    columns it lacks added as nulls."""
    schema = frame.collect_schema()
    casts = {
        column.name: pl.col(column.name).cast(column.dtype)
        if column.name in schema
        else pl.lit(None, dtype=column.dtype)
        for column in TABLES[table]
        if schema.get(column.name) != column.dtype
    }
    return frame.with_columns(**casts) if casts else frame
