"""Typeset the text reports as PDFs, as a council's word processor would, to test PDF ingest.

Each text line becomes what it was in the committee paper: a run of tab-separated lines is a
table (one row per line), any other line a paragraph (``#`` lines and ``**bold**`` openers as
headings), a blank line a gap. Four layouts differ in everything ingest must not depend on:
page size (A4, letter) and orientation, fonts and sizes, column widths, ruling lines (every
cell, a line under each row only, none), where a short cell sits in a tall row (top, or
foot as reportlab sets it by default), running headers and footers, and where tables break
across pages (with the header row repeated).

    python -m tests.pdfs OUT_DIR        # writes OUT_DIR/<layout>/<report>.pdf
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from barnet_tui.ingest.sources.text import clean


@dataclass(frozen=True)
class Layout:
    """How one typesetter lays a report out."""

    name: str
    pagesize: tuple[float, float]
    font: str
    bold: str
    size: float
    table_size: float
    rules: str
    """``grid``: every cell ruled (Word's tables); ``rows``: a line under each row only;
    ``none``: columns set apart by space alone."""
    widths: str
    """``content`` and ``sqrt``: the spare width shared by the text a column holds, to the power 0.7 or 0.5."""
    running: str
    """``footer``: "Page n" at the foot of each page; ``header``: the title at its top."""
    margin: float = 40
    gaps: bool = True
    """Whether a blank line of the text leaves space on the page."""
    valign: str = "TOP"
    """Where a cell's text sits when its row is taller: TOP, MIDDLE or BOTTOM."""


FONTS = {
    "Sans": "DejaVuSans",
    "Serif": "DejaVuSerif",
    "Condensed": "DejaVuSansCondensed",
}
"""Fonts with every character the reports print (▲, ², •), embedded as a word processor
embeds them; DejaVu, found where the system keeps its fonts."""

LAYOUTS = (
    Layout("portrait", A4, "Sans", "Sans-Bold", 9, 7, "grid", "content", "footer"),
    Layout("landscape", landscape(A4), "Serif", "Serif-Bold", 11, 7, "grid", "sqrt", "header", 36),
    Layout(
        "borderless",
        A4,
        "Condensed",
        "Condensed-Bold",
        9,
        7,
        "none",
        "content",
        "footer",
        valign="BOTTOM",
    ),
    Layout(
        "letter", letter, "Condensed", "Condensed-Bold", 10, 7.5, "rows", "content", "footer", 50
    ),
)


def font_files() -> dict[str, Path] | None:
    """Where the layouts' fonts are; None when this system lacks one."""
    found: dict[str, Path] = {}
    for root in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts"):
        for path in root.rglob("*.ttf") if root.is_dir() else ():
            found.setdefault(path.stem, path)
    wanted = {
        f"{name}{weight}": f"{file}{suffix}"
        for name, file in FONTS.items()
        for weight, suffix in (("", ""), ("-Bold", "-Bold"))
    }
    if not all(stem in found for stem in wanted.values()):
        return None
    return {name: found[stem] for name, stem in wanted.items()}


def register_fonts() -> bool:
    """Register the fonts with reportlab; False when the system lacks them."""
    files = font_files()
    if files is None:
        return False
    for name, path in files.items():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    for name in FONTS:
        pdfmetrics.registerFontFamily(name, normal=name, bold=f"{name}-Bold")
    return True


_MARKUP = (
    (re.compile(r"\$\^\{\^?([^}]*)\}\$"), "\x01super\x02\\1\x01/super\x02"),
    (re.compile(r"<sup>(.*?)</sup>", re.I), "\x01super\x02\\1\x01/super\x02"),
    (re.compile(r"<sub>(.*?)</sub>", re.I), "\x01sub\x02\\1\x01/sub\x02"),
    (re.compile(r"\s*\^\{([^}]*)\}"), "\x01super\x02\\1\x01/super\x02"),
    (re.compile(r"\*\*(.*?)\*\*"), "\x01b\x02\\1\x01/b\x02"),
    (re.compile(r"<(/?)(?:b|strong)>", re.I), "\x01\\1b\x02"),
    (re.compile(r"<(/?)(?:i|em)>", re.I), "\x01\\1i\x02"),
    (re.compile(r"<(/?)u>", re.I), "\x01\\1u\x02"),
    (re.compile(r"</?(?:ul|ol|li|span|p|br|mark)\b[^>]*>", re.I), " "),
    (re.compile(r"\*\*"), ""),
)


def _escaped(text: str) -> str:
    """A text cell as the paper prints it: markup as bold, underlined or raised text,
    every character (superscript figures, arrows, bullets) as it is."""
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    text = html.escape(html.unescape(text).replace("\\pounds", "£"), quote=False)
    text = text.replace("\x01", "<").replace("\x02", ">").strip()
    return re.sub(r"<(super|sub|b|i|u)>\s*</\1>", "", text)


def _blocks(text: str) -> Iterator[tuple[str, list[str]]]:
    """("table", lines), ("para", [line]) and ("gap", []) in the order the text has them."""
    table: list[str] = []
    for line in text.splitlines():
        if "\t" in line:
            table.append(line)
            continue
        if table:
            yield "table", table
            table = []
        yield ("para", [line]) if line.strip() else ("gap", [])
    if table:
        yield "table", table


def _widths(rows: list[list[str]], total: float, layout: Layout) -> tuple[list[float], float]:
    """Each column at least as wide as its longest word (a word processor breaks no word;
    the font shrinks till the words fit), the rest shared by how much text the column holds;
    and the font size."""
    count = max(len(row) for row in rows)
    columns = [[clean(row[i]) if i < len(row) else "" for row in rows] for i in range(count)]
    size = layout.table_size
    while True:
        least = [
            max((stringWidth(word, layout.bold, size) for cell in column
                 for word in cell.split()), default=0.0) + 13
            for column in columns
        ]  # fmt: skip
        if sum(least) <= total or size <= 4:
            break
        size -= 0.5
    spare = max(0.0, total - sum(least))
    power = 0.7 if layout.widths == "content" else 0.5
    share = [1.0 + sum(len(cell) for cell in column) ** power for column in columns]
    widths = [low + spare * part / sum(share) for low, part in zip(least, share, strict=True)]
    return [width * min(1.0, total / sum(widths)) for width in widths], size


def _table(lines: list[str], width: float, layout: Layout) -> Table:
    rows = [line.split("\t") for line in lines]
    count = max(len(row) for row in rows)
    widths, size = _widths(rows, width, layout)
    style = ParagraphStyle("cell", fontName=layout.font, fontSize=size, leading=size * 1.2)
    cells = [
        [Paragraph(_escaped(cell), style) for cell in row + [""] * (count - len(row))]
        for row in rows
    ]
    table = Table(
        cells,
        colWidths=widths,
        repeatRows=1,
        hAlign="LEFT",
    )
    commands: list[tuple[object, ...]] = [("VALIGN", (0, 0), (-1, -1), layout.valign)]
    if layout.rules == "grid":
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey))
    elif layout.rules == "rows":
        commands.append(("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.grey))
    else:
        commands += [("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
    table.setStyle(TableStyle(commands))
    return table


def _paragraph(line: str, layout: Layout) -> Paragraph:
    heading = line.lstrip().startswith(("#", "**"))
    text = line.strip().lstrip("#").strip()
    if heading:
        style = ParagraphStyle(
            "h", fontName=layout.bold, fontSize=layout.size + 2, leading=(layout.size + 2) * 1.25
        )
    else:
        style = ParagraphStyle(
            "p", fontName=layout.font, fontSize=layout.size, leading=layout.size * 1.25
        )
    return Paragraph(_escaped(text), style)


def story(text: str, layout: Layout) -> list[Flowable]:
    width = layout.pagesize[0] - 2 * layout.margin
    flowables: list[Flowable] = []
    for kind, lines in _blocks(text):
        if kind == "table":
            flowables.append(_table(lines, width, layout))
        elif kind == "para":
            flowables.append(_paragraph(lines[0], layout))
        else:
            if layout.gaps:
                flowables.append(Spacer(1, layout.size))
    return flowables


def typeset(report: Path, out: Path, layout: Layout) -> Path:
    """Write ``report`` (a text report) as a PDF at ``out``."""
    text = report.read_text(encoding="utf-8")
    title = clean(text.splitlines()[0].lstrip("#"))

    def running(canvas: object, doc: SimpleDocTemplate) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(layout.font, 7)  # type: ignore[attr-defined]
        if layout.running == "footer":
            canvas.drawCentredString(  # type: ignore[attr-defined]
                layout.pagesize[0] / 2, layout.margin / 2, f"Page {doc.page}"
            )
        else:
            canvas.drawString(  # type: ignore[attr-defined]
                layout.margin, layout.pagesize[1] - layout.margin / 2, title
            )
        canvas.restoreState()  # type: ignore[attr-defined]

    out.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(
        str(out),
        pagesize=layout.pagesize,
        leftMargin=layout.margin,
        rightMargin=layout.margin,
        topMargin=layout.margin,
        bottomMargin=layout.margin,
        title=title,
        invariant=1,
    )
    doc.build(story(text, layout), onFirstPage=running, onLaterPages=running)
    return out


def typeset_all(reports: list[Path], out_dir: Path) -> dict[str, list[Path]]:
    """Every report in every layout: {layout name: [pdf paths]}."""
    if not register_fonts():
        raise RuntimeError(
            f"fonts not found: {', '.join(FONTS.values())} "
            "(apt-get install fonts-dejavu-core fonts-dejavu-extra)"
        )
    return {
        layout.name: [
            typeset(report, out_dir / layout.name / f"{report.stem}.pdf", layout)
            for report in reports
        ]
        for layout in LAYOUTS
    }


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    made = typeset_all(sorted((root / "reports").glob("*.txt")), Path(sys.argv[1]))
    for name, paths in made.items():
        print(name, *(path.name for path in paths))
