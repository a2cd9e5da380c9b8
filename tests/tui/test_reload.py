"""A refresh while the explorer is open: it offers the newer data, and shows it in place."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from barnet_tui.domain.contract import TABLES
from barnet_tui.domain.storage.generations import current_tables, read_manifest
from barnet_tui.ingest.writers import folder as output
from barnet_tui.tui.screens.indicator import IndicatorScreen
from barnet_tui.tui.screens.service import ServiceScreen
from barnet_tui.tui.screens.summary import SummaryScreen
from tests.conftest import dataset_copy
from tests.tui.conftest import loaded, make_app
from tests.tui.test_explorer import crumbs, text_of

NEW_COMMENT = "Placements fell after the quarter closed."


def refresh(data: Path) -> None:
    """Another ingest into ``data``, as a colleague's would be: FS/S11 has a new comment."""
    tables = {table: pl.read_parquet(current_tables(data) / f"{table}.parquet") for table in TABLES}
    tables["indicators"] = tables["indicators"].with_columns(
        comment=pl.when(pl.col("ref") == "FS/S11")
        .then(pl.lit(NEW_COMMENT))
        .otherwise(pl.col("comment"))
    )
    manifest = read_manifest(data) or {}
    kept = {key: value for key, value in manifest.items() if key not in ("generation", "files")}
    output.write_dataset(data, tables, kept, {})


def messages(app: object) -> list[str]:
    return [note.message for note in app._notifications]  # type: ignore[attr-defined]


async def test_a_newer_dataset_is_offered_then_shown_where_the_user_is(tmp_path: Path) -> None:
    data = dataset_copy(tmp_path)
    app = make_app(data, indicator="FS/S11")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert crumbs(app) == "Corporate › Family Services › FS/S11"
        await pilot.press("n", "N")  # the place: FS/S11, reached by stepping through the list
        app.look_for_newer()
        await pilot.pause()
        assert not any("newer" in message for message in messages(app))
        refresh(data)
        app.look_for_newer()
        app.look_for_newer()  # offered once, however often it looks
        await pilot.pause()
        offers = [message for message in messages(app) if "newer dataset was written" in message]
        assert len(offers) == 1 and offers[0].endswith(
            "Press r to show it; you stay where you are."
        )
        assert NEW_COMMENT not in text_of(app, "#indicator-body")  # until the user says so
        await pilot.press("r")
        await loaded(pilot)
        assert isinstance(app.screen, IndicatorScreen)
        assert crumbs(app) == "Corporate › Family Services › FS/S11"
        assert NEW_COMMENT in text_of(app, "#indicator-body")
        assert "Showing the newer dataset." in messages(app)
        await pilot.press("escape")
        assert isinstance(app.screen, ServiceScreen)
        assert app.screen.selected_row()["ref"] == "FS/S11"  # the list's cursor kept too
        assert NEW_COMMENT in text_of(app, "#comment")
        await pilot.press("escape")
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.period == "2016/17 Q4"
        await pilot.press("r")
        await pilot.pause()
        assert messages(app)[-1] == "The data on screen is the latest."


async def test_the_service_list_keeps_its_filters_through_a_reload(tmp_path: Path) -> None:
    data = dataset_copy(tmp_path)
    app = make_app(data, service="Family Services")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("b", "vertical_line", *"placements", "enter")
        before = text_of(app, "#filters")
        assert "below target only: ON" in before
        refresh(data)
        app.look_for_newer()
        await pilot.press("r")
        await loaded(pilot)
        assert isinstance(app.screen, ServiceScreen)
        assert text_of(app, "#filters") == before
