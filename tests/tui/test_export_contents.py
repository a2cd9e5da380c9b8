"""What ``x`` writes: typed values, each row with its period and what it is, in every view;
a CSV for Excel with a byte-order mark; XLSX cells typed."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from barnet_tui.output.export import Cell, write_export
from barnet_tui.tui.screens.base import BarnetScreen
from tests.tui.conftest import loaded, make_app

MINUS = "\u2212"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def read_csv(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def write(screen: object, tmp_path: Path, fmt: str, name: str = "out") -> Path:
    assert isinstance(screen, BarnetScreen)
    table = screen.table_export()
    assert table is not None
    extension = "csv" if fmt.startswith("csv") else fmt
    return write_export(tmp_path / f"{name}.{extension}", fmt, table.headers, table.rows)


async def test_the_summary_exports_numbers_as_numbers_with_its_period(tmp_path: Path) -> None:
    app = make_app(period="2016/17 Q1")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        rows = read_csv(write(app.screen, tmp_path, "csv"))
        assert {row["period"] for row in rows} == {"2016/17 Q1"}
        group = next(row for row in rows if row["service"] == "Commissioning Group")
        assert (group["reported"], group["pct_below_target"], group["revenue_variance"]) == (
            "36",
            "50",
            "0",
        )
        assert group["revenue_disputed"] == "true"  # the ≠ on screen, as a value


async def test_a_service_tab_exports_typed_figures_with_minus_signs(tmp_path: Path) -> None:
    app = make_app(service="Commissioning Group", period="2016/17 Q1")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("3")  # Finance
        path = write(app.screen, tmp_path, "csv")
        text = path.read_text(encoding="utf-8")
        assert MINUS not in text
        rows = read_csv(path)
        finance = next(row for row in rows if row["line"] == "Finance")
        assert (finance["period"], finance["service"]) == ("2016/17 Q1", "Commissioning Group")
        assert finance["variance"] == "-491" and finance["variance_pct"] == "-50.7"
        sheet = pl.read_excel(write(app.screen, tmp_path, "xlsx"))
        assert sheet.schema["variance"].is_numeric() and sheet.schema["variance_pct"].is_numeric()
        assert sheet.filter(pl.col("line") == "Finance")["variance"].to_list() == [-491]
        assert sheet["period"].to_list() == ["2016/17 Q1"] * sheet.height


async def test_every_indicator_row_of_every_view_has_its_period_and_name(tmp_path: Path) -> None:
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        for keys, name in (("c", "changes"), ("escape a", "audit")):
            await pilot.press(*keys.split())
            rows = read_csv(write(app.screen, tmp_path, "csv", name))
            assert rows, name
            assert all(row["period"] == "2016/17 Q4" for row in rows), name
            assert all(row["indicator"] and "…" not in row["indicator"] for row in rows), name
        await pilot.press("escape", "enter")  # a service's indicators
        rows = read_csv(write(app.screen, tmp_path, "csv", "service"))
        assert all(row["period"] == "2016/17 Q4" and row["indicator"] for row in rows)
        assert all(
            row["result"] == "" or float(row["result"]) == float(row["result"]) for row in rows
        )


async def test_csv_for_excel_has_a_byte_order_mark_and_plain_csv_has_none(tmp_path: Path) -> None:
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        excel = write(app.screen, tmp_path, "csv-excel", "excel").read_bytes()
        plain = write(app.screen, tmp_path, "csv", "plain").read_bytes()
        assert excel.startswith(b"\xef\xbb\xbfperiod,") and plain.startswith(b"period,")
        assert excel.removeprefix(b"\xef\xbb\xbf") == plain


def test_xlsx_cells_are_typed_and_text_is_never_a_formula(tmp_path: Path) -> None:
    headers = ["ref", "pct_below_target", "variance", "worse", "comment"]
    rows: list[list[Cell]] = [
        ["FS/S11", 35.7, -491, True, '=HYPERLINK("x")'],
        ["R/3", None, 84.5, False, None],
    ]
    sheet = pl.read_excel(write_export(tmp_path / "t.xlsx", "xlsx", headers, rows))
    assert sheet.schema["pct_below_target"].is_numeric() and sheet.schema["variance"].is_numeric()
    assert sheet.schema["worse"] == pl.Boolean
    assert sheet["comment"].to_list() == ['\'=HYPERLINK("x")', None]  # as in the CSV
    csv_text = write_export(tmp_path / "t.csv", "csv", headers, rows).read_text(encoding="utf-8")
    assert csv_text.splitlines()[1] == 'FS/S11,35.7,-491,true,"\'=HYPERLINK(""x"")"'
