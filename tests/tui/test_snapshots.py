"""SVG snapshots of each screen at 80x24 and 160x48.

Reviewed by eye when created; ``pytest --snapshot-update`` rewrites them after a deliberate
change to what the app shows (review the SVGs in the diff before committing).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import loaded, make_app

SIZES = [(80, 24), (160, 48)]
SnapCompare = Callable[..., bool]


def after(*keys: str) -> Callable[[Pilot[int]], object]:
    async def run_before(pilot: Pilot[int]) -> None:
        await loaded(pilot)
        await pilot.press(*keys)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_summary(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=after())


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_service(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(service="Family Services"), terminal_size=size, run_before=after())


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_indicator(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(indicator="FS/S11"), terminal_size=size, run_before=after())


def test_service_filtered(snap_compare: SnapCompare) -> None:
    app = make_app(period="2017/18 Q4", service="Education and Skills")
    assert snap_compare(
        app, terminal_size=(80, 24), run_before=after("b", "vertical_line", *"progress")
    )


def test_keys(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=after("question_mark"))


def test_period_picker(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=after("p"))


def test_error(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(service="nowhere"), terminal_size=(80, 24), run_before=after())


def test_service_light_theme(snap_compare: SnapCompare) -> None:
    async def light(pilot: Pilot[int]) -> None:
        await loaded(pilot)
        pilot.app.theme = "textual-light"
        await pilot.pause()

    assert snap_compare(
        make_app(service="Family Services"), terminal_size=(80, 24), run_before=light
    )


REPORT_TABS = [
    ("2", "Commissioning Group", "2016/17 Q1", (80, 24)),
    ("3", "Commissioning Group", "2016/17 Q1", (80, 24)),
    ("3", "Commissioning Group", "2016/17 Q1", (160, 48)),
    ("4", "Family Services", "2015/16 Q4", (80, 24)),
    ("4", "Family Services", "2015/16 Q4", (160, 48)),
]


@pytest.mark.parametrize(
    ("key", "service", "period", "size"),
    REPORT_TABS,
    ids=[f"tab{key}-{size[0]}x{size[1]}" for key, _s, _p, size in REPORT_TABS],
)
def test_report_tab(
    snap_compare: SnapCompare, key: str, service: str, period: str, size: tuple[int, int]
) -> None:
    app = make_app(service=service, period=period)
    assert snap_compare(app, terminal_size=size, run_before=after(key))


def test_summary_with_key_actions_and_revenue(snap_compare: SnapCompare) -> None:
    app = make_app(period="2016/17 Q1")
    assert snap_compare(app, terminal_size=(80, 24), run_before=after())


@pytest.mark.parametrize("key", ["c", "a"], ids=["changes", "audit"])
def test_findings(snap_compare: SnapCompare, key: str) -> None:
    app = make_app(period="2016/17 Q4")
    assert snap_compare(app, terminal_size=(80, 24), run_before=after(key, "down"))


def test_export_dialog(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=after("x"))


def test_search_box(snap_compare: SnapCompare) -> None:
    app = make_app(period="2016/17 Q4")
    assert snap_compare(app, terminal_size=(80, 24), run_before=after("slash", *"servic"))


def test_report_tab_warnings_expanded(snap_compare: SnapCompare) -> None:
    app = make_app(service="Commissioning Group", period="2016/17 Q1")
    assert snap_compare(app, terminal_size=(80, 24), run_before=after("3", "w"))
