"""A CSV cell longer than Python's CSV reader takes by default (131,072 characters) is one
cell over the cell cap: a warning naming it, not stored, and the file's other rows read."""

from __future__ import annotations

import csv
from pathlib import Path

from barnet_tui.ingest.pipeline import ingest

LONG = 140_000


def _tracker(path: Path) -> None:
    header = ["Ref", "Indicator", "Polarity", "Target", "Result", "RAG", "Period", "Comment"]
    rows = [
        [f"FS/S{i}", f"Indicator {i}", "Bigger is Better", "10", str(i + 5), "Red", "2016/17 Q4"]
        for i in range(3)
    ]
    for i, row in enumerate(rows):
        row.append("y" * LONG if i == 1 else f"Comment {i}")
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file, quoting=csv.QUOTE_ALL).writerows([header, *rows])


def test_a_csv_cell_of_140_000_characters_is_warned_of_and_its_file_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tracker.csv"
    _tracker(path)
    result = ingest([path])
    rows = result.tables["indicators"].sort("ref").select("ref", "result", "comment").rows()
    assert rows == [
        ("FS/S0", 5.0, "Comment 0"),
        ("FS/S1", 6.0, None),
        ("FS/S2", 7.0, "Comment 2"),
    ]
    assert [str(warning) for warning in result.warnings] == [
        "tracker.csv:3: FS/S1: comment of 140,000 characters, more than a report's page "
        "could print (10,000 at most); not stored"
    ]
