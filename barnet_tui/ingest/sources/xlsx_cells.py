"""An XLSX workbook's sheets read by their cells, as the sheet shows them (in the reading child).

calamine (under Polars) gives a sheet as the rectangle from its first cell to its last: one
stray cell at XFD1048576 makes it 17 billion cells. It also gives a number formatted as a
percentage as the fraction (45% as 0.45), an error cell (``#DIV/0!``) as empty, and a
merged range's value to its top row only. Here each sheet's XML is streamed (expat, with no
DTD or entity, as ``xlsx_fills`` reads styles) and each cell read by its place:

- a number formatted as a percentage (``0%``, ``0.0%``, any format with ``%``) is what the
  sheet shows, ``45%``; one formatted as a date or time is that date (``2017-03-31``); one
  formatted in pounds (``"£"#,##0.00``, ``[$£-809]#,##0``) is in pounds, ``£1234.5``;
- an error cell (``#DIV/0!``, ``#N/A``, ``#REF!`` ...) keeps its text, and a note names it;
- a formula saved with no value (``<f>`` and no ``<v>``, or an empty one) is empty, and a
  note names it;
- a range merged down several rows gives its value to each of them (in its first column);
- a hidden sheet is read, and a note says it is hidden.

Only rows and columns that hold a value are kept, in the sheet's order: a sparse sheet
costs its cells, not its extent.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from barnet_tui.ingest.sources.limits import PART_LIMIT
from barnet_tui.ingest.sources.xlsx_fills import FillsUnreadable, parse_part, sheet_parts

_NAMED_SHOWN: Final = 20
"""Cells named per sheet and kind of note; the rest are counted."""
_MAX_MERGES: Final = 10_000
"""Merged ranges of one sheet whose value is given to every row they span."""
_DATE_IDS: Final = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
"""Built-in number formats (ECMA-376 part 1, 18.8.30, and the East Asian ones) that are
dates or times."""
_PERCENT_IDS: Final = frozenset([9, 10])
_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
"""What a format code shows as it is (quoted text, an escaped character, ``[Red]``, a
padding or fill character): never a date part or a percent sign."""
_PLACE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_COLUMNS: Final = 16_384
CELLS_LIMIT: Final = 5_000_000
"""Cells with a value one sheet may hold: a tracker of 500,000 rows of ten cells."""
_ROWS: Final = 1_048_576


def _format_kind(code: str) -> str | None:
    """``percent``, ``date``, ``pound`` or None for a format code, by its first (positive)
    section."""
    first = code.split(";")[0]
    shown = _LITERALS.sub("", first)
    if "%" in shown:
        return "percent"
    if shown.lower() != "general" and re.search(r"[dmyhs]", shown, re.IGNORECASE):
        return "date"
    return "pound" if "£" in first else None


def _style_kinds(archive: zipfile.ZipFile, names: set[str]) -> list[str | None]:
    """Each cell style's (``s``) kind of number format: ``percent``, ``date`` or None."""
    codes: dict[int, str | None] = {}
    kinds: list[str | None] = []
    in_xfs = [False]

    def start(tag: str, attributes: dict[str, str]) -> None:
        number = attributes.get("numFmtId", "")
        if tag == "numFmt" and number.isdigit():
            codes[int(number)] = _format_kind(attributes.get("formatCode", ""))
        elif tag == "cellXfs":
            in_xfs[0] = True
        elif tag == "xf" and in_xfs[0]:
            kinds.append(_builtin_kind(int(number), codes) if number.isdigit() else None)

    def end(tag: str) -> None:
        if tag == "cellXfs":
            in_xfs[0] = False

    if "xl/styles.xml" in names:
        parse_part(archive, "xl/styles.xml", start, end)
    return kinds


def _styles_read(archive: zipfile.ZipFile, names: set[str]) -> tuple[list[str | None], str]:
    """Each style's kind of number format, or none and why they could not be read safely
    (the values still can be: each number is then read as it is stored)."""
    try:
        return _style_kinds(archive, names), ""
    except FillsUnreadable as error:
        return [], f"number formats not read ({error}): each number read as it is stored"


def _builtin_kind(number: int, codes: dict[int, str | None]) -> str | None:
    if number in codes:
        return codes[number]
    return "percent" if number in _PERCENT_IDS else "date" if number in _DATE_IDS else None


