"""The explorer, driven as a user drives it: what is on screen after each key."""

from __future__ import annotations

import io
import re
from pathlib import Path

import polars as pl
import pytest
from rich.console import Console
from rich.text import Text
from textual.notifications import Notification, Notifications
from textual.widgets import DataTable, Input, Static

from barnet_tui.domain.storage.generations import current_tables
from barnet_tui.tui.app import BarnetApp
from barnet_tui.tui.screens.error import ErrorScreen
from barnet_tui.tui.screens.indicator import IndicatorScreen
from barnet_tui.tui.screens.keys import KeysScreen
from barnet_tui.tui.screens.period_picker import PeriodPicker
from barnet_tui.tui.screens.service import ServiceScreen
from barnet_tui.tui.screens.summary import SummaryScreen
from barnet_tui.tui.widgets.breadcrumbs import Breadcrumbs
from barnet_tui.tui.widgets.row_table import RowTable
from barnet_tui.tui.widgets.text_view import TextView
from tests.conftest import (
    HOSTILE,
    HOSTILE_REF,
    controls_in,
    dataset_copy,
    hostile_dataset,
    set_for_ref,
)
from tests.tui.conftest import Start, loaded, make_app


def text_of(app: BarnetApp, selector: str) -> str:
    """A Static's or TextView's text as a user reads it."""
    view = app.screen.query(selector).first()
    if isinstance(view, TextView):
        return view.plain
    widget = app.screen.query_one(selector, Static)
    content = widget.content
    if isinstance(content, str | Text):
        return str(content)
    console = Console(width=widget.size.width or 80, file=io.StringIO(), color_system=None)
    with console.capture() as captured:
        console.print(content)
    return captured.get()


def crumbs(app: BarnetApp) -> str:
    return app.screen.query_one(Breadcrumbs).plain_text


def table_column(app: BarnetApp, selector: str, column: str) -> list[str]:
    return app.screen.query_one(selector, RowTable).cells(column)


async def test_summary_shows_every_service_and_the_headline() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert crumbs(app) == "Corporate"
        headline = text_of(app, "#headline")
        assert "2016/17 Q4 (4 of 5)" in headline
        assert "367 reported · 301 rated · 76% on/above target · 61% improved/same" in headline
        services = table_column(app, "#services", "service")
        assert len(services) == 14 and services[-1] == "All services"
        assert table_column(app, "#services", "red")[-1] == "37"
        assert set(table_column(app, "#services", "basis")) == {"report"}


async def test_periods_step_in_time_order_and_the_picker_lists_them() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("right_square_bracket")
        assert "2017/18 Q4 (5 of 5)" in text_of(app, "#headline")
        # No council-wide summary in 2017/18: services counted from rows, and marked so.
        assert table_column(app, "#services", "basis")[:2] == ["rows", "rows"]
        assert "CES (committee)" in table_column(app, "#services", "service")
        await pilot.press("right_square_bracket")
        assert "2017/18 Q4 (5 of 5)" in text_of(app, "#headline")  # nothing later
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert "2016/17 Q3 (3 of 5)" in text_of(app, "#headline")
        await pilot.press("p")
        assert isinstance(app.screen, PeriodPicker)
        await pilot.press("home", "enter")
        assert isinstance(app.screen, SummaryScreen)
        assert "2015/16 Q4 (1 of 5)" in text_of(app, "#headline")


async def test_sorting_the_summary_keeps_the_total_last() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("s")  # by reported, biggest first
        services = table_column(app, "#services", "service")
        assert services[0] == "Regional Enterprise (Re)" and services[-1] == "All services"
        table = app.screen.query_one("#services", RowTable)
        reported = table.columns[table.column_index("reported")]
        assert (reported.label.plain.strip(), reported.arrow) == ("Rep", "▼")
        await pilot.press("S")  # reversed
        assert table_column(app, "#services", "service")[0] == "Parking and Infrastructure"


