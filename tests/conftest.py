"""Shared test fixtures: where the repository, its shipped data and the source reports are."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
REPORTS = REPO / "reports"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _no_user_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tests never read the developer's own configuration or colour preferences."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("BARNET_TUI_CONFIG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


def report_paths() -> list[Path]:
    """The five source reports the repository carries (``reports/``)."""
    paths = sorted(REPORTS.glob("*.txt"))
    assert len(paths) == 5, f"expected the five source reports in {REPORTS}"
    return paths


def dataset_copy(
    tmp_path: Path, change: Callable[[pl.DataFrame], pl.DataFrame] | None = None
) -> Path:
    """A copy of the shipped dataset, its indicators passed through ``change``."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    if change is not None:
        frame = change(pl.read_parquet(data / "indicators.parquet"))
        frame.write_parquet(data / "indicators.parquet")
    return data


def set_for_ref(column: str, ref: str, value: str) -> Callable[[pl.DataFrame], pl.DataFrame]:
    """A change for dataset_copy: ``column`` of the rows with ``ref`` set to ``value``."""

    def change(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(
            pl.when(pl.col("ref") == ref)
            .then(pl.lit(value))
            .otherwise(pl.col(column))
            .alias(column)
        )

    return change
