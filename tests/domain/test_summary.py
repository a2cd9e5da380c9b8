"""The corporate summary against the counts the reports publish."""

from __future__ import annotations

import polars as pl

from barnet_tui.domain.dataset import load_dataset
from barnet_tui.domain.summary import DETAILED, PUBLISHED, corporate_summary, headline
from tests.conftest import DATA

DATASET = load_dataset(DATA)
ROWS = DATASET.indicators.collect()


def test_year_end_summary_is_the_published_counts() -> None:
    summary = corporate_summary(ROWS, DATASET.service_summary, "2016/17 Q4")
    assert summary.height == 14
    assert set(summary["basis"]) == {PUBLISHED}
    adults = summary.filter(pl.col("service") == "Adults and Communities").row(0, named=True)
    assert (adults["reported"], adults["rag_rated"], adults["green"], adults["below"]) == (
        29,
        23,
        15,
        8,
    )
    assert adults["pct_below_target"] == 34.8
    # Every published below-target count has the same number of detailed rows beside it.
    assert (summary["below"] == summary["detailed_below"]).all()
    assert not summary["disagrees"].any()
    assert headline(summary) == {
        "reported": 367,
        "rag_rated": 301,
        "pct_on_target": 75.7,
        "pct_improved_same": 61.2,
    }


def test_without_published_counts_the_detailed_rows_are_counted_and_labelled() -> None:
    summary = corporate_summary(ROWS, DATASET.service_summary, "2017/18 Q4")
    services = summary.filter(pl.col("level") == "service")
    assert dict(services.select("service", "basis").iter_rows()) == {
        "Education and Skills": DETAILED,
        "Family Services": DETAILED,
    }
    committee = summary.filter(pl.col("level") == "committee").row(0, named=True)
    assert (committee["service"], committee["basis"], committee["reported"]) == (
        "CES",
        PUBLISHED,
        47,
    )
    total = summary.filter(pl.col("level") == "council").row(0, named=True)
    assert (total["reported"], total["green"], total["below"], total["basis"]) == (
        47,
        26,
        9,
        DETAILED,
    )


def test_a_disagreement_shows_both_counts() -> None:
    rows = ROWS.filter(~((pl.col("ref") == "R/9") & (pl.col("period") == "2016/17 Q4")))
    summary = corporate_summary(rows, DATASET.service_summary, "2016/17 Q4")
    registrar = summary.filter(pl.col("service") == "Registrar Service").row(0, named=True)
    assert (registrar["below"], registrar["detailed_below"], registrar["disagrees"]) == (6, 5, True)
    assert registrar["detailed_reported"] == 5 and registrar["reported"] == 10
    assert summary.filter(pl.col("disagrees"))["service"].to_list() == [
        "Registrar Service",
        "All services",
    ]


def test_configured_ratings_change_what_counts_as_below() -> None:
    summary = corporate_summary(
        ROWS, DATASET.service_summary, "2016/17 Q4", ratings=("Red Amber", "Red")
    )
    total = summary.filter(pl.col("level") == "council").row(0, named=True)
    assert total["below"] == 7 + 37
