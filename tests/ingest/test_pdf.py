"""Ingest reads a report's PDF as it reads its text.

The five reports are typeset as PDFs (tests/pdfs.py) in four layouts: portrait and
landscape with ruled Word-like tables, different fonts, column widths, running headers or
footers and tables split across pages with their header row repeated; one on letter paper
whose tables have a line under each row only, and one whose tables have no lines at all. Each must ingest to the same rows, field by field, as its text
(provenance aside).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from barnet_tui.cli.main import main
from barnet_tui.domain.contract import DERIVED_TABLES
from barnet_tui.domain.contract import TABLES as CONTRACT
from barnet_tui.domain.dataset import load_dataset
from barnet_tui.domain.describe import cited, where_printed
from barnet_tui.ingest.pipeline import ingest
from barnet_tui.ingest.sources.text import split_lines
from tests.conftest import report_paths
from tests.pdf_rows import identical, rows
from tests.pdfs import LAYOUTS

REPORTS = {path.stem: path for path in report_paths()}

TABLES = [table for table in CONTRACT if table not in DERIVED_TABLES]
"""What ingest reads from a report (the tables derived for speed are made as it writes)."""


@pytest.fixture(scope="session")
def text_rows() -> dict[str, dict[str, list[tuple[object, ...]]]]:
    return {stem: rows(path) for stem, path in REPORTS.items()}


@pytest.mark.parametrize("layout", [layout.name for layout in LAYOUTS])
@pytest.mark.parametrize("stem", sorted(REPORTS))
def test_a_pdf_gives_the_rows_its_text_gives(
    report_pdfs: dict[str, dict[str, Path]],
    text_rows: dict[str, dict[str, list[tuple[object, ...]]]],
    layout: str,
    stem: str,
) -> None:
    expected = text_rows[stem]
    got = rows(report_pdfs[layout][stem])
    for table in TABLES:
        assert identical(expected[table], got[table]) == len(expected[table]), table
        assert len(got[table]) == len(expected[table]), table


def test_extracted_text_ingests_to_the_same_rows_and_places(
    report_pdfs: dict[str, dict[str, Path]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pdf = report_pdfs["portrait"]["family-services-q4-2015-16"]
    assert main(["extract", str(pdf)]) == 0
    printed = capsys.readouterr().out
    text = tmp_path / "family-services-q4-2015-16.txt"
    text.write_text(printed, encoding="utf-8")
    assert "\t" in printed and "\f" in printed
    from_pdf, from_text = ingest([pdf]).tables, ingest([text]).tables
    for table in TABLES:
        assert from_pdf[table].drop("source").equals(from_text[table].drop("source")), table
    pages = from_pdf["indicators"]["source_page"]
    assert pages.null_count() == 0 and (pages >= 2).all()  # the indicators start on page 2


def test_rows_from_a_pdf_name_their_page(report_pdfs: dict[str, dict[str, Path]]) -> None:
    pdf = report_pdfs["landscape"]["family-services-q4-2015-16"]
    result = ingest([pdf])
    row = result.tables["indicators"].row(0, named=True)
    lines = split_lines(result.reports[0].lines[0].raw)  # the title, on page 1
    assert lines[0].page is None  # one line alone has no pages
    line = result.reports[0].lines[row["source_line"] - 1]
    assert (row["source_page"], row["page_line"]) == (line.page, line.page_line)
    assert where_printed(row) == f"page {line.page}, line {line.page_line}"
    assert cited(row) == f"family-services-q4-2015-16.pdf, page {line.page}"
    text_row = rows_of(REPORTS["family-services-q4-2015-16"])[0]
    assert text_row["source_page"] is None
    assert where_printed(text_row) == f"line {text_row['source_line']}"


def rows_of(path: Path) -> list[dict[str, object]]:
    return ingest([path]).tables["indicators"].to_dicts()


def test_pages_of_text_follow_form_feeds() -> None:
    lines = split_lines("title\n\nfirst page\n\fsecond page\nmore\n\f\fafter a blank page\n")
    assert [(line.page, line.page_line) for line in lines] == [
        (1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (4, 1),
    ]  # fmt: skip
    assert [line.text for line in lines][3:] == ["second page", "more", "after a blank page"]
    assert all(line.removed == 0 for line in lines)


def test_a_pdf_and_text_reports_ingest_together(
    report_pdfs: dict[str, dict[str, Path]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A PDF named .txt is still a PDF (its content says so), and mixes with text reports."""
    renamed = tmp_path / "family.txt"
    renamed.write_bytes(report_pdfs["portrait"]["family-services-q4-2015-16"].read_bytes())
    out = tmp_path / "out"
    assert (
        main(["ingest", str(renamed), str(REPORTS["ces-committee-eoy-2017-18"]), "--out", str(out)])
        == 0
    )
    dataset = load_dataset(out)
    sources = set(dataset.indicators.collect()["source"])
    assert sources == {"family.txt", "ces-committee-eoy-2017-18.txt"}
    assert "reading" not in capsys.readouterr().err  # no progress when stderr is no terminal


