"""Tables fit: the terminal's width, 80 columns in a pipe or a file, or ``--width N``."""

from __future__ import annotations

import os

import pytest

from tests.cli.conftest import in_a_terminal, one_line_error, run_on_shipped_data
from tests.conftest import DATA

TABLES = [
    ["--below-target"],
    ["--below-target", "--period", "all"],
    ["--below-target", "--period", "2016/17 Q4"],
    ["--actions"],
    ["--risks"],
    ["changes"],
    ["changes", "--from", "2016/17 Q3", "--to", "2016/17 Q4"],
    ["audit"],
    ["audit", "--period", "2016/17 Q4"],
]


def widest(out: str) -> int:
    return max(len(line) for line in out.splitlines())


@pytest.mark.parametrize("args", TABLES, ids=" ".join)
def test_a_piped_table_is_80_columns_whatever_columns_says(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    # The fixture sets COLUMNS=100: a pipe has no terminal, so it is 80 all the same.
    code, out, _err = run_on_shipped_data(capsys, *args)
    assert code == 0 and widest(out) <= 80


@pytest.mark.parametrize("width", [60, 61, 79, 132])
@pytest.mark.parametrize("args", TABLES, ids=" ".join)
def test_width_sets_the_table_width(
    capsys: pytest.CaptureFixture[str], args: list[str], width: int
) -> None:
    code, out, _err = run_on_shipped_data(capsys, *args, "--width", str(width))
    assert code == 0 and widest(out) <= width
    assert widest(out) >= width - 10  # it uses the room it has


def test_a_narrow_quick_check_keeps_the_names_and_shows_arrows_with_a_key(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _code, out, _err = run_on_shipped_data(capsys, "--below-target", "--width", "80")
    line = next(line for line in out.splitlines() if "AC/C12" in line)
    assert "Number of delayed transfers" in line and line.rstrip().endswith("▼  2016/17 Q4")
    assert "Direction of travel: ▲ improving · ▼ worsening" in out
    _code, wide, _err = run_on_shipped_data(capsys, "--below-target", "--width", "120")
    assert "▼ Worsening" in wide and "Direction of travel" not in wide


@pytest.mark.parametrize("value", ["abc", "59", "1001", "", "8O"])
@pytest.mark.parametrize("command", [["--below-target"], ["--risks"], ["changes"], ["audit"]])
def test_a_bad_width_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], command: list[str], value: str
) -> None:
    code, err = one_line_error(capsys, [*command, "--width", value])
    assert code == 2 and "--width" in err


def test_width_goes_with_a_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = one_line_error(capsys, ["--width", "80"])
    assert code == 2 and "--width goes with --below-target, --actions or --risks" in err


@pytest.mark.parametrize("columns", [64, 100])
def test_on_a_terminal_the_table_is_the_terminal_width(columns: int) -> None:
    """A real pseudo-terminal of ``columns`` columns, without COLUMNS in the environment."""
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    env["NO_COLOR"] = "1"
    shown = in_a_terminal(["--below-target", "--data", str(DATA)], env, columns)
    lines = shown.splitlines()
    assert len(lines) > 20
    assert max(len(line) for line in lines) == columns
