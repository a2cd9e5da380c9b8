"""``--format csv-excel``: the csv with a byte-order mark Excel needs, and a text cell a
spreadsheet would run marked with an apostrophe; plain csv has neither."""

from __future__ import annotations

import csv
import io

import pytest

from tests.cli.conftest import run_on_shipped_data


@pytest.mark.parametrize(
    "args", [["--below-target"], ["--risks"], ["changes"], ["audit"]], ids=" ".join
)
def test_csv_for_excel_is_the_csv_with_a_byte_order_mark(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    code, plain, _err = run_on_shipped_data(capsys, *args, "--format", "csv")
    assert code == 0 and not plain.startswith("\ufeff")
    code, excel, _err = run_on_shipped_data(capsys, *args, "--format", "csv-excel")
    assert code == 0 and excel.startswith("\ufeff")
    scripts = list(csv.reader(io.StringIO(plain)))
    sheets = list(csv.reader(io.StringIO(excel.removeprefix("\ufeff"))))
    assert len(sheets) == len(scripts) > 1
    for script_row, sheet_row in zip(scripts, sheets, strict=True):
        for script, sheet in zip(script_row, sheet_row, strict=True):
            assert sheet == script or sheet == "'" + script
