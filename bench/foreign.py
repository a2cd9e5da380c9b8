"""A dataset written by another tool, without tables for speed: first open and later opens,
from a folder, a read-only folder with no cache, and a SeaweedFS store (issue 31).

The generated dataset's contract tables (``indicators``, ``service_summary``, ``targets``)
are written again as another tool would (columns in another order, row groups of 64k rows,
a manifest of its own), with no table for speed. Then, each figure the median of ``runs``:

- **folder, first open**: the explorer spawned to its summary painted, the tables for speed
  removed before each run, so each run builds them (``speed_tables``); and the default
  quick check's first run, which builds ``current_indicators``;
- **folder, later opens**: the summary painted, ``[`` (switch period) under Pilot, the
  default quick check, each with its peak RSS;
- **no place to write** (the folder read-only to the reader, no cache): the summary painted
  and the default quick check, read from the rows;
- **store**: the same dataset under a prefix of a SeaweedFS bucket (``tests/s3/seaweed.py``)
  with no table for speed: the first open (which PUTs them), later opens and the quick check.

    PYTHONPATH=. python bench/foreign.py /tmp/barnet-1m --runs 3   # alone, on one dataset
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import polars as pl  # noqa: E402
import tui  # noqa: E402
from measure import Figures, Launcher, barnet_tui, megabytes, seconds  # noqa: E402

from barnet_tui.domain.contract import MANIFEST_NAME  # noqa: E402
from barnet_tui.domain.speed_tables import LOCK  # noqa: E402
from barnet_tui.domain.storage.generations import current_tables  # noqa: E402

CONTRACT = ("indicators", "service_summary", "targets")
BUILT = ("period_counts.parquet", "current_indicators.parquet")
NO_OVERRIDE = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]
"""Root writes anywhere: a reader that may not write runs without that power."""
SWITCH = "switch period ([ and ])"


class Result(NamedTuple):
    label: str
    figures: Figures


def other_tool(data: Path, folder: Path) -> Path:
    """``data``'s contract tables as another tool writes them, into ``folder``."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    tables = current_tables(data)
    for table in CONTRACT:
        frame = pl.scan_parquet(tables / f"{table}.parquet")
        columns = list(reversed(frame.collect_schema().names()))
        frame.select(columns).sink_parquet(folder / f"{table}.parquet", row_group_size=65_536)
    manifest = {"generator": "another tool (bench/foreign.py)", "tables": list(CONTRACT)}
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest) + "\n", encoding="utf-8")
    return folder


def _with(environment: dict[str, str], command: list[str]) -> list[str]:
    return ["env", *(f"{key}={value}" for key, value in environment.items()), *command]


def _painted(
    launcher: Launcher, command: list[str], cwd: Path, runs: int, before: object = None
) -> Figures:
    """Spawn to the summary painted, ``runs`` times after ``launcher.warmups`` runs that warm
    the file cache; ``before`` (a function) runs before each."""
    samples = []
    warm = launcher.warmups
    for _ in range(runs + warm):
        if callable(before):
            before()
        ready, _exit, _status, rss = launcher.in_pty(command, cwd, tui.READY, "q", 300.0)
        samples.append((ready, rss))
    return Figures([time for time, _ in samples[warm:]], [rss for _, rss in samples[warm:]])


def _settled(places: list[Path], timeout: float = 900.0) -> None:
    """Wait for every builder of tables for speed in ``places`` (or under them) to end."""
    end = time.monotonic() + timeout
    while any(place.exists() and any(place.rglob(LOCK)) for place in places):
        if time.monotonic() > end:
            raise RuntimeError(f"tables for speed still being built after {timeout:.0f} s")
        time.sleep(0.2)


