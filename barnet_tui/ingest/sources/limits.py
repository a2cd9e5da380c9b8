"""How much a source may decode to, checked before anything decodes it.

A 1 MB PDF whose content stream inflates to 1 GB, or an 8 MB workbook whose sheet inflates
to 8 GB, is small on disk: the 200 MB cap on a file says nothing of what it unpacks to. Every
compressed part is inflated here first, counting and keeping nothing, and a file with a
part larger than any report could need is refused in one line before a reader sees it.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator

from barnet_tui.domain.storage.files import REPORT_LIMIT

PART_LIMIT = REPORT_LIMIT
"""Bytes one PDF stream or one part of a workbook may decode to: no more than a whole
report may be on disk."""
DECODED_LIMIT = 5 * REPORT_LIMIT
"""Bytes all of a file's streams or parts may decode to together."""
PAGE_CHARACTERS = 100_000
"""Characters one PDF page may draw: a page of 4-point type holds about 30,000."""
COLUMNS_LIMIT = 16_384
"""Cells one row of a table may have: a spreadsheet's own limit (XFD)."""
CELL_LIMIT = 10_000
"""Characters one stored cell may hold: more than a report's page could print."""

LINE_LIMIT = 4 * 1024 * 1024
"""Bytes one line of a CSV may hold: a row of 16,384 cells of 250 characters each."""


def csv_rows(lines: Iterable[str]) -> Iterator[list[str]]:
    """Python's CSV reader over ``lines``, taking a cell as long as a line may be: its own
    cap (131,072 characters) refused a whole file for one long comment, which the cell cap
    (``cells/cell_cap.py``) warns of and leaves out instead."""
    csv.field_size_limit(max(csv.field_size_limit(), LINE_LIMIT))
    return csv.reader(lines)


_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_CHUNK = 1 << 16
_STEP = 1 << 20
_LAYERS = 3
"""Filters applied one after another (``[/FlateDecode /FlateDecode]``) that are followed."""


class TooLarge(Exception):
    """A part decodes to more than a limit; ``str()`` says which and how much, in words."""


class TooWide(TooLarge):
    """A line of more than ``COLUMNS_LIMIT`` cells."""

    def __init__(self, line: int) -> None:
        super().__init__(
            f"line {line}: a row of more than {COLUMNS_LIMIT:,} cells, wider than any table; "
            "not read"
        )


class TooLong(TooLarge):
    """A line of more than ``LINE_LIMIT`` bytes."""

    def __init__(self, line: int, size: int) -> None:
        super().__init__(
            f"line {line}: {_mb(size)} on one line, longer than any table's row "
            f"({_mb(LINE_LIMIT)} at most); not read"
        )


def check_lines(data: bytes) -> None:
    """TooLong for the first line longer than ``LINE_LIMIT``: found by looking for line
    breaks in the bytes, before any line is decoded or held as text (a 150 MB line would
    take a gigabyte as text and as a cell)."""
    start, number = 0, 1
    while True:
        end = data.find(b"\n", start)
        stop = len(data) if end < 0 else end
        if stop - start > LINE_LIMIT:
            raise TooLong(number, stop - start)
        if end < 0:
            return
        start, number = end + 1, number + 1


def _mb(count: int) -> str:
    return f"{count / 1_000_000:,.0f} MB"


def _is_zlib(head: bytes) -> bool:
    """Whether bytes start as a zlib stream does (deflate, a header that checks out)."""
    return len(head) >= 2 and head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0


def _inflated(chunks: Iterator[bytes], wbits: int = zlib.MAX_WBITS) -> Iterator[bytes]:
    """What a deflate stream fed as ``chunks`` decodes to, a step at a time; ends at the
    stream's end or at the first byte that is not deflate."""
    inflater = zlib.decompressobj(wbits)
    try:
        for chunk in chunks:
            pending = chunk
            while pending and not inflater.eof:
                out = inflater.decompress(pending, _STEP)
                pending = inflater.unconsumed_tail
                if out:
                    yield out
            if inflater.eof:
                return
    except zlib.error:
        return