def _shared_strings(archive: zipfile.ZipFile, names: set[str]) -> list[str]:
    """The workbook's shared strings: each one's text runs joined (phonetic runs left out)."""
    name = next((n for n in names if n.lower() == "xl/sharedstrings.xml"), None)
    strings: list[str] = []
    state = {"t": False, "phonetic": False}
    pieces: list[str] = []

    def start(tag: str, _attributes: dict[str, str]) -> None:
        if tag == "si":
            pieces.clear()
        state["t"] = tag == "t" and not state["phonetic"]
        state["phonetic"] = state["phonetic"] or tag == "rPh"

    def end(tag: str) -> None:
        state["t"] = False
        if tag == "rPh":
            state["phonetic"] = False
        elif tag == "si":
            strings.append("".join(pieces))

    def text(data: str) -> None:
        if state["t"]:
            pieces.append(data)

    if name is not None:
        parse_part(archive, name, start, end, text, PART_LIMIT)
    return strings


@dataclass
class _Book:
    """What every sheet's cells are read with."""

    shared: list[str]
    kinds: list[str | None]
    epoch: datetime


@dataclass
class _Cell:
    """The cell being read: its attributes, and its value's and formula's text."""

    place: str = ""
    kind: str = "n"
    style: int = 0
    value: list[str] = field(default_factory=list)
    inline: list[str] = field(default_factory=list)
    formula: bool = False
    valued: bool = False


@dataclass
class _Sheet:
    """A sheet being read: each row's cells with a value written as a record (row, then
    column and text for each: a Python object per cell would take ten times the sheet), the
    row being read, the columns that hold a value, its merged ranges and its notes."""

    name: str
    records: io.StringIO = field(default_factory=io.StringIO)
    row: int = 0
    cells: dict[int, str] = field(default_factory=dict)
    columns: set[int] = field(default_factory=set)
    written: int = 0
    in_order: bool = True
    merges: list[str] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)
    at: list[int] = field(default_factory=lambda: [0, 0])

    def flush(self) -> None:
        """Write the row being read, if it holds a value."""
        if self.cells:
            self.in_order = self.in_order and self.row > self.written
            self.written = max(self.written, self.row)
            record = [str(self.row)]
            for column, text in self.cells.items():
                record += [str(column), text]
            csv.writer(self.records, lineterminator="\n").writerow(record)
            self.cells = {}


def _place(place: str, sheet: _Sheet) -> tuple[int, int]:
    """A cell's (row, column); a cell without a place is the one after the last."""
    if not place:
        return sheet.at[0], sheet.at[1] + 1
    found = _PLACE.fullmatch(place)
    row, column = (int(found[2]), _column(found[1])) if found else (0, 0)
    if not (0 < row <= _ROWS and 0 < column <= _COLUMNS):
        raise ValueError(f"sheet {sheet.name[:40]!r}: a cell at {place[:20]!r}, outside any sheet")
    return row, column


def _column(letters: str) -> int:
    """``"D"`` -> 4."""
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - ord("A") + 1
    return column


