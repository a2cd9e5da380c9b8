"""Ratings printed only as a cell's colour: in PDFs (typeset, and made by a word processor)
and in a tracker workbook, by the usual palette or by the report's own key."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl
import pytest

from barnet_tui.cli.main import main
from barnet_tui.domain.dataset import load_dataset
from barnet_tui.ingest.pipeline import ingest

TITLE = "Family Services – Quarter 4 2016/17 performance report"
HEADER = ("Ref", "Indicator", "Polarity", "Target", "Result", "RAG")
ROWS = (
    ("FS/S1", "Children's centre reach", "Bigger is Better", "70%", "74.0%"),
    ("FS/S2", "Care leavers in education", "Bigger is Better", "60%", "55.0%"),
    ("FS/S3", "Re-referrals to social care", "Smaller is Better", "18%", "21.0%"),
    ("FS/S4", "Adoptions within timescale", "Bigger is Better", "80%", "40.0%"),
)
PALETTE = ("#00B050", "#92D050", "#FFC000", "#FF0000")
RATINGS = ["Green", "Green Amber", "Red Amber", "Red"]

Shades = Sequence[str | None]


def colour_of(shade: str) -> object:
    """A reportlab colour: ``#RRGGBB``, ``cmyk:C,M,Y,K``, ``gray:G`` or ``#RRGGBB@ALPHA``."""
    from reportlab.lib import colors

    space, _, values = shade.partition(":")
    if space == "cmyk":
        return colors.CMYKColor(*(float(value) for value in values.split(",")))
    if space == "gray":
        return colors.Color(*[float(values)] * 3)
    hex_colour, _, alpha = shade.partition("@")
    colour = colors.HexColor(hex_colour)
    return colors.Color(colour.red, colour.green, colour.blue, float(alpha or 1))


def typeset(
    path: Path,
    shades: Shades,
    letters: Sequence[str] = ("", "", "", ""),
    key: Sequence[tuple[str, str]] = (),
    key_as_legend: bool = False,
    result_shaded: bool = False,
    ruled: bool = True,
    whole_rows: bool = False,
    dots: bool = False,
) -> Path:
    """A report whose RAG column's cells are shaded ``shades`` (and say ``letters``), or with
    no RAG column and its Result cells shaded; ruled as Word rules a table, or not at all;
    with a key of (rating name, colour) above the table: as a small table, or as coloured
    squares with their names beside them. ``dots``: the RAG cells hold a coloured dot (a
    traffic light) instead of being shaded."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import (
        Flowable,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
    )

    styles = getSampleStyleSheet()
    story: list[Flowable] = [Paragraph(TITLE, styles["Heading1"]), Spacer(1, 12)]
    if key and key_as_legend:

        class Legend(Flowable):  # type: ignore[misc]
            def wrap(self, *_args: object) -> tuple[float, float]:
                return 400, 16

            def draw(self) -> None:
                canvas, x = self.canv, 0.0
                canvas.setFont("Helvetica", 9)
                for name, colour in key:
                    canvas.setFillColor(colors.HexColor(colour))
                    canvas.rect(x, 2, 10, 10, stroke=0, fill=1)
                    canvas.setFillColor(colors.black)
                    canvas.drawString(x + 14, 4, name)
                    x += 14 + canvas.stringWidth(name, "Helvetica", 9) + 8  # set close

        story += [Legend(), Spacer(1, 12)]
    elif key:
        key_table = Table([[name for name, _colour in key]])
        key_table.setStyle(
            [("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
            + [
                ("BACKGROUND", (column, 0), (column, 0), colors.HexColor(colour))
                for column, (_name, colour) in enumerate(key)
            ]
        )
        story += [Paragraph("Key", styles["Normal"]), key_table, Spacer(1, 12)]
    data: list[list[object]] = [list(HEADER)]
    data += [[*row, letter] for row, letter in zip(ROWS, letters, strict=True)]
    if dots:

        class Dot(Flowable):  # type: ignore[misc]
            def __init__(self, shade: str) -> None:
                super().__init__()
                self.shade = shade

            def wrap(self, *_args: object) -> tuple[float, float]:
                return 12, 12

            def draw(self) -> None:
                self.canv.setFillColor(colour_of(self.shade))
                self.canv.circle(6, 6, 5, stroke=0, fill=1)

        for row, shade in zip(data[1:], shades, strict=True):
            row[-1] = Dot(shade) if shade else ""
        shades = [None] * len(shades)
    if result_shaded:
        data = [row[:-1] for row in data]
    shaded = 4 if result_shaded else 5
    table = Table(data, colWidths=[60] + [None] * (len(data[0]) - 1))
    table.setStyle(
        ([("GRID", (0, 0), (-1, -1), 0.5, colors.black)] if ruled else [])
        + [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9D9D9"))]
        + [
            (
                "BACKGROUND",
                (0 if whole_rows else shaded, index),
                (shaded, index),
                colour_of(shade),
            )
            for index, shade in enumerate(shades, start=1)
            if shade
        ]
    )
    # A second page, so that rows and warnings name their page.
    story += [table, PageBreak(), Paragraph("Appendix: definitions.", styles["Normal"])]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def indicators(path: Path, tmp_path: Path) -> pl.DataFrame:
    out = tmp_path / "data"
    assert main(["ingest", str(path), "--out", str(out)]) == 0
    return load_dataset(out).indicators.collect().sort("ref")


Rated = list[tuple[str, str | None, str | None]]


def ratings(frame: pl.DataFrame) -> Rated:
    return list(frame.select("ref", "rag", "rag_source").iter_rows())


def read(path: Path) -> tuple[Rated, list[str]]:
    """The rows' (ref, rag, rag_source) and the warnings, from ingesting ``path``."""
    result = ingest([path])
    return ratings(result.tables["indicators"].sort("ref")), [
        warning.message for warning in result.warnings
    ]


