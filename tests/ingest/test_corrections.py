"""The reviewed corrections file: applied, listed in the manifest, and strict about its form."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from barnet_tui.cli.main import main
from barnet_tui.domain.storage.generations import current_tables

EXCERPT = Path(__file__).resolve().parent / "excerpts" / "eoy-quarterly.txt"
HEADER = "source,line,column,value,reason\n"


def run_ingest(
    tmp_path: Path, corrections: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    path = tmp_path / "corrections.csv"
    path.write_text(HEADER + corrections, encoding="utf-8")
    code = main(
        ["ingest", str(EXCERPT), "--out", str(tmp_path / "out"), "--corrections", str(path)]
    )
    return code, capsys.readouterr().err


def test_a_correction_sets_the_value_and_is_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run_ingest(
        tmp_path, "eoy-quarterly.txt,23,result,13.9,Checked against the published PDF\n", capsys
    )
    assert code == 0
    frame = pl.read_csv(current_tables(tmp_path / "out") / "indicators.csv")
    assert frame.filter(pl.col("ref") == "PH/C14")["result"].to_list() == [13.9]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["corrections"] == [
        {
            "source": "eoy-quarterly.txt",
            "line": 23,
            "column": "result",
            "value": 13.9,
            "reason": "Checked against the published PDF",
        }
    ]
    assert (tmp_path / "out" / "corrections.csv").read_text().startswith(HEADER)


def test_a_correction_that_matches_no_row_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run_ingest(tmp_path, "eoy-quarterly.txt,999,comment,x,Moved\n", capsys)
    assert code == 0
    assert "eoy-quarterly.txt:999: correction of comment matches no indicator row" in err


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "eoy-quarterly.txt,23,colour,red,Why\n",
            "'colour' is not a correctable indicators column",
        ),
        ("eoy-quarterly.txt,23,result,13.9,\n", "every correction needs a reason"),
        ("eoy-quarterly.txt,23,result,lots,Why\n", "'lots' is not a valid result"),
        ("eoy-quarterly.txt,23,rag,Amber,Why\n", "'Amber' is not one of Green, Green Amber"),
        ("eoy-quarterly.txt,x,result,1,Why\n", "line 'x' is not a number"),
        (
            "eoy-quarterly.txt,23,comment,\x1b]0;PWNED\x07late,Why\n",
            "the value '\ufffd]0;PWNED\ufffdlate' holds a control character (shown as \ufffd); "
            "a corrections file is plain text",
        ),
        (
            "eoy-quarterly.txt,23,comment,late,\u202eyhW\n",
            "the reason '\ufffdyhW' holds a control character",
        ),
    ],
)
def test_a_bad_correction_stops_ingest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], entry: str, message: str
) -> None:
    code, err = run_ingest(tmp_path, entry, capsys)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()
