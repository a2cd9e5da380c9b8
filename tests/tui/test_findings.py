"""The changes (c) and RAG rule audit (a) screens, driven as a user drives them."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from barnet_tui.domain.storage.generations import current_tables
from barnet_tui.tui.screens.audit import AuditScreen
from barnet_tui.tui.screens.changes import ChangesScreen
from barnet_tui.tui.screens.indicator import IndicatorScreen
from tests.conftest import HOSTILE, controls_in, dataset_copy, set_for_ref
from tests.tui.conftest import loaded, make_app, search_palette
from tests.tui.test_explorer import crumbs, table_column, text_of


def joined(app: object, selector: str) -> str:
    return " ".join(text_of(app, selector).split())  # type: ignore[arg-type]


async def test_c_lists_what_changed_and_opens_the_indicator_with_its_history() -> None:
    """Each indicator against its own latest earlier figure, not each service's report
    before (the addendum, which rates nothing): "no worse changes" after comparing nothing
    was the false all-clear of issue 28."""
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        # The summary's small count is the changes list's, service by service.
        changed = dict(zip(table_column(app, "#services", "service"),
                           table_column(app, "#services", "changed"), strict=True))  # fmt: skip
        assert changed["Registrar Service"].strip() == "6"
        assert changed["Barnet Homes"].strip() == "–"  # nothing it gives can be compared
        await pilot.press("c")
        assert isinstance(app.screen, ChangesScreen)
        assert crumbs(app) == "Corporate › Changes"
        assert joined(app, "#headline").startswith(
            "2016/17 Q4 · each indicator against its latest earlier figure · 42 indicators "
            "compared (8 with an earlier report, 34 with the previous result their report "
            "prints): 1 newly below target · 2 direction flipped · 25 worse vs previous · 9 "
            "better vs previous (37 changes, 27 worse)"
        )
        rows = list(zip(table_column(app, "#findings", "service"),
                        table_column(app, "#findings", "change"), strict=True))  # fmt: skip
        registrar = [
            change for service, change in rows
            if service.strip().startswith("Registrar") and "new" not in change
            and "dropped" not in change
        ]  # fmt: skip
        assert len(registrar) == 6
        # Both sources are named: the summary's Imp/Wor against the dataset's comparison.
        assert "the summary's Imp/Wor are the reports' own counts" in joined(app, "#legend")
        await pilot.press("b")
        marks = [change.split()[0] for change in table_column(app, "#findings", "change")]
        assert len(marks) == 27 and set(marks) == {"▼"}
        assert "Showing worse changes" in joined(app, "#legend")
        finding = joined(app, "#finding")
        assert finding.startswith("AC/C12") and (
            "worse vs previous, against the previous result the 2016/17 Q4 report prints "
            "(2015/16), by its direction of travel: 9.9 from 7.5" in finding
        )
        await pilot.press("enter")
        assert isinstance(app.screen, IndicatorScreen)
        assert crumbs(app) == "Corporate › Adults and Communities › AC/C12"
        await pilot.press("escape")
        assert isinstance(app.screen, ChangesScreen)


async def test_b_with_nothing_compared_says_so_never_no_worse_changes() -> None:
    """2016/17 Q1: the Commissioning Group's first report rates nothing and the previous
    results it prints come with directions; 2017/18 Q4 has figures. A period where nothing
    could be compared says that, not "No worse changes"."""
    app = make_app(period="2016/17 Q3")
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("c", "b")
        assert table_column(app, "#findings", "ref") == []
        finding = joined(app, "#finding")
        assert finding.startswith("Nothing could be compared in 2016/17 Q3: 0 indicators compared")
        assert "No worse changes" not in finding


async def test_changes_sort_by_any_column_and_say_what_was_compared() -> None:
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("c")
        await pilot.press("s")  # by change, A to Z: "better vs previous" first
        changes = [change.split(" ", 1)[1] for change in table_column(app, "#findings", "change")]
        assert changes == sorted(changes) and changes[0] == "better vs previous"


async def test_a_shows_the_audit_with_disagreements_first_and_the_working() -> None:
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, AuditScreen)
        # 6 disagree by the rule, 8 more (Green Amber far off target) by a plain comparison.
        assert "The rule agrees with 17 of 31 published ratings it can check (55%)." in joined(
            app, "#headline"
        )
        marks = [mark.strip() for mark in table_column(app, "#findings", "agrees")]
        assert marks[:14] == ["✗"] * 14 and marks[14] == "✓"
        await pilot.press("b")
        assert len(table_column(app, "#findings", "ref")) == 14
        await pilot.press(*["down"] * 12)
        finding = joined(app, "#finding")
        assert "SS/C1" in finding and "report: Red Amber · rule: Green" in finding
        assert "Green: target met (result 154.06 against target 162.49)" in finding
        await pilot.press("enter")
        assert isinstance(app.screen, IndicatorScreen)
        body = joined(app, "#indicator-body")
        assert (
            "RAG rule ✗ Green: target met (result 154.06 against target 162.49). "
            "The report says Red Amber." in body
        )


async def test_the_palette_opens_both_views() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await search_palette(pilot, "RAG rule audit")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AuditScreen)


async def test_report_text_in_findings_is_inert(tmp_path: Path) -> None:
    data = dataset_copy(
        tmp_path, set_for_ref("indicator", "SS/C1", f"[bold]Waste[/bold] {HOSTILE}")
    )
    app = make_app(data, period="2016/17 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("a", "b", *["down"] * 12)  # SS/C1, 13th of the disagreements
        finding = text_of(app, "#finding")
        assert "[bold]Waste[/bold]" in finding  # markup shown as typed
        assert not controls_in(finding)
        assert pl.read_parquet(current_tables(data) / "indicators.parquet").height == 229


async def test_a_first_report_is_compared_with_the_previous_results_it_prints() -> None:
    """The Commissioning Group's 2016/17 Q1 report is its first: its indicators are compared
    with the previous results it prints, by its own direction of travel, and say so."""
    app = make_app(period="2016/17 Q1")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("c")
        assert isinstance(app.screen, ChangesScreen)
        assert "22 indicators compared (22 with the previous result their report prints): " + (
            "10 worse vs previous · 10 better vs previous (20 changes, 10 worse)"
        ) in joined(app, "#headline")
        assert len(table_column(app, "#findings", "ref")) == 24  # and 4 new
