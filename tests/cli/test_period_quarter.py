"""A ``--period`` whose quarter is outside 1-4 is refused, never read as another period."""

from __future__ import annotations

from pathlib import Path

import pytest

from barnet_tui.cli.main import main
from barnet_tui.domain.periods import Period, QuarterError


@pytest.mark.parametrize(
    "typed", ["2016/17 Q9", "2016/17 Q0", "2016/17 Q5", "2016/17 Q12", "Q5 2016/17"]
)
def test_ingest_refuses_a_quarter_outside_one_to_four(
    typed: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "c_noper.csv"
    report.write_text("ref,indicator,result\nFS/S1,Families helped,1.5\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["ingest", str(report), "--period", typed, "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert repr(typed) in err and "quarter" in err
    assert not out.exists()


def test_ingest_still_takes_a_quarter_in_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "c_noper.csv"
    report.write_text("ref,indicator,result\nFS/S1,Families helped,1.5\n", encoding="utf-8")
    assert (
        main(["ingest", str(report), "--period", "Q3 2016/17", "--out", str(tmp_path / "o")]) == 0
    )
    capsys.readouterr()


def test_period_parse_names_the_quarter() -> None:
    with pytest.raises(QuarterError, match="quarter 9 is not 1-4"):
        Period.parse("2016/17 Q9")