async def test_drill_down_and_back_restores_cursor_sort_and_filters() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        # Sort by reported (Re 88, Family Services 43, ...): the cursor goes to the top.
        await pilot.press("s", "down")
        await pilot.press("enter")
        assert isinstance(app.screen, ServiceScreen)
        assert crumbs(app) == "Corporate › Family Services"
        assert "8 below target (the report's counts)" in text_of(app, "#service-header")
        assert table_column(app, "#indicators", "ref")[:3] == ["FS/C28", "FS/C37", "FS/S11"]
        comment = text_of(app, "#comment")
        assert comment.startswith("FS/C28 ") and "\nThe average was 518 days" in comment
        await pilot.press("down")
        assert "\nThe new ways of working" in text_of(app, "#comment")
        await pilot.press("f")  # rating: Red only; the cursor stays on FS/C37
        assert "Showing 3 of 8" in text_of(app, "#filters")
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, IndicatorScreen)
        assert crumbs(app) == "Corporate › Family Services › FS/C37"
        await pilot.press("n")
        assert crumbs(app) == "Corporate › Family Services › FS/S11"
        await pilot.press("n")  # the last of the 3: stays
        assert crumbs(app) == "Corporate › Family Services › FS/S11"
        await pilot.press("escape")
        assert isinstance(app.screen, ServiceScreen)
        assert app.screen.query_one("#indicators", RowTable).cursor_row == 2  # FS/S11
        assert "rating: R (Red)" in text_of(app, "#filters")
        await pilot.press("escape")
        assert isinstance(app.screen, SummaryScreen)
        summary = app.screen.query_one("#services", RowTable)
        assert summary.cursor_row == 1
        assert table_column(app, "#services", "service")[0] == "Regional Enterprise (Re)"


async def test_below_target_toggle_and_filter_as_you_type() -> None:
    app = make_app(period="2017/18 Q4", service="education")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert isinstance(app.screen, ServiceScreen)
        assert "Showing 27 of 27 · below target only: off" in text_of(app, "#filters")
        await pilot.press("b")
        assert "Showing 6 of 27 · below target only: ON" in text_of(app, "#filters")
        await pilot.press("b", "vertical_line")
        assert isinstance(app.focused, Input)
        await pilot.press(*"progress 8")
        assert "filter: progress 8" in text_of(app, "#filters")
        refs = table_column(app, "#indicators", "ref")
        assert set(refs) == {"CES/S13-2", "CES/S16", "CES/S27-2", "CES/S29", "CES/S31"}
        await pilot.press("enter")  # back to the list, filter kept
        assert isinstance(app.focused, RowTable)
        await pilot.press("vertical_line", "escape")  # Escape in the box clears it
        assert "Showing 27 of 27" in text_of(app, "#filters")
        assert isinstance(app.screen, ServiceScreen)
        await pilot.press("b", "escape")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")  # the same service again starts afresh
        assert crumbs(app) == "Corporate › Education and Skills"
        assert "Showing 27 of 27 · below target only: off" in text_of(app, "#filters")


async def test_indicator_explains_itself_and_shows_its_history() -> None:
    app = make_app(indicator="FS/S11")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert isinstance(app.screen, IndicatorScreen)
        assert crumbs(app) == "Corporate › Family Services › FS/S11"
        details = text_of(app, "#indicator-body")
        assert " R   Red · 10.4% against a target of 9.2% (smaller is better)\n" in details
        assert "Source: service-performance-eoy-2016-17.txt, line 199" in details
        history = details.split("\nHistory\n", 1)[1]
        table_rows = [
            line for line in history.splitlines() if "Improving" in line or "Worsening" in line
        ]
        assert [line.split()[:2] for line in table_rows[:3]] == [
            ["2015/16", "Q4"],
            ["2016/17", "Q4"],
            ["2017/18", "Q4"],
        ]
        assert "11.3%" in table_rows[2] and "9.7%" in table_rows[0] and "below" in table_rows[0]
        # The 2015/16 report prints 2014/15's 12% beside its own: the history's first point.
        assert "2014/15    previous   12%" in history
        # Improving over the whole history, worsening at its last step: both said.
        assert " ".join(history.split()).endswith(
            "Improving: 12 in 2014/15 to 11.3 in 2017/18 Q4 (smaller is better); latest step "
            "worsening: 10.4 in 2016/17 Q4 to 11.3 in 2017/18 Q4 (smaller is better)."
        )
        await pilot.press("y")
        assert app.clipboard == (
            "FS/S11 Percentage of children in external residential placements: 10.4% against "
            "a target of 9.2%, Red (2016/17 Q4)"
        )
        await pilot.press("escape", "escape")
        assert crumbs(app) == "Corporate"


