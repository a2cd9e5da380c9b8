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


def after(*keys: str) -> Callable[[Pilot[object]], object]:
    async def run_before(pilot: Pilot[object]) -> None:
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
    assert snap_compare(app, terminal_size=(80, 24), run_before=after("b", "slash", *"progress"))


def test_keys(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=after("question_mark"))


def test_period_picker(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=after("p"))


def test_error(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(service="nowhere"), terminal_size=(80, 24), run_before=after())


def test_service_light_theme(snap_compare: SnapCompare) -> None:
    async def light(pilot: Pilot[object]) -> None:
        await loaded(pilot)
        pilot.app.theme = "textual-light"
        await pilot.pause()

    assert snap_compare(
        make_app(service="Family Services"), terminal_size=(80, 24), run_before=light
    )
