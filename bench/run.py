"""Every benchmark at every size, written to bench/RESULTS.md: one command regenerates it.

For each size (the shipped dataset, then synthetic ones from ``bench/generate.py``):

- the quick check for one period (``--period P --format csv``) against the same filter as a
  lazy Polars scan, and DuckDB when it is installed;
- the default quick check (each indicator's latest report) against a lazy Polars script
  that picks the same rows (a bare read of every row needs 26 GB at 20M rows);
- the explorer: process start to the summary on screen in an 80x24 pty, its peak memory, and
  each step of the drill-down (key to painted) under Pilot;
- ingest of a 40-page PDF report (``bench/pdf_ingest.py``) and of long text reports
  (``bench/ingest.py``) and of big CSV and XLSX trackers (``bench/tracker_ingest.py``);
- memory per served session, and how soon a gone browser's session ends
  (``bench/serve_memory.py``);
- at ``--foreign-sizes``, the same dataset written by another tool without tables for speed
  (``bench/foreign.py``): first open (building them) and later opens, from a folder, from a
  folder it may not write with no cache, and from a SeaweedFS store;

then one table of every step at each size with its growth from 5M to 20M rows, the goal
being that a step's cost follows the rows it shows, not the rows the dataset holds.

Every figure is the median of ``--runs`` runs with their spread, each command alternating
with its baselines in the same run, so drift on the machine affects all alike. The file is
rewritten after each size, so a long run shows its progress.

    python bench/run.py                         # default sizes, 5 runs: bench/RESULTS.md
    python bench/run.py --sizes 10k --runs 1 --shipped-runs 1 --ingest-lines 500 \
        --tracker-rows 500 --foreign-sizes 10k --pdf-pages 2 --warmups 0 \
        --sessions 2 --out /tmp/results.md      # a smoke test (CI)
    python bench/run.py --parts explorer --sizes shipped ...   # one part (tests/test_bench.py)
"""

from __future__ import annotations

import argparse
import compileall
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import foreign  # noqa: E402
from generate import generate  # noqa: E402
from machine import describe  # noqa: E402
from measure import Figures, Launcher, barnet_tui, megabytes, seconds  # noqa: E402

from barnet_tui.domain.storage.generations import current_tables  # noqa: E402

SIZES = {
    "shipped": 0,
    "10k": 10_000,
    "100k": 100_000,
    "1m": 1_000_000,
    "5m": 5_000_000,
    "20m": 20_000_000,
}
DEFAULT_SIZES = ("shipped", "1m", "5m", "20m")
GROWTH = ("5m", "20m")
"""The growth column: the goal is at most 1.3x for every key from 5M to 20M rows."""
SHIPPED_RUNS = 4
"""The shipped size's quick checks run this many times ``--runs`` (``--shipped-runs``): they
are short."""
PERIOD = "2016/17 Q4"
"""The period the one-period quick check asks for: in the shipped data and every generated
size (generated periods end at 2017/18 Q4)."""

_BELOW = """
below = pl.col("rag").is_in(["Green Amber", "Red Amber", "Red"]) | (
    pl.col("rag").is_null() & pl.col("below_target").fill_null(False)
)
"""
LAZY = f"""
import sys
import polars as pl
{_BELOW}
rows = pl.scan_parquet(sys.argv[1]).filter((pl.col("period") == sys.argv[2]) & below)
sys.stdout.write(rows.collect().write_csv())
"""
DUCKDB = """
import sys
import duckdb
duckdb.sql(
    f"SELECT * FROM read_parquet('{sys.argv[1]}') WHERE period = '{sys.argv[2]}' AND ("
    "rag IN ('Green Amber', 'Red Amber', 'Red') OR (rag IS NULL AND coalesce(below_target, false)))"
).write_csv("/dev/stdout")
"""
# The default quick check's rows: each indicator's latest row, below target, chosen from a
# narrow projection streamed, then read whole.
LATEST = f"""
import sys
import polars as pl
{_BELOW}
rows = pl.scan_parquet(sys.argv[1]).with_row_index("_row")
key = (
    pl.when(pl.col("ref") == "TBC")
    .then(pl.format("{{}}@{{}}", pl.col("source"), pl.col("source_line")))
    .otherwise(pl.col("ref"))
)
latest = (
    rows.group_by(key.alias("_key"))
    .agg(pl.col("_row").sort_by("fin_year", "quarter", "_row").last())
    .collect(engine="streaming")
)
chosen = rows.filter(pl.col("_row").is_in(latest["_row"].implode()) & below).drop("_row")
sys.stdout.write(chosen.collect(engine="streaming").write_csv())
"""


