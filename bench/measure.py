"""Timing a command as a fresh process: wall time and peak memory (RSS) of each run.

A process's peak memory (ru_maxrss, VmHWM) counts the memory of the process it was forked
from, up to its exec. A benchmark that has loaded datasets itself would lend them to every
command it starts, so commands are started by a small launcher process of their own
(``Launcher``: this file run with ``--serve``), which stays small.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple


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


def run_once(command: Sequence[str], cwd: Path, quiet: bool = False) -> Sample:
    """Run ``command`` to the end, its output (and with ``quiet`` its messages) discarded;
    CalledProcessError if it fails."""
    start = time.perf_counter()
    stderr = subprocess.DEVNULL if quiet else None
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=stderr)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):  # 1: the quick check found something, as asked
        raise subprocess.CalledProcessError(process.returncode, list(command))
    return Sample(elapsed, usage.ru_maxrss * 1024)


class Launcher:
    """Starts commands from a small process, so their peak memory is their own."""

    warmups = 1
    """Unmeasured runs before the measured ones, warming the file cache (``--warmups``: a
    smoke test that judges no figure takes none)."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def _ask(self, request: dict[str, Any]) -> list[Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        if "error" in answer:
            raise RuntimeError(answer["error"])
        result: list[Any] = answer["result"]
        return result

    def run(self, command: Sequence[str], cwd: Path, quiet: bool = False) -> Sample:
        return Sample(*self._ask({"run": list(command), "cwd": str(cwd), "quiet": quiet}))

    def in_pty(
        self, command: Sequence[str], cwd: Path, markers: tuple[str, ...], keys: str, timeout: float
    ) -> list[Any]:
        """bench/tui.py's in_pty, run by the launcher: (ready, exit, status, peak_rss)."""
        request = {"pty": list(command), "cwd": str(cwd), "markers": markers, "keys": keys}
        return self._ask({**request, "timeout": timeout})

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()

    def alternate(self, commands: dict[str, list[str]], cwd: Path, runs: int) -> dict[str, Figures]:
        """Each command ``runs`` times, taking turns so drift on the machine affects all
        alike, after one unmeasured round that warms the file cache."""
        for command in list(commands.values()) * self.warmups:
            self.run(command, cwd)
        samples: dict[str, list[Sample]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, command in commands.items():
                samples[name].append(self.run(command, cwd))
        return {
            name: Figures([s.seconds for s in taken], [s.peak_rss for s in taken])
            for name, taken in samples.items()
        }


def serve() -> None:
    """The launcher's side: one JSON request per line in, one answer per line out."""
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if "run" in request:
                command, cwd = request["run"], Path(request["cwd"])
                result: list[Any] = list(run_once(command, cwd, request.get("quiet", False)))
            else:
                import tui

                run = tui.in_pty(
                    request["pty"],
                    Path(request["cwd"]),
                    tuple(request["markers"]),
                    request["keys"].encode(),
                    request["timeout"],
                )
                result = list(run)
            answer: dict[str, Any] = {"result": result}
        except (RuntimeError, subprocess.CalledProcessError) as error:
            answer = {"error": str(error)}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__" and sys.argv[1:] == ["--serve"]:
    serve()