def _first_opens(
    launcher: Launcher,
    command: list[str],
    cwd: Path,
    runs: int,
    unbuilt: Callable[[], None],
    built: Callable[[], bool],
    places: list[Path],
) -> tuple[Figures, Figures]:
    """Each run from no tables for speed: spawn to the summary painted (from the rows), and
    spawn to the tables built by the process the explorer starts."""
    painted, building = [], []
    warm = launcher.warmups
    for _ in range(runs + warm):
        _settled(places)
        unbuilt()
        start = time.perf_counter()
        ready, _exit, _status, rss = launcher.in_pty(command, cwd, tui.READY, "q", 300.0)
        painted.append((ready, rss))
        while not built():
            if time.perf_counter() - start > 900:
                raise RuntimeError("the tables for speed were not built within 900 s")
            time.sleep(0.1)
        _settled(places)
        building.append(time.perf_counter() - start)
    return (
        Figures([time for time, _ in painted[warm:]], [rss for _, rss in painted[warm:]]),
        Figures(building[warm:], [0] * runs),
    )


def _runs(launcher: Launcher, command: list[str], cwd: Path, runs: int, before: object) -> Figures:
    samples = []
    for _ in range(runs):
        if callable(before):
            before()
        samples.append(launcher.run(command, cwd, quiet=True))
    return Figures([s.seconds for s in samples], [s.peak_rss for s in samples])


def folder_figures(
    launcher: Launcher, folder: Path, work: Path, runs: int, interactions: int
) -> list[Result]:
    cache = work / "cache"
    environment = {"XDG_CACHE_HOME": str(cache)}
    explorer = _with(environment, [*barnet_tui(), "--data", str(folder)])
    quick = _with(environment, [*barnet_tui(), "--below-target", "--data", str(folder)])

    def unbuilt() -> None:
        _settled([folder, cache])
        for name in BUILT:
            (folder / name).unlink(missing_ok=True)
        shutil.rmtree(cache, ignore_errors=True)

    def built() -> bool:
        return all((folder / name).exists() for name in BUILT)

    painted, building = _first_opens(
        launcher, explorer, work, runs, unbuilt, built, [folder, cache]
    )
    results = [
        Result("folder, first open: summary on screen (from the rows)", painted),
        Result("folder, first open: tables for speed built (spawn to written)", building),
        Result("folder, first default quick check (building its table)",
               _runs(launcher, quick, work, runs, unbuilt)),
    ]  # fmt: skip
    launcher.run(quick, work, quiet=True)  # builds the quick check's table
    launcher.in_pty(explorer, work, tui.READY, "q", 300.0)  # and the summary's, behind it
    while not built():
        time.sleep(0.1)
    _settled([folder, cache])
    later = "folder, later opens"
    results.append(Result(f"{later}: summary on screen", _painted(launcher, explorer, work, runs)))
    results.append(
        Result(f"{later}: default quick check", _runs(launcher, quick, work, runs, None))
    )
    os.environ["XDG_CACHE_HOME"] = str(cache)  # Pilot runs in this process
    steps, _first = tui.interactions(folder, work, interactions)
    times, _piloted = steps[SWITCH]
    results.append(Result(f"folder, later opens: {SWITCH}", Figures(times, [0] * len(times))))
    unbuilt()
    locked = dict(environment, XDG_CACHE_HOME="relative-is-ignored", HOME=str(work / "home"))
    (work / "home").mkdir(exist_ok=True)
    prefix = NO_OVERRIDE if os.geteuid() == 0 else []
    for path in [folder, work / "home", *folder.iterdir()]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        reader = _with(locked, [*prefix, *barnet_tui(), "--data", str(folder)])
        checker = _with(locked, [*prefix, *barnet_tui(), "--below-target", "--data", str(folder)])
        nowhere = "no place to write"
        painted = _painted(launcher, reader, work, runs)
        results.append(Result(f"{nowhere}: summary on screen", painted))
        checked = _runs(launcher, checker, work, runs, None)
        results.append(Result(f"{nowhere}: default quick check", checked))
    finally:
        for path in [folder, work / "home", *folder.iterdir()]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    assert not any((folder / name).exists() for name in BUILT), "nothing written there"
    return results


