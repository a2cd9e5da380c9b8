"""What ingest makes of the five real reports: the figures a user will rely on."""

from __future__ import annotations

from functools import cache
from typing import Any

import polars as pl

from barnet_tui.ingest.pipeline import IngestResult, ingest
from tests.conftest import DATA, report_paths

EOY = "service-performance-eoy-2016-17.txt"


@cache
def result() -> IngestResult:
    return ingest(report_paths(), DATA / "corrections.csv")


def row(source: str, ref: str) -> dict[str, Any]:
    frame = result().tables["indicators"]
    rows = frame.filter((pl.col("source") == source) & (pl.col("ref") == ref)).to_dicts()
    assert len(rows) == 1, f"{ref} in {source}: {len(rows)} rows"
    return rows[0]


def test_eoy_below_target_rows_add_up_per_service() -> None:
    indicators = result().tables["indicators"].filter(pl.col("source") == EOY)
    summary = (
        result()
        .tables["service_summary"]
        .filter((pl.col("source") == EOY) & (pl.col("level") == "service"))
    )
    below = dict(indicators.filter(pl.col("below_target")).group_by("service").len().iter_rows())
    published = {
        service: ga + ra + r
        for service, ga, ra, r in summary.select(
            "service", "green_amber", "red_amber", "red"
        ).iter_rows()
    }
    assert below == published
    assert sum(below.values()) == 73
    assert indicators.filter(pl.col("rag") == "Green").height == 0


def test_a_wrapped_comment_is_joined_from_the_lines_around_its_row() -> None:
    ac = row(EOY, "AC/S11")
    assert (ac["result"], ac["rag"], ac["target"], ac["previous"]) == (69.3, "Red", 81.5, 73.8)
    assert ac["comment"].startswith("This is an annual measure")  # the line above the row
    assert ac["comment"].endswith("a more robust collection method for this year.")  # below


def test_a_comment_that_reads_on_into_the_next_rows_is_never_copied_to_them() -> None:
    """One comment cell printed across three rows, or three comments that happen to read on:
    the text cannot tell, so each row keeps what is printed on it and a warning names it."""
    comments = [row(EOY, ref)["comment"] for ref in ("KPI2.1 NM", "KPI2.2 NM", "KPI2.3 NM")]
    assert comments == [
        "The contractor has submitted data for Quarter",
        "4, which is being reviewed and will be sent back for further clarification as part "
        "of the validation process. Performance data for January to March should be available "
        "for",
        "reporting next quarter.",
    ]
    said = [str(warning) for warning in result().warnings if "KPI2." in str(warning)]
    assert len(said) == 2
    assert said[0].startswith(
        f"{EOY}:290: KPI2.2 NM's comment reads on from KPI2.1 NM's at line 289"
    )
    assert said[1].startswith(
        f"{EOY}:291: KPI2.3 NM's comment reads on from KPI2.2 NM's at line 290"
    )


def test_quarter_in_arrears_rows_keep_the_reports_period() -> None:
    ph = row(EOY, "PH/C21")
    assert ph["period"] == "2016/17 Q4"
    assert ph["period_covered"] == "Oct-Dec 2016"
    # The repeated header lost its "Q3 2016/17 Target" cell; it is taken from the one before.
    assert (ph["target_raw"], ph["annual_target_raw"], ph["result"]) == ("3", "10", 1.0)


def test_indicators_listed_only_by_ref_are_rows() -> None:
    bh = row(EOY, "BH/C5")
    assert bh["below_target"] is True
    assert bh["indicator_type"] == "CPI"
    assert bh["indicator"] == "Temporary Accommodation (TA) current arrears as percentage of debit"
    assert bh["result"] is None


def test_section_says_below_target_where_rows_have_no_rating() -> None:
    cg = row("commissioning-group-q1-2016-17.txt", "CG/S26")
    assert (cg["rag"], cg["below_target"]) == (None, True)
    assert cg["comment"].startswith("This can be attributed to Re cases")
    fs_met = row("family-services-q4-2015-16.txt", "FS/S6")
    assert (fs_met["rag"], fs_met["rag_source"], fs_met["below_target"]) == (
        "Green",
        "section",
        False,
    )
    fs_monitored = row("family-services-q4-2015-16.txt", "FS/S1")
    assert fs_monitored["rag"] == "Monitor"


def test_leading_type_column_and_lookalike_letters() -> None:
    ces = row("ces-committee-eoy-2017-18.txt", "CES/S1")  # printed with Cyrillic "СРІ"
    assert (ces["indicator_type"], ces["rag"], ces["result"]) == ("CPI", "Green", 95.4)


def test_plan_addendum_target_comes_from_inside_the_result_cell() -> None:
    ac = row("corporate-plan-addendum-2017-18.txt", "AC/S29")
    assert ac["period"] == "2016/17 Q3"
    assert (ac["result"], ac["target"], ac["annual_target_raw"]) == (2584.0, 2250.0, "3000")
    targets = result().tables["targets"].filter(pl.col("ref") == "AC/S29")
    assert dict(targets.select("fin_year", "target").iter_rows()) == {
        "2016/17": 3000.0,
        "2017/18": 3300.0,
        "2019/20": None,
    }


def test_refs_printed_only_as_new_tbc_stay_separate_rows() -> None:
    frame = result().tables["indicators"]
    tbc = frame.filter(pl.col("ref") == "TBC")
    assert tbc.height == 9
    unique = frame.filter(pl.col("ref") != "TBC").select("source", "period", "ref")
    assert unique.is_duplicated().sum() == 0


def test_every_row_cites_its_line() -> None:
    for frame in result().tables.values():  # a kind no report prints is an empty table
        assert frame["source_line"].null_count() == 0 and (frame["source_line"] >= 1).all()
        assert frame["source"].null_count() == 0


def test_totals_printed_only_as_shares_of_their_parts_are_filled() -> None:
    """ "Overall 59% (16) 41% (11)": 27 indicators have a direction of travel."""
    summary = result().tables["service_summary"]
    totals = {
        source: (rag_rated, dot_rated)
        for source, rag_rated, dot_rated in summary.filter(pl.col("level") != "council")
        .select("source", "rag_rated", "dot_rated")
        .iter_rows()
        if source != EOY
    }
    assert totals == {
        "commissioning-group-q1-2016-17.txt": (26, 27),
        "family-services-q4-2015-16.txt": (14, 15),
        "ces-committee-eoy-2017-18.txt": (35, 36),
    }


def test_ingest_never_computes_a_rating() -> None:
    """Ratings are as published or as the section says; the RAG rule belongs to the audit."""
    sources = result().tables["indicators"]["rag_source"].unique().to_list()
    assert set(sources) == {"published", "section", None}
