"""An indicator table read by what its header says: its columns in any order, or its rating
in a column of its own, give the rows of the original, every figure, no new warning."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from barnet_tui.ingest.pipeline import IngestResult, ingest
from tests.conftest import DATA, report_paths
from tests.ingest.table_variants import (
    permuted,
    rating_column,
    risks_permuted,
    tables_permuted,
    write_counts_variant,
    write_text_variant,
    write_variant,
)

CORRECTIONS = DATA / "corrections.csv"


@cache
def original() -> IngestResult:
    return ingest(report_paths(), CORRECTIONS)


def _reads_as_the_original(folder: Path, counts: dict[str, int]) -> None:
    assert all(counts.values()), f"some report had no indicator table changed: {counts}"
    result = ingest(sorted(folder.glob("*.txt")), CORRECTIONS)
    for table, frame in original().tables.items():
        assert result.tables[table].equals(frame), f"{table} differs"
    assert [str(w) for w in result.warnings] == [str(w) for w in original().warnings]


@settings(max_examples=8)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_columns_in_any_order_give_the_same_rows(seed: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        counts = write_variant(permuted, seed, Path(folder))
        _reads_as_the_original(Path(folder), counts)


@settings(max_examples=8)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_the_rating_in_its_own_column_gives_the_same_rows(seed: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        counts = write_variant(rating_column, seed, Path(folder))
        _reads_as_the_original(Path(folder), counts)


def test_a_permuted_header_moves_its_data_with_it() -> None:
    table = [
        ["Ref", "Indicator", "2016/17 Target", "2016/17 Result"],
        ["CPI", "CG/S22", "Council Tax collection", "98.5%", "98.4% (R)"],
    ]
    header, row = permuted(table, "0", None)
    assert row[0] == "CPI"
    assert dict(zip(header, row[1:], strict=True)) == {
        "Ref": "CG/S22", "Indicator": "Council Tax collection",
        "2016/17 Target": "98.5%", "2016/17 Result": "98.4% (R)",
    }  # fmt: skip
    header, row = rating_column(table, "0", None)
    rated = dict(zip(header, row[1:], strict=True))
    assert rated["2016/17 Result"] == "98.4%"
    assert {rated[label] for label in header if label.startswith(("RAG", "Rat", "Sta"))} & {
        "R", "Red"
    }  # fmt: skip


@settings(max_examples=8)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_count_columns_in_any_order_give_the_same_counts(seed: int) -> None:
    """Count tables and dashboards: every count, and every check against the rows, alike."""
    with tempfile.TemporaryDirectory() as folder:
        counts = write_counts_variant(seed, Path(folder))
        assert sum(counts.values()) >= 10, counts
        _reads_as_the_original(Path(folder), {"tables": sum(counts.values())})


@settings(max_examples=5)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_action_and_finance_columns_in_any_order_give_the_same_rows(seed: int) -> None:
    """Key action and finance tables whose headers name every column."""
    with tempfile.TemporaryDirectory() as folder:
        counts = write_text_variant(tables_permuted, seed, Path(folder))
        assert sum(counts.values()) >= 20, counts
        _reads_as_the_original(Path(folder), {"tables": sum(counts.values())})


@settings(max_examples=8)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_risk_columns_in_any_order_give_the_same_rows(seed: int) -> None:
    """Risk registers: columns moved, headers over two lines with words cut, a column's
    label lost in all printings of the register but one."""
    with tempfile.TemporaryDirectory() as folder:
        counts = write_text_variant(risks_permuted, seed, Path(folder))
        assert sum(counts.values()) >= 4, counts
        _reads_as_the_original(Path(folder), {"tables": sum(counts.values())})
