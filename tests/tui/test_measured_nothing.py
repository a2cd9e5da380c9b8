"""Every empty list says what it judged, and every count traces to rows (issue 28)."""

from __future__ import annotations

from barnet_tui.tui.screens.audit import AuditScreen
from barnet_tui.tui.screens.service import ServiceScreen
from tests.tui.conftest import loaded, make_app
from tests.tui.test_explorer import table_column, text_of


def words(app: object, selector: str) -> str:
    return " ".join(text_of(app, selector).split())  # type: ignore[arg-type]


async def test_the_audits_b_with_nothing_checked_is_not_an_agreement() -> None:
    app = make_app(period="2016/17 Q1")  # the Commissioning Group's report rates nothing
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, AuditScreen)
        await pilot.press("b")
        assert table_column(app, "#findings", "ref") == []
        assert words(app, "#finding") == (
            "Nothing to disagree with in 2016/17 Q1: of its 28 rows, none has a published "
            "rating with the figures the rule needs (b shows all)."
        )


async def test_the_audits_b_with_every_check_agreeing_says_how_many() -> None:
    app = make_app(period="2015/16 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("a", "b")  # its 9 published ratings the rule can check all agree
        assert table_column(app, "#findings", "ref") == []
        assert words(app, "#finding") == (
            "No disagreements in 2015/16 Q4: the rule agrees with all 9 published ratings it "
            "can check (b shows all 18 rows)."
        )


async def test_an_empty_tab_or_filtered_list_says_what_it_judged() -> None:
    app = make_app(service="Commissioning Group", period="2016/17 Q1")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert isinstance(app.screen, ServiceScreen)
        await pilot.press("f")  # rating R: its rows print none
        assert table_column(app, "#indicators", "ref") == []
        assert words(app, "#comment") == (
            "None of Commissioning Group's 28 indicators match: rating Red."
        )
        await pilot.press("2", "b", "f", "f", "f", "f")  # not on track, and Green
        assert table_column(app, "#actions-rows", "ref") == []
        assert words(app, "#actions-list .report-detail") == (
            "None of Commissioning Group's 33 key actions match: not on track only, rating Green."
        )
        await pilot.press("4")
        assert words(app, "#risks-list .report-detail") == (
            "No risks: the report gives none for Commissioning Group in this period."
        )


async def test_the_summarys_counts_say_they_are_the_reports_beside_its_rows() -> None:
    """ "26 rated · G 13 GA 8 RA 2 R 3" above 28 rows that all read "-": the count says it
    is the report's, and what the rows it details rate."""
    app = make_app(period="2016/17 Q1")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert words(app, "#row-detail") == (
            "Commissioning Group · 36 reported · 26 rated · 50% below target · report's counts "
            "G 13 GA 8 RA 2 R 3; its 28 rows print no rating"
        )
        await pilot.press("enter")
        assert set(table_column(app, "#indicators", "rag")) <= {"-", " -", "- "} or all(
            cell.strip() == "-" for cell in table_column(app, "#indicators", "rag")
        )
