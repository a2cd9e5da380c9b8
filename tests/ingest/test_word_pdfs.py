"""Ingest reads a report's PDF as a word processor makes it as it reads its text.

The five reports are written as DOCX files and turned into PDFs by LibreOffice
(tests/docx_pdfs.py): 'Table Grid' tables with equal or fitted columns, rows that break
across pages or move whole, the header row repeated or not, Liberation Sans or Serif,
portrait or landscape, cells merged over two rows. Every table must read to the text's
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
    """The text's rows that the PDF does not give, but for those whose nearest PDF row is on
    a page a warning names."""
    result = ingest([pdf], None)
    warned = {
        int(found[1])
        for warning in result.warnings
        if (found := _PAGE.match(warning.message)) is not None
    }
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
            # The warning is on the page the row is printed on, or on the page that printed
            # the field it differs in (a comment read from a later table).
            printed = {nearest[1]} | {
                number
                for value in _differences(row, nearest[0])
                for number, page in enumerate(pages, 1)
                if value in page
            }
            if not printed & warned:
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


@pytest.mark.parametrize("layout", [layout.name for layout in DOCX_LAYOUTS])
def test_every_table_of_a_word_processor_pdf_reads_as_its_text(
    word_pdfs: dict[str, dict[str, Path]],
    text_rows: dict[str, dict[str, list[tuple[Any, ...]]]],
    layout: str,
) -> None:
    same: Counter[str] = Counter()
    total: Counter[str] = Counter()
    # Each ingest reads its PDF in a child process (ingest/sources/isolated.py): side by side.
    with ThreadPoolExecutor(max_workers=len(word_pdfs[layout])) as pool:
        read = dict(zip(word_pdfs[layout], pool.map(rows, word_pdfs[layout].values()), strict=True))
    for stem, got in read.items():
        for table in TABLES:
            expected = text_rows[stem][table]
            assert len(got[table]) == len(expected), (stem, table)  # none glued, none lost
            same[table] += identical(expected, got[table])
            total[table] += len(expected)
    for table in TABLES:
        assert same[table] >= 0.98 * total[table], (table, same[table], total[table])
    assert sum(same.values()) >= 0.99 * sum(total.values()), (same, total)


@pytest.mark.parametrize("stem", sorted(REPORTS))
@pytest.mark.parametrize("layout", ["word", "word-fitted"])
def test_a_row_that_differs_from_the_text_is_named_in_a_warning(
    word_pdfs: dict[str, dict[str, Path]],
    text_rows: dict[str, dict[str, list[tuple[Any, ...]]]],
    layout: str,
    stem: str,
) -> None:
    """Not yet for rows that move whole to the next page: there, two tables with the same
    header, one at the top of a page, read as one table whose header the page repeats."""
    assert _differing_rows_unwarned(word_pdfs[layout][stem], text_rows[stem]) == []


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
