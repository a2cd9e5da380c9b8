"""Rows that a page break cuts, drawn as a word processor draws them: the row's cells run to
the foot of the page and go on at the top of the next (under the header row repeated or
not), its ref printed above the break only. Each must come out as one row, or be named in a
warning; never glued to the row above or below.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from barnet_tui.cli.main import main
from barnet_tui.ingest.sources.pdf import read_pdf

XS = (60.0, 130.0, 430.0, 520.0)
"""The column rules: ref, comment, result."""
LEADING = 11.0
PAD = 3.0
FOOT = 60.0
"""Where the page's text ends: a row the break cuts runs down to here."""


def _row_height(lines: int) -> float:
    return lines * LEADING + 2 * PAD


def _draw_row(
    page: canvas.Canvas,
    top: float,
    cells: list[list[str]],
    bottom: float,
    ruled: tuple[bool, bool] = (True, True),
    weight: float = 0.0,
    lines: bool = True,
) -> None:
    """One ruled row from ``top`` down to ``bottom``: each cell's lines from its top; its
    rules above and below as ``ruled`` says (a browser leaves a cut row open at the break);
    ``weight``: its rules drawn as filled rectangles that wide (as a browser draws a cell's
    border), not as lines; ``lines``: False for a table with no lines at all."""
    for x0, texts in zip(XS, cells, strict=False):
        for index, line in enumerate(texts):
            page.drawString(x0 + 4, top - PAD - (index + 1) * LEADING + 2.5, line)
    if not lines:
        return

    def rule(x0: float, y0: float, x1: float, y1: float) -> None:
        if not weight:
            page.line(x0, y0, x1, y1)
        elif x0 == x1:
            page.rect(x0 - weight / 2, min(y0, y1), weight, abs(y1 - y0), stroke=0, fill=1)
        else:
            page.rect(x0, y0 - weight / 2, x1 - x0, weight, stroke=0, fill=1)

    if ruled[0]:
        rule(XS[0], top, XS[-1], top)
    if ruled[1]:
        rule(XS[0], bottom, XS[-1], bottom)
    for x in XS:
        rule(x, top, x, bottom)


Row = tuple[str, list[str], str]
"""A ref, the comment's printed lines and a result."""


def _pdf(
    path: Path,
    rows: list[Row],
    cut: int,
    at_line: int,
    repeat: bool,
    heads: tuple[str, str, str] = ("Ref", "Comment", "Result"),
    open_cut: bool = False,
    weight: float = 0.0,
    lines: bool = True,
) -> Path:
    """The rows as a table over two pages, row ``cut`` broken after ``at_line`` of its
    comment's lines: the first page ends with it at the foot; the next goes on with the
    rest of it (its ref and result printed above the break), then the rows after it.
    ``open_cut``: no rule where the break cuts the row (a browser's habit); ``weight``: rules
    drawn as rectangles that wide; ``lines``: False for a table with no lines at all."""
    header: list[list[str]] = [[head] for head in heads]
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("Helvetica", 9)
    above = rows[:cut]
    height = _row_height(1) + sum(_row_height(len(row[1])) for row in above)
    top = FOOT + height + _row_height(at_line)
    page.drawString(60, top + 20, "Key actions")
    _draw_row(page, top, header, top - _row_height(1), weight=weight, lines=lines)
    y = top - _row_height(1)
    for ref, comment, result in above:
        bottom = y - _row_height(len(comment))
        _draw_row(page, y, [[ref], comment, [result]], bottom, weight=weight, lines=lines)
        y = bottom
    ref, comment, result = rows[cut]
    cut_row = [[ref], comment[:at_line], [result]]
    _draw_row(page, y, cut_row, FOOT, (True, not open_cut), weight, lines)
    page.setFont("Helvetica", 7)
    page.drawString(280, 30, "Page 1")
    page.showPage()
    page.setFont("Helvetica", 9)
    y = 780.0
    if repeat:
        _draw_row(page, y, header, y - _row_height(1), weight=weight, lines=lines)
        y -= _row_height(1)
    rest = comment[at_line:]
    _draw_row(
        page, y, [[], rest, []], y - _row_height(len(rest)), (not open_cut, True), weight, lines
    )
    y -= _row_height(len(rest))
    for ref, comment, result in rows[cut + 1 :]:
        bottom = y - _row_height(len(comment))
        _draw_row(page, y, [[ref], comment, [result]], bottom, weight=weight, lines=lines)
        y = bottom
    page.drawString(60, y - 30, "Closing words.")
    page.setFont("Helvetica", 7)
    page.drawString(280, 30, "Page 2")
    page.showPage()
    page.save()
    return path


