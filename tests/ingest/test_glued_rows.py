"""Rows never glued to their neighbours (issue 30, H6, H7, D21).

A line without a ref continues a row only where the layout shows a cell going on (a wrapped
name, an empty ref cell). A line with text where the ref goes that is not a ref the tool
reads, or with nothing but a rating, is a warning naming its line, never another row's text.
Full-width refs read as the ref they print. In a ruled PDF, text that runs over its cell's
rules into the next cells belongs to none of them: a warning naming the row, those cells
not read, never a mixed value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from barnet_tui.ingest.pipeline import ingest

HEADER = [
    "Ref",
    "Indicator",
    "Polarity",
    "Target",
    "Result",
    "RAG",
    "Direction of travel",
    "Comment",
]
TITLE = "Family Services – Q4 2016/17 Performance Report"


def _rows(path: Path) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The stored indicators by ref, and the warnings a user gets, as printed."""
    result = ingest([path], None)
    rows = {row["ref"]: row for row in result.tables["indicators"].iter_rows(named=True)}
    return rows, [str(warning) for warning in result.warnings]


def _pdf(path: Path, rows: list[list[str]], widths: list[float]) -> Path:
    """A ruled table as reportlab's GRID draws it, every cell set at the top; a cell
    starting "¶" is a paragraph (wrapped), any other a string (never wrapped)."""
    style = getSampleStyleSheet()["BodyText"]
    cells = [
        [Paragraph(cell[1:], style) if cell.startswith("¶") else cell for cell in row]
        for row in rows
    ]
    table = Table([HEADER, *cells], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
            ]
        )
    )
    doc = SimpleDocTemplate(str(path), pagesize=landscape(A4))
    doc.build([Paragraph(TITLE, style), Spacer(1, 12), table])
    return path


WIDTHS = [50.0, 150.0, 80.0, 50.0, 50.0, 30.0, 70.0, 250.0]


def test_text_ref_not_read_and_lone_rating_are_warnings_not_glued(tmp_path: Path) -> None:
    report = tmp_path / "fs.txt"
    lines = [
        "# Family Services – Q4 2016/17",
        "",
        "\t".join(HEADER),
        "FS/S1\tChildren adopted\tBigger is Better\t20\t12\tR\tWorsening\tNumbers fell",
        "FS/S2\tPlacements\tSmaller is Better\t9.2%\t9.7%\tG\tImproving\tgranted more SGOs",
        "\tcontinued name\t\t\t\t\t\tand more words",
        "FS/S3\tDuplicate\tBigger is Better\t10\t11\tG\tImproving\tdup",
        "1234\tFour digit ref\tBigger is Better\t10\t11\tG\tImproving\tfour",
        "\tits wrapped name\t\t\t\t\t\tits wrapped comment",
        "FS/S5\t\tBigger is Better\t10\t8\t\tWorsening\t",
        "\t\t\t\t\tR\t\t",
        "ＦＳ/Ｓ6\tFullwidth ref\tBigger is Better\t10\t11\tG\tImproving\tfw",
        # A ref's note and a rating wrapped in a narrow column still continue their row.
        "AC/S1 ASCOF 2B\tReablement\tBigger is Better\t90%\t85%\tGreen\tImproving\tClose",
        "(1)\tat home\t\t\t\t\t\tto target",
        "AC/S2\tDelayed transfers\tSmaller is Better\t5\t6\tRed\tWorsening\tWinter",
        "\t\t\t\t\tAmber\t\t",
    ]
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows, warnings = _rows(report)
    assert set(rows) == {"FS/S1", "FS/S2", "FS/S3", "FS/S5", "FS/S6", "AC/S1", "AC/S2"}
    # The wrapped line under an empty ref cell still continues its row.
    assert rows["FS/S2"]["indicator"] == "Placements continued name"
    assert rows["FS/S2"]["comment"] == "granted more SGOs and more words"
    # The 1234 row and its wrapped line are no one's: FS/S3 keeps only its own text.
    assert rows["FS/S3"]["indicator"] == "Duplicate"
    assert rows["FS/S3"]["comment"] == "dup"
    assert (rows["FS/S3"]["result"], rows["FS/S3"]["polarity"]) == (11.0, "Bigger is Better")
    assert any(w.startswith("fs.txt:8: '1234' stands where a row's ref goes") for w in warnings)
    # FS/S5 gets neither the lone rating below it nor the full-width row's name.
    assert rows["FS/S5"]["rag"] is None
    assert rows["FS/S5"]["indicator"] == ""
    assert rows["FS/S5"]["comment"] is None
    assert any(w.startswith("fs.txt:11: 'R' alone on a line with no ref") for w in warnings)
    assert (rows["FS/S6"]["indicator"], rows["FS/S6"]["comment"]) == ("Fullwidth ref", "fw")
    assert rows["FS/S6"]["result"] == 11.0
    assert (rows["AC/S1"]["indicator"], rows["AC/S1"]["comment"]) == (
        "Reablement at home",
        "Close to target",
    )
    assert rows["AC/S2"]["rag"] == "Red Amber"
    assert len([w for w in warnings if "alone on a line" in w or "stands where" in w]) == 2


