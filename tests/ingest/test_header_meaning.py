"""Tables are read by what their headers mean, in any council's words, never by position."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from barnet_tui.cli.main import main
from barnet_tui.ingest.errors import IngestError
from barnet_tui.ingest.pipeline import ingest
from barnet_tui.ingest.sources.text import split_line
from barnet_tui.ingest.tables.layout import TableKind, classify_header
from barnet_tui.ingest.tables.vocabulary import INDICATOR_COLUMNS, header_period

TITLE = "Family Services – Q1 2016/17 performance report\n\n"


def report(tmp_path: Path, *lines: str, name: str = "fs-q1.txt") -> Path:
    """A report file: a title naming the period, then ``lines`` (cells separated by " | ")."""
    path = tmp_path / name
    path.write_text(TITLE + "\n".join(line.replace(" | ", "\t") for line in lines) + "\n")
    return path


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Ref", "ref"),
        ("Ref No.", "ref"),
        ("Reference", "ref"),
        ("Indicator ref", "ref"),
        ("Indicator", "indicator"),
        ("Performance measure", "indicator"),
        ("Performance Indicator", "indicator"),
        ("Measure", "indicator"),
        ("Type of Indicato r", "indicator_type"),
        ("Good performance is", "polarity"),
        ("2016/17 Result", "result"),
        ("Q1 2016/17 Actual", "result"),
        ("Outturn 2016/17", "result"),
        ("2017/18 EOY Result", "result"),
        ("Annual target", "target"),
        ("Period target", "target"),
        ("Target Variance A calculation", "ignored"),
        ("DOT Long Term (From 2015/16)", "dot"),
        ("Direction of travel", "dot"),
        ("Benchmark", "benchmark"),
        ("Benchmarking", "benchmark"),
        ("Referrals to social care", ""),
    ],
)
def test_header_words_name_columns(label: str, field: str) -> None:
    assert INDICATOR_COLUMNS.field(label) == field


@pytest.mark.parametrize(
    ("label", "period"),
    [
        ("Q1 2016/17 Result", "Q1 2016/17"),
        ("2016/17 Q3 Result", "Q3 2016/17"),
        ("2017/18 EOY Result", "2017/18"),
        ("Quarter 2 2016/17 Actual", "Q2 2016/17"),
        ("DOT Short Term (From Q4 2015/16)", None),
        ("Result", None),
    ],
)
def test_header_periods(label: str, period: str | None) -> None:
    found = header_period(label)
    assert (found.label if found else None) == period


def test_the_latest_period_is_the_result_wherever_its_column_stands(tmp_path: Path) -> None:
    path = report(
        tmp_path,
        "Reference | Performance measure | Good performance is | Q1 2015/16 Outturn"
        " | Q4 2015/16 Outturn | Q1 2016/17 Actual | Period target Q1 2016/17"
        " | Direction of travel (short term) | Direction of travel | Benchmark",
        "FS/S11 | Children in residential placements | Smaller is Better | 12% | 10% | 9.7%"
        " | 9.2% | Improving | Improving | London 8%",
    )
    row = ingest([path]).tables["indicators"].row(0, named=True)
    assert (row["result_raw"], row["target_raw"]) == ("9.7%", "9.2%")
    assert (row["previous_raw"], row["previous_period"]) == ("12%", "Q1 2015/16")
    assert row["previous_short_raw"] == "10%"
    assert (row["polarity"], row["dot"], row["dot_short"]) == ("Smaller is Better",) + (
        "Improving",
    ) * 2
    assert row["benchmark"] == "London 8%"
    assert row["period"] == "2016/17 Q1"


def test_the_target_is_the_one_for_the_results_period(tmp_path: Path) -> None:
    path = report(
        tmp_path,
        "Ref | Indicator | Q4 2015/16 Target | Q1 2016/17 Target | Q4 2015/16 Result"
        " | Q1 2016/17 Result",
        "FS/S11 | Children in residential placements | 9.0% | 9.2% | 10% | 9.7%",
    )
    row = ingest([path]).tables["indicators"].row(0, named=True)
    assert (row["result_raw"], row["target_raw"], row["previous_raw"]) == ("9.7%", "9.2%", "10%")


def test_result_columns_naming_no_period_are_not_guessed(tmp_path: Path) -> None:
    path = report(
        tmp_path,
        "Ref | Indicator | Target | Result | Result",
        "FS/S11 | Children in residential placements | 9.2% | 9.7% | 12%",
    )
    with pytest.raises(IngestError) as refused:
        ingest([path])
    assert str(refused.value) == (
        "fs-q1.txt: no indicator table found; line 3: indicator table not read: 2 result "
        "columns ('Result', 'Result') and the headers do not say which is this period's; none "
        "of its 1 rows guessed"
    )


def test_two_columns_claiming_one_meaning_are_a_warning_and_no_row(tmp_path: Path) -> None:
    path = report(
        tmp_path,
        "Ref | Indicator | Target | Result",
        "FS/S11 | Children in residential placements | 9.2% | 9.7%",
        "",
        "Ref | Indicator | Polarity | Target | Result | Good performance is",
        "FS/S12 | Children adopted | Bigger is Better | 20 | 12 | Smaller is Better",
    )
    result = ingest([path])
    assert result.tables["indicators"]["ref"].to_list() == ["FS/S11"]
    assert (
        "fs-q1.txt:6: indicator table not read: two columns claim polarity: 'Polarity' and "
        "'Good performance is'; none of its 1 rows guessed" in [str(w) for w in result.warnings]
    )


def test_a_report_without_a_period_in_its_title_takes_its_tables_period(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "Corporate Plan addendum\n\nRef\tIndicator\t2016/17 Target\t2016/17 Q3 Actual\n"
        "CG/S24\tOverall satisfaction\t88%\t89%\n"
    )
    assert ingest([path]).tables["indicators"]["period"].to_list() == ["2016/17 Q3"]


def test_count_tables_use_the_same_period_rule(tmp_path: Path) -> None:
    """A count table in a report whose title names no period is read for its header's period."""
    path = tmp_path / "summary.txt"
    path.write_text(
        "Performance summary\n\nService\tNo. of indicators\tGreen\tGreen Amber\tRed Amber\tRed\t"
        "Q2 2016/17 Monitor\nStreet Scene\t13\t6\t1\t2\t4\t0\n\n"
        "Ref\tIndicator\tQ2 2016/17 Target\tQ2 2016/17 Result\nSS/S1\tWaste\t40%\t38%\n"
    )
    summary = ingest([path]).tables["service_summary"]
    assert summary.select("period", "service", "reported").rows() == [
        ("2016/17 Q2", "Street Scene", 13)
    ]


