"""Room at 80x24: nothing that decides meaning is cut. Names cut in a list are whole on the
cursor row's detail line, an empty column gives its width away, the indicator's history is
named at the top with a key to it, and a tab's warnings expand."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text
from textual.widgets import Static

from barnet_tui.tui.app import BarnetApp
from barnet_tui.tui.screens.indicator import IndicatorScreen
from barnet_tui.tui.widgets.row_table import RowTable
from barnet_tui.tui.widgets.text_view import TextView
from tests.tui.conftest import loaded, make_app
from tests.tui.test_explorer import text_of

SIZE = (80, 24)


def shown_cells(app: BarnetApp, selector: str, column: str) -> list[str]:
    """What a column shows on screen, cut as drawn (not the whole text it holds)."""
    table = app.screen.query_one(selector, RowTable)
    index = table.column_index(column)
    start = sum(table.widths[:index])
    lines = [table.render_line(y).text for y in range(1, table.size.height)]
    return [line[start : start + table.widths[index]].strip() for line in lines if line.strip()]


async def test_a_cut_service_name_is_whole_on_the_detail_line() -> None:
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("j", "j")
        assert "Commissioning …" in shown_cells(app, "#services", "service")
        assert text_of(app, "#row-detail").startswith("Commissioning Group · 42 reported")


async def test_indicators_whose_cut_names_match_can_be_told_apart() -> None:
    app = make_app(period="2016/17 Q1", service="Commissioning Group")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        names = shown_cells(app, "#indicators", "indicator")
        assert names[0] == names[1]  # both "Percentage of residents who…" in the list
        first = text_of(app, "#comment")
        await pilot.press("j")
        second = text_of(app, "#comment")
        assert first.splitlines()[0] != second.splitlines()[0]
        assert "concerned about litter/ dirt in" in first.replace("\n", " ")


async def test_an_empty_column_gives_its_width_to_the_names() -> None:
    app = make_app(period="2016/17 Q1", service="Commissioning Group")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        table = app.screen.query_one("#indicators", RowTable)
        assert set(table.cells("indicator_type")) == {""}  # the report gives no types
        type_width = table.columns[table.column_index("indicator_type")].width
        indicator = table.column_index("indicator")
        assert table.widths[table.column_index("indicator_type")] == 0
        assert table.widths[indicator] == table.columns[indicator].width + type_width
        assert "Type" not in table.render_line(0).text


async def test_the_history_is_named_at_the_top_and_h_goes_to_it() -> None:
    app = make_app(indicator="FS/S11")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert isinstance(app.screen, IndicatorScreen)
        body = app.screen.query_one("#indicator-body", TextView)
        top = [body.render_line(y).text.strip() for y in range(body.size.height)]
        assert "History" not in top  # below the fold at 80x24
        assert any("History: 4 periods, below · h" in line for line in top)  # 2014/15 printed
        await pilot.press("h")
        shown = [body.render_line(y).text.strip() for y in range(body.size.height)]
        assert "History" in shown
        assert any(line.startswith("2017/18 Q4  R") for line in shown)  # its last period


async def test_a_tabs_warnings_expand() -> None:
    app = make_app(period="2016/17 Q1", service="Commissioning Group")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("3")
        checks = text_of(app, "#finance-list .report-checks")
        assert "4 of the report's own figures disagree (rows marked ≠) · w shows all 4" in checks
        assert "more:" not in checks
        await pilot.press("w")
        checks = text_of(app, "#finance-list .report-checks")
        assert checks.count("\n• ") == 4
        assert "the text (line 63) gives the revenue variance as 819" in checks


async def test_the_summarys_legend_wraps_rather_than_lose_its_end() -> None:
    app = make_app(period="2016/17 Q1")  # key actions and revenue: the longest legend
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        legend = app.screen.query_one("#legend", Static)
        assert isinstance(legend.content, Text)
        console = Console(width=legend.content_region.width, file=io.StringIO())
        needed = len(legend.content.wrap(console, legend.content_region.width))
        assert "count ≠ its rows" in legend.content.plain
        assert legend.content_region.height >= needed > 1


async def test_the_audits_finding_shows_its_whole_working() -> None:
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("a", "j")  # CG/C17: its working takes two lines at 80 columns
        finding = app.screen.query_one("#finding", Static)
        assert isinstance(finding.content, Text)
        width = finding.content_region.width
        needed = len(finding.content.wrap(Console(width=width, file=io.StringIO()), width))
        assert finding.content_region.height >= needed >= 4


async def test_a_filter_box_above_a_list_leaves_the_list_its_last_column() -> None:
    """A box with side margins narrowed the list beside it in Textual's layout, so the last
    column (Type, a tab's Due) was cut while a filter was open."""
    app = make_app(service="Family Services", period="2016/17 Q4")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        table = app.screen.query_one("#indicators", RowTable)
        assert table.render_line(0).text.rstrip().endswith("Type")
        await pilot.press("vertical_line", *"ado")
        assert shown_cells(app, "#indicators", "ref") == ["FS/C28", "FS/S11", "FS/S5"]
        assert table.render_line(0).text.rstrip().endswith("Type")
        assert "CPI" in shown_cells(app, "#indicators", "indicator_type")
        await pilot.press("escape", "2", "vertical_line", "x")
        actions = app.screen.query_one("#actions-rows", RowTable)
        assert actions.render_line(0).text.rstrip().endswith("Due")
        await pilot.press("escape", "slash", "x")  # the search box, over any list
        assert actions.render_line(0).text.rstrip().endswith("Due")