def test_ruled_pdf_rows_with_a_wide_4_digit_ref_or_a_lone_rating_stand_apart(
    tmp_path: Path,
) -> None:
    rows = [
        ["FS/S1", "Children adopted", "Bigger is Better", "20", "12", "R", "Worsening", "¶Fell"],
        ["FS/S2", "Placements", "Smaller is Better", "9.2%", "9.7%", "GA", "Improving", "¶ok"],
        ["", "continued name", "", "", "", "", "", "¶and more words"],
        ["1234", "Four digit ref", "Bigger is Better", "10", "11", "G", "Improving", "¶four"],
        ["FS/S5", "", "Bigger is Better", "10", "8", "", "Worsening", ""],
        ["", "", "", "", "", "R", "", ""],
        ["FS/S6", "Six", "Bigger is Better", "10", "11", "G", "Improving", "¶six"],
    ]
    stored, warnings = _rows(_pdf(tmp_path / "fs.pdf", rows, WIDTHS))
    assert set(stored) == {"FS/S1", "FS/S2", "FS/S5", "FS/S6"}
    two = stored["FS/S2"]
    assert (two["indicator"], two["comment"]) == ("Placements continued name", "ok and more words")
    assert (two["polarity"], two["target"], two["result"]) == ("Smaller is Better", 9.2, 9.7)
    assert stored["FS/S5"]["rag"] is None
    assert any("'1234' stands where a row's ref goes but is not a ref" in w for w in warnings)
    assert any("'R' alone on a line with no ref" in w for w in warnings)


def test_ruled_pdf_text_running_over_the_next_cells_is_read_in_none(tmp_path: Path) -> None:
    long = "Long name that goes on and on across several lines of the cell in the PDF table"
    rows = [
        ["FS/S6", "Six", "Bigger is Better", "10", "11", "G", "Improving", "¶six"],
        ["FS/S7", long, "Bigger is Better", "10", "11", "G", "Improving", "¶seven"],
        ["FS/S8", "Normal", "Bigger is Better", "35.0% 35.0%", "40%", "G", "Improving", "¶two"],
        ["FS/S1000", "Too long ref", "Bigger is Better", "10", "12", "G", "Improving", "¶k"],
    ]
    stored, warnings = _rows(_pdf(tmp_path / "fs.pdf", rows, [40.0, *WIDTHS[1:]]))
    seven = stored["FS/S7"]
    assert (seven["polarity"], seven["target_raw"], seven["result_raw"]) == (None, None, None)
    assert (seven["target"], seven["result"]) == (None, None)
    assert (seven["rag"], seven["comment"]) == ("Green", "seven")
    assert any("row FS/S7: text runs over the rules" in w for w in warnings)
    # A cell too long by a word, or a ref too long for its column, is still its own.
    assert stored["FS/S8"]["result"] == 40.0
    assert (stored["FS/S1000"]["indicator"], stored["FS/S1000"]["result"]) == ("Too long ref", 12.0)
    assert (stored["FS/S6"]["target"], stored["FS/S6"]["result"]) == (10.0, 11.0)
    assert not any("row FS/S8" in w or "row FS/S1000" in w for w in warnings)
