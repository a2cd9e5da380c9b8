"""Reading a long tracker a batch at a time, into frames: never held whole as lines or rows.

A tracker sheet of a million rows would be a million lines, then a million rows of some
thirty fields each: many times the file. When a sheet is one indicator table under a title
(the shape trackers have), its rows are read ``BATCH`` lines at a time: each batch is laid
out and read under the sheet's own title and header, exactly as the whole sheet would be,
its rows capped (``cells.cell_cap``) and made a frame at once, and the lines and rows let
go. What ties rows across batches is kept: each batch starts with the line before it (a
header of two lines, a ref shifted as the row above) and the last row read (so no batch is
without a row), whose rows are read twice and kept once; a ref given again in a later
batch is dropped with the reader's warning, as it would be read whole. A sheet of any other
shape, found at any batch, is read whole instead (``Rest.whole``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace

import polars as pl

from barnet_tui.ingest.cells.cell_cap import cap_cells
from barnet_tui.ingest.cells.refs import TBC_REF
from barnet_tui.ingest.diagnostics import IngestWarning
from barnet_tui.ingest.frames import KEEP, frame
from barnet_tui.ingest.readers.indicators import extract_indicators
from barnet_tui.ingest.report import BATCH, Report, controls_warning, report_of
from barnet_tui.ingest.sources.text import Line
from barnet_tui.ingest.tables.layout import Table, TableKind


class NotOneTable(Exception):
    """The sheet is not one indicator table under its title: it is read whole."""


@dataclass
class Streamed:
    """A long tracker's rows as frames, and what reading them found."""

    report: Report
    """The sheet's report with its first batch of lines (what a manifest names)."""
    tables: dict[str, pl.DataFrame]
    """``indicators`` and ``targets``."""
    warnings: list[IngestWarning] = field(default_factory=list)
    unread: int = 0


@dataclass
class _Batches:
    """What reading each batch carries to the next."""

    head: list[Line]
    """The title lines and the header: laid out before every batch."""
    last: Line
    """The line before the next batch."""
    last_row: Line | None = None
    """The last line read as a row."""
    frames: dict[str, list[bytes]] = field(
        default_factory=lambda: {"indicators": [], "targets": []}
    )
    warnings: list[IngestWarning] = field(default_factory=list)
    unread: int = 0
    removed: int = 0
    first_removed: int | None = None


def _head(report: Report) -> list[Line]:
    """The lines before the first row of the sheet's one indicator table (its title lines,
    none of them tabular, and its header); NotOneTable for a sheet of any other shape."""
    tables = [part for part in report.parts if isinstance(part, Table)]
    if len(tables) != 1 or tables[0].header.kind is not TableKind.INDICATORS:
        raise NotOneTable
    _check_one_table(
        report.parts, len(report.parts) - report.parts.index(tables[0]) - 1 + len(tables[0].rows)
    )
    header = tables[0].header.line.number
    return [line for line in report.lines if line.number <= header]


def _check_one_table(parts: tuple[Table | Line, ...], rows: int) -> None:
    """NotOneTable unless the parts are text lines, then one table, then blank lines at
    most, the table's rows and those blank lines ``rows`` lines together."""
    at = next(index for index, part in enumerate(parts) if isinstance(part, Table))
    before, table, after = parts[:at], parts[at], parts[at + 1 :]
    assert isinstance(table, Table)
    if any(isinstance(part, Table) or part.is_tabular for part in before):
        raise NotOneTable
    if len(table.rows) + len(after) != rows or any(
        isinstance(part, Table) or not part.is_blank for part in after
    ):
        raise NotOneTable


def read_streamed(report: Report) -> Streamed:
    """The rows of a long tracker (``report.rest`` set), a batch at a time; NotOneTable when
    it is not one indicator table; ReportError as reading it whole would raise."""
    assert report.rest is not None
    state = _Batches(_head(report), report.lines[-1])
    _read(report, state, report.lines, [])
    batch: list[Line] = []
    for line in report.rest.lines():
        batch.append(line)
        if len(batch) == BATCH:
            _next_batch(report, state, batch)
            batch = []
    if batch:
        _next_batch(report, state, batch)
    return _streamed(report, state)


