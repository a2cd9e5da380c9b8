"""The explorer names the page a row from a PDF is printed on."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from barnet_tui.cli.main import main
from barnet_tui.domain.storage.generations import current_tables
from tests.tui.conftest import loaded, make_app
from tests.tui.test_explorer import text_of


async def test_an_indicator_from_a_pdf_names_its_page(
    report_pdfs: dict[str, dict[str, Path]], tmp_path: Path
) -> None:
    pdf = report_pdfs["landscape"]["family-services-q4-2015-16"]
    data = tmp_path / "data"
    assert main(["ingest", str(pdf), "--out", str(data), "--no-corrections"]) == 0
    rows = pl.read_parquet(current_tables(data) / "indicators.parquet")
    row = rows.filter(pl.col("ref") == "FS/S11").row(0, named=True)
    assert row["source_page"] is not None
    app = make_app(data=data, indicator="FS/S11")
    async with app.run_test(size=(100, 40)) as pilot:
        await loaded(pilot)
        details = text_of(app, "#indicator-body")
        expected = f"page {row['source_page']}, line {row['page_line']}"
        assert f"Source: family-services-q4-2015-16.pdf, {expected}" in details
        assert f"line {row['source_line']}" not in details