def _number(value: str, kind: str | None, book: _Book) -> str:
    """A number as the sheet shows it: a percentage as one, a date as a date."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    if not number.is_finite():
        return value
    if kind == "percent":
        return f"{_plain(number * 100)}%"
    if kind == "pound":
        return f"-£{_plain(-number)}" if number < 0 else f"£{_plain(number)}"
    if kind == "date" and 0 <= number < 2_958_466:  # up to 9999-12-31
        moment = book.epoch + timedelta(days=float(number))
        moment = moment.replace(microsecond=0)
        return moment.strftime("%Y-%m-%d" if number == number.to_integral() else "%Y-%m-%d %H:%M")
    return _plain(number)


def _plain(number: Decimal) -> str:
    """``45.00`` -> ``45``, ``1E+3`` -> ``1000``; a number too long to print plainly as
    Python prints a float."""
    shown = format(number.normalize(), "f")
    return shown if len(shown) <= 20 else repr(float(number))


def _text(cell: _Cell, book: _Book, sheet: _Sheet) -> str:
    """What a cell shows, noting an error and a formula with no value saved."""
    value = "".join(cell.value)
    if cell.kind == "inlineStr":
        return "".join(cell.inline)
    if cell.formula and not value:
        _note(sheet, "uncached", cell.place)
        return ""
    if cell.kind == "s":
        index = int(value) if value.strip().isdigit() else -1
        return book.shared[index] if 0 <= index < len(book.shared) else ""
    if cell.kind == "e":
        _note(sheet, value.strip(), cell.place)
        return value.strip()
    if cell.kind == "b":
        return {"1": "TRUE", "0": "FALSE"}.get(value.strip(), value)
    if cell.kind in ("str", "d") or not value.strip():
        return value
    kind = book.kinds[cell.style] if 0 <= cell.style < len(book.kinds) else None
    return _number(value.strip(), kind, book)


def _note(sheet: _Sheet, what: str, place: str) -> None:
    sheet.notes.setdefault(what, []).append(place or "?")


def _read_sheet(archive: zipfile.ZipFile, part: str, sheet: _Sheet, book: _Book) -> None:
    """A sheet's cells that hold a value, and its merged ranges."""
    current = [_Cell()]
    into: list[list[str] | None] = [None]

    def start(tag: str, attributes: dict[str, str]) -> None:
        cell = current[0]
        if tag == "c":
            style = attributes.get("s", "0")
            current[0] = _Cell(
                attributes.get("r", ""),
                attributes.get("t", "n"),
                int(style) if style.isdigit() else 0,
                valued=True,
            )
        elif tag == "row":
            number = attributes.get("r", "")
            sheet.at[:] = [int(number) if number.isdigit() else sheet.at[0] + 1, 0]
            if sheet.at[0] > _ROWS:
                raise ValueError(f"sheet {sheet.name[:40]!r}: a row past row {_ROWS:,}")
        elif tag == "v" and cell.valued:
            into[0] = cell.value
        elif tag == "t" and cell.valued:
            into[0] = cell.inline
        elif tag == "f" and cell.valued:
            cell.formula = True
        elif tag == "mergeCell" and len(sheet.merges) < _MAX_MERGES:
            sheet.merges.append(attributes.get("ref", ""))

    def end(tag: str) -> None:
        into[0] = None
        cell = current[0]
        if tag == "c" and cell.valued:
            cell.valued = False
            row, column = _place(cell.place, sheet)
            sheet.at[:] = [row, column]
            if row != sheet.row:
                sheet.flush()
                sheet.row = row
            text = _text(cell, book, sheet)
            if text.strip():
                sheet.cells[column] = text
                sheet.columns.add(column)

    def text(data: str) -> None:
        if into[0] is not None:
            into[0].append(data)

    _check_cells(archive, part, sheet.name)
    parse_part(archive, part, start, end, text, PART_LIMIT)
    sheet.flush()


def _check_cells(archive: zipfile.ZipFile, part: str, name: str) -> None:
    """ValueError for a sheet with more than ``CELLS_LIMIT`` cells with a value, counted
    by their end tags before any is parsed (a quick look, at the speed of bytes.count)."""
    count, tail = 0, b""
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 20):
            joined = tail + chunk
            count += joined.count(b"</c>") + joined.count(b":c>")
            tail = chunk[-3:]  # no end tag fits in it, so none is counted twice
            if count > CELLS_LIMIT:
                raise ValueError(
                    f"sheet {name[:40]!r} holds more than {CELLS_LIMIT:,} cells, more than "
                    "any tracker; not read"
                )


def _records(sheet: _Sheet) -> Iterator[tuple[int, dict[int, str]]]:
    """The rows written, in the sheet's order, each with its cells by column."""
    text = sheet.records.getvalue()
    sheet.records = io.StringIO()
    rows = (
        (int(record[0]), {int(record[at]): record[at + 1] for at in range(1, len(record) - 1, 2)})
        for record in csv.reader(io.StringIO(text))
    )
    if sheet.in_order:
        yield from rows
        return
    together: dict[int, dict[int, str]] = {}
    for row, cells in rows:  # a writer that put a row twice, or out of order
        together.setdefault(row, {}).update(cells)
    yield from sorted(together.items())


