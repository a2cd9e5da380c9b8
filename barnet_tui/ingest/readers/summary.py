"""Published counts: per-service RAG / direction-of-travel tables, dashboards and sentences.

Count tables ("Service | No. reported | ... | Worsened", "Overall | 50% (13) | ...") become
``service_summary`` rows. A service's own dashboard and the sentence that counts its
indicators ("29 indicators are reported ... 23 have been given a RAG rating") repeat those
counts; they are kept only to reconcile against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from barnet_tui.domain.contract import ALL_SERVICES, SUMMARY_COUNTS
from barnet_tui.ingest.cells.services import canonical_service, heading_service
from barnet_tui.ingest.cells.values import indicator_type, parse_count, total_of_shares
from barnet_tui.ingest.diagnostics import IngestWarning
from barnet_tui.ingest.report import Report
from barnet_tui.ingest.sources.text import Line
from barnet_tui.ingest.tables.finder import not_read
from barnet_tui.ingest.tables.layout import Table, TableKind

COUNT_FIELDS = SUMMARY_COUNTS
DASHBOARD_FIELDS = ("green", "green_amber", "red_amber", "red", "improved_same", "worsened")
"""A service dashboard's six figures, in the order every dashboard prints them."""

_TOTAL_LABELS = {"total", "all services", "council"}
_TOTALS = {
    "rag_rated": ("green", "green_amber", "red_amber", "red"),
    "dot_rated": ("improved_same", "worsened"),
}
"""Totals a report may print only as the shares of their parts ("59% (16)", "41% (11)")."""
_OVERALL_LABELS = {"overall"}

_NARRATIVE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("reported", r"\b(\d+) indicators are reported"),
        ("rag_rated", r"\b(?:all )?(\d+) have (?:been )?given a RAG rating"),
        ("on_target", r"\(?(\d+)\)? (?:are|of the indicators were) on or above target"),
        ("below", r"\((\d+)\) are below\W+target"),
        ("dot_rated", r"\b(?:all )?(\d+) have been given a Direction of Travel"),
        ("improved_same", r"\((\d+)\) have an improved/same|all (\d+) \(100%\) have an improved"),
        ("worsened", r"\((\d+)\) have a worsened"),
    )
)


@dataclass
class PublishedCounts:
    """Counts a dashboard or a sentence gives for one service, to reconcile against."""

    line: int
    kind: str
    """"dashboard" or "sentence"."""
    counts: dict[str, int]
    service: str | None = None


@dataclass
class SummaryEvidence:
    rows: list[dict[str, Any]] = field(default_factory=list)
    published: list[PublishedCounts] = field(default_factory=list)
    warnings: list[IngestWarning] = field(default_factory=list)


def _label_level(label: str, report: Report, first_header: str) -> tuple[str, str] | None:
    """(level, service) a count row's label names; None for rows that split by type."""
    key = " ".join(label.lower().split())
    if key in _TOTAL_LABELS:
        return "council", ALL_SERVICES
    if key in _OVERALL_LABELS:
        return ("service", report.service) if report.service else ("council", ALL_SERVICES)
    service = canonical_service(label)
    if service is not None:
        return "service", service
    if indicator_type(label) is not None:
        return None
    if "committee" in first_header.lower():
        return "committee", label
    return None


def _count_rows(report: Report, table: Table, evidence: SummaryEvidence) -> None:
    header = table.header
    if report.period is None:
        evidence.warnings.append(
            IngestWarning(
                report.source, header.line.number, "count table in a report with no period"
            )
        )
        return
    if header.problem:
        message = not_read("count table", header.problem, len(table.rows))
        evidence.warnings.append(IngestWarning(report.source, header.line.number, message))
        return
    # The row labels stand under the header's first unnamed cell ("Service", "Theme
    # Committee"), or under its leading blank.
    unnamed = next((index for index, name in enumerate(header.fields) if not name), None)
    at = 0 if header.lead or unnamed is None else unnamed
    first_header = "" if header.lead or unnamed is None else header.labels[unnamed]
    for line in table.rows:
        cells = list(line.cells)
        label = cells[at] if at < len(cells) else ""
        level = _label_level(label, report, first_header)
        if level is None:
            if label and indicator_type(label) is None:
                evidence.warnings.append(
                    IngestWarning(report.source, line.number, f"count row {label!r} not recognised")
                )
            continue
        printed: dict[str, str] = {}
        for index, name in enumerate(header.fields):
            cell_index = index + header.lead
            if name in COUNT_FIELDS and cell_index < len(cells) and cell_index != at:
                printed[name] = cells[cell_index]
        counts: dict[str, Any] = {name: parse_count(printed.get(name)) for name in COUNT_FIELDS}
        for total, parts in _TOTALS.items():
            if counts[total] is None:
                counts[total] = total_of_shares([printed.get(part) for part in parts])
        evidence.rows.append(
            {
                "period": str(report.period),
                "level": level[0],
                "service": level[1],
                **counts,
                "source": report.source,
                "source_line": line.number,
            }
        )


