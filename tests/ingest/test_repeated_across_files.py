"""A ref given twice for one period by two files (or two sheets of one workbook) of one
ingest is a warning naming both places, and one row kept, the first, as within one file."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from barnet_tui.cli.main import main
from barnet_tui.domain.dataset import load_dataset

HEADER = ["ref", "indicator", "result", "target", "polarity", "rag"]
FIRST = [
    ["FS/S1", "Families helped", "1.5", "10", "Bigger is better", "Red"],
    ["FS/S2", "Children seen", "5", "10", "Bigger is better", "Red"],
]
SECOND = [["FS/S1", "Families helped", "77", "10", "Bigger is better", "Red"]]


def _csv(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\n".join(",".join(row) for row in [HEADER, *rows]) + "\n", "utf-8")
    return path


def _ingest(
    paths: list[Path], out: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[pl.DataFrame, str]:
    code = main(["ingest", *map(str, paths), "--period", "2016/17 Q4", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    rows = load_dataset(out).indicators.select("ref", "result", "source").collect()
    return rows.sort("ref"), err


def test_two_csvs_giving_one_ref_keep_the_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = [_csv(tmp_path / "dupA.csv", FIRST), _csv(tmp_path / "dupB.csv", SECOND)]
    rows, err = _ingest(paths, tmp_path / "out", capsys)
    assert rows.rows() == [("FS/S1", 1.5, "dupA.csv"), ("FS/S2", 5.0, "dupA.csv")]
    assert "dupB.csv:2: FS/S1 for 2016/17 Q4 already given at dupA.csv:2; kept the first" in err
    code = main(["--below-target", "--period", "2016/17 Q4", "--data", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert code == 0
    assert out.count("FS/S1") == 1


def test_the_first_is_the_first_file_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = [_csv(tmp_path / "dupB.csv", SECOND), _csv(tmp_path / "dupA.csv", FIRST)]
    rows, err = _ingest(paths, tmp_path / "out", capsys)
    assert rows.rows() == [("FS/S1", 77.0, "dupB.csv"), ("FS/S2", 5.0, "dupA.csv")]
    assert "dupA.csv:2: FS/S1 for 2016/17 Q4 already given at dupB.csv:2" in err


def test_two_sheets_giving_one_ref_keep_the_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import xlsxwriter

    path = tmp_path / "tracker.xlsx"
    with xlsxwriter.Workbook(path) as book:
        for name, given in (("Sheet 1", FIRST), ("Sheet 2", SECOND)):
            sheet = book.add_worksheet(name)
            for index, row in enumerate([HEADER, *given]):
                sheet.write_row(index, 0, row)
    rows, err = _ingest([path], tmp_path / "out", capsys)
    assert rows.rows() == [
        ("FS/S1", 1.5, "tracker.xlsx#Sheet 1"),
        ("FS/S2", 5.0, "tracker.xlsx#Sheet 1"),
    ]
    assert "already given at tracker.xlsx#Sheet 1:2; kept the first" in err
