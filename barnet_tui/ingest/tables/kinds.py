"""Every kind of table the finder knows, and how each knows its header: the one registry.

A kind's header is a line whose cells name the fields the kind needs (by the words of
``tables/vocabulary.py``); ``named_header`` reads most kinds that way. Indicator, comment,
count and dashboard tables share one header reader (``tables/layout.py``), and a risk
register's header, printed over one or two lines, has its own (``tables/risk_header.py``).
Adding a kind is one ``TableKind`` here (its header words in ``vocabulary.py``) and one reader
under ``ingest/readers/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache

from barnet_tui.ingest.cells.money import money_figure, percent_figure
from barnet_tui.ingest.sources.text import Line
from barnet_tui.ingest.tables.columns import column_fields, header_label
from barnet_tui.ingest.tables.finder import Claim, FoundTable, HeaderRule, TableKind, filled_row
from barnet_tui.ingest.tables.layout import classify_header, settle_headers
from barnet_tui.ingest.tables.risk_header import (
    filled,
    header_labels,
    is_risk_header,
    names_a_risk,
    register_fields,
)
from barnet_tui.ingest.tables.risk_header import problem as register_problem
from barnet_tui.ingest.tables.vocabulary import ACTION_COLUMNS, FINANCE_COLUMNS, Vocabulary


def named_header(
    fields: Callable[[str], str],
    *needs: frozenset[str],
    refuse: Callable[[Sequence[Line], int], bool] | None = None,
) -> HeaderRule:
    """A header rule: a line whose cells name one field of each of ``needs`` (and that
    ``refuse`` does not turn away); it claims the field each cell names ("" for none)."""

    def rule(lines: Sequence[Line], index: int) -> Claim | None:
        line = lines[index]
        if not line.is_tabular:
            return None
        named = [fields(label) if label else "" for label in line.cells]
        if not all(need & set(named) for need in needs):
            return None
        if refuse is not None and refuse(lines, index):
            return None
        return Claim(1, named)

    return rule


def words(vocabulary: Vocabulary) -> Callable[[str], str]:
    """A vocabulary's reading of a header cell with its units and periods set aside."""
    return lambda label: vocabulary.field(header_label(label))


# Indicator, comment, count and dashboard tables ---------------------------------------------


def _layout_header(lines: Sequence[Line], index: int) -> Claim | None:
    header = classify_header(lines[index], lines[index - 1] if index else None)
    return None if header is None else Claim(1, header)


LAYOUT = TableKind("layout", "indicator table", _layout_header, settle=settle_headers)
"""Indicator, comment, count and dashboard tables (``Header.kind`` says which)."""


# Key actions ----------------------------------------------------------------------------------


def _risk_register(lines: Sequence[Line], index: int) -> bool:
    """A risk register's header ("Control Actions", "Risk Status", perhaps over two lines)
    names an action and a status too; its impact and probability columns say it is not an
    action table."""
    line, above = lines[index], lines[index - 1] if index else None
    if above is not None and above.is_tabular and is_risk_header([above.cells, line.cells]):
        return True
    return is_risk_header([line.cells])


ACTION_ORDER = ("ref", "priority", "action", "due", "rag", "overall_rag", "comment")
"""The usual order of a key action table's columns, for a blank header cell."""


def _action_columns(table: FoundTable) -> tuple[list[str], list[str]]:
    labels, body = list(table.header[-1].cells), table.rows
    numeric: list[bool | None] = []
    for index in range(len(labels)):
        cells = [row.cells[index] for row in body if index < len(row.cells) and row.cells[index]]
        numeric.append(None if not cells else False)
    # A blank header cell after "Intention" is its commitment (the extraction merged the two
    # labels, "Intention Commitment"): placed before an intention stands for the action.
    fields = column_fields(labels, table.meaning, ACTION_ORDER, numeric)
    if "action" not in fields:
        fields[fields.index("priority")] = "action"  # "Commissioning Intentions | Status"
    return labels, fields


