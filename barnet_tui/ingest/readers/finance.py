"""Revenue and capital budget tables, and the figures dashboards and prose state about them.

A finance table is found by its header: a budget column and a forecast, outturn, variance
or slippage column. Capital tables are the ones with additions or slippage. Each line is a
row in £000 as printed; a line printed twice with the same figures (a page's repeated
service line) is one row. Dashboards ("Revenue Budget Variance | Capital Actual Variance")
and sentences ("The projected overspend of £0.819m within the Commissioning Group represents
4.0 per cent of the total Delivery Unit budget (£20.256m)") are kept as statements for
``finance_checks`` to hold against the tables.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from barnet_tui.domain.contract import SERVICES
from barnet_tui.ingest.arithmetic import Approx, Disagreement, shown, total
from barnet_tui.ingest.cells.money import (
    Figure,
    millions,
    money_figure,
    money_with_share,
    percent_figure,
)
from barnet_tui.ingest.cells.services import canonical_service
from barnet_tui.ingest.diagnostics import IngestWarning
from barnet_tui.ingest.readers.registry import Reader
from barnet_tui.ingest.report import Report
from barnet_tui.ingest.sources.text import Line
from barnet_tui.ingest.tables.columns import column_fields, header_label
from barnet_tui.ingest.tables.finder import (
    FoundTable,
    TableKind,
    filled_row,
    no_service,
    row_service,
    unread_columns,
)
from barnet_tui.ingest.tables.kinds import named_header
from barnet_tui.ingest.tables.vocabulary import Vocabulary

Row = dict[str, Any]

# The kind: its header words, and what makes a line its header ------------------------------

HEADER_WORDS = Vocabulary.of(
    {
        "line": ("description", "service", "line", "budget line"),
        "original_budget": ("original budget",),
        "revised_budget": (
            "revised budget",
            "budget v1",
            "current budget",
            "latest approved budget",
            "approved budget",
            "budget",
        ),
        "proposed_budget": ("proposed budget",),
        "forecast_or_actual": ("forecast", "outturn", "actual", "actuals", "projected outturn"),
        "variance": ("variance", "variation", "outturn variation", "variance from"),
        "reserve_movements": ("reserve movements", "reserves"),
        "variance_after_reserves": ("variance after reserve movements", "variance after"),
        "additions": ("additions", "additions/deletions", "deletions"),
        "slippage": ("slippage", "accelerated spend", "slippage/accelerated spend"),
        "comment": ("comments", "comment", "commentary", "explanation"),
    }
)
"""Columns of a revenue or capital budget table."""


@cache
def finance_field(label: str) -> str:
    """The field a finance header cell names; a share column ("%") is the variance's or the
    slippage's."""
    if "%" in label:
        return "slippage_pct" if "slippage" in label.lower() else "variance_pct"
    return HEADER_WORDS.field(header_label(label))


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


KIND = TableKind(
    "finance",
    "finance table",
    named_header(
        finance_field,
        frozenset({"original_budget", "revised_budget"}),
        frozenset({"forecast_or_actual", "variance", "slippage"}),
    ),
    holds=filled_row,
    needs_rows=True,
    columns=_finance_columns,
)
"""A budget table: a budget column and a forecast, outturn, variance or slippage one."""


# The rows ------------------------------------------------------------------------------------


MONEY_FIELDS = (
    "original_budget",
    "revised_budget",
    "additions",
    "slippage",
    "proposed_budget",
    "forecast_or_actual",
    "variance",
    "reserve_movements",
    "variance_after_reserves",
)
PERCENT_FIELDS = ("variance_pct", "slippage_pct")
_BUDGETS = {"original_budget", "revised_budget"}
_OUTCOMES = {"forecast_or_actual", "variance", "slippage"}
_TOTAL = re.compile(r"^(grand )?total\b", re.IGNORECASE)
_UNITS = re.compile(r"^(£\s*000s?|\(000s\)|%|£m|[^\d]*)$")
"""A cell of the units row under a header: ``£000``, or the header's wrapped last word."""
_LABELS = {
    "variance": "variance",
    "variance_pct": "variance %",
    "revised_budget": "budget",
    "slippage": "slippage",
}


