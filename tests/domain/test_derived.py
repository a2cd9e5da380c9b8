"""The tables ingest derives for speed say what the indicators say, and a reader uses them
only while they were computed from the indicators beside them."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from barnet_tui.domain.changes import changes_and_coverage, comparisons, with_change_counts
from barnet_tui.domain.contract import DERIVED_TABLES
from barnet_tui.domain.dataset import DatasetError, load_dataset, scan_derived
from barnet_tui.domain.derived import STAMP, derived_tables, fresh, period_counts, stamp
from barnet_tui.domain.queries import current_rows
from barnet_tui.domain.storage.generations import current_tables
from barnet_tui.domain.summary import corporate_summary
from tests.by_hand import latest_by_hand
from tests.conftest import DATA, dataset_copy, set_for_ref

TABLES = current_tables(DATA)
INDICATORS = pl.read_parquet(TABLES / "indicators.parquet")


@pytest.mark.parametrize("table", DERIVED_TABLES)
def test_the_shipped_derived_tables_are_the_indicators_computed_again(table: str) -> None:
    assert fresh(TABLES, table)
    written = pl.read_parquet(TABLES / f"{table}.parquet")
    assert written.equals(derived_tables(INDICATORS)[table])


def test_the_latest_rows_are_each_indicators_latest() -> None:
    written = pl.read_parquet(TABLES / "current_indicators.parquet")
    assert written.equals(latest_by_hand(INDICATORS))
    assert current_rows(INDICATORS).equals(written)  # what a stale table is replaced with


@pytest.mark.parametrize("ratings", [("Green Amber", "Red Amber", "Red"), ("Red",)])
def test_the_summary_from_counts_is_the_summary_from_rows(ratings: tuple[str, ...]) -> None:
    """Every period, with the counts of changes since each service's report before (among
    the indicators compared; null where nothing could be)."""
    dataset = load_dataset(DATA)
    assert dataset.counts is not None
    for period in dataset.periods:
        assert dataset.summary(period, ratings).equals(
            summary_from_rows(INDICATORS, dataset.service_summary, period, ratings)
        ), period


def summary_from_rows(
    rows: pl.DataFrame,
    service_summary: pl.DataFrame,
    period: str,
    ratings: tuple[str, ...] = ("Green Amber", "Red Amber", "Red"),
) -> pl.DataFrame:
    """The summary as the explorer computed it from every row before the counts."""
    pairs = comparisons(rows, to_period=period)
    found, covered = changes_and_coverage(rows, pairs)
    summary = corporate_summary(rows, service_summary, period, ratings)
    return with_change_counts(summary, found, pairs, covered)


def test_indicators_changed_since_ingest_are_read_without_the_stale_tables(
    tmp_path: Path,
) -> None:
    """A reader checking every value counts from the rows themselves; the quick check's
    table is built again from the rows (``speed_tables``), never read stale."""
    data = dataset_copy(tmp_path, set_for_ref("service", "R/3", "Registrar Service (new)"))
    tables = current_tables(data)
    assert not fresh(tables, "period_counts")
    dataset = load_dataset(data)
    assert dataset.counts is None
    summary = dataset.summary("2016/17 Q4", ("Green Amber", "Red Amber", "Red"))
    assert "Registrar Service (new)" in summary["service"].to_list()
    rows = pl.read_parquet(tables / "indicators.parquet")
    assert summary.equals(summary_from_rows(rows, dataset.service_summary, "2016/17 Q4"))
    assert not fresh(tables, "current_indicators")
    current = scan_derived(data, "current_indicators")
    assert current is not None and fresh(tables, "current_indicators")
    assert current.rows.collect().equals(current_rows(rows))


def test_counts_that_do_not_match_the_rows_are_an_error(tmp_path: Path) -> None:
    """A period_counts.parquet written with the right fingerprint but wrong counts (by
    another tool): reading the period's rows finds it."""
    data = dataset_copy(tmp_path)
    path = current_tables(data) / "period_counts.parquet"
    metadata = pl.read_parquet_metadata(path)
    counts = pl.read_parquet(path).with_columns(reported=pl.col("reported") + 1)
    counts.write_parquet(path, metadata={STAMP: metadata[STAMP]})
    dataset = load_dataset(data, check_values=False)
    assert dataset.deferred
    with pytest.raises(DatasetError) as raised:
        dataset.period_rows("2016/17 Q4")
    assert str(raised.value) == (
        f"dataset {data}: period_counts.parquet: does not match indicators.parquet in "
        "2016/17 Q4 (ingest again)"
    )
    shipped = load_dataset(DATA, check_values=False)
    assert shipped.period_rows("2016/17 Q4").height == 73


def test_values_are_checked_in_the_rows_a_view_reads(tmp_path: Path) -> None:
    """Loaded for the explorer, a dataset with its counts checks the indicators' values
    in the rows each view reads, naming their rows in the file."""
    data = dataset_copy(tmp_path)
    path = current_tables(data) / "indicators.parquet"
    metadata = pl.read_parquet_metadata(path)
    rows = pl.read_parquet(path)
    bad = rows.with_columns(
        dot=pl.when(pl.col("ref") == "FS/S11").then(pl.lit("Sideways")).otherwise("dot")
    )
    bad.write_parquet(path, metadata={k: v for k, v in metadata.items() if k != "ARROW:schema"})
    for table, frame in derived_tables(bad).items():  # as ingest would have written them
        frame.write_parquet(
            current_tables(data) / f"{table}.parquet", metadata=stamp(current_tables(data))
        )
    dataset = load_dataset(data, check_values=False)
    assert dataset.deferred and not dataset.warnings
    dataset.period_rows("2016/17 Q4")
    assert [str(warning) for warning in dataset.warnings] == [
        "indicators.parquet: column 'dot', row 136: unknown value 'Sideways' (shown as unknown)"
    ]


def test_an_indicators_history_is_read_by_ref() -> None:
    dataset = load_dataset(DATA, check_values=False)
    assert dataset.by_ref is not None
    for ref in INDICATORS["ref"].unique().to_list():
        assert dataset.ref_rows(ref).equals(INDICATORS.filter(pl.col("ref") == ref)), ref


@pytest.mark.parametrize("batch_rows", [1, 100, 2_000_000])
def test_every_reports_changes_are_counted_alike_a_few_services_at_a_time(
    monkeypatch: pytest.MonkeyPatch, batch_rows: int
) -> None:
    """One service a batch, a few, or all at once: what the shipped table says."""
    from barnet_tui.domain import changes

    monkeypatch.setattr(changes, "BATCH_ROWS", batch_rows)
    written = pl.read_parquet(TABLES / "period_counts.parquet")
    assert period_counts(INDICATORS.lazy()).equals(written)
    assert written["changed"].drop_nulls().sum() > 0
