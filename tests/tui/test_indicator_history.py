"""The indicator screen's history: the previous result the screen quotes is a period of it."""

from __future__ import annotations

from barnet_tui.tui.screens.indicator import IndicatorScreen
from tests.tui.conftest import loaded, make_app
from tests.tui.test_explorer import text_of


async def test_the_quoted_previous_result_is_in_the_history_with_its_source() -> None:
    app = make_app(indicator="AC/C12", period="2016/17 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert isinstance(app.screen, IndicatorScreen)
        body = text_of(app, "#indicator-body")
        lines = [" ".join(line.split()) for line in body.splitlines()]
        assert any(line.startswith("Compared with 7.5 (2015/16)") for line in lines)
        assert "History: 2 periods, below" in body
        printed = next(line for line in lines if line.startswith("2015/16 "))
        assert printed.startswith("2015/16 previous 7.5 – service-performance-eoy")
        assert "previous: the previous result a report prints beside its own" in body
        assert any(line.startswith("2016/17 Q4 R 9.9 7.35") for line in lines)
        assert "Worsening: 7.5 in 2015/16 to 9.9 in 2016/17 Q4" in " ".join(lines)
        assert "Not enough results" not in body
