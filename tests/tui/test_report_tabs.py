"""The service screen's Key actions, Finance and Risks tabs, driven as a user drives them."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from barnet_tui.domain.storage.generations import current_tables
from barnet_tui.tui.app import BarnetApp
from barnet_tui.tui.screens.record import RecordScreen
from barnet_tui.tui.screens.service import ServiceScreen
from barnet_tui.tui.screens.summary import SummaryScreen
from barnet_tui.tui.widgets.key_hints import KeyHints
from barnet_tui.tui.widgets.row_table import RowTable
from tests.conftest import HOSTILE, controls_in, dataset_copy
from tests.tui.conftest import loaded, make_app, search_palette
from tests.tui.test_explorer import crumbs, table_column
from tests.tui.test_explorer import text_of as wrapped_text_of


def text_of(app: BarnetApp, selector: str) -> str:
    """The text as a user reads it, its lines joined where the view wrapped them."""
    return " ".join(wrapped_text_of(app, selector).split())


async def test_number_keys_switch_tabs_and_each_says_how_many_rows() -> None:
    app = make_app(service="Commissioning Group", period="2016/17 Q1")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        screen = app.screen
        assert isinstance(screen, ServiceScreen)
        line = text_of(app, "#tabs")
        assert line == "▸1 Indicators (28)◂│ 2 Key actions (33) │ 3 Finance (13) │ 4 Risks (0)"
        await pilot.press("2")
        assert screen.active_tab() == "actions"
        assert isinstance(app.focused, RowTable) and app.focused.id == "actions-rows"
        await pilot.press("4")
        detail = text_of(app, "#risks-list .report-detail")
        assert "No risks: the report gives none for Commissioning Group in this period." in detail
        line = text_of(app, "#tabs")
        assert "▸4 Risks (0)◂" in line  # the active tab marked in letters, not colour alone
        await pilot.click("#tabs", offset=(1 + line.index("Finance"), 0))  # after its padding
        await pilot.pause()
        assert screen.active_tab() == "finance"
        assert "▸3 Finance (13)◂" in text_of(app, "#tabs")
        await pilot.press("1")
        assert screen.active_tab() == "indicators"
        assert "1 Tabs 1-4" in str(screen.query_one(KeyHints).content)


async def test_a_tab_shows_the_service_opened_since_it_was_last_shown() -> None:
    """A report tab is filled when it is shown: one last shown for another service must show
    the service opened now."""
    app = make_app(service="Education and Skills", period="2017/18 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)

        def lines_of(service: str) -> list[str]:
            rows = app.session.dataset.report_rows("finance", "2017/18 Q4")
            return sorted(rows.filter(pl.col("service") == service)["line"].to_list())

        def shown() -> list[str]:  # as listed, without the ≠ of a line the report disputes
            lines = table_column(app, "#finance-rows", "line")
            return sorted(line.removeprefix("≠ ") for line in lines)

        await pilot.press("3")
        assert shown() == lines_of("Education and Skills")
        await pilot.press("escape")
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        services = summary.frame["service"].to_list()
        steps = services.index("Family Services") - services.index("Education and Skills")
        await pilot.press(*["down"] * steps, "enter")
        await loaded(pilot)
        screen = app.screen
        assert isinstance(screen, ServiceScreen) and screen.active_tab() == "indicators"
        assert "3 Finance (2)" in text_of(app, "#tabs")
        await pilot.press("3")
        assert shown() == lines_of("Family Services") != lines_of("Education and Skills")


async def test_key_actions_show_badges_and_filter_like_indicators() -> None:
    app = make_app(service="Commissioning Group", period="2016/17 Q1")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("2")
        badges = table_column(app, "#actions-rows", "rag")
        assert badges[:12] == ["GA"] * 12 and badges.count("G") == 19 and badges.count("-") == 2
        await pilot.press("b")  # not on track: the 12 Green Amber and the 2 not rated
        assert len(table_column(app, "#actions-rows", "ref")) == 14
        assert "not on track only: ON" in text_of(app, "#actions-list .report-status")
        await pilot.press("b", "f", "f", "f", "f")  # all, Red, Red Amber, Green Amber, Green
        assert set(table_column(app, "#actions-rows", "rag")) == {"G"}
        await pilot.press("f", "f")  # "-" (not rated), then all again
        await pilot.press("vertical_line", *"burnt oak", "enter")
        assert table_column(app, "#actions-rows", "ref") == ["CG07"]
        detail = text_of(app, "#actions-list .report-detail")
        assert "Priority: Responsible growth and regeneration (Opportunity)" in detail
        assert 'The "Town Centre Offer" has been published' in detail
        await pilot.press("enter")
        assert isinstance(app.screen, RecordScreen)
        assert crumbs(app) == "Corporate › Commissioning Group › CG07"
        await pilot.press("escape")
        assert isinstance(app.screen, ServiceScreen)


async def test_finance_shows_variance_in_words_and_the_reports_disagreements() -> None:
    app = make_app(service="Commissioning Group", period="2016/17 Q1")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("3")
        variances = table_column(app, "#finance-rows", "variance")
        assert variances[:2] == ["−491 under", "+84 over"]
        assert "0 on budget" in variances
        checks = text_of(app, "#finance-list .report-checks")
        assert "! 4 of the report's own figures disagree" in checks
        await pilot.press("s", "s", "s", "s")  # sorted by variance, biggest first
        assert table_column(app, "#finance-rows", "line")[0] == "Communications"
        await pilot.press("S")  # smallest first: the capital programme's underspend
        assert table_column(app, "#finance-rows", "line")[0] == "Commissioning Group"
        await pilot.press("b")  # overspent lines only
        assert all(
            value.endswith("over") for value in table_column(app, "#finance-rows", "variance")
        )
        await pilot.press("b", "f", "f")  # capital only
        assert table_column(app, "#finance-rows", "line") == ["Commissioning Group"]
        await pilot.press("f", "vertical_line", *"total", "enter")
        detail = text_of(app, "#finance-list .report-detail")
        assert "the dashboard (line 59) gives the revenue variance as 819" in detail
        assert "the text (line 63) gives the revenue variance as 819" in detail


async def test_risks_by_score_with_the_heat_map_counts() -> None:
    app = make_app(service="Family Services", period="2015/16 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("4")
        assert table_column(app, "#risks-rows", "risk_id")[:2] == ["DUFS0035", "CSOC0004"]
        grid = wrapped_text_of(app, "#heat-map").splitlines()
        likely = next(line for line in grid if "Likely" in line)
        possible = next(line for line in grid if "Possible" in line)
        assert likely.split()[2:] == ["·", "·", "5", "1", "1"]
        assert possible.split()[2:] == ["·", "·", "·", "3", "·"]
        await pilot.press("b")  # score 15 and over
        assert table_column(app, "#risks-rows", "risk_id") == ["DUFS0035", "CSOC0004"]
        detail = " ".join(text_of(app, "#risks-list .report-detail").split())
        assert (
            "Current: impact 5 Catastrophic (derived: score ÷ probability; the register "
            "prints none), probability 4, score 20 (High)"
        ) in detail
        assert "Target: impact 5, probability 1, score 5 (Medium Low)" in detail


async def test_report_text_is_shown_literally(tmp_path: Path) -> None:
    data = dataset_copy(tmp_path)
    actions = pl.read_parquet(current_tables(data) / "actions.parquet")
    actions.with_columns(
        pl.lit(HOSTILE).alias("action"), pl.lit(HOSTILE).alias("comment")
    ).write_parquet(current_tables(data) / "actions.parquet")
    app = make_app(data, service="Commissioning Group", period="2016/17 Q1")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("2")
        detail = text_of(app, "#actions-list .report-detail")
        assert "pwned" in detail
        assert not controls_in(detail)
        assert not controls_in("".join(table_column(app, "#actions-rows", "action")))


async def test_summary_gains_key_actions_and_revenue_where_the_period_has_them() -> None:
    app = make_app(period="2015/16 Q4")
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        # Family Services' 16 intentions by their overall status, as its overview counts them,
        # ≠ the 31 actions its Key actions tab lists: both numbers, and why (issue 28).
        assert table_column(app, "#services", "actions")[0] == "12·3·0·0 (1)≠"
        assert "key actions: 16 by the overview's annual status ≠ 31 listed (tab 2)" in (
            " ".join(text_of(app, "#row-detail").split())
        )
        await pilot.press("enter", "2")
        note = " ".join(text_of(app, "#actions-list .report-note").split())
        assert note == (
            "The summary's key actions are the report's overview: 16 by their overall (annual) "
            "status. This tab lists all 31 actions its tables give, each by its own status."
        )
        assert "▸2 Key actions (31)◂" in text_of(app, "#tabs")
        await pilot.press("escape")
        assert table_column(app, "#services", "revenue_variance")[0] == "+51 over"
        await pilot.press("right_square_bracket")  # 2016/17 Q1: the Commissioning Group
        assert table_column(app, "#services", "actions")[0] == "19·12·0·0 (2)"
        await pilot.press("right_square_bracket")  # 2016/17 Q3: no report tables
        columns = [column.key for column in app.screen.query_one("#services", RowTable).columns]
        assert "actions" not in columns and "revenue_variance" not in columns


async def test_the_palette_finds_key_actions_and_risks_by_id_and_words() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await search_palette(pilot, "DUFS0043")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ServiceScreen)
        assert (screen.service, screen.period, screen.active_tab()) == (
            "Family Services",
            "2015/16 Q4",
            "risks",
        )
        assert "DUFS0043 Reputational" in text_of(app, "#risks-list .report-detail")
        # A key action by words, from another service and period: the same screen, reused.
        await search_palette(pilot, "Open Data Portal")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ServiceScreen)
        assert (screen.service, screen.active_tab()) == ("Commissioning Group", "actions")
        assert text_of(app, "#actions-list .report-detail").startswith("CG33 Improving the Open")


async def test_an_empty_tab_names_its_filters_in_words_like_the_indicators() -> None:
    """Filtered to rows without a rating, a tab says "rating not rated" as the Indicators
    tab does, not the "-" of its status line."""
    app = make_app(service="Commissioning Group", period="2016/17 Q1")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("2", *"fffff")  # Red, Red Amber, Green Amber, Green, not rated
        assert len(table_column(app, "#actions-rows", "ref")) == 2
        await pilot.press("vertical_line", *"zzz", "enter")
        assert text_of(app, "#actions-list .report-detail") == (
            "None of Commissioning Group's 33 key actions match: rating not rated, words “zzz”."
        )


async def test_each_tab_keeps_its_own_filters_and_sort() -> None:
    """``b``, ``|`` and the sort keys act on the tab shown, and each tab keeps what it was
    asked when another is shown."""
    app = make_app(service="Commissioning Group", period="2016/17 Q1")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("b", "greater_than_sign")  # indicators: below target, by ref
        refs = table_column(app, "#indicators", "ref")
        assert refs == sorted(refs) and len(refs) >= 2
        await pilot.press("2", "b", "S")  # key actions: not on track, best first
        assert table_column(app, "#actions-rows", "rag")[0] == "-"
        await pilot.press("1")
        assert "below target only: ON" in text_of(app, "#filters")
        assert table_column(app, "#indicators", "ref") == refs
        await pilot.press("2")
        assert "not on track only: ON" in text_of(app, "#actions-list .report-status")
        assert len(table_column(app, "#actions-rows", "ref")) == 14
