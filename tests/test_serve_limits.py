"""``barnet-tui serve`` under attack: a thousand slow clients (slowloris) at ``ulimit -n
1024``, a client that never finishes its headers, one address opening more than its share,
and a guesser of tokens. The owner's browser keeps getting in, and the log stays a line a
second with no traceback. Every connection goes to 127.0.0.1 only; the slow clients come
from other loopback addresses (127.0.1.x), as clients on a network would."""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import re
import resource
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from tests.conftest import DATA
from tests.test_serve import _STARTUP, TOKEN, away, get, serving, stop

SLOW = 1100
"""Slow clients held open at once against a server allowed 1024 open files: the issue's
1,100, which is at least the 1,000 asked for. (1,000 leave the server of before this fix
its last dozen files, just enough for one visit; 1,100 are what left its owner out.)"""
OWNER_WAIT = 2.0
"""Seconds the owner's page may take to answer while they are open (the issue's bar)."""
REQUEST_DEADLINE = 1.0
"""Seconds a client has to send a whole request (``serve --request-deadline``; 10 unless
set)."""


@contextmanager
def open_files(wanted: int) -> Iterator[None]:
    """This test process's own open-file limit raised to ``wanted``, then put back."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert hard == resource.RLIM_INFINITY or hard >= wanted, f"ulimit -Hn {hard} < {wanted}"
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def half_request(port: int, source: str, stack: ExitStack) -> socket.socket | None:
    """A connection from ``source`` that sends the start of a request and never the end;
    None when it could not even connect (the server's queue full)."""
    try:
        client = socket.create_connection(
            ("127.0.0.1", port), timeout=2, source_address=(source, 0)
        )
    except OSError:
        return None
    stack.callback(client.close)
    # Already closed by the server, perhaps: it stays open on this side all the same.
    with contextlib.suppress(OSError):
        client.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: ".encode())
    return client


def closed_by_server(client: socket.socket, wait: float) -> bool:
    """Whether the server has closed ``client`` (EOF or reset) within ``wait`` seconds."""
    readable, _, _ = select.select([client], [], [], wait)
    if not readable:
        return False
    try:
        return client.recv(4096) == b""
    except OSError:
        return True


def owner_page(port: int, source: str = "127.0.0.1") -> tuple[int, str, dict[str, str]]:
    """The owner opening the printed URL from ``source``, as a browser does: the token for a
    cookie, then the page; each answered within OWNER_WAIT seconds (a timeout on the
    request, not a measurement). The status, the page and the cookie to send on."""
    status, headers, body = _fetch(port, f"/?token={TOKEN}", {}, source)
    cookie = {"Cookie": headers["Set-Cookie"].split(";")[0]} if "Set-Cookie" in headers else {}
    if status != 303:
        return status, body, cookie
    status, headers, body = _fetch(port, headers["Location"], cookie, source)
    return status, body, cookie


async def owner_visit(port: int) -> tuple[str, list[int]]:
    """The owner's whole visit, as a browser makes it: the page; the explorer on its
    WebSocket; and, while it runs, the page's stylesheet, script and fonts at once."""
    status, html, cookie = await asyncio.to_thread(owner_page, port)
    assert status == 200, status
    files = re.findall(rf"http://127\.0\.0\.1:{port}(/static/[^\"')]+)", html)
    assert len(files) == 4, html
    import aiohttp

    seen = ""
    url = f"http://127.0.0.1:{port}/ws?width=100&height=30"
    headers = {"Origin": f"http://127.0.0.1:{port}", **cookie}
    async with aiohttp.ClientSession() as session, session.ws_connect(url, headers=headers) as ws:
        async with asyncio.timeout(_STARTUP):
            async for message in ws:
                if message.type == aiohttp.WSMsgType.BINARY:
                    seen += message.data.decode("utf-8", "replace")
                if "Corporate" in seen:
                    break
        fetched = await asyncio.gather(
            *(asyncio.to_thread(_fetch, port, path, cookie, "127.0.0.1") for path in files)
        )
    return seen, [status for status, _headers, _body in fetched]


def _fetch(
    port: int, path: str, headers: dict[str, str], source: str
) -> tuple[int, http.client.HTTPMessage, str]:
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=OWNER_WAIT, source_address=(source, 0)
    )
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def test_over_a_thousand_slow_clients_leave_the_owner_answered_and_the_log_quiet() -> None:
    with open_files(SLOW + 200), serving(files=1024) as served, ExitStack() as stack:
        started = time.monotonic()
        clients = [
            half_request(served.port, f"127.0.1.{1 + number % 125}", stack)
            for number in range(SLOW)
        ]
        assert sum(client is not None for client in clients) >= SLOW * 0.9
        # While they are open (the deadline has not passed for most): the owner's page,
        # then the explorer itself, which needs pipes and a process.
        screen, files = asyncio.run(owner_visit(served.port))
        assert "Corporate" in screen
        assert files == [200] * 4
        stack.close()
        code, err = stop(served)
    assert code == 0
    assert "Traceback" not in err and "Too many open files" not in err
    refused = [line for line in err.splitlines() if "refused" in line]
    # A line at most a second, each a sentence, however many were refused.
    assert 1 <= len(refused) <= 2 + (time.monotonic() - started), err[:2000]
    assert any("over the connection cap" in line for line in refused), refused
    assert all(line.startswith("barnet-tui: ") for line in err.splitlines()), err[:2000]


