"""A figure printed with ``m`` or ``bn`` keeps its magnitude: its unit says it, never lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from barnet_tui.cli.main import main
from barnet_tui.domain.dataset import load_dataset
from barnet_tui.ingest.cells.values import parse_number, unit_of


@pytest.mark.parametrize(
    ("raw", "value", "unit"),
    [
        ("1.5M", 1.5, "m"),
        ("1.5m", 1.5, "m"),
        ("2m", 2.0, "m"),
        ("3bn", 3.0, "bn"),
        ("£2m", 2.0, "£m"),
        ("£1.5M", 1.5, "£m"),
        ("£2bn", 2.0, "£bn"),
        ("5 m", 5.0, "m"),
        ("12K", 12000.0, None),
    ],
)
def test_a_cell_keeps_its_magnitude_in_its_unit(raw: str, value: float, unit: str | None) -> None:
    assert parse_number(raw) == value
    assert unit_of(raw) == unit


def test_ingest_stores_millions_with_their_unit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "tracker.csv"
    report.write_text(
        "ref,indicator,result,target\n"
        "FS/S1,Families helped,1.5M,2m\n"
        "FS/S2,Spend,£2m,\n"
        "FS/S3,Budget,3bn,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["ingest", str(report), "--period", "2016/17 Q4", "--out", str(out)]) == 0
    capsys.readouterr()
    rows = load_dataset(out).indicators.select("ref", "result", "target", "unit").collect()
    assert rows.sort("ref").rows() == [
        ("FS/S1", 1.5, 2.0, "m"),
        ("FS/S2", 2.0, None, "£m"),
        ("FS/S3", 3.0, None, "bn"),
    ]
