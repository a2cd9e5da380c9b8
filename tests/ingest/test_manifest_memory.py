"""A long report's manifest is written as it is encoded: its text (tens of MB for a report
of 200,000 rows with a warning each) is never held whole, nor again as bytes, at the
ingest's peak."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

from barnet_tui.ingest.diagnostics import IngestWarning
from barnet_tui.ingest.pipeline import ingest, write
from tests.ingest.test_command import EXCERPT

WARNINGS = 20_000
MESSAGE = "a warning as long as a report's quoted cells make it " * 5
"""Under the 300 characters a warning may hold (``IngestWarning``), so none is cut."""


def test_the_manifest_is_never_held_whole(tmp_path: Path) -> None:
    result = ingest([EXCERPT])
    source = result.reports[0].source
    result.warnings = [IngestWarning(source, line, MESSAGE) for line in range(WARNINGS)]
    tracemalloc.start()
    try:
        write(result, tmp_path / "out")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    manifest = tmp_path / "out" / "manifest.json"
    size = manifest.stat().st_size
    assert size > WARNINGS * len(MESSAGE)
    assert len(json.loads(manifest.read_text(encoding="utf-8"))["warnings"]) == WARNINGS
    assert peak < size, (peak, size)  # held whole, and as bytes, it was 2.7 times its size
