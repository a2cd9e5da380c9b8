"""Bad PDFs: one line naming the file and the problem, exit 2, nothing written; and PDFs
mangled at random (pages removed, reordered or repeated, tables cut short, bytes cut off)
ingest to a valid dataset or stop with that one line, never a traceback."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from barnet_tui.cli.main import main
from barnet_tui.domain.dataset import load_dataset
from tests.conftest import report_paths
from tests.pdfs import LAYOUTS, Layout, typeset

_CAPTURED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]
"""capsys is read (and so emptied) after each example."""


def _one_page(path: Path, text: str | None, **options: object) -> Path:
    page = canvas.Canvas(str(path), pagesize=A4, **options)
    if text is None:
        page.rect(60, 300, 400, 400, fill=1)  # a scan: a picture, no text
    else:
        page.drawString(72, 760, text)
    page.showPage()
    page.save()
    return path


def _ingest(path: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["ingest", str(path), "--out", str(out)])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda p: _one_page(p, None), "no text layer"),
        (lambda p: _one_page(p, "Family Services – Q4 2015/16", encrypt="secret"), "encrypted"),
        (
            lambda p: _one_page(p, "Dear Sir, thank you for your letter."),
            "not a performance report",
        ),
        (lambda p: p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8) and p, "damaged PDF"),
    ],
    ids=["scanned", "encrypted", "not-a-report", "damaged"],
)
def test_a_bad_pdf_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object, problem: str
) -> None:
    path = tmp_path / "q4-report.pdf"
    make(path)  # type: ignore[operator]
    out = tmp_path / "out"
    code, err = _ingest(path, out, capsys)
    assert code == 2
    assert err.count("\n") == 1 and "q4-report.pdf" in err and problem in err, err
    assert not out.exists()
    assert main(["extract", str(path)]) == (0 if problem == "not a performance report" else 2)


def test_a_pdf_cut_short_is_damaged(
    report_pdfs: dict[str, dict[str, Path]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = report_pdfs["portrait"]["family-services-q4-2015-16"].read_bytes()
    path = tmp_path / "family.pdf"
    path.write_bytes(data[: len(data) // 3])
    code, err = _ingest(path, tmp_path / "out", capsys)
    assert code == 2 and err.count("\n") == 1 and "family.pdf: damaged PDF" in err


def _pages(data: bytes, order: list[int]) -> bytes:
    """A PDF of the given pages of ``data``, in that order (repeats allowed)."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(data)
    made = pdfium.PdfDocument.new()
    made.import_pages(source, order)
    buffer = io.BytesIO()
    made.save(buffer)
    made.close()
    source.close()
    return buffer.getvalue()


def _outcome(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Ingest either wrote a dataset the explorer loads, or said why not in one line."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        code, err = _ingest(path, out, capsys)
        if code == 0:
            assert load_dataset(out).indicators.collect().height > 0
        else:
            assert code == 2, err
            errors = [line for line in err.splitlines() if not line.startswith("warning: ")]
            assert len(errors) == 1 and errors[0].startswith("barnet-tui ingest: error: "), err
            assert not out.exists()


@st.composite
def page_orders(draw: st.DrawFn, count: int, kind: str) -> list[int]:
    pages = list(range(count))
    if kind == "remove":
        keep = draw(st.lists(st.sampled_from(pages), min_size=1, max_size=count, unique=True))
        return sorted(keep)
    if kind == "reorder":
        return draw(st.permutations(pages))
    return sorted(pages + draw(st.lists(st.sampled_from(pages), min_size=1, max_size=3)))


@pytest.mark.parametrize("kind", ["remove", "reorder", "repeat"])
@settings(max_examples=4, deadline=None, suppress_health_check=_CAPTURED)
@given(data=st.data())
def test_pdfs_with_pages_removed_reordered_or_repeated(
    report_pdfs: dict[str, dict[str, Path]],
    capsys: pytest.CaptureFixture[str],
    kind: str,
    data: st.DataObject,
) -> None:
    layout = data.draw(st.sampled_from(sorted(report_pdfs)))
    stem = data.draw(st.sampled_from(sorted(report_pdfs[layout])))
    original = report_pdfs[layout][stem].read_bytes()
    import pypdfium2 as pdfium

    count = len(pdfium.PdfDocument(original))
    order = data.draw(page_orders(count, kind))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{stem}.pdf"
        path.write_bytes(_pages(original, order))
        _outcome(path, capsys)


@settings(max_examples=8, deadline=None, suppress_health_check=_CAPTURED)
@given(data=st.data())
def test_pdfs_cut_off_anywhere(
    report_pdfs: dict[str, dict[str, Path]], capsys: pytest.CaptureFixture[str], data: st.DataObject
) -> None:
    stem = data.draw(st.sampled_from(sorted(report_pdfs["landscape"])))
    original = report_pdfs["landscape"][stem].read_bytes()
    end = data.draw(st.integers(0, len(original)))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{stem}.pdf"
        path.write_bytes(original[:end])
        _outcome(path, capsys)


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.name for layout in LAYOUTS])
@settings(max_examples=2, deadline=None, suppress_health_check=_CAPTURED)
@given(data=st.data())
def test_pdfs_of_tables_cut_short(
    report_pdfs: dict[str, dict[str, Path]],
    capsys: pytest.CaptureFixture[str],
    layout: Layout,
    data: st.DataObject,
) -> None:
    """A report typeset with a run of its lines gone: tables end early, lose their header
    or their first rows."""

    report = data.draw(st.sampled_from(report_paths()))
    lines = report.read_text(encoding="utf-8").splitlines()
    start = data.draw(st.integers(0, len(lines) - 1))
    length = data.draw(st.integers(1, 40))
    with tempfile.TemporaryDirectory() as folder:
        cut = Path(folder) / report.name
        cut.write_text("\n".join(lines[:start] + lines[start + length :]), encoding="utf-8")
        _outcome(typeset(cut, Path(folder) / f"{report.stem}.pdf", layout), capsys)


def test_columns_that_cannot_be_told_apart_are_a_warning_naming_the_page(
    report_pdfs: dict[str, dict[str, Path]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A page whose lines are set out in columns that wander from line to line: read as
    prose, and said so, never dropped."""
    import pypdfium2 as pdfium

    odd = tmp_path / "odd.pdf"
    page = canvas.Canvas(str(odd), pagesize=A4)
    page.setFont("Helvetica", 9)  # an "x" is 4.5 pt wide
    cells = [
        ((60, 20), (170, 20)),
        ((60, 9), (120, 18)),
        ((60, 27), (200, 22)),
        ((60, 12), (135, 25)),
    ]
    for row, line in enumerate(cells):
        for x, letters in line:
            page.drawString(x, 700 - 11 * row, "x" * letters)
    page.showPage()
    page.save()
    report = report_pdfs["portrait"]["family-services-q4-2015-16"]
    made = pdfium.PdfDocument(report.read_bytes())
    made.import_pages(pdfium.PdfDocument(odd.read_bytes()))
    path = tmp_path / "family.pdf"
    made.save(str(path))
    assert main(["extract", str(path)]) == 0
    captured = capsys.readouterr()
    last_page = len(made)
    assert (
        f"page {last_page}: 4 lines set out in columns whose columns cannot be told apart"
        in captured.err
    )
    assert "x" * 12 + " " + "x" * 25 in captured.out
