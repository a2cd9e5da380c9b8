"""CSV copies are written where a person can open them: a table longer than a spreadsheet
gets none (unless asked), the manifest lists what was written, and nothing reads them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from barnet_tui.cli.main import main
from barnet_tui.domain.dataset import load_dataset
from barnet_tui.domain.storage.generations import current_tables
from barnet_tui.ingest.writers import table_files
from barnet_tui.ingest.writers.table_files import SPREADSHEET_ROWS, csv_copy
from tests.conftest import REPORTS

YEAR_END = REPORTS / "service-performance-eoy-2016-17.txt"


def test_a_table_fits_a_spreadsheet_with_its_header_row() -> None:
    assert SPREADSHEET_ROWS == 1_048_576  # Excel's and LibreOffice Calc's rows
    assert csv_copy(SPREADSHEET_ROWS - 1)
    assert not csv_copy(SPREADSHEET_ROWS)
    assert not csv_copy(20_000_000)
    assert csv_copy(20_000_000, requested=True)


def _ingest(out: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    code = main(["ingest", str(YEAR_END), "--out", str(out), "--no-corrections", *extra])
    assert code == 0, capsys.readouterr().err
    manifest: dict[str, Any] = json.loads((out / "manifest.json").read_text())
    return manifest


def test_tables_longer_than_a_spreadsheet_get_no_csv_and_the_manifest_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same rule at a size a test can ingest: a spreadsheet of 40 rows.
    monkeypatch.setattr(table_files, "SPREADSHEET_ROWS", 40)
    out = tmp_path / "out"
    manifest = _ingest(out, capsys)
    tables = current_tables(out)
    rows = {path.stem: pl.read_parquet(path).height for path in tables.glob("*.parquet")}
    assert rows["indicators"] > 39 and rows["targets"] <= 39  # one of each kind
    written = {path.stem for path in tables.glob("*.csv")}
    assert written == {name for name, height in rows.items() if height <= 39}
    generation = tables.name
    assert sorted(manifest["files"]) == sorted(
        [f"{generation}/{path.name}" for path in tables.iterdir()] + ["manifest.json"]
    )
    listed = manifest["tables"]["indicators"]["files"]
    assert listed == ["indicators.parquet"]
    assert manifest["tables"]["targets"]["files"] == ["targets.parquet", "targets.csv"]
    # Nothing reads a CSV copy: the dataset loads whole without them.
    assert load_dataset(out).periods == ["2016/17 Q4"]


def test_every_csv_copy_on_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(table_files, "SPREADSHEET_ROWS", 40)
    out = tmp_path / "out"
    manifest = _ingest(out, capsys, "--all-csv")
    tables = current_tables(out)
    assert {path.stem for path in tables.glob("*.csv")} == {
        path.stem for path in tables.glob("*.parquet")
    }
    assert manifest["tables"]["indicators"]["files"] == [
        "indicators.parquet",
        "indicators.csv",
    ]


def test_the_same_tables_without_csv_are_the_same_generation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(table_files, "SPREADSHEET_ROWS", 40)
    first = _ingest(tmp_path / "a", capsys)["generation"]
    again = _ingest(tmp_path / "a", capsys)["generation"]
    other = _ingest(tmp_path / "b", capsys)["generation"]
    assert first == again == other
