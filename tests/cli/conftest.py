"""What the command-line tests share: a fixed terminal width, running a command as a user
does, and the golden files."""

from __future__ import annotations

import os
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
