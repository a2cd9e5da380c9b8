"""Wall time of ``barnet-tui --below-target`` against a bare Polars script doing the same work.

The goal (issue 4): the quick check stays within 1.15x of a bare ``python -c`` that imports
polars, reads the same Parquet file and applies the same filter. Both run as fresh
processes, alternating, so drift on the machine affects both alike; the figures are medians.

    python bench/quick_check.py [--runs 21] [--data DIR]
"""

from __future__ import annotations

import argparse
import compileall
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from machine import describe  # noqa: E402

GOAL = 1.15

# The same rows the quick check prints by default: each indicator's latest row, below target.
BASELINE = """
import sys
import polars as pl
rows = pl.read_parquet(sys.argv[1])
key = (
    pl.when(pl.col("ref") == "TBC")
    .then(pl.format("{}@{}", pl.col("source"), pl.col("source_line")))
    .otherwise(pl.col("ref"))
)
latest = (
    rows.with_columns(_key=key)
    .sort("fin_year", "quarter")
    .group_by("_key", maintain_order=True)
    .last()
)
below = pl.col("rag").is_in(["Green Amber", "Red Amber", "Red"]) | (
    pl.col("rag").is_null() & pl.col("below_target").fill_null(False)
)
sys.stdout.write(latest.filter(below).drop("_key").write_csv())
"""


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--data", type=Path, default=HERE.parent / "data")
    args = parser.parse_args()
    data = args.data.resolve()
    executable = shutil.which("barnet-tui") or sys.exit("barnet-tui is not installed")
    commands = {
        "bare polars (baseline)": [
            sys.executable, "-c", BASELINE, str(data / "indicators.parquet"),
        ],
        "barnet-tui --below-target": [executable, "--below-target", "--data", str(data)],
        "barnet-tui --below-target --format csv": [
            executable, "--below-target", "--format", "csv", "--data", str(data),
        ],
    }  # fmt: skip
    # pip byte-compiles a package when it installs it; an editable checkout (or a shell with
    # PYTHONDONTWRITEBYTECODE set) would otherwise pay for compiling our sources on every run.
    import barnet_tui

    compileall.compile_dir(Path(barnet_tui.__file__).parent, quiet=1)
    times: dict[str, list[float]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory() as empty:  # no ./config.toml in the way
        for command in commands.values():
            timed(command, Path(empty))  # warm the file cache
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(timed(command, Path(empty)))
    baseline = statistics.median(times["bare polars (baseline)"])
    print(f"machine: {describe()}")
    print(f"runs: {args.runs} each, alternating; median wall time")
    for name, values in times.items():
        median = statistics.median(values)
        ratio = median / baseline
        verdict = "" if name.startswith("bare") else (" ok" if ratio <= GOAL else " OVER GOAL")
        print(f"  {name:42} {median * 1000:7.1f} ms  {ratio:5.2f}x{verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
