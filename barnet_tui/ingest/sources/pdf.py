"""Reading a report's PDF into the text ingest reads: tables as tab-separated rows, prose as
paragraphs, pages separated by form feeds (as ``pdftotext`` separates them).

pypdfium2 (PDFium, Chrome's PDF engine: BSD and Apache licences) reads every character
with its box and type size, and every line the page draws; pdfplumber's table finder (MIT)
finds the cells of a committee paper's Word tables from those ruling lines. PDFium is C and
hardened against hostile files, and ten times faster than a pure-Python parser (a 40-page
report is read in about a second). Where a table has no ruling lines, columns are told
apart by the gaps that run down the whole table. Nothing here depends on the typesetter
that made the PDF: only on what the page shows.

The result is text, so ``barnet-tui extract`` prints exactly what ingest reads, and ingesting
that text gives the same rows as ingesting the PDF.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from barnet_tui.domain.literal_text import without_controls
from barnet_tui.ingest.sources.pdf_blocks import Block, PageText, PdfError, PdfText, TableBlock
from barnet_tui.ingest.sources.pdf_cells import (
    closed_at_breaks,
)
from barnet_tui.ingest.sources.pdf_fills import Fill, mark_fills, page_fills
from barnet_tui.ingest.sources.pdf_hyphens import (
    mark_broken_words,
)
from barnet_tui.ingest.sources.pdf_join import doubtful_dashes, join_pages, render
from barnet_tui.ingest.sources.pdf_lines import TextLine, Word, page_words, printed_lines
from barnet_tui.ingest.sources.pdf_prose import paragraphs
from barnet_tui.ingest.sources.pdf_ruled import RuledPage, page_ruling, ruled_tables
from barnet_tui.ingest.sources.pdf_unruled import aligned_tables

PDF_MAGIC = b"%PDF-"


_MARGIN_SHARE = 0.1
"""The top and bottom tenth of a page, where running headers and footers sit."""


_DIGITS = re.compile(r"\d+")


def is_pdf(data: bytes) -> bool:
    """Whether the bytes are a PDF: they start with its header, or a little binary junk
    comes first (as PDF readers allow); a text that quotes "%PDF-" is still text."""
    at = data.find(PDF_MAGIC, 0, 1024)
    if at < 0:
        return False
    prefix = data[:at]
    if not prefix.strip():
        return True
    try:
        prefix.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return b"\x00" in prefix


@dataclass
class _Page:
    """A page's tables, and its other lines in groups that no table comes between."""

    number: int
    tables: list[TableBlock]
    prose: list[list[TextLine]]
    warnings: list[str]

    @property
    def last_table(self) -> list[float] | None:
        """Where the columns start of the table the page ends with, if it ends with one."""
        last = max(self.tables, key=lambda table: table.bottom, default=None)
        lines = [line.top for group in self.prose for line in group]
        if last is None or (lines and max(lines) > last.bottom):
            return None
        return last.edges[:-1]


def _page_parts(
    source: _Source,
    number: int,
    running: set[tuple[str, int]],
    before: _Page | None = None,
    body: float = 0.0,
) -> _Page:
    warnings: list[str] = []
    words, removed = _clean_words(
        _without_running(source.words, running, source.height, source.edges)
    )
    if removed:
        noun = "character" if removed == 1 else "characters"
        warnings.append(f"removed {removed} control or bidi {noun} from the text")
    ruling = RuledPage(source.edges, (0.0, 0.0, source.width, source.height))
    tables, loose = ruled_tables(ruling, words, warnings)
    # Prose between two tables stays between them: split the lines at each table's top.
    tops = sorted(table.top for table in tables)
    groups: list[list[TextLine]] = [[] for _ in range(len(tops) + 1)]
    for line in printed_lines(loose):
        groups[sum(1 for top in tops if top <= line.top)].append(line)
    prose: list[list[TextLine]] = []
    going_on = before.last_table if before is not None else None
    for group in groups:
        aligned, rest = aligned_tables(group, warnings, going_on, body)
        going_on = None
        tables += aligned
        prose.append(rest)
    return _Page(number, tables, prose, warnings)


