"""``barnet-tui serve`` in a real browser: Debian's Chromium, driven by Playwright, opens the
URL serve printed, sees the summary, opens a service, switches tab, exports, and gets the
file as a download; nothing is written on the server, and the page asks nothing of any
other host."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import DATA, REPO
from tests.test_serve import TOKEN, free_port, listening

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]")
_WAIT = 30.0


@dataclass(frozen=True)
class Served:
    """A server starting (``ready()`` waits till it listens: the browser starts meanwhile),
    its port, and the folder of its working directory and home."""

    port: int
    folders: Path
    server: subprocess.Popen[bytes]

    def ready(self) -> int:
        """The port, once the server listens on it."""
        listening(self.port, self.server)
        return self.port


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """A server whose working directory and home are empty folders, to see what lands; a
    machine without the browser fails the test (CI has it), never skips it."""
    if not CHROMIUM.exists():
        pytest.fail(f"these tests drive a real browser, {CHROMIUM}: apt-get install chromium")
    (tmp_path / "cwd").mkdir()
    (tmp_path / "home").mkdir()
    port = free_port()
    environment = {
        **os.environ,
        "BARNET_TUI_TOKEN": TOKEN,
        "HOME": str(tmp_path / "home"),
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "barnet_tui", "serve", "--port", str(port), "--data", str(DATA)],
        cwd=tmp_path / "cwd", env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        yield Served(port, tmp_path, server)
    finally:
        server.kill()
        server.communicate()


class Screen:
    """What the explorer sends the page to draw, as text (escape sequences taken out)."""

    def __init__(self) -> None:
        self.frames: list[str] = []

    def received(self, frame: str | bytes) -> None:
        self.frames.append(frame if isinstance(frame, str) else frame.decode("utf-8", "replace"))

    def text(self) -> str:
        return _ESCAPES.sub("", "".join(self.frames))

    def wait_for(self, page: object, pattern: str) -> re.Match[str]:
        deadline = time.monotonic() + _WAIT
        while (found := re.search(pattern, self.text())) is None:
            assert time.monotonic() < deadline, f"{pattern!r} never drawn"
            page.wait_for_timeout(50)  # type: ignore[attr-defined]  # lets Playwright deliver
        self.frames.clear()
        return found


def test_a_browser_explores_and_exports_as_a_download(served: Served) -> None:
    from playwright.sync_api import ConsoleMessage, Download, sync_playwright

    folders = served.folders
    origin = f"127.0.0.1:{served.port}"
    requested: list[str] = []
    problems: list[str] = []
    screen = Screen()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1280, "height": 800}
        )
        context.on("request", lambda request: requested.append(request.url))
        page = context.new_page()

        def console(message: ConsoleMessage) -> None:
            if message.type == "error":
                problems.append(message.text)

        page.on("console", console)

        def watch(websocket: object) -> None:
            requested.append(websocket.url)  # type: ignore[attr-defined]
            websocket.on("framereceived", screen.received)  # type: ignore[attr-defined]

        page.on("websocket", watch)
        served.ready()
        page.goto(f"http://{origin}/?token={TOKEN}")
        screen.wait_for(page, r"Corporate[\s\S]*All services")
        page.focus(".xterm-helper-textarea")
        page.keyboard.press("Enter")  # the first service
        screen.wait_for(page, r"Adults and Communities")
        page.keyboard.press("2")
        screen.wait_for(page, r"No key actions|0 rows|Key actions")
        page.keyboard.press("1")
        rows = int(screen.wait_for(page, r"1 Indicators \((\d+)\)")[1])
        page.keyboard.press("x")
        screen.wait_for(page, r"Enter downloads it")
        page.keyboard.press("Tab")  # from the formats to the file name
        page.keyboard.type("Adults' indicators, é.csv")  # replaces the proposed name
        downloads: list[Download] = []
        popups: list[object] = []
        # The export arrives as a download of this page, not in a new tab a popup blocker
        # would stop (textual.js's own way; headless Chromium blocks no popup, so it is
        # counted here).
        page.on("download", lambda got: downloads.append(got))
        page.on("popup", lambda opened: popups.append(opened))
        page.keyboard.press("Enter")
        deadline = time.monotonic() + _WAIT
        while not downloads:
            assert time.monotonic() < deadline, "no download"
            page.wait_for_timeout(50)
        (download,) = downloads
        content = Path(download.path()).read_text(encoding="utf-8")
        name = download.suggested_filename
        browser.close()
    table = list(csv.reader(io.StringIO(content)))
    assert popups == []
    assert name == "Adults' indicators, é.csv"  # as typed, through Content-Disposition
    assert "ref" in table[0] and len(table) == 1 + rows and rows > 0
    # Nothing written where the server runs, nor in its home.
    assert list((folders / "cwd").iterdir()) == []
    assert [str(path) for path in (folders / "home").rglob("*") if path.is_file()] == []
    # Every request the page made went to this server; nothing failed or was blocked.
    assert requested and all(re.match(rf"(http|ws)://{origin}/", url) for url in requested), (
        requested
    )
    assert problems == []


@pytest.mark.parametrize("name", ["localhost", "127.0.0.1"])
def test_the_token_leaves_the_address_bar_and_the_explorer_runs_under_either_name(
    served: Served, name: str
) -> None:
    from playwright.sync_api import sync_playwright

    screen = Screen()
    sockets: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})

        def watch(websocket: object) -> None:
            sockets.append(websocket.url)  # type: ignore[attr-defined]
            websocket.on("framereceived", screen.received)  # type: ignore[attr-defined]

        page.on("websocket", watch)
        port = served.ready()
        page.goto(f"http://{name}:{port}/?token={TOKEN}")
        # The token went into a cookie: the address bar and the history no longer show it.
        assert page.url == f"http://{name}:{port}/"
        screen.wait_for(page, r"Corporate[\s\S]*All services")
        # Back goes to the blank tab it started from: no entry with the token between.
        history = page.evaluate("window.history.length")
        page.go_back()
        back = page.url
        browser.close()
    assert len(sockets) == 1 and sockets[0].startswith(f"ws://{name}:{port}/ws?"), sockets
    assert (history, back) == (2, "about:blank")
