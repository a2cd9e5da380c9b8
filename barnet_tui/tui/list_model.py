"""One model for every filterable, sortable list of the explorer.

A list holds its rows, and what the user asked of them: only those that need attention
(``b``), one value of a column (``f``), words (``|``), and a sort (``<`` / ``>``, ``S``, a
header click). The model answers the rows to show, a page at a time; the widget that draws
them knows nothing of how they were chosen. Polars only: no Textual here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import polars as pl

from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.queries import search
from barnet_tui.domain.ratings import NOT_RATED

Row = dict[str, Any]


class ListRules(NamedTuple):
    """What a list can be narrowed and sorted by."""

    sorts: Mapping[str, Sequence[pl.Expr]]
    """Each sortable column's key, and what sorting by it sorts on."""
    default_sort: str
    descending_first: frozenset[str] = frozenset()
    """Columns whose first sort is biggest first (scores, money); the rest start A to Z."""
    attention: pl.Expr | None = None
    """The rows ``b`` keeps."""
    cycle_column: str = ""
    cycle_values: tuple[str | None, ...] = (None,)
    """What ``f`` steps through (None: every row; ``NOT_RATED``: rows without a value)."""
    search: tuple[str, ...] = ()
    """Columns the ``|`` words filter searches."""
    loaded_order: bool = False
    """The default sort keeps the rows in the order they were given (findings come in
    their own natural order)."""


class ListModel:
    """A list's rows, its filters and its sort; ``count``, ``page`` and ``row`` are what
    to show."""

    def __init__(self, rules: ListRules) -> None:
        self.rules = rules
        self.rows = pl.DataFrame()
        self.attention_only = False
        self.cycle_value: str | None = None
        self.search_text = ""
        self.sort_column = rules.default_sort
        self.sort_descending = rules.default_sort in rules.descending_first
        self._listed: pl.DataFrame | None = None

    def show(self, rows: pl.DataFrame, attention_only: bool = False) -> None:
        """New rows, every filter and the sort back to their defaults (``b`` on, if
        asked)."""
        self.rows = rows
        self.clear_filters()
        self.attention_only = attention_only
        self.sort_column = self.rules.default_sort
        self.sort_descending = self.sort_column in self.rules.descending_first
        self._changed()

    def keep_rows(self, rows: pl.DataFrame) -> None:
        """New rows (the same list read again), the filters and the sort kept."""
        self.rows = rows
        self._changed()

    def _changed(self) -> None:
        self._listed = None

    # What the user asks ---------------------------------------------------------------

    def clear_filters(self) -> None:
        self.attention_only, self.cycle_value, self.search_text = False, None, ""
        self._changed()

    def toggle_attention(self) -> None:
        self.attention_only = not self.attention_only
        self._changed()

    def next_value(self) -> None:
        """``f``: the next value of the cycle, after the last every row again."""
        values = self.rules.cycle_values
        index = values.index(self.cycle_value) if self.cycle_value in values else -1
        self.cycle_value = values[(index + 1) % len(values)]
        self._changed()

    def set_search(self, text: str) -> None:
        self.search_text = text
        self._changed()

    def sort_by(self, key: str) -> None:
        """Sort by ``key``; by the column sorted by already, the other way."""
        if key == self.sort_column:
            self.sort_descending = not self.sort_descending
        else:
            self.sort_column = key
            self.sort_descending = key in self.rules.descending_first
        self._changed()

    def sort_step(self, keys: Sequence[str], step: int) -> None:
        """The column ``step`` places to the right of the one sorted by, among ``keys``
        (those on screen, left to right)."""
        keys = [key for key in keys if key in self.rules.sorts]
        at = keys.index(self.sort_column) if self.sort_column in keys else -step
        self.sort_column = keys[(at + step) % len(keys)]
        self.sort_descending = self.sort_column in self.rules.descending_first
        self._changed()

    # What to show -----------------------------------------------------------------------

    def _filtered(self) -> pl.DataFrame:
        rows, rules = self.rows, self.rules
        if rows.is_empty():
            return rows
        if self.attention_only and rules.attention is not None:
            rows = rows.filter(rules.attention.fill_null(False))
        if self.cycle_value == NOT_RATED:
            rows = rows.filter(pl.col(rules.cycle_column).is_null())
        elif self.cycle_value is not None:
            rows = rows.filter(pl.col(rules.cycle_column) == self.cycle_value)
        return search(rows, self.search_text, rules.search) if rules.search else rows

    def _sorted(self, rows: pl.DataFrame) -> pl.DataFrame:
        default = self.rules.default_sort in self.rules.descending_first
        if self.rules.loaded_order and (self.sort_column, self.sort_descending) == (
            self.rules.default_sort,
            default,
        ):
            return rows
        return rows.sort(
            list(self.rules.sorts[self.sort_column]),
            descending=self.sort_descending,
            nulls_last=True,
            maintain_order=True,
        )

    @property
    def listed(self) -> pl.DataFrame:
        """Every row to show, in order (computed once per change)."""
        if self._listed is None:
            self._listed = self._sorted(self._filtered())
        return self._listed

    @property
    def count(self) -> int:
        return self.listed.height

    @property
    def total(self) -> int:
        return self.rows.height

    def page(self, start: int, length: int) -> list[Row]:
        """The rows to show from ``start``: as many as a view shows, no more."""
        return list(self.listed.slice(max(start, 0), max(length, 0)).iter_rows(named=True))

    def row(self, index: int) -> Row | None:
        """The row at ``index`` of those shown (the last, past the end); None if none."""
        if not self.count:
            return None
        return self.listed.row(min(max(index, 0), self.count - 1), named=True)

    def index_of(self, column: str, value: object) -> int | None:
        """Where the first row shown whose ``column`` is ``value`` is, if shown."""
        if not self.count:
            return None
        found = self.listed.with_row_index("_at").filter(pl.col(column) == value)
        return int(found["_at"][0]) if found.height else None

    def place_of(self, source: str, line: int) -> int | None:
        """Where the row from ``source``:``line`` is among those shown, if it is."""
        if not self.count:
            return None
        places = self.listed.with_row_index("_at").filter(
            (pl.col("source") == source) & (pl.col("source_line") == line)
        )
        return int(places["_at"][0]) if places.height else None

    def filters(self, cycle_label: str, attention_label: str) -> list[str]:
        """The filters on, in words ("below target only", "rating Red", "words “x”")."""
        value = "not rated" if self.cycle_value == NOT_RATED else self.cycle_value
        on = [f"{attention_label} only"] * self.attention_only
        on += [f"{cycle_label} {value}"] * (self.cycle_value is not None)
        on += [f"words “{literal(self.search_text)}”"] * bool(self.search_text)
        return on


def column_sorts(keys: Iterable[str]) -> dict[str, list[pl.Expr]]:
    """Sorting by each of ``keys`` sorts on that column itself."""
    return {key: [pl.col(key)] for key in keys}
