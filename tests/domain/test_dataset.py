"""Loading and validating a dataset directory."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from barnet_tui.cli.main import main
from barnet_tui.domain.dataset import DatasetError, load_dataset
from barnet_tui.domain.storage.generations import current_tables
from tests.conftest import DATA, dataset_copy, set_for_ref


@pytest.fixture
def dataset_dir(tmp_path: Path) -> Path:
    return dataset_copy(tmp_path)


def rewrite(
    directory: Path, table: str, change: pl.Expr | None = None, drop: str | None = None
) -> None:
    frame = pl.read_parquet(current_tables(directory) / f"{table}.parquet")
    if change is not None:
        frame = frame.with_columns(change)
    if drop is not None:
        frame = frame.drop(drop)
    frame.write_parquet(current_tables(directory) / f"{table}.parquet")


def test_the_shipped_dataset_loads_clean() -> None:
    dataset = load_dataset(DATA)
    assert dataset.indicators.collect().height == 229
    assert dataset.service_summary.height == 17
    assert dataset.warnings == ()


def test_every_problem_is_reported_at_once(dataset_dir: Path) -> None:
    rewrite(dataset_dir, "indicators", drop="rag")
    rewrite(dataset_dir, "service_summary", pl.col("reported").cast(pl.String))
    rewrite(
        dataset_dir,
        "targets",
        pl.when(pl.int_range(pl.len()) == 4).then(None).otherwise(pl.col("ref")).alias("ref"),
    )
    with pytest.raises(DatasetError) as caught:
        load_dataset(dataset_dir)
    message = str(caught.value)
    assert "\n" not in message
    assert "indicators.parquet: column 'rag': is missing" in message
    assert "service_summary.parquet: column 'reported': is String, expected Int64" in message
    assert "targets.parquet: column 'ref', row 5: is empty" in message


def test_malformed_periods_name_their_rows(dataset_dir: Path) -> None:
    rewrite(
        dataset_dir,
        "indicators",
        pl.col("period").str.replace("2016/17 Q1", "2016-17 Q1"),
    )
    with pytest.raises(DatasetError) as caught:
        load_dataset(dataset_dir)
    assert "column 'period', rows " in str(caught.value)
    assert "'2016-17 Q1' is not a period like '2016/17 Q4'" in str(caught.value)


def test_unknown_vocabulary_is_kept_and_flagged(tmp_path: Path) -> None:
    dataset = load_dataset(dataset_copy(tmp_path, set_for_ref("rag", "FS/S11", "Amber")))
    assert dataset.indicators.filter(pl.col("rag") == "Amber").collect().height == 3
    assert [str(problem) for problem in dataset.warnings] == [
        "indicators.parquet: column 'rag', rows 1, 136, 187: unknown value 'Amber' (shown as unknown)"
    ]


def test_csv_is_the_fallback_and_bad_cells_are_named(dataset_dir: Path) -> None:
    (current_tables(dataset_dir) / "indicators.parquet").unlink()
    assert load_dataset(dataset_dir).indicators.collect().height == 229
    csv = current_tables(dataset_dir) / "indicators.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    lines[3] = re.sub(r",(\d{4}/\d{2}),\d,", r",\1,four,", lines[3], count=1)
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        load_dataset(dataset_dir)
    assert "indicators.csv: column 'quarter', row 3: 'four' is not Int64" in str(caught.value)


def test_a_missing_table_or_directory(dataset_dir: Path, tmp_path: Path) -> None:
    (current_tables(dataset_dir) / "targets.parquet").unlink()
    (current_tables(dataset_dir) / "targets.csv").unlink()
    with pytest.raises(DatasetError, match=r"targets\.parquet: is missing"):
        load_dataset(dataset_dir)
    with pytest.raises(DatasetError, match="no such directory"):
        load_dataset(tmp_path / "nowhere")


def test_a_damaged_parquet_file(dataset_dir: Path) -> None:
    (current_tables(dataset_dir) / "indicators.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(DatasetError, match=r"indicators\.parquet: cannot be read"):
        load_dataset(dataset_dir)


def test_a_services_rows_are_its_rows_of_the_period() -> None:
    dataset = load_dataset(DATA)
    rows = dataset.indicators.collect()
    for period in dataset.periods:
        services = rows.filter(pl.col("period") == period)["service"].unique().to_list()
        for service in [*services, "No such service"]:
            expected = rows.filter((pl.col("period") == period) & (pl.col("service") == service))
            assert dataset.service_rows(period, service).equals(expected), (period, service)


def test_a_quarter_or_line_out_of_bounds_is_refused(
    dataset_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A dataset another tool wrote: quarter 4e12, a negative line, a page 0."""
    first = pl.int_range(pl.len()) == 0
    rewrite(
        dataset_dir,
        "indicators",
        pl.lit(4 * 10**12).alias("quarter"),
    )
    rewrite(
        dataset_dir,
        "targets",
        pl.when(first).then(-3).otherwise("source_line").alias("source_line"),
    )
    with pytest.raises(DatasetError) as caught:
        load_dataset(dataset_dir)
    message = str(caught.value)
    assert "\n" not in message
    assert (
        "indicators.parquet: column 'quarter', rows 1, 2, 3 and 226 more: 4000000000000 is outside 1-4"
        in message
    )
    assert "targets.parquet: column 'source_line', row 1: -3 is below 1" in message
    code = main(["--below-target", "--data", str(dataset_dir)])
    err = capsys.readouterr().err
    assert code == 2
    assert "is outside 1-4" in err and len(err.strip().splitlines()) == 1
