"""Helpers for driving the explorer with Pilot on the shipped dataset."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from barnet_tui.config import load_config
from barnet_tui.tui.app import BarnetApp
from tests.conftest import DATA


def make_app(data: Path = DATA, **start: object) -> BarnetApp:
    """The app on a dataset, configured as a user with no config files would have it."""
    config = load_config()._replace(data_dir=data)
    return BarnetApp(config, **start)  # type: ignore[arg-type]


async def loaded(pilot: Pilot[object]) -> None:
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
