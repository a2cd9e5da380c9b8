"""Reading money, and each of the report's own arithmetic checks, on small made-up reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from barnet_tui.ingest.cells.money import parse_money, parse_percent
from barnet_tui.ingest.readers.actions import action_checks, action_rag, extract_actions
from barnet_tui.ingest.readers.finance import extract_finance, finance_checks
from barnet_tui.ingest.readers.registry import reader_tables
from barnet_tui.ingest.readers.risks import extract_risks, risk_checks
from barnet_tui.ingest.report import Report, load_report


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("(4,331)", -4331.0),
        ("2,371", 2371.0),
        ("(1,956))", -1956.0),  # a stray bracket the CES report prints
        ("0", 0.0),
        ("-", None),
        ("4,331)", None),
        ("£000", 0.0),
        ("n/a", None),
    ],
)
def test_money_reads_brackets_as_negative_and_a_dash_as_unknown(
    raw: str, value: float | None
) -> None:
    assert parse_money(raw) == value


@pytest.mark.parametrize(
    ("raw", "value"),
    [("-50.7%", -50.7), ("(12%)", -12.0), ("(41.3)", -41.3), ("4.2", 4.2), ("12%)", None)],
)
def test_percentages_read_either_sign(raw: str, value: float | None) -> None:
    assert parse_percent(raw) == value


@pytest.mark.parametrize(
    ("raw", "rating"),
    [
        ("Green - Met", "Green"),
        ("Green Amber - delayed, Low Impact", "Green Amber"),
        ("Red Amber - delayed, Medium Impact", "Red Amber"),
        ("N/A led by CG – in progress", None),
        ("Not rated", None),
    ],
)
def test_action_status_words_become_ratings(raw: str, rating: str | None) -> None:
    assert action_rag(raw) == rating


def _report(tmp_path: Path, *lines: str) -> Report:
    path = tmp_path / "family-services-q4-2015-16.txt"
    path.write_text("# Family Services – Q4 2015/16\n\n" + "\n".join(lines) + "\n")
    return load_report(path)


REVENUE_HEADER = "Description\tOriginal Budget\tRevised Budget\tActuals\tVariation\t% Variation"


def test_a_total_that_is_not_the_sum_of_its_lines_is_a_disagreement(tmp_path: Path) -> None:
    report = _report(
        tmp_path,
        REVENUE_HEADER,
        "Early Years\t3,887\t4,004\t4,089\t85\t2.1%",
        "Placements\t18,590\t17,996\t17,963\t(33)\t-0.2%",
        "Total\t22,500\t22,000\t22,052\t52\t0.2%",
    )
    found = finance_checks(extract_finance(report, reader_tables(report)["finance"], "2015/16 Q4"))
    assert [(item.line, item.table, item.message) for item in found] == [
        (
            6,
            "finance",
            "revenue 'Total' original budget is 22,500 but the sum of its 2 lines gives 22,477",
        )
    ]


def test_figures_within_their_rounding_agree(tmp_path: Path) -> None:
    report = _report(
        tmp_path,
        REVENUE_HEADER,
        # 413 - 254 = 159 and 159 / 254 = 62.6%, printed 62.7%: the unrounded figures allow it.
        "Commissioning Strategy\t441\t254\t413\t159\t62.7%",
        "Programme & Resources\t810\t814\t864\t51\t6.2%",  # 864 - 814 = 50, printed 51
    )
    assert (
        finance_checks(extract_finance(report, reader_tables(report)["finance"], "2015/16 Q4"))
        == []
    )


def test_a_dashboard_and_a_sentence_are_held_against_the_table(tmp_path: Path) -> None:
    report = _report(
        tmp_path,
        "Projected year-end revenue budget variance\tCapital actual variance",
        "51\t(3,476)",
        "",
        "The overspend of £0.151m for Family Services represents 0.1% of the total budget.",
        "",
        REVENUE_HEADER,
        "Total\t47,717\t48,415\t48,466\t51\t0.1%",
    )
    found = finance_checks(extract_finance(report, reader_tables(report)["finance"], "2015/16 Q4"))
    assert [item.message for item in found] == [
        "the text (line 6) gives the revenue variance as 151 but the table (line 9) gives 51"
    ]


def test_a_comment_column_with_a_blank_header_is_read(tmp_path: Path) -> None:
    """Family Services Q4 2015/16 prints its revenue comments under a blank header cell
    between the variance and its percentage; a comment that wraps onto a line of its own
    joins the line before."""
    report = _report(
        tmp_path,
        "Description\tOriginal Budget\tRevised Budget\tActuals\tOutturn Variation\t"
        "\t% Variation of revised budget",
        "\t£000\t£000\t£000\t£000\t\t",
        "CSC 0-25\t1,979\t2,211\t2,100\t(111)\tLow take up on short breaks.\t-5.0%",
        "Early Years\t3,887\t4,004\t4,089\t85\tOverspend in Children centres as a\t2.1%",
        "\t\t\t\t\tresult of residual costs\t",
        "Safeguarding & Quality\t1,087\t1,305\t1,311\t6\t\t0.5%",
    )
    rows = extract_finance(report, reader_tables(report)["finance"], "2015/16 Q4").rows
    assert [
        (row["line"], row["variance"], row["comment"], row["variance_pct"]) for row in rows
    ] == [
        ("CSC 0-25", -111.0, "Low take up on short breaks.", -5.0),
        ("Early Years", 85.0, "Overspend in Children centres as a result of residual costs", 2.1),
        ("Safeguarding & Quality", 6.0, None, 0.5),
    ]


def test_an_intention_and_commitment_header_merged_into_one_cell(tmp_path: Path) -> None:
    """``Intention Commitment`` over two columns, the second header cell blank: the first is
    the intention (priority), the second the commitment (the action)."""
    report = _report(
        tmp_path,
        "Ref\tIntention Commitment\t\tDue Date\tStatus\tCOMMENTS",
        "FS27\tRe-locate In-house residential provision\tIdentify a site by spring 2015\t"
        "Jul-15\tGreen - Met\tSite identified.",
    )
    rows = extract_actions(report, reader_tables(report)["actions"], "2015/16 Q4").rows
    assert [(row["priority"], row["action"], row["rag"]) for row in rows] == [
        ("Re-locate In-house residential provision", "Identify a site by spring 2015", "Green")
    ]


def test_a_comment_reading_on_into_the_next_action_is_not_copied_to_it(tmp_path: Path) -> None:
    """The first comment stops mid-sentence, the next carries on in lower case: one cell
    across two rows, or two that happen to read on. Each keeps its own text; a warning."""
    report = _report(
        tmp_path,
        "Ref\tAction\tStatus\tCOMMENTS",
        "FS1\t0-25: Go-Live\tRed Amber - delayed, Medium Impact\tDevelopment on Phase 2",
        "FS2\t0-25: Transfer of commission\tGreen - Met\tnow being undertaken.",
        "FS4\tPersonal budgets\tGreen - Met\tIn place for all families.",
    )
    found = extract_actions(report, reader_tables(report)["actions"], "2015/16 Q4")
    assert [(row["ref"], row["comment"]) for row in found.rows] == [
        ("FS1", "Development on Phase 2"),
        ("FS2", "now being undertaken."),
        ("FS4", "In place for all families."),
    ]
    assert [(warning.line, warning.message) for warning in found.warnings] == [
        (
            5,
            "key action's comment reads on from the one at line 4: one cell across two rows? "
            "Each row keeps the text printed on it",
        )
    ]


def test_a_key_action_overview_is_counted_against_the_actions(tmp_path: Path) -> None:
    report = _report(
        tmp_path,
        "Green\tGreen Amber\tRed Amber\tRed\tNot Rated\tNo. of Key Actions",
        "2 (67%)\t1 (33%)\t0 (0%)\t0 (0%)\t0 (0%)\t3",
        "",
        "Ref\tAction\tRAG Rating\tComments",
        "FS01\tOpen the hub\tGreen\tDone.",
        "FS02\tHire staff\tRed\tLate.",
        "\t\t\tstill recruiting.",
        "FS03\tMove offices\tGreen Amber - delayed, Low Impact\t",
    )
    evidence = extract_actions(report, reader_tables(report)["actions"], "2015/16 Q4")
    assert [(row["ref"], row["rag"], row["comment"]) for row in evidence.rows] == [
        ("FS01", "Green", "Done."),
        ("FS02", "Red", "Late. still recruiting."),
        ("FS03", "Green Amber", None),
    ]
    found = action_checks(evidence, report.source, "2015/16 Q4")
    assert [item.message for item in found] == [
        "key actions overview (line 4) counts 2 Green but the report lists 1",
        "key actions overview (line 4) counts 0 Red but the report lists 1",
        "key actions overview (line 4) gives Green as 67% but 1 of 3 is 33.3%",
        "key actions overview (line 4) gives Red as 0% but 1 of 3 is 33.3%",
    ]


def test_a_heat_map_is_counted_against_the_register(tmp_path: Path) -> None:
    grid = ["\tScore\tNegligible\tMinor\tModerate\tMajor\tCatastrophic"]
    words = ["Almost Certain", "Likely", "Possible", "Unlikely", "Rare"]
    for number, word in zip(range(5, 0, -1), words, strict=True):
        counts = ["2", "0", "0"] if word == "Likely" else ["0", "0", "0"]
        grid.append(f"\t{number}\t{word}\t0\t0\t" + "\t".join(counts))
    report = _report(
        tmp_path,
        *grid,
        "",
        "Risk\tCurrent Impact\tCurrent Probability\tCurrent Rating\tControls\tResponse\t"
        "Review\tTarget Impact\tTarget Probability\tTarget Rating",
        "DUFS0001 - Financial If savings slip.\tModerate 3\tLikely 4\tMedium High 12\tMonitor.",
        "DUFS0002 - Staffing If staff leave.\t\tLikely 4\tHigh 16\tRecruit.\tTreat\t"
        "Quarterly\tMinor 2\tUnlikely 2\tMedium Low 4",
    )
    evidence = extract_risks(report, reader_tables(report)["risks"], "2015/16 Q4")
    second = evidence.rows[1]
    assert (second["impact"], second["probability"], second["score"], second["status"]) == (
        None,
        4,
        16,
        "Treat",
    )
    assert (second["target_impact"], second["target_probability"], second["target_score"]) == (
        2,
        2,
        4,
    )
    found = risk_checks(evidence, report.source, "2015/16 Q4")
    assert [item.message for item in found] == [
        "heat map (line 3) counts 2 risks at probability 4, impact 3 but the register lists 1",
        "heat map (line 3) counts 0 risks at probability 4, impact 4 but the register lists 1",
    ]