def store_figures(folder: Path, work: Path, runs: int) -> list[Result]:
    """The same dataset from a SeaweedFS store started for it."""
    import obstore

    from barnet_tui.domain.storage.location import S3Location, locate
    from barnet_tui.domain.storage.remote import open_store
    from tests.s3.seaweed import seaweedfs, standard_environment

    (work / "weed").mkdir(exist_ok=True)
    with seaweedfs(work / "weed") as server:
        environment: dict[str, str] = {}
        standard_environment(server, environment)
        environment["XDG_CACHE_HOME"] = str(work / "store-cache")
        url = server.url("foreign")
        saved = dict(os.environ)
        os.environ.update(environment)
        try:
            location = locate(url, Path())
            assert isinstance(location, S3Location)
            store = open_store(location)
            for path in sorted(folder.iterdir()):
                if path.name not in BUILT:  # the contract's tables and the manifest
                    obstore.put(store, location.key(path.name), path)

            def unbuilt() -> None:
                _settled([work / "store-cache"])
                for name in BUILT:
                    with contextlib.suppress(FileNotFoundError):
                        obstore.delete(store, location.key(name))
                shutil.rmtree(work / "store-cache", ignore_errors=True)

            launcher = Launcher()  # with the store's settings in its environment
            try:
                explorer = [*barnet_tui(), "--data", url]
                quick = [*barnet_tui(), "--below-target", "--data", url]

                def built() -> bool:
                    return all(name in _listed(store, location) for name in BUILT)

                painted, building = _first_opens(
                    launcher, explorer, work, runs, unbuilt, built, [work / "store-cache"]
                )
                results = [
                    Result("store, first open: summary on screen (from the rows)", painted),
                    Result("store, first open: tables for speed built and PUT", building),
                ]
                launcher.run(quick, work, quiet=True)
                painted = _painted(launcher, explorer, work, runs)
                results.append(Result("store, later opens: summary on screen", painted))
                checked = _runs(launcher, quick, work, runs, None)
                results.append(Result("store, later opens: default quick check", checked))
            finally:
                launcher.close()
        finally:
            os.environ.clear()
            os.environ.update(saved)
    return results


def _listed(store: Any, location: Any) -> set[str]:
    import obstore

    found = obstore.list_with_delimiter(store, location.key("") or None)
    return {entry["path"].rsplit("/", 1)[-1] for entry in found["objects"]}


def measure(
    launcher: Launcher,
    data: Path,
    work: Path,
    runs: int,
    interactions: int,
    store: bool = True,
    folder: bool = True,
) -> list[Result]:
    """Every figure above for the generated dataset ``data`` (kept in ``work``): from a
    folder, from a store, or both."""
    with tempfile.TemporaryDirectory(prefix="barnet-foreign-", dir=work) as temporary:
        place = Path(temporary)
        export = other_tool(data, place / "export")
        results = folder_figures(launcher, export, place, runs, interactions) if folder else []
        if store:
            results += store_figures(export, place, runs)
    return results


def lines(results: list[Result]) -> list[str]:
    """A Markdown table of the results."""
    rows = ["| dataset written by another tool | time | peak RSS |", "| --- | --- | --- |"]
    for label, figures in results:
        rss = figures.rss_cell() if any(figures.peak_rss) else ""
        rows.append(f"| {label} | {figures.time_cell()} | {rss} |")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="a generated dataset (bench/generate.py)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--interactions", type=int, default=5)
    parser.add_argument("--no-store", action="store_true")
    args = parser.parse_args()
    launcher = Launcher()
    try:
        work = Path(tempfile.gettempdir())
        results = measure(
            launcher, args.data, work, args.runs, args.interactions, not args.no_store
        )
    finally:
        launcher.close()
    print("\n".join(lines(results)))
    for label, figures in results:
        print(f"{label}: {seconds(statistics.median(figures.seconds))}, "
              f"{megabytes(figures.rss)}", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
