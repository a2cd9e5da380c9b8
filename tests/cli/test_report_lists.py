"""``barnet-tui --actions`` and ``--risks``: the quick check's other lists, as users get them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from barnet_tui.cli.main import main
from barnet_tui.domain.storage.generations import current_tables
from tests.cli.conftest import matches_golden, one_line_error, run_on_shipped_data
from tests.conftest import controls_in, dataset_copy

run = run_on_shipped_data


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "markdown"])
@pytest.mark.parametrize("which", ["actions", "risks"])
def test_each_list_matches_its_golden_file(
    capsys: pytest.CaptureFixture[str], which: str, fmt: str
) -> None:
    code, out, err = run(capsys, f"--{which}", "--format", fmt)
    assert (code, err) == (0, "")
    assert matches_golden(out, f"{which}-current.{fmt}")


def test_actions_are_every_one_not_green(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--actions", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    # Commissioning Group Q1: 12 Green Amber, 2 not rated; Family Services Q4 2015/16: 1 Red
    # Amber, 8 Green Amber, 1 not rated.
    assert len(rows) == 24
    assert {row["rag"] for row in rows} == {"Green Amber", "Red Amber", ""}
    assert not any(row["rag"] == "Green" for row in rows)


def test_risks_with_a_minimum_score_and_fail_if_any(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--risks", "--min-score", "16", "--period", "2015/16 Q4", "--format", "json"
    )
    assert code == 0
    assert [(row["risk_id"], row["score"]) for row in json.loads(out)] == [
        ("DUFS0035", 20),
        ("CSOC0004", 16),
    ]
    code, _, _ = run(capsys, "--risks", "--min-score", "25", "--fail-if-any")
    assert code == 0  # nothing scores 25: nothing to fail on
    code, _, _ = run(capsys, "--risks", "--fail-if-any")
    assert code == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--actions", "--risks"], "--actions and --risks are separate lists"),
        (["--actions", "--min-score", "12"], "--min-score goes with --risks"),
        (["--risks", "--min-score", "twelve"], "'twelve' is not a whole number"),
        (["--risks", "--min-score", "26"], "26 is not a risk score (1-25)"),
        (["--actions", "--rag", "R"], "--rag goes with --below-target"),
        (["--actions", "--period", "2020/21 Q1"], "no data for period '2020/21 Q1'"),
        (["--risks", "--service", "zz"], "unknown service 'zz'"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, err = one_line_error(capsys, args)
    assert code == 2
    assert message in err


def test_report_text_reaches_no_format_as_a_control_sequence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import polars as pl

    data = dataset_copy(tmp_path)
    risks = pl.read_parquet(current_tables(data) / "risks.parquet")
    hostile = "\x1b]0;pwned\x07\x1b[2J\u202e evil"
    risks = risks.with_columns(pl.lit(hostile).alias("description"))
    risks.write_parquet(current_tables(data) / "risks.parquet")
    for fmt in ("table", "csv", "json", "markdown"):
        code = main(["--risks", "--format", fmt, "--data", str(data)])
        out = capsys.readouterr().out
        assert code == 0
        assert not controls_in(out), fmt