def test_progress_on_a_terminal(
    report_pdfs: dict[str, dict[str, Path]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    pdfs = [
        report_pdfs["portrait"][stem]
        for stem in ("family-services-q4-2015-16", "commissioning-group-q1-2016-17")
    ]
    assert main(["ingest", *map(str, pdfs), "--out", str(tmp_path / "out")]) == 0
    shown = terminal.getvalue()
    assert "reading 1/2 family-services-q4-2015-16.pdf" in shown
    assert "reading 2/2 commissioning-group-q1-2016-17.pdf" in shown


def test_a_pdf_is_known_by_its_header_and_a_text_quoting_one_is_text() -> None:
    from barnet_tui.ingest.sources.pdf import is_pdf

    assert is_pdf(b"%PDF-1.7\n...") and is_pdf(b"\r\n%PDF-1.4") and is_pdf(b"\x89\xfejunk%PDF-1.3")
    assert not is_pdf(b"# Report\nIts appendix was sent as %PDF-1.4 by mistake.\n")


def _ruled_rows(page: object, rows: list[list[str]], top: float) -> None:
    """Draw ``rows`` as a ruled table (two columns) from ``top`` down, as Word does."""
    xs, height = (60.0, 130.0, 420.0), 16.0
    for index, row in enumerate(rows):
        y = top - index * height
        for x0, text in zip(xs, row, strict=False):
            page.drawString(x0 + 4, y - 11, text)  # type: ignore[attr-defined]
        page.line(xs[0], y, xs[-1], y)  # type: ignore[attr-defined]
    bottom = top - len(rows) * height
    page.line(xs[0], bottom, xs[-1], bottom)  # type: ignore[attr-defined]
    for x in xs:
        page.line(x, top, x, bottom)  # type: ignore[attr-defined]


def test_a_row_broken_by_a_page_break_is_one_row_and_the_repeated_header_is_read_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "broken.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("Helvetica", 9)
    page.drawString(60, 780, "Key actions")
    _ruled_rows(
        page,
        [["Ref", "Comment"], ["FS1", "Done on time."], ["FS2", "The plan was agreed with"]],
        120,
    )
    page.showPage()
    page.setFont("Helvetica", 9)
    _ruled_rows(page, [["Ref", "Comment"], ["", "partners in March."], ["FS3", "Started."]], 780)
    page.drawString(60, 700, "Closing words.")
    page.showPage()
    page.save()
    assert main(["extract", str(path)]) == 0
    assert capsys.readouterr().out == (
        "Key actions\n\nRef\tComment\nFS1\tDone on time.\n"
        "FS2\tThe plan was agreed with partners in March.\n\fFS3\tStarted.\n\nClosing words.\n"
    )
