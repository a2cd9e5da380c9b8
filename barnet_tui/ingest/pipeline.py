"""``barnet-tui ingest``: report files in, a normalised dataset directory out."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from barnet_tui import __version__
from barnet_tui.domain.contract import REQUIRED_TABLES, TABLES
from barnet_tui.domain.periods import Period
from barnet_tui.domain.storage.location import S3Location
from barnet_tui.ingest.arithmetic import Disagreement
from barnet_tui.ingest.cells.cell_cap import cap_cells
from barnet_tui.ingest.corrections import (
    CORRECTIONS_NAME,
    CorrectionsFile,
    apply_corrections,
    read_corrections,
)
from barnet_tui.ingest.diagnostics import IngestWarning
from barnet_tui.ingest.errors import IngestError, ReportError
from barnet_tui.ingest.frames import Row, frame, in_order
from barnet_tui.ingest.memory import give_back
from barnet_tui.ingest.readers.indicators import extract_indicators
from barnet_tui.ingest.readers.registry import reader_tables, readers
from barnet_tui.ingest.readers.summary import extract_summary
from barnet_tui.ingest.reconcile import (
    detailed_counts,
    incomplete_reports,
    reconcile_published,
    reconcile_published_rows,
    reconcile_rows,
    reconcile_totals,
)
from barnet_tui.ingest.repeated import first_of_each
from barnet_tui.ingest.report import Report
from barnet_tui.ingest.sources.dispatch import load_reports
from barnet_tui.ingest.streamed import NotOneTable, read_streamed
from barnet_tui.ingest.writers.folder import write_dataset
from barnet_tui.ingest.writers.table_files import csv_copy


@dataclass
class IngestResult:
    tables: dict[str, pl.DataFrame]
    reports: list[Report]
    corrections: CorrectionsFile | None
    warnings: list[IngestWarning] = field(default_factory=list)
    unread: dict[str, int] = field(default_factory=dict)
    """Per report, rows with a ref under a header ingest did not recognise."""
    incomplete: list[IngestWarning] = field(default_factory=list)
    """Reports with far fewer rows than they count (also among ``warnings``)."""
    disagreements: list[Disagreement] = field(default_factory=list)
    """Where a report's own figures contradict each other (also among ``warnings``)."""


def _reconcile(
    reports: list[Report], indicators: list[Row], summaries: list[Row], published: dict[str, Any]
) -> list[IngestWarning]:
    warnings: list[IngestWarning] = []
    # The rows each count covers, and their counts, once per report and service: a long
    # report prints its count tables many times.
    covered: dict[tuple[str, str | None], list[Row]] = {}
    for row in indicators:
        covered.setdefault((row["source"], None), []).append(row)
        covered.setdefault((row["source"], row["service"]), []).append(row)
    counted: dict[tuple[str, str | None], dict[str, int]] = {}
    for summary in summaries:
        scope = (summary["source"], summary["service"] if summary["level"] == "service" else None)
        rows = covered.get(scope, [])
        if scope not in counted:
            counted[scope] = detailed_counts(rows)
        warnings += reconcile_rows(summary, rows, counted[scope])
    warnings += reconcile_totals(summaries)
    for report in reports:
        for item in published[report.source]:
            match = next(
                (
                    row
                    for row in summaries
                    if row["source"] == report.source and row["service"] == item.service
                ),
                None,
            )
            if match is not None:
                warnings += reconcile_published(item, match, report.source)
            else:
                rows = [
                    row
                    for row in indicators
                    if row["source"] == report.source and row["service"] == item.service
                ]
                warnings += reconcile_published_rows(item, rows, report.source)
    return warnings