def _unrecognised(tmp_path: Path) -> Path:
    return report(
        tmp_path,
        "Ref | Indicator | Target | Q1 2016/17 Result",
        "FS/S11 | Children in residential placements | 9.2% | 9.7% (RA)",
        "",
        "Code | Item | Goal | Q1 2016/17 Score",
        "FS/S12 | Common assessments opened | 100 | 256",
        "FS/C14 | First time entrants | 357 | 281",
    )


def test_rows_under_an_unrecognised_header_are_a_warning_and_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["ingest", str(_unrecognised(tmp_path)), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert (
        "warning: fs-q1.txt:6: 2 rows under a header that was not recognised: "
        "Code | Item | Goal | Q1 2016/17 Score\n" in err
    )
    manifest = json.loads((out / "manifest.json").read_text())
    assert [source["rows_not_read"] for source in manifest["sources"]] == [2]


def test_a_report_whose_only_header_is_unrecognised_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = report(tmp_path, "Code | Item | Goal | Score", "FS/S12 | Common assessments | 100 | 256")
    assert main(["ingest", str(path), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        "barnet-tui ingest: error: fs-q1.txt: no indicator table found; line 3: "
        "1 rows under a header that was not recognised: Code | Item | Goal | Score\n"
    )


def test_strict_turns_warnings_into_exit_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["ingest", str(_unrecognised(tmp_path)), "--out", str(out), "--strict"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == (
        f"barnet-tui ingest: error: 1 warnings and --strict: nothing written to {out}"
    )
    assert err[0].startswith("warning: fs-q1.txt:6: 2 rows under a header")
    assert not out.exists()


def test_a_count_like_header_over_indicator_rows_is_not_a_silent_loss() -> None:
    header = classify_header(split_line(1, "Ref\tGreen\tRed\tMonitor"))
    assert header is not None and header.kind is TableKind.COUNTS


@pytest.mark.parametrize(
    ("header", "cell", "rag"),
    [
        ("RAG", "GA", "Green Amber"),
        ("RAG rating", "Red Amber", "Red Amber"),
        ("Rating", "(R)", "Red"),
        ("Status", "green", "Green"),
    ],
)
def test_a_rating_in_its_own_column(tmp_path: Path, header: str, cell: str, rag: str) -> None:
    path = report(
        tmp_path,
        f"{header} | Ref | Indicator | Target | Result",
        f"{cell} | FS/S11 | Children in residential placements | 9.2% | 9.7%",
    )
    row = ingest([path]).tables["indicators"].row(0, named=True)
    assert (row["result_raw"], row["rag"], row["rag_source"]) == ("9.7%", rag, "published")


def test_a_rating_as_words_after_the_result(tmp_path: Path) -> None:
    path = report(
        tmp_path,
        "Ref | Indicator | Target | Result",
        "FS/S11 | Children in residential placements | 9.2% | 9.7% Green Amber",
    )
    row = ingest([path]).tables["indicators"].row(0, named=True)
    assert (row["result"], row["rag"]) == (9.7, "Green Amber")


def test_a_rating_column_that_contradicts_the_marker_is_a_warning(tmp_path: Path) -> None:
    path = report(
        tmp_path,
        "Ref | Indicator | Target | Result | RAG",
        "FS/S11 | Children in residential placements | 9.2% | 9.7% (R) | Green",
    )
    result = ingest([path])
    assert result.tables["indicators"]["rag"].to_list() == ["Red"]
    assert [str(w) for w in result.warnings] == [
        "fs-q1.txt:4: 'FS/S11' is rated Green but its result is marked Red"
    ]
