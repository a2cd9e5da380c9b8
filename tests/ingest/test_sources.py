"""Every source read by one reader: tracker spreadsheets (XLSX, CSV) give the rows the
reports gave; every file's problem is told in one run."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import polars as pl
import pytest

from barnet_tui.cli.main import main
from barnet_tui.ingest.errors import IngestError
from barnet_tui.ingest.pipeline import ingest
from tests.conftest import report_paths
from tests.ingest.tracker import compared, write_csvs, write_xlsx


@cache
def shipped() -> pl.DataFrame:
    return ingest(report_paths()).tables["indicators"]


@pytest.mark.parametrize("as_numbers", [False, True], ids=["as printed", "as numbers"])
def test_an_xlsx_tracker_gives_the_reports_rows(tmp_path: Path, as_numbers: bool) -> None:
    path = tmp_path / "tracker.xlsx"
    write_xlsx(shipped(), path, as_numbers)
    result = ingest([path])
    assert compared(result.tables["indicators"]) == compared(shipped())
    assert result.warnings == []
    # Each sheet is its own source; the sheet of notes (no table) is none.
    assert {report.source for report in result.reports} == {
        f"tracker.xlsx#Sheet {number}" for number in range(1, 6)
    }


@pytest.mark.parametrize("as_numbers", [False, True], ids=["as printed", "as numbers"])
def test_csv_trackers_give_the_reports_rows(tmp_path: Path, as_numbers: bool) -> None:
    result = ingest(write_csvs(shipped(), tmp_path, as_numbers))
    assert compared(result.tables["indicators"]) == compared(shipped())
    assert result.warnings == []


def test_a_figure_as_a_number_or_as_text_reads_the_same(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "t.xlsx"
    with xlsxwriter.Workbook(path) as book:
        sheet = book.add_worksheet()
        sheet.write_row(0, 0, ["Ref", "Indicator", "Period", "Target", "Result", "RAG rating"])
        sheet.write_row(1, 0, ["FS/S11", "Children adopted", "2016/17 Q4", 1045, "1,045", "G"])
        sheet.write_row(2, 0, ["FS/S12", "Placements", "Q3 2016/17", "10.4%", 10.4, "Red Amber"])
    rows = ingest([path]).tables["indicators"]
    assert rows.select("ref", "period", "target", "result", "rag").rows() == [
        ("FS/S12", "2016/17 Q3", 10.4, 10.4, "Red Amber"),
        ("FS/S11", "2016/17 Q4", 1045.0, 1045.0, "Green"),
    ]


def _undated(tmp_path: Path) -> Path:
    path = tmp_path / "undated.csv"
    path.write_text("Ref,Indicator,Target,Result\nFS/S11,Children adopted,20,12\n")
    return path


def test_a_tracker_naming_no_period_is_an_error_saying_so(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"undated.csv: cannot tell which period .*--period"):
        ingest([_undated(tmp_path)])


def test_period_names_the_period_a_tracker_does_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(["ingest", str(_undated(tmp_path)), "--out", str(out), "--period", "2016/17 Q2"])
    assert code == 0, capsys.readouterr().err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sources"][0]["periods"] == ["2016/17 Q2"]


def test_a_refusal_names_every_files_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty.txt").write_text("\n")
    (tmp_path / "latin1.txt").write_bytes(b"caf\xe9\n")
    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook")
    paths = [str(tmp_path / name) for name in ("empty.txt", "latin1.txt", "broken.xlsx")]
    code = main(["ingest", *paths, str(report_paths()[0]), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "empty.txt: empty file" in err
    assert "latin1.txt: not UTF-8 text" in err
    assert "broken.xlsx: cannot read as a spreadsheet" in err
    assert not (tmp_path / "out").exists()


def test_warnings_past_the_limit_are_counted_not_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = (
        ["Ref,Indicator,Period,Result"]
        + [f"FS/S{number},Indicator {number},2016/17 Q4,12 apples" for number in range(1, 302)]
        + [f"FS/S{number},Again,2016/17 Q4,12" for number in range(1, 302)]
    )
    path = tmp_path / "long.csv"
    path.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    assert main(["ingest", str(path), "--out", str(out), "--no-corrections"]) == 0
    err = capsys.readouterr().err.splitlines()
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["warnings"]) >= 301
    shown = [line for line in err if line.startswith("warning: ")]
    assert len(shown) == 201
    assert shown[-1].startswith(f"warning: ... and {len(manifest['warnings']) - 200} more")


def test_a_dashboard_counts_only_its_own_service(tmp_path: Path) -> None:
    """The year end's indicator headers unreadable: its dashboards name no service their
    rows could show, and are not held against the whole council's counts."""
    source = next(path for path in report_paths() if "service-performance" in path.name)
    text = source.read_text(encoding="utf-8").replace("Ref\tIndicator\t", "No\tWhat\t")
    path = tmp_path / source.name
    path.write_text(text, encoding="utf-8")
    warnings = [str(warning) for warning in ingest([path]).warnings]
    assert not [w for w in warnings if "All services: the dashboard" in w]
    unplaced = [w for w in warnings if "cannot tell which service the dashboard counts" in w]
    assert [w.split(":")[1] for w in unplaced] == ["38", "147"]


def test_a_tracker_period_as_people_type_it(tmp_path: Path) -> None:
    """A Year column beside a Quarter one, years typed 2016-17 or 2016/2017, a year alone
    (its year end)."""
    path = tmp_path / "typed.csv"
    path.write_text(
        "Performance tracker\n"
        "Ref,Indicator,Year,Quarter,Actual,Target,RAG status\n"
        "FS/S11,Children adopted,2016-17,Q2,12,20,R\n"
        "FS/S12,Placements,2016/2017,Quarter 3,12,20,Red\n"
        "FS/S13,Care leavers,2015/16,,55%,50%,G\n"
    )
    rows = ingest([path]).tables["indicators"]
    assert rows.select("ref", "period", "result", "rag").rows() == [
        ("FS/S13", "2015/16 Q4", 55.0, "Green"),
        ("FS/S11", "2016/17 Q2", 12.0, "Red"),
        ("FS/S12", "2016/17 Q3", 12.0, "Red"),
    ]