async def test_the_jump_palette_goes_straight_to_an_indicator() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"CG/S26")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, IndicatorScreen)
        assert crumbs(app) == "Corporate › Commissioning Group › CG/S26"
        # The palette also jumps to a service, leaving the summary beneath it.
        app.jump_to_service("Street Scene")
        await pilot.pause()
        assert crumbs(app) == "Corporate › Street Scene"
        assert len(app.screen_stack) == 3  # default screen, summary, service
        # Jumping again reuses the screens and lands in the same place.
        app.jump_to_indicator("SS/C2")
        await pilot.pause()
        assert crumbs(app) == "Corporate › Street Scene › SS/C2"
        assert [type(screen).__name__ for screen in app.screen_stack[1:]] == [
            "SummaryScreen",
            "ServiceScreen",
            "IndicatorScreen",
        ]
        await pilot.press("escape")
        assert "Showing 7 of 7" in text_of(app, "#filters")


async def test_question_mark_lists_every_binding() -> None:
    app = make_app(service="Registrar")
    async with app.run_test(size=(80, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, KeysScreen)
        table = app.screen.query_one("#key-table", DataTable)
        rows = {str(table.get_row_at(row)[1]) for row in range(table.row_count)}
        assert {
            "Below target",
            "Filter",
            "Rating",
            "Sort by the column to the left",
            "Reverse sort",
            "Back",
            "Quit",
            "Keys",
        } <= rows
        await pilot.press("escape")
        assert isinstance(app.screen, ServiceScreen)


async def test_start_flags_open_any_level() -> None:
    app = make_app(period="2015/16 Q4", service="fam", below_target_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert crumbs(app) == "Corporate › Family Services"
        assert "Showing 5 of 18 · below target only: ON" in text_of(app, "#filters")
        await pilot.press("escape")
        assert "2015/16 Q4" in text_of(app, "#headline")


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ({"service": "zz"}, "unknown service 'zz'; choose from: "),
        ({"period": "2030/31 Q1"}, "no data for period '2030/31 Q1'"),
        ({"indicator": "XX/9"}, "no indicator with ref 'XX/9' in the dataset"),
    ],
)
async def test_bad_start_flags_show_one_line_and_exit_2(start: Start, message: str) -> None:
    app = make_app(**start)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert message in text_of(app, "#error-message")
        await pilot.press("q")
    assert app.return_value == 2


async def test_a_palette_jump_from_the_start_up_error_opens_the_service() -> None:
    """Started on a service that does not exist, a user picks one from the palette."""
    app = make_app(service="nowhere")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert isinstance(app.screen, ErrorScreen)
        await pilot.press("ctrl+p")
        await pilot.press(*"Service: Family")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert crumbs(app) == "Corporate › Family Services"
        assert len(app.screen_stack) == 3  # default screen, summary, service
        await pilot.press("escape")
        assert "2016/17 Q4" in text_of(app, "#headline")


@pytest.mark.parametrize(
    "keys", [("left_square_bracket",), ("enter", "enter"), ("p",)], ids=["period", "open", "pick"]
)
async def test_a_dataset_that_goes_away_while_open_is_an_error_not_a_traceback(
    tmp_path: Path, keys: tuple[str, ...]
) -> None:
    """The explorer reads its files as the user moves: someone deleting them mid-session
    gets the start-up's one-line error screen, and q exits 2."""
    data = dataset_copy(tmp_path)
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        for path in current_tables(data).iterdir():
            path.unlink()
        assert app.dataset is not None
        # Nothing of it read yet, as on a big dataset.
        app.dataset._by_period.clear()
        app.dataset._counts_by_period.clear()
        app.dataset._counts = None
        await pilot.press(*keys)
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)
        message = text_of(app, "#error-message")
        assert message.startswith(f"error: dataset {data}: "), message
        # The summary's counts, or the rows of the service opened.
        assert re.match(
            r"(period_counts|indicators)\.parquet: cannot be read \(", message.split(": ", 2)[2]
        ), message
        await pilot.press("q")
    assert app.return_value == 2


async def test_an_empty_dataset_says_so(tmp_path: Path) -> None:
    app = make_app(dataset_copy(tmp_path, lambda frame: frame.clear()))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert "the dataset is empty" in text_of(app, "#error-message")


