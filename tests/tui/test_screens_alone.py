"""A screen mounted alone, in a bare app with a session of its own: what it asks for arrives
as a Message, and nothing of the explorer's app is needed."""

from __future__ import annotations

from textual.app import App
from textual.message import Message

from barnet_tui.config import load_config
from barnet_tui.domain.dataset import load_dataset
from barnet_tui.tui.messages import OpenIndicator, OpenService, ShowChanges
from barnet_tui.tui.screens.changes import ChangesScreen
from barnet_tui.tui.screens.summary import SummaryScreen
from barnet_tui.tui.session import Session
from tests.conftest import DATA


class Bare(App[None]):
    """Not the explorer: it only records what its screens post."""

    def __init__(self) -> None:
        super().__init__()
        self.posted: list[Message] = []

    def on_open_service(self, message: OpenService) -> None:
        self.posted.append(message)

    def on_open_indicator(self, message: OpenIndicator) -> None:
        self.posted.append(message)

    def on_show_changes(self, message: ShowChanges) -> None:
        self.posted.append(message)


def session(period: str) -> Session:
    opened = Session(load_config()._replace(data_dir=DATA), load_dataset(DATA))
    opened.period = period
    return opened


async def test_the_summary_alone_asks_for_a_service() -> None:
    app = Bare()
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(SummaryScreen(session("2016/17 Q4"), "2016/17 Q4"))
        await pilot.pause()
        await pilot.press("down", "enter", "c")
        await pilot.pause()
        first, second = app.posted
        assert isinstance(first, OpenService)
        assert (first.service, first.period) == ("Barnet Homes", "2016/17 Q4")
        assert isinstance(second, ShowChanges)


async def test_the_changes_alone_ask_for_an_indicator() -> None:
    app = Bare()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = ChangesScreen(session("2016/17 Q4"), "2016/17 Q4")
        await app.push_screen(screen)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        (message,) = app.posted
        assert isinstance(message, OpenIndicator)
        first = screen.shown.row(0, named=True)
        assert (message.service, message.ref) == (first["service"], first["ref"])
