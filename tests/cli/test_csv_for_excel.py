"""``--format csv-excel``: the csv with a byte-order mark Excel needs; plain csv has none."""

from __future__ import annotations

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
    assert code == 0 and excel == "\ufeff" + plain
