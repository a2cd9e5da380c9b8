"""Checking a table against the contract: every problem at once, each with file, column, row.

Missing columns, wrong types and malformed periods make a dataset unusable (errors). Values
outside a vocabulary are kept and shown as unknown (warnings): a new rating word in next
year's reports must not hide a row.
"""

from __future__ import annotations

from typing import NamedTuple, TypeVar

import polars as pl

from barnet_tui.display import literal
from barnet_tui.domain.contract import PERIOD_PATTERN, TABLES, Column

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
    """1-based data rows (the CSV line is one more, for the header)."""
    fatal: bool = True

    def __str__(self) -> str:
        """The line a user is shown (a warning, or part of a DatasetError); nothing in it may
        act on the terminal, though a message quotes values and may quote a reader's error."""
        where = self.file
        if self.column is not None:
            where += f": column {self.column!r}"
        if self.rows:
            shown = ", ".join(str(row) for row in self.rows[:_ROWS_SHOWN])
            more = (
                f" and {len(self.rows) - _ROWS_SHOWN} more" if len(self.rows) > _ROWS_SHOWN else ""
            )
            where += f", row{'s' if len(self.rows) > 1 else ''} {shown}{more}"
        return literal(f"{where}: {self.message}" if where else self.message)


def _compatible(actual: pl.DataType, expected: pl.DataType) -> bool:
    if actual == expected or actual == pl.Null:
        return True
    if expected == pl.Float64:
        return actual.is_numeric()
    if expected == pl.Int64:
        return actual.is_integer()
    return False


def _rows(frame: pl.DataFrame, mask: pl.Series) -> tuple[int, ...]:
    """1-based rows of the file: the frame's own, or the ones its ROW column says."""
    if ROW in frame.columns:
        return tuple(number + 1 for number in frame[ROW].filter(mask).to_list())
    return tuple(index + 1 for index in mask.arg_true().to_list())


def _checks(column: Column) -> dict[str, pl.Expr]:
    """Boolean masks of bad values in a column of the right type, by kind of problem."""
    value = pl.col(column.name)
    checks = {}
    if not column.nullable:
        checks["empty"] = value.is_null()
    if column.name == "period" and column.dtype == pl.String:
        checks["period"] = value.is_not_null() & ~value.str.contains(PERIOD_PATTERN.pattern)
    if column.vocabulary is not None:
        checks["vocabulary"] = value.is_not_null() & ~value.is_in(list(column.vocabulary))
    return checks


def _problem(frame: pl.DataFrame, column: Column, kind: str, mask: pl.Series, file: str) -> Problem:
    rows = _rows(frame, mask)
    if kind == "empty":
        return Problem(file, "is empty", column.name, rows)
    values = frame[column.name].filter(mask).unique(maintain_order=True).to_list()[:_ROWS_SHOWN]
    shown = ", ".join(map(repr, values))
    if kind == "period":
        return Problem(file, f"{shown} is not a period like '2016/17 Q4'", column.name, rows)
    return Problem(
        file, f"unknown value {shown} (shown as unknown)", column.name, rows, fatal=False
    )


def validate(table: str, frame: pl.DataFrame, file: str) -> list[Problem]:
    """Every way ``frame`` breaks the contract for ``table``.

    All value checks run in one pass; rows are only listed for checks that found something.
    """
    problems = []
    checks: dict[str, tuple[Column, str, pl.Expr]] = {}
    for column in TABLES[table]:
        if column.name not in frame.columns:
            problems.append(Problem(file, "is missing", column.name))
        elif not _compatible(frame.schema[column.name], column.dtype):
            actual = frame.schema[column.name]
            problems.append(Problem(file, f"is {actual}, expected {column.dtype}", column.name))
        else:
            for kind, mask in _checks(column).items():
                checks[f"{column.name}:{kind}"] = (column, kind, mask)
    if not checks:
        return problems
    counts = frame.select(
        **{key: mask.sum() for key, (_column, _kind, mask) in checks.items()}
    ).row(0, named=True)
    for key, count in counts.items():
        if count:
            column, kind, mask = checks[key]
            problems.append(_problem(frame, column, kind, frame.select(mask).to_series(), file))
    return problems


Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)


def conform(table: str, frame: Frame) -> Frame:
    """A validated frame cast to the contract's exact dtypes, extra columns kept."""
    schema = frame.collect_schema()
    casts = {
        column.name: pl.col(column.name).cast(column.dtype)
        for column in TABLES[table]
        if schema[column.name] != column.dtype
    }
    return frame.with_columns(**casts) if casts else frame