def by_fill(*rags: str | None, source: str = "fill") -> Rated:
    """The four rows rated ``rags`` (from ``source``; None: not rated)."""
    return [
        (ref, rag, source if rag else None) for (ref, *_rest), rag in zip(ROWS, rags, strict=True)
    ]


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "not ruled"])
def test_a_rating_column_shaded_in_the_usual_palette_is_read_and_says_it_came_from_colour(
    tmp_path: Path, ruled: bool
) -> None:
    frame = indicators(typeset(tmp_path / "fs.pdf", PALETTE, ruled=ruled), tmp_path)
    assert ratings(frame) == by_fill(*RATINGS)
    assert frame["below_target"].to_list() == [False, True, True, True]
    assert frame["result_raw"].to_list() == ["74.0%", "55.0%", "21.0%", "40.0%"]


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "not ruled"])
def test_a_result_cell_shaded_is_its_rating(tmp_path: Path, ruled: bool) -> None:
    path = typeset(tmp_path / "fs.pdf", PALETTE, result_shaded=True, ruled=ruled)
    frame = indicators(path, tmp_path)
    assert ratings(frame) == by_fill(*RATINGS)
    assert frame["result_raw"].to_list() == ["74.0%", "55.0%", "21.0%", "40.0%"]
    assert frame["result"].to_list() == [74.0, 55.0, 21.0, 40.0]


def test_a_row_shaded_whole_in_a_ratings_colour_is_rated_and_a_band_is_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shades = ("#00B050", "#F2F2F2", "#FFC000", "#F2F2F2")  # two rows in a striped table's band
    path = typeset(tmp_path / "fs.pdf", shades, whole_rows=True)
    rated, messages = read(path)
    assert rated == by_fill("Green", None, "Red Amber", None)
    assert not [message for message in messages if "shaded" in message]
    assert main(["extract", str(path)]) == 0
    assert "#F2F2F2" not in capsys.readouterr().out


