"""The quick check says which counts its footer stands on (the rows the dataset holds) and
beside them what the corporate summary shows for the same period: "22 R" and "R 37" are
explained where they stand, and agree with the explorer's summary."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from barnet_tui.cli.main import main
from barnet_tui.domain.contract import BELOW_TARGET_RAGS
from barnet_tui.domain.dataset import load_dataset
from tests.cli.conftest import joined, run_on_shipped_data
from tests.conftest import DATA, dataset_copy

Q4 = "2016/17 Q4"


def test_the_footer_names_its_basis_and_the_reports_own_counts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run_on_shipped_data(capsys, "--below-target", "--period", Q4)
    assert code == 0
    assert (
        "73 indicators below target, counted from the rows the dataset holds: 22 R · 4 RA · "
        "23 GA · 24 listed without a rating\n"
        "The report's own counts for 2016/17 Q4, as the summary shows them: 73 below target "
        "(R 37 · RA 7 · GA 29); its rows detail all 73, 24 without a rating.\n"
    ) in joined(out)


def test_the_reports_counts_are_the_summarys(capsys: pytest.CaptureFixture[str]) -> None:
    """The same figures the explorer's corporate summary shows for the period and service."""
    summary = load_dataset(DATA).summary(Q4, BELOW_TARGET_RAGS)
    for service in ("Commissioning Group", "Family Services"):
        row = summary.filter(summary["service"] == service).row(0, named=True)
        _, out, _ = run_on_shipped_data(
            capsys, "--below-target", "--period", Q4, "--service", service, "--format", "markdown"
        )
        counts = f"R {row['red']} · RA {row['red_amber']} · GA {row['green_amber']}"
        assert (
            f"The report's own counts for {service}, 2016/17 Q4, as the summary shows them: "
            f"{row['below']} below target ({counts}); its rows detail all {row['below']}"
        ) in out


def test_a_period_whose_report_publishes_no_counts_says_the_summary_counts_rows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run_on_shipped_data(capsys, "--below-target", "--period", "2017/18 Q4")
    assert (
        "The report publishes no counts for 2017/18 Q4: the summary counts these same rows."
    ) in joined(out)


def test_each_indicators_latest_row_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_on_shipped_data(capsys, "--below-target")
    assert (
        "80 indicators below target, counted from each indicator's latest row the dataset holds:"
    ) in joined(out)


def test_key_actions_say_how_many_of_how_many_and_the_overviews_own_count(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Family Services 2015/16 Q4: the summary's 12·3·0·0 (1) is the overview's count of its
    intentions; the list has 31 actions. Both stand, with why."""
    args = ["--actions", "--service", "fam", "--period", "2015/16 Q4"]
    code, out, _ = run_on_shipped_data(capsys, *args)
    assert code == 0
    assert (
        "10 of the 31 key actions the reports list are not on track (any rating but Green, "
        "or none).\nFamily Services, 2015/16 Q4: the report's overview counts 16 (G 12 · GA 3 "
        "· RA 0 · R 0 · 1 not rated), its intentions by their overall status; it lists 31."
    ) in joined(out)


def test_a_report_counting_what_its_rows_do_not_detail_is_never_an_all_clear(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Registrar's year-end rows read as on target (as a report that details only some
    would): its report still counts 6 below target. The empty list says so, and
    --fail-if-any exits 1, not 0."""

    def on_target(frame: pl.DataFrame) -> pl.DataFrame:
        registrar = pl.col("ref").str.starts_with("R/")
        return frame.with_columns(
            rag=pl.when(registrar).then(pl.lit("Green")).otherwise("rag"),
            below_target=pl.when(registrar).then(pl.lit(False)).otherwise("below_target"),
        )

    data = dataset_copy(tmp_path, on_target)
    args = ["--below-target", "--period", Q4, "--service", "Registrar", "--fail-if-any"]
    code = main([*args, "--data", str(data)])
    out = joined(capsys.readouterr().out)
    assert code == 1
    assert (
        "The report's own counts for Registrar Service, 2016/17 Q4, as the summary shows them: "
        "6 below target (R 2 · RA 0 · GA 4); its rows detail 0 of them (≠)."
    ) in out
