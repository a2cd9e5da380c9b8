"""Hostile sources: bombs, files that are not files, cells that are not their row's.

Each file is given to ``barnet-tui ingest`` in a process of its own under ``ulimit -v``
(1 GB): what a shared server or a container allows. Whatever the file, the answer is one
line and exit 2, or rows; never an abort, a backtrace or a hang.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from barnet_tui.ingest.pipeline import ingest
from tests.ingest.hostile_files import pdf_bomb, pdf_of_characters, xlsx, xlsx_bomb

MEMORY_KB = 1 << 20
"""``ulimit -v`` for the command: 1 GB of address space."""
HEADER = ["Ref", "Indicator", "Service", "Period", "Target", "Result", "RAG", "Comment"]
LOWER_CASE_RUN = [
    [
        "AC/C1",
        "One",
        "Adults and Communities",
        "2016/17 Q4",
        "10",
        "12",
        "Green",
        "comment one and",
    ],
    ["AC/C2", "Two", "Adults and Communities", "2016/17 Q4", "10", "8", "Red", "comment two"],
    [
        "AC/C3",
        "Three",
        "Adults and Communities",
        "2016/17 Q4",
        "10",
        "11",
        "Green",
        "data for five is late",
    ],
    ["AC/C4", "Four", "Adults and Communities", "2016/17 Q4", "10", "9", "Red", "and more to come"],
]


def limited(*args: str, memory_kb: int = MEMORY_KB) -> tuple[int, str]:
    """``barnet-tui ARGS`` in its own process under ``ulimit -v``: exit status and stderr."""
    command = f'ulimit -v {memory_kb} && exec "$0" -m barnet_tui "$@"'
    run = subprocess.run(
        ["sh", "-c", command, sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    return run.returncode, run.stderr


def refused(path: Path, out: Path) -> str:
    """The one line ``ingest`` refuses ``path`` with, under the memory limit."""
    code, err = limited("ingest", str(path), "--out", str(out), "--no-corrections")
    assert code == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err and "panic" not in err, err
    assert not out.exists()
    return err.removeprefix("barnet-tui ingest: error: ").rstrip("\n")


# One guard for every source ---------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".ods"])  # .txt and .pdf were refused
def test_a_fifo_of_any_kind_is_refused_not_waited_on(tmp_path: Path, suffix: str) -> None:
    fifo = tmp_path / f"fifo{suffix}"
    os.mkfifo(fifo)
    said = refused(fifo, tmp_path / "out")
    assert said == f"{fifo}: is a FIFO (named pipe), not a report file"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_spreadsheet_over_the_report_cap_is_refused(tmp_path: Path, suffix: str) -> None:
    huge = tmp_path / f"huge{suffix}"
    with huge.open("wb") as file:
        file.truncate(210_000_000)  # sparse: no disk used
    said = refused(huge, tmp_path / "out")
    assert said == f"{huge}: is larger than any report (200 MB at most); not read"


# Decoding limits --------------------------------------------------------------------------


def test_a_pdf_whose_content_inflates_to_a_gigabyte(tmp_path: Path) -> None:
    """Its image, first in the file, inflates to 300 MB too, but reading text never decodes
    an image: the stream named is the page's content, the fifth object."""
    bomb = pdf_bomb(tmp_path / "bomb.pdf", 1 << 30, image=300 << 20)
    assert bomb.stat().st_size < 8_000_000
    content = bomb.read_bytes().index(b"5 0 obj")
    said = refused(bomb, tmp_path / "out")
    assert said.startswith(f"{bomb}: a stream at byte ")
    at = int(said.removeprefix(f"{bomb}: a stream at byte ").split()[0].replace(",", ""))
    assert content < at < content + 100
    assert said.endswith("inflates to more than 200 MB (a compression bomb?); not read")


def test_an_xlsx_whose_sheet_inflates_to_a_gigabyte(tmp_path: Path) -> None:
    bomb = xlsx_bomb(tmp_path / "bomb.xlsx", 1 << 30)
    said = refused(bomb, tmp_path / "out")
    assert said == (
        f"{bomb}: its part 'xl/worksheets/sheet1.xml' inflates to more than 200 MB "
        "(a compression bomb?); not read"
    )


def test_a_small_pdf_drawing_two_million_characters(tmp_path: Path) -> None:
    many = pdf_of_characters(tmp_path / "many.pdf", 2_000_000)
    assert many.stat().st_size < 64_000
    said = refused(many, tmp_path / "out")
    assert said == (
        f"{many}: a page draws 2,000,000 characters, more than any report's page "
        "(100,000 at most); not read"
    )


def test_a_reader_that_runs_out_of_memory_is_one_line(tmp_path: Path) -> None:
    """Ten million characters on a page: PDFium aborts when it cannot allocate for them,
    in its child, and the command says so in one line."""
    many = pdf_of_characters(tmp_path / "more.pdf", 10_000_000)
    said = refused(many, tmp_path / "out")
    assert said.startswith(f"{many}: its reader crashed (SIGABRT), given 1.0 GB")


