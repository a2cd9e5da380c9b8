"""Helpers for driving the explorer with Pilot on the shipped dataset."""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict, Unpack

from textual.command import CommandInput
from textual.pilot import Pilot

from barnet_tui.config import load_config
from barnet_tui.tui.app import BarnetApp
from tests.conftest import DATA


class Start(TypedDict, total=False):
    """Where the explorer starts: the command line's --period, --service, --indicator and
    --below-target."""

    period: str | None
    service: str | None
    indicator: str | None
    below_target_only: bool


def make_app(data: Path = DATA, **start: Unpack[Start]) -> BarnetApp:
    """The app on a dataset, configured as a user with no config files would have it (the
    autouse ``_no_user_config`` hides the developer's and the machine's)."""
    config = load_config()
    assert config.files == (), f"the explorer under test read config files: {config.files}"
    config = config._replace(data_dir=data)
    return BarnetApp(config, **start)


async def loaded(pilot: Pilot[int]) -> None:
    """Wait until the dataset is loaded and the first screen is up: the same screen on top
    for three turns running (a start on an indicator opens the summary, its service, then
    the indicator, each asked for by a message the one before posts)."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()
    stable, screen = 0, pilot.app.screen
    for _turn in range(50):
        if stable == 3:
            break
        await pilot.pause()
        stable, screen = (
            (stable + 1, screen) if pilot.app.screen is screen else (0, pilot.app.screen)
        )


async def search_palette(pilot: Pilot[int], query: str) -> None:
    """Open the command palette and give it ``query`` at once, as a paste does: typed a key
    at a time, each key searches every hit again (seconds a key for a long query) and the
    test would wait on every one of them."""
    await pilot.press("ctrl+p")
    palette_input = pilot.app.screen.query_one(CommandInput)
    palette_input.insert_text_at_cursor(query)
    await pilot.pause(0.3)