@dataclass
class FinanceLine:
    """One printed budget line: the row it becomes and the figures as printed."""

    row: Row
    figures: dict[str, Figure]
    dashes: set[str]
    table: int
    """Lines of one printed table share this number (a Total sums its own table)."""

    def approx(self, name: str) -> Approx | None:
        """A figure with its rounding; a dash counts as nothing."""
        if name in self.figures:
            return Approx.of(self.figures[name])
        return Approx(0.0) if name in self.dashes else None

    @property
    def is_total(self) -> bool:
        return bool(_TOTAL.match(self.row["line"]))


@dataclass(frozen=True)
class Statement:
    """A finance figure a dashboard or a sentence states for a service."""

    line: int
    service: str
    kind: str
    name: str
    """``variance``, ``variance_pct``, ``revised_budget`` or ``slippage``."""
    figure: Figure
    where: str


@dataclass
class FinanceEvidence:
    lines: list[FinanceLine] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    warnings: list[IngestWarning] = field(default_factory=list)

    @property
    def rows(self) -> list[Row]:
        return [line.row for line in self.lines]


def _service(report: Report, table: FoundTable, name: str) -> str | None:
    """The service a budget line names, else the table's or the report's."""
    named = canonical_service(name)
    return row_service(table.service, report.service, named if named in SERVICES else None)


def _repeats(previous: FinanceLine, name: str, figures: dict[str, Figure]) -> bool:
    """The same line printed again (a page's repeated service line), perhaps with fewer
    figures."""
    if previous.row["line"] != name:
        return False
    shared = previous.figures.keys() & figures.keys()
    same = all(previous.figures[key].value == figures[key].value for key in shared)
    return same and (shared == figures.keys() or shared == previous.figures.keys())


class _Reader:
    def __init__(self, report: Report, period: str) -> None:
        self.report, self.period = report, period
        self.evidence = FinanceEvidence()
        self.tables = 0

    def warn(self, line: int, message: str) -> None:
        self.evidence.warnings.append(IngestWarning(self.report.source, line, message))

    def table(self, table: FoundTable) -> None:
        self.tables += 1
        header, fields, body = table.header[-1], table.fields, table.rows
        if table.problem:
            self.warn(header.number, table.not_read(table.problem, len(body)))
            return
        kind = "capital" if {"additions", "slippage", "slippage_pct"} & set(fields) else "revenue"
        for message in unread_columns(table, table.labels, fields):
            self.warn(header.number, message)
        previous: FinanceLine | None = None
        for line in body:
            cells = dict(zip(fields, line.cells, strict=False))
            name = cells.get("line", "")
            figures = {
                key: figure
                for key in MONEY_FIELDS
                if (figure := money_figure(cells.get(key))) is not None
            }
            figures |= {
                key: figure
                for key in PERCENT_FIELDS
                if (figure := percent_figure(cells.get(key))) is not None
            }
            comment = cells.get("comment") or None
            if not name and all(_UNITS.match(cell) for cell in line.cells if cell):
                if comment and previous is not None:  # a comment wrapped onto its own line
                    previous.row["comment"] = " ".join(
                        filter(None, [previous.row["comment"], comment])
                    )
                continue  # else the units row (£000) under the header
            if not name or not figures:
                self.warn(line.number, f"{kind} line not read: {line.text[:80]}")
                continue
            if previous is not None and _repeats(previous, name, figures):
                previous.row["comment"] = previous.row["comment"] or comment
                self.warn(
                    line.number,
                    f"{kind} line {name!r} repeats line {previous.row['source_line']}; read as one",
                )
                continue
            service = _service(self.report, table, name)
            if service is None:
                self.warn(line.number, f"{kind} line not read: {no_service(repr(name[:60]))}")
                continue
            row: Row = {
                "period": self.period,
                "service": service,
                "kind": kind,
                "line": name,
                **{key: figure.value for key, figure in figures.items()},
                "comment": comment,
                "source": self.report.source,
                "source_line": line.number,
            }
            dashes = {key for key in MONEY_FIELDS if DASH.match(cells.get(key, "") or "")}
            previous = FinanceLine(row, figures, dashes, self.tables)
            self.evidence.lines.append(previous)


_SENTENCE_END = re.compile(r"(?<=[.;])\s+(?=[A-Z])")
_MOVEMENT = re.compile(
    r"\b(?P<word>overspen[dt]|underspen[dt]|slippage)\s+(?:of|by)\s+£\s*\d", re.IGNORECASE
)
_SHARE = re.compile(r"\brepresents\s+(\d+(?:\.\d+)?)\s*(?:%|per\s*cent)", re.IGNORECASE)
_BUDGET = re.compile(r"\bbudget\s*\((£\s*\d+(?:\.\d+)?\s*m)\)", re.IGNORECASE)
_SERVICE_NAMES = {re.sub(r"\s*\(.*\)$", "", name): name for name in SERVICES}
"""Services as prose names them: in full, without the bracketed short name."""


