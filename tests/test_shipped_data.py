"""The shipped ``data/`` is exactly what ingest makes of the reports, and says what they say."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import polars as pl
import pytest

from barnet_tui.cli.main import main
from barnet_tui.domain.storage.generations import current_tables
from tests.conftest import DATA, FIXTURES, REPORTS

FIELDS = ("service", "polarity", "target", "result", "previous", "rag", "below_target", "dot")


def test_shipped_data_is_a_fresh_ingest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "data"
    reports = sorted(str(path) for path in REPORTS.glob("*.txt"))
    assert main(["ingest", *reports, "--out", str(out)]) == 0
    capsys.readouterr()
    shipped = files_in(DATA)
    assert files_in(out) == shipped  # the generation's name too: it is its tables' hash
    for name in shipped:
        if name == "manifest.json":
            fresh = json.loads((out / name).read_text())
            old = json.loads((DATA / name).read_text())
            fresh.pop("generated_at")
            old.pop("generated_at")
            assert fresh == old
        elif name.endswith(".parquet"):
            # The same rows and types; the bytes depend on the Polars version that wrote them.
            fresh_frame, shipped_frame = pl.read_parquet(out / name), pl.read_parquet(DATA / name)
            assert fresh_frame.equals(shipped_frame) and fresh_frame.schema == shipped_frame.schema
        else:
            assert (out / name).read_bytes() == (DATA / name).read_bytes(), name


def files_in(folder: Path) -> list[str]:
    """Every file under ``folder`` but the hidden ones (ingest's lock), as relative paths."""
    return sorted(
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if path.is_file() and not path.name.startswith(".")
    )


def _key(row: dict[str, str]) -> tuple[str, str]:
    ref = row["ref"] if row["ref"] != "TBC" else f"TBC@{row.get('line') or row['source_line']}"
    return row["source"], ref


def _normal(field: str, value: str) -> object:
    if value == "":
        return None
    if field in {"target", "result", "previous"}:
        return round(float(value), 6)
    if field == "below_target":
        return value.lower() == "true"
    return value


def test_shipped_rows_agree_with_the_hand_made_record() -> None:
    """tests/fixtures/hand_record.csv was typed from the reports by hand, not by the parser."""
    with (FIXTURES / "hand_record.csv").open(encoding="utf-8") as file:
        hand = {_key(row): row for row in csv.DictReader(file)}
    with (current_tables(DATA) / "indicators.csv").open(encoding="utf-8") as file:
        shipped = {_key(row): row for row in csv.DictReader(file)}
    found = [key for key in hand if key in shipped]
    agree = sum(
        _normal(field, hand[key][field]) == _normal(field, shipped[key][field])
        for key in found
        for field in FIELDS
    )
    assert len(found) / len(hand) >= 0.99
    assert agree / (len(found) * len(FIELDS)) >= 0.99
    eoy = [key for key in hand if key[0] == "service-performance-eoy-2016-17.txt"]
    for key in eoy:
        for field in FIELDS:
            assert _normal(field, hand[key][field]) == _normal(field, shipped[key][field]), (
                key,
                field,
            )


def test_manifest_lists_sources_tables_and_warnings() -> None:
    manifest = json.loads((DATA / "manifest.json").read_text())
    assert [source["file"] for source in manifest["sources"]] == sorted(
        source["file"] for source in manifest["sources"]
    )
    assert all(len(source["sha256"]) == 64 for source in manifest["sources"])
    with (current_tables(DATA) / "indicators.csv").open(encoding="utf-8") as file:
        assert manifest["tables"]["indicators"]["rows"] == len(list(csv.DictReader(file)))
    assert all({"source", "line", "message"} == set(w) for w in manifest["warnings"])
    assert "/" not in json.dumps([s["file"] for s in manifest["sources"]])