def test_extract_shows_the_letter_read_from_the_fill(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = typeset(tmp_path / "fs.pdf", PALETTE)
    assert main(["extract", str(path)]) == 0
    text = capsys.readouterr().out
    assert "FS/S1\tChildren's centre reach\tBigger is Better\t70%\t74.0%\t[fill G #00B050]" in text
    assert "[fill GA #92D050]" in text and "[fill RA #FFC000]" in text
    assert "[fill R #FF0000]" in text
    assert "#D9D9D9" not in text  # the header row is shaded whole: shading, no rating
    # The extracted text ingests to the same ratings, still known to come from colour.
    extracted = tmp_path / "fs.txt"
    extracted.write_text(text, encoding="utf-8")
    assert ratings(indicators(extracted, tmp_path / "again")) == ratings(
        indicators(path, tmp_path / "pdf")
    )


def test_near_shades_are_their_rating_and_an_off_palette_fill_is_a_warning(
    tmp_path: Path,
) -> None:
    path = typeset(tmp_path / "fs.pdf", ("#00B04F", "#8FD14F", "#7030A0", "#FF3300"))
    rated, messages = read(path)
    assert rated == by_fill("Green", "Green Amber", None, "Red")
    assert any(
        "page 1: FS/S3: its rating cell is shaded #7030A0, which is no rating's colour" in message
        for message in messages
    ), messages


def test_fills_in_cmyk_grey_and_translucent_are_judged_as_the_page_shows_them(
    tmp_path: Path,
) -> None:
    # CMYK gold and red as a viewer paints them (#FEC210, #EE1D23) are Red Amber and Red; a
    # grey is no rating; Red at half strength shows as pink on the paper, no rating either.
    shades = ("cmyk:0,0.25,1,0", "cmyk:0,1,1,0", "gray:0.85", "#FF0000@0.5")
    rated, messages = read(typeset(tmp_path / "fs.pdf", shades))
    assert rated == by_fill("Red Amber", "Red", None, None)
    assert [message.split(":")[1] for message in messages if "shaded" in message] == [
        " FS/S3",
        " FS/S4",
    ]
    assert any("shaded #D9D9D9" in message for message in messages)
    assert any("shaded #FF7F7F" in message for message in messages)


def test_a_letter_and_a_fill_that_disagree_is_a_warning_and_the_letter_stands(
    tmp_path: Path,
) -> None:
    path = typeset(tmp_path / "fs.pdf", PALETTE, letters=("G", "R", "RA", "R"))
    rated, messages = read(path)
    assert rated == by_fill("Green", "Red", "Red Amber", "Red", source="published")
    assert "page 1: FS/S2 is rated Red but its cell is shaded Green Amber (#92D050)" in messages
    assert sum("is shaded" in message for message in messages) == 1


def test_shades_that_look_like_two_ratings_or_none_are_warnings_not_guesses(
    tmp_path: Path,
) -> None:
    # Excel's accent green is as near Green as Green Amber; orange and Word's dark red are
    # further from Red Amber and Red than a shade that looks the same.
    path = typeset(tmp_path / "fs.pdf", ("#70AD47", "#FFA500", "#C00000", "#FFFFFF"))
    rated, messages = read(path)
    assert rated == by_fill(None, None, None, None)
    shaded = sorted(message.split(":")[1] for message in messages if "shaded" in message)
    assert shaded == [" FS/S1", " FS/S2", " FS/S3"]  # a white cell is no fill


def test_a_three_colour_key_makes_amber_no_rating(tmp_path: Path) -> None:
    key = [("Green", "#00B050"), ("Amber", "#FFC000"), ("Red", "#FF0000")]
    path = typeset(tmp_path / "fs.pdf", ("#00B050", "#FFC000", "#FFC000", "#FF0000"), key=key)
    rated, messages = read(path)
    assert rated == by_fill("Green", None, None, "Red")
    assert sum("is shaded #FFC000" in message for message in messages) == 2


@pytest.mark.parametrize("as_legend", [False, True], ids=["key table", "legend"])
def test_the_reports_own_key_overrides_the_palette(tmp_path: Path, as_legend: bool) -> None:
    # A report that shades Red Amber yellow and Green Amber in the palette's Red Amber.
    key = [
        ("Green", "#00B050"),
        ("Green Amber", "#FFC000"),
        ("Red Amber", "#FFFF00"),
        ("Red", "#C00000"),
    ]
    shades = ("#00B050", "#FFC000", "#FFFF00", "#C00000")
    path = typeset(tmp_path / "fs.pdf", shades, key=key, key_as_legend=as_legend)
    rated, messages = read(path)
    assert rated == by_fill(*RATINGS)
    assert not [message for message in messages if "shaded" in message or "key" in message]


def tracker(path: Path, shades: Shades, corner: tuple[int, int] = (0, 0)) -> Path:
    """A tracker workbook whose RAG cells are only shaded, its table starting at ``corner``
    (row, column), a header shaded whole above it."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Q4")
    top, left = corner
    sheet.write(top, left, "Family Services tracker 2016/17 Q4")
    header = book.add_format({"bold": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF"})
    columns = ("Ref", "Indicator", "Service", "Period", "Polarity", "Target", "Result", "RAG")
    for column, text in enumerate(columns):
        sheet.write(top + 2, left + column, text, header)
    for index, ((ref, name, polarity, target, result), shade) in enumerate(
        zip(ROWS, shades, strict=True), start=top + 3
    ):
        cells = (ref, name, "Family Services", "2016/17 Q4", polarity, target, result)
        for column, text in enumerate(cells):
            sheet.write(index, left + column, text)
        fill = book.add_format({"bg_color": shade}) if shade else None
        sheet.write_blank(index, left + len(cells), None, fill)
    book.close()
    return path


@pytest.mark.parametrize("corner", [(0, 0), (3, 2)], ids=["at A1", "at C4"])
def test_a_tracker_whose_rating_cells_are_only_shaded(
    tmp_path: Path, corner: tuple[int, int]
) -> None:
    path = tracker(tmp_path / "tracker.xlsx", ("#00B050", "#92D050", "#7030A0", "#FF0000"), corner)
    rated, messages = read(path)
    assert rated == by_fill("Green", "Green Amber", None, "Red")
    assert [m for m in messages if "shaded" in m] == [
        "FS/S3: its rating cell is shaded #7030A0, which is no rating's colour (neither the "
        "report's key nor the usual palette): not rated"
    ]


def rewritten(workbook: Path, path: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """``workbook`` written to ``path`` with each part whose name starts with ``part``
    changed by ``change``, as another program would have written it."""
    import zipfile

    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, change(data) if item.filename.startswith(part) else data)
    return path


def test_a_workbook_written_another_way_gives_the_same_ratings(tmp_path: Path) -> None:
    """Cells whose place is not their first attribute, in a namespace with a prefix, as
    other writers than Excel's write them."""
    import zipfile

    def prefixed(data: bytes) -> bytes:
        data = re.sub(rb'<c r="([A-Z0-9]+)"([^>]*?)(/?)>', rb'<x:c\2 r="\1"\3>', data)
        for tag in (b"c", b"row", b"v", b"is", b"t"):
            data = data.replace(b"</" + tag + b">", b"</x:" + tag + b">")
            if tag != b"c":
                data = data.replace(b"<" + tag + b">", b"<x:" + tag + b">")
        data = data.replace(b"<row ", b"<x:row ").replace(b"sheetData", b"x:sheetData")
        return data.replace(
            b"<worksheet ",
            b'<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ',
        )

    plain = tracker(tmp_path / "plain.xlsx", PALETTE)
    path = rewritten(plain, tmp_path / "prefixed.xlsx", "xl/worksheets/", prefixed)
    assert b"<x:c s=" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert ratings(ingest([path]).tables["indicators"].sort("ref")) == ratings(
        ingest([plain]).tables["indicators"].sort("ref")
    )
    assert ratings(ingest([path]).tables["indicators"].sort("ref")) == by_fill(*RATINGS)


def test_a_workbook_whose_styles_declare_entities_is_read_without_its_colours(
    tmp_path: Path,
) -> None:

    entities = b'<!DOCTYPE s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    path = rewritten(
        tracker(tmp_path / "plain.xlsx", PALETTE),
        tmp_path / "laughs.xlsx",
        "xl/styles.xml",
        lambda data: data.replace(b"?>", b"?>" + entities, 1),
    )
    rated, messages = read(path)
    assert rated == by_fill(None, None, None, None)
    assert [message for message in messages if "colours" in message] == [
        "cell colours not read: xl/styles.xml declares a DTD or an entity"
    ]


