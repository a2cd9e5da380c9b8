"""Options go before or after a subcommand: ``--data DIR changes`` is ``changes --data DIR``."""

from __future__ import annotations

import pytest

from barnet_tui.cli.main import main
from tests.conftest import DATA


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (["--data", str(DATA)], ["changes", "--service", "fam"]),
        (["--data", str(DATA), "--format", "csv"], ["audit", "--period", "2016/17 Q4"]),
        ([f"--data={DATA}", "--width", "60"], ["changes"]),
    ],
)
def test_options_before_a_subcommand_work_as_after_it(
    capsys: pytest.CaptureFixture[str], before: list[str], after: list[str]
) -> None:
    first = main([*before, *after])
    out_before, err_before = capsys.readouterr()
    second = main([*after, *before])
    out_after, err_after = capsys.readouterr()
    assert (first, err_before) == (second, err_after) == (0, "")
    assert out_before == out_after
    assert out_before


def test_an_option_value_is_never_taken_for_a_subcommand(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``--service audit`` names a service called audit (there is none), not the audit."""
    code = main(["--below-target", "--service", "audit", "--data", str(DATA)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "unknown service 'audit'" in err


def test_an_option_the_subcommand_does_not_take_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--data", str(DATA), "--indicator", "FS/S11", "changes"])
    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert err.count("\n") == 1 and "unrecognized arguments: --indicator FS/S11" in err
