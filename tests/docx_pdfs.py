"""The text reports as a council's word processor makes them: DOCX files (python-docx) turned
into PDFs by LibreOffice's own PDF export, to test PDF ingest on a word processor's habits.

Each text line becomes what it was in the committee paper, as in tests/pdfs.py: a run of
tab-separated lines is a table (one row per line), any other line a paragraph. The layouts
vary what a word processor varies: 'Table Grid' tables or tables with no lines, equal or
fitted column widths, rows allowed or not to break across pages, the header row repeated on
each page or not, an Arial-like or a serif font, portrait or landscape, and a cell merged
over the rows below it that print the same text (one comment written for two indicators).

Conversion runs two LibreOffice processes at once (``soffice --headless --convert-to pdf``,
each with a profile of its own), each converting half the files, so the whole set costs two
start-ups side by side.

    python -m tests.docx_pdfs OUT_DIR        # writes OUT_DIR/<layout>/<report>.pdf
"""

from __future__ import annotations

import hashlib
import html
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont

from barnet_tui.ingest.sources.text import clean
from tests.pdfs import _blocks, _escaped


@dataclass(frozen=True)
class DocxLayout:
    """How one author sets a report out in a word processor."""

    name: str
    font: str
    size: float
    """The body text's size; tables shrink theirs till their longest word fits its column."""
    landscape: bool = False
    widths: str = "equal"
    """``equal``: every column the same width (a new Word table); ``fitted``: each column as
    wide as its longest word, the rest shared by how much text it holds. A table of many
    columns whose words do not fit equal ones even in 4 pt type is fitted (a word processor
    would break its words mid-word, as no reader can undo)."""
    ruled: bool = True
    """'Table Grid' (every cell ruled) or no lines at all."""
    row_breaks: bool = True
    """Whether a row may break across pages (Word's default) or moves whole to the next."""
    repeat_header: bool = True
    """Whether the header row is repeated at the top of each page a table runs onto."""
    merge: bool = False
    """Whether a cell that prints the same text as the one below it is merged with it."""
    padding: float = 0.0
    """Extra space (points) above and below each cell's text."""


DOCX_LAYOUTS = (
    DocxLayout("word", "Liberation Sans", 10),
    DocxLayout(
        "word-fitted", "Liberation Serif", 10, landscape=True, widths="fitted",
        repeat_header=False, merge=True, padding=3,
    ),
    DocxLayout("word-whole-rows", "Liberation Sans", 9, row_breaks=False, merge=True),
    DocxLayout("word-unruled", "Liberation Sans", 10, ruled=False),
)  # fmt: skip
"""A table with no lines and cell padding, set in fitted columns (``ruled=False,
padding=3, widths="fitted"``), is not among them yet: its cells touch across columns, and
PDF ingest reads about seven in eight of its rows as the text's (issue 29)."""


class ConversionError(RuntimeError):
    """LibreOffice is missing or failed: the word-processor fixtures cannot be made."""


_TAG = re.compile(r"<(/?)(b|i|u|super|sub)>")


def _runs(paragraph: Any, markup: str, size: float) -> None:
    """Add ``markup`` (as tests/pdfs.py escapes a cell: <b>, <i>, <u>, <super>, <sub>) to a
    paragraph as runs in those styles."""
    open_tags: set[str] = set()
    at = 0
    pieces: list[tuple[str, frozenset[str]]] = []
    for match in _TAG.finditer(markup):
        pieces.append((markup[at : match.start()], frozenset(open_tags)))
        (open_tags.discard if match.group(1) else open_tags.add)(match.group(2))
        at = match.end()
    pieces.append((markup[at:], frozenset(open_tags)))
    for text, tags in pieces:
        if not text:
            continue
        run = paragraph.add_run(html.unescape(text))
        run.font.size = Pt(size)
        run.bold = "b" in tags or None
        run.italic = "i" in tags or None
        run.underline = "u" in tags or None
        if "super" in tags:
            run.font.superscript = True
        if "sub" in tags:
            run.font.subscript = True


_FONT_FILES = {
    "Liberation Sans": "LiberationSans-Bold",
    "Liberation Serif": "LiberationSerif-Bold",
}
"""The bold face of each layout's font: a word is measured as its widest (a header is bold)."""


