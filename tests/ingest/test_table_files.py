"""A table written a row group at a time is the table written whole."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from barnet_tui.domain.spreadsheet_text import inert_frame
from barnet_tui.ingest.writers.table_files import ROW_GROUP, Ordered, slices, write_table

ROWS = ROW_GROUP * 2 + 7


def _table() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "ref": [f"R{number % 13}" if number % 5 else None for number in range(ROWS)],
            "comment": ["=HYPERLINK(1)" if number % 7 == 0 else "ok" for number in range(ROWS)],
            "value": [number * 0.5 for number in range(ROWS)],
        }
    )


def test_a_table_in_another_order_is_written_as_its_rows_in_that_order(tmp_path: Path) -> None:
    table = _table()
    order = table.select(pl.arg_sort_by("ref", maintain_order=True)).to_series()
    write_table(Ordered(table, order), tmp_path, "by_ref", csv=True)
    expected = table.sort("ref", maintain_order=True)
    assert pl.read_parquet(tmp_path / "by_ref.parquet").equals(expected)
    assert (tmp_path / "by_ref.csv").read_bytes() == inert_frame(expected).write_csv().encode()


def test_a_csv_copy_longer_than_a_row_group_is_the_whole_tables(tmp_path: Path) -> None:
    table = _table()
    write_table(table, tmp_path, "rows", csv=True)
    assert (tmp_path / "rows.csv").read_bytes() == inert_frame(table).write_csv().encode()
    text = (tmp_path / "rows.csv").read_text()
    assert ",'=HYPERLINK(1)," in text and ",=HYPERLINK" not in text  # inert in every slice


def test_an_empty_table_is_one_empty_slice_and_a_header(tmp_path: Path) -> None:
    empty = _table().clear()
    assert [part.height for part in slices(empty)] == [0]
    write_table(empty, tmp_path, "none", csv=True)
    assert (tmp_path / "none.csv").read_text() == "ref,comment,value\n"
