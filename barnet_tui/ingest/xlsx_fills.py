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
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final
from xml.parsers import expat

from barnet_tui.ingest.fills import Colour

PART_LIMIT: Final = 64 * 1024 * 1024
"""Bytes of one part, decompressed, read at most (a sheet of a million filled cells)."""
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
    """One sheet's shaded cells and the cells that hold a value, by 0-based (row, column)."""

    fills: dict[tuple[int, int], Colour] = field(default_factory=dict)
    values: set[tuple[int, int]] = field(default_factory=set)


Handler = Callable[[str, dict[str, str]], None]


def _parse(archive: zipfile.ZipFile, name: str, start: Handler, end: Callable[[str], None]) -> None:
    """Stream one part through expat: ``start(tag, attributes)`` and ``end(tag)`` with tags
    without their namespace."""

    def refuse(*_args: object) -> None:
        raise FillsUnreadable(f"{name} declares a DTD or an entity")

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    parser.StartElementHandler = lambda tag, attributes: start(tag.rpartition("}")[2], attributes)
    parser.EndElementHandler = lambda tag: end(tag.rpartition("}")[2])
    read = 0
    try:
        with archive.open(name) as part:
            while chunk := part.read(_CHUNK):
                read += len(chunk)
                if read > PART_LIMIT:
                    raise FillsUnreadable(f"{name} is over {PART_LIMIT // 2**20} MB")
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise FillsUnreadable(f"{name} is not well-formed XML ({error})") from None
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise FillsUnreadable(f"{name} cannot be read ({error})") from None


def _sheet_parts(archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
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
    _parse(archive, "xl/_rels/workbook.xml.rels", relationship, lambda _tag: None)
    _parse(archive, "xl/workbook.xml", sheet, lambda _tag: None)
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
        _parse(archive, "xl/theme/theme1.xml", start, end)
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
        _parse(archive, "xl/styles.xml", start, end)
    return styles


def _address(reference: str) -> tuple[int, int] | None:
    """``D4`` -> (3, 3)."""
    letters = reference.rstrip("0123456789")
    digits = reference[len(letters) :]
    if not letters.isalpha() or not letters.isascii() or not digits.isdigit():
        return None
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(digits) - 1, column - 1


def _sheet(archive: zipfile.ZipFile, name: str, styles: list[Colour | None]) -> SheetFills:
    found = SheetFills()
    cell: list[tuple[int, int]] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        if tag == "c":
            place = _address(attributes.get("r", ""))
            cell[:] = [place] if place is not None else []
            index = attributes.get("s", "0")
            style = int(index) if index.isdigit() else 0
            colour = styles[style] if place is not None and style < len(styles) else None
            if colour is not None and place is not None:
                found.fills[place] = colour
        elif tag in ("v", "is") and cell:
            found.values.add(cell[0])

    def end(tag: str) -> None:
        if tag == "c":
            cell.clear()

    _parse(archive, name, start, end)
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
        parts = _sheet_parts(archive, names)
        styles = _style_fills(archive, names)
        if not any(styles):
            return {}
        return {sheet: _sheet(archive, part, styles) for sheet, part in parts.items()}


def sheet_shades(
    rows: Sequence[Sequence[str | None]], found: SheetFills
) -> tuple[list[list[str]], list[list[Colour | None]]] | None:
    """The rows the values' reader gave, with each cell's fill. That reader leaves out the
    rows and columns that hold no value, so a column of shaded cells without a value (a
    rating shown only as colour) comes back in its place, empty. None when the rows do not
    match the sheet's cells (a value where the sheet holds none), so no fill is ever given to
    another cell."""
    kept_rows = sorted({row for row, _column in found.values})
    value_columns = sorted({column for _row, column in found.values})
    if len(rows) != len(kept_rows) or any(len(row) != len(value_columns) for row in rows):
        return None
    for row, cells in zip(kept_rows, rows, strict=True):
        for column, value in zip(value_columns, cells, strict=True):
            if value not in (None, "") and (row, column) not in found.values:
                return None
    on_kept = set(kept_rows)
    shaded_columns = {column for row, column in found.fills if row in on_kept}
    columns = sorted(shaded_columns.union(value_columns))
    at = {column: index for index, column in enumerate(value_columns)}
    texts = [
        [cells[at[column]] or "" if column in at else "" for column in columns] for cells in rows
    ]
    fills = [[found.fills.get((row, column)) for column in columns] for row in kept_rows]
    return texts, fills