def has_duckdb() -> bool:
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return False
    return True


def dataset(size: str, work: Path) -> Path:
    """The dataset for ``size``: the shipped one, or a generated one (kept in ``work``)."""
    if SIZES[size] == 0:
        return HERE.parent / "data"
    directory = work / f"barnet-{size}"
    manifest = directory / "manifest.json"
    if manifest.is_file():
        tables = json.loads(manifest.read_text())["tables"]
        if tables["indicators"]["rows"] == SIZES[size]:
            return directory
    shutil.rmtree(directory, ignore_errors=True)
    generate(SIZES[size], directory)
    return directory


def quick_checks(
    launcher: Launcher, data: Path, runs: int, cwd: Path
) -> list[tuple[str, Figures, Figures, str]]:
    """(what, barnet-tui, baseline, baseline's name) for each quick-check measurement."""
    ours = barnet_tui()
    parquet = str(current_tables(data) / "indicators.parquet")
    python = sys.executable
    one = {
        "barnet-tui": [
            *ours, "--below-target", "--period", PERIOD, "--format", "csv", "--data", str(data),
        ],
        "lazy Polars scan": [python, "-c", LAZY, parquet, PERIOD],
    }  # fmt: skip
    if has_duckdb():
        one["DuckDB"] = [python, "-c", DUCKDB, parquet, PERIOD]
    latest = {
        "barnet-tui": [*ours, "--below-target", "--data", str(data)],
        "lazy Polars script": [python, "-c", LATEST, parquet],
    }
    rows = []
    figures = launcher.alternate(one, cwd, runs)
    for name in one:
        if name != "barnet-tui":
            rows.append((f"one period, csv vs {name}", figures["barnet-tui"], figures[name], name))
    figures = launcher.alternate(latest, cwd, runs)
    rows.append(
        (
            "each indicator's latest (default)",
            figures["barnet-tui"],
            figures["lazy Polars script"],
            "lazy Polars script",
        )
    )
    return rows


Medians = dict[str, float]
"""Each step's median (seconds; ``first ...`` its first time), for the growth table."""
MEASURES: dict[str, dict[str, float]] = defaultdict(dict)
"""Other figures the goals are judged on, by size: ratios to baselines, peak RSS (bytes)."""
SHOWN: dict[str, dict[str, int]] = defaultdict(dict)
"""What the steps show at each size: the rows a step's cost should follow."""
LATEST_PERIOD = "2017/18 Q4"


def rows_shown(data: Path) -> dict[str, int]:
    """The rows each quick check prints, and the services the summary lists."""
    import csv
    import io
    import subprocess

    import polars as pl

    counts = {}
    for label, extra in (
        ("rows the default quick check prints", []),
        ("rows the one-period quick check prints", ["--period", PERIOD]),
    ):
        command = [*barnet_tui(), "--below-target", *extra, "--format", "csv", "--data", str(data)]
        printed = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        counts[label] = max(len(list(csv.reader(io.StringIO(printed)))) - 1, 0)  # no header
    indicators = pl.scan_parquet(current_tables(data) / "indicators.parquet")
    services = indicators.filter(pl.col("period") == LATEST_PERIOD).select(
        pl.col("service").n_unique()
    )
    counts["services the summary lists"] = int(services.collect().item())
    return counts


def explorer(
    launcher: Launcher,
    size: str,
    data: Path,
    runs: int,
    interactions: int,
    cwd: Path,
    medians: Medians,
) -> list[str]:
    """Markdown table rows for the explorer: start-up to summary, memory, each step."""
    import tui

    command = [*barnet_tui(), "--data", str(data)]
    warm = launcher.warmups
    started = [launcher.in_pty(command, cwd, tui.READY, "q", 120.0) for _ in range(runs + warm)]
    ready, _exit, _status, peak_rss = zip(*started[warm:], strict=True)
    painted = Figures(list(ready), list(peak_rss))
    lines = [
        f"| summary on screen (spawn to painted) | {painted.time_cell()} | {painted.rss_cell()} |"
    ]
    medians["summary on screen"] = painted.median
    MEASURES[size]["summary: RSS"] = painted.rss
    steps, first = tui.interactions(data, cwd, interactions)
    for label, (times, _piloted) in steps.items():
        if label.startswith("unbound"):
            continue
        spread = f"{seconds(min(times), unit=False)}–{seconds(max(times))}"
        medians[label] = statistics.median(times)
        medians[f"{label}, first time"] = first[label]
        lines.append(
            f"| {label} | {seconds(statistics.median(times))} ({spread}); "
            f"first {seconds(first[label])} | |"
        )
    return lines


