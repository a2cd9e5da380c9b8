"""A user's reviewed corrections survive a refresh: ``--out``'s own corrections file is the one
applied, and a corrections file holding edits is never replaced without a word.

These run as a wheel installs barnet-tui: its shipped dataset (and corrections) inside the
package, apart from the ``data/`` folder the user ingests into."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from barnet_tui import paths
from barnet_tui.cli.main import main
from barnet_tui.domain.storage.generations import current_tables

EXCERPT = Path(__file__).resolve().parent / "excerpts" / "eoy-quarterly.txt"
HEADER = "source,line,column,value,reason\n"
REVIEWED = "eoy-quarterly.txt,23,result,13.9,Checked against the published PDF\n"


@pytest.fixture
def out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    """A dataset ingested by an installed barnet-tui, whose user then reviewed a figure and
    added a line to ``out/corrections.csv``."""
    package = tmp_path / "site-packages" / "barnet_tui"
    (package / "_data").mkdir(parents=True)
    (package / "_data" / "corrections.csv").write_text(HEADER, encoding="utf-8")
    monkeypatch.setattr(paths, "_PACKAGE", package)
    assert paths.shipped_data_dir() == package / "_data"
    out = tmp_path / "data"
    assert main(["ingest", str(EXCERPT), "--out", str(out)]) == 0
    with (out / "corrections.csv").open("a", encoding="utf-8") as corrections:
        corrections.write(REVIEWED)
    capsys.readouterr()
    return out


def result_of_ph_c14(out: Path) -> list[float | None]:
    frame = pl.read_csv(current_tables(out) / "indicators.csv")
    return frame.filter(pl.col("ref") == "PH/C14")["result"].to_list()


def test_the_readme_command_applies_and_keeps_the_users_line(
    out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(EXCERPT), "--out", str(out)]) == 0
    assert (out / "corrections.csv").read_text(encoding="utf-8") == HEADER + REVIEWED
    assert result_of_ph_c14(out) == [13.9]
    assert f"1 corrections from {out / 'corrections.csv'}" in capsys.readouterr().err


def test_other_corrections_never_replace_edited_ones_silently(
    out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.csv"
    other.write_text(HEADER, encoding="utf-8")
    manifest = (out / "manifest.json").read_bytes()
    assert main(["ingest", str(EXCERPT), "--out", str(out), "--corrections", str(other)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"barnet-tui ingest: error: {out / 'corrections.csv'} differs from the corrections.csv "
        "applied, and was not written by ingest; nothing written (apply it with --corrections "
        f"{out / 'corrections.csv'}, or move it away)\n"
    )
    assert (out / "corrections.csv").read_text(encoding="utf-8") == HEADER + REVIEWED
    assert (out / "manifest.json").read_bytes() == manifest


def test_corrections_as_ingest_wrote_them_are_replaced(
    out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (out / "corrections.csv").write_text(HEADER, encoding="utf-8")  # the edit undone
    other = tmp_path / "other.csv"
    other.write_text(HEADER + REVIEWED, encoding="utf-8")
    assert main(["ingest", str(EXCERPT), "--out", str(out), "--corrections", str(other)]) == 0
    assert (out / "corrections.csv").read_text(encoding="utf-8") == HEADER + REVIEWED
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [entry["line"] for entry in manifest["corrections"]] == [23]


def test_no_corrections_leaves_the_reviewed_file(
    out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(EXCERPT), "--out", str(out), "--no-corrections"]) == 0
    assert (out / "corrections.csv").read_text(encoding="utf-8") == HEADER + REVIEWED
    assert result_of_ph_c14(out) != [13.9]
    assert "kept 1 file ingest did not write" in capsys.readouterr().err
