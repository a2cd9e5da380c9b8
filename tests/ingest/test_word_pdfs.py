"""Ingest reads a report's PDF as a word processor makes it as it reads its text.

The five reports are written as DOCX files and turned into PDFs by LibreOffice
(tests/docx_pdfs.py): 'Table Grid' tables or tables with no lines at all, equal or fitted
columns, rows that break across pages or move whole, the header row repeated or not,
Liberation Sans or Serif, portrait or landscape, cells merged over two rows. Every table must read to the text's
rows field by field (provenance aside); a row that does not is named in a warning on its
page; no row is glued to another or lost.
"""

from __future__ import annotations

import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from barnet_tui.cli.main import main
from barnet_tui.domain.contract import DERIVED_TABLES
from barnet_tui.domain.contract import TABLES as CONTRACT
from barnet_tui.ingest.pipeline import ingest
from barnet_tui.ingest.sources.pdf import read_pdf
from tests.conftest import report_paths
from tests.docx_pdfs import DOCX_LAYOUTS
from tests.pdf_rows import PROVENANCE, identical, rows

REPORTS = {path.stem: path for path in report_paths()}
TABLES = [table for table in CONTRACT if table not in DERIVED_TABLES]
_PAGE = re.compile(r"^page (\d+):")


@pytest.fixture(scope="session")
def text_rows() -> dict[str, dict[str, list[tuple[Any, ...]]]]:
    return {stem: rows(path) for stem, path in REPORTS.items()}


def _differing_rows_unwarned(pdf: Path, expected: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    """The text's rows that the PDF does not give, but for those a warning names: by their
    ref, or on the page the row is printed on, or on the page that printed the field it
    differs in (a comment read from a later table)."""
    result = ingest([pdf], None)
    warned = {
        int(found[1])
        for warning in result.warnings
        if (found := _PAGE.match(warning.message)) is not None
    }
    messages = " ".join(warning.message for warning in result.warnings)
    pages = read_pdf(pdf.read_bytes()).text.split("\f")
    missing: list[str] = []
    for table in TABLES:
        frame = result.tables[table]
        kept = [column for column in frame.columns if column not in PROVENANCE]
        got = [
            (tuple(row[column] for column in kept), row["source_page"])
            for row in frame.iter_rows(named=True)
        ]
        absent = Counter(expected[table]) - Counter(values for values, _page in got)
        for row in absent.elements():
            nearest = max(
                got, key=lambda pair: sum(a == b for a, b in zip(row, pair[0], strict=False))
            )
            printed = {nearest[1]} | {
                number
                for value in _differences(row, nearest[0])
                for number, page in enumerate(pages, 1)
                if value in page
            }
            ref = row[kept.index("ref")] if "ref" in kept else None
            if not printed & warned and not (ref and f" {ref}" in messages):
                missing.append(f"{table} {row[:6]} (page {nearest[1]})")
    return missing


def _differences(want: tuple[Any, ...], got: tuple[Any, ...]) -> list[str]:
    """Around where each text field of ``got`` first differs from ``want``'s, a snippet."""
    snippets: list[str] = []
    for a, b in zip(want, got, strict=True):
        if a != b and isinstance(a, str) and isinstance(b, str):
            at = next(
                (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                min(len(a), len(b)),
            )
            snippets.append(b[max(0, at - 15) : at + 15])
    return [snippet for snippet in snippets if snippet]


_GLUED: dict[str, str] = {}
"""Layouts where some rows are still glued to another or split (issue 29)."""


def _strict(names: dict[str, str]) -> list[Any]:
    """Every layout, those in ``names`` expected to fail (strictly: a fix must say so)."""
    return [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=names[name]))
        if name in names
        else name
        for name in (layout.name for layout in DOCX_LAYOUTS)
    ]


def _identical_by_table(
    pdfs: dict[str, Path], text_rows: dict[str, dict[str, list[tuple[Any, ...]]]]
) -> tuple[Counter[str], Counter[str], list[tuple[str, str]]]:
    """For one layout: rows identical to the text's and rows in the text, by table; and the
    (report, table) whose row count differs from the text's."""
    same: Counter[str] = Counter()
    total: Counter[str] = Counter()
    counts: list[tuple[str, str]] = []
    # Each ingest reads its PDF in a child process (ingest/sources/isolated.py): side by side.
    with ThreadPoolExecutor(max_workers=len(pdfs)) as pool:
        read = dict(zip(pdfs, pool.map(rows, pdfs.values()), strict=True))
    for stem, got in read.items():
        for table in TABLES:
            expected = text_rows[stem][table]
            if len(got[table]) != len(expected):
                counts.append((stem, table))
            same[table] += identical(expected, got[table])
            total[table] += len(expected)
    return same, total, counts


@pytest.mark.parametrize("layout", _strict(_GLUED))
def test_every_table_of_a_word_processor_pdf_reads_as_its_text(
    word_pdfs: dict[str, dict[str, Path]],
    text_rows: dict[str, dict[str, list[tuple[Any, ...]]]],
    layout: str,
) -> None:
    """Per layout and per table: as many rows as the text (none glued, none lost), and at
    least 96% of them (98.5% of all) identical field by field."""
    same, total, counts = _identical_by_table(word_pdfs[layout], text_rows)
    assert counts == []  # none glued, none lost
    _assert_shares(same, total, 0.985)


