"""Every "nothing" the command line prints says what it judged, and with nothing to judge it
says so and ``--fail-if-any`` exits 3 (UNKNOWN, as monitoring plugins use it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from barnet_tui.cli.main import main
from barnet_tui.domain.storage.generations import current_tables
from tests.cli.conftest import joined, run_on_shipped_data
from tests.conftest import DATA, dataset_copy

Q3, Q4 = "2016/17 Q3", "2016/17 Q4"


def test_a_period_with_no_rating_is_nothing_to_judge_not_an_all_clear(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_on_shipped_data(capsys, "--below-target", "--period", Q3)
    assert (code, err) == (0, "")
    assert "2016/17 Q3: 0 of 63 indicators carry a rating; nothing to judge." in joined(out)
    assert "Nothing is below target" not in out
    code, _, _ = run_on_shipped_data(capsys, "--below-target", "--period", Q3, "--fail-if-any")
    assert code == 3
    code, out, _ = run_on_shipped_data(
        capsys, "--below-target", "--period", Q3, "--format", "markdown", "--fail-if-any"
    )
    assert code == 3
    assert "0 of 63 indicators carry a rating; nothing to judge." in out


def test_nothing_below_target_says_how_many_rated_indicators_it_judged(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The 2017/18 Q4 report (which publishes no counts of its own) with every rated row made
    Green: a judged all-clear, exit 0 under --fail-if-any."""

    def green(frame: pl.DataFrame) -> pl.DataFrame:
        rated = (pl.col("period") == "2017/18 Q4") & pl.col("rag").is_in(
            ["Green Amber", "Red Amber", "Red"]
        )
        return frame.with_columns(
            rag=pl.when(rated).then(pl.lit("Green")).otherwise("rag"),
            below_target=pl.when(rated).then(pl.lit(False)).otherwise("below_target"),
        )

    data = dataset_copy(tmp_path, green)
    args = ["--below-target", "--period", "2017/18 Q4", "--fail-if-any"]
    code = main([*args, "--data", str(data)])
    out = capsys.readouterr().out
    assert code == 0
    assert (
        "Nothing is below target among the 35 rated indicators of 2017/18 Q4 (12 more carry "
        "no rating)."
    ) in joined(out)


def test_rows_marked_below_without_a_rating_are_not_called_rated(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run_on_shipped_data(
        capsys, "--below-target", "--period", "2016/17 Q1", "--rag", "R", "--fail-if-any"
    )
    assert code == 0  # 13 judged (listed below target), none rated R
    assert (
        "Nothing below target is rated R among the 13 indicators of 2016/17 Q1 rated or marked "
        "below target (15 more are neither)."
    ) in joined(out)


def test_a_period_with_no_key_action_says_it_holds_none(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run_on_shipped_data(capsys, "--actions", "--period", Q4)
    assert code == 0
    assert "2016/17 Q4 holds no key action; nothing to judge." in out
    assert "is on track" not in out
    code, _, _ = run_on_shipped_data(capsys, "--actions", "--period", Q4, "--fail-if-any")
    assert code == 3
    code, out, _ = run_on_shipped_data(capsys, "--risks", "--period", Q3, "--fail-if-any")
    assert code == 3
    assert "2016/17 Q3 holds no risk; nothing to judge." in out


def test_every_key_action_on_track_says_how_many(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    actions = current_tables(data) / "actions.parquet"
    frame = pl.read_parquet(actions)
    frame.with_columns(rag=pl.lit("Green")).write_parquet(actions)
    args = ["--actions", "--period", "2015/16 Q4", "--fail-if-any", "--data", str(data)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Every one of the 31 key actions of 2015/16 Q4 is on track." in out


def test_risks_scored_high_say_how_many_were_scored(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_on_shipped_data(
        capsys, "--risks", "--min-score", "25", "--period", "2015/16 Q4", "--fail-if-any"
    )
    assert code == 0
    assert "No risk is scored 25 or more among the 10 scored risks of 2015/16 Q4." in joined(out)


def test_an_audit_with_nothing_to_check_says_so_and_exits_3(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run_on_shipped_data(capsys, "audit", "--period", Q3, "--fail-if-any")
    assert code == 3
    assert "0 of the 63 indicator rows carry a published rating; nothing to check." in out
    code, _, _ = run_on_shipped_data(capsys, "audit", "--period", Q4, "--fail-if-any")
    assert code == 1


def test_changes_with_nothing_compared_exit_3(capsys: pytest.CaptureFixture[str]) -> None:
    # Barnet Homes' latest report gives no indicator an earlier figure, nor prints one.
    code, out, _ = run_on_shipped_data(
        capsys, "changes", "--service", "Barnet Homes", "--fail-if-any"
    )
    assert code == 3
    assert "Nothing could be compared" in out


def test_help_and_readme_document_exit_3(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["--help"], ["changes", "--help"], ["audit", "--help"]):
        with pytest.raises(SystemExit):
            main(args)
        out = joined(capsys.readouterr().out)
        assert "3 nothing to judge" in out, args
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "3 with `--fail-if-any` when\n  there was nothing to judge" in readme
