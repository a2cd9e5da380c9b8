"""``barnet-tui serve``: the explorer served to a browser, started and stopped as a user does,
and tried as an attacker would (no token, another site's page, another Host name, a flood of
sessions, a browser that asks for a huge screen and goes)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from barnet_tui.domain.storage.generations import current_tables, try_exclusive
from tests.conftest import DATA, REPO

_STARTUP = 30.0
"""Seconds a server may take to answer (a cold interpreter on a busy CI machine)."""
_GONE = 20.0
"""Seconds within which a session whose browser has gone must have ended (it takes about
ten: a heartbeat missed, then quit, SIGTERM, SIGKILL)."""
TOKEN = "test-token-0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def away() -> dict[str, Any]:
    """Run from outside the repository (whose config.toml would be said on stderr), the
    package found on the path."""
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return {"cwd": Path.cwd(), "env": {**os.environ, "PYTHONPATH": path}}


@dataclass
class Served:
    process: subprocess.Popen[str]
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def explorers(self) -> list[int]:
        """The explorer processes this server started (its children, from /proc)."""
        found = []
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            with (task / "children").open() as children:
                found += [int(pid) for pid in children.read().split()]
        return found


@contextmanager
def serving(
    *args: str, token: str | None = TOKEN, data: Path = DATA, files: int | None = None
) -> Iterator[Served]:
    """A server on a free port, killed at the end; ``files``: its open-file limit (``ulimit
    -n``)."""
    environment = {**os.environ, "BARNET_TUI_TOKEN": token} if token else dict(os.environ)
    if token is None:
        environment.pop("BARNET_TUI_TOKEN", None)

    def limited() -> None:
        if files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (files, files))

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "barnet_tui", "serve", "--port", str(port), *args, "--data", str(data)],
        cwd=Path.cwd(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**environment, "PYTHONPATH": away()["env"]["PYTHONPATH"]}, preexec_fn=limited,
    )  # fmt: skip
    try:
        listening(port, server)
        yield Served(server, port)
    finally:
        if server.poll() is None:
            server.kill()
        server.communicate()  # its pipes closed with the test, not by a later test's collector


def listening(port: int, server: subprocess.Popen[Any]) -> None:
    """Returns once the server accepts connections (without a request it would log); a
    server that exited instead fails at once, with what it said."""
    deadline = time.monotonic() + _STARTUP
    while True:
        if server.poll() is not None:
            _out, err = server.communicate()
            pytest.fail(f"the server exited ({server.returncode}) before listening: {err!r}")
        for address in ("127.0.0.1", "::1"):
            try:
                socket.create_connection((address, port), timeout=1).close()
                return
            except OSError:
                pass
        assert time.monotonic() < deadline, f"nothing listens on port {port}"
        time.sleep(0.1)


class _Stay(urllib.request.HTTPRedirectHandler):
    """Redirects are not followed by urllib (which keeps no cookie): ``get`` does it."""

    def redirect_request(self, *args: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_Stay())


def get(
    url: str, headers: dict[str, str] | None = None, *, follow: bool = True, timeout: float = 5
) -> tuple[int, str, dict[str, str]]:
    """Status, body and headers of a GET, polled until the server answers. A redirect is
    followed as a browser does, with the cookie it sets."""
    deadline = time.monotonic() + _STARTUP
    request = urllib.request.Request(url, headers=headers or {})
    while True:
        try:
            with _OPENER.open(request, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8"), dict(response.headers)
        except urllib.error.HTTPError as error:
            if follow and error.code == 303:
                cookie = {"Cookie": error.headers["Set-Cookie"].split(";")[0]}
                after = urllib.parse.urljoin(url, error.headers["Location"])
                return get(after, {**(headers or {}), **cookie}, follow=False, timeout=timeout)
            return error.code, error.read().decode("utf-8"), dict(error.headers)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def wait_for(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


async def first_screen(
    port: int, *, token: str = TOKEN, origin: str | None = None, width: int = 100
) -> str:
    """What the served explorer draws once a browser connects (its websocket)."""
    import aiohttp

    seen = ""
    url = f"http://127.0.0.1:{port}/ws?token={token}&width={width}&height=30"
    headers = {"Origin": origin or f"http://127.0.0.1:{port}"}
    async with aiohttp.ClientSession() as session, session.ws_connect(url, headers=headers) as ws:
        await ws.send_str(json.dumps(["resize", {"width": width, "height": 30}]))
        async with asyncio.timeout(_STARTUP):
            async for message in ws:
                if message.type == aiohttp.WSMsgType.BINARY:
                    seen += message.data.decode("utf-8", "replace")
                elif message.type == aiohttp.WSMsgType.TEXT:
                    seen += message.data
                if "Corporate" in seen:
                    break
    return seen


def websocket_status(
    port: int, headers: dict[str, str], query: str = f"?token={TOKEN}", path: str = "/ws"
) -> int:
    """The status a WebSocket upgrade gets (101 when let in), over a raw socket."""
    with socket.create_connection(("127.0.0.1", port), timeout=_STARTUP) as raw:
        raw.sendall(upgrade(port, headers, query, path))
        return int(raw.recv(4096).split(b" ", 2)[1])


def upgrade(port: int, headers: dict[str, str], query: str, path: str = "/ws") -> bytes:
    lines = [
        f"GET {path}{query} HTTP/1.1",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
    ]
    headers = {"Host": f"127.0.0.1:{port}", **headers}
    lines += [f"{name}: {value}" for name, value in headers.items() if value]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def stop(served: Served) -> tuple[int, str]:
    served.process.send_signal(signal.SIGINT)
    _out, err = served.process.communicate(timeout=_STARTUP)
    return served.process.returncode, err


def test_serves_the_explorer_to_whoever_has_the_token_and_stops_on_ctrl_c() -> None:
    with serving() as served:
        # The token in the URL goes into a cookie; the browser is sent on without it.
        status, _body, headers = get(f"{served.base}/?token={TOKEN}&fontsize=20", follow=False)
        assert (status, headers["Location"]) == (303, "/?fontsize=20")
        cookie = headers["Set-Cookie"]
        assert f"barnet-tui-token-{served.port}=" in cookie and TOKEN not in cookie
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        # After the first visit the cookie carries the token: no token in the URL needed.
        status, html, _headers = get(f"{served.base}/", {"Cookie": cookie.split(";")[0]})
        assert status == 200
        assert "<title>barnet-tui</title>" in html and "textual.js" in html
        assert "Corporate" in asyncio.run(first_screen(served.port))  # the app runs
        code, err = stop(served)
    assert code == 0
    assert "Traceback" not in err
    assert f"serving the explorer on http://127.0.0.1:{served.port}/?token={TOKEN}" in err
    assert "Every user of this machine can reach this address" in err


def test_without_the_token_nothing_is_served_and_each_refusal_is_one_log_line() -> None:
    with serving() as served:
        # The page, its scripts and the downloads want the token, like the WebSocket.
        for path in ("/", "/static/js/textual.js", "/download/anything"):
            assert get(served.base + path)[0] == 401
        assert get(f"{served.base}/?token=guess")[0] == 401
        assert get(served.base + "/", {"Cookie": f"barnet-tui-token-{served.port}=guess"})[0] == 401
        origin = {"Origin": f"http://127.0.0.1:{served.port}"}
        assert websocket_status(served.port, origin, query="") == 401
        assert websocket_status(served.port, origin, query="?token=guess") == 401
        assert served.explorers() == []
        _code, err = stop(served)
    # A line at most a second: the first refusal, then the rest summed up (in one line when
    # they came within the second, as they do here unless the machine is very busy).
    refused = [line for line in err.splitlines() if "refused" in line]
    assert "refused GET / from 127.0.0.1: no token" in refused[0], err
    summed = [line for line in refused[1:] if "more since the last line" in line]
    assert summed == refused[1:] and 1 <= len(summed) <= 2, err
    counted: dict[str, int] = {}
    for line in summed:
        for count, kind in re.findall(r"(\d+) (no token|wrong token)", line):
            counted[kind] = counted.get(kind, 0) + int(count)
    assert counted == {"no token": 3, "wrong token": 3}, err


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        # Cross-site WebSocket hijacking: a page on another site, with the cookie riding along.
        ({"Origin": "http://evil.example"}, "Origin 'http://evil.example'"),
        ({"Origin": "http://127.0.0.1:1"}, "Origin 'http://127.0.0.1:1'"),
        ({"Origin": ""}, "Origin ''"),
        # DNS rebinding: evil.example resolved to 127.0.0.1, so the browser sends its name.
        ({"Host": "evil.example", "Origin": "http://evil.example"}, "Host 'evil.example'"),
    ],
)
def test_a_websocket_from_another_origin_or_host_is_refused(
    headers: dict[str, str], why: str
) -> None:
    with serving() as served:
        get(f"{served.base}/?token={TOKEN}")
        headers = {key: value.replace("PORT", str(served.port)) for key, value in headers.items()}
        assert websocket_status(served.port, headers) == 403
        assert served.explorers() == []
        _code, err = stop(served)
    assert why in err


def test_a_page_under_another_host_name_is_refused() -> None:
    with serving() as served:
        for host in (
            "evil.example",
            f"evil.example:{served.port}",
            f"localhost.evil:{served.port}",
        ):
            status, body, _headers = get(f"{served.base}/?token={TOKEN}", {"Host": host})
            assert status == 403, host
            assert "is not served here" in body
        for host in (
            f"localhost:{served.port}",
            f"127.0.0.1:{served.port}",
            f"[::1]:{served.port}",
        ):
            assert get(f"{served.base}/?token={TOKEN}", {"Host": host})[0] == 200, host


def test_a_random_token_is_made_and_printed_when_none_is_given() -> None:
    with serving(token=None) as served:
        assert get(served.base + "/")[0] == 401
        _code, err = stop(served)
    printed = re.search(r"http://127\.0\.0\.1:\d+/\?token=([A-Za-z0-9_-]+)", err)
    assert printed is not None and len(printed[1]) >= 40
    with serving(token=None) as again:
        get(again.base + "/")
        _code, err_again = stop(again)
    assert printed[1] not in err_again  # a new one each time


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("", "a token needs at least 16 characters (0 given)"),
        ("x", "a token needs at least 16 characters (1 given)"),
        ("fifteen-chars-x", "a token needs at least 16 characters (15 given)"),
        ("a token with spaces", "a token is printable ASCII, without spaces"),
    ],
)
@pytest.mark.parametrize("where", ["--token", "$BARNET_TUI_TOKEN"])
def test_a_short_or_unprintable_token_is_refused(given: str, message: str, where: str) -> None:
    flag = ["--token", given] if where == "--token" else []
    environment = away()
    if where != "--token":
        environment["env"] = {**environment["env"], "BARNET_TUI_TOKEN": given}
    done = subprocess.run(
        [sys.executable, "-m", "barnet_tui", "serve", *flag, "--data", str(DATA)],
        **environment, capture_output=True, text=True, timeout=_STARTUP, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stderr.count("\n")) == (2, 1), done.stderr
    assert f"{where}: {message}" in done.stderr
    assert len(given) < 5 or given not in done.stderr  # the secret is not repeated


def test_a_token_with_url_characters_works_from_the_printed_url() -> None:
    token = 'a+b&c#d%e/f?g=h;i"j-0123456789'
    with serving("--token", token, token=None) as served:
        printed = served.process.stderr.readline()  # type: ignore[union-attr]
        url = re.search(r"(http://\S+)", printed)
        assert url is not None, printed
        assert "%2B" in url[1] and "%26" in url[1] and "%23" in url[1] and "%25" in url[1]
        status, html, _headers = get(url[1])
        assert status == 200 and "<title>barnet-tui</title>" in html
        assert get(f"{served.base}/?token={token}")[0] == 401  # unencoded it is not the token


def test_the_url_is_printed_once_the_server_listens() -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "barnet_tui", "serve", "--port", str(port), "--data", str(DATA)],
        **away(), stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert server.stderr is not None
        printed = server.stderr.readline()
        assert f"serving the explorer on http://127.0.0.1:{port}/?token=" in printed
        # A click at once: the first try, no retry.
        socket.create_connection(("127.0.0.1", port), timeout=_STARTUP).close()
    finally:
        server.kill()
        server.communicate()


def test_sessions_are_capped_and_the_next_browser_is_told_the_server_is_full() -> None:
    async def two_open_then_third(port: int) -> tuple[int, str, int, int]:
        import aiohttp

        url = f"http://127.0.0.1:{port}/ws?token={TOKEN}"
        headers = {"Origin": f"http://127.0.0.1:{port}"}
        async with aiohttp.ClientSession() as session:
            first = await session.ws_connect(url, headers=headers)
            second = await session.ws_connect(url, headers=headers)
            await first.receive(timeout=_STARTUP)
            await second.receive(timeout=_STARTUP)
            page = await asyncio.to_thread(get, f"http://127.0.0.1:{port}/?token={TOKEN}")
            socket_status = await asyncio.to_thread(websocket_status, port, headers)
            await second.close()
            await first.close()
        return page[0], page[1], socket_status, len(served.explorers())

    with serving("--max-sessions", "2") as served:
        status, body, socket_status, running = asyncio.run(two_open_then_third(served.port))
        assert (status, socket_status, running) == (503, 503, 2)
        assert "The server is full" in body
        # Closed tabs free their places.
        wait_for(lambda: served.explorers() == [], _GONE, "sessions still running")
        assert get(f"{served.base}/?token={TOKEN}")[0] == 200


@pytest.mark.parametrize("stays_connected", [False, True], ids=["disconnected", "stalled"])
def test_a_browser_that_asks_for_a_huge_screen_and_goes_leaves_nothing_running(
    stays_connected: bool, tmp_path: Path
) -> None:
    # A copy nothing else in this test run has open, so the read lock seen is the explorer's.
    data = Path(shutil.copytree(DATA, tmp_path / "data"))
    # A ping a second: a stalled browser is found within 1.5 s rather than the default 9.
    with (
        serving("--heartbeat", "1", data=data) as served,
        socket.create_connection(("127.0.0.1", served.port), timeout=_STARTUP) as raw,
    ):
        headers = {"Origin": f"http://127.0.0.1:{served.port}"}
        raw.sendall(upgrade(served.port, headers, f"?token={TOKEN}&width=10000&height=10000"))
        # A browser reads the screens and answers the pings until it goes or stalls.
        stalled = threading.Event()
        browser = threading.Thread(target=_answer_pings, args=(raw, stalled), daemon=True)
        browser.start()
        wait_for(lambda: served.explorers() != [], _STARTUP, "no explorer started")
        (explorer,) = served.explorers()
        # Forked but not yet started, a child's environment is still the server's.
        environ = Path(f"/proc/{explorer}/environ")
        wait_for(lambda: b"COLUMNS=" in environ.read_bytes(), _STARTUP, "no explorer started")
        environment = environ.read_bytes().split(b"\0")
        assert b"COLUMNS=400" in environment and b"ROWS=200" in environment  # capped
        assert not any(line.startswith(b"BARNET_TUI_TOKEN=") for line in environment)
        generation = current_tables(data)
        wait_for(lambda: not _free_to_remove(generation), _STARTUP, "the explorer reads unlocked")
        stalled.set()
        browser.join()
        if not stays_connected:
            raw.close()  # the tab closed: nobody reads the screen the explorer draws
        # Stalled: connected, but reading nothing and answering no ping.
        wait_for(lambda: not Path(f"/proc/{explorer}").exists() or _zombie(explorer), _GONE,
                 "the explorer outlived its browser")  # fmt: skip
        raw.close()
        assert _free_to_remove(generation)  # its read lock went with it: ingest may tidy up
        assert get(f"{served.base}/?token={TOKEN}")[0] == 200  # the server carries on
        _code, err = stop(served)
    assert "Traceback" not in err


def _answer_pings(raw: socket.socket, stalled: threading.Event) -> None:
    """Read what the server sends on the WebSocket ``raw`` and answer its pings, as a
    browser does, until ``stalled`` is set (then nothing is read or answered) or it closes."""
    buffer, upgraded = b"", False
    raw.settimeout(0.1)
    while not stalled.is_set():
        try:
            received = raw.recv(1 << 16)
        except TimeoutError:
            continue
        except OSError:
            return
        if not received:
            return
        buffer += received
        if not upgraded:
            if b"\r\n\r\n" not in buffer:
                continue
            buffer, upgraded = buffer.split(b"\r\n\r\n", 1)[1], True
        buffer = _pong_each_ping(raw, buffer)


def _pong_each_ping(raw: socket.socket, buffer: bytes) -> bytes:
    """Answer each ping among the whole frames at the start of ``buffer`` with a pong
    (masked, as a client's frames are); what is left, the start of a frame."""
    while len(buffer) >= 2:
        length, start = buffer[1] & 0x7F, 2
        if length == 126:
            length, start = int.from_bytes(buffer[2:4]), 4
        elif length == 127:
            length, start = int.from_bytes(buffer[2:10]), 10
        if len(buffer) < start + length:
            break
        opcode, payload = buffer[0] & 0x0F, buffer[start : start + length]
        buffer = buffer[start + length :]
        if opcode == 0x9:  # a ping
            mask = os.urandom(4)
            masked = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
            raw.sendall(bytes([0x8A, 0x80 | len(payload)]) + mask + masked)
    return buffer


def _free_to_remove(generation: Path) -> bool:
    held = try_exclusive(generation)
    if held is None:
        return False
    os.close(held)
    return True


def _zombie(pid: int) -> bool:
    return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")


@pytest.mark.parametrize(
    ("host", "browser_host", "printed"),
    [
        ("0.0.0.0", "127.0.0.1", rf"http://{re.escape(socket.gethostname())}:PORT/\?token="),
        ("::", "[::1]", r"http://\[::1\]:PORT/\?token="),
        ("::1", "[::1]", r"http://\[::1\]:PORT/\?token="),
    ],
)
def test_other_addresses_give_browsers_usable_urls_and_an_honest_warning(
    host: str, browser_host: str, printed: str
) -> None:
    with serving("--host", host) as served:
        where = f"{browser_host}:{served.port}"
        status, html, _headers = get(f"http://{where}/?token={TOKEN}")
        assert status == 200
        assert f'data-session-websocket-url="ws://{where}/ws"' in html
        assert "0.0.0.0" not in html and "[::]" not in html
        _code, err = stop(served)
    assert re.search(printed.replace("PORT", str(served.port)), err), err
    if host != "::1":
        assert "reachable from other machines" in err
        assert f"serving on {'[::]' if host == '::' else host}:{served.port}," in err
        assert "anyone who reaches it with the token drives the explorer" in err
    else:
        assert "Every user of this machine" in err


def test_a_public_url_is_served_through_its_proxy() -> None:
    with serving("--public-url", "https://barnet.example.org") as served:
        host = {"Host": "barnet.example.org"}
        status, _html, headers = get(f"{served.base}/?token={TOKEN}", host, follow=False)
        assert (status, headers["Location"]) == (303, "/")
        assert "Secure" in headers["Set-Cookie"]
        status, html, headers = get(f"{served.base}/?token={TOKEN}", host)
        assert status == 200
        assert 'data-session-websocket-url="wss://barnet.example.org/ws"' in html
        origin = {"Host": "barnet.example.org", "Origin": "https://barnet.example.org"}
        assert websocket_status(served.port, origin) == 101
        _code, err = stop(served)
    assert "https://barnet.example.org/?token=" in err


def test_a_public_url_with_a_path_is_served_whether_the_proxy_strips_it_or_not() -> None:
    with serving("--public-url", "https://barnet.example.org/reports/barnet") as served:
        host = {"Host": "barnet.example.org"}
        status, _html, headers = get(f"{served.base}/?token={TOKEN}", host, follow=False)
        assert (status, headers["Location"]) == (303, "/reports/barnet/")
        cookie = {**host, "Cookie": headers["Set-Cookie"].split(";")[0]}
        for path in ("/", "/reports/barnet/"):  # a proxy that strips the path, one that does not
            status, html, _headers = get(served.base + path, cookie)
            assert status == 200, path
            where = "barnet.example.org/reports/barnet"
            assert f'data-session-websocket-url="wss://{where}/ws"' in html
            assert f'href="https://{where}/static/css/xterm.css"' in html
        origin = {"Host": "barnet.example.org", "Origin": "https://barnet.example.org"}
        status_ws = websocket_status(
            served.port, origin, query=f"?token={TOKEN}", path="/reports/barnet/ws"
        )
        assert status_ws == 101
        _code, err = stop(served)
    assert f"on https://barnet.example.org/reports/barnet/?token={TOKEN} (" in err


@pytest.mark.parametrize(
    ("host", "origin"),
    [("127.0.0.1", "localhost"), ("localhost", "127.0.0.1"), ("localhost", "[::1]"),
     ("[::1]", "localhost")],
)  # fmt: skip
def test_localhost_and_its_addresses_are_one_server_for_the_websocket(
    host: str, origin: str
) -> None:
    with serving() as served:
        # The page under one name, its WebSocket under another: both or neither.
        assert get(f"{served.base}/?token={TOKEN}", {"Host": f"{host}:{served.port}"})[0] == 200
        headers = {"Host": f"{host}:{served.port}", "Origin": f"http://{origin}:{served.port}"}
        assert websocket_status(served.port, headers) == 101


def test_the_page_asks_for_nothing_outside_the_server() -> None:
    with serving() as served:
        _status, html, headers = get(f"{served.base}/?token={TOKEN}")
    addresses = re.findall(r"""[a-z]+://[^"')\s>]+""", html)
    assert len(addresses) == 5  # the stylesheet, the script, two fonts, the WebSocket
    served_here = (f"{served.base}/static/", f"ws://127.0.0.1:{served.port}/ws")
    assert all(address.startswith(served_here) for address in addresses), addresses
    assert "googleapis" not in html
    assert "connect-src 'self'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "99999"], "99999 is not a port number (1-65535)"),
        (["--host", "nowhere.invalid"], "--host nowhere.invalid:"),
        (["--max-sessions", "0"], "'0' is not a number of sessions (1-1000)"),
        (["--heartbeat", "0"], "'0' is not a number of seconds (0.01-3600)"),
        (["--request-deadline", "nan"], "'nan' is not a number of seconds (0.01-3600)"),
        (["--guess-delay", "soon"], "'soon' is not a number of seconds (0.01-3600)"),
        (["--public-url", "ftp://x"], "--public-url 'ftp://x' is not an http(s) URL"),
        # Never printed, since its password would be.
        (
            ["--public-url", "https://me:s3cret@x.example/"],
            "must not carry a user name or password",
        ),
        (["--public-url", "https://x.example/?a=1"], "no query or fragment (the token is added"),
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
    assert "s3cret" not in done.stderr


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


def test_hostile_messages_are_dropped_and_ctrl_c_ends_open_sessions() -> None:
    async def garbage_then_screen(port: int) -> str:
        import aiohttp

        url = f"http://127.0.0.1:{port}/ws?token={TOKEN}&width=-5&height=abc"
        headers = {"Origin": f"http://127.0.0.1:{port}"}
        session = aiohttp.ClientSession()
        websocket = await session.ws_connect(url, headers=headers)
        for junk in ("not json", "[1]", '["resize", {"width": "wide"}]', '["stdin", 7]',
                     '{"a": 1}', '["resize", {"width": 1e308, "height": true}]'):  # fmt: skip
            await websocket.send_str(junk)
        seen = ""
        async with asyncio.timeout(_STARTUP):
            while "Corporate" not in seen:
                message = await websocket.receive()
                if message.type == aiohttp.WSMsgType.BINARY:
                    seen += message.data.decode("utf-8", "replace")
        # Left open: Ctrl+C must end it too.
        _explorers.extend(served.explorers())
        served.process.send_signal(signal.SIGINT)
        await asyncio.to_thread(served.process.wait, _STARTUP)
        await session.close()
        return seen

    _explorers: list[int] = []
    with serving() as served:
        assert "Corporate" in asyncio.run(garbage_then_screen(served.port))
        _out, err = served.process.communicate(timeout=_STARTUP)
    assert served.process.returncode == 0
    assert "Traceback" not in err and "Error" not in err, err
    assert len(_explorers) == 1
    assert not Path(f"/proc/{_explorers[0]}").exists() or _zombie(_explorers[0])
