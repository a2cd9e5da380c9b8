"""The installed command in a real pseudo-terminal: it shows the summary and quits on q."""

from __future__ import annotations

import os
import pty
import re
import select
import struct
import sys
import time
from fcntl import ioctl
from pathlib import Path
from termios import TIOCSWINSZ

from tests.conftest import DATA

ESCAPES = re.compile(
    r"\x1b\[[0-9;?<>=]*[A-Za-z~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[=>]"
)


def read_until(fd: int, wanted: str, seen: list[str], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return False
        seen.append(chunk.decode("utf-8", errors="replace"))
        if wanted in ESCAPES.sub("", "".join(seen)):
            return True
    return False


def test_installed_command_shows_the_summary_and_quits_on_q() -> None:
    command = Path(sys.executable).parent / "barnet-tui"
    argv = [str(command)] if command.exists() else [sys.executable, "-m", "barnet_tui"]
    pid, fd = pty.fork()
    if pid == 0:  # the child: the app, on an 80x24 terminal
        os.environ.update(TERM="xterm-256color", COLUMNS="80", LINES="24")
        os.execv(argv[0], [*argv, "--data", str(DATA)])
    try:
        ioctl(fd, TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        seen: list[str] = []
        assert read_until(fd, "All services", seen), ESCAPES.sub("", "".join(seen))[-2000:]
        assert "367 reported" in ESCAPES.sub("", "".join(seen))
        os.write(fd, b"q")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            read_until(fd, "\x00never", seen, timeout=0.2)
        else:
            os.kill(pid, 9)
            raise AssertionError("barnet-tui did not quit on q")
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        os.close(fd)