ACTIONS = TableKind(
    "actions",
    "key action table",
    named_header(
        words(ACTION_COLUMNS),
        frozenset({"action", "priority"}),
        frozenset({"rag"}),
        refuse=_risk_register,
    ),
    holds=filled_row,
    columns=_action_columns,
    repeatable=frozenset({"", "ignored"}),
)


# Finance --------------------------------------------------------------------------------------


@cache
def finance_field(label: str) -> str:
    """The field a finance header cell names; a share column ("%") is the variance's or the
    slippage's."""
    if "%" in label:
        return "slippage_pct" if "slippage" in label.lower() else "variance_pct"
    return FINANCE_COLUMNS.field(header_label(label))


_FINANCE_HEADER = named_header(
    finance_field,
    frozenset({"original_budget", "revised_budget"}),
    frozenset({"forecast_or_actual", "variance", "slippage"}),
)


FINANCE_ORDER = (
    "line",
    "original_budget",
    "revised_budget",
    "additions",
    "slippage",
    "forecast_or_actual",
    "variance",
    "reserve_movements",
    "variance_after_reserves",
    "comment",
    "variance_pct",
    "slippage_pct",
)
"""The usual order of a budget table's columns, for a blank header cell."""
DASH = re.compile(r"^[-–—]$")
"""A figure printed as a dash: nothing."""


def _is_numeric(cell: str) -> bool:
    return money_figure(cell) is not None or percent_figure(cell) is not None


def _numeric_columns(rows: Sequence[Line], width: int) -> list[bool | None]:
    """Whether most of each column's cells are figures (None for an empty column)."""
    kinds: list[bool | None] = []
    for index in range(width):
        cells = [row.cells[index] for row in rows if index < len(row.cells) and row.cells[index]]
        cells = [cell for cell in cells if not DASH.match(cell)]
        kinds.append(None if not cells else sum(map(_is_numeric, cells)) * 2 > len(cells))
    return kinds


def _finance_columns(table: FoundTable) -> tuple[list[str], list[str]]:
    labels = list(table.header[-1].cells)
    numeric = _numeric_columns(table.rows, len(labels))
    return labels, column_fields(labels, table.meaning, FINANCE_ORDER, numeric)


FINANCE = TableKind(
    "finance",
    "finance table",
    _FINANCE_HEADER,
    holds=filled_row,
    needs_rows=True,
    columns=_finance_columns,
)


# Risk registers -------------------------------------------------------------------------------


def _register_header(lines: Sequence[Line], index: int) -> Claim | None:
    """A register's header: two lines, one, or none."""
    line = lines[index]
    if not line.is_tabular:
        return None
    after = lines[index + 1] if index + 1 < len(lines) else None
    if (
        after is not None
        and after.is_tabular
        and is_risk_header([line.cells, after.cells])
        and not names_a_risk(line.cells)
        and not names_a_risk(after.cells)
    ):
        return Claim(2)
    return Claim(1) if is_risk_header([line.cells]) and not names_a_risk(line.cells) else None


def _register_row(line: Line) -> bool:
    """A register's rows run to the first line of another table (one naming no risk)."""
    return line.is_tabular and (line.is_blank or names_a_risk(line.cells))


def _register_columns(table: FoundTable) -> tuple[list[str], list[str]]:
    header = [line.cells for line in table.header]
    return header_labels(header), register_fields(header)


def _settle_registers(tables: list[FoundTable]) -> None:
    """A register's column its header leaves unnamed, named by its other printings."""
    distinct = [list(fields) for fields in dict.fromkeys(tuple(t.fields) for t in tables)]
    read: dict[tuple[str, ...], list[str]] = {}  # a long report prints one register often
    for table in tables:
        key = tuple(table.fields)
        if key not in read:
            read[key] = filled(table.fields, distinct)
        table.fields = list(read[key])


RISKS = TableKind(
    "risks",
    "risk register",
    _register_header,
    holds=_register_row,
    columns=_register_columns,
    settle=_settle_registers,
    problem=register_problem,
)


KINDS: tuple[TableKind, ...] = (LAYOUT, ACTIONS, FINANCE, RISKS)
"""Every kind the finder looks for, in one walk over a report's lines."""
