"""The dataset read from an S3-compatible store: the summary on screen and the quick check,
against the same dataset in a local folder.

Generates the synthetic dataset (``bench/generate.py``, 5M indicator rows by default),
starts SeaweedFS on loopback (``tests/s3/seaweed.py``, the tests' server), writes the
dataset into it the way ingest does (a generation, then the manifest), and times fresh
processes, each figure the median of ``--runs`` runs taken in turns:

- the quick check (``--below-target``) from the store and from the folder; goal: the
  store at most 2x the folder;
- the explorer, spawn to the summary painted in an 80x24 pty; goal: at most 3 s.

    PYTHONPATH=. python bench/s3.py                    # 5M rows, 5 runs
    PYTHONPATH=. python bench/s3.py --rows 10000 --runs 1    # a smoke test

A store on loopback has no network latency: against a remote store each request adds a
round trip (the manifest GET, then a footer and the row groups per table read).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import polars as pl  # noqa: E402
import tui  # noqa: E402
from generate import generate  # noqa: E402
from measure import Launcher, barnet_tui, seconds  # noqa: E402

from barnet_tui.domain.contract import MANIFEST_NAME  # noqa: E402
from barnet_tui.domain.storage.location import S3Location, locate  # noqa: E402
from barnet_tui.ingest.writers.store import write_s3_dataset  # noqa: E402
from tests.s3.seaweed import seaweedfs, standard_environment  # noqa: E402


def upload(folder: Path, url: str) -> None:
    """The generated dataset, written to the store as ingest writes one."""
    location = locate(url, Path())
    assert isinstance(location, S3Location)
    manifest = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    tables = {path.stem: pl.read_parquet(path) for path in sorted(folder.glob("*.parquet"))}
    write_s3_dataset(location, tables, manifest, {})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5_000_000, help="indicator rows")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="barnet-bench-s3-") as temporary:
        home = Path(temporary)
        local = home / "data"
        generate(args.rows, local)
        (home / "weed").mkdir()
        with seaweedfs(home / "weed") as server:
            standard_environment(server, os.environ)  # the launcher's commands inherit it
            url = server.url("bench")
            upload(local, url)
            launcher = Launcher()
            try:
                quick = launcher.alternate(
                    {
                        "folder": [*barnet_tui(), "--below-target", "--data", str(local)],
                        "store": [*barnet_tui(), "--below-target", "--data", url],
                    },
                    home,
                    args.runs,
                )
                painted = {}
                for name, data in (("folder", str(local)), ("store", url)):
                    command = [*barnet_tui(), "--data", data]
                    runs = [
                        launcher.in_pty(command, home, tui.READY, "q", 120.0)
                        for _ in range(args.runs + 1)
                    ]
                    painted[name] = [run[0] for run in runs[1:]]  # the first warms up
            finally:
                launcher.close()
    ratio = quick["store"].median / quick["folder"].median
    summary = statistics.median(painted["store"])
    print(f"{args.rows:,} indicator rows, median of {args.runs} runs")
    for name in ("folder", "store"):
        print(
            f"  quick check (--below-target) from the {name}: {seconds(quick[name].median)}; "
            f"summary on screen: {seconds(statistics.median(painted[name]))}"
        )
    print(f"  the store's quick check is {ratio:.2f}x the folder's (goal: at most 2x): "
          f"{'met' if ratio <= 2 else 'NOT met'}")  # fmt: skip
    print(f"  the store's summary on screen: {seconds(summary)} (goal: at most 3 s): "
          f"{'met' if summary <= 3 else 'NOT met'}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