def section(
    launcher: Launcher, size: str, data: Path, args: argparse.Namespace, cwd: Path, medians: Medians
) -> list[str]:
    rows = json.loads((data / "manifest.json").read_text())["tables"]["indicators"]["rows"]
    lines = [f"## {size}: {rows:,} indicator rows", ""]
    parts = args.size_parts
    if "quick" in parts:
        lines += quick_lines(launcher, size, data, args, cwd, medians)
    if "explorer" in parts and not args.no_explorer:
        lines += ["", "| explorer | time | peak RSS |", "| --- | --- | --- |"]
        lines += explorer(launcher, size, data, args.runs, args.interactions, cwd, medians)
    if size in args.foreign_sizes.split(",") and parts & {"foreign", "store"}:
        results = foreign.measure(
            launcher, data, args.work, args.runs, args.interactions,
            folder="foreign" in parts, store="store" in parts,
        )  # fmt: skip
        FOREIGN[size] = {label: figures for label, figures in results}
        lines += ["", *foreign.lines(results)]
    return [*lines, ""]


def quick_lines(
    launcher: Launcher, size: str, data: Path, args: argparse.Namespace, cwd: Path, medians: Medians
) -> list[str]:
    """The quick checks' table at ``size``."""
    lines = [
        "| quick check | barnet-tui | peak RSS | baseline | peak RSS | time ratio | RSS ratio |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    # The shipped size's quick checks take a fifth of a second: more runs steady them.
    runs = args.runs if SIZES[size] else args.runs * args.shipped_runs
    for what, ours, base, name in quick_checks(launcher, data, runs, cwd):
        medians[f"quick check: {what.split(',')[0]}"] = ours.median
        if name != "DuckDB":
            MEASURES[size][f"{what.split(',')[0]}: ratio"] = ours.median / base.median
            MEASURES[size][f"{what.split(',')[0]}: RSS"] = ours.rss
        lines.append(
            f"| {what} | {ours.time_cell()} | {ours.rss_cell()} | {base.time_cell()} | "
            f"{base.rss_cell()} | {ours.median / base.median:.2f}x | {ours.rss / base.rss:.2f}x |"
        )
    SHOWN[size] = rows_shown(data)
    return lines


SIZE_PARTS = ("quick", "explorer", "foreign", "store")
"""What ``sizes`` measures at each size, each also a part of its own (CI tests each alone):
quick checks, the explorer, and at ``--foreign-sizes`` another tool's dataset from a folder
and from a store."""
PARTS = ("sizes", *SIZE_PARTS, "pdf", "long", "trackers", "served")
"""The benchmarks: every ``--sizes`` (``SIZE_PARTS``), a PDF's ingest, long text reports',
big trackers', served sessions."""
FOREIGN: dict[str, dict[str, Figures]] = {}
"""Figures of the dataset written by another tool (``bench/foreign.py``), by size."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(DEFAULT_SIZES), help=f"of {', '.join(SIZES)}")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--shipped-runs", type=int, default=SHIPPED_RUNS, help="times --runs, shipped quick checks"
    )
    parser.add_argument("--interactions", type=int, default=9, help="runs of each explorer step")
    parser.add_argument("--no-explorer", action="store_true")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument(
        "--ingest-lines", default="10000,50000,200000", help="long text reports' lengths"
    )
    parser.add_argument(
        "--tracker-rows", default="50000,100000,200000", help="big CSV and XLSX trackers' rows"
    )
    parser.add_argument("--sessions", type=int, default=10, help="served sessions at once")
    parser.add_argument(
        "--warmups", type=int, default=1, help="unmeasured runs first, warming the file cache"
    )
    parser.add_argument(
        "--pdf-pages", type=int, default=40, help="the least pages of the PDF report ingested"
    )
    parser.add_argument(
        "--foreign-sizes",
        default="20m",
        help="sizes also measured as a dataset another tool wrote (bench/foreign.py)",
    )
    parser.add_argument(
        "--parts",
        default=",".join(PARTS),
        help=f"which benchmarks, of {', '.join(PARTS)} (default all; CI tests each alone)",
    )
    args = parser.parse_args()
    parts = {part.strip().lower() for part in args.parts.split(",")}
    if parts - set(PARTS):
        parser.error(
            f"unknown part {sorted(parts - set(PARTS))[0]!r}; choose from {', '.join(PARTS)}"
        )
    args.size_parts = set(SIZE_PARTS) if "sizes" in parts else parts & set(SIZE_PARTS)
    sizes = [size.strip().lower() for size in args.sizes.split(",")] if args.size_parts else []
    unknown = [size for size in sizes if size not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]!r}; choose from {', '.join(SIZES)}")
    # pip byte-compiles a package when it installs it; an editable checkout would otherwise
    # pay for compiling our sources on every run.
    import barnet_tui

    compileall.compile_dir(Path(barnet_tui.__file__).parent, quiet=1)
    started = time.perf_counter()
    intro = [
        "# Benchmark results",
        "",
        "Regenerated by `python bench/run.py` (see its docstring); medians of "
        f"{args.runs} runs ({args.runs * args.shipped_runs} for the shipped size's quick checks) "
        "with (min–max), each command alternating with its baselines in the same run. Peak "
        "RSS is the process's most memory at once (ru_maxrss).",
        "",
        f"Machine: {describe()}. Run {datetime.now(UTC):%Y-%m-%d}.",
        "",
    ]
    launcher = Launcher()
    Launcher.warmups = args.warmups  # the store's launcher (bench/foreign.py) as well
    medians: dict[str, Medians] = {}
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as empty:  # no ./config.toml in the way
        for size in sizes:
            data = dataset(size, args.work)
            medians[size] = {}
            lines += section(launcher, size, data, args, Path(empty), medians[size])
            write(args.out, [*intro, *goals(medians), *growth(medians), *lines], started)
            print(f"bench: {size} done", file=sys.stderr)
    from ingest import measure as long_reports
    from pdf_ingest import measure as pdf_ingest
    from serve_memory import sessions_figures

    if "pdf" in parts:
        lines += [
            "## Ingest of a report's PDF",
            "",
            pdf_ingest(args.runs, args.pdf_pages) + ".",
            "",
        ]
    if "long" in parts:
        lengths = tuple(int(length) for length in args.ingest_lines.split(","))
        lines += [
            "## Ingest of long text reports",
            "",
            long_reports(lengths, min(3, args.runs), launcher),
            "",
        ]
    from tracker_ingest import measure as tracker_ingest

    if "trackers" in parts:
        tracker_rows = tuple(int(rows) for rows in args.tracker_rows.split(","))
        trackers = tracker_ingest(tracker_rows, min(3, args.runs), launcher, ("csv", "xlsx"))
        lines += ["## Ingest of big CSV and XLSX trackers", "", trackers, ""]
    launcher.close()
    if "served" in parts:
        served = sessions_figures(args.sessions)
        lines += ["## Served sessions (`barnet-tui serve`, shipped data)", ""]
        lines += ["```", *served, "```", ""]
    write(args.out, [*intro, *goals(medians), *growth(medians), *lines], started)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


def write(out: Path, lines: list[str], started: float) -> None:
    lines = [*lines, f"Total time: {time.perf_counter() - started:.0f} s."]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


KEYS_GOAL, SERVICE_GOAL, GROWTH_GOAL = 0.100, 0.050, 1.3
"""Every key at 20M rows; opening a service at any size; every key's growth 5M to 20M."""
OPEN = "open a service (enter)"


def goals(medians: dict[str, Medians]) -> list[str]:
    """Issue 23's goals, each with the figures it is judged on and a verdict; only those
    whose sizes were measured."""
    rows: list[str] = []

    def judge(goal: str, figure: str, met: bool) -> None:
        rows.append(f"| {goal} | {figure} | {'yes' if met else '**no**'} |")

    low, big = GROWTH
    at, seen = medians.get(big, {}), MEASURES[big]
    if "summary on screen" in at:
        time, rss = at["summary on screen"], seen["summary: RSS"]
        judge("summary on screen at 20M: at most 2 s and 1 GB",
              f"{seconds(time)}, {megabytes(rss)}", time <= 2 and rss <= 2**30)  # fmt: skip
    latest = "each indicator's latest (default)"
    if f"quick check: {latest}" in at:
        time, rss = at[f"quick check: {latest}"], seen[f"{latest}: RSS"]
        judge("default quick check at 20M: at most 2 s and 1 GB",
              f"{seconds(time)}, {megabytes(rss)}", time <= 2 and rss <= 2**30)  # fmt: skip
    if "one period: ratio" in seen:
        ratio = seen["one period: ratio"]
        judge("one-period quick check at 20M: at most 1.3x a lazy Polars scan",
              f"{ratio:.2f}x", ratio <= 1.3)  # fmt: skip
    if "one period: ratio" in MEASURES["shipped"]:
        ratio = MEASURES["shipped"]["one period: ratio"]
        judge("one-period quick check at shipped size: at most 1.15x a lazy Polars scan",
              f"{ratio:.2f}x", ratio <= 1.15)  # fmt: skip
    keys = {step: value for step, value in at.items() if _is_key(step)}
    if keys:
        slowest = max(keys, key=keys.__getitem__)
        judge("every key at 20M, first times included: at most 100 ms",
              f"slowest: {slowest}, {seconds(keys[slowest])}",
              keys[slowest] <= KEYS_GOAL)  # fmt: skip
    growths = {
        step: value / medians[low][step]
        for step, value in keys.items()
        if "first time" not in step and medians.get(low, {}).get(step)
    }
    if growths:
        worst = max(growths, key=growths.__getitem__)
        judge("every key from 5M to 20M: at most 1.3x (medians)",
              f"most: {worst}, {growths[worst]:.2f}x", growths[worst] <= GROWTH_GOAL)  # fmt: skip
    opens = {size: sizes[OPEN] for size, sizes in medians.items() if OPEN in sizes}
    if opens:
        slowest = max(opens, key=opens.__getitem__)
        judge("opening a service at any size: at most 50 ms (median)",
              f"slowest: {slowest}, {seconds(opens[slowest])}",
              opens[slowest] <= SERVICE_GOAL)  # fmt: skip
    rows += foreign_goals()
    if not rows:
        return []
    return ["## Goals", "", "| goal | measured | met |", "| --- | --- | --- |", *rows, ""]


FOREIGN_GOALS = (
    ("folder, first open: summary on screen (from the rows)", 10.0, None),
    ("folder, later opens: summary on screen", 2.0, 2**30),
    (f"folder, later opens: {foreign.SWITCH}", 0.3, None),
    ("folder, later opens: default quick check", 2.0, 2**30),
    ("no place to write: summary on screen", 3.0, None),
    ("store, later opens: summary on screen", 3.0, None),
    ("store, later opens: default quick check", 3.0, None),
)
"""Issue 31's goals at 20M rows: (figure, seconds, bytes of peak RSS or None)."""


def foreign_goals() -> list[str]:
    """Issue 31's goals for a dataset another tool wrote, where 20M was measured."""
    measured = FOREIGN.get(GROWTH[1], {})
    rows = []
    for label, most, memory in FOREIGN_GOALS:
        if label not in measured:
            continue
        figures = measured[label]
        met = figures.median <= most and (memory is None or figures.rss <= memory)
        limit = f"at most {seconds(most)}" + (f" and {megabytes(memory)}" if memory else "")
        shown = seconds(figures.median) + (f", {megabytes(figures.rss)}" if memory else "")
        rows.append(f"| another tool's dataset at 20M, {label}: {limit} | {shown} | "
                    f"{'yes' if met else '**no**'} |")  # fmt: skip
    return rows


def _is_key(step: str) -> bool:
    """A step of the explorer that a key sets off (not start-up, not a quick check)."""
    return not step.startswith(("quick check", "summary on screen"))


def growth(medians: dict[str, Medians]) -> list[str]:
    """One table: each step's median at every generated size, and its growth from 5M to
    20M rows (with both measured); then, in italics, what the steps show at each size."""
    sizes = [size for size in medians if SIZES[size]]
    if not sizes:
        return []
    steps = list(dict.fromkeys(step for size in sizes for step in medians[size]))
    shown = GROWTH[0] in medians and GROWTH[1] in medians
    header = "| step | " + " | ".join(sizes) + (" | growth 5m→20m |" if shown else " |")
    lines = ["## Every step by size", "", header, "|" + " --- |" * (len(sizes) + 1 + shown)]
    for step in steps:
        cells = [seconds(medians[size][step]) if step in medians[size] else "" for size in sizes]
        if shown:
            low, high = (medians[size].get(step) for size in GROWTH)
            cells.append(f"{high / low:.2f}x" if low and high else "")
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    for label in dict.fromkeys(label for size in sizes for label in SHOWN[size]):
        cells = [f"{SHOWN[size][label]:,}" if label in SHOWN[size] else "" for size in sizes]
        if shown:
            low, high = (SHOWN[size].get(label) for size in GROWTH)
            cells.append(f"{high / low:.2f}x" if low and high else "")
        lines.append(f"| *{label}* | " + " | ".join(cells) + " |")
    return [*lines, ""]


if __name__ == "__main__":
    raise SystemExit(main())
