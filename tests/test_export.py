"""Writing what is on screen to CSV, XLSX or Markdown: whole or not at all, never over a file
unasked, report text inert in every format."""

from __future__ import annotations

import csv
import os
import stat
import zipfile
from pathlib import Path

import pytest

from barnet_tui.output import export
from barnet_tui.output.export import ExportError, proposed_path, write_export
from tests.conftest import HOSTILE, controls_in

HEADERS = ["Ref", "Indicator", "Variance"]
ROWS = [
    ["FS/S11", "Children in | care", "-491"],
    ["CG/C1", '=HYPERLINK("http://evil")', "+84"],
    ["R/3", f"Deaths {HOSTILE}", "@SUM(A1)"],
]


def test_the_proposed_name_is_safe_as_a_file_name() -> None:
    assert str(proposed_path("summary", "2016/17 Q4", "csv")) == "barnet-summary-2016-17-q4.csv"
    assert str(proposed_path("service-Family Services-finance", "2015/16 Q4", "md")) == (
        "barnet-service-family-services-finance-2015-16-q4.md"
    )


def test_csv_keeps_rows_and_order_and_starts_no_formula(tmp_path: Path) -> None:
    path = write_export(tmp_path / "out.csv", "csv", HEADERS, ROWS)
    with path.open(encoding="utf-8", newline="") as handle:
        read = list(csv.reader(handle))
    assert read[0] == HEADERS
    assert [row[0] for row in read[1:]] == ["FS/S11", "CG/C1", "R/3"]
    assert read[1][2] == "-491" and read[2][2] == "+84"  # numbers stay numbers
    assert read[2][1].startswith("'=HYPERLINK") and read[3][2] == "'@SUM(A1)"
    assert not controls_in(path.read_text(encoding="utf-8"))


def test_xlsx_cells_are_text_never_formulas(tmp_path: Path) -> None:
    path = write_export(tmp_path / "out.xlsx", "xlsx", HEADERS, ROWS)
    with zipfile.ZipFile(path) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
        strings = book.read("xl/sharedStrings.xml").decode("utf-8")
    assert "<f>" not in sheet  # no cell holds a formula
    assert "=HYPERLINK" in strings and "Children in | care" in strings
    assert "\x1b" not in strings and "\u202e" not in strings


def test_markdown_escapes_pipes(tmp_path: Path) -> None:
    text = write_export(tmp_path / "out.md", "md", HEADERS, ROWS).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "| Ref | Indicator | Variance |"
    assert "| FS/S11 | Children in \\| care | -491 |" in text
    assert not controls_in(text)


def test_an_existing_file_is_kept_unless_overwrite_is_asked(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match="exists; not overwritten"):
        write_export(path, "csv", HEADERS, ROWS)
    assert path.read_text(encoding="utf-8") == "mine"
    write_export(path, "csv", HEADERS, ROWS, overwrite=True)
    assert path.read_text(encoding="utf-8").startswith("Ref,Indicator")


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "out.csv"
    path.write_text("mine", encoding="utf-8")

    def disk_full(target: Path, content: bytes) -> int:
        with target.open("wb") as out:
            out.write(content[:9])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    with pytest.raises(ExportError, match=r"cannot write .*out\.csv: No space left on device"):
        write_export(path, "csv", HEADERS, ROWS, overwrite=True)
    assert path.read_text(encoding="utf-8") == "mine"  # the old file, whole
    assert [entry.name for entry in tmp_path.iterdir()] == ["out.csv"]  # no temporary left
    with pytest.raises(ExportError, match="cannot write"):
        write_export(tmp_path / "missing" / "out.xlsx", "xlsx", HEADERS, ROWS)


@pytest.mark.parametrize("extension", export.FORMATS)
def test_an_export_has_an_ordinary_files_mode_and_keeps_a_replaced_ones(
    tmp_path: Path, extension: str
) -> None:
    """Not the temporary file's 0600: colleagues open what was exported for them."""
    old = os.umask(0o022)
    try:
        fresh = write_export(tmp_path / f"new.{extension}", extension, HEADERS, ROWS)
    finally:
        os.umask(old)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
    shared = tmp_path / f"shared.{extension}"
    shared.write_text("old", encoding="utf-8")
    shared.chmod(0o664)
    write_export(shared, extension, HEADERS, ROWS, overwrite=True)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o664


def test_a_file_made_while_exporting_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "out.csv"

    def someone_else_writes_first(target: Path, content: bytes) -> int:
        path.write_text("theirs", encoding="utf-8")
        with target.open("wb") as out:
            return out.write(b"ours")

    monkeypatch.setattr(Path, "write_bytes", someone_else_writes_first)
    with pytest.raises(ExportError, match="exists; not overwritten"):
        write_export(path, "csv", HEADERS, ROWS)
    assert path.read_text(encoding="utf-8") == "theirs"
    assert [entry.name for entry in tmp_path.iterdir()] == ["out.csv"]


def test_a_folder_is_said_to_be_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="is a folder"):
        write_export(tmp_path, "csv", HEADERS, ROWS)
