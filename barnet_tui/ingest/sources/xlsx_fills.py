"""The cell fills of an XLSX workbook: a tracker whose rating cells are only shaded.

fastexcel (calamine), which reads the values, does not read cell styles, and no library that
does (openpyxl) is a dependency; the fills are few parts of the zip: ``xl/workbook.xml`` and
its relationships name each sheet's part, ``xl/styles.xml`` gives each cell style's fill,
``xl/theme/theme1.xml`` the theme's colours, and each sheet's part gives every cell its
style. They are read with the standard library's expat, streamed, with the care defusedxml
takes: a part that declares a DTD or an entity (no part of a workbook does) is refused, so no
entity is ever expanded; a part is read only up to ``PART_LIMIT`` bytes decompressed, and a
workbook with more parts than ``_MAX_PARTS`` is not read for fills.
"""

from __future__ import annotations

import colorsys
import io
import posixpath
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Final
from xml.parsers import expat

from barnet_tui.ingest.sources.fills import Colour

PART_LIMIT: Final = 16 * 1024 * 1024
"""Bytes of the workbook, relationships, styles or theme part, decompressed, read at most."""
SHEET_LIMIT: Final = 256 * 1024 * 1024
"""Bytes of one sheet's part, decompressed, read at most (a tracker of 500,000 rows)."""
MAX_SHADED: Final = 500_000
"""Shaded cells of one sheet read at most (a tracker of 50,000 rows with ten shaded columns):
beyond that the sheet's shading is no rating column, and its memory is bounded."""
_MAX_PARTS: Final = 10_000
_CHUNK: Final = 1 << 16
_THEME_ORDER: Final = (
    "lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5",
    "accent6", "hlink", "folHlink",
)  # fmt: skip
"""Theme colour indices as cell styles count them (light and dark swapped, as Excel does)."""
_INDEXED_TEXT: Final = (
    "000000 FFFFFF FF0000 00FF00 0000FF FFFF00 FF00FF 00FFFF 000000 FFFFFF FF0000 00FF00 "
    "0000FF FFFF00 FF00FF 00FFFF 800000 008000 000080 808000 800080 008080 C0C0C0 808080 "
    "9999FF 993366 FFFFCC CCFFFF 660066 FF8080 0066CC CCCCFF 000080 FF00FF FFFF00 00FFFF "
    "800080 800000 008080 0000FF 00CCFF CCFFFF CCFFCC FFFF99 99CCFF FF99CC CC99FF FFCC99 "
    "3366FF 33CCCC 99CC00 FFCC00 FF9900 FF6600 666699 969696 003366 339966 003300 333300 "
    "993300 993366 333399 333333"
)
_INDEXED: Final = tuple(_INDEXED_TEXT.split())
"""The legacy indexed palette (``indexed="10"``), as ECMA-376 part 1, 18.8.27 lists it."""


class FillsUnreadable(Exception):
    """The workbook's styles cannot be read safely; the message says why, in a few words."""


@dataclass
class SheetFills:
    """One sheet's shaded cells by 0-based (row, column), and where its values are: how many
    each row holds, and the columns that hold any."""

    fills: dict[tuple[int, int], Colour] = field(default_factory=dict)
    values_in_row: dict[int, int] = field(default_factory=dict)
    value_columns: set[int] = field(default_factory=set)


Handler = Callable[[str, dict[str, str]], None]


