"""Key actions, finance and risks of each shipped report, against a golden file.

The golden files were reviewed by hand against the reports (every figure, every
disagreement). After a deliberate parser change, regenerate them with
``UPDATE_GOLDEN=1 pytest tests/ingest/test_whole_report.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from barnet_tui.ingest.pipeline import ingest
from tests.conftest import REPO
from tests.ingest.render import WHOLE_REPORT_TABLES, render

HERE = Path(__file__).resolve().parent
REPORTS = sorted((REPO / "reports").glob("*.txt"))


@pytest.mark.parametrize("report", REPORTS, ids=[path.stem for path in REPORTS])
def test_whole_report_matches_golden(report: Path) -> None:
    golden = HERE / "golden" / "whole-report" / f"{report.stem}.golden"
    actual = render(ingest([report]), WHOLE_REPORT_TABLES)
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"no golden file for {report.name}; run with UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")
