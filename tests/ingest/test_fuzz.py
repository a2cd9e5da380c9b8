"""Ingest on text nobody planned for: arbitrary text, and the real reports mangled.

Whatever it is fed, ingest either writes a dataset that passes the contract's validation or
stops with its own one-line error; and the same input always gives the same output. The
``ci`` profile (tests/conftest.py) is deterministic and quick; ``HYPOTHESIS_PROFILE=long``
searches far more widely.
"""

from __future__ import annotations

import math
import tempfile
from functools import cache
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barnet_tui.cli.main import main
from barnet_tui.domain.validate import validate
from barnet_tui.ingest.errors import IngestError
from barnet_tui.ingest.pipeline import IngestResult, ingest
from tests.conftest import report_paths

EXCERPTS = sorted((Path(__file__).resolve().parent / "excerpts").glob("*.txt"))

# Words reports are made of: header words, refs, figures, ratings, directions, services.
TOKENS = (
    "Ref", "Reference", "Indicator", "Performance measure", "Polarity", "Period Covered",
    "2016/17 Annual Target", "Q1 2016/17 Target", "Q1 2016/17 Result", "2015/16 Result",
    "Q4 2015/16 Actual", "2016/17 Q3 Result", "DOT Long Term (From 2015/16)", "DOT Short Term",
    "Benchmarking", "Comment", "Service", "Green", "Green Amber", "Red Amber", "Red",
    "Monitor", "Total RAG ratings", "No. of indicators", "Improved/Same", "Worsened",
    "Overall", "Total", "FS/S11", "FS/S 11", "AC/C12", "CG/S24 (RPS - Biannual)", "KPI 1.2 NM",
    "NEW – TBC", "TBC", "CES/S13 (a)", "REGEN KPIO5", "CPI", "SPI", "81.5%", "69.3% (R)",
    "99.0% (GA)", "£4.47m", "3.03 days", "Fail", "Monitor", "New for 2016/17", "Improving",
    "Worsening", "Same", "Not Applicable", "N/A", "50% (13)", "59% (16)", "100% (26)", "0",
    "367", "Bigger is Better", "Smaller is Better", "Family Services", "Re", "CSG",
    "Adults & Communities", "Performance Indicators that did not meet their target",
    "which have met or exceeded their target", "Family Services – Q4 2015/16",
    "End of Year 2016/17", "## 3.1 Overview", "- BH/C5 Temporary Accommodation arrears",
    "(RAG rated RED AMBER)", "<sup>2</sup>", "**", "&amp;", "\x1b]0;x\x07", "\u202e", "",
)  # fmt: skip

report_like_lines = st.lists(st.sampled_from(TOKENS), max_size=12).map("\t".join)
report_like = st.lists(
    st.one_of(report_like_lines, st.text(max_size=80)), min_size=1, max_size=60
).map("\n".join)


TITLES = ("Family Services – Q4 2015/16", "End of Year (EOY) 2016/17", "Corporate Plan", "")
HEADERS = tuple(token for token in TOKENS[:27] if token not in ("Ref", "Indicator"))
REFS = ("FS/S11", "AC/C12", "KPI 1.2 NM", "NEW – TBC", "CES/S13 (a)", "YCB11", "EH01B", "R/ 3")


@st.composite
def tables(draw: st.DrawFn) -> str:
    """A title, then indicator tables: a header with Ref and Indicator among other columns
    in any order, and rows of refs, names and cells of every kind."""
    lines = [draw(st.sampled_from(TITLES)), ""]
    for _ in range(draw(st.integers(1, 4))):
        header = draw(
            st.permutations(
                ["Ref", "Indicator", *draw(st.lists(st.sampled_from(HEADERS), max_size=8))]
            )
        )
        lines.append("\t" * draw(st.integers(0, 1)) + "\t".join(header))
        for _ in range(draw(st.integers(0, 8))):
            cells = draw(st.lists(st.sampled_from(TOKENS), max_size=len(header)))
            at = draw(st.integers(0, len(cells)))
            cells[at:at] = [draw(st.sampled_from(REFS)), draw(st.text(max_size=30))]
            lines.append("\t".join(cells))
        lines.append(draw(st.sampled_from(("", "Prose between tables.", TOKENS[-10]))))
    return "\n".join(lines)


