"""Tables for speed for any dataset: a dataset another tool wrote (or one whose tables for
speed went stale) gets them on its first open, beside its tables or in the user's cache,
built once however many readers open it at once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from barnet_tui.cli.main import main
from barnet_tui.domain.dataset import load_dataset, load_table
from barnet_tui.domain.derived import STAMP, fingerprint
from barnet_tui.domain.speed_tables import cache_folder
from barnet_tui.domain.storage.generations import current_tables
from tests.conftest import DATA, REPO, REPORTS
from tests.domain.test_derived import summary_from_rows
from tests.other_tool import write_other_tool_dataset

PERIOD = "2016/17 Q4"
BELOW = ("Green Amber", "Red Amber", "Red")
READER = """
import sys
from pathlib import Path
from barnet_tui.domain import speed_tables
from barnet_tui.domain.dataset import load_dataset, load_table

if len(sys.argv) > 2:  # count the builds, each one slow enough for the others to arrive
    import time
    built = speed_tables._BUILDERS["period_counts"]

    def counted(rows):
        with open(sys.argv[2], "a") as log:
            log.write("built\\n")
        time.sleep(1.0)
        return built(rows)

    speed_tables._BUILDERS["period_counts"] = counted
dataset = load_dataset(Path(sys.argv[1]), check_values=False, build=True)
print("counts" if dataset.counts is not None else "rows")
sys.stdout.write(dataset.summary("2016/17 Q4", ("Green Amber", "Red Amber", "Red")).write_csv())
"""


def stamp_of(path: Path) -> str | None:
    return pl.read_parquet_metadata(path).get(STAMP)


def expected_summary(data: Path) -> pl.DataFrame:
    """The summary of ``PERIOD`` counted from every row, as without tables for speed."""
    rows, _ = load_table(data, "indicators")
    summary, _ = load_table(data, "service_summary")
    return summary_from_rows(rows, summary, PERIOD)


def test_a_dataset_another_tool_wrote_gets_its_tables_for_speed_on_first_open(
    tmp_path: Path,
) -> None:
    data = write_other_tool_dataset(tmp_path / "export")
    expected = expected_summary(data)
    assert not (data / "period_counts.parquet").exists()
    dataset = load_dataset(data, check_values=False, build=True)  # as the explorer opens it
    assert dataset.counts is not None and dataset.deferred
    built = data / "period_counts.parquet"
    assert stamp_of(built) == fingerprint(data / "indicators.parquet")
    assert dataset.summary(PERIOD, BELOW).equals(expected)
    assert not [path for path in data.iterdir() if path.name.startswith(".barnet-tui-speed")]
    # Later opens read it as it is.
    before = built.stat()
    again = load_dataset(data, check_values=False, build=True)
    assert again.counts is not None and again.summary(PERIOD, BELOW).equals(expected)
    assert os.path.samestat(before, built.stat())
    assert built.stat().st_mtime_ns == before.st_mtime_ns


def test_stale_tables_for_speed_are_built_again(tmp_path: Path) -> None:
    data = write_other_tool_dataset(tmp_path / "export")
    load_dataset(data, check_values=False, build=True)
    indicators = pl.read_parquet(data / "indicators.parquet")
    moved = indicators.with_columns(
        service=pl.when(pl.col("ref") == "R/3")
        .then(pl.lit("Registrar (moved)"))
        .otherwise("service")
    )
    moved.write_parquet(data / "indicators.parquet", row_group_size=50)  # changed since
    dataset = load_dataset(data, check_values=False, build=True)
    assert stamp_of(data / "period_counts.parquet") == fingerprint(data / "indicators.parquet")
    summary = dataset.summary(PERIOD, BELOW)
    assert "Registrar (moved)" in summary["service"].to_list()
    assert summary.equals(expected_summary(data))


def read_only(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)


NO_OVERRIDE = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]
"""Root, as the tests may run, writes anywhere: its reader runs without that power."""


def reader(data: Path, cache: Path | None, *extra: str) -> subprocess.Popen[str]:
    """The explorer's load in a process of its own, with ``cache`` as XDG_CACHE_HOME (none:
    a relative one, which is ignored, and a home it may not write in)."""
    home = data.parent / "home"
    home.mkdir(exist_ok=True)
    home.chmod(0o555)
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO),
        "HOME": str(home),
        "XDG_CACHE_HOME": str(cache) if cache else "relative/is/ignored",
    }
    command = [sys.executable, "-c", READER, str(data), *extra]
    return subprocess.Popen(
        NO_OVERRIDE + command if os.geteuid() == 0 else command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        cwd="/",
    )


def summary_read(process: subprocess.Popen[str]) -> tuple[str, pl.DataFrame]:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    how, _, csv = out.partition("\n")
    return how, pl.read_csv(csv.encode(), schema_overrides={"changed": pl.Int64})


def test_a_read_only_dataset_gets_them_in_the_users_cache(tmp_path: Path) -> None:
    data = write_other_tool_dataset(tmp_path / "export")
    expected = expected_summary(data)
    read_only(data)
    cache = tmp_path / "cache"
    cache.mkdir()
    how, summary = summary_read(reader(data, cache))
    assert how == "counts"
    assert not (data / "period_counts.parquet").exists()
    key = cache_folder(fingerprint(data / "indicators.parquet") or "")
    assert key is not None
    kept = cache / key.relative_to(key.parents[2]) / "period_counts.parquet"
    assert stamp_of(kept) == fingerprint(data / "indicators.parquet")
    assert summary.equals(expected.select(summary.columns).cast(summary.schema))
    assert sorted(path.name for path in kept.parent.iterdir()) == ["period_counts.parquet"]


def test_without_a_place_to_write_the_summary_is_counted_from_its_rows(tmp_path: Path) -> None:
    data = write_other_tool_dataset(tmp_path / "export")
    expected = expected_summary(data)
    read_only(data)
    before = sorted(path.name for path in data.iterdir())
    how, summary = summary_read(reader(data, None))
    assert how == "rows"
    assert summary.equals(expected.select(summary.columns).cast(summary.schema))
    assert sorted(path.name for path in data.iterdir()) == before


def test_readers_opening_at_once_build_the_tables_once(tmp_path: Path) -> None:
    data = write_other_tool_dataset(tmp_path / "export")
    expected = expected_summary(data)
    log = tmp_path / "builds.log"
    readers = []
    for _ in range(4):
        readers.append(reader(data, None, str(log)))
        time.sleep(0.05)
    for process in readers:
        how, summary = summary_read(process)
        assert how == "counts"
        assert summary.equals(expected.select(summary.columns).cast(summary.schema))
    assert log.read_text() == "built\n"
    assert stamp_of(data / "period_counts.parquet") == fingerprint(data / "indicators.parquet")
    assert not [path for path in data.iterdir() if path.name.startswith(".barnet-tui-speed")]


def test_a_generation_a_reader_built_into_is_still_removed_by_the_next_ingest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What a killed builder leaves in a generation (its lock, a file half written) is no
    file of someone's that would keep the generation for ever."""
    out = tmp_path / "data"
    assert main(["ingest", str(REPORTS / "family-services-q4-2015-16.txt"), "--out", str(out)]) == 0
    old = current_tables(out)
    (old / "period_counts.parquet").unlink()
    load_dataset(out, check_values=False, build=True)  # builds it again, beside the tables
    assert stamp_of(old / "period_counts.parquet") == fingerprint(old / "indicators.parquet")
    (old / ".barnet-tui-speed-lock").touch()
    (old / ".barnet-tui-speed-0123456789abcdef-period_counts.parquet").write_bytes(b"PAR1")
    assert main(["ingest", str(REPORTS / "ces-committee-eoy-2017-18.txt"), "--out", str(out)]) == 0
    capsys.readouterr()
    assert current_tables(out) != old and not old.exists()


def test_the_quick_check_builds_its_table_on_its_first_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = write_other_tool_dataset(tmp_path / "export")
    shipped = main(["--below-target", "--format", "csv", "--data", str(DATA)])
    expected = capsys.readouterr().out
    printed = []
    for _ in range(2):
        assert main(["--below-target", "--format", "csv", "--data", str(data)]) == shipped
        printed.append(capsys.readouterr().out)
        built = data / "current_indicators.parquet"
        assert stamp_of(built) == fingerprint(data / "indicators.parquet")
    assert printed == [expected, expected]