def _named_service(sentence: str) -> str | None:
    """The one service a sentence names in full, else None."""
    named = {
        service
        for name, service in _SERVICE_NAMES.items()
        if re.search(rf"\b{re.escape(name)}\b(?!\s+(?-i:[A-Z]))", sentence, re.IGNORECASE)
    }
    return named.pop() if len(named) == 1 else None


def _sentences(line: Line) -> list[str]:
    return _SENTENCE_END.split(line.text)


def _prose_statements(line: Line) -> list[Statement]:
    found: list[Statement] = []
    for sentence in _sentences(line):
        movement = _MOVEMENT.search(sentence)
        service = _named_service(sentence)
        if movement is None or service is None:
            continue
        amounts = millions(sentence[movement.start() :])
        if not amounts:
            continue
        word = movement["word"].lower()
        capital = word == "slippage" or re.search(r"\bcapital\b", sentence, re.IGNORECASE)
        kind = "capital" if capital else "revenue"
        amount = amounts[0]
        if word.startswith("over"):
            found.append(Statement(line.number, service, kind, "variance", amount, "text"))
        elif word.startswith("under"):
            negative = Figure(-amount.value, amount.decimals)
            found.append(Statement(line.number, service, kind, "variance", negative, "text"))
        else:
            negative = Figure(-amount.value, amount.decimals)
            found.append(Statement(line.number, service, kind, "slippage", negative, "text"))
        if (share := _SHARE.search(sentence)) is not None:
            decimals = len(share[1].split(".")[1]) if "." in share[1] else 0
            sign = -1 if word.startswith("under") else 1
            pct = Figure(sign * float(share[1]), decimals)
            found.append(Statement(line.number, service, kind, "variance_pct", pct, "text"))
        if (budget := _BUDGET.search(sentence)) is not None:
            for figure in millions(budget[1]):
                found.append(
                    Statement(line.number, service, kind, "revised_budget", figure, "text")
                )
    return found


_REVENUE_CELL = re.compile(r"enue", re.IGNORECASE)
_CAPITAL_CELL = re.compile(r"capital", re.IGNORECASE)


def _dashboard_statements(lines: Sequence[Line], index: int, service: str) -> list[Statement]:
    """``Revenue Budget Variance | Capital Actual Variance`` over ``819 (4.0%) | (4,331)``."""
    header = lines[index]
    if "varian" not in header.text.lower():
        return []
    columns = {
        kind: next((i for i, cell in enumerate(header.cells) if pattern.search(cell)), None)
        for kind, pattern in (("revenue", _REVENUE_CELL), ("capital", _CAPITAL_CELL))
    }
    if None in columns.values():
        return []
    for values in lines[index + 1 : index + 4]:
        if values.is_blank or not values.is_tabular:
            continue
        found: list[Statement] = []
        for kind, column in columns.items():
            assert column is not None
            cell = values.cells[column] if column < len(values.cells) else ""
            money, share = money_with_share(cell)
            if money is not None:
                found.append(
                    Statement(values.number, service, kind, "variance", money, "dashboard")
                )
            if share is not None:
                found.append(
                    Statement(values.number, service, kind, "variance_pct", share, "dashboard")
                )
        if found:
            return found
    return []


def extract_finance(report: Report, found: Sequence[FoundTable], period: str) -> FinanceEvidence:
    """Every budget line of the report's budget tables (``found``), and what its dashboards
    and prose say of them."""
    reader = _Reader(report, period)
    lines = report.lines
    tables = {table.line: table for table in found}
    for index, line in enumerate(lines):
        if not line.is_tabular:
            reader.evidence.statements += _prose_statements(line)
        elif (table := tables.get(line.number)) is not None:
            reader.table(table)
        elif report.service is not None:
            reader.evidence.statements += _dashboard_statements(lines, index, report.service)
    return reader.evidence


# Checks -------------------------------------------------------------------------------------


