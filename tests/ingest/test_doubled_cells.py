"""A cell holding two values where a row holds one (two rows glued into one: "35.0% 35.0%",
"Bigger is Better Smaller is Better") is named in a warning and stored as neither."""

from __future__ import annotations

from pathlib import Path

from barnet_tui.ingest.pipeline import ingest

EXCERPT = Path(__file__).resolve().parent / "excerpts" / "eoy-quarterly.txt"
ROW = "PH/C14\tRe-presentations - opiate users\tSmaller is Better\tOct-Dec 2016\t12.0%\t12.0%\t13.8% (R)\t23.1%\t"


def test_two_results_or_two_polarities_in_one_cell_are_warned_and_not_stored(
    tmp_path: Path,
) -> None:
    text = EXCERPT.read_text(encoding="utf-8")
    assert text.count(ROW) == 1
    glued = ROW.replace("\tSmaller is Better\t", "\tSmaller is Better Bigger is Better\t")
    glued = glued.replace("\t13.8% (R)\t", "\t13.8% 35.0% (R)\t")
    path = tmp_path / "eoy-quarterly.txt"
    path.write_text(text.replace(ROW, glued), encoding="utf-8")
    result = ingest([path], None)
    row = result.tables["indicators"].filter(ref="PH/C14").row(0, named=True)
    assert (row["result_raw"], row["result"], row["polarity"]) == (None, None, None)
    said = [warning.message for warning in result.warnings]
    assert "'PH/C14': its result cell holds two values: not stored" in said
    assert "'PH/C14': its polarity cell holds two values: not stored" in said
    untouched = ingest([EXCERPT], None).tables["indicators"].filter(ref="PH/C14").row(0, named=True)
    assert (untouched["result_raw"], untouched["polarity"]) == ("13.8%", "Smaller is Better")
