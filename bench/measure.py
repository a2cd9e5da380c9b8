"""Timing a command as a fresh process: wall time and peak memory (RSS) of each run."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple


class Sample(NamedTuple):
    seconds: float
    peak_rss: int
    """Bytes: the most memory the process held at once (ru_maxrss)."""


class Figures(NamedTuple):
    """Several runs of one command, summarised as RESULTS.md shows them."""

    seconds: list[float]
    peak_rss: list[int]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def rss(self) -> float:
        return statistics.median(self.peak_rss)

    def time_cell(self) -> str:
        """ "1.52 s (1.48–1.61)": median and spread of the runs."""
        low, high = min(self.seconds), max(self.seconds)
        return f"{seconds(self.median)} ({seconds(low, unit=False)}–{seconds(high)})"

    def rss_cell(self) -> str:
        return megabytes(self.rss)


def barnet_tui() -> list[str]:
    """The installed command: beside this interpreter (a virtual environment), else on PATH,
    else the module."""
    beside = Path(sys.executable).parent / "barnet-tui"
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("barnet-tui")
    return [found] if found else [sys.executable, "-m", "barnet_tui"]


def seconds(value: float, unit: bool = True) -> str:
    if value < 1:
        return f"{value * 1000:.0f}" + (" ms" if unit else "")
    return f"{value:.2f}" + (" s" if unit else "")


def megabytes(value: float) -> str:
    return f"{value / 2**20:,.0f} MB"


def run_once(command: Sequence[str], cwd: Path) -> Sample:
    """Run ``command`` to the end, its output discarded; CalledProcessError if it fails."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):  # 1: the quick check found something, as asked
        raise subprocess.CalledProcessError(process.returncode, list(command))
    return Sample(elapsed, usage.ru_maxrss * 1024)


def alternate(commands: dict[str, list[str]], cwd: Path, runs: int) -> dict[str, Figures]:
    """Each command ``runs`` times, taking turns so drift on the machine affects all alike,
    after one unmeasured round that warms the file cache."""
    for command in commands.values():
        run_once(command, cwd)
    samples: dict[str, list[Sample]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(run_once(command, cwd))
    return {
        name: Figures([s.seconds for s in runs_], [s.peak_rss for s in runs_])
        for name, runs_ in samples.items()
    }