def parse_part(
    archive: zipfile.ZipFile,
    name: str,
    start: Handler,
    end: Callable[[str], None],
    text: Callable[[str], None] | None = None,
    limit: int = PART_LIMIT,
) -> None:
    """Stream one part, up to ``limit`` bytes decompressed, through expat: ``start(tag,
    attributes)`` and ``end(tag)`` with tags without their namespace, and ``text(data)``
    for the text between them."""

    def refuse(*_args: object) -> None:
        raise FillsUnreadable(f"{name} declares a DTD or an entity")

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    parser.StartElementHandler = lambda tag, attributes: start(tag.rpartition("}")[2], attributes)
    parser.EndElementHandler = lambda tag: end(tag.rpartition("}")[2])
    if text is not None:
        parser.buffer_text = True
        parser.CharacterDataHandler = text
    read = 0
    try:
        with archive.open(name) as part:
            while chunk := part.read(_CHUNK):
                read += len(chunk)
                if read > limit:
                    raise FillsUnreadable(f"{name} is over {limit // 2**20} MB")
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise FillsUnreadable(f"{name} is not well-formed XML ({error})") from None
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise FillsUnreadable(f"{name} cannot be read ({error})") from None


def sheet_parts(archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Sheet name -> the part that holds it."""
    targets: dict[str, str] = {}
    sheets: list[tuple[str, str]] = []

    def relationship(tag: str, attributes: dict[str, str]) -> None:
        if tag == "Relationship" and "Id" in attributes and "Target" in attributes:
            target = attributes["Target"]
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            targets[attributes["Id"]] = posixpath.normpath(path)

    def sheet(tag: str, attributes: dict[str, str]) -> None:
        if tag == "sheet":
            rid = next((v for k, v in attributes.items() if k.endswith("}id")), None)
            if "name" in attributes and rid is not None:
                sheets.append((attributes["name"], rid))

    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return {}
    parse_part(archive, "xl/_rels/workbook.xml.rels", relationship, lambda _tag: None)
    parse_part(archive, "xl/workbook.xml", sheet, lambda _tag: None)
    return {name: targets[rid] for name, rid in sheets if targets.get(rid) in names}


def _theme(archive: zipfile.ZipFile, names: set[str]) -> list[Colour | None]:
    """The theme's colours in the order cell styles count them."""
    found: dict[str, Colour] = {}
    current: list[str] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        if tag in _THEME_ORDER:
            current[:] = [tag]
        elif current and tag in ("srgbClr", "sysClr"):
            value = attributes.get("val" if tag == "srgbClr" else "lastClr")
            colour = _hex(value)
            if colour is not None:
                found.setdefault(current[0], colour)

    def end(tag: str) -> None:
        if tag in _THEME_ORDER:
            current.clear()

    if "xl/theme/theme1.xml" in names:
        parse_part(archive, "xl/theme/theme1.xml", start, end)
    return [found.get(name) for name in _THEME_ORDER]


def _hex(value: str | None) -> Colour | None:
    if value is None or len(value) not in (6, 8):
        return None
    try:
        number = int(value[-6:], 16)
    except ValueError:
        return None
    return (number >> 16) & 255, (number >> 8) & 255, number & 255


def _tinted(colour: Colour, tint: float) -> Colour:
    """A theme colour lightened or darkened as Excel does (ECMA-376, 18.8.19, ``tint``)."""
    hue, light, saturation = colorsys.rgb_to_hls(*(channel / 255 for channel in colour))
    light = light * (1 + tint) if tint < 0 else light * (1 - tint) + tint
    red, green, blue = colorsys.hls_to_rgb(hue, min(max(light, 0.0), 1.0), saturation)
    return round(red * 255), round(green * 255), round(blue * 255)


def _colour(attributes: dict[str, str], theme: list[Colour | None]) -> Colour | None:
    if "rgb" in attributes:
        return _hex(attributes["rgb"])
    try:
        if "indexed" in attributes:
            index = int(attributes["indexed"])
            return _hex(_INDEXED[index]) if 0 <= index < len(_INDEXED) else None
        if "theme" in attributes:
            index = int(attributes["theme"])
            colour = theme[index] if 0 <= index < len(theme) else None
            tint = float(attributes.get("tint", "0"))
            return _tinted(colour, tint) if colour is not None and tint else colour
    except ValueError:
        return None
    return None


def _style_fills(archive: zipfile.ZipFile, names: set[str]) -> list[Colour | None]:
    """Each cell style's (``s``) solid fill colour, or None."""
    theme = _theme(archive, names)
    fills: list[Colour | None] = []
    styles: list[Colour | None] = []
    state = {"in_fills": False, "in_xfs": False, "solid": False}

    def start(tag: str, attributes: dict[str, str]) -> None:
        if tag in ("fills", "cellXfs"):
            state["in_fills" if tag == "fills" else "in_xfs"] = True
        elif state["in_fills"] and tag == "fill":
            fills.append(None)
        elif state["in_fills"] and tag == "patternFill":
            state["solid"] = attributes.get("patternType") == "solid"
        elif state["in_fills"] and tag == "fgColor" and state["solid"] and fills:
            fills[-1] = _colour(attributes, theme)
        elif state["in_xfs"] and tag == "xf":
            index = attributes.get("fillId", "0")
            fill = int(index) if index.isdigit() else 0
            styles.append(fills[fill] if fill < len(fills) else None)

    def end(tag: str) -> None:
        if tag in ("fills", "cellXfs"):
            state["in_fills" if tag == "fills" else "in_xfs"] = False

    if "xl/styles.xml" in names:
        parse_part(archive, "xl/styles.xml", start, end)
    return styles


def _column(letters: bytes) -> int:
    """``b"D"`` -> 3."""
    column = 0
    for letter in letters:
        column = column * 26 + letter - ord("A") + 1
    return column - 1


_PLACE = rb'r="([A-Z]{1,3})([0-9]{1,7})"'
_VALUE_CELL = re.compile(rb"<c " + _PLACE + rb"[^>]*(?<!/)>")
"""A cell's start tag that is not empty (``<c r="D4" t="s">``: its value follows), as most
writers write it: the place first, no namespace prefix."""
_ANY_CELL = re.compile(rb"<(?:\w+:)?c(?=[\s/>])([^>]*)>")
_PLACE_ANYWHERE = re.compile(rb"\s" + _PLACE)
_STYLE = re.compile(rb'\ss="([0-9]+)"')


def _shaded_cells(styles: Sequence[int]) -> re.Pattern[bytes]:
    """A cell's start tag, its place first, whose style (``s``) is one of ``styles``."""
    ids = b"|".join(str(style).encode() for style in styles)
    return re.compile(rb"<c " + _PLACE + rb'[^>]*?\ss="(' + ids + rb')"')


def _cells(data: bytes, styles: list[Colour | None], name: str) -> SheetFills:
    """Any writer's cells (a namespace prefix, the place anywhere among the attributes):
    every start tag read in turn."""
    found = SheetFills()
    for attributes in _ANY_CELL.findall(data):
        place = _PLACE_ANYWHERE.search(attributes)
        if place is None:
            raise FillsUnreadable(f"{name} has cells that do not say where they are")
        row, column = int(place[2]) - 1, _column(place[1])
        if not attributes.endswith(b"/"):
            found.values_in_row[row] = found.values_in_row.get(row, 0) + 1
            found.value_columns.add(column)
        style = _STYLE.search(attributes)
        colour = styles[int(style[1])] if style and int(style[1]) < len(styles) else None
        if colour is not None:
            found.fills[row, column] = colour
            if len(found.fills) > MAX_SHADED:
                raise FillsUnreadable(f"{name} has over {MAX_SHADED:,} shaded cells")
    return found


def _sheet(archive: zipfile.ZipFile, name: str, styles: list[Colour | None]) -> SheetFills:
    """A sheet's shaded cells and where its values are. A sheet part is large (a tracker of
    200,000 rows is 90 MB of XML) and only its cells' start tags matter here, so it is
    scanned for them with the re module, in C: expat's callbacks into Python take ten
    times as long. No entity can be expanded, and a part that declares one is refused."""
    try:
        with archive.open(name) as part:
            data = part.read(SHEET_LIMIT + 1)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise FillsUnreadable(f"{name} cannot be read ({error})") from None
    if len(data) > SHEET_LIMIT:
        raise FillsUnreadable(f"{name} is over {SHEET_LIMIT // 2**20} MB")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise FillsUnreadable(f"{name} declares a DTD or an entity")
    cells = data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/>")
    if cells != data.count(b'<c r="') or b":c " in data:
        return _cells(data, styles, name)
    found = SheetFills()
    valued = _VALUE_CELL.findall(data)
    rows = Counter(map(itemgetter(1), valued))
    found.values_in_row = {int(row) - 1: count for row, count in rows.items()}
    found.value_columns = {_column(letters) for letters in set(map(itemgetter(0), valued))}
    filled = [index for index, colour in enumerate(styles) if colour is not None]
    shaded = _shaded_cells(filled).findall(data) if filled else []
    if len(shaded) > MAX_SHADED:
        raise FillsUnreadable(f"{name} has over {MAX_SHADED:,} shaded cells")
    for letters, row, style in shaded:
        colour = styles[int(style)]
        assert colour is not None
        found.fills[int(row) - 1, _column(letters)] = colour
    return found


def workbook_fills(data: bytes) -> dict[str, SheetFills]:
    """Every sheet's shaded cells, by sheet name; FillsUnreadable when the workbook's parts
    cannot be read safely (the values, read elsewhere, may still be)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as error:
        raise FillsUnreadable(f"not a zip of parts ({error})") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > _MAX_PARTS:
            raise FillsUnreadable(f"{len(infos)} parts, over {_MAX_PARTS}")
        names = {info.filename for info in infos}
        parts = sheet_parts(archive, names)
        styles = _style_fills(archive, names)
        if not any(styles):
            return {}
        return {sheet: _sheet(archive, part, styles) for sheet, part in parts.items()}


def _fits(
    rows: Sequence[Sequence[str | None]], found: SheetFills, kept: list[int], columns: list[int]
) -> bool:
    """Whether the values' reader's rows are the sheet's rows ``kept`` in its ``columns``:
    as many, as wide, and each with as many values as the sheet's row."""
    if len(rows) != len(kept) or any(len(cells) != len(columns) for cells in rows):
        return False
    return all(
        sum(1 for value in cells if value not in (None, "")) == found.values_in_row.get(row, 0)
        for row, cells in zip(kept, rows, strict=True)
    )


def sheet_shades(
    rows: Sequence[Sequence[str | None]],
    found: SheetFills,
    layout: tuple[list[int], list[int]] | None = None,
) -> tuple[list[list[str]], list[list[Colour | None]]] | None:
    """The rows the values' reader gave, with each cell's fill. That reader starts at the
    first row and column that hold a value, and leaves out the rows and columns that hold
    none (or keeps them, read another way): a column of shaded cells without a value (a
    rating shown only as colour) comes back in its place, empty. None when the rows match
    the sheet's cells neither way (a row with more or fewer values than the sheet's), so no
    fill is ever given to another cell. ``layout``: the sheet's rows and columns (0-based)
    that ``rows`` are, where the reader says (``xlsx_cells``)."""
    if layout is not None:
        kept, columns = layout
        if not kept or not columns or len(rows) != len(kept):
            return None
    elif not found.values_in_row:
        return None
    else:
        kept, columns = sorted(found.values_in_row), sorted(found.value_columns)
    if layout is None and not _fits(rows, found, kept, columns):
        kept = list(range(kept[0], kept[-1] + 1))
        columns = list(range(columns[0], columns[-1] + 1))
        if not _fits(rows, found, kept, columns):
            return None
    on_kept = set(kept)
    shaded = {column for row, column in found.fills if row in on_kept and column > columns[0]}
    laid_out = sorted(shaded.union(columns))
    at = {column: index for index, column in enumerate(columns)}
    texts = [
        [cells[at[column]] or "" if column in at else "" for column in laid_out] for cells in rows
    ]
    fills = [[found.fills.get((row, column)) for column in laid_out] for row in kept]
    return texts, fills
