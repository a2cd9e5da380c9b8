"""Key actions (commissioning intentions) with their RAG status, and the overviews that count
them.

An action table is found by its header: an action, commitment or intention column and a
RAG or status column. A row starts at its ref; text printed above the ref (a merged cell
that PDF extraction centred on the ref's line) belongs to it, and comment lines that start
in lower case continue the row before, across a page break. Tables without a priority
column take it from the heading above them ("Responsible growth and regeneration
(Opportunity)"). Overviews ("19 (58%) | 12 (36%) | 0 (0%) | 0 (0%) | 2 (6%) | 33") are
kept for ``action_checks``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from barnet_tui.domain.contract import RAG_VALUES
from barnet_tui.ingest.arithmetic import Approx, Disagreement
from barnet_tui.ingest.cells.services import service_for_ref
from barnet_tui.ingest.cells.values import parse_count
from barnet_tui.ingest.diagnostics import IngestWarning
from barnet_tui.ingest.readers.registry import Reader
from barnet_tui.ingest.report import Report
from barnet_tui.ingest.sources.text import Line
from barnet_tui.ingest.tables.columns import column_fields
from barnet_tui.ingest.tables.finder import (
    FoundTable,
    TableKind,
    between,
    filled_row,
    no_service,
    row_service,
    row_without_ref,
)
from barnet_tui.ingest.tables.kinds import named_header, words
from barnet_tui.ingest.tables.risk_header import is_risk_header
from barnet_tui.ingest.tables.sections import carries_on, is_bullet
from barnet_tui.ingest.tables.vocabulary import COUNT_COLUMNS, Vocabulary

Row = dict[str, Any]

_REF = re.compile(r"^[A-Z]{1,6}\d{1,3}[A-Za-z]?$")
_RAG_WORDS = re.compile(r"^(green amber|red amber|green|red)\b", re.IGNORECASE)
_NUMBERED = re.compile(r"^#*\s*(\d+(\.\d+)*\.?\s|appendix\b)", re.IGNORECASE)
_LONGEST_HEADING = 100


# The kind: its header words, and what makes a line its header ------------------------------

HEADER_WORDS = Vocabulary.of(
    {
        "ref": ("ref", "ref no", "reference"),
        "action": (
            "action",
            "actions",
            "key action",
            "key actions",
            "actions from management agreement or business plan",
            "commitment",
            "commitments",
        ),
        "priority": ("intention", "commissioning intention", "priority", "strategic priority"),
        "rag": ("rag", "rag rating", "rag status", "status"),
        "overall_rag": ("overall status", "overall rag", "annual position"),
        "due": ("due date", "due", "deadline"),
        "comment": ("comments", "comment", "commentary", "update"),
        "ignored": ("quarter", "year"),
    },
    whole=frozenset({"ref", "ignored"}),
)
"""Columns of a key action (commissioning intention) table."""


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


KIND = TableKind(
    "actions",
    "key action table",
    named_header(
        words(HEADER_WORDS),
        frozenset({"action", "priority"}),
        frozenset({"rag"}),
        refuse=_risk_register,
    ),
    holds=filled_row,
    columns=_action_columns,
    repeatable=frozenset({"", "ignored"}),
)
"""A key action table: an action, commitment or intention column and a RAG or status one."""


# The rows ------------------------------------------------------------------------------------


def action_rag(raw: str | None) -> str | None:
    """``Green Amber - delayed, Low Impact`` -> Green Amber; ``N/A``, ``Not rated`` -> None."""
    if not raw:
        return None
    match = _RAG_WORDS.match(raw.strip())
    if match is None:
        return None
    rating = " ".join(word.capitalize() for word in match[1].split())
    return rating if rating in RAG_VALUES else None


@dataclass(frozen=True)
class Overview:
    """Counts an overview prints: per rating, not rated, and the whole, with shares."""

    line: int
    counts: dict[str, int]
    shares: dict[str, int]


@dataclass
class ActionEvidence:
    rows: list[Row] = field(default_factory=list)
    overviews: list[Overview] = field(default_factory=list)
    warnings: list[IngestWarning] = field(default_factory=list)


def _heading(line: Line) -> str | None:
    """A heading a table's rows take as their priority; "" for a numbered section heading
    (which ends the last one)."""
    text = line.text.lstrip("#* ").strip()
    if line.is_tabular:
        cells = sorted((cell for cell in line.cells if cell), key=len)
        if cells and all(cells[-1].startswith(cell) for cell in cells):
            return cells[-1]  # "More r | More resilient communities (Responsibility)"
        return None
    if not text or is_bullet(line.text) or len(text) > _LONGEST_HEADING or text.endswith("."):
        return None
    return "" if _NUMBERED.match(text) else text


def _join(*parts: str | None) -> str | None:
    return " ".join(part for part in parts if part) or None


class _Reader:
    def __init__(self, report: Report, period: str) -> None:
        self.report, self.period = report, period
        self.evidence = ActionEvidence()
        self.heading: str | None = None
        self.previous: Row | None = None
        self.pending: dict[str, str | None] = {}
        self.fresh = True
        """No row read yet under this header: text here starts the next row."""
        self.noun = KIND.noun
        self.heading_service: str | None = None
        """The service the heading above the table names."""

    def warn(self, line: int, message: str) -> None:
        self.evidence.warnings.append(IngestWarning(self.report.source, line, message))

    def _service(self, ref: str | None) -> str | None:
        prefix = re.match(r"[A-Z]+", ref or "")
        own = service_for_ref(f"{prefix[0]}/") if prefix else None
        return row_service(self.heading_service, self.report.service, own)

    def table(self, table: FoundTable) -> None:
        fields, body = table.fields, table.rows
        has_ref = "ref" in fields
        self.heading_service = table.service
        self.fresh = True
        for line in body:
            cells = {name: cell for name, cell in zip(fields, line.cells, strict=False) if name}
            ref = cells.get("ref", "")
            text = cells.get("action", "")
            starts = bool(ref) if has_ref else bool(text)
            if not starts:
                self._continue(cells, line)
                continue
            if has_ref and not _REF.match(ref):
                self.warn(line.number, f"key action not read (ref {ref!r})")
                self.pending = {}
                continue
            self._row(cells, line, ref or None)

    def _continue(self, cells: dict[str, str], line: Line) -> None:
        """A line with no ref: the start of the next row's text, or more of the last row's
        (never in a spreadsheet, whose cells are their row's alone)."""
        if self.report.one_row_per_line:
            if any(cells.values()):
                self.warn(line.number, row_without_ref(self.noun, list(cells.values())))
            return
        comment, text, priority = cells.get("comment"), cells.get("action"), cells.get("priority")
        lower = (comment or text or priority or "")[:1].islower()
        if self.previous is not None and (lower or not (text or self.pending or self.fresh)):
            if priority and lower and self.previous["priority"]:
                self.previous["priority"] = _join(self.previous["priority"], priority)
            if text and lower:
                self.previous["action"] = _join(self.previous["action"], text)
            self.previous["comment"] = _join(self.previous["comment"], comment)
            return
        for name, value in (("action", text), ("comment", comment), ("priority", priority)):
            self.pending[name] = _join(self.pending.get(name), value)

    def _row(self, cells: dict[str, str], line: Line, ref: str | None) -> None:
        pending, self.pending = self.pending, {}
        priority = cells.get("priority") if "priority" in cells else self.heading
        previous = self.previous
        if (
            priority
            and not self.report.one_row_per_line
            and priority[:1].islower()
            and previous is not None
            and previous["priority"]
            and "priority" in cells
        ):  # one merged cell across both rows, or two that read on: each keeps its own
            self.warn(
                line.number,
                f"key action's priority {priority[:40]!r} reads on from the one at line "
                f"{previous['source_line']}: one cell across two rows? Each row keeps the text "
                "printed on it",
            )
        action = _join(pending.get("action"), cells.get("action"))
        service = self._service(ref)
        if action is None or service is None:
            what = ref or line.text[:40]
            why = "no action text" if action is None else no_service("it")
            self.warn(line.number, f"key action {what!r} not read: {why}")
            return
        row: Row = {
            "period": self.period,
            "service": service,
            "ref": ref,
            "priority": _join(pending.get("priority"), priority),
            "action": action,
            "rag": action_rag(cells.get("rag")),
            "rag_raw": cells.get("rag") or None,
            "overall_rag": action_rag(cells.get("overall_rag")),
            "overall_rag_raw": cells.get("overall_rag") or None,
            "due": cells.get("due") or None,
            "comment": _join(pending.get("comment"), cells.get("comment")),
            "source": self.report.source,
            "source_line": line.number,
        }
        self._share_split_comment(row, previous, starts_fresh=bool(pending.get("comment")))
        self.evidence.rows.append(row)
        self.previous, self.fresh = row, False

    def _share_split_comment(self, row: Row, previous: Row | None, starts_fresh: bool) -> None:
        """A warning when this row's comment reads as the rest of the row above's: the text
        before stops mid-sentence and this one carries on in lower case ("...Development on
        Phase 2" / "now being undertaken..."). One cell across both rows, or two that happen
        to read on: each row keeps the text printed on it, never the two joined."""
        before = previous["comment"] if previous is not None else None
        if starts_fresh or self.fresh or self.report.one_row_per_line or previous is None:
            return
        if carries_on(before, row["comment"]):
            self.warn(
                row["source_line"],
                f"key action's comment reads on from the one at line {previous['source_line']}: "
                "one cell across two rows? Each row keeps the text printed on it",
            )

    def heading_or_prose(self, line: Line) -> None:
        heading = _heading(line)
        if heading is not None:
            self.heading = heading or None
        if not line.is_tabular:
            self.previous, self.pending = None, {}


_SHARE = re.compile(r"(\d+)%")
_OVERVIEW_ORDER = ("Green", "Green Amber", "Red Amber", "Red", "not rated", "total")
_RATING_FIELDS = ("green", "green_amber", "red_amber", "red")
_ACTION_COUNT_LABEL = re.compile(r"^(key actions|commissioning intentions)$", re.IGNORECASE)


def rating_columns(line: Line) -> dict[str, int] | None:
    """Where a dashboard header names each of the four ratings once: rating -> cell."""
    named = [COUNT_COLUMNS.field(cell) for cell in line.cells]
    columns = {
        rating: named.index(field)
        for rating, field in zip(_OVERVIEW_ORDER[:4], _RATING_FIELDS, strict=True)
        if named.count(field) == 1
    }
    return columns if len(columns) == len(_RATING_FIELDS) else None


def _overview(
    lines: Sequence[Line], index: int, columns: dict[str, int] | None = None
) -> Overview | None:
    """An overview's counts: under a header naming "Not Rated", six counts in the key's
    order; or a dashboard row "Key Actions | 19 (58%) | 12 (36%) | 0 (0%) | 0 (0%)", read
    under the ``columns`` its header names (else in the key's order)."""
    line = lines[index]
    cells = [cell for cell in line.cells if cell]
    if cells and _ACTION_COUNT_LABEL.match(cells[0]) and len(cells) == 5:
        names: tuple[str, ...] = _OVERVIEW_ORDER[:4]
        values = cells[1:]
        if columns is not None:
            values = [line.cells[at] if at < len(line.cells) else "" for at in columns.values()]
            names = tuple(columns)
        where = line
    elif "not rated" in line.text.lower():
        where = next((row for row in lines[index + 1 : index + 3] if not row.is_blank), line)
        values = [cell for cell in where.cells if cell]
        if len(values) != len(_OVERVIEW_ORDER):
            return None
        names = _OVERVIEW_ORDER
    else:
        return None
    counts = [parse_count(value) for value in values]
    if None in counts:
        return None
    shares = {
        name: int(match[1])
        for name, value in zip(names, values, strict=True)
        if (match := _SHARE.search(value)) is not None
    }
    found = {name: count for name, count in zip(names, counts, strict=True) if count is not None}
    return Overview(where.number, found, shares)


def extract_actions(report: Report, tables: Sequence[FoundTable], period: str) -> ActionEvidence:
    """Every key action the report lists in ``tables`` (its key action tables), and the
    overviews that count them."""
    reader = _Reader(report, period)
    lines = report.lines
    columns: dict[str, int] | None = None  # the ratings the dashboard header above names
    for index, part in between(lines, tables):
        if isinstance(part, FoundTable):
            if part.problem:
                reader.warn(part.line, part.not_read(part.problem, len(part.rows)))
            else:
                reader.table(part)
            continue
        if not part.is_tabular:
            columns = None
        if part.is_blank:
            continue
        if part.is_tabular:
            columns = rating_columns(part) or columns
            overview = _overview(lines, index, columns)
            if overview is not None:
                reader.evidence.overviews.append(overview)
        reader.heading_or_prose(part)
    return reader.evidence


def action_checks(evidence: ActionEvidence, source: str, period: str) -> list[Disagreement]:
    """Each overview's counts and shares against the rows it counts.

    Where rows carry an overall (annual) status, an overview counts intentions by it;
    otherwise by each row's status.
    """
    found: list[Disagreement] = []
    rows = evidence.rows
    if not rows or len({row["service"] for row in rows}) > 1:
        return found  # an overview of several services says not which rows it counts
    by_overall = any(row["overall_rag_raw"] for row in rows)
    counted = [row for row in rows if row["overall_rag_raw"]] if by_overall else rows
    column = "overall_rag" if by_overall else "rag"
    actual = {rating: sum(row[column] == rating for row in counted) for rating in RAG_VALUES}
    actual["not rated"] = sum(row[column] is None for row in counted)
    actual["total"] = len(counted)
    service = rows[0]["service"]
    for overview in evidence.overviews:
        for name, printed in overview.counts.items():
            if printed != actual[name]:
                message = (
                    f"key actions overview (line {overview.line}) counts {printed} {name} "
                    f"but the report lists {actual[name]}"
                )
                found.append(
                    Disagreement(source, overview.line, period, service, "actions", message)
                )
        whole = Approx(float(actual["total"]))
        for name, share in overview.shares.items():
            computed = Approx(float(actual[name])).percent_of(whole)
            if computed is not None and not Approx(float(share), 0.5).agrees(computed):
                message = (
                    f"key actions overview (line {overview.line}) gives {name} as {share}% "
                    f"but {actual[name]} of {actual['total']} is {computed.value:.1f}%"
                )
                found.append(
                    Disagreement(source, overview.line, period, service, "actions", message)
                )
    return found


READER = Reader("actions", KIND, extract_actions, action_checks)