def _spans(sheet: _Sheet) -> list[tuple[int, int, int]]:
    """(top, bottom, column) of each range merged down several rows."""
    spans = []
    for reference in sheet.merges:
        corners = [_PLACE.fullmatch(part) for part in reference.split(":")]
        if len(corners) == 2 and corners[0] and corners[1]:
            top, bottom = int(corners[0][2]), int(corners[1][2])
            if bottom > top:
                spans.append((top, bottom, _column(corners[0][1])))
    return sorted(spans)


def _merged(
    rows: Iterator[tuple[int, dict[int, str]]], spans: list[tuple[int, int, int]]
) -> Iterator[tuple[int, dict[int, str]]]:
    """Each row, given the value of a range merged down onto it, in the range's first
    column, where the row holds another value (a Service named once beside its
    indicators); across columns a merged cell is one cell shown wide, and stays one."""
    active: dict[int, tuple[int, str]] = {}
    at = 0
    for row, cells in rows:
        for column, (bottom, value) in list(active.items()):
            if bottom < row:
                del active[column]
            else:
                cells.setdefault(column, value)
        while at < len(spans) and spans[at][0] <= row:
            top, bottom, column = spans[at]
            at += 1
            if top == row and column in cells:
                active[column] = (bottom, cells[column])
        yield row, cells


def _csv(sheet: _Sheet) -> tuple[str, list[int], list[int]]:
    """A sheet's rows that hold a value, in its columns that hold one, as CSV text; and
    which rows and columns (0-based) those are."""
    columns = sorted(sheet.columns)
    rows: list[int] = []
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row, cells in _merged(_records(sheet), _spans(sheet)):
        rows.append(row - 1)
        writer.writerow([cells.get(column, "") for column in columns])
    return out.getvalue(), rows, [column - 1 for column in columns]


_SAID = {
    "uncached": "a formula with no value saved (the workbook was never calculated): read as empty",
}


def _notes(sheet: _Sheet) -> list[list[str]]:
    """[sheet, cell, what it says] for each cell noted, the first ``_NAMED_SHOWN`` of each
    kind named and the rest counted."""
    found = []
    for what, places in sheet.notes.items():
        said = _SAID.get(what, f"the spreadsheet's error {what[:20]}, no figure: kept as that text")
        found += [[sheet.name, place, said] for place in places[:_NAMED_SHOWN]]
        if len(places) > _NAMED_SHOWN:
            more = f"and {len(places) - _NAMED_SHOWN:,} more cells like it"
            found.append([sheet.name, places[_NAMED_SHOWN], f"{said} ({more})"])
    return found


def _workbook(archive: zipfile.ZipFile) -> tuple[list[str], datetime]:
    """The hidden sheets' names, and the day a date's serial number counts from."""
    hidden: list[str] = []
    epoch = [datetime(1899, 12, 30)]

    def start(tag: str, attributes: dict[str, str]) -> None:
        if tag == "sheet" and attributes.get("state") in ("hidden", "veryHidden"):
            hidden.append(attributes.get("name", ""))
        elif tag == "workbookPr" and attributes.get("date1904") in ("1", "true"):
            epoch[0] = datetime(1904, 1, 1)

    parse_part(archive, "xl/workbook.xml", start, lambda _tag: None)
    return hidden, epoch[0]


def xlsx_sheets(data: bytes) -> dict[str, Any]:
    """Every sheet's rows as CSV text, which of the sheet's rows and columns they are
    (``layouts``), and the notes on its cells, ``[sheet, cell, what]``."""
    sheets: dict[str, str] = {}
    layouts: dict[str, list[list[int]]] = {}
    notes: list[list[str]] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        hidden, epoch = _workbook(archive)
        kinds, unread = _styles_read(archive, names)
        book = _Book(_shared_strings(archive, names), kinds, epoch)
        for name, part in sheet_parts(archive, names).items():
            notes += [[name, "", unread]] if unread else []
            sheet = _Sheet(name)
            _read_sheet(archive, part, sheet, book)
            sheets[name], rows, columns = _csv(sheet)
            layouts[name] = [rows, columns]
            notes += _notes(sheet)
            if name in hidden:
                notes.append([name, "", "the sheet is hidden in the workbook: read as any other"])
    return {"sheets": sheets, "layouts": layouts, "notes": notes}
