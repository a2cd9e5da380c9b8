"""One generation at a time: a reader sees the dataset before a refresh or after it, never a
mix, and ingest removes only the generations no reader holds."""

from __future__ import annotations

import gc
import json
import multiprocessing
import multiprocessing.context
import multiprocessing.forkserver
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from barnet_tui.cli.main import main
from barnet_tui.domain.contract import TABLES
from barnet_tui.domain.dataset import DatasetError, load_dataset
from barnet_tui.domain.storage.generations import current_tables
from barnet_tui.ingest.errors import IngestError
from barnet_tui.ingest.writers import folder as output
from tests.conftest import DATA, REPORTS

YEAR_END = REPORTS / "service-performance-eoy-2016-17.txt"
FAMILY = REPORTS / "family-services-q4-2015-16.txt"


def ingest(capsys: pytest.CaptureFixture[str], *args: str) -> int:
    code = main(["ingest", *args, "--no-corrections"])
    capsys.readouterr()
    return code


def generations(out: Path) -> list[str]:
    return sorted(entry.name for entry in out.iterdir() if entry.name.startswith("gen-"))


@pytest.fixture
def out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A dataset of the year-end report."""
    assert ingest(capsys, str(YEAR_END), "--out", str(tmp_path / "out")) == 0
    return tmp_path / "out"


def test_a_reader_keeps_its_generation_through_a_refresh(
    out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reading = load_dataset(out)
    first = current_tables(out).name
    assert ingest(capsys, str(FAMILY), "--out", str(out)) == 0
    # The open dataset still reads the year end, whole; a new reader gets Family Services.
    assert reading.collect(reading.indicators).height == 73
    assert reading.periods == ["2016/17 Q4"]
    assert load_dataset(out).periods == ["2015/16 Q4"]
    assert first in generations(out)  # held by ``reading``: not removed under it
    del reading
    gc.collect()
    assert ingest(capsys, str(FAMILY), "--out", str(out)) == 0
    assert generations(out) == [current_tables(out).name]  # released: the next ingest removes it


def test_the_same_tables_are_the_same_generation(
    out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = generations(out)
    reading = load_dataset(out)
    assert ingest(capsys, str(YEAR_END), "--out", str(out)) == 0
    assert generations(out) == first
    assert reading.collect(reading.indicators).height == 73


def record(out: Path, *records: str) -> None:
    """Records in the folder's ingest journal, as a killed run leaves them."""
    with (out / output.LOCK_NAME).open("a", encoding="utf-8") as journal:
        journal.write("".join(f"{line}\n" for line in records))