def _table_rows(text: str) -> list[list[str]]:
    return [line.lstrip("\f").split("\t") for line in text.splitlines() if "\t" in line]


WORDS = st.sampled_from(["the", "plan", "was", "agreed", "with", "partners", "in", "March"])
LINE = st.lists(WORDS, min_size=2, max_size=6).map(" ".join)
SENTENCE_START = st.sampled_from(["Work", "The", "Our", "Data"])


@st.composite
def _rows(draw: st.DrawFn) -> tuple[list[Row], int, int]:
    count = draw(st.integers(2, 5))
    rows: list[Row] = []
    for index in range(count):
        lines = draw(st.lists(LINE, min_size=2, max_size=5))
        # Some lines start a sentence (the line above ended one): no word says the cell
        # goes on there.
        starts = draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
        lines = [
            f"{draw(SENTENCE_START)} {line}" if start and at else line
            for at, (line, start) in enumerate(zip(lines, starts, strict=True))
        ]
        lines = [
            f"{line}." if at + 1 < len(lines) and starts[at + 1] else line
            for at, line in enumerate(lines)
        ]
        lines[-1] += "."
        rows.append((f"FS{index + 1}", lines, f"{10 + index}%"))
    cut = draw(st.integers(0, count - 1))
    at_line = draw(st.integers(1, len(rows[cut][1]) - 1))
    return rows, cut, at_line


@settings(max_examples=60)
@given(case=_rows(), repeat=st.booleans(), open_cut=st.booleans())
def test_a_row_cut_at_any_line_comes_out_whole_or_named_in_a_warning(
    tmp_path_factory: pytest.TempPathFactory,
    case: tuple[list[Row], int, int],
    repeat: bool,
    open_cut: bool,
) -> None:
    rows, cut, at_line = case
    folder = tmp_path_factory.mktemp("cut")
    path = _pdf(folder / "cut.pdf", rows, cut, at_line, repeat, open_cut=open_cut)
    got = _whole_or_named(path, rows)
    assert all(row[0] for row in got)  # no half-row without its ref


def _whole_or_named(path: Path, rows: list[Row]) -> list[list[str]]:
    """The table rows read from ``path``, after asserting that there are as many as
    ``rows`` (none glued to another, none split) and that each is as written or its ref is
    named in a warning."""
    read = read_pdf(path.read_bytes())
    got = _table_rows(read.text)
    expected = [["Ref", "Comment", "Result"]] + [
        [ref, " ".join(comment), result] for ref, comment, result in rows
    ]
    warned = {message for _page, message in read.warnings}
    assert len(got) == len(expected), read.text
    for want, row in zip(expected, got, strict=True):
        assert row == want or any(want[0] in message for message in warned), (row, warned)
    return got


@settings(max_examples=25)
@given(case=_rows())
def test_a_row_of_a_table_with_no_lines_cut_at_any_line_comes_out_whole_or_named(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[list[Row], int, int]
) -> None:
    """The same with no ruling lines at all, the header row repeated on the next page: the
    columns and rows are told apart by the space between them, on both sides of the break.
    (Not yet where the header is not repeated and the next page opens with the cut row's
    rest alone in one column: that line reads as a paragraph, issue 29.)"""
    rows, cut, at_line = case
    folder = tmp_path_factory.mktemp("cut")
    path = _pdf(folder / "cut.pdf", rows, cut, at_line, True, lines=False)
    _whole_or_named(path, rows)


