"""The ``barnet-tui extract`` command line: the text ingest reads from a report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from barnet_tui.argparsing import OneLineParser
from barnet_tui.ingest.errors import IngestError

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
            "form feed. Ingesting this text gives the same rows as ingesting the PDF."
        ),
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def run(argv: list[str]) -> int:
    parser = build_parser()
    parser.add_argument("report", type=Path, metavar="REPORT.pdf")
    args = parser.parse_args(argv)
    from barnet_tui.ingest.report import report_text

    try:
        text, _data, warnings = report_text(args.report)
    except IngestError as error:
        print(f"barnet-tui extract: error: {error}", file=sys.stderr)
        return 2
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    sys.stdout.write(text)
    sys.stdout.flush()
    return 0