def _dashboard(table: Table) -> PublishedCounts | None:
    """The six figures under a dashboard header: under the header cells that name them, or,
    where extraction garbled the header ("Green Green Amber | | Red"), in the order every
    dashboard prints them (the one place a count is read by position)."""
    header = table.header
    readable = set(header.fields) <= {*DASHBOARD_FIELDS, ""} and all(
        header.fields.count(name) == 1 for name in DASHBOARD_FIELDS
    )
    for line in table.rows:
        if readable:
            cells = line.cells[header.lead :]
            printed = {
                name: cells[i] for i, name in enumerate(header.fields) if name and i < len(cells)
            }
            figures = [parse_count(printed.get(name)) for name in DASHBOARD_FIELDS]
        else:
            figures = [parse_count(cell) for cell in line.cells if cell and "%" in cell]
        if len(figures) == len(DASHBOARD_FIELDS) and None not in figures:
            counts = {name: value for name, value in zip(DASHBOARD_FIELDS, figures, strict=True)}
            return PublishedCounts(line.number, "dashboard", counts)  # type: ignore[arg-type]
    return None


def _sentence(line: Line) -> PublishedCounts | None:
    text = line.text.replace('"', "")
    counts: dict[str, int] = {}
    for name, pattern in _NARRATIVE_PATTERNS:
        match = pattern.search(text)
        if match:
            counts[name] = int(next(group for group in match.groups() if group))
    if "reported" not in counts or len(counts) < 2:
        return None
    return PublishedCounts(line.number, "sentence", counts)


def extract_summary(report: Report, row_services: list[tuple[int, str]]) -> SummaryEvidence:
    """Published count rows, and the dashboards and sentences that repeat them.

    ``row_services`` are (line, service) of the report's indicator rows: a dashboard or
    sentence counts the service whose indicators follow it.
    """
    evidence = SummaryEvidence()
    headings = _read_parts(report, evidence)
    _place(report, evidence, row_services, headings)
    return evidence


def _read_parts(report: Report, evidence: SummaryEvidence) -> dict[int, str | None]:
    """Count rows, dashboards and sentences; for each published count, the service heading
    above it (by its line)."""
    heading: str | None = None
    headings: dict[int, str | None] = {}
    for part in report.parts:
        if isinstance(part, Table):
            if part.header.kind is TableKind.COUNTS:
                _count_rows(report, part, evidence)
            elif part.header.kind is TableKind.DASHBOARD:
                dashboard = _dashboard(part)
                if dashboard is None:
                    message = "service dashboard with no readable figures"
                    warning = IngestWarning(report.source, part.header.line.number, message)
                    evidence.warnings.append(warning)
                else:
                    evidence.published.append(dashboard)
                    headings[dashboard.line] = heading
            continue
        if not part.is_tabular and (service := heading_service(part.text)):
            heading = service
        sentence = _sentence(part)
        if sentence is not None:
            evidence.published.append(sentence)
            headings[sentence.line] = heading
    return headings


def _place(
    report: Report,
    evidence: SummaryEvidence,
    row_services: list[tuple[int, str]],
    headings: dict[int, str | None],
) -> None:
    """Each published count's service; a warning for each that no heading or row names."""
    sentences = sorted(item.line for item in evidence.published if item.kind == "sentence")
    tables = (part.header.line.number for part in report.parts if isinstance(part, Table))
    first_table = next(tables, 10**9)
    for item in evidence.published:
        # A sentence counts the indicators that follow it up to the next sentence; a
        # dashboard counts the same service as the sentence after it.
        start = item.line
        if item.kind == "dashboard":
            start = next((line for line in sentences if line > item.line), item.line)
        end = next((line for line in sentences if line > start), 10**9)
        following = [service for line, service in row_services if start < line < end]
        item.service = (following[0] if following else None) or headings[item.line]
        item.service = item.service or report.service
        if item.service is None and item.kind == "sentence" and item.line < first_table:
            item.service = ALL_SERVICES  # the report's introduction counts the whole council
    unplaced = [item for item in evidence.published if item.service is None]
    for item in unplaced:
        # Counted against the whole council, one service's counts would contradict it.
        evidence.warnings.append(
            IngestWarning(
                report.source,
                item.line,
                f"cannot tell which service the {item.kind} counts (no heading names it and "
                "no indicator row follows it); not reconciled",
            )
        )
    evidence.published = [item for item in evidence.published if item.service is not None]
