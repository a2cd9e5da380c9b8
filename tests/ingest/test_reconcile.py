"""Reconciliation: every disagreement with a report's printed counts is a warning."""

from __future__ import annotations

from pathlib import Path

from barnet_tui.ingest.pipeline import ingest

EXCERPTS = Path(__file__).resolve().parent / "excerpts"


def warnings_for(tmp_path: Path, excerpt: str, old: str, new: str) -> list[str]:
    text = (EXCERPTS / excerpt).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / excerpt
    path.write_text(text.replace(old, new), encoding="utf-8")
    return [warning.message for warning in ingest([path]).warnings]


def test_unchanged_excerpt_reconciles(tmp_path: Path) -> None:
    assert warnings_for(tmp_path, "eoy-quarterly.txt", "", "") == [
        "stray text 'F' before ref 'PH/C21' ignored"
    ]


def test_a_missing_below_target_row_is_reported(tmp_path: Path) -> None:
    messages = warnings_for(tmp_path, "eoy-quarterly.txt", "- PH/S5 Smoking prevalence", "")
    assert "Public Health: 8 rows below target, the sentence counts 9" in messages
    assert "Public Health: 8 rows below target, the dashboard counts 9" in messages


def test_a_count_table_that_disagrees_with_its_rows(tmp_path: Path) -> None:
    # Adults and Communities prints 3 Green Amber; make the table say 2.
    messages = warnings_for(
        tmp_path, "eoy-annual.txt", "23\t65% (15)\t13% (3)", "23\t65% (15)\t13% (2)"
    )
    assert "Adults and Communities: 8 rows below target, the report counts 7" in messages
    assert "Adults and Communities: 3 rows rated Green Amber, the report counts 2" in messages
    assert any(
        "the dashboard says green_amber 3, the count table (line 11) says 2" in message
        for message in messages
    )


def test_a_total_row_that_is_not_the_sum_of_its_services(tmp_path: Path) -> None:
    messages = warnings_for(tmp_path, "eoy-annual.txt", "Total\t367\t301", "Total\t368\t301")
    assert "Total reported is 368, its services add up to 367" in messages


def test_text_rating_that_contradicts_the_table(tmp_path: Path) -> None:
    messages = warnings_for(
        tmp_path,
        "ces-type-column.txt",
        "FS/S11 Percentage of children in external residential placements (RAG rated RED)",
        "FS/S11 Percentage of children in external residential placements (RAG rated GREEN)",
    )
    assert any("FS/S11 is rated Green in the text but Red in its table" in m for m in messages)
