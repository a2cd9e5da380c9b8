"""Every JSON the tool prints is JSON: a NaN or an infinity in a dataset (one another tool
wrote) is null, never the bare ``NaN`` or ``Infinity`` no strict parser reads."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from barnet_tui.cli.main import main
from tests.conftest import dataset_copy


def _not_finite(frame: pl.DataFrame) -> pl.DataFrame:
    """Every result NaN, every target an infinity (minus for FS/S11)."""
    return frame.with_columns(
        pl.lit(float("nan")).alias("result"),
        pl.when(pl.col("ref") == "FS/S11")
        .then(pl.lit(float("-inf")))
        .otherwise(pl.lit(float("inf")))
        .alias("target"),
    )


def _refuse(word: str) -> object:
    raise ValueError(f"not JSON: {word}")


@pytest.mark.parametrize("period", ["all", "current"])
def test_non_finite_figures_are_null_in_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], period: str
) -> None:
    """Every JSON the tool prints goes through one writer (the audit and changes carry their
    figures as printed text); the quick check's result and target are numbers."""
    data = dataset_copy(tmp_path, _not_finite)
    args = ["--below-target", "--period", period, "--format", "json", "--data", str(data)]
    code = main(args)
    out = capsys.readouterr().out
    assert code in (0, 1), out
    records = json.loads(out, parse_constant=_refuse)
    assert records, out
    figures = [record[key] for record in records for key in ("result", "target") if key in record]
    assert figures and all(figure is None for figure in figures), figures