@cache
def _texts() -> tuple[tuple[str, str], ...]:
    """(file name, text) of the excerpts and the real reports, to mangle."""
    return tuple(
        (path.name, path.read_text(encoding="utf-8")) for path in (*EXCERPTS, *report_paths())
    )


@st.composite
def mangled(draw: st.DrawFn, source: tuple[str, str]) -> tuple[str, bytes]:
    """A real report or excerpt (``source``: its name and text) with lines deleted,
    duplicated, swapped, re-separated, cut, cells emptied or reworded, characters inserted,
    and saved in some encoding."""
    name, text = source
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 6))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        change = draw(
            st.sampled_from(
                ("delete", "duplicate", "swap", "spaces", "double", "untab", "cell", "insert")
            )
        )
        line = lines[index]
        if change == "delete":
            del lines[index : index + draw(st.integers(1, 20))]
        elif change == "duplicate":
            lines[index:index] = lines[index : index + draw(st.integers(1, 10))]
        elif change == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], line
        elif change == "spaces":
            lines[index] = line.replace("\t", "    ")
        elif change == "double":
            lines[index] = line.replace("\t", "\t\t")
        elif change == "untab":
            lines[index] = line.replace("\t", "")
        elif change == "cell":
            cells = line.split("\t")
            cell = draw(st.integers(0, len(cells) - 1))
            cells[cell] = draw(
                st.one_of(st.just(""), st.sampled_from(TOKENS), st.text(max_size=12))
            )
            lines[index] = "\t".join(cells)
        else:
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(st.text(max_size=6)) + line[at:]
    if draw(st.booleans()):
        lines = lines[: draw(st.integers(0, len(lines)))]  # cut short, perhaps mid-table
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    encoding = draw(st.sampled_from(("utf-8", "utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16")))
    return name, text.encode(encoding, errors="replace")


def _ingest(path: Path) -> IngestResult | IngestError:
    try:
        return ingest([path])
    except IngestError as error:
        return error


def _check(name: str, data: bytes) -> None:
    """The properties every input must have."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        outcome, again = _ingest(path), _ingest(path)
    if isinstance(outcome, IngestError):
        assert "\n" not in str(outcome) and str(outcome), repr(str(outcome))
        assert str(again) == str(outcome)  # the same error every time
        return
    lines = max(data.count(b"\n") + 1, 1)
    for table, frame in outcome.tables.items():
        assert validate(table, frame, table) == [], table
        assert frame["source_line"].is_between(1, lines).all(), table
    indicators = outcome.tables["indicators"]
    keyed = indicators.filter(pl.col("ref") != "TBC").select("source", "period", "ref")
    assert keyed.is_unique().all()
    for column in ("target", "result", "previous"):
        assert all(math.isfinite(value) for value in indicators[column].drop_nulls())
    assert isinstance(again, IngestResult)
    assert all(again.tables[table].equals(frame) for table, frame in outcome.tables.items())
    assert again.warnings == outcome.warnings


@given(report_like)
def test_report_like_text(text: str) -> None:
    _check("fuzz.txt", text.encode("utf-8", errors="replace"))


@given(tables())
def test_generated_tables(text: str) -> None:
    _check("fuzz.txt", text.encode("utf-8", errors="replace"))


@given(st.binary(max_size=3000))
def test_arbitrary_bytes(data: bytes) -> None:
    _check("fuzz.txt", data)


@pytest.mark.parametrize("source", _texts(), ids=[name for name, _text in _texts()])
@settings(max_examples=max(1, settings().max_examples // len(_texts())))
@given(data=st.data())
def test_mangled_reports(source: tuple[str, str], data: st.DataObject) -> None:
    """Each report and excerpt mangled in its share of the profile's examples (a test each,
    so no one test runs them all)."""
    _check(*data.draw(mangled(source)))


def test_the_command_line_says_one_line_for_what_it_cannot_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A UTF-16 report (another encoding) through the real command: exit 2, one line."""
    name, text = _texts()[0]
    path = tmp_path / name
    path.write_bytes(text.encode("utf-16"))
    assert main(["ingest", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not UTF-8 text" in err