def test_a_client_that_never_finishes_its_request_is_closed() -> None:
    with serving("--request-deadline", f"{REQUEST_DEADLINE:g}") as served, ExitStack() as stack:
        client = half_request(served.port, "127.0.2.1", stack)
        assert client is not None
        assert closed_by_server(client, REQUEST_DEADLINE + _STARTUP / 2)
        _code, err = stop(served)
    assert "refused a connection from 127.0.2.1: no whole request within 1 s" in err


def test_one_address_gets_32_connections_without_the_token_and_the_owner_still_gets_in() -> None:
    with serving() as served, ExitStack() as stack:
        clients = [half_request(served.port, "127.0.3.1", stack) for _ in range(40)]
        assert all(client is not None for client in clients)
        # The owner, from the same address: the oldest slow one makes room.
        assert owner_page(served.port, source="127.0.3.1")[0] == 200
        alive = [client for client in clients if client is not None]
        readable, _, _ = select.select(alive, [], [], 1.0)  # closed ones are readable at once
        closed = [number for number, client in enumerate(alive) if client in readable]
        assert all(closed_by_server(alive[number], 0) for number in closed)
        _code, err = stop(served)
    # The oldest went: 8 over the 32, then one to make room for the owner.
    assert closed == list(range(9)), closed
    assert "32 connections from one address without the token" in err


def test_wrong_tokens_are_answered_ever_later_and_the_owner_is_not_kept_waiting() -> None:
    with serving("--guess-delay", "0.1") as served, ExitStack() as stack:  # 0.25 s unless set
        for _ in range(7):  # 3 answered at once, then after 0.1, 0.2, 0.4 and 0.8 s
            assert get(f"{served.base}/?token=guess-guess-guess-guess")[0] == 401
        # The eighth, answered after 1.6 s: the owner's request sent after it is answered
        # first.
        guess = socket.create_connection(("127.0.0.1", served.port), timeout=_STARTUP)
        stack.enter_context(guess)
        guess.sendall(
            f"GET /?token=guess-8-guess-guess HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n"
            "\r\n".encode()
        )
        answered = threading.Event()
        reply: list[bytes] = []

        def read() -> None:
            reply.append(guess.recv(4096))
            answered.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        assert owner_page(served.port)[0] == 200
        assert not answered.is_set(), reply
        reader.join(_STARTUP)
        guess.close()
        _code, err = stop(served)
    assert reply and reply[0].startswith(b"HTTP/1.1 401"), reply
    assert b"answered after 1.6 s: too many wrong tokens from here" in reply[0]
    assert "Traceback" not in err


def test_an_open_file_limit_too_low_for_the_sessions_is_one_line_and_exit_2() -> None:
    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (128, 128))

    done = subprocess.run(
        [sys.executable, "-m", "barnet_tui", "serve", "--max-sessions", "20", "--data", str(DATA)],
        **away(), capture_output=True, text=True, timeout=_STARTUP, check=False,
        preexec_fn=limited,
    )  # fmt: skip
    assert (done.returncode, done.stderr.count("\n")) == (2, 1), done.stderr
    assert "--max-sessions 20 leaves no room for connections under the open-file limit (128)" in (
        done.stderr
    )