def test_what_a_killed_ingest_left_is_removed_by_the_next(
    out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Killed after placing its generation but before the switch; killed while removing one;
    # killed while writing a manifest beside the old one.
    token = "0123456789abcdef"
    record(out, f"run {token}", "placed gen-0123456789ab")
    orphan = out / "gen-0123456789ab"
    orphan.mkdir()
    (orphan / "indicators.parquet").write_bytes(b"never pointed to")
    removing = out / f"{output.REMOVING_PREFIX}{token}-gen-ba9876543210"
    removing.mkdir()
    (removing / "targets.csv").write_text("half removed\n")
    (out / f"{output.STAGING_PREFIX}{token}-x1y2z3").write_text('{"format": "half a manif')
    assert load_dataset(out).periods == ["2016/17 Q4"]  # the pointer is all a reader follows
    assert ingest(capsys, str(FAMILY), "--out", str(out)) == 0
    assert sorted(entry.name for entry in out.iterdir()) == sorted(
        [output.LOCK_NAME, "manifest.json", current_tables(out).name]
    )


def test_entries_only_named_like_ingests_own_are_kept(
    out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What no manifest or journal says ingest wrote is someone's, whatever its name."""
    record(out, "run 0123456789abcdef")  # another run's record: it names none of these
    backup = out / "gen-0123456789ab"
    backup.mkdir()
    (backup / "indicators.parquet").write_bytes(b"a copy kept by hand")
    mine = [
        out / f"{output.STAGING_PREFIX}notes",
        out / f"{output.REMOVING_PREFIX}gen-ba9876543210",
        out / f"{output.STAGING_PREFIX}fedcba9876543210-x",
    ]
    for path in mine:
        path.write_text("mine\n")
    assert ingest(capsys, str(FAMILY), "--out", str(out)) == 0
    assert ingest(capsys, str(YEAR_END), "--out", str(out)) == 0
    assert (backup / "indicators.parquet").read_bytes() == b"a copy kept by hand"
    assert all(path.read_text() == "mine\n" for path in mine)
    assert len(generations(out)) == 2  # the backup, and the current one: the others went
    assert main(["ingest", str(YEAR_END), "--out", str(out), "--no-corrections"]) == 0
    err = capsys.readouterr().err
    assert "warning: kept 4 files ingest did not write" in err and "gen-0123456789ab/" in err


def test_a_generation_holding_someone_elses_file_is_kept(
    out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = current_tables(out) / "my-notes.txt"
    notes.write_text("checked PH/C14 with the service\n")
    assert ingest(capsys, str(FAMILY), "--out", str(out)) == 0
    assert notes.read_text() == "checked PH/C14 with the service\n"


def test_a_manifest_cannot_point_a_reader_outside_the_dataset(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "gen-0123456789ab"
    elsewhere.mkdir()
    for generation in ("../gen-0123456789ab", "/etc", "gen-../../x"):
        manifest = {"format": "barnet-tui-dataset/2", "generation": generation}
        (out / "manifest.json").write_text(json.dumps(manifest))
        with pytest.raises(DatasetError, match=r"manifest\.json names .* which is not a gener"):
            load_dataset(out)


def test_a_generation_deleted_by_hand_is_one_line(out: Path) -> None:
    shutil.rmtree(current_tables(out))
    with pytest.raises(DatasetError) as caught:
        load_dataset(out)
    assert str(caught.value) == (
        f"dataset {out}: manifest.json names {current_tables(out).name}/, which is not there (or "
        "was being removed at each of 200 tries); write the dataset again with: barnet-tui "
        f"ingest REPORT... --out {out}"
    )


# Writers and readers at once, in processes ------------------------------------------------


def _write_many(out: Path, writer: int, writes: int, wait: bool, results: object) -> None:
    """``writes`` generations, every row of every table stamped with the same ``w<writer>-
    <write>`` (its ``source``), as is the manifest; ``wait`` for the lock, else give up."""
    shipped = {
        table: pl.read_parquet(current_tables(DATA) / f"{table}.parquet") for table in TABLES
    }
    done = refused = 0
    for write in range(writes):
        stamp = f"w{writer}-{write}"
        tables = {
            table: frame.with_columns(source=pl.lit(stamp)) for table, frame in shipped.items()
        }
        try:
            output.write_dataset(out, tables, {"stamp": stamp}, {}, wait=wait)
            done += 1
        except IngestError as error:
            assert "another ingest is running since" in str(error), str(error)
            refused += 1
    results.put(("write", done, refused))  # type: ignore[attr-defined]


def _read_many(out: Path, written: object, results: object) -> None:
    """Load the dataset again and again until the writers have all ``written`` (and at least
    five times); a read is torn when its tables carry other stamps than its manifest."""
    reads = torn = 0
    give_up = time.monotonic() + 120
    while (reads < 5 or not written.is_set()) and time.monotonic() < give_up:  # type: ignore[attr-defined]
        dataset = load_dataset(out)
        stamp = dataset.generation.manifest["stamp"]  # type: ignore[index]
        stamps = set(dataset.collect(dataset.indicators.select("source").unique())["source"])
        stamps |= set(dataset.service_summary["source"])
        for table in ("actions", "finance", "risks"):
            stamps |= set(dataset.report_columns(table, ("source",))["source"])
        torn += stamps != {stamp}
        reads += 1
    results.put(("read", reads, torn))  # type: ignore[attr-defined]


WRITES = 6
"""Generations each of the four writers writes while two readers load the dataset."""


@pytest.fixture
def forking() -> Iterator[multiprocessing.context.ForkServerContext]:
    """Processes forked from a server that imported this module once (a spawned child
    imports Polars and the package afresh, seconds each); the server ends with the test."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    yield context
    multiprocessing.forkserver._forkserver._stop()  # type: ignore[attr-defined]  # as the stdlib tests do


def test_writers_and_readers_at_once_never_see_half_a_dataset(
    tmp_path: Path, forking: multiprocessing.context.ForkServerContext
) -> None:
    out = tmp_path / "out"
    spawn = forking
    results = spawn.Queue()
    _write_many(out, 0, 1, True, results)  # the first generation, before the crowd
    assert results.get(timeout=5) == ("write", 1, 0)
    written = spawn.Event()
    processes = [
        *(
            spawn.Process(target=_write_many, args=(out, writer, WRITES, writer != 3, results))
            for writer in range(1, 5)
        ),
        *(spawn.Process(target=_read_many, args=(out, written, results)) for _ in range(2)),
    ]
    for process in processes:
        process.start()
    reported: list[tuple[str, Any, Any]] = []
    while sum(kind == "write" for kind, _, _ in reported) < 4:
        reported.append(results.get(timeout=120))
    written.set()  # the readers stop once the last write is in
    reported += [results.get(timeout=120) for _ in range(len(processes) - len(reported))]
    for process in processes:
        process.join(30)
    assert [process.exitcode for process in processes] == [0] * len(processes)
    writes = sum(done for kind, done, _ in reported if kind == "write")
    refused = sum(refused for kind, _, refused in reported if kind == "write")
    reads = sum(count for kind, count, _ in reported if kind == "read")
    torn = sum(torn for kind, _, torn in reported if kind == "read")
    print(f"writes {writes} (+{refused} refused cleanly), reads {reads}, torn reads {torn}")
    assert (writes + refused, torn) == (4 * WRITES, 0)
    assert writes >= 3 * WRITES and reads >= 10  # three writers waited their turns; readers kept on
    # Generations that readers held at the last write stay until the next ingest; then
    # nothing is left but the last generation, its manifest and the lock.
    _write_many(out, 9, 1, True, results)
    assert results.get(timeout=5) == ("write", 1, 0)
    assert sorted(entry.name for entry in out.iterdir()) == sorted(
        [output.LOCK_NAME, "manifest.json", current_tables(out).name]
    )


def test_ingests_killed_while_writing_leave_a_whole_dataset(out: Path) -> None:
    """``kill -9`` at moments spread over the writing of a dataset: after each, the dataset
    loads whole (the one before, or the one that run finished), and the next ingest removes
    what the killed ones left."""
    reports = sorted(REPORTS.glob("*.txt"))

    def command(step: int) -> list[str]:  # every other run without a report: new tables
        chosen = reports[: len(reports) - step % 2]
        return [
            sys.executable, "-m", "barnet_tui", "ingest", *map(str, chosen), "--out", str(out),
            "--no-corrections",
        ]  # fmt: skip

    left = set()
    for step in range(6):
        before = set(out.glob(f"{output.STAGING_PREFIX}*"))
        run = subprocess.Popen(command(step), stderr=subprocess.DEVNULL)
        while run.poll() is None and set(out.glob(f"{output.STAGING_PREFIX}*")) <= before:
            time.sleep(0.001)  # until it starts writing
        time.sleep(step * 0.01)
        run.send_signal(signal.SIGKILL)
        run.wait()
        dataset = load_dataset(out)
        assert dataset.collect(dataset.indicators).height in (73, 229 - 73, 229)
        left |= {entry.name for entry in out.iterdir()} - {output.LOCK_NAME, "manifest.json"}
    assert len(left) > 2  # some runs were killed with their files half written
    del dataset  # it holds the generation it read
    subprocess.run(command(0), check=True, capture_output=True)
    assert sorted(entry.name for entry in out.iterdir()) == sorted(
        [output.LOCK_NAME, "manifest.json", current_tables(out).name]
    )
