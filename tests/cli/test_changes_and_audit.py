"""``barnet-tui changes`` and ``barnet-tui audit`` as users and scripts get them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import polars as pl
import pytest

from barnet_tui.cli.main import main
from barnet_tui.domain.storage.generations import current_tables
from tests.cli.conftest import matches_golden, one_line_error, run_on_shipped_data
from tests.conftest import HOSTILE, controls_in, hostile_dataset, set_for_ref

FS_SPAN = ["--from", "2015/16 Q4", "--to", "2016/17 Q4", "--service", "Family Services"]


run = run_on_shipped_data


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "markdown"])
@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("changes-family-services", ["changes", *FS_SPAN]),
        ("changes-default", ["changes"]),
        ("audit-2016-17-q4", ["audit", "--period", "2016/17 Q4"]),
    ],
)
def test_output_matches_its_golden_file(
    capsys: pytest.CaptureFixture[str], name: str, args: list[str], fmt: str
) -> None:
    code, out, err = run(capsys, *args, "--format", fmt)
    assert (code, err) == (0, "")
    assert matches_golden(out, f"{name}.{fmt}")


def test_changes_are_one_record_each(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "changes", *FS_SPAN, "--format", "json")
    records = json.loads(out)
    assert len(records) == 22
    assert {"service", "ref", "change", "from_rag", "to_rag"} <= set(records[0])
    first = records[0]
    assert (first["ref"], first["change"], first["from_rag"], first["to_rag"]) == (
        "FS/S7", "newly below target", "Green", None,
    )  # fmt: skip


def test_changes_fail_if_any_only_when_something_got_worse(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, _ = run(capsys, "changes", *FS_SPAN, "--fail-if-any")
    assert code == 1  # FS/S7 newly below target
    # Between the addendum and the year end Barnet Homes only gained and lost indicators.
    # Nothing it gives has an earlier figure: that is said, never "no changes", and
    # --fail-if-any exits 3 (unknown), not 0 (issue 28).
    code, out, _ = run(capsys, "changes", "--service", "Barnet Homes", "--fail-if-any")
    assert code == 3
    assert (
        "Council-wide: Nothing could be compared · not comparable: 3 new, 2 dropped"
    ) in out.replace("\n  ", " ")
    assert "  0 compared; not comparable: 3 new, 2 dropped\n" in out
    code, _, _ = run(capsys, "changes", "--service", "Barnet Homes")
    assert code == 0


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_a_service_not_in_both_periods_asked_for_is_said_to_be_not_compared(
    capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    """Family Services has no 2016/17 Q1 report: "No changes" alone would read as none."""
    span = ["--from", "2016/17 Q1", "--to", "2016/17 Q4", "--service", "fam"]
    code, out, _ = run(capsys, "changes", *span, "--format", fmt)
    assert code == 0
    assert out.rstrip().endswith("Not compared (no report to compare with): Family Services")


def test_audit_records_and_agreement_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "audit")
    assert code == 0
    assert "The rule agrees with 36 of 53 published ratings it can check (68%)." in out
    lines = [line.split() for line in out.splitlines()]
    assert ["✗", "RA", "≠", "G", "SS/C1", "Street", "Scene,", "2016/17", "Q4"] in lines
    _, out, _ = run(capsys, "audit", "--format", "csv")
    records = list(csv.DictReader(io.StringIO(out)))
    assert len(records) == 229  # every indicator row, each in one of the three kinds
    assert {"period", "service", "ref", "published", "computed", "agrees", "working"} <= set(
        records[0]
    )
    assert {row["agrees"] for row in records} == {"true", "false", ""}
    code, _, _ = run(capsys, "audit", "--fail-if-any")
    assert code == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["changes", "--from", "2016/17 Q4", "--to", "2015/16 Q4"], "is not after --from"),
        (["changes", "--to", "2030/31 Q1"], "no data for period '2030/31 Q1'"),
        (["changes", "--service", "zz"], "unknown service 'zz'"),
        (["changes", "--format", "xml"], "invalid choice: 'xml'"),
        (["audit", "--period", "someday"], "unknown period 'someday'"),
        # A well-formed period the data does not have is not "nothing to audit".
        (["audit", "--period", "2016/17 Q2"], "no data for period '2016/17 Q2'"),
        (["audit", "--below-target"], "unrecognized arguments: --below-target"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, err = one_line_error(capsys, args)
    assert code == 2
    assert message in err


def test_a_dataset_that_is_not_there(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("changes", "audit"):
        code = main([command, "--data", str(tmp_path / "nowhere")])
        err = capsys.readouterr().err
        assert (code, err.count("\n")) == (2, 1), err


@pytest.mark.parametrize(
    "args", [["changes", *FS_SPAN], ["audit", "--period", "2016/17 Q4"]], ids=["changes", "audit"]
)
def test_report_text_reaches_no_format_as_a_control_sequence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    # FS/S7 is in the Family Services changes; R/3 (the hostile dataset's) in the audit.
    data = hostile_dataset(tmp_path)
    indicators = current_tables(data) / "indicators.parquet"
    set_for_ref("indicator", "FS/S7", HOSTILE)(pl.read_parquet(indicators)).write_parquet(
        indicators
    )
    for fmt in ("table", "csv", "json", "markdown"):
        code = main([*args, "--format", fmt, "--data", str(data)])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        assert "pwned" in captured.out, fmt  # the text is there, made inert
        assert not controls_in(captured.out + captured.err), fmt


def test_the_audit_flags_a_green_amber_far_below_target_whole_at_80_columns(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """R/8 was filed under "cannot rate: % achieved is undefined"; a plain comparison says
    it is 29 points below target, and the working is whole, never cut, at 80 columns."""
    code, out, _ = run(
        capsys, "audit", "--period", "2016/17 Q4", "--service", "Registrar", "--fail-if-any"
    )
    assert code == 1
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "✗ GA ≠ far off  R/8 " in out
    working = " ".join(line.strip() for line in out.split("R/8", 1)[1].splitlines()[1:5])
    assert working.startswith(
        "Green Amber published, but 61% against a target of 90% is 29 points below target "
        "(32.2% off; bigger is better), down from 93%. The % of the targeted improvement is "
        "undefined (the comparison figure 93 already met the target), and the key gives Green "
        "Amber otherwise only within 5% of target."
    )
    assert "…" not in out
