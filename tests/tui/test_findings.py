"""The changes (c) and RAG rule audit (a) screens, driven as a user drives them."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from barnet_tui.domain.generations import current_tables
from barnet_tui.tui.screens.audit import AuditScreen
from barnet_tui.tui.screens.changes import ChangesScreen
from barnet_tui.tui.screens.indicator import IndicatorScreen
from tests.conftest import HOSTILE, controls_in, dataset_copy, set_for_ref
from tests.tui.conftest import loaded, make_app, search_palette
from tests.tui.test_explorer import crumbs, table_column, text_of


def joined(app: object, selector: str) -> str:
    return " ".join(text_of(app, selector).split())  # type: ignore[arg-type]


async def test_c_lists_what_changed_and_opens_the_indicator_with_its_history() -> None:
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        # The summary's small count: changes since each service's report before.
        changed = dict(zip(table_column(app, "#services", "service"),
                           table_column(app, "#services", "changed"), strict=True))  # fmt: skip
        # Its 8 rows in the changes list are 7 new and 1 dropped, and the one indicator in
        # both has no rating in 2016/17 Q3: nothing could be compared, which is not "0".
        assert changed["Family Services"].strip() == "–"
        assert changed["Public Health"].strip() == "–"  # no report before to compare with
        await pilot.press("c")
        assert isinstance(app.screen, ChangesScreen)
        assert crumbs(app) == "Corporate › Changes"
        # The addendum and the year end share no indicator: that is said, not "0 worse".
        assert joined(app, "#headline").endswith(
            "· 0 indicators compared: no changes · not comparable: 10 without a rating or "
            "direction in both, 44 new, 44 dropped"
        )
        assert len(table_column(app, "#findings", "ref")) == 88
        await pilot.press("b")  # nothing got worse between the addendum and the year end
        assert table_column(app, "#findings", "ref") == []
        assert joined(app, "#finding") == ("No worse changes in 2016/17 Q4 (b shows all 88).")
        assert "Showing worse changes" in joined(app, "#legend")
        await pilot.press("b", "down")
        assert "AC/C12" in joined(app, "#finding")
        await pilot.press("enter")
        assert isinstance(app.screen, IndicatorScreen)
        assert crumbs(app) == "Corporate › Adults and Communities › AC/C12"
        await pilot.press("escape")
        assert isinstance(app.screen, ChangesScreen)


async def test_changes_sort_by_any_column_and_say_what_was_compared() -> None:
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("c")
        assert "9 services compared (2016/17 Q3 → 2016/17 Q4)" in joined(app, "#legend")
        family = [
            ref for service, ref in zip(
                table_column(app, "#findings", "service"),
                table_column(app, "#findings", "ref"), strict=True,
            ) if service == "Family Services"
        ]  # fmt: skip
        assert len(family) == 8
        await pilot.press("s")  # by change, A to Z: "dropped" before "new"
        changes = [change.split(" ", 1)[1] for change in table_column(app, "#findings", "change")]
        assert changes == sorted(changes) and changes[0] == "dropped"


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


async def test_an_empty_changes_list_says_what_it_is_empty_of() -> None:
    app = make_app(period="2016/17 Q1")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("c")
        assert isinstance(app.screen, ChangesScreen)
        assert table_column(app, "#findings", "ref") == []
        assert joined(app, "#finding") == (
            "No changes: no service in 2016/17 Q1 has a report before it to compare with."
        )
        assert "Nothing compared: no service has an earlier report" in joined(app, "#headline")