def test_a_table_at_a_page_top_with_the_header_of_one_that_ended_short_is_a_new_table(
    tmp_path: Path,
) -> None:
    """Two tables with the same header, the second moved to the next page's top: the first
    ended well above the page's foot, with room for the second's first row, so the header
    at the top is the second table's own, not the first's repeated, and no row of the
    second is read as the rest of the first's last."""
    path = tmp_path / "two.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("Helvetica", 9)
    head = [["Ref"], ["Comment"], ["Result"]]
    _draw_row(page, 300, head, 286)
    _draw_row(page, 286, [["FS1"], ["Done."], ["10%"]], 272)
    _draw_row(page, 272, [["FS2"], ["Agreed with"], ["20%"]], 258)
    page.drawString(60, FOOT - 10, "A line at the foot of the text.")
    page.showPage()
    page.setFont("Helvetica", 9)
    _draw_row(page, 780, head, 766)
    _draw_row(page, 766, [[], ["partners in March."], []], 752)
    _draw_row(page, 752, [["FS3"], ["Started."], ["30%"]], 738)
    page.showPage()
    page.save()
    text = read_pdf(path.read_bytes()).text
    assert _table_rows(text) == [
        ["Ref", "Comment", "Result"],
        ["FS1", "Done.", "10%"],
        ["FS2", "Agreed with", "20%"],
        ["Ref", "Comment", "Result"],
        ["", "partners in March.", ""],
        ["FS3", "Started.", "30%"],
    ]


def test_a_cut_row_whose_rest_starts_a_sentence_is_joined_and_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Where no word says the cell goes on (its part above the break ends a sentence, the
    rest starts one), the page's geometry still does: the row is joined, and a warning
    names it; --strict refuses it."""
    rows: list[Row] = [
        ("FS/S1", ["Children seen on time."], "10%"),
        ("FS/S2", ["Families registered.", "Children's centres visited."], "20%"),
        ("FS/S3", ["Placements made."], "30%"),
    ]
    heads = ("Ref", "Indicator description", "Result")
    path = _pdf(tmp_path / "cut.pdf", rows, 1, 1, repeat=True, heads=heads)
    assert main(["extract", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "FS/S2\tFamilies registered. Children's centres visited.\t20%" in out
    assert "FS/S3\tPlacements made.\t30%" in out
    assert "page 2: row FS/S2:" in err and "no ref at the top of the page" in err
    out_dir = tmp_path / "out"
    assert main(["ingest", str(path), "--period", "2015/16 Q4", "--out", str(out_dir)]) == 0
    assert "row FS/S2" in capsys.readouterr().err
    out_dir = tmp_path / "strict"
    strict = ["ingest", str(path), "--period", "2015/16 Q4", "--strict", "--out", str(out_dir)]
    assert main(strict) == 2
    assert "--strict: nothing written" in capsys.readouterr().err
    assert not out_dir.exists()


def test_a_row_with_no_ref_after_a_row_that_ended_above_the_foot_is_its_own(
    tmp_path: Path,
) -> None:
    """A comment-only row at the top of a page, after a table that ended well above the
    page's foot (the break fell between rows), is not glued to the row above."""
    path = tmp_path / "whole.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("Helvetica", 9)
    _draw_row(page, 300, [["Ref"], ["Comment"], ["Result"]], 286)
    _draw_row(page, 286, [["FS1"], ["Done."], ["10%"]], 272)
    _draw_row(page, 272, [["FS2"], ["Agreed with partners."], ["20%"]], 258)
    page.drawString(60, FOOT - 10, "A line at the foot of the text.")
    page.showPage()
    page.setFont("Helvetica", 9)
    _draw_row(page, 780, [["Ref"], ["Comment"], ["Result"]], 766)
    _draw_row(page, 766, [[], ["Signed off in March."], []], 752)
    _draw_row(page, 752, [["FS3"], ["Started."], ["30%"]], 738)
    page.showPage()
    page.save()
    rows = _table_rows(read_pdf(path.read_bytes()).text)
    assert ["FS2", "Agreed with partners.", "20%"] in rows
    assert ["", "Signed off in March.", ""] in rows


def test_refs_that_overflow_their_cell_still_start_their_rows(tmp_path: Path) -> None:
    """Four-digit refs wider than their column run over its rule into the next cell: each
    still starts its row, on every page, and no name is glued to another."""
    path = tmp_path / "long.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    xs = (60.0, 80.0, 430.0, 520.0)
    expected: list[list[str]] = []
    for number in range(30):
        page.setFont("Helvetica", 9)
        top = 780.0
        for index in range(40):
            ref = f"FS/S{1000 + number * 40 + index}"
            cells = [ref, f"Indicator {number * 40 + index}", "12%"]
            expected.append(cells)
            for x0, text in zip(xs, cells, strict=False):
                page.drawString(x0 + 3, top - 11, text)
            page.line(xs[0], top, xs[-1], top)
            page.line(xs[0], top - 16, xs[-1], top - 16)
            for x in xs:
                page.line(x, top, x, top - 16)
            top -= 16
        page.showPage()
    page.save()
    read = read_pdf(path.read_bytes())
    assert _table_rows(read.text) == expected