def _measure_font(font: str) -> str:
    """Register ``font``'s bold face with reportlab to measure words, and its name there."""
    stem = _FONT_FILES[font]
    if stem not in pdfmetrics.getRegisteredFontNames():
        for root in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts")):
            found = next(iter(sorted(root.rglob(f"{stem}.ttf"))), None) if root.is_dir() else None
            if found is not None:
                pdfmetrics.registerFont(TTFont(stem, str(found)))
                break
        else:
            raise ConversionError(f"font {stem}.ttf not found: apt-get install fonts-liberation")
    return stem


def _width_of(word: str, size: float, font: str) -> float:
    """How wide ``word`` prints in the layout's font (bold, the widest it is set)."""
    return float(stringWidth(word, _measure_font(font), size))


def _column_widths(
    rows: list[list[str]], total: float, layout: DocxLayout
) -> tuple[list[float], float]:
    """Each column's width (points) and the tables' type size: small enough that every
    column holds its longest word (an author shrinks the type rather than let a word wrap)."""
    count = max(len(row) for row in rows)
    columns = [[clean(row[i]) if i < len(row) else "" for row in rows] for i in range(count)]
    words = [{word for cell in column for word in cell.split()} or {"x"} for column in columns]
    size = layout.size

    def least_at(size: float) -> list[float]:
        # a cell's padding (Word's 0.19 cm each side) and a little room for rounding
        return [max(_width_of(word, size, layout.font) for word in column) + 18 for column in words]

    equal = layout.widths == "equal"
    while size > 4:
        least = least_at(size)
        if max(least) <= total / count if equal else sum(least) <= total:
            break
        size -= 0.5
    least = least_at(size)
    if equal and max(least) <= total / count:
        return [total / count] * count, size
    # Equal columns too narrow for a word even in 4 pt type: the author widens them to fit.
    spare = max(0.0, total - sum(least))
    share = [1.0 + sum(len(cell) for cell in column) ** 0.6 for column in columns]
    widths = [low + spare * part / sum(share) for low, part in zip(least, share, strict=True)]
    return [width * min(1.0, total / sum(widths)) for width in widths], size


def _row_property(row: Any, name: str) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement(f"w:{name}")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _no_borders(table: Any) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = OxmlElement(f"w:{side}")
        border.set(qn("w:val"), "nil")
        borders.append(border)
    properties.append(borders)


def _cell_margins(table: Any, points: float) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("top", "bottom"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(points * 20)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)


def _table(document: Any, lines: list[str], total: float, layout: DocxLayout) -> None:
    rows = [line.split("\t") for line in lines]
    count = max(len(row) for row in rows)
    rows = [row + [""] * (count - len(row)) for row in rows]
    widths, size = _column_widths(rows, total, layout)
    table = document.add_table(rows=len(rows), cols=count)
    if layout.ruled:
        table.style = "Table Grid"
    else:
        _no_borders(table)
    if layout.padding:
        _cell_margins(table, layout.padding)
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.w = Pt(width)  # LibreOffice sets columns by the grid, Word by the cells
    for row_index, (row, cells) in enumerate(zip(table.rows, rows, strict=True)):
        if row_index == 0 and layout.repeat_header:
            _row_property(row, "tblHeader")
        if not layout.row_breaks:
            _row_property(row, "cantSplit")
        for cell, text, width in zip(row.cells, cells, widths, strict=True):
            cell.width = Pt(width)
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            _runs(paragraph, _escaped(text), size)
    if layout.merge:
        _merge_repeats(table, rows)


def _merge_repeats(table: Any, rows: list[list[str]]) -> None:
    """Merge a long cell (a comment) with the one below it where both print the same text
    and neither row is the header, two rows at a time: the reader must give it to both."""
    for column in range(len(rows[0])):
        index = 1
        while index < len(rows) - 1:
            text = rows[index][column].strip()
            if len(text) <= 20 or text != rows[index + 1][column].strip():
                index += 1
                continue
            below = table.cell(index + 1, column)
            for paragraph in below.paragraphs:
                paragraph._p.getparent().remove(paragraph._p)
            below.add_paragraph()
            table.cell(index, column).merge(below)
            merged = table.cell(index, column)
            while len(merged.paragraphs) > 1:  # merging keeps the emptied cell's paragraph
                last = merged.paragraphs[-1]._p
                last.getparent().remove(last)
            index += 2


