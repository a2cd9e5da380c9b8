"""How long `barnet-tui ingest REPORT.pdf` takes on a 40-page report (the goal: 3 s on 2 cores).

The report is the end-of-year service performance report typeset by tests/pdfs.py in its
portrait layout with larger type (prose up to 20 pt, tables 8 pt), so that it runs to 40
pages or more: ruled tables split
across pages with their header row repeated, and prose. Each run is a fresh process (start,
imports, reading the PDF, parsing, writing the dataset), timed from spawn to exit; the
figure is the median of ``--runs`` runs, with the CPU time each took (on a machine others
are using, wall time waits for the CPU; CPU time says what ingest itself costs).

    python bench/pdf_ingest.py              # prints the figure
    python bench/pdf_ingest.py --runs 9
    python bench/pdf_ingest.py --runs 1 --pages 2     # a smoke test: a short report
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

GOAL = 3.0
"""Seconds a 40-page report may take to ingest."""
PAGES = 40


def report_pdf(folder: Path, pages: int = PAGES) -> tuple[Path, int]:
    """The report as a PDF of at least ``pages`` pages, and how many it has. Asked for fewer
    than the end-of-year report prints (a smoke test's small size), the shortest report of
    reports/ in the portrait layout that has them."""
    import pypdfium2 as pdfium

    from tests.pdfs import LAYOUTS, register_fonts, typeset

    if not register_fonts():
        raise SystemExit("bench/pdf_ingest.py: the DejaVu fonts tests/pdfs.py uses are missing")
    from reportlab.platypus.doctemplate import LayoutError

    portrait = next(layout for layout in LAYOUTS if layout.name == "portrait")
    report = ROOT / "reports" / "service-performance-eoy-2016-17.txt"
    candidates = [
        (report, dataclasses.replace(portrait, size=size, table_size=8)) for size in range(12, 21)
    ]
    if pages < PAGES:
        shortest = sorted((ROOT / "reports").glob("*.txt"), key=lambda path: path.stat().st_size)
        candidates = [(path, portrait) for path in shortest] + candidates
    for source, layout in candidates:
        try:
            pdf = typeset(source, folder / f"{source.stem}.pdf", layout)
        except LayoutError:  # a row taller than a page at this size
            continue
        printed = len(pdfium.PdfDocument(pdf.read_bytes()))
        if printed >= pages:
            return pdf, printed
    raise SystemExit(f"bench/pdf_ingest.py: no size typesets the report in {pages} pages")


def measure(runs: int, pages: int = PAGES) -> str:
    """The figure, as one line, for a report of at least ``pages`` pages."""
    with tempfile.TemporaryDirectory() as work:
        pdf, pages = report_pdf(Path(work), pages)
        times, cpu = [], []
        for run in range(runs):
            out = Path(work) / f"out{run}"
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "barnet_tui", "ingest", str(pdf), "--out", str(out)],
                cwd=ROOT,
                env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                capture_output=True,
                text=True,
                check=False,
            )
            times.append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if done.returncode != 0:
                raise SystemExit(f"ingest failed: {done.stderr.strip()}")
    median = statistics.median(times)
    verdict = "within" if median <= GOAL else "OVER"
    load = os.getloadavg()[0]
    return (
        f"ingest of a {pages}-page PDF report: median {median:.2f} s of {runs} runs "
        f"({min(times):.2f}–{max(times):.2f} s), {statistics.median(cpu):.2f} s of CPU; "
        f"goal {GOAL:.0f} s: {verdict} (load average {load:.1f} on {os.cpu_count()} cores)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=PAGES, help="the report's least pages")
    args = parser.parse_args()
    print(measure(args.runs, args.pages))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