def ingest(
    paths: list[Path],
    corrections_path: Path | None = None,
    period: Period | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> IngestResult:
    """Parse reports into the contract's tables; IngestError stops with one clear line that
    names every file's problem. ``period``: for a report that names none (``--period``).
    ``progress(done, total, name)`` hears of each file as it is read (PDFs take a while)."""
    problems: list[str] = []  # every file is read before any is refused
    loaded = []
    for done, path in enumerate(paths, start=1):
        if progress is not None:
            progress(done, len(paths), path.name)
        try:
            loaded += load_reports(path, period)
        except ReportError as error:
            problems.append(error.args[0])
    read_order = [report.source for report in loaded]  # "the first" of a repeated ref
    reports = sorted(loaded, key=lambda report: report.source)
    del loaded  # a long tracker's report is replaced once read: its bytes go with it
    names = [report.source for report in reports]
    if len(set(names)) != len(names):
        repeated = sorted({name for name in names if names.count(name) > 1})
        problems.append(f"two reports share the file name {repeated[0]}; rows cite reports by name")
    corrections = read_corrections(corrections_path, set(names)) if corrections_path else None

    corrected = {c.source for c in corrections.corrections} if corrections else set()
    read = _Read()
    for index, report in enumerate(reports):
        try:
            reports[index] = _read_report(report, corrected, read)
        except ReportError as error:
            problems.append(error.args[0])
    warnings = [warning for report in reports for warning in report.warnings] + read.warnings
    indicators, targets, summaries = read.indicators, read.targets, read.summaries
    published, unread = read.published, read.unread

    if problems:
        raise IngestError("; ".join(problems) if len(problems) > 1 else problems[0])
    whole_report = _whole_report(reports)
    warnings += whole_report.warnings
    if corrections is not None:
        warnings += apply_corrections(indicators, corrections.corrections)
    warnings += _reconcile(reports, indicators, summaries, published)
    rows_of = {
        "indicators": indicators,
        "service_summary": summaries,
        "targets": targets,
        **whole_report.rows,
    }
    for name, rows in rows_of.items():
        rows_of[name], oversized = cap_cells(name, rows)
        warnings += oversized
    _place(list(rows_of.values()), reports)
    tables = {name: frame(name, rows) for name, rows in rows_of.items()}
    for name in list(read.frames):  # handed over whole: in_order lets each go as it goes
        tables[name] = in_order(name, [tables.pop(name), *read.frames.pop(name)])
    tables = {name: tables[name] for name in rows_of}
    tables["indicators"], tables["targets"], given_twice = first_of_each(
        tables["indicators"], tables["targets"], read_order
    )
    warnings += given_twice

    incomplete = incomplete_reports(tables["indicators"], tables["service_summary"])
    warnings += incomplete
    disagreements = sorted(set(whole_report.disagreements))
    warnings += [disagreement.warning() for disagreement in disagreements]
    return IngestResult(
        tables, reports, corrections, sorted(set(warnings)), unread, incomplete, disagreements
    )


@dataclass
class _Read:
    """What the reports' tables gave: rows, and a long tracker's rows as frames."""

    indicators: list[Row] = field(default_factory=list)
    targets: list[Row] = field(default_factory=list)
    summaries: list[Row] = field(default_factory=list)
    published: dict[str, Any] = field(default_factory=dict)
    unread: dict[str, int] = field(default_factory=dict)
    warnings: list[IngestWarning] = field(default_factory=list)
    frames: dict[str, list[pl.DataFrame]] = field(default_factory=dict)
    """Frames of ``indicators`` and ``targets`` read a batch at a time (``ingest.streamed``),
    already capped."""


def _read_report(report: Report, corrected: set[str], read: _Read) -> Report:
    """Read a report's indicators and summaries into ``read``; the report as read (a long
    tracker's, with its first batch of lines, or read whole). A tracker that corrections
    name is read whole: corrections apply to rows."""
    if report.rest is not None and report.source not in corrected:
        try:
            streamed = read_streamed(report)
        except NotOneTable:
            pass
        else:
            read.warnings += streamed.warnings
            read.unread[streamed.report.source] = streamed.unread
            for name, table in streamed.tables.items():
                read.frames.setdefault(name, []).append(table)
            _read_summary(streamed.report, [], read)
            return streamed.report
    if report.rest is not None:
        report = report.rest.whole()
    found = extract_indicators(report)
    read.warnings += found.warnings
    read.unread[report.source] = found.unread
    read.indicators += found.indicators
    read.targets += found.targets
    _read_summary(report, [(row["source_line"], row["service"]) for row in found.indicators], read)
    return report


def _read_summary(report: Report, services: list[tuple[int, str]], read: _Read) -> None:
    summary = extract_summary(report, services)
    read.warnings += summary.warnings
    read.summaries += summary.rows
    read.published[report.source] = summary.published


def _place(tables: list[list[Row]], reports: list[Report]) -> None:
    """Give each row the page its line is printed on, and its line within that page (for a
    PDF, or text with pages)."""
    pages = {
        report.source: {line.number: (line.page, line.page_line) for line in report.lines}
        for report in reports
        if any(line.page is not None for line in report.lines)
    }
    for rows in tables:
        for row in rows:
            place = pages.get(row["source"], {}).get(row["source_line"])
            if place is not None:
                row["source_page"], row["page_line"] = place


@dataclass
class _WholeReport:
    rows: dict[str, list[Row]] = field(
        default_factory=lambda: {reader.table: [] for reader in readers()}
    )
    warnings: list[IngestWarning] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)