def test_a_table_with_no_lines_reads_by_the_space_between_its_cells(
    word_pdfs: dict[str, dict[str, Path]],
    text_rows: dict[str, dict[str, list[tuple[Any, ...]]]],
) -> None:
    """A word processor's table with no lines, its text set smaller than the body (each row
    as tall as its cells' paragraph marks): at least 96% of every table's rows (98% of
    all) identical to the text's, where fewer than one in seven were."""
    same, total, _counts = _identical_by_table(word_pdfs["word-unruled"], text_rows)
    _assert_shares(same, total, 0.98)


def _assert_shares(same: Counter[str], total: Counter[str], overall: float) -> None:
    """At least 96% of every table's rows identical, and ``overall`` of all."""
    for table in TABLES:
        assert same[table] >= 0.96 * total[table], (table, same[table], total[table])
    assert sum(same.values()) >= overall * sum(total.values()), (same, total)


@pytest.mark.parametrize("stem", sorted(REPORTS))
@pytest.mark.parametrize("layout", [layout.name for layout in DOCX_LAYOUTS])
def test_a_row_that_differs_from_the_text_is_named_in_a_warning(
    word_pdfs: dict[str, dict[str, Path]],
    text_rows: dict[str, dict[str, list[tuple[Any, ...]]]],
    layout: str,
    stem: str,
) -> None:
    """Every layout, every report: a row the PDF gives otherwise than the text is named.
    (One report at a time: the check reads the PDF's pages with PDFium in this process,
    which is not safe from several threads.)"""
    assert _differing_rows_unwarned(word_pdfs[layout][stem], text_rows[stem]) == []


def test_a_table_at_a_page_top_with_the_header_of_the_one_before_is_named_where_uncertain(
    word_pdfs: dict[str, dict[str, Path]],
) -> None:
    """Rows that move whole to the next page: a table of comments that starts at a page's
    top with the same header as the table before, whose first row has no ref and would not
    have fitted on the page before either, is named in a warning on its page, with the row
    it may go on with."""
    pdf = word_pdfs["word-whole-rows"]["commissioning-group-q1-2016-17"]
    warnings = [warning.message for warning in ingest([pdf], None).warnings]
    named = [message for message in warnings if "repeats the header" in message]
    assert any("CG/C7" in message and message.startswith("page 7:") for message in named), warnings


def test_words_broken_at_a_line_end_and_merged_cells_read_as_printed(
    word_pdfs: dict[str, dict[str, Path]], capsys: pytest.CaptureFixture[str]
) -> None:
    """ "16-" / "17" is "16-17" (the hyphen kept, no space); a comment merged over two rows
    is both rows' comment."""
    assert main(["extract", str(word_pdfs["word"]["ces-committee-eoy-2017-18"])]) == 0
    printed = capsys.readouterr().out
    assert "Percentage of 16-17 year olds who are not in education" in printed
    assert "16- 17" not in printed
    pdf = word_pdfs["word-whole-rows"]["service-performance-eoy-2016-17"]
    indicators = ingest([pdf], None).tables["indicators"]
    merged = indicators.filter(indicators["ref"].is_in(["KPI2.1 NM", "KPI2.2 NM"]))
    assert merged["benchmark"].to_list() == ["No benchmark available"] * 2


def test_extract_prints_the_rows_ingest_reads(
    word_pdfs: dict[str, dict[str, Path]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = word_pdfs["word"]["family-services-q4-2015-16"]
    assert main(["extract", str(pdf)]) == 0
    text = tmp_path / "family-services-q4-2015-16.txt"
    text.write_text(capsys.readouterr().out, encoding="utf-8")
    from_pdf, from_text = ingest([pdf]).tables, ingest([text]).tables
    for table in TABLES:
        assert from_pdf[table].drop("source").equals(from_text[table].drop("source")), table


def test_a_heading_repeated_over_a_row_cut_at_a_page_break_keeps_the_rows_apart(
    word_pdfs: dict[str, dict[str, Path]],
    text_rows: dict[str, dict[str, list[tuple[Any, ...]]]],
) -> None:
    """A table with no lines whose heading row the next page repeats, over the rest of the
    row the break cut (CES/S9's benchmark) and the next row (CES/S23): each row is read as
    the text's, neither glued to the other."""
    stem = "ces-committee-eoy-2017-18"
    indicators = ingest([word_pdfs["word-unruled"][stem]], None).tables["indicators"]
    got = [
        tuple(value for key, value in row.items() if key not in PROVENANCE)
        for row in indicators.iter_rows(named=True)
        if row["ref"] in ("CES/S9", "CES/S23")
    ]
    want = [row for row in text_rows[stem]["indicators"] if row[4] in ("CES/S9", "CES/S23")]
    assert len(want) == 2
    assert got == want