def test_a_csv_of_two_million_empty_columns(tmp_path: Path) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(HEADER) + "\n" + "," * 2_000_000 + "\n", encoding="utf-8")
    said = refused(wide, tmp_path / "out")
    assert (
        said == f"{wide}: line 2: a row of more than 16,384 cells, wider than any table; not read"
    )


def test_a_text_report_line_of_two_hundred_thousand_cells(tmp_path: Path) -> None:
    wide = tmp_path / "wide.txt"
    row = "AC/C1\tOne\tAdults and Communities\t2016/17 Q4\t10\t12\tGreen\t" + "\tx" * 200_000
    wide.write_text("\t".join(HEADER) + "\n" + row + "\n", encoding="utf-8")
    said = refused(wide, tmp_path / "out")
    assert (
        said == f"{wide}: line 2: a row of more than 16,384 cells, wider than any table; not read"
    )


def test_a_formula_with_no_saved_value_is_a_warning_naming_the_cell(tmp_path: Path) -> None:
    """Target's formula was saved with its value, Result's without: only Result is said."""
    row: list[object] = [*LOWER_CASE_RUN[0][:4], ("formula", "B8+1", 10)]
    row += [("formula", "B9*2", None), "", ""]
    result = ingest([xlsx(tmp_path / "tracker.xlsx", [HEADER, row])])
    assert result.tables["indicators"]["target"].to_list() == [10.0]
    assert result.tables["indicators"]["result"].to_list() == [None]
    assert [str(warning) for warning in result.warnings] == [
        "tracker.xlsx:2: cell F2: a formula with no value saved (the workbook was never "
        "calculated): read as empty"
    ]


# A spreadsheet's cell is its row's alone ---------------------------------------------------


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(rows)
    return path


def _comments(path: Path) -> list[tuple[str, str]]:
    frame = ingest([path]).tables["indicators"]
    return list(zip(frame["ref"].to_list(), frame["comment"].to_list(), strict=True))


def test_a_csv_trackers_lower_case_comments_stay_on_their_rows(tmp_path: Path) -> None:
    tracker = _csv(tmp_path / "tracker.csv", [HEADER, *LOWER_CASE_RUN])
    assert _comments(tracker) == [(row[0], row[7]) for row in LOWER_CASE_RUN]
    assert ingest([tracker]).warnings == []


def test_an_xlsx_trackers_lower_case_comments_stay_on_their_rows(tmp_path: Path) -> None:
    tracker = xlsx(tmp_path / "tracker.xlsx", [HEADER, *LOWER_CASE_RUN])
    assert _comments(tracker) == [(row[0], row[7]) for row in LOWER_CASE_RUN]


def test_a_tracker_row_with_no_ref_is_a_warning_not_glued_above(tmp_path: Path) -> None:
    rows = [HEADER, LOWER_CASE_RUN[0], ["", "", "", "", "", "", "", "more of something"]]
    tracker = _csv(tmp_path / "tracker.csv", rows)
    result = ingest([tracker])
    assert result.tables["indicators"]["comment"].to_list() == ["comment one and"]
    assert [str(warning) for warning in result.warnings] == [
        "tracker.csv:3: indicator table row with no ref, not read (a cell is its row's alone): "
        "'more of something'"
    ]


def test_a_text_reports_run_of_lower_case_comments_is_never_copied(tmp_path: Path) -> None:
    """In text the layout shows no cell spanning rows: each row keeps the words printed on
    it, and each row whose comment reads on from the one above is a warning naming both."""
    report = tmp_path / "report.txt"
    lines = ["\t".join(HEADER), *("\t".join(row) for row in LOWER_CASE_RUN)]
    lines.append("\t" * 7 + "as the layout shows.")  # a wrapped cell: no ref, so it joins
    report.write_text("# Adults – Q4 2016/17\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    result = ingest([report])
    frame = result.tables["indicators"]
    assert frame["comment"].to_list() == [
        *(row[7] for row in LOWER_CASE_RUN[:3]),
        "and more to come as the layout shows.",
    ]
    assert [str(warning) for warning in result.warnings] == [
        f"report.txt:{line}: AC/C{line - 3}'s comment reads on from AC/C{line - 4}'s at line "
        f"{line - 1} ({before!r} / {after!r}): one cell across two rows? Each row keeps the "
        "text printed on it"
        for line, before, after in [
            (5, "comment one and", "comment two"),
            (6, "comment two", "data for five is"),
            (7, "for five is late", "and more to come"),
        ]
    ]


def test_a_cell_larger_than_a_page_is_a_warning_and_not_stored(tmp_path: Path) -> None:
    huge = "x" * 10_001
    tracker = _csv(tmp_path / "tracker.csv", [HEADER, [*LOWER_CASE_RUN[0][:7], huge]])
    result = ingest([tracker])
    assert result.tables["indicators"]["comment"].to_list() == [None]
    assert [str(warning) for warning in result.warnings] == [
        "tracker.csv:2: AC/C1: comment of 10,001 characters, more than a report's page "
        "could print (10,000 at most); not stored"
    ]
