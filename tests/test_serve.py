"""``barnet-tui serve``: the explorer served to a browser, started and stopped as a user does."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DATA, REPO

_STARTUP = 30.0
"""Seconds a server may take to answer (a cold interpreter on a busy CI machine)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def away() -> dict[str, Any]:
    """Run from outside the repository (whose config.toml would be said on stderr), the
    package found on the path."""
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return {"cwd": Path.cwd(), "env": {**os.environ, "PYTHONPATH": path}}


@contextmanager
def serving(*args: str) -> Iterator[subprocess.Popen[str]]:
    server = subprocess.Popen(
        [sys.executable, "-m", "barnet_tui", "serve", *args, "--data", str(DATA)],
        **away(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        yield server
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()


def page(port: int) -> str:
    """The index page, polled until the server answers."""
    deadline = time.monotonic() + _STARTUP
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                return str(response.read().decode("utf-8"))
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


async def first_screen(port: int) -> str:
    """What the served explorer draws once a browser connects (its websocket)."""
    import aiohttp

    seen = ""
    url = f"http://127.0.0.1:{port}/ws"
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as socket_:
        await socket_.send_str(json.dumps(["resize", {"width": 100, "height": 30}]))
        async with asyncio.timeout(_STARTUP):
            async for message in socket_:
                if message.type == aiohttp.WSMsgType.BINARY:
                    seen += message.data.decode("utf-8", "replace")
                elif message.type == aiohttp.WSMsgType.TEXT:
                    seen += message.data
                if "Corporate" in seen:
                    break
    return seen


def stop(server: subprocess.Popen[str]) -> tuple[int, str]:
    server.send_signal(signal.SIGINT)
    _out, err = server.communicate(timeout=_STARTUP)
    return server.returncode, err


def test_serves_the_explorer_on_localhost_and_stops_on_ctrl_c() -> None:
    port = free_port()
    with serving("--port", str(port)) as server:
        html = page(port)
        assert "<div>barnet-tui</div>" in html  # the title textual-serve shows before connecting
        assert "textual.js" in html
        assert "Corporate" in asyncio.run(first_screen(port))  # the app runs, in the page
        code, err = stop(server)
    assert code == 0
    assert "Traceback" not in err
    assert f"serving the explorer on http://127.0.0.1:{port}" in err
    assert "no authentication" not in err


def test_any_other_address_warns_there_is_no_authentication() -> None:
    port = free_port()
    with serving("--host", "0.0.0.0", "--port", str(port)) as server:
        page(port)
        code, err = stop(server)
    assert code == 0
    assert "no authentication" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "99999"], "99999 is not a port number (1-65535)"),
        (["--host", "nowhere.invalid"], "--host nowhere.invalid:"),
        # Said before serving, not in every browser tab that connects.
        (["--data", "/nowhere/data"], "dataset /nowhere/data: no such directory"),
        (["--config", "/nowhere/barnet.toml"], "/nowhere/barnet.toml: no such config file"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(args: list[str], message: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "barnet_tui", "serve", *args],
        **away(), capture_output=True, text=True, timeout=_STARTUP, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stderr.count("\n")) == (2, 1), done.stderr
    assert message in done.stderr


def test_a_port_in_use_is_one_line_and_exit_2() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "barnet_tui", "serve", "--port", str(port)],
            **away(), capture_output=True, text=True, timeout=_STARTUP, check=False,
        )  # fmt: skip
    assert (done.returncode, done.stderr.count("\n")) == (2, 1), done.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
