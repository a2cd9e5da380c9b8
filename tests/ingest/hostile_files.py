"""Hostile source files built by hand, small and fast: compression bombs, a PDF that draws
millions of characters, a workbook of any rows (formulas with or without a saved value).

A bomb is one block of compressed zeros or spaces written many times over: deflate with a
full flush after a block starts afresh, so the block's bytes repeat exactly, and a 1 GB
stream costs a 16 MB compression and a copy.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

_BLOCK = 16 << 20


def deflated_repeats(byte: bytes, size: int, *, raw: bool = False) -> bytes:
    """A deflate stream of ``size`` copies of ``byte`` (rounded to 16 MB), zlib-wrapped
    unless ``raw``; a raw one is left open (no final block) for more to follow."""
    count = max(size // _BLOCK, 1)
    block = byte * _BLOCK
    packer = zlib.compressobj(1, zlib.DEFLATED, -zlib.MAX_WBITS)
    stream = (packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)) * count
    if raw:
        return stream
    adler = 1
    for _ in range(count):
        adler = zlib.adler32(block, adler)
    end = zlib.compressobj(1, zlib.DEFLATED, -zlib.MAX_WBITS).flush(zlib.Z_FINISH)
    return b"\x78\x01" + stream + end + adler.to_bytes(4, "big")


def minimal_pdf(content: bytes, *, filtered: bool = True, image: bytes = b"") -> bytes:
    """A one-page PDF whose page content is ``content`` (already deflated when
    ``filtered``), with Helvetica as font F1 and, given ``image`` (deflated), an image the
    page lists but never draws."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
        b"/Resources << /Font << /F1 6 0 R >> /XObject << /Im1 4 0 R >> >> >>",
        b"<< /Type /XObject /Subtype /Image /Width 1 /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
        % (max(len(image), 1), len(image))
        + image
        + b"\nendstream",
        b"<< /Length %d%s >>\nstream\n" % (len(content), b" /Filter /FlateDecode" * filtered)
        + content
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_bomb(path: Path, size: int, image: int = 0) -> Path:
    """A PDF whose page content inflates to ``size`` bytes of spaces (after an image that
    inflates to ``image`` bytes, when given)."""
    stream = deflated_repeats(b" ", size)
    pixels = deflated_repeats(b"\0", image) if image else b""
    path.write_bytes(minimal_pdf(stream, image=pixels))
    return path


def pdf_of_characters(path: Path, count: int) -> Path:
    """A PDF whose one page draws ``count`` characters (a few kB compressed)."""
    shown = b"(" + b"x" * 1000 + b") Tj "  # PDFium reads at most 32,767 bytes of a string
    content = b"BT /F1 1 Tf 10 10 Td " + shown * (count // 1000) + b"ET"
    path.write_bytes(minimal_pdf(zlib.compress(content, 9)))
    return path


def _cell(ref: str, value: object) -> str:
    if isinstance(value, tuple):  # ("formula", formula, cached value or None)
        _kind, formula, cached = value
        saved = "" if cached is None else f"<v>{escape(str(cached))}</v>"
        return f'<c r="{ref}"><f>{escape(str(formula))}</f>{saved}</c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)  # fmt: skip
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)  # fmt: skip
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Tracker" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)  # fmt: skip
_SHEET_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_CLOSE = "</sheetData></worksheet>"


def _workbook_parts(archive: zipfile.ZipFile) -> None:
    archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
    archive.writestr("_rels/.rels", _ROOT_RELS)
    archive.writestr("xl/workbook.xml", _WORKBOOK)
    archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)


def xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """A one-sheet workbook ("Tracker") of ``rows``: text cells, or ("formula", formula,
    cached) for a formula cell (cached None: no value saved)."""
    body = "".join(
        f'<row r="{number}">'
        + "".join(_cell(f"{_column(index)}{number}", value) for index, value in enumerate(row))
        + "</row>"
        for number, row in enumerate(rows, start=1)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _workbook_parts(archive)
        archive.writestr("xl/worksheets/sheet1.xml", _SHEET_OPEN + body + _SHEET_CLOSE)
    return path


def xlsx_bomb(path: Path, size: int) -> Path:
    """A workbook whose sheet inflates to ``size`` bytes: one cell holding them all, its
    sizes declared truly (its CRC is not: a reader finds that out only after inflating the
    whole part, which is what a bomb must never get to)."""
    head = (_SHEET_OPEN + '<row r="1"><c r="A1" t="inlineStr"><is><t>').encode()
    tail = ("</t></is></c></row>" + _SHEET_CLOSE).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _workbook_parts(archive)
    first = zlib.compressobj(1, zlib.DEFLATED, -zlib.MAX_WBITS)
    opening = first.compress(head) + first.flush(zlib.Z_FULL_FLUSH)
    last = zlib.compressobj(1, zlib.DEFLATED, -zlib.MAX_WBITS)
    closing = last.compress(tail) + last.flush(zlib.Z_FINISH)
    data = opening + deflated_repeats(b" ", size, raw=True) + closing
    total = len(head) + max(size // _BLOCK, 1) * _BLOCK + len(tail)
    _append_member(path, "xl/worksheets/sheet1.xml", data, total)
    return path


def _append_member(path: Path, name: str, data: bytes, size: int) -> None:
    """Add a deflated member whose bytes are given, with zip64 sizes when needed."""
    with zipfile.ZipFile(path, "a") as archive:
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.file_size = size
        info.compress_size = len(data)
        info.CRC = 0
        archive.fp.seek(archive.start_dir)  # type: ignore[union-attr]
        info.header_offset = archive.start_dir
        header = info.FileHeader(zip64=size > 0xFFFFFFFF)
        archive.fp.write(header + data)  # type: ignore[union-attr]
        archive.start_dir = archive.fp.tell()  # type: ignore[union-attr]
        archive.filelist.append(info)
        archive.NameToInfo[name] = info
        archive._didModify = True  # type: ignore[attr-defined]
