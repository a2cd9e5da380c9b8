"""A long tracker is read a batch at a time (``ingest.streamed``), never held whole: the
rows, warnings and manifest are those of the sheet read whole, whatever the batch size."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from barnet_tui.ingest.pipeline import IngestResult, ingest
from tests.ingest.hostile_files import xlsx

HEADER = ["Ref", "Indicator", "Service", "Period", "Target", "Result", "RAG", "Comment"]


def _row(number: int) -> list[str]:
    service = ("Adults and Communities", "Family Services")[number % 2]
    year = 2015 + number % 3
    return [
        f"{'AC' if number % 2 == 0 else 'FS'}/C{number % 7}",
        f"Indicator {number % 7}",
        service,
        f"{year}/{(year + 1) % 100:02d} Q{1 + number % 4}",
        "10",
        str(number % 13),
        ("Green", "Red", "")[number % 3],
        "comment\u202e" if number % 11 == 0 else f"note {number}",
    ]


def _tracker_rows(count: int) -> list[list[str]]:
    rows = [_row(number) for number in range(count)]
    rows[5] = ["", "", "Adults and Communities", "", "", "7", "", "no ref here"]
    rows[9] = ["AC/X" + "9" * 3, "Wide", "Adults and Communities", "2016/17 Q1", "1", "2", "",
               "x" * 12_000]  # fmt: skip
    return rows


def _csv(path: Path, rows: list[list[str]], title: list[list[str]] | None = None) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows([*(title or [["Tracker"], []]), HEADER, *rows, [], []])
    return path


def _read(paths: list[Path], batch: int, monkeypatch: pytest.MonkeyPatch) -> IngestResult:
    monkeypatch.setattr("barnet_tui.ingest.sources.spreadsheet.BATCH", batch)
    monkeypatch.setattr("barnet_tui.ingest.streamed.BATCH", batch)
    return ingest(paths)


def _seen(result: IngestResult) -> tuple[dict[str, list[tuple[object, ...]]], list[str]]:
    tables = {name: frame.rows() for name, frame in result.tables.items()}
    return tables, [str(warning) for warning in result.warnings]


@pytest.mark.parametrize("batch", [4, 7, 50])
def test_a_csv_read_in_batches_gives_what_it_gives_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    """Refs given again across batches, a row with no ref, control characters, a cell over
    the cap and blank rows at the end: the same rows and warnings, batch by batch."""
    tracker = _csv(tmp_path / "tracker.csv", _tracker_rows(120))
    whole = _read([tracker], 1_000_000, monkeypatch)
    batched = _read([tracker], batch, monkeypatch)
    assert _seen(batched) == _seen(whole)
    messages = " ".join(str(warning) for warning in whole.warnings)
    assert "already given at line" in messages and "row with no ref" in messages
    assert "removed 11 control or bidi characters" in messages
    assert "x" * 100 not in str(whole.tables["indicators"]["comment"].to_list())
    assert batched.reports[0].rest is None and len(batched.reports[0].lines) <= max(batch, 5)


def test_a_sheet_of_another_shape_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second table half way down (its own header) is found as it would be whole."""
    rows = _tracker_rows(40)
    rows[20:20] = [[], ["Key actions"], HEADER]
    tracker = _csv(tmp_path / "tracker.csv", rows)
    batched = _read([tracker], 6, monkeypatch)
    assert _seen(batched) == _seen(_read([tracker], 10_000, monkeypatch))
    assert len(batched.reports[0].lines) == 48  # read whole


def test_a_workbook_read_in_batches_gives_what_it_gives_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cells: list[list[object]] = [["Tracker"], [*HEADER]]
    cells += [[*row] for row in _tracker_rows(60)]
    cells[30][5] = ("formula", "1+1", None)  # a formula never calculated
    book = xlsx(tmp_path / "tracker.xlsx", cells)
    whole = _read([book], 1_000_000, monkeypatch)
    assert any("a formula with no value saved" in str(w) for w in whole.warnings)
    batched = _read([book], 8, monkeypatch)
    assert _seen(batched) == _seen(whole)
    assert len(batched.reports[0].lines) == 8  # read a batch at a time


def test_a_long_tracker_is_never_held_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its report keeps one batch of lines; its rows still all reach the table."""
    tracker = _csv(tmp_path / "tracker.csv", [_row(number) for number in range(300)])
    result = _read([tracker], 25, monkeypatch)
    assert [len(report.lines) for report in result.reports] == [25]
    frame = result.tables["indicators"]
    assert (
        frame.height
        == pl.DataFrame(_read([tracker], 1_000, monkeypatch).tables["indicators"]).height
    )
