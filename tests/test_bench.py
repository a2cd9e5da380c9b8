"""The benchmarks keep working: CI runs them at the smallest sizes, once, and never judges a
figure (timing belongs in bench/RESULTS.md, measured on a quiet machine)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from barnet_tui.domain.contract import DERIVED_TABLES
from barnet_tui.domain.dataset import load_dataset
from barnet_tui.domain.derived import KEYS, fresh
from barnet_tui.domain.storage.generations import current_tables
from tests.by_hand import by_ref_by_hand, latest_by_hand, reported_by_hand
from tests.conftest import REPO


def _generate(rows: int, out: Path) -> dict[str, int]:
    """bench/generate.py's generate(), loaded from its file (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("generate", REPO / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written: dict[str, int] = module.generate(rows, out)
    return written


def test_a_generated_dataset_obeys_the_contract(tmp_path: Path) -> None:
    written = _generate(10_000, tmp_path / "data")
    dataset = load_dataset(tmp_path / "data")  # every value checked; raises on any problem
    rows = dataset.indicators.collect()
    assert rows.height == written["indicators"] == 10_000
    assert dataset.warnings == ()
    assert rows["period"].n_unique() == 44  # 44 reports of 229 rows cover 10,000
    assert rows.filter(pl.col("ref") != "TBC").select("source", "period", "ref").is_unique().all()
    assert dataset.periods[-1] == "2017/18 Q4"
    # The tables derived for speed, written as ingest writes them: fresh, and saying what
    # the rows say, counted again by hand.
    assert dataset.counts is not None
    tables = current_tables(tmp_path / "data")
    for table in DERIVED_TABLES:
        assert fresh(tables, table)
    derived = {table: pl.read_parquet(tables / f"{table}.parquet") for table in DERIVED_TABLES}
    assert derived["current_indicators"].equals(latest_by_hand(rows))
    assert derived["indicators_by_ref"].equals(by_ref_by_hand(rows))
    counts = derived["period_counts"].select("period", "service", "source", "reported")
    assert dict(zip(counts.select(KEYS).iter_rows(), counts["reported"], strict=True)) == (
        reported_by_hand(rows)
    )


SMOKE = [
    "--runs", "1", "--shipped-runs", "1", "--interactions", "1",
    "--ingest-lines", "500", "--tracker-rows", "500", "--pdf-pages", "2", "--warmups", "0",
]  # fmt: skip
"""The smallest sizes and fewest runs of bench/run.py (its served sessions: the test after
these, through bench/serve_memory.py)."""


@pytest.mark.parametrize(
    ("options", "measured"),
    [
        pytest.param(
            ["--parts", "quick", "--sizes", "shipped"],
            [
                "## shipped: 229 indicator rows",
                "one period, csv vs lazy Polars scan",
                "each indicator's latest",
            ],
            id="shipped-quick",
        ),
        pytest.param(
            ["--parts", "explorer", "--sizes", "shipped"],
            ["## shipped: 229 indicator rows", "| summary on screen", "| open an indicator"],
            id="shipped-explorer",
        ),
        pytest.param(
            ["--parts", "quick", "--sizes", "10k"],
            [
                "## 10k: 10,000 indicator rows",
                "each indicator's latest",
                "| *services the summary lists* | 13 |",
            ],
            id="10k-quick",
        ),
        pytest.param(
            ["--parts", "foreign", "--sizes", "10k", "--foreign-sizes", "10k"],
            [
                "| folder, first open: summary on screen (from the rows) |",
                "| no place to write: default quick check |",
            ],
            id="10k-foreign-folder",
        ),
        pytest.param(
            ["--parts", "store", "--sizes", "10k", "--foreign-sizes", "10k"],
            [
                "| store, first open: tables for speed built and PUT |",
                "| store, later opens: default quick check |",
            ],
            id="10k-foreign-store",
        ),
        pytest.param(["--parts", "pdf"], ["-page PDF report: median", "s of CPU"], id="pdf"),
        pytest.param(["--parts", "long"], ["| 500 |"], id="long"),
        pytest.param(
            ["--parts", "trackers"],
            ["| tracker | rows | file | ingest time | per 100k rows | peak RSS | RSS / file |"],
            id="trackers",
        ),
    ],
)
def test_each_benchmark_runs_at_the_smallest_sizes(
    options: list[str], measured: list[str], tmp_path: Path
) -> None:
    """bench/run.py a part at a time (``--parts``, a size's quick checks, explorer, folder and
    store apart): each says what it measured."""
    out = tmp_path / "RESULTS.md"
    command = [
        sys.executable, str(REPO / "bench" / "run.py"), *SMOKE, *options,
        "--work", str(tmp_path), "--out", str(out),
    ]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert completed.returncode == 0, completed.stderr
    text = out.read_text(encoding="utf-8")
    for line in measured:
        assert line in text


def test_the_served_memory_benchmark_runs_with_two_sessions() -> None:
    command = [sys.executable, str(REPO / "bench" / "serve_memory.py"), "--sessions", "2"]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stderr
    assert "2 sessions open" in completed.stdout
    assert "median per session: RSS" in completed.stdout
    assert "one more browser: HTTP 503" in completed.stdout
    assert "every explorer ended within" in completed.stdout