def _word_document(path: Path, shades: Shades) -> Path:
    """The report as a word processor's document: a 'Table Grid' table whose RAG cells are
    shaded (Word's cell shading, ``w:shd``) and say nothing."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = Document()
    document.add_heading(TITLE, level=1)
    table = document.add_table(rows=1 + len(ROWS), cols=len(HEADER))
    table.style = "Table Grid"
    for column, text in enumerate(HEADER):
        table.cell(0, column).text = text
    for index, (row, shade) in enumerate(zip(ROWS, shades, strict=True), start=1):
        for column, text in enumerate(row):
            table.cell(index, column).text = text
        if shade:
            shading = OxmlElement("w:shd")
            shading.set(qn("w:val"), "clear")
            shading.set(qn("w:color"), "auto")
            shading.set(qn("w:fill"), shade.lstrip("#"))
            table.cell(index, len(row))._tc.get_or_add_tcPr().append(shading)
    document.add_page_break()  # type: ignore[no-untyped-call]
    document.add_paragraph("Appendix: definitions.")
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def word_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The document converted to PDF by LibreOffice, as a council's word processor exports
    it (a test that needs it fails, never skips, where LibreOffice is missing)."""
    folder = tmp_path_factory.mktemp("word")
    document = _word_document(folder / "fs-word.docx", ("#00B050", "#92D050", "#7030A0", "#FF0000"))
    profile = (folder / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), str(document)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return folder / "fs-word.pdf"


