"""Risk registers read by what their headers say, on small made-up registers."""

from __future__ import annotations

from pathlib import Path

import pytest

from barnet_tui.ingest.readers.registry import reader_tables
from barnet_tui.ingest.readers.risks import RiskEvidence, extract_risks
from barnet_tui.ingest.report import load_report
from barnet_tui.ingest.tables.risk_header import register_fields

ROW = {
    "Risk": "DUFS0001 - Financial If savings slip.",
    "Owner": "Director",
    "Current Impact": "Moderate 3",
    "Current Probability": "Likely 4",
    "Current Rating": "Medium High 12",
    "Controls": "Monitor budgets.",
    "Response": "Treat",
    "Target Impact": "Minor 2",
    "Target Probability": "Unlikely 2",
    "Target Score": "4",
}


def _risks(tmp_path: Path, *lines: str) -> RiskEvidence:
    path = tmp_path / "family-services-q4-2015-16.txt"
    path.write_text("# Family Services – Q4 2015/16\n\n" + "\n".join(lines) + "\n")
    report = load_report(path)
    return extract_risks(report, reader_tables(report)["risks"], "2015/16 Q4")


def _register(tmp_path: Path, labels: list[str]) -> RiskEvidence:
    return _risks(tmp_path, "\t".join(labels), "\t".join(ROW[label] for label in labels))


@pytest.mark.parametrize("turn", range(len(ROW)))
def test_any_column_order_gives_the_same_row(tmp_path: Path, turn: int) -> None:
    labels = list(ROW)
    labels = labels[turn:] + labels[:turn]
    labels[0], labels[-1] = labels[-1], labels[0]
    (row,) = _register(tmp_path, labels).rows
    assert (row["risk_id"], row["category"], row["description"]) == (
        "DUFS0001", "Financial", "If savings slip."
    )  # fmt: skip
    assert (row["impact"], row["probability"], row["rating"], row["score"]) == (
        3, 4, "Medium High", 12
    )  # fmt: skip
    assert (row["target_impact"], row["target_probability"], row["target_score"]) == (2, 2, 4)
    assert (row["controls"], row["status"]) == ("Monitor budgets.", "Treat")


def test_garbled_and_spanning_header_cells_are_read_by_their_words() -> None:
    assert register_fields(
        [["Risk", "Current Asse Impact Proba", "", "Control Actions", "Target / Impact Pro", ""]]
    ) == ["risk", "impact", "probability", "controls", "target_impact", "target_probability"]
    two_lines = [
        ["", "Current Asse", "Current Assessm", "Tar", "Board Delivery (timi"],
        ["Risk", "ssment Rating", "Proba", "get Likelihood", "ng)"],
    ]
    assert register_fields(two_lines) == [
        "risk", "rating", "probability", "target_probability", "review"
    ]  # fmt: skip


def test_a_column_claimed_twice_is_a_warning_and_no_row_is_guessed(tmp_path: Path) -> None:
    evidence = _risks(
        tmp_path,
        "Risk\tImpact\tProbability\tCurrent Probability\tRating",
        "DUFS0001 - Financial If savings slip.\tModerate 3\tLikely 4\tLikely 4\tHigh 12",
    )
    assert evidence.rows == []
    assert [str(w) for w in evidence.warnings] == [
        "family-services-q4-2015-16.txt:3: risk register not read: two columns claim "
        "probability: 'Probability' and 'Current Probability'; none of its 1 rows guessed"
    ]


def test_a_register_without_a_risk_column_is_a_warning(tmp_path: Path) -> None:
    evidence = _risks(
        tmp_path,
        "Hazard\tImpact\tProbability\tRating",
        "DUFS0001 - Financial If savings slip.\tModerate 3\tLikely 4\tHigh 12",
    )
    assert evidence.rows == []
    assert [w.message for w in evidence.warnings] == [
        "risk register not read: no column names the risk; none of its 1 rows guessed"
    ]


def test_a_cell_that_is_not_what_its_column_holds_is_null_and_a_warning(tmp_path: Path) -> None:
    evidence = _risks(
        tmp_path,
        "Risk\tImpact\tProbability\tRating",
        "DUFS0001 - Financial If savings slip.\tLikely 4\tLikely 4\tHigh 12",
    )
    (row,) = evidence.rows
    assert (row["impact"], row["probability"], row["score"]) == (None, 4, 12)
    assert [w.message for w in evidence.warnings] == [
        "risk DUFS0001: 'Likely 4' is no impact: left null"
    ]


def test_a_risk_row_under_no_register_header_is_a_warning(tmp_path: Path) -> None:
    evidence = _risks(tmp_path, "DUFS0001 - Financial If savings slip.\tModerate 3\tLikely 4")
    assert evidence.rows == []
    assert [w.message for w in evidence.warnings] == [
        "a risk row under no register header: not read"
    ]


def test_a_risk_row_in_any_column_under_no_register_header_is_a_warning(tmp_path: Path) -> None:
    evidence = _risks(tmp_path, "Moderate 3\tDUFS0001 - Financial If savings slip.")
    assert [w.message for w in evidence.warnings] == [
        "a risk row under no register header: not read"
    ]


def test_a_register_in_other_words_with_its_id_in_a_column_of_its_own(tmp_path: Path) -> None:
    evidence = _risks(
        tmp_path,
        "Risk Description\tInherent Score\tResidual Likelihood\tRisk ID\tRisk Owner\t"
        "Residual Impact\tResidual Score\tMitigation\tCategory\tTarget Score\tDirection of travel",
        "If savings slip.\t20\tLikely\tDUFS0001\tDirector\t3\t12\tMonitor budgets.\tFinancial\t"
        "4\tStable",
    )
    (row,) = evidence.rows
    assert evidence.warnings == []
    assert (row["risk_id"], row["category"], row["description"]) == (
        "DUFS0001", "Financial", "If savings slip."
    )  # fmt: skip
    assert (row["impact"], row["probability"], row["score"], row["target_score"]) == (3, 4, 12, 4)
    assert row["controls"] == "Monitor budgets."


def test_a_column_no_printing_names_is_a_warning_not_a_silent_loss(tmp_path: Path) -> None:
    """A register printed once with a header cell garbled past reading: its cells are not
    read, and the warning says which column and how many cells."""
    evidence = _risks(
        tmp_path,
        "Risk\tImpact\tProbability\tRating\tXqzv Wrtl",
        "DUFS0001 - Financial If savings slip.\tModerate 3\tLikely 4\tHigh 12\tMonitor budgets.",
        "DUFS0002 - Reputational If the press.\tMinor 2\tLikely 4\tMedium 8\t",
    )
    assert [row["risk_id"] for row in evidence.rows] == ["DUFS0001", "DUFS0002"]
    assert [str(w) for w in evidence.warnings] == [
        "family-services-q4-2015-16.txt:3: risk register column 5 (headed 'Xqzv Wrtl') is "
        "none the contract knows: its 1 filled cells not read"
    ]


def test_a_column_that_names_something_ignored_is_no_warning(tmp_path: Path) -> None:
    evidence = _register(tmp_path, ["Risk", "Owner", "Current Impact", "Current Probability"])
    assert [row["risk_id"] for row in evidence.rows] == ["DUFS0001"]
    assert evidence.warnings == []