async def test_a_broken_dataset_shows_the_clis_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from barnet_tui.cli.main import main

    broken = dataset_copy(tmp_path, lambda frame: frame.drop("polarity"))
    assert main(["--below-target", "--data", str(broken)]) == 2
    cli_line = capsys.readouterr().err.strip().removeprefix("barnet-tui: error: ")
    app = make_app(broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert text_of(app, "#error-message") == f"error: {cli_line}"


async def test_data_text_is_shown_literally(tmp_path: Path) -> None:
    name = set_for_ref("indicator", "R/3", "[bold]Deaths[/bold] [@click=app.quit]registered[/]")
    comment = set_for_ref("comment", "R/3", "[red]not red[/red] \x1b[31m")
    data = dataset_copy(tmp_path, lambda frame: comment(name(frame)))
    app = make_app(data, indicator="R/3")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        details = text_of(app, "#indicator-body")
        assert "[bold]Deaths[/bold] [@click=app.quit]registered[/]" in details
        assert "[red]not red[/red] \ufffd[31m" in details
        await pilot.press("escape")
        names = table_column(app, "#indicators", "indicator")
        assert "[bold]Deaths[/bold] [@click=app.quit]registered[/]" in names
        await pilot.click("#indicators", offset=(30, 2))
        assert app.is_running


async def test_no_color_keeps_the_badge_letters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(service="Street")
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert table_column(app, "#indicators", "rag")[:3] == ["R", "RA", "-"]


async def test_published_and_detailed_counts_that_disagree_are_both_shown(tmp_path: Path) -> None:
    data = dataset_copy(tmp_path, lambda frame: frame.filter(pl.col("ref") != "R/9"))
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        services = table_column(app, "#services", "service")
        sources = table_column(app, "#services", "basis")
        assert sources[services.index("Registrar Service")] == "report≠"
        assert sources[services.index("Street Scene")] == "report"
        app.jump_to_service("Registrar Service")
        await pilot.pause()
        assert "6 below target (the report's counts; 5 below-target rows in the dataset)" in (
            text_of(app, "#service-header").replace("\n", " ")
        )


async def test_badges_keep_their_colour_in_both_themes() -> None:
    app = make_app(service="Family Services")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        table = app.screen.query_one("#indicators", RowTable)
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            await pilot.pause()
            badge = next(iter(table.render_line(2)))
            assert badge.text.strip() == "R"
            assert badge.style is not None and badge.style.bgcolor is not None
            assert badge.style.bgcolor.name == "red"


async def test_unknown_ratings_show_as_unknown_with_a_warning(tmp_path: Path) -> None:
    data = dataset_copy(tmp_path, set_for_ref("rag", "R/3", "Amber"))
    app = make_app(data, service="Registrar")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        badges = dict(
            zip(
                table_column(app, "#indicators", "ref"),
                table_column(app, "#indicators", "rag"),
                strict=True,
            )
        )
        assert badges["R/3"] == "?"
        messages = [str(notification.message) for notification in app._notifications]
        assert any("unknown value 'Amber' (shown as unknown)" in message for message in messages)


async def test_hostile_data_text_never_reaches_the_terminal(tmp_path: Path) -> None:
    app = make_app(hostile_dataset(tmp_path), indicator=HOSTILE_REF)
    # Every toast as it is raised: toasts expire, and a busy machine may take longer than
    # that to reach the end.
    notes: list[Notification] = []
    add = app._notifications.add

    def add_and_keep(note: Notification) -> Notifications:
        notes.append(note)
        return add(note)

    app._notifications.add = add_and_keep  # type: ignore[method-assign, assignment]
    async with app.run_test(size=(160, 60)) as pilot:
        await loaded(pilot)
        assert isinstance(app.screen, IndicatorScreen)
        screens = {"indicator": app.export_screenshot()}
        await pilot.press("y")
        copied = app.clipboard
        assert copied.startswith("R/3 \ufffd]0;pwned\ufffd \ufffd[2J")
        assert "Deaths registered \ufffd]0;pwned" in copied and controls_in(copied) == []
        await pilot.press("escape")
        assert isinstance(app.screen, ServiceScreen)
        screens["service"] = app.export_screenshot()
        await pilot.press("escape")
        assert isinstance(app.screen, SummaryScreen)
        screens["summary"] = app.export_screenshot()
        await pilot.press("ctrl+p", *"deaths registered")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screens["palette"] = app.export_screenshot()
        for name, screen in screens.items():
            assert "pwned" in screen, name
            assert controls_in(screen) == [], name
        messages = [f"{note.title}: {note.message}" for note in notes]
        assert any(message.startswith(": Copied: R/3 \ufffd]0;pwned") for message in messages)
        assert any(
            message.startswith("Dataset warning: indicators.parquet") for message in messages
        )
        assert controls_in("".join(messages)) == []


async def test_an_error_quoting_hostile_text_is_inert(tmp_path: Path) -> None:
    app = make_app(tmp_path / f"data {HOSTILE}")
    async with app.run_test(size=(120, 24)) as pilot:
        await loaded(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert "no such directory" in text_of(app, "#error-message")
        screen = app.export_screenshot()
        assert "pwned" in screen and controls_in(screen) == []