def test_a_row_cut_open_is_closed_where_its_rules_are_thick_rectangles(tmp_path: Path) -> None:
    """A browser draws a cell's border as a thin filled rectangle: the short ends of a column
    rule's rectangle do not close a row the break left open."""
    rows: list[Row] = [
        ("FS1", ["the plan was", "agreed."], "10%"),
        ("FS2", ["with partners", "in March", "the plan."], "20%"),
        ("FS3", ["agreed."], "30%"),
    ]
    path = _pdf(tmp_path / "cut.pdf", rows, 1, 2, repeat=True, open_cut=True, weight=1.5)
    got = _table_rows(read_pdf(path.read_bytes()).text)
    assert got == [
        ["Ref", "Comment", "Result"],
        ["FS1", "the plan was agreed.", "10%"],
        ["FS2", "with partners in March the plan.", "20%"],
        ["FS3", "agreed.", "30%"],
    ]


@pytest.mark.parametrize("outlined", [False, True], ids=["filled", "outlined"])
@pytest.mark.parametrize("name_first", [False, True], ids=["square first", "name first"])
def test_a_line_of_squares_and_names_is_one_line_not_a_cut_row(
    tmp_path: Path, outlined: bool, name_first: bool
) -> None:
    """A key's coloured squares, each beside its name, have sides that end at one height
    with no rule across them, like a row a page break cut; but each square is closed by its
    own top and foot. The line is read whole, its names in order, none moved off it."""
    names = ["Green", "Green Amber", "Red Amber", "Red"]
    path = tmp_path / "key.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("Helvetica", 9)
    page.drawString(60, 760, "Performance against target")
    x = 60.0
    for name in names:
        width = page.stringWidth(name, "Helvetica", 9)
        square, at = (x + width + 4, x) if name_first else (x, x + 14)
        page.rect(square, 720, 10, 10, stroke=int(outlined), fill=int(not outlined))
        page.drawString(at, 722, name)
        x += 14 + width + 8
    page.drawString(60, 690, "The key applies to every table below.")
    page.showPage()
    page.save()
    text = read_pdf(path.read_bytes()).text
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    assert lines == [
        "Performance against target",
        " ".join(names),
        "The key applies to every table below.",
    ], text


@pytest.mark.parametrize("lines", [True, False])
def test_a_heading_repeated_over_the_rest_of_a_cut_table_does_not_end_it(
    tmp_path: Path, lines: bool
) -> None:
    """A table's heading printed again at the next page's top (a title row a word processor
    repeats), over the rest of the row the break cut: the heading is the table's again, and
    the rest goes on with the cut row; the next row, with its ref, is a row of its own."""
    path = tmp_path / "heading.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("Helvetica", 9)
    top = FOOT + 3 * _row_height(1)
    page.drawString(60, top + 20, "Key actions")
    _draw_row(page, top, [["Ref"], ["Comment"], ["Result"]], top - _row_height(1), lines=lines)
    y = top - _row_height(1)
    _draw_row(page, y, [["FS1"], ["Done."], ["10%"]], y - _row_height(1), lines=lines)
    y -= _row_height(1)
    _draw_row(page, y, [["FS2"], ["Agreed with"], ["20%"]], FOOT, (True, True), lines=lines)
    page.showPage()
    page.setFont("Helvetica", 9)
    page.drawString(60, 800, "Key actions")
    _draw_row(page, 780, [[], ["partners in March"], []], 780 - _row_height(1), lines=lines)
    y = 780 - _row_height(1)
    _draw_row(page, y, [["FS3"], ["Started."], ["30%"]], y - _row_height(1), lines=lines)
    _draw_row(
        page,
        y - _row_height(1),
        [["FS4"], ["Planned."], ["40%"]],
        y - 2 * _row_height(1),
        lines=lines,
    )
    page.drawString(60, y - 60, "Closing words.")
    page.showPage()
    page.save()
    result = read_pdf(path.read_bytes())
    assert _table_rows(result.text) == [
        ["Ref", "Comment", "Result"],
        ["FS1", "Done.", "10%"],
        ["FS2", "Agreed with partners in March", "20%"],
        ["FS3", "Started.", "30%"],
        ["FS4", "Planned.", "40%"],
    ], result.text