def _clean_words(words: list[Word]) -> tuple[list[Word], int]:
    """The words with control and bidi characters taken out (a PDF's text is as hostile as
    any report's), and how many there were; a word left empty is dropped."""
    kept: list[Word] = []
    removed = 0
    for word in words:
        text, count = without_controls(str(word["text"]))
        removed += count
        text = text.strip()
        if text:
            kept.append({**word, "text": text} if count else word)
    return kept, removed


def _page_text(parts: _Page, right: float) -> PageText:
    """A page's blocks in reading order; ``right`` is where the text's lines end."""
    blocks: list[Block] = list(parts.tables)
    for group in parts.prose:
        blocks += paragraphs(group, right)
    blocks.sort(key=lambda block: block.top)
    return PageText(parts.number, blocks, parts.warnings)


def _running_key(line: TextLine) -> tuple[str, int]:
    """A line as a running header or footer repeats it: its text, numbers aside, at its
    place on the page."""
    return _DIGITS.sub("#", line.text), round(line.top)


def _running_lines(pages: list[list[TextLine]], heights: list[float]) -> set[tuple[str, int]]:
    """Running headers and footers: lines in a page's top or bottom tenth that recur at the
    same place, with their numbers ignored, on at least half the pages (and on two or
    more)."""
    seen: Counter[tuple[str, int]] = Counter()
    for lines, height in zip(pages, heights, strict=True):
        keys = {
            _running_key(line)
            for line in lines
            if line.bottom < height * _MARGIN_SHARE or line.top > height * (1 - _MARGIN_SHARE)
        }
        seen.update(keys)
    return {key for key, count in seen.items() if count >= max(2, len(pages) / 2)}


def _without_running(
    words: list[Word], running: set[tuple[str, int]], height: float, edges: list[dict[str, Any]]
) -> list[Word]:
    """The page's words but those of its running header and footer lines. A line that rules
    cross is no running header but a table's header row repeated at the top of each page."""
    if not running:
        return words
    drop: set[int] = set()
    for line in printed_lines(words):
        in_margin = line.bottom < height * _MARGIN_SHARE or line.top > height * (1 - _MARGIN_SHARE)
        if in_margin and _running_key(line) in running and not _ruled_across(line, edges):
            drop.update(id(word) for word in line.words)
    return [word for word in words if id(word) not in drop]


def _ruled_across(line: TextLine, edges: list[dict[str, Any]]) -> bool:
    """Whether a vertical rule runs down past ``line``, between or beside its words (the
    sides of a table's cells)."""
    middle = (line.top + line.bottom) / 2
    return any(
        edge["orientation"] == "v"
        and edge["top"] <= middle <= edge["bottom"]
        and line.x0 - 2 * line.size <= edge["x0"] <= line.x1 + 2 * line.size
        for edge in edges
    )


def _why_unreadable(error: Exception) -> str:
    """A few words on why the parser failed (pdfplumber wraps pdfminer's errors)."""
    cause = error.args[0] if error.args and isinstance(error.args[0], Exception) else error
    name = type(cause).__name__
    if "Password" in name or "Encrypt" in name:
        return "encrypted: it needs a password to open"
    detail = str(cause).strip().splitlines()[0][:80] if str(cause).strip() else name
    return f"damaged PDF, cannot be read ({detail})"


@dataclass
class _Source:
    """What a page prints: its size, words, ruling lines and filled shapes."""

    width: float
    height: float
    words: list[Word]
    edges: list[dict[str, Any]]
    fills: list[Fill]
    spaced: bool = False
    """Whether it prints the space a line was broken at."""


