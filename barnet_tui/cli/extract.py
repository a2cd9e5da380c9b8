"""The ``barnet-tui extract`` command line: the rows ingest reads from a report or a
spreadsheet, as text."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from barnet_tui.cli.argparsing import OneLineParser
from barnet_tui.domain.literal_text import CONTROL_CHARACTERS, SHOWN_INSTEAD, literal
from barnet_tui.ingest.errors import IngestError

_LAYOUT = "\t\n\f"
"""The control characters that carry the text's cells, lines and pages: kept."""

EXAMPLES = """\
examples:
  barnet-tui extract q4-report.pdf > q4-report.txt      what ingest reads, to look at
  barnet-tui ingest q4-report.txt --out /tmp/q4         the same rows as from the PDF
"""


def build_parser() -> argparse.ArgumentParser:
    return OneLineParser(
        prog="barnet-tui extract",
        description=(
            "Print the text ingest reads from a report: a PDF's tables as tab-separated\n"
            "lines, its other text as paragraphs, each page after the first started by a\n"
            "form feed; a spreadsheet's rows as tab-separated cells, each sheet after the\n"
            "first started by a form feed. Ingesting this text gives the same rows as\n"
            "ingesting the PDF (or the spreadsheet's one sheet)."
        ),
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def run(argv: list[str]) -> int:
    parser = build_parser()
    parser.add_argument("report", type=Path, metavar="REPORT")
    args = parser.parse_args(argv)
    from barnet_tui.ingest.sources.dispatch import extracted

    try:
        text, warnings = extracted(args.report)
    except IngestError as error:
        print(f"barnet-tui extract: error: {literal(str(error))}", file=sys.stderr)
        return 2
    for warning in warnings:
        print(f"warning: {literal(str(warning))}", file=sys.stderr)
    text, removed = _inert(text, sys.stdout.isatty())
    if removed:
        noun = "character" if removed == 1 else "characters"
        print(f"warning: removed {removed} control or bidi {noun} from the text", file=sys.stderr)
    sys.stdout.write(text)
    sys.stdout.flush()
    return 0


def _inert(text: str, terminal: bool) -> tuple[str, int]:
    """The report's text with no byte that acts on a terminal, and how many were taken:
    on a terminal each is shown as U+FFFD; in a pipe or a file (which may still be ``less``
    or ``head`` on a terminal) each goes as ingest takes it out of what it stores (one that
    is whitespace becomes a space), so ingesting the output gives the same rows. Tabs,
    newlines and form feeds carry the cells, lines and pages: kept."""
    count = 0

    def replaced(found: re.Match[str]) -> str:
        nonlocal count
        char = found[0]
        if char in _LAYOUT or (
            char == "\r" and found.end() < len(text) and text[found.end()] == "\n"
        ):
            return char
        count += 1
        if terminal:
            return SHOWN_INSTEAD
        return " " if char.isspace() else ""

    return re.sub(CONTROL_CHARACTERS, replaced, text), count
