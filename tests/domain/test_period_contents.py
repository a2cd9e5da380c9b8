"""What each period holds, as the period picker says it (issue 28)."""

from __future__ import annotations

from barnet_tui.domain.dataset import load_dataset
from barnet_tui.domain.period_contents import contents_line, latest_of, period_contents
from tests.conftest import DATA


def test_each_period_says_its_reports_services_rated_rows_and_report_tables() -> None:
    dataset = load_dataset(DATA)
    contents = period_contents(dataset)
    assert contents.rows() == [
        ("2015/16 Q4", 1, 1, 18, 9, 31, 14, 10),
        ("2016/17 Q1", 1, 1, 28, 0, 33, 13, 0),
        ("2016/17 Q3", 1, 9, 63, 0, 0, 0, 0),
        ("2016/17 Q4", 1, 13, 73, 49, 0, 0, 0),
        ("2017/18 Q4", 1, 2, 47, 35, 0, 4, 2),
    ]
    assert latest_of(dataset) == "2016/17 Q4"  # the newest with a council-wide summary
    # Without the period_counts table ingest writes, the same from the rows.
    dataset.counts = None
    assert period_contents(dataset).equals(contents)
    assert contents_line(contents.row(2, named=True)) == (
        "1 report · 9 services · 63 indicators (0 rated) · no key actions, finance, risks"
    )
