"""Figures on one screen tell one story: the headline, the rows and the total agree, and a
list shorter than its count says why."""

from __future__ import annotations

import re

import polars as pl
import pytest
from textual.widgets import OptionList

from barnet_tui.tui.screens.period_picker import PeriodPicker
from barnet_tui.tui.screens.service import ServiceScreen
from barnet_tui.tui.widgets.heat_map import HeatMap
from barnet_tui.tui.widgets.report_list import ReportList
from tests.tui.conftest import loaded, make_app
from tests.tui.test_explorer import table_column, text_of


def _figure(pattern: str, text: str) -> int:
    found = re.search(pattern, text.replace("\n", " "))
    assert found, (pattern, text)
    return int(found.group(1))


@pytest.mark.parametrize("period", ["2015/16 Q4", "2016/17 Q1", "2016/17 Q4", "2017/18 Q4"])
async def test_the_headline_the_total_and_the_service_rows_agree(period: str) -> None:
    app = make_app(period=period)
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        headline = text_of(app, "#headline")
        reported = table_column(app, "#services", "reported")
        green = table_column(app, "#services", "green")
        below = table_column(app, "#services", "pct_below_target")
        services = table_column(app, "#services", "service")
        total = services.index("All services")
        # The total counts at least every service above it, and the headline is the total.
        assert int(reported[total]) >= max(int(value) for value in reported[:total])
        assert _figure(r"(\d+) reported", headline) == int(reported[total])
        on_target = _figure(r"(\d+)% on/above target", headline)
        assert on_target + int(below[total].rstrip("% ")) == 100
        rows = [i for i in range(total) if "(committee)" not in services[i]]
        assert int(green[total]) == sum(int(green[i]) for i in rows)
        assert re.search(r"\((the report's counts|counted from|sum of the services)", headline)


async def test_a_period_with_the_report_counts_of_one_service_rates_what_it_rates() -> None:
    app = make_app(period="2016/17 Q1")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        headline = text_of(app, "#headline").replace("\n", " ")
        assert "36 reported · 26 rated · 50% on/above target" in headline
        assert "0 rated" not in headline


@pytest.mark.parametrize(
    ("service", "period", "note"),
    [
        (
            "Adults and Communities",
            "2016/17 Q4",
            "The report counts 29 but details only the 8 below target. The report counts G 15 GA "
            "3 RA 1 R 4; the 8 rows it details: G 0 GA 3 RA 1 R 4.",
        ),
        (
            "Commissioning Group",
            "2016/17 Q1",
            # Its header's "G 13 GA 8 RA 2 R 3" above 28 rows that all read "-" (issue 28).
            "The report counts 36 but details 28: the other 8 are not in its tables. The report "
            "counts G 13 GA 8 RA 2 R 3; the 28 rows it details print no rating.",
        ),
    ],
)
async def test_a_service_listing_fewer_rows_than_it_counts_says_why(
    service: str, period: str, note: str
) -> None:
    app = make_app(service=service, period=period)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert isinstance(app.screen, ServiceScreen)
        assert " ".join(text_of(app, "#fewer-rows").split()) == note
        assert app.screen.query_one("#fewer-rows").display


async def test_a_service_listing_every_row_it_counts_says_nothing_more() -> None:
    app = make_app(service="Family Services", period="2017/18 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert not app.screen.query_one("#fewer-rows").display


async def test_a_figure_the_report_disputes_is_marked_wherever_it_appears() -> None:
    """Commissioning Group 2016/17 Q1: its Finance table's Total says 0 over, its dashboard
    and text say 819 over."""
    app = make_app(period="2016/17 Q1")
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        services = table_column(app, "#services", "service")
        revenue = dict(
            zip(services, table_column(app, "#services", "revenue_variance"), strict=True)
        )
        actions = dict(zip(services, table_column(app, "#services", "actions"), strict=True))
        assert revenue["Commissioning Group"].strip() == "0 on budget≠"
        assert "≠" not in actions["Commissioning Group"]  # its action counts agree
        assert "≠: the report gives it another way too" in text_of(app, "#legend")
        await pilot.press("enter", "3")
        lines = table_column(app, "#finance-rows", "line")
        marked = [line for line in lines if "≠" in line]
        assert marked == ["≠ Total"]
        assert "(rows marked ≠)" in text_of(app, "#finance-list .report-checks")


async def test_an_undisputed_figure_has_no_mark() -> None:
    app = make_app(period="2017/18 Q4")  # its disagreement is about capital slippage
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        revenue = table_column(app, "#services", "revenue_variance")
        assert not any("≠" in value for value in revenue)


async def test_a_derived_impact_says_it_is_derived() -> None:
    """DUFS0035's register prints no impact; the heat map places it by score ÷ probability
    (20 / 4: Catastrophic), and its detail says that is derived, not printed."""
    app = make_app(service="Family Services", period="2015/16 Q4")
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("4")
        risks = app.screen.query_one("#risks-list", ReportList)
        row = risks.model.rows.filter(pl.col("risk_id") == "DUFS0035").row(0, named=True)
        assert row["impact"] is None
        risks.move_to(row["source"], row["source_line"])
        await pilot.pause()
        detail = " ".join(text_of(app, "#risks-list .report-detail").split())
        assert "impact 5 Catastrophic (derived: score ÷ probability; the register prints none)" in (
            detail
        )
        assert "impact ?" not in detail
        map_text = risks.query_one(HeatMap).content
        derived = risks.model.rows.filter(
            pl.col("impact").is_null() & (pl.col("score") % pl.col("probability") == 0)
        )
        assert f"{derived.height} impacts derived (score ÷ probability)" in getattr(
            map_text, "plain", ""
        )


@pytest.mark.parametrize(
    ("ref", "period", "said"),
    [
        ("FS/C18", "2017/18 Q4", "10.6% (2016/17); the 2016/17 Q4 report gave 10.4%"),
        ("FS/S11", "2016/17 Q4", "10% (2015/16); the 2015/16 Q4 report gave 9.7% (rounded here)"),
    ],
)
async def test_a_compared_with_figure_the_earlier_report_gave_otherwise_says_both(
    ref: str, period: str, said: str
) -> None:
    """The history beneath shows the earlier report's result: the comparison says it too."""
    app = make_app(period=period, indicator=ref)
    async with app.run_test(size=(100, 40)) as pilot:
        await loaded(pilot)
        body = " ".join(text_of(app, "#indicator-body").split())
        assert f"Compared with {said}" in body


async def test_the_period_picker_says_what_each_period_holds_and_which_is_latest() -> None:
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("p")
        assert isinstance(app.screen, PeriodPicker)
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        # What each period holds, and which one "latest" is (issue 28).
        assert labels == [
            "2015/16 Q4\n  1 report · 1 service · 18 indicators (9 rated; the report counts "
            "30) · 31 key actions · 14 budget lines · 10 risks",
            "2016/17 Q1\n  1 report · 1 service · 28 indicators (0 rated; the report counts "
            "36) · 33 key actions · 13 budget lines · no risks",
            "2016/17 Q3\n  1 report · 9 services · 63 indicators (0 rated) · no key actions, "
            "finance, risks",
            "2016/17 Q4  (latest, council-wide, on screen)\n  1 report · 13 services · 73 "
            "indicators (49 rated; the report counts 367) · no key actions, finance, risks",
            "2017/18 Q4  (newest, not council-wide)\n  1 report · 2 services · 47 indicators "
            "(35 rated) · 4 budget lines · 2 risks · no key actions",
        ]
