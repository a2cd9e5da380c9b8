"""What a tracker's cells say reaches the dataset as they say it, or is named: a quote never
closed, a figure in thousands, a formula never calculated, an error cell, a number shown as
a percentage or a date, a line longer than any row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from barnet_tui.ingest.pipeline import ingest
from tests.ingest.test_hostile_sources import refused

HEADER = ["Ref", "Indicator", "Period", "Polarity", "Target", "Result", "RAG", "Comment"]


def _rows(path: Path, *columns: str) -> list[tuple[Any, ...]]:
    frame: pl.DataFrame = ingest([path]).tables["indicators"]
    return sorted(frame.select("ref", *columns).rows())


def _warnings(path: Path) -> list[str]:
    return [f"{warning.line}: {warning.message}" for warning in ingest([path]).warnings]


# CSV ---------------------------------------------------------------------------------------


def test_a_quote_never_closed_refuses_the_file_naming_its_line(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "Ref,Indicator,Period,Target,Result,RAG,Comment\n"
        'FS/S1,Adoptions,2016/17 Q4,20,12,R,"Court delays\n'
        "FS/S2,Placements,2016/17 Q4,9.2%,9.7%,GA,fine\n"
        "FS/S3,Leavers,2016/17 Q4,55%,57%,G,ok\n"
    )
    said = refused(path, tmp_path / "out")  # one line, exit 2, under ulimit -v
    assert said == (
        f"{path}: line 2: a quote opened on this row is never closed, so the 2 lines after it "
        "would be one cell; not read"
    )


def test_a_quoted_cell_over_two_lines_is_still_one_cell(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "Ref,Indicator,Period,Target,Result,RAG,Comment\n"
        'FS/S1,Adoptions,2016/17 Q4,20,12,R,"Court\ndelays"\n'
        "FS/S2,Placements,2016/17 Q4,9.2%,9.7%,GA,fine"
    )
    assert _rows(path, "comment") == [("FS/S1", "Court delays"), ("FS/S2", "fine")]


def test_a_k_after_a_figure_is_thousands(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        ",".join(HEADER) + "\n"
        "FS/S1,a,2016/17 Q4,Bigger is Better,£10k,£12k,R,x\n"
        "FS/S4,d,2016/17 Q4,Bigger is Better,10,12K,R,x\n"
        "FS/S5,e,2016/17 Q4,Smaller is Better,900,1.2k,R,x\n"
    )
    assert _rows(path, "target", "result", "unit") == [
        ("FS/S1", 10_000.0, 12_000.0, "£"),
        ("FS/S4", 10.0, 12_000.0, None),
        ("FS/S5", 900.0, 1_200.0, None),
    ]


def test_a_line_longer_than_any_row_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    with path.open("w") as file:
        file.write("Ref,Indicator,Period,Target,Result,RAG\n")
        file.write('FS/S1,"' + "A" * 5_000_000 + '",2016/17 Q4,1,2,R\n')
    said = refused(path, tmp_path / "out")
    assert said == (
        f"{path}: line 2: 5 MB on one line, longer than any table's row (4 MB at most); not read"
    )


# XLSX --------------------------------------------------------------------------------------


def _book(path: Path, write: Any) -> Path:
    import xlsxwriter

    with xlsxwriter.Workbook(path) as book:
        sheet = book.add_worksheet("Q4")
        sheet.write_row(0, 0, HEADER)
        write(book, sheet)
    return path


def test_a_formula_saved_with_an_empty_value_is_named(tmp_path: Path) -> None:
    def write(_book: Any, sheet: Any) -> None:
        sheet.write_row(1, 0, ["FS/S1", "a", "2016/17 Q4", "Bigger is Better", 20, 12, "R"])
        sheet.write_row(2, 0, ["FS/S2", "b", "2016/17 Q4", "Bigger is Better", 20])
        sheet.write_formula(2, 5, "=E3*0.5", None, "")  # <f>E3*0.5</f><v></v>
        sheet.write(2, 6, "R")

    path = _book(tmp_path / "t.xlsx", write)
    assert _rows(path, "result") == [("FS/S1", 12.0), ("FS/S2", None)]
    assert _warnings(path) == [
        "3: cell F3: a formula with no value saved (the workbook was never calculated): "
        "read as empty"
    ]


def test_a_number_formatted_as_a_percentage_is_that_percentage(tmp_path: Path) -> None:
    def write(book: Any, sheet: Any) -> None:
        whole, tenth = (
            book.add_format({"num_format": "0%"}),
            book.add_format({"num_format": "0.0%"}),
        )
        sheet.write_row(1, 0, ["FS/S2", "Pct", "2016/17 Q4", "Bigger is Better"])
        sheet.write_number(1, 4, 0.5, whole)
        sheet.write_number(1, 5, 0.4567, tenth)
        sheet.write_row(1, 6, ["R"])
        sheet.write_row(2, 0, ["FS/S3", "Built-in", "2016/17 Q4", "Bigger is Better"])
        sheet.write_number(2, 4, 0.25, book.add_format({"num_format": 9}))  # Excel's own 0%
        sheet.write_number(2, 5, 0.3, book.add_format({"num_format": '0.00" pc"'}))
        sheet.write_row(2, 6, ["R"])

    path = _book(tmp_path / "t.xlsx", write)
    assert _rows(path, "target_raw", "target", "result_raw", "result", "unit") == [
        ("FS/S2", "50%", 50.0, "45.67%", 45.67, "%"),
        ("FS/S3", "25%", 25.0, "0.3", 0.3, "%"),
    ]


def test_a_number_formatted_in_pounds_is_in_pounds(tmp_path: Path) -> None:
    def write(book: Any, sheet: Any) -> None:
        sheet.write_row(1, 0, ["FS/S3", "Currency", "2016/17 Q4", "Bigger is Better"])
        sheet.write_number(1, 4, 1500, book.add_format({"num_format": "[$£-809]#,##0"}))
        sheet.write_number(1, 5, 1234.5, book.add_format({"num_format": '"£"#,##0.00'}))
        sheet.write(1, 6, "R")

    path = _book(tmp_path / "t.xlsx", write)
    assert _rows(path, "target", "result", "unit") == [("FS/S3", 1500.0, 1234.5, "£")]


@pytest.mark.parametrize("error", ["#DIV/0!", "#N/A", "#REF!", "#VALUE!"])
def test_an_error_cell_keeps_its_text_and_is_named(tmp_path: Path, error: str) -> None:
    def write(_book: Any, sheet: Any) -> None:
        sheet.write_row(1, 0, ["FS/S3", "Error cell", "2016/17 Q4", "Bigger is Better", 20])
        sheet.write_formula(1, 5, "=E2/0", None, error)  # t="e"
        sheet.write(1, 6, "R")

    path = _book(tmp_path / "t.xlsx", write)
    assert _rows(path, "result_raw", "result") == [("FS/S3", error, None)]
    assert _warnings(path) == [
        f"2: cell F2: the spreadsheet's error {error}, no figure: kept as that text"
    ]


def test_a_number_formatted_as_a_date_is_that_date_and_no_figure(tmp_path: Path) -> None:
    def write(book: Any, sheet: Any) -> None:
        sheet.write_row(1, 0, ["FS/S1", "Adopted", "2016/17 Q4", "Bigger is Better", 20])
        sheet.write_number(1, 5, 42825, book.add_format({"num_format": "dd/mm/yyyy"}))
        sheet.write(1, 6, "R")

    path = _book(tmp_path / "t.xlsx", write)
    assert _rows(path, "result_raw", "result") == [("FS/S1", "2017-03-31", None)]
    assert _warnings(path) == [
        "2: 'FS/S1': its result cell holds a date (2017-03-31), not a figure (a number "
        "formatted as a date?)"
    ]


def test_a_stray_cell_far_away_costs_one_cell(tmp_path: Path) -> None:
    def write(_book: Any, sheet: Any) -> None:
        sheet.write_row(1, 0, ["FS/S1", "a", "2016/17 Q4", "Bigger is Better", 20, 12, "R"])
        sheet.write(1_048_575, 16_383, 1)  # XFD1048576

    path = _book(tmp_path / "t.xlsx", write)
    assert _rows(path, "result") == [("FS/S1", 12.0)]


def test_a_range_merged_down_rows_gives_each_row_its_value(tmp_path: Path) -> None:
    def write(_book: Any, sheet: Any) -> None:
        sheet.write_row(1, 0, ["FS/S1", "a", "2016/17 Q4", "Bigger is Better", 20, 12, "R"])
        sheet.write_row(2, 0, ["FS/S2", "b", "2016/17 Q4", "Bigger is Better", 20, 8, "G"])
        sheet.merge_range(1, 7, 2, 7, "both late")  # Comment
        sheet.merge_range(3, 0, 3, 7, "A title across the columns")

    path = _book(tmp_path / "t.xlsx", write)
    assert _rows(path, "comment") == [("FS/S1", "both late"), ("FS/S2", "both late")]
    assert _warnings(path) == []


def test_a_hidden_sheet_is_read_and_said_to_be_hidden(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "t.xlsx"
    with xlsxwriter.Workbook(path) as book:
        book.add_worksheet("Notes").write(0, 0, "notes")
        sheet = book.add_worksheet("Q4")
        sheet.write_row(0, 0, HEADER)
        sheet.write_row(1, 0, ["FS/S1", "a", "2016/17 Q4", "Bigger is Better", 20, 12, "R"])
        sheet.hide()
    assert _rows(path, "result") == [("FS/S1", 12.0)]
    assert _warnings(path) == ["1: the sheet is hidden in the workbook: read as any other"]


def test_a_row_whose_ref_is_of_no_known_shape_names_it(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "Ref,Indicator,Period,Target,Result,RAG\n"
        "1234,a,2016/17 Q4,1,2,R\n"
        "FS/\u04054,c,2016/17 Q4,1,2,R\n"
        ",e,2016/17 Q4,1,2,R\n"
        "FS/S1,d,2016/17 Q4,1,2,R\n"
    )
    warnings = _warnings(path)
    assert warnings[0].startswith(
        "2: indicator table row whose ref '1234' is of no shape read as a ref"
    )
    assert warnings[1].startswith(
        "3: indicator table row whose ref 'FS/\u04054' (holding U+0405) is of no"
    )
    assert warnings[2].startswith("4: indicator table row with no ref, not read")
    assert len(warnings) == 3