def test_a_word_processors_shaded_cells_are_ratings(word_pdf: Path) -> None:
    rated, messages = read(word_pdf)
    assert rated == by_fill("Green", "Green Amber", None, "Red")
    frame = ingest([word_pdf]).tables["indicators"].sort("ref")
    assert frame["result_raw"].to_list() == ["74.0%", "55.0%", "21.0%", "40.0%"]
    assert [message for message in messages if "shaded" in message] == [
        "page 1: FS/S3: its rating cell is shaded #7030A0, which is no rating's colour (neither "
        "the report's key nor the usual palette): not rated"
    ]


def test_a_shaded_row_cut_by_a_page_break_is_one_row_with_its_rating(tmp_path: Path) -> None:
    """A row that the page break cuts, its rating cell shaded on both pages (as a word
    processor draws it), is one row rated by its fill."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    xs, height = (60.0, 130.0, 330.0, 400.0, 440.0), 16.0

    def ruled(
        page: canvas.Canvas, rows: list[list[str]], shades: list[str | None], top: float
    ) -> None:
        for index, (row, shade) in enumerate(zip(rows, shades, strict=True)):
            y = top - index * height
            if shade:
                page.setFillColor(colors.HexColor(shade))
                page.rect(xs[3], y - height, xs[4] - xs[3], height, stroke=0, fill=1)
                page.setFillColor(colors.black)
            for x0, text in zip(xs, row, strict=False):
                page.drawString(x0 + 4, y - 11, text)
            page.line(xs[0], y, xs[-1], y)
        bottom = top - len(rows) * height
        page.line(xs[0], bottom, xs[-1], bottom)
        for x in xs:
            page.line(x, top, x, bottom)

    path = tmp_path / "cut.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("Helvetica", 9)
    page.drawString(60, 780, TITLE)
    header = ["Ref", "Indicator", "Result", "RAG"]
    ruled(
        page,
        [
            header,
            ["FS/S1", "Children's centre reach", "74.0%", ""],
            ["FS/S2", "Care leavers in", "", ""],
        ],
        [None, "#00B050", "#FFC000"],
        120,
    )
    page.showPage()
    page.setFont("Helvetica", 9)
    ruled(page, [header, ["", "education", "55.0%", ""]], [None, "#FFC000"], 780)
    page.showPage()
    page.save()
    rated, messages = read(path)
    assert rated == [("FS/S1", "Green", "fill"), ("FS/S2", "Red Amber", "fill")]
    frame = ingest([path]).tables["indicators"].sort("ref")
    assert frame["indicator"].to_list() == ["Children's centre reach", "Care leavers in education"]
    assert frame["result_raw"].to_list() == ["74.0%", "55.0%"]
    assert not [message for message in messages if "shaded" in message]


def test_a_trackers_fills_in_the_indexed_palette_and_theme_colours(tmp_path: Path) -> None:
    """Excel writes a fill as RGB, as an index into its legacy palette, or as a theme
    colour lightened or darkened by a tint."""

    def styled(data: bytes) -> bytes:
        red, amber = b'<fgColor rgb="FFFF0000"/>', b'<fgColor rgb="FFFFC000"/>'
        assert red in data and amber in data
        data = data.replace(red, b'<fgColor indexed="10"/>')  # the palette's red
        # The theme's first light colour (white) darkened by half: a grey.
        return data.replace(amber, b'<fgColor theme="0" tint="-0.499984740745262"/>')

    plain = tracker(tmp_path / "plain.xlsx", PALETTE)
    path = rewritten(plain, tmp_path / "styled.xlsx", "xl/styles.xml", styled)
    rated, messages = read(path)
    assert rated == by_fill("Green", "Green Amber", None, "Red")
    assert [message for message in messages if "shaded" in message] == [
        "FS/S3: its rating cell is shaded #808080, which is no rating's colour (neither the "
        "report's key nor the usual palette): not rated"
    ]


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "not ruled"])
def test_a_coloured_dot_in_the_rating_cell_is_its_rating(tmp_path: Path, ruled: bool) -> None:
    shades = ("#00B050", "#92D050", "#7030A0", "#FF0000")
    rated, messages = read(typeset(tmp_path / "fs.pdf", shades, dots=True, ruled=ruled))
    assert rated == by_fill("Green", "Green Amber", None, "Red")
    assert [message.split(":")[1] for message in messages if "shaded #7030A0" in message] == [
        " FS/S3"
    ]


def test_the_explorer_says_a_rating_was_read_from_colour(tmp_path: Path) -> None:
    from barnet_tui.domain.describe import rating_sentence

    frame = indicators(typeset(tmp_path / "fs.pdf", PALETTE, letters=("G", "", "", "")), tmp_path)
    sentences = [rating_sentence(row) for row in frame.iter_rows(named=True)]
    assert sentences[:2] == [
        "Green · 74.0% against a target of 70% (bigger is better)",
        "Green Amber (read from the cell's colour) · 55.0% against a target of 60% "
        "(bigger is better)",
    ]


def test_a_sheet_whose_cells_do_not_say_where_they_are_keeps_its_values_not_its_colours(
    tmp_path: Path,
) -> None:
    path = rewritten(
        tracker(tmp_path / "plain.xlsx", PALETTE),
        tmp_path / "placeless.xlsx",
        "xl/worksheets/",
        lambda data: re.sub(rb'<c r="[A-Z0-9]+"', b"<c", data),
    )
    rated, messages = read(path)
    assert rated == by_fill(None, None, None, None)
    assert [message for message in messages if "colours" in message] == [
        "cell colours not read: xl/worksheets/sheet1.xml has cells that do not say where they are"
    ]
