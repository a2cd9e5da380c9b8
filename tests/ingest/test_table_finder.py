"""One table finder for every kind: each kind's tables from one walk, the same warning for
the same trouble whatever the kind, and one rule for a row's service."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from barnet_tui.domain.contract import REPORT_TABLES
from barnet_tui.ingest.pipeline import ingest
from barnet_tui.ingest.readers.registry import readers
from barnet_tui.ingest.sources.text import split_lines
from barnet_tui.ingest.tables.finder import find_tables
from barnet_tui.ingest.tables.kinds import LAYOUT

INDICATORS = (
    "Ref | Indicator | Target | Result",
    "FS/S11 | Children in residential placements | 9.2% | 9.7%",
)


def _text(*lines: str, title: str = "Family Services – Q1 2016/17 performance report") -> str:
    return title + "\n\n" + "\n".join(line.replace(" | ", "\t") for line in lines) + "\n"


def _report(tmp_path: Path, *lines: str, title: str | None = None) -> Path:
    path = tmp_path / "fs-q1.txt"
    path.write_text(_text(*lines) if title is None else _text(*lines, title=title))
    return path


def test_each_kind_claims_its_own_tables_in_one_walk() -> None:
    lines = split_lines(
        _text(
            *INDICATORS,
            "",
            "Ref | Key action | Status | Comment",
            "FS1 | Open the hub | Green | On track",
            "FS2 | Close the gap | Red | Late",
            "",
            "Description | Revised Budget | Forecast | Variance",
            "Family Services | 1,000 | 1,100 | 100",
            "",
            "Risk | Current Impact | Current Probability | Controls",
            "DUFS0001 - Financial If savings slip. | Moderate 3 | Likely 4 | Monitor",
        )
    )
    found = find_tables(lines, (LAYOUT, *(reader.kind for reader in readers())))
    starts = {kind: [(t.line, len(t.rows)) for t in tables] for kind, tables in found.items()}
    assert {kind: starts[kind] for kind in ("layout", "actions", "finance", "risks")} == {
        "layout": [(3, 1)],
        "actions": [(6, 2)],
        "finance": [(10, 1)],
        "risks": [(13, 1)],
    }


def test_a_column_claimed_twice_is_worded_alike_for_every_kind(tmp_path: Path) -> None:
    path = _report(
        tmp_path,
        "Ref | Indicator | Target | Result | Polarity | Good performance is",
        "FS/S11 | Children in residential placements | 9.2% | 9.7% | Lower | Lower",
        "",
        *INDICATORS,
        "",
        "Description | Revised Budget | Forecast | Variance | Variation",
        "Family Services | 1,000 | 1,100 | 100 | 100",
        "",
        "Ref | Commitment | Key action | Status",
        "FS1 | Keep children safe | Open the hub | Green",
        "",
        "Risk | Impact | Current Impact | Current Probability",
        "DUFS0001 - Financial If savings slip. | Moderate 3 | Moderate 3 | Likely 4",
    )
    result = ingest([path])
    assert [result.tables[name].height for name in ("finance", "actions", "risks")] == [0, 0, 0]
    assert result.tables["indicators"]["ref"].to_list() == ["FS/S11"]  # the readable table's
    said = [warning.message for warning in result.warnings]
    unread = [message for message in said if " not read: two columns claim " in message]
    nouns = [message.split(" not read:")[0] for message in unread]
    assert sorted(nouns) == [
        "finance table",
        "indicator table",
        "key action table",
        "risk register",
    ]
    pattern = re.compile(r"^[a-z ]+ not read: two columns claim \w+: '[^']+' and '[^']+'; ")
    assert all(pattern.match(message) for message in unread), unread
    assert all(message.endswith("; none of its 1 rows guessed") for message in unread), unread


def test_a_row_takes_the_service_the_heading_above_its_table_names(tmp_path: Path) -> None:
    """A committee's report covers several services: a key action, a budget line and a risk
    whose own cells name none take the service of the heading above their table."""
    path = _report(
        tmp_path,
        "Children, Education Committee",
        "",
        *INDICATORS,
        "",
        "Adults and Communities",
        "",
        "Ref | Key action | Status",
        "KA1 | Open the hub | Green",
        "",
        "Description | Revised Budget | Forecast | Variance",
        "Care packages | 1,000 | 1,100 | 100",
        "",
        "Risk | Current Impact | Current Probability",
        "DUXX0001 - Financial If savings slip. | Moderate 3 | Likely 4",
        title="Performance report – Q1 2016/17",
    )
    result = ingest([path])
    services = {
        table: result.tables[table]["service"].to_list()
        for table in ("actions", "finance", "risks")
    }
    assert services == {
        "actions": ["Adults and Communities"],
        "finance": ["Adults and Communities"],
        "risks": ["Adults and Communities"],
    }


def test_a_column_no_header_word_names_is_worded_alike_for_every_kind(tmp_path: Path) -> None:
    path = _report(
        tmp_path,
        *INDICATORS,
        "",
        "Description | Revised Budget | Forecast | Xqzv Wrtl",
        "Family Services | 1,000 | 1,100 | kept",
        "",
        "Risk | Current Impact | Current Probability | Xqzv Wrtl",
        "DUFS0001 - Financial If savings slip. | Moderate 3 | Likely 4 | kept",
    )
    said = [warning.message for warning in ingest([path]).warnings]
    assert [message for message in said if "Xqzv" in message] == [
        "finance table column 4 (headed 'Xqzv Wrtl') is none the contract knows: "
        "its 1 filled cells not read",
        "risk register column 4 (headed 'Xqzv Wrtl') is none the contract knows: "
        "its 1 filled cells not read",
    ]


def test_a_spreadsheet_row_with_no_ref_is_worded_alike_for_every_kind(tmp_path: Path) -> None:
    tracker = tmp_path / "tracker.csv"
    with tracker.open("w", newline="") as file:
        csv.writer(file).writerows(
            [
                ["Family Services – Q1 2016/17"],
                [],
                ["Ref", "Indicator", "Target", "Result", "Comment"],
                ["FS/S11", "Children in residential placements", "9.2%", "9.7%", "Up"],
                ["", "", "", "", "more of something"],
                [],
                ["Ref", "Key action", "Status", "Comment"],
                ["FS1", "Open the hub", "Green", "On track"],
                ["", "", "", "more of another"],
            ]
        )
    said = [str(warning) for warning in ingest([tracker]).warnings]
    assert said == [
        "tracker.csv:5: indicator table row with no ref, not read (a cell is its row's alone): "
        "'more of something'",
        "tracker.csv:9: key action table row with no ref, not read (a cell is its row's alone): "
        "'more of another'",
    ]


def test_every_report_table_of_the_contract_has_one_reader_found_by_its_module() -> None:
    found = readers()
    assert sorted(reader.table for reader in found) == sorted(REPORT_TABLES)
    assert {"actions", "finance", "risks"} <= {reader.kind.name for reader in found}
