"""What the command-line tests share: a fixed terminal width, running a command as a user
does, and the golden files."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from barnet_tui.cli.main import main
from tests.conftest import DATA

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(autouse=True)
def _fixed_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")


def run_on_shipped_data(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``barnet-tui ARGS --data data``: exit status, stdout, stderr."""
    code = main([*args, "--data", str(DATA)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def joined(out: str) -> str:
    """Output with its wrapped sentences (continued on lines indented by two) joined back
    into one line each."""
    return out.replace("\n  ", " ")


def matches_golden(out: str, name: str) -> bool:
    """``out`` is the golden file ``name`` (UPDATE_GOLDEN=1 rewrites it first)."""
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(out, encoding="utf-8")
    return out == golden.read_text(encoding="utf-8")


def one_line_error(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[object, str]:
    """Exit status and stderr of a command expected to fail with one line."""
    with pytest.raises(SystemExit) as exited:
        raise SystemExit(main([*args, "--data", str(DATA)]))
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return exited.value.code, err


def in_a_terminal(args: list[str], env: dict[str, str], columns: int = 80) -> str:
    """What ``barnet-tui ARGS`` writes to a real pseudo-terminal ``columns`` wide (stdout is
    a terminal, so colour and width are the terminal's), as text."""
    script = (
        "import fcntl, os, pty, struct, sys, termios\n"
        "pid, fd = pty.fork()\n"
        "if pid == 0:\n"
        f"    fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack('HHHH', 24, {columns}, 0, 0))\n"
        f"    os.execv(sys.executable, [sys.executable, '-m', 'barnet_tui', *{args!r}])\n"
        "out = b''\n"
        "while True:\n"
        "    try:\n"
        "        chunk = os.read(fd, 65536)\n"
        "    except OSError:\n"
        "        break\n"
        "    if not chunk:\n"
        "        break\n"
        "    out += chunk\n"
        "os.waitpid(pid, 0); sys.stdout.write(out.decode())\n"
    )
    repo = Path(__file__).resolve().parents[2]
    # Run from elsewhere: the repository's config.toml would be said on the terminal too.
    env = {**env, "PYTHONPATH": os.pathsep.join(filter(None, [str(repo), env.get("PYTHONPATH")]))}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env,
        cwd=tempfile.gettempdir(),
        check=True,
    )  # fmt: skip
    return done.stdout.replace("\r\n", "\n")