def write_docx(report: Path, out: Path, layout: DocxLayout) -> Path:
    """Write ``report`` (a text report) as a DOCX at ``out``."""
    text = report.read_text(encoding="utf-8")
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if layout.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    normal = document.styles["Normal"]
    normal.font.name = layout.font
    normal.font.size = Pt(layout.size)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), layout.font)
    normal.paragraph_format.space_after = Pt(0)
    section.footer.paragraphs[0].text = "Barnet Council"
    width, left, right = section.page_width, section.left_margin, section.right_margin
    assert width is not None and left is not None and right is not None  # all set above
    total = (width - left - right) / 12700
    for kind, lines in _blocks(text):
        if kind == "table":
            _table(document, lines, total, layout)
        elif kind == "para":
            line = lines[0]
            heading = line.lstrip().startswith(("#", "**"))
            paragraph = document.add_paragraph()
            _runs(paragraph, _escaped(line.strip().lstrip("#").strip()), layout.size)
            if heading:
                for run in paragraph.runs:
                    run.bold = True
        else:
            document.add_paragraph()
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))
    return out


CONVERTERS = 2
"""LibreOffice processes converting at once, each with a profile of its own: a conversion is
one core's work, so two halve a cold build on two cores."""


def _soffice() -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ConversionError(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui "
            "fonts-liberation (.ci/run installs them)"
        )
    return soffice


def convert(docx_files: list[Path], out_dir: Path) -> None:
    """Turn every DOCX into a PDF in ``out_dir``: ``CONVERTERS`` LibreOffice runs at once, each
    converting its share of the files (one start-up each)."""
    soffice = _soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    shares = [docx_files[start::CONVERTERS] for start in range(CONVERTERS)]
    with tempfile.TemporaryDirectory(prefix="lo-profiles-") as profiles:
        running = [
            subprocess.Popen(
                [
                    soffice,
                    f"-env:UserInstallation=file://{profiles}/{index}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(out_dir),
                    *map(str, share),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for index, share in enumerate(shares)
            if share
        ]
        failures = []
        for process in running:
            _out, stderr = process.communicate(timeout=600)
            if process.returncode != 0:
                failures.append(f"exit {process.returncode}: {stderr.strip()[-300:]}")
    missing = [path for path in docx_files if not (out_dir / f"{path.stem}.pdf").is_file()]
    if failures or missing:
        raise ConversionError(
            f"soffice failed for {len(missing)} file(s): {'; '.join(failures) or 'no PDF written'}"
        )


def fingerprint(reports: list[Path]) -> str:
    """What the PDFs depend on: this generator's source, tests/pdfs.py's markup, the reports."""
    digest = hashlib.sha256()
    for path in [Path(__file__), Path(__file__).with_name("pdfs.py"), *reports]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def make_all(reports: list[Path], out_dir: Path) -> dict[str, dict[str, Path]]:
    """Every report in every layout, {layout: {stem: pdf}}; made once for a fingerprint and
    kept under ``out_dir/<fingerprint>``."""
    root = out_dir / fingerprint(reports)
    wanted = {
        layout.name: {report.stem: root / layout.name / f"{report.stem}.pdf" for report in reports}
        for layout in DOCX_LAYOUTS
    }
    if root.is_dir():  # made whole or not at all (see below)
        return wanted
    _soffice()  # LibreOffice missing: say so before the DOCX files are written
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="docx-", dir=out_dir) as work:
        staged: list[Path] = []
        for layout in DOCX_LAYOUTS:
            for report in reports:
                staged.append(
                    write_docx(report, Path(work) / layout.name / f"{report.stem}.docx", layout)
                )
        flat = Path(work) / "all"
        flat.mkdir()
        names: dict[Path, Path] = {}
        for path in staged:
            target = flat / f"{path.parent.name}--{path.name}"
            path.rename(target)
            names[target] = path
        pdf_dir = Path(work) / "pdf"
        convert(list(names), pdf_dir)
        made = Path(work) / "made"
        for target in names:
            layout_name, stem = target.stem.split("--")
            destination = made / layout_name / f"{stem}.pdf"
            destination.parent.mkdir(parents=True, exist_ok=True)
            (pdf_dir / f"{target.stem}.pdf").rename(destination)
        # One rename: a build cut short (the session ended) leaves no half a set behind.
        try:
            made.rename(root)
        except OSError:  # another build finished first: its set is as good
            if not root.is_dir():
                raise
    return wanted


if __name__ == "__main__":
    repo = Path(__file__).resolve().parent.parent
    made = make_all(sorted((repo / "reports").glob("*.txt")), Path(sys.argv[1]))
    for name, paths in made.items():
        print(name, *(str(path) for path in paths.values()))