def _sources(data: bytes) -> list[_Source]:
    """Every page's words and lines, read by pdfium (PDFium, BSD and Apache licences,
    through pypdfium2: Chrome's PDF reader, fast and hardened against hostile files)."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise PdfError("encrypted: it needs a password to open") from None
        detail = str(error).partition("PDFium: ")[2].rstrip(").") or str(error)
        raise PdfError(f"damaged PDF, cannot be read ({detail[:80]})") from None
    try:
        sources = []
        for page in document:
            width, height = (float(side) for side in page.get_size())
            words, spaced = page_words(page, height)
            ruling = closed_at_breaks(page_ruling(page, height))
            fills = page_fills(page, height)
            sources.append(_Source(width, height, words, ruling, fills, spaced))
        spaced = any(source.spaced for source in sources)
        mark_broken_words([source.words for source in sources], spaced)
        return sources
    finally:
        document.close()


def _body_size(pages: list[list[TextLine]]) -> float:
    """The type size most of the document's prose is set in (lines of one part at least half
    as wide as the page's widest, weighed by their characters: no cell's wrapped lines),
    which a word processor's empty paragraphs and cells' ends keep."""
    sizes: Counter[float] = Counter()
    for lines in pages:
        widest = max((line.x1 - line.x0 for line in lines), default=0.0)
        for line in lines:
            if len(line.parts) == 1 and line.x1 - line.x0 >= 0.5 * widest:
                sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _right_margin(lines: list[TextLine], page_width: float) -> float:
    """Where the text's full lines end: of the lines at least 60% as wide as the widest,
    where nine in ten end by (a heading or a figure wider than the text is no margin); and
    no nearer the left than three quarters across the page (a short text of short lines
    has none that is full)."""
    if not lines:
        return page_width
    widest = max(line.x1 - line.x0 for line in lines)
    ends = sorted(line.x1 for line in lines if line.x1 - line.x0 >= 0.6 * widest)
    return max(ends[int(0.9 * (len(ends) - 1))], 0.75 * page_width)


def read_pdf(data: bytes) -> PdfText:
    """The report text a PDF's pages print; PdfError when it cannot be read as one."""
    try:
        sources = _sources(data)
        if not sources:
            raise PdfError("a PDF with no pages")
        if not any(source.words for source in sources):
            raise PdfError(
                "no text layer (a scanned document?): run it through OCR and ingest the result"
            )
        lines = [printed_lines(source.words) for source in sources]
        running = _running_lines(lines, [source.height for source in sources])
        body = _body_size(lines)
        parts: list[_Page] = []
        for number, source in enumerate(sources, 1):
            before = parts[-1] if parts else None
            parts.append(_page_parts(source, number, running, before, body))
        fill_warnings = mark_fills(
            [
                (part.tables, source.fills, source.words)
                for part, source in zip(parts, sources, strict=True)
            ]
        )
        right = _right_margin(
            [line for part in parts for group in part.prose for line in group],
            max(source.width for source in sources),
        )
        texts = [_page_text(part, right) for part in parts]
    except PdfError:
        raise
    except RecursionError:
        raise PdfError("damaged PDF, cannot be read (its objects nest without end)") from None
    except Exception as error:  # a hostile or broken file may fail anywhere in the parser
        raise PdfError(_why_unreadable(error)) from None
    warnings = [(page.number, message) for page in texts for message in page.warnings]
    warnings += [(1, message) for message in fill_warnings]
    joined, doubts = join_pages(texts, right, _feet(texts, sources))
    doubts += doubtful_dashes(joined)
    return PdfText(render(joined, len(texts)), len(texts), sorted(warnings + doubts))


def _feet(pages: list[PageText], sources: list[_Source]) -> dict[int, float]:
    """For each page, how far down the text of a page its size reaches at most: the lowest
    any page of that size is printed to (running footers aside), where a row the page
    break cut ends."""
    lowest: dict[tuple[float, float], float] = {}
    for page, source in zip(pages, sources, strict=True):
        key = (round(source.width), round(source.height))
        bottom = max((block.bottom for block in page.blocks), default=0.0)
        lowest[key] = max(lowest.get(key, 0.0), bottom)
    return {
        page.number: lowest[(round(source.width), round(source.height))]
        for page, source in zip(pages, sources, strict=True)
    }
