"""The five reports with their headers worded as other councils word them read exactly as
the originals: every row, every figure, every count, no new warning."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from barnet_tui.ingest.pipeline import IngestResult, ingest
from tests.conftest import DATA, report_paths
from tests.ingest.header_variants import VARIANTS, reworded, write_variant

CORRECTIONS = DATA / "corrections.csv"


@cache
def original() -> IngestResult:
    return ingest(report_paths(), CORRECTIONS)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_a_reworded_report_reads_as_the_original(variant: str, tmp_path: Path) -> None:
    changes = write_variant(VARIANTS[variant], tmp_path)
    assert all(changes.values()), f"{variant} reworded nothing in some report: {changes}"
    result = ingest(sorted(tmp_path.glob("*.txt")), CORRECTIONS)
    for table, frame in original().tables.items():
        assert result.tables[table].equals(frame), f"{variant}: {table} differs"
    assert [str(warning) for warning in result.warnings] == [
        str(warning) for warning in original().warnings
    ]


def test_the_current_result_is_reworded_and_older_ones_are_not() -> None:
    header = "Ref\tIndicator\tQ1 2016/17 Target\tQ1 2016/17 Result\tQ4 2015/16 Result\tDOT"
    text, changes = reworded(header, VARIANTS["issue wording"])
    assert text.split("\t") == [
        "Reference", "Performance measure", "Q1 2016/17 Target", "Q1 2016/17 Actual",
        "Q4 2015/16 Result", "Direction of travel",
    ]  # fmt: skip
    assert ("Q1 2016/17 Result", "Q1 2016/17 Actual") in changes
