"""The explorer on a dataset another tool wrote: its first open paints the summary from
the rows and builds the tables for speed in a process of its own; the next open reads
them."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from barnet_tui.domain.derived import STAMP, fingerprint
from barnet_tui.tui.screens.summary import SummaryScreen
from tests.other_tool import write_other_tool_dataset
from tests.tui.conftest import loaded, make_app


async def test_the_first_open_builds_them_and_the_next_reads_them(tmp_path: Path) -> None:
    data = write_other_tool_dataset(tmp_path / "export")
    shown = []
    for _open in range(2):
        app = make_app(data)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            assert isinstance(app.screen, SummaryScreen)
            assert app.dataset is not None
            shown.append((app.dataset.counts is not None, app.screen.frame))
        if app.speed_builder is not None:  # started by the first open, and let finish
            assert app.speed_builder.wait(timeout=120) == 0
        built = pl.read_parquet_metadata(data / "period_counts.parquet")
        assert built[STAMP] == fingerprint(data / "indicators.parquet")
        assert (data / "current_indicators.parquet").is_file()
    (first_counted, first), (second_counted, second) = shown
    assert not first_counted and second_counted
    assert first.equals(second)  # the same summary, from the rows and from the counts