def _decoded_size(chunks: Iterator[bytes], limit: int, layers: int = _LAYERS) -> int:
    """Bytes a deflate stream decodes to, or a deflate stream nested inside it (whichever
    is more), up to ``limit`` (then ``limit + 1``)."""
    counted = 0

    def counting(pieces: Iterator[bytes]) -> Iterator[bytes]:
        nonlocal counted
        for piece in pieces:
            counted += len(piece)
            if counted > limit:
                return
            yield piece

    out = counting(_inflated(chunks))
    first = next(out, b"")
    rest = _prefixed(first, out)
    inner = _decoded_size(rest, limit, layers - 1) if layers > 1 and _is_zlib(first) else 0
    for _piece in rest:  # what the nested stream did not take
        pass
    return min(max(counted, inner), limit + 1)


def _prefixed(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _chunks(data: memoryview, start: int) -> Iterator[bytes]:
    for at in range(start, len(data), _CHUNK):
        yield bytes(data[at : at + _CHUNK])


_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_DICTIONARY_BACK = 4096
"""Bytes before a stream looked back over for its dictionary."""


def _is_image(data: bytes, stream: int) -> bool:
    """Whether the stream starting at ``stream`` is an image's: reading text never decodes
    one, so however large it inflates it is not counted."""
    opened = data.rfind(b" obj", max(0, stream - _DICTIONARY_BACK), stream)
    return opened >= 0 and _IMAGE.search(data, opened, stream) is not None


def check_pdf_streams(data: bytes) -> None:
    """TooLarge when a stream of the PDF inflates to more than ``PART_LIMIT``, or all of
    them to more than ``DECODED_LIMIT`` (streams that are not deflate are left to the reader
    and its memory limit)."""
    view = memoryview(data)
    total = 0
    for found in _STREAM.finditer(data):
        start = found.end()
        if not _is_zlib(data[start : start + 2]) or _is_image(data, found.start()):
            continue
        size = _decoded_size(_chunks(view, start), PART_LIMIT)
        if size > PART_LIMIT:
            raise TooLarge(
                f"a stream at byte {start:,} inflates to more than {_mb(PART_LIMIT)} "
                "(a compression bomb?); not read"
            )
        total += size
        if total > DECODED_LIMIT:
            raise TooLarge(
                f"its streams inflate to more than {_mb(DECODED_LIMIT)} together "
                "(a compression bomb?); not read"
            )


def check_zip_parts(data: bytes) -> None:
    """TooLarge when a part of a zipped workbook (XLSX, ODS) inflates to more than
    ``PART_LIMIT``, or all of them to more than ``DECODED_LIMIT``: counted by inflating,
    as the sizes the archive declares may lie. A file that is not a zip is left alone."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    total = 0
    with archive:
        for info in archive.infolist():
            if info.compress_type != zipfile.ZIP_DEFLATED:
                continue  # stored parts are no larger than the file
            start = info.header_offset + 30 + _local_extra(data, info.header_offset)
            chunks = _chunks(memoryview(data), start)
            size = _raw_inflated_size(chunks, PART_LIMIT)
            if size > PART_LIMIT:
                raise TooLarge(
                    f"its part {info.filename[:80]!r} inflates to more than {_mb(PART_LIMIT)} "
                    "(a compression bomb?); not read"
                )
            total += size
            if total > DECODED_LIMIT:
                raise TooLarge(
                    f"its parts inflate to more than {_mb(DECODED_LIMIT)} together "
                    "(a compression bomb?); not read"
                )


def _local_extra(data: bytes, offset: int) -> int:
    """Length of a local file header's name and extra field (the data follows them)."""
    if data[offset : offset + 4] != b"PK\x03\x04" or len(data) < offset + 30:
        return 0
    return int.from_bytes(data[offset + 26 : offset + 28], "little") + int.from_bytes(
        data[offset + 28 : offset + 30], "little"
    )


def _raw_inflated_size(chunks: Iterator[bytes], limit: int) -> int:
    size = 0
    for piece in _inflated(chunks, -zlib.MAX_WBITS):
        size += len(piece)
        if size > limit:
            return limit + 1
    return size