def _disagree(line: FinanceLine | Statement, row: Row, message: str) -> Disagreement:
    number = line.row["source_line"] if isinstance(line, FinanceLine) else line.line
    return Disagreement(row["source"], number, row["period"], row["service"], "finance", message)


def _check(
    found: list[Disagreement],
    line: FinanceLine,
    printed_name: str,
    computed: Approx | None,
    how: str,
) -> None:
    printed = line.approx(printed_name)
    if printed is None or computed is None or printed.agrees(computed):
        return
    label = f"{line.row['kind']} {line.row['line']!r} {printed_name.replace('_', ' ')}"
    pct = printed_name.endswith("pct")
    message = f"{label} is {shown(printed.value, pct)} but {how} gives {shown(computed.value, pct)}"
    found.append(_disagree(line, line.row, message))


def _line_checks(line: FinanceLine) -> list[Disagreement]:
    found: list[Disagreement] = []
    budget, outcome = line.approx("revised_budget"), line.approx("forecast_or_actual")
    if budget is not None and outcome is not None:
        _check(found, line, "variance", outcome - budget, "forecast/outturn - revised budget")
    variance, reserves = line.approx("variance"), line.approx("reserve_movements")
    if variance is not None and reserves is not None:
        _check(found, line, "variance_after_reserves", variance + reserves, "variance + reserves")
    additions, slippage = line.approx("additions"), line.approx("slippage")
    if line.row["kind"] == "capital" and slippage is not None:
        moved = slippage + (additions or Approx(0.0))
        _check(found, line, "variance", moved, "additions + slippage")
    after = line.approx("variance_after_reserves") or variance
    if budget is not None and after is not None:
        _check(found, line, "variance_pct", after.percent_of(budget), "variance / revised budget")
    if budget is not None and slippage is not None:
        _check(found, line, "slippage_pct", slippage.percent_of(budget), "slippage / budget")
    return found


def _total_checks(lines: list[FinanceLine]) -> list[Disagreement]:
    found: list[Disagreement] = []
    for total_line in (line for line in lines if line.is_total):
        parts = [
            line
            for line in lines
            if line.table == total_line.table and not line.is_total and line is not total_line
        ]
        for name in MONEY_FIELDS:
            values = [line.approx(name) for line in parts]
            if not values or None in values:
                continue
            summed = total(value for value in values if value is not None)
            how = f"the sum of its {len(parts)} lines"
            _check(found, total_line, name, summed, how)
    return found


def _service_line(lines: list[FinanceLine], service: str, kind: str) -> FinanceLine | None:
    """The line that stands for a whole service: its Total, else its only line."""
    mine = [line for line in lines if line.row["service"] == service and line.row["kind"] == kind]
    totals = [line for line in mine if line.is_total]
    if totals:
        return totals[-1]
    named = [line for line in mine if canonical_service(line.row["line"]) == service]
    if len(named) == 1:
        return named[0]
    return mine[0] if len(mine) == 1 else None


def _statement_checks(evidence: FinanceEvidence) -> list[Disagreement]:
    found: list[Disagreement] = []
    for statement in evidence.statements:
        line = _service_line(evidence.lines, statement.service, statement.kind)
        if line is None:
            continue
        name = statement.name
        if name == "variance":
            table = line.approx("variance_after_reserves") or line.approx("variance")
        elif name == "variance_pct":
            budget = line.approx("revised_budget")
            variance = line.approx("variance_after_reserves") or line.approx("variance")
            table = None if budget is None or variance is None else variance.percent_of(budget)
        elif name == "slippage":
            table = line.approx("slippage") or line.approx("variance")
        else:
            table = line.approx(name)
        stated = Approx.of(statement.figure)
        if table is None or stated.agrees(table):
            continue
        pct = name.endswith("pct")
        message = (
            f"the {statement.where} (line {statement.line}) gives the {statement.kind} "
            f"{_LABELS[name]} as {shown(stated.value, pct)} but the table "
            f"(line {line.row['source_line']}) gives {shown(table.value, pct)}"
        )
        found.append(_disagree(statement, line.row, message))
    return found


def finance_checks(evidence: FinanceEvidence) -> list[Disagreement]:
    """Every place the report's finance figures contradict each other."""
    found = [issue for line in evidence.lines for issue in _line_checks(line)]
    return found + _total_checks(evidence.lines) + _statement_checks(evidence)


READER = Reader(
    "finance", KIND, extract_finance, lambda evidence, _source, _period: finance_checks(evidence)
)
