"""Keys people already know (j/k, g/G, ctrl+d/u, / with n/N, < and > to sort), footers and
``?`` that follow the focused list, and a ``[keys]`` table that remaps any binding."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Static

from barnet_tui.tui.app import BarnetApp, run_app
from barnet_tui.tui.screens.indicator import IndicatorScreen
from barnet_tui.tui.screens.keys import KeysScreen
from barnet_tui.tui.screens.service import ServiceScreen
from barnet_tui.tui.screens.summary import SummaryScreen
from barnet_tui.tui.widgets.key_hints import KeyHints
from barnet_tui.tui.widgets.row_table import RowTable, SearchBox
from barnet_tui.tui.widgets.text_view import TextView
from tests.tui.conftest import loaded, make_app


def summary_period(app: BarnetApp) -> str:
    """The period the summary on top shows."""
    assert isinstance(app.screen, SummaryScreen)
    return app.screen.period


def focused_table(app: BarnetApp) -> RowTable:
    """The list the keys go to (the one whose search box is open)."""
    focused = app.focused
    table = focused.table if isinstance(focused, SearchBox) else focused
    assert isinstance(table, RowTable)
    return table


def footer(app: BarnetApp) -> str:
    return str(app.screen.query_one(KeyHints).content)


def cursor_cell(app: BarnetApp, column: str) -> str:
    table = focused_table(app)
    return table.cells(column)[table.cursor_row]


async def test_vim_and_less_keys_move_through_a_list_and_a_text() -> None:
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        table = focused_table(app)
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        await pilot.press("k")
        assert table.cursor_row == 1
        await pilot.press("G")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("g")
        assert table.cursor_row == 0
        await pilot.press("ctrl+d")
        half = table.cursor_row
        assert half == (table.size.height - 1) // 2 > 1
        await pilot.press("ctrl+u")
        assert table.cursor_row == 0


async def test_the_same_keys_scroll_an_indicator() -> None:
    app = make_app(indicator="FS/S11")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert isinstance(app.screen, IndicatorScreen)
        body = app.screen.query_one("#indicator-body", TextView)
        await pilot.press("j", "j")
        await pilot.wait_for_scheduled_animations()
        assert body.scroll_offset.y == 2
        await pilot.press("ctrl+d")
        await pilot.wait_for_scheduled_animations()
        assert body.scroll_offset.y == 2 + body.size.height // 2
        await pilot.press("G")
        await pilot.wait_for_scheduled_animations()
        assert body.scroll_offset.y == body.max_scroll_y > 2
        await pilot.press("g")
        await pilot.wait_for_scheduled_animations()
        assert body.scroll_offset.y == 0


async def test_slash_searches_the_summary_and_n_steps_through_the_matches() -> None:
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"servic")
        assert cursor_cell(app, "service") == "Family Services"
        await pilot.press("enter")  # back in the list, on the match
        assert cursor_cell(app, "service") == "Family Services"
        await pilot.press("n")
        assert cursor_cell(app, "service") == "Registrar Service"
        await pilot.press("n")
        assert cursor_cell(app, "service") == "All services"
        await pilot.press("n")  # round again
        assert cursor_cell(app, "service") == "Family Services"
        await pilot.press("N")
        assert cursor_cell(app, "service") == "All services"
        await pilot.press("slash", *"street", "escape")  # Escape: back where it was
        assert cursor_cell(app, "service") == "All services"


@pytest.mark.parametrize(
    ("keys", "query", "column", "found"),
    [
        (("c",), "pupils", "ref", "CES/S26"),  # the first change whose words say "pupils"
        (("a",), "FS/S11", "ref", "FS/S11"),
    ],
    ids=["changes", "audit"],
)
async def test_slash_searches_the_changes_and_the_audit(
    keys: tuple[str, ...], query: str, column: str, found: str
) -> None:
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press(*keys, "slash", *query, "enter")
        assert cursor_cell(app, column) == found


async def test_slash_searches_a_tab_without_filtering_it() -> None:
    app = make_app(period="2016/17 Q1", service="Commissioning Group")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("3", "slash", *"communications", "enter")
        table = focused_table(app)
        assert cursor_cell(app, "line") == "Communications"
        assert table.row_count == 13  # every line still listed


async def test_sort_keys_move_the_sort_and_put_the_cursor_on_top() -> None:
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        table = focused_table(app)
        await pilot.press("j", "j", "j", "greater_than_sign")  # by Rep, biggest first
        assert table.cursor_row == 0
        assert cursor_cell(app, "service") == "Regional Enterprise (Re)"
        await pilot.press("enter")
        assert isinstance(app.screen, ServiceScreen)
        assert app.screen.service == "Regional Enterprise (Re)"
        await pilot.press("escape", "less_than_sign")  # back to the service names
        assert table.columns[0].arrow == "▲" and cursor_cell(app, "service").startswith("Adults")


async def test_the_sort_arrow_never_hides_a_header() -> None:
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        table = focused_table(app)
        labels = [column.label.plain.strip() for column in table.columns]
        for label in labels[1:]:
            await pilot.press("greater_than_sign")
            header = table.render_line(0).text
            assert f"{label}▼" in header or f"{label}▲" in header or f"▼{label}" in header


async def test_footer_and_keys_follow_the_tab() -> None:
    app = make_app(period="2016/17 Q1", service="Commissioning Group")
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        assert "b Below target" in footer(app) and "f Rating" in footer(app)
        await pilot.press("3")
        assert "b Overspent" in footer(app) and "f Kind" in footer(app)
        assert "Below target" not in footer(app)
        await pilot.press("4")
        assert "b Score 15+" in footer(app) and "f Rating" in footer(app)
        await pilot.press("3", "question_mark")
        assert isinstance(app.screen, KeysScreen)
        rows = app.screen.rows()
        assert ("b", "Overspent") in rows and ("f", "Kind") in rows
        assert ("/", "Search") in rows and ("|", "Filter") in rows
        assert all(description != "Below target" for _key, description in rows)


async def test_n_and_shift_n_step_through_indicators_and_p_only_picks_periods() -> None:
    app = make_app(service="Family Services")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("enter", "n")
        screen = app.screen
        assert isinstance(screen, IndicatorScreen) and screen.index == 1
        await pilot.press("p")  # not "previous": p is the period picker, on the summary
        assert screen.index == 1
        await pilot.press("N")
        assert screen.index == 0


async def test_a_keys_table_remaps_a_binding_and_the_footer_and_keys_say_so() -> None:
    app = make_app(period="2016/17 Q4")
    app.set_keymap({"period.earlier": "comma", "list.search": "ctrl+f", "summary.changes": "C"})
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        assert ", Earlier" in footer(app) and "^f Search" in footer(app)
        legend = app.screen.query_one("#legend", Static).content
        assert "earlier figure (C)" in str(legend)
        await pilot.press("left_square_bracket")  # no longer bound
        assert summary_period(app) == "2016/17 Q4"
        await pilot.press("comma")
        assert summary_period(app) == "2016/17 Q3"
        await pilot.press("question_mark")
        assert (",", "Earlier") in app.screen.rows()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (("move.dwon", "j"), "no key binding has the id 'move.dwon'; did you mean 'move.down'?"),
        (("move.down", "ctrl+nope"), "'ctrl+nope' is not a key"),
        (("move.down", "hyper+"), "'hyper+' is not a key"),
        (("move.down", "n"), "'n' is already the key of 'list.next_match' in the same place"),
        (("period.earlier", ","), "a comma separates keys; the comma key is 'comma'"),
        (("period.pick", "["), "'left_square_bracket' is already the key of 'period.earlier'"),
    ],
)
def test_a_wrong_keys_entry_is_one_line_and_exit_2(
    entry: tuple[str, str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()
    config = app.config._replace(keys=((*entry, f"config.toml: keys.{entry[0]}"),))
    assert run_app(config) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "config.toml: keys." in err


def test_keys_may_swap_places() -> None:
    from barnet_tui.tui.keymap import read_keymap

    swapped = [("move.down", "n", "a"), ("list.next_match", "j", "b")]
    assert read_keymap(swapped) == {"move.down": "n", "list.next_match": "j"}


def test_the_keys_table_is_read_from_config_toml(tmp_path: object) -> None:
    from pathlib import Path

    from barnet_tui.config import ConfigError, load_config

    assert isinstance(tmp_path, Path)
    good = tmp_path / "good.toml"
    good.write_text('[keys]\n"period.earlier" = ","\n', encoding="utf-8")
    assert load_config(good).keys == (("period.earlier", ",", f"{good}: keys.period.earlier"),)
    bad = tmp_path / "bad.toml"
    bad.write_text('[keys]\n"move.down" = 3\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"keys.move.down must be keys like 'j'"):
        load_config(bad)


async def test_j_and_k_move_in_the_period_picker_too() -> None:
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("p", "k", "k", "enter")  # 2016/17 Q4, up two: 2016/17 Q1
        assert summary_period(app) == "2016/17 Q1"
        await pilot.press("p", "G", "enter")
        assert summary_period(app) == "2017/18 Q4"
        await pilot.press("p", "g", "j", "enter")
        assert summary_period(app) == "2016/17 Q1"


async def test_keys_typed_fast_after_slash_go_into_the_search() -> None:
    """ "/par" pasted or typed faster than the box appears: p is not the period picker, a
    not the audit, r not a reload."""
    app = make_app(period="2016/17 Q4")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        for character, key in [("/", "slash"), ("p", "p"), ("a", "a"), ("r", "r")]:
            app.post_message(events.Key(key, character))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.focused, SearchBox) and app.focused.value == "par"
        assert cursor_cell(app, "service") == "Parking and Infrastructure"