def _next_batch(report: Report, state: _Batches, batch: list[Line]) -> None:
    carried = [state.last] if state.last_row in (None, state.last) else [state.last_row, state.last]
    carried = [line for line in carried if line is not None]
    lines = [*state.head, *carried, *batch]
    laid_out = report_of(report.source, b"", lines, report.period, one_row_per_line=True)
    if len([part for part in laid_out.parts if isinstance(part, Table)]) != 1:
        raise NotOneTable
    _check_one_table(laid_out.parts, len(carried) + len(batch))
    _read(laid_out, state, batch, carried)
    state.last = batch[-1]


def _read(report: Report, state: _Batches, batch: list[Line], carried: list[Line]) -> None:
    """Read one batch's rows into frames; rows of the lines carried over are dropped (they
    were read with the batch before)."""
    found = extract_indicators(report)
    after = carried[-1].number if carried else 0
    rows = [row for row in found.indicators if row["source_line"] > after]
    targets = [row for row in found.targets if row["source_line"] > after]
    if rows:
        last = max(row["source_line"] for row in rows)
        state.last_row = next(line for line in reversed(batch) if line.number == last)
    state.warnings += found.warnings
    state.unread += found.unread
    for name, table_rows in (("indicators", rows), ("targets", targets)):
        capped, oversized = cap_cells(name, table_rows)
        state.warnings += oversized
        state.frames[name].append(_compact(frame(name, capped)))
    for line in batch:
        if line.removed:
            state.removed += line.removed
            state.first_removed = state.first_removed or line.number


def _streamed(report: Report, state: _Batches) -> Streamed:
    """The batches' frames as one per table, a ref given again in a later batch dropped as
    the reader drops one given twice in a batch."""
    indicators = _frames(state.frames.pop("indicators"))
    targets = _frames(state.frames.pop("targets"))
    keep, warnings = _given_again(report.source, indicators)
    if not keep.all():
        dropped = indicators.filter(~keep)["source_line"]
        targets = targets.filter(~pl.col("source_line").is_in(dropped))
        indicators = indicators.with_columns(keep)  # dropped as the tables are put in order
    controls = [w for w in report.warnings if w.message.startswith("removed ")]
    kept = [w for w in report.warnings if w not in controls]
    if state.first_removed is not None:
        kept.append(controls_warning(report.source, state.first_removed, state.removed))
    head = replace(report, rest=None, warnings=tuple(kept))
    return Streamed(
        head,
        {"indicators": indicators, "targets": targets},
        [*state.warnings, *warnings],
        state.unread,
    )


def _given_again(source: str, rows: pl.DataFrame) -> tuple[pl.Series, list[IngestWarning]]:
    """Which rows to keep (False for one whose ref and period an earlier row gave: the
    first is kept), and the reader's warning for each dropped. Looked for by a hash of the
    two (a column of numbers, not a copy of the rows), then compared in full."""
    keys = rows.select(
        pl.int_range(pl.len()).alias("_row"),
        "source_line",
        "ref",
        "period",
        pl.struct("ref", "period").hash().alias("_key"),
    )
    suspects = keys.filter(pl.col("_key").is_duplicated() & (pl.col("ref") != TBC_REF))
    keep = pl.Series(KEEP, [True] * rows.height, pl.Boolean)
    first: dict[tuple[str, str], int] = {}
    warnings, dropped = [], []
    ordered = suspects.sort("source_line").select("_row", "ref", "period", "source_line")
    for row, ref, period, line in ordered.iter_rows():
        given = first.setdefault((ref, period), line)
        if given != line:
            dropped.append(row)
            message = f"{ref} already given at line {given}; kept the first"
            warnings.append(IngestWarning(source, line, message))
    if dropped:
        keep = keep.scatter(dropped, False)
    return keep, warnings


def _compact(table: pl.DataFrame) -> bytes:
    """A batch's frame as Parquet: a frame built from Python values holds several times
    what the same frame read back from Parquet does, and a million rows are many batches."""
    out = io.BytesIO()
    table.write_parquet(out, compression="lz4", statistics=False)
    return out.getvalue()


def _frames(batches: list[bytes]) -> pl.DataFrame:
    """The batches as one frame; takes them (the list is emptied), each batch's bytes let
    go as soon as it is read."""
    batches.reverse()
    frames = []
    while batches:
        frames.append(pl.read_parquet(io.BytesIO(batches.pop())))
    return pl.concat(frames, rechunk=False)
