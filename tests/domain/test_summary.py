"""The corporate summary against the counts the reports publish."""

from __future__ import annotations

import polars as pl

from barnet_tui.domain.dataset import load_dataset
from barnet_tui.domain.report_tables import disputed_places
from barnet_tui.domain.summary import (
    DETAILED,
    MIXED,
    PUBLISHED,
    basis_note,
    corporate_summary,
    fewer_rows_note,
    headline,
)
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


def test_a_total_the_report_does_not_publish_sums_the_service_rows_shown() -> None:
    """Family Services 2015/16 Q4: the report counts 30 (14 rated, 5 below) and details 18,
    9 of them Green and 5 below target without a rating. The total is the row above it,
    never 18 rows that are "100% on target" and "56% below"."""
    summary = corporate_summary(ROWS, DATASET.service_summary, "2015/16 Q4")
    family, total = summary.row(0, named=True), summary.row(1, named=True)
    assert family["service"] == "Family Services" and total["service"] == "All services"
    for name in ("reported", "rag_rated", "green", "below", "pct_on_target", "pct_below_target"):
        assert total[name] == family[name], name
    assert (total["reported"], total["pct_on_target"], total["pct_below_target"]) == (
        30,
        64.3,
        35.7,
    )
    assert headline(summary)["reported"] == 30 and basis_note(summary) == "the report's counts"


def test_a_total_of_services_on_both_bases_says_so() -> None:
    rows = ROWS.filter(pl.col("period") == "2017/18 Q4")
    published = DATASET.service_summary.filter(pl.col("service") == "Family Services").with_columns(
        period=pl.lit("2017/18 Q4")
    )
    summary = corporate_summary(rows, published, "2017/18 Q4")
    total = summary.filter(pl.col("level") == "council").row(0, named=True)
    assert total["basis"] == MIXED
    assert total["reported"] == 30 + 27  # the report's 30, and Education's 27 rows
    assert basis_note(summary) == (
        "sum of the services: the report's counts for 1, counted from rows for 1"
    )


def test_shares_are_of_the_rated_so_on_and_below_target_add_up() -> None:
    rows = ROWS.filter(pl.col("period") == "2015/16 Q4")
    summary = corporate_summary(rows, DATASET.service_summary.clear(), "2015/16 Q4")
    total = summary.filter(pl.col("level") == "council").row(0, named=True)
    assert (total["rag_rated"], total["green"], total["below"]) == (9, 9, 5)
    assert (total["pct_on_target"], total["pct_below_target"], total["below_unrated"]) == (
        100.0,
        0.0,
        5,
    )


def test_a_short_list_says_why() -> None:
    assert fewer_rows_note(29, 8, 8) == "The report counts 29 but details only the 8 below target."
    assert fewer_rows_note(36, 28, 13) == (
        "The report counts 36 but details 28: the other 8 are not in its tables."
    )
    assert fewer_rows_note(8, 8, 3) == "" and fewer_rows_note(None, 8, 3) == ""


def test_the_lines_a_disagreement_is_about_are_the_one_it_is_on_and_those_it_names() -> None:
    checks = pl.DataFrame(
        {
            "source": ["a.txt", "a.txt"],
            "line": [59, 7],
            "period": ["p", "p"],
            "service": ["S", "S"],
            "table": ["finance", "finance"],
            "message": ["the dashboard (line 59) gives 819 but the table (line 105) gives 0", "x"],
        }
    )
    places = disputed_places(checks).sort("source_line")
    assert places.select("source", "source_line").rows() == [
        ("a.txt", 7),
        ("a.txt", 59),
        ("a.txt", 105),
    ]
