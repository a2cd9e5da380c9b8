"""A palette hit opens what it names: the indicator in the period its hit says."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import OptionList

from barnet_tui.tui.screens.indicator import IndicatorScreen
from tests.tui.conftest import loaded, make_app
from tests.tui.test_explorer import crumbs, text_of


async def test_a_hit_naming_the_latest_period_opens_that_period() -> None:
    app = make_app(period="2016/17 Q4")  # FS/S11 is in this period too
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p", *"FS/S11")
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        options = palette.query_one(OptionList)
        while not options.option_count or "FS/S11" not in str(
            options.get_option_at_index(0).prompt
        ):
            await pilot.pause()
        assert "latest 2017/18 Q4" in str(options.get_option_at_index(0).prompt)
        await pilot.press("enter")
        while not isinstance(app.screen, IndicatorScreen):
            await pilot.pause()
        await pilot.pause()
        assert crumbs(app) == "Corporate › Family Services › FS/S11"
        assert app.screen.row["period"] == "2017/18 Q4"
        assert "2017/18 Q4 · " in text_of(app, "#indicator-body")
