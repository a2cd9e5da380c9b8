"""File names, folders and prefixes whose bytes are not UTF-8 (a Latin-1 ``café.txt`` from an
old share): a report's name is stored with those bytes shown as the replacement character;
an ``--out`` or ``--data`` no Parquet writer or object key takes is one line and exit 2."""

from __future__ import annotations

import json
import os
from pathlib import Path

import polars as pl
import pytest

from barnet_tui.cli.main import main
from barnet_tui.domain.storage.generations import current_tables
from tests.ingest.test_command import EXCERPT, ingest, one_line_error

LATIN_NAME = os.fsdecode(b"caf\xe9.txt")
"""What Python makes of the bytes ``caf\\xe9.txt``: a lone surrogate for the last byte."""


def test_a_report_named_in_latin_1_is_stored_with_the_byte_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / LATIN_NAME
    report.write_bytes(EXCERPT.read_bytes())
    code, err = ingest(capsys, str(report), "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert "Traceback" not in err
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert [source["file"] for source in manifest["sources"]] == ["caf\ufffd.txt"]
    indicators = pl.read_parquet(current_tables(tmp_path / "out") / "indicators.parquet")
    assert indicators.height > 0
    assert indicators["source"].unique().to_list() == ["caf\ufffd.txt"]


def test_an_out_folder_not_named_in_utf8_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / os.fsdecode(b"out\xe9")
    code, err = ingest(capsys, str(EXCERPT), "--out", str(out))
    assert code == 2
    line = one_line_error(err)
    assert line.endswith(
        "out\ufffd: the path is not UTF-8 (its other bytes are shown as \ufffd); "
        "choose another folder"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("flag", ["--out", "--data"])
def test_a_store_prefix_not_in_utf8_is_one_line(
    capsys: pytest.CaptureFixture[str], flag: str
) -> None:
    url = "s3://bucket/" + os.fsdecode(b"q4\xe9")
    args = ["ingest", str(EXCERPT), "--out", url] if flag == "--out" else ["--data", url]
    code = main([*args, "--no-corrections"] if flag == "--out" else [*args, "--below-target"])
    line = one_line_error(capsys.readouterr().err)
    assert code == 2
    assert "surrogate" not in line
    assert line.endswith(
        "s3://bucket/q4\ufffd: the prefix is not UTF-8 (its other bytes are shown as \ufffd); "
        "an object's key is UTF-8 text"
    )


def test_a_data_folder_not_named_in_utf8_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / os.fsdecode(b"data\xe9")
    code = main(["--below-target", "--data", str(data)])
    line = one_line_error(capsys.readouterr().err)
    assert code == 2
    assert line.endswith(
        "data\ufffd: the path is not UTF-8 (its other bytes are shown as \ufffd); "
        "rename the folder or choose another"
    )