def _whole_report(reports: list[Report]) -> _WholeReport:
    """The tables of every reader (key actions, finance, risks, ...) of every report, and
    where their arithmetic fails."""
    found = _WholeReport()
    for report in reports:
        if report.period is None:
            continue  # its indicators are refused already; these rows would have no period
        period = str(report.period)
        tables = reader_tables(report)
        for reader in readers():
            evidence = reader.read(report, tables[reader.kind.name], period)
            found.rows[reader.table] += evidence.rows
            found.warnings += evidence.warnings
            found.disagreements += reader.checks(evidence, report.source, period)
    return found


def manifest(result: IngestResult, all_csv: bool = False) -> dict[str, Any]:
    """What was ingested: sources with sha256, rows per table (and its files: a CSV copy only
    while it fits a spreadsheet, or ``all_csv``), corrections and warnings."""
    corrections = result.corrections
    periods = result.tables["indicators"].group_by("source").agg(pl.col("period").unique())
    periods_by_source = {
        source: sorted(values, key=Period.parse) for source, values in periods.iter_rows()
    }
    return {
        "generator": f"barnet-tui {__version__}",
        "generated_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "sources": [
            {
                "file": report.source,
                "sha256": report.sha256,
                "bytes": report.size,
                "periods": periods_by_source.get(report.source, []),
                "rows_not_read": result.unread.get(report.source, 0),
            }
            for report in result.reports
        ],
        "tables": {
            name: {
                "rows": result.tables[name].height,
                "files": [f"{name}.parquet"]
                + [f"{name}.csv"] * csv_copy(result.tables[name].height, all_csv),
            }
            for name in TABLES
            if name in result.tables
        },
        "corrections_file": None
        if corrections is None
        else {"file": CORRECTIONS_NAME, "sha256": hashlib.sha256(corrections.data).hexdigest()},
        "corrections": []
        if corrections is None
        else [correction.as_dict() for correction in corrections.corrections],
        "warnings": [warning.as_dict() for warning in result.warnings],
        "disagreements": [disagreement.as_dict() for disagreement in result.disagreements],
    }


def write(
    result: IngestResult, out: Path | S3Location, wait: bool = False, all_csv: bool = False
) -> list[str]:
    """Write the dataset ``result`` holds to ``out``, a folder (``wait`` for another ingest
    into it to finish) or a store, with every table's CSV copy if ``all_csv``; what the user
    should be told."""
    assert set(REQUIRED_TABLES) <= set(result.tables)
    give_back()  # the rows ingest read are frames now: their memory goes back first
    extra = {CORRECTIONS_NAME: result.corrections.data} if result.corrections else {}
    if isinstance(out, S3Location):
        from barnet_tui.ingest.writers.store import write_s3_dataset

        return write_s3_dataset(out, result.tables, manifest(result, all_csv), extra, all_csv)
    return write_dataset(out, result.tables, manifest(result, all_csv), extra, wait, all_csv)
