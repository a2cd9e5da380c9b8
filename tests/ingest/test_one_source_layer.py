"""One source layer: every file through one guard, read as what its bytes are (its name only
breaking a tie), a spreadsheet's rows as its cells, and ``extract`` showing what ingest reads
whatever the source."""

from __future__ import annotations

import csv
import shutil
import zipfile
from pathlib import Path

import polars as pl
import pytest

from barnet_tui.cli.main import main
from barnet_tui.ingest.pipeline import ingest
from tests.ingest.hostile_files import xlsx

HEADER = ["Ref", "Indicator", "Service", "Period", "Target", "Result", "RAG", "Comment"]
ROWS = [
    ["AC/C1", "One", "Adults and Communities", "2016/17 Q4", "10", "12", "Green", "on track"],
    ["AC/C2", "Two", "Adults and Communities", "2016/17 Q4", "10", "8", "Red", "late"],
]


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows([["Tracker"], [], HEADER, *rows])
    return path


def _book(path: Path, blank_row: bool = True) -> Path:
    """The tracker as a one-sheet XLSX: a title, a blank row, the header and ``ROWS``."""
    rows: list[list[object]] = [["Tracker"], *([[]] if blank_row else []), [*HEADER]]
    rows += [[*row] for row in ROWS]
    return xlsx(path, rows)


def _rows(paths: list[Path]) -> list[tuple[object, ...]]:
    frame = ingest(paths).tables["indicators"]
    return sorted(frame.select("ref", "period", "target", "result", "rag", "comment").rows())


def _one_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """The one line a command refuses with (exit 2, no traceback)."""
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.rstrip("\n")


EXPECTED = [
    ("AC/C1", "2016/17 Q4", 10.0, 12.0, "Green", "on track"),
    ("AC/C2", "2016/17 Q4", 10.0, 8.0, "Red", "late"),
]


# Read as what it is ------------------------------------------------------------------------


def test_an_xlsx_named_txt_is_read_as_a_workbook(tmp_path: Path) -> None:
    book = _book(tmp_path / "tracker.txt")
    assert _rows([book]) == EXPECTED


def test_a_csv_named_txt_or_xls_is_read_as_a_csv(tmp_path: Path) -> None:
    """Many systems export CSV under a workbook's name; the content says what it is."""
    for name in ("tracker.txt", "export.xls"):
        assert _rows([_csv(tmp_path / name, ROWS)]) == EXPECTED


def test_a_pdf_named_csv_is_read_as_a_pdf(
    report_pdfs: dict[str, dict[str, Path]], tmp_path: Path
) -> None:
    pdf = report_pdfs["portrait"]["family-services-q4-2015-16"]
    renamed = tmp_path / "family.csv"
    shutil.copyfile(pdf, renamed)
    rows = ingest([renamed]).tables["indicators"]
    assert rows.height > 0
    assert rows.drop("source").equals(ingest([pdf]).tables["indicators"].drop("source"))
    assert set(rows["source"]) == {"family.csv"}


def test_a_text_report_named_csv_is_read_as_a_report(tmp_path: Path) -> None:
    """Its tables are tab-separated: a report, whatever it is called."""
    report = Path(__file__).resolve().parents[2] / "reports" / "family-services-q4-2015-16.txt"
    renamed = tmp_path / "family.csv"
    shutil.copyfile(report, renamed)
    assert (
        ingest([renamed])
        .tables["indicators"]
        .drop("source")
        .equals(ingest([report]).tables["indicators"].drop("source"))
    )


def test_a_zip_that_is_no_workbook_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = tmp_path / "tracker.xlsx"
    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    said = _one_line(capsys, ["ingest", str(document), "--out", str(tmp_path / "out")])
    assert said == (
        f"barnet-tui ingest: error: {document}: a ZIP archive holding no spreadsheet "
        "(neither XLSX nor ODS) and no report; not read"
    )
    assert not (tmp_path / "out").exists()


def test_text_named_as_a_workbook_that_is_no_csv_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prose = tmp_path / "tracker.xlsx"
    prose.write_text("Minutes of the meeting\nNothing was decided.\n")
    said = _one_line(capsys, ["ingest", str(prose), "--out", str(tmp_path / "out")])
    assert said == (
        f"barnet-tui ingest: error: {prose}: cannot read as a spreadsheet (neither an XLSX, "
        "XLS or ODS workbook nor CSV text); not read"
    )


# One wording, whatever the source ------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".txt", ".pdf", ".csv", ".xlsx", ".ods", ".xls"])
@pytest.mark.parametrize("content", [b"", b" \n\r\n\t\n"], ids=["empty", "blank"])
def test_an_empty_file_is_refused_in_the_same_words_whatever_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str, content: bytes
) -> None:
    empty = tmp_path / f"empty{suffix}"
    empty.write_bytes(content)
    said = _one_line(capsys, ["ingest", str(empty), "--out", str(tmp_path / "out")])
    assert said == f"barnet-tui ingest: error: {empty}: empty file, not a performance report"


@pytest.mark.parametrize("suffix", [".txt", ".csv"])
def test_text_that_is_not_utf8_is_refused_in_the_same_words_whatever_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    latin = tmp_path / f"latin{suffix}"
    latin.write_bytes(b"Ref,Indicator,Result\nAC/C1,Caf\xe9,12\n")
    said = _one_line(capsys, ["ingest", str(latin), "--out", str(tmp_path / "out")])
    assert said == (f"barnet-tui ingest: error: {latin}: not UTF-8 text (byte 0xe9 at offset 30)")


# A row's cells are that row's ----------------------------------------------------------------


def test_a_csv_cell_spelled_like_a_fill_mark_is_text(tmp_path: Path) -> None:
    """Fills are marked by the reader of a workbook's colours; a CSV has none, so text that
    looks like a mark is what the cell says (it once became the row's rating)."""
    rows = [[*ROWS[0][:6], "", "x [fill R #FF0000]"]]
    frame = ingest([_csv(tmp_path / "t.csv", rows)]).tables["indicators"]
    assert frame.select("rag", "comment").rows() == [(None, "x [fill R #FF0000]")]


# extract shows what ingest reads ------------------------------------------------------------


def test_extract_prints_a_workbooks_rows_as_its_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = _book(tmp_path / "tracker.xlsx", blank_row=False)
    assert main(["extract", str(book)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == ["Tracker", "\t".join(HEADER), *("\t".join(r) for r in ROWS)]


def test_extract_of_a_csv_reads_back_as_the_same_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tracker = _csv(tmp_path / "tracker.csv", ROWS)
    assert main(["extract", str(tracker)]) == 0
    text = tmp_path / "tracker-extracted.txt"
    text.write_text(capsys.readouterr().out)
    assert _rows([text]) == _rows([tracker]) == EXPECTED


def test_extract_refuses_a_fifo_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    said = _one_line(capsys, ["extract", str(fifo)])
    assert said == f"barnet-tui extract: error: {fifo}: is a FIFO (named pipe), not a report file"


def test_tracker_rows_are_unchanged_by_where_they_came_from(tmp_path: Path) -> None:
    """The same rows from a CSV and from an XLSX: one reader, cells handed over as cells."""
    book = _book(tmp_path / "t.xlsx")
    frame = pl.DataFrame(_rows([book]), orient="row")
    assert (
        frame.rows() == pl.DataFrame(_rows([_csv(tmp_path / "t.csv", ROWS)]), orient="row").rows()
    )
