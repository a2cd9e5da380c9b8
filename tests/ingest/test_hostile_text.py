"""Report text is hostile: ingest stores none of its control or bidi characters, says so once
per report, and never prints one from a file name."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from barnet_tui.cli.main import main
from barnet_tui.domain.storage.generations import current_tables
from tests.conftest import HOSTILE, controls_in

EXCERPT = Path(__file__).resolve().parent / "excerpts" / "eoy-quarterly.txt"
NAME = "Re-presentations - opiate users"  # PH/C14, line 23
COMMENT = "London average."  # the end of PH/C12's comment, line 22


def hostile_report(path: Path) -> Path:
    """The excerpt with ``HOSTILE`` (8 control or bidi characters) after PH/C14's name and
    after PH/C12's comment, which also gets a bidi override written as an HTML entity."""
    text = EXCERPT.read_text(encoding="utf-8")
    assert text.count(f"\t{NAME}\t") == 1 and text.count(f"{COMMENT}\n") == 1
    text = text.replace(f"\t{NAME}\t", f"\t{NAME} {HOSTILE}\t")
    text = text.replace(f"{COMMENT}\n", f"{COMMENT} {HOSTILE} &#x202e;reversed\n")
    path.write_text(text, encoding="utf-8")
    return path


def ingest(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    code = main(["ingest", *map(str, args), "--no-corrections"])
    return code, capsys.readouterr().err


def test_stored_text_has_no_control_characters_and_one_warning_says_how_many(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = hostile_report(tmp_path / "eoy-quarterly.txt")
    code, err = ingest(capsys, report, "--out", tmp_path / "out")
    assert code == 0
    removed = [line for line in err.splitlines() if "control or bidi" in line]
    assert removed == [
        "warning: eoy-quarterly.txt:22: removed 17 control or bidi characters from the text"
    ]
    assert "eoy-quarterly.txt:29: stray text 'F' before ref 'PH/C21' ignored" in err
    out = tmp_path / "out"
    for stored in [*sorted(current_tables(out).glob("*.csv")), out / "manifest.json"]:
        assert controls_in(stored.read_text(encoding="utf-8")) == [], stored.name
    indicators = pl.read_parquet(current_tables(out) / "indicators.parquet")
    for column in indicators.select(pl.col(pl.String)).columns:
        assert controls_in("".join(indicators[column].drop_nulls())) == [], column
    rows = {row["ref"]: row for row in indicators.iter_rows(named=True)}
    assert rows["PH/C14"]["indicator"] == f"{NAME} ]0;pwned [2J"
    assert rows["PH/C12"]["comment"].endswith(f"{COMMENT} ]0;pwned [2J reversed")


def test_file_names_with_control_characters_are_printed_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = hostile_report(tmp_path / "q4 \x1b[31m.txt")
    out = tmp_path / f"out {HOSTILE}"
    code, err = ingest(capsys, report, "--out", out)
    assert code == 0
    assert "warning: q4 \ufffd[31m.txt:22: removed 17 control or bidi characters" in err
    assert "ingested 1 reports into " in err and "out \ufffd]0;pwned\ufffd" in err
    assert controls_in(err) == []
    stored = pl.read_parquet(current_tables(out) / "indicators.parquet", glob=False)
    assert stored["source"].unique().to_list() == ["q4 \ufffd[31m.txt"]

    empty = tmp_path / "empty \x1b[31m.txt"
    empty.write_text("\x1b\x07\u202e\n\x9b\n", encoding="utf-8")  # nothing else
    code, err = ingest(capsys, empty, "--out", tmp_path / "elsewhere")
    assert code == 2
    assert err.endswith("empty \ufffd[31m.txt: empty file, not a performance report\n")
    assert controls_in(err) == []

    code, err = ingest(capsys, tmp_path / "gone \x1b[2J.txt", "--out", tmp_path / "elsewhere")
    assert (code, err.endswith("gone \ufffd[2J.txt: no such file\n")) == (2, True)
    assert controls_in(err) == []

    not_a_dataset = tmp_path / "notes \x1b]0;pwned\x07"
    not_a_dataset.mkdir()
    (not_a_dataset / "keep.txt").write_text("mine\n", encoding="utf-8")
    code, err = ingest(capsys, report, "--out", not_a_dataset)
    assert code == 2
    assert "notes \ufffd]0;pwned\ufffd: exists and is not a barnet-tui dataset" in err
    assert controls_in(err) == []
