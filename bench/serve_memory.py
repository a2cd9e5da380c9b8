"""Memory per served session, and how long a gone browser's session takes to end.

Starts ``barnet-tui serve`` with the default cap, opens sessions over WebSockets the way a
browser does (each asks for a screen size: 80x24, 200x60, and 10000x10000, which the
server caps), waits until each has drawn its summary, and reads every explorer's memory
from /proc: RSS (what ``top`` shows) and PSS (shared pages split between the processes
that share them, so the PSS of N sessions adds up to what N sessions cost). Then one more
connection than the cap is refused, every browser goes at once, and the time until the
last explorer has ended is printed.

    python bench/serve_memory.py [--sessions 10] [--data DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
TOKEN = "bench-token-not-secret"
SIZES = [(80, 24), (200, 60), (10000, 10000)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def children(pid: int) -> list[int]:
    """The process's children, read from each of its threads (a thread may end meanwhile)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def memory_mib(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of one process in MiB."""
    rss = pss = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, value = line.partition(":")
        if name == "Rss":
            rss = int(value.split()[0])
        elif name == "Pss":
            pss = int(value.split()[0])
    return rss / 1024, pss / 1024


async def open_session(port: int, width: int, height: int) -> Any:
    """A browser's WebSocket, once the explorer behind it has drawn its summary."""
    import aiohttp

    session = aiohttp.ClientSession()
    url = f"http://127.0.0.1:{port}/ws?token={TOKEN}&width={width}&height={height}"
    websocket = await session.ws_connect(url, headers={"Origin": f"http://127.0.0.1:{port}"})
    await websocket.send_str(json.dumps(["resize", {"width": width, "height": height}]))
    seen = ""
    async with asyncio.timeout(120):
        while "All services" not in seen:
            message = await websocket.receive()
            if message.type == aiohttp.WSMsgType.BINARY:
                seen += message.data.decode("utf-8", "replace")
            elif message.type != aiohttp.WSMsgType.TEXT:
                raise RuntimeError(f"session ended early: {message.type}")
    return session, websocket


async def measure(port: int, server: subprocess.Popen[bytes], sessions: int) -> list[str]:
    """The figures, as lines of text."""
    import aiohttp

    lines: list[str] = []
    opened = []
    sizes = [SIZES[number % len(SIZES)] for number in range(sessions)]
    for width, height in sizes:
        opened.append(await open_session(port, width, height))
    explorers = children(server.pid)
    rows = []
    for pid, (width, height) in zip(sorted(explorers), sizes, strict=False):
        rows.append((width, height, *memory_mib(pid)))
    lines.append(f"{len(explorers)} sessions open (asked sizes cycle {SIZES}; the cap is 400x200)")
    lines.append(f"{'asked':>12} {'RSS MiB':>9} {'PSS MiB':>9}")
    for width, height, rss, pss in rows:
        lines.append(f"{f'{width}x{height}':>12} {rss:9.1f} {pss:9.1f}")
    rss, pss = statistics.median(r[2] for r in rows), statistics.median(r[3] for r in rows)
    lines.append(f"median per session: RSS {rss:.1f} MiB, PSS {pss:.1f} MiB")
    server_rss = memory_mib(server.pid)[0]
    total = sum(r[3] for r in rows)
    lines.append(f"all sessions: PSS {total:.1f} MiB; the server itself: RSS {server_rss:.1f} MiB")
    async with aiohttp.ClientSession() as client:
        url = f"http://127.0.0.1:{port}/?token={TOKEN}"
        async with client.get(url, headers={"Host": f"127.0.0.1:{port}"}) as response:
            full = "The server is full" in await response.text()
            status = response.status
    lines.append(f"one more browser: HTTP {status}, told the server is full: {full}")
    started = time.monotonic()
    for session, websocket in opened:
        websocket._response.connection.transport.abort()  # gone, as a closed tab
        await session.close()
    while children(server.pid):
        await asyncio.sleep(0.05)
    ended = time.monotonic() - started
    lines.append(f"all {len(opened)} browsers gone: every explorer ended within {ended:.2f} s")
    return lines


def sessions_figures(sessions: int = 10, data: Path = REPO / "data") -> list[str]:
    """Start a server, measure ``sessions`` sessions, stop it: the figures as lines."""
    port = free_port()
    environment = {**os.environ, "BARNET_TUI_TOKEN": TOKEN}
    environment["PYTHONPATH"] = os.pathsep.join([str(REPO), environment.get("PYTHONPATH", "")])
    server = subprocess.Popen(
        [sys.executable, "-m", "barnet_tui", "serve", "--port", str(port),
         "--max-sessions", str(sessions), "--data", str(data)],
        env=environment, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        return asyncio.run(measure(port, server, sessions))
    finally:
        server.terminate()
        server.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--data", type=Path, default=REPO / "data")
    args = parser.parse_args()
    print("\n".join(sessions_figures(args.sessions, args.data)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