def test_an_empty_cell_under_a_repeated_header_where_the_rows_fill_it_is_named(
    tmp_path: Path,
) -> None:
    """Rows that move whole to the next page: the first there leaves its result empty where
    every other row with a ref fills it (a merged cell whose text the page before printed),
    though a note row without a ref leaves it empty too. The row is named in a warning on
    its page, with the cell."""
    path = tmp_path / "merged.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("Helvetica", 9)
    head = [["Ref"], ["Comment"], ["Result"]]
    y = FOOT + 15 + 4 * _row_height(1)
    for cells in (head, [[], ["A note for the rows."], []], [["FS1"], ["Done."], ["10%"]]):
        _draw_row(page, y, cells, y - _row_height(1))
        y -= _row_height(1)
    _draw_row(page, y, [["FS2"], ["Agreed."], ["20%"]], y - _row_height(1))
    page.showPage()
    page.setFont("Helvetica", 9)
    _draw_row(page, 780, head, 780 - _row_height(1))
    y = 780 - _row_height(1)
    tall = ["Started in", "March with", "the partners", "of the plan."]
    _draw_row(page, y, [["FS3"], tall, []], y - _row_height(4))
    y -= _row_height(4)
    _draw_row(page, y, [["FS4"], ["Planned."], ["40%"]], y - _row_height(1))
    page.drawString(60, FOOT - 10, "Closing words at the foot of the text.")
    page.showPage()
    page.save()
    warnings = read_pdf(path.read_bytes()).warnings
    assert any(
        page == 2 and "FS3" in text and "cell 3 is empty" in text for page, text in warnings
    ), warnings


def _close_lines(path: Path, xs: tuple[float, ...], lines: Sequence[tuple[str, ...]]) -> Path:
    """A table with no lines, its printed lines all as close (rows no further apart than a
    cell's lines): each line's cells from the column starts ``xs``."""
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("Helvetica", 9)
    y = 700.0
    for texts in lines:
        for x0, text in zip(xs, texts, strict=False):
            if text:
                page.drawString(x0 + 4, y, text)
        y -= LEADING
    page.drawString(60, y - 40, "Closing words.")
    page.showPage()
    page.save()
    return path


def test_a_row_of_a_table_with_no_lines_keeps_its_cells_third_and_later_lines(
    tmp_path: Path,
) -> None:
    """A table with no lines whose lines are all as close (rows no further apart than a
    cell's lines): a row's status is on its first line only, its other cells wrap over
    three. The third line, as full as the second, goes on with the row: it has fewer cells
    than the row's first line, whatever the line above it has."""
    lines = [
        ("Action", "Status", "Comments"),
        ("Work with the", "Green", "Support is"),
        ("partners to", "", "being given"),
        ("agree a plan", "", "to the team"),
        ("Review the", "Amber", "Work has"),
        ("budget", "", "started"),
    ]
    path = _close_lines(tmp_path / "wrapped.pdf", XS, lines)
    assert _table_rows(read_pdf(path.read_bytes()).text) == [
        ["Action", "Status", "Comments"],
        ["Work with the partners to agree a plan", "Green", "Support is being given to the team"],
        ["Review the budget", "Amber", "Work has started"],
    ]


def test_a_title_going_on_in_lower_case_in_a_table_with_no_lines_stays_in_its_row(
    tmp_path: Path,
) -> None:
    """A table of comments with no lines, every line as close and full in both columns: a
    ref's title that wraps goes on in lower case on the next line, and is the same row's,
    not a row of its own (a ref or a title never starts in lower case)."""
    lines = [
        ("Ref and title", "Comment"),
        ("FS1 Number of older people", "There has been a concerted effort to"),
        ("who take up leisure", "increase engagement during the quarter."),
        ("FS2 Participation in sport and", "The survey is conducted by telephone"),
        ("physical activity", "with five hundred people in the borough."),
    ]
    path = _close_lines(tmp_path / "titles.pdf", (60.0, 200.0), lines)
    assert _table_rows(read_pdf(path.read_bytes()).text) == [
        ["Ref and title", "Comment"],
        [
            "FS1 Number of older people who take up leisure",
            "There has been a concerted effort to increase engagement during the quarter.",
        ],
        [
            "FS2 Participation in sport and physical activity",
            "The survey is conducted by telephone with five hundred people in the borough.",
        ],
    ]
