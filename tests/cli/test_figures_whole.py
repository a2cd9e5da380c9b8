"""Figures are never cut: at any width from 60 (and piped, 80), every result, target and
what moved is whole in the table (a row wraps, or the name gives way); only names are cut."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from barnet_tui.domain.changes import detail
from tests.cli.conftest import run_on_shipped_data

DIRECTION = re.compile(r"[▲▼↔≠★•](?: (?:Improving|Worsening|Same|Not comparable|New|Monitor))?")


def rows_of(table: str, *first: str) -> str:
    """The lines of the row whose first line holds each of ``first``, joined, spaces
    collapsed, without the direction of travel and period (which sit between a figure's
    lines)."""
    lines = table.splitlines()
    start = next(index for index, line in enumerate(lines) if all(n in line for n in first))
    block = [re.sub(r"\s+\d{4}/\d{2} Q\d$", "", lines[start])]  # its period, when shown
    for line in lines[start + 1 :]:
        if not line.startswith("      ") or not line.strip():
            break
        block.append(line)
    return " ".join(DIRECTION.sub(" ", " ".join(block)).split())


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("width", [None, "60", "61", "79"])
@pytest.mark.parametrize("period", ["2016/17 Q4", "all"])
def test_every_result_and_target_of_the_quick_check_is_whole(
    capsys: pytest.CaptureFixture[str], width: str | None, period: str
) -> None:
    sized = [] if width is None else ["--width", width]
    code, table, _ = run_on_shipped_data(capsys, "--below-target", "--period", period, *sized)
    assert code == 0
    assert max(len(line) for line in table.splitlines()) <= int(width or 80)
    _, out, _ = run_on_shipped_data(capsys, "--below-target", "--period", period, "--format", "csv")
    for record in csv.DictReader(io.StringIO(out)):
        # With every period, a ref can come more than once: its row shows its period.
        row = rows_of(table, f" {record['ref']} ", record["period"] if period == "all" else "")
        for figure in (record["result_raw"], record["target_raw"]):
            assert words(figure) in row, (record["ref"], figure, row)
    assert "89.42 kg per HH vs 103.25kg per HH" in rows_of(table, " SS/C2 ")


@pytest.mark.parametrize("width", [None, "60"])
def test_what_moved_in_changes_is_whole(
    capsys: pytest.CaptureFixture[str], width: str | None
) -> None:
    sized = [] if width is None else ["--width", width]
    span = ["--to", "2016/17 Q4"]
    code, table, _ = run_on_shipped_data(capsys, "changes", *span, *sized)
    assert code == 0
    _, out, _ = run_on_shipped_data(capsys, "changes", *span, "--format", "json")
    for record in json.loads(out):
        block = rows_of(table, f" {record['ref']} ", f" {record['change']} ")
        moved = words(DIRECTION.sub(" ", detail(record)))  # as rows_of shows it
        assert moved in block, (record["ref"], detail(record), block)


@pytest.mark.parametrize("width", [None, "60"])
def test_the_audit_working_is_whole(capsys: pytest.CaptureFixture[str], width: str | None) -> None:
    sized = [] if width is None else ["--width", width]
    code, table, _ = run_on_shipped_data(capsys, "audit", "--period", "2016/17 Q4", *sized)
    assert code == 0
    cut = [line for line in table.splitlines() if "…" in line]
    assert all(line.endswith(", 2016/17 Q4") for line in cut)  # only a service's name
    _, out, _ = run_on_shipped_data(capsys, "audit", "--period", "2016/17 Q4", "--format", "csv")
    joined = words(table)
    for record in csv.DictReader(io.StringIO(out)):
        assert words(record["working"]) in joined, record["ref"]
