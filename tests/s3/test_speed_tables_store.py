"""Tables for speed in a store: checked by their Parquet footers (a ranged GET each, never a
whole object), used when they match, and built for a store-only dataset into the store when
the credentials may write there, else into the user's cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import obstore
import polars as pl
import pytest

from barnet_tui.cli.main import main
from barnet_tui.domain.dataset import Dataset, load_dataset, load_table
from barnet_tui.domain.derived import STAMP, fingerprint
from barnet_tui.domain.speed_tables import cache_root
from barnet_tui.domain.storage.location import S3Location, locate
from tests.conftest import DATA, report_paths
from tests.domain.test_derived import summary_from_rows
from tests.other_tool import write_other_tool_dataset
from tests.s3.seaweed import READER, S3Server
from tests.s3.test_object_storage import objects

PERIOD = "2016/17 Q4"
BELOW = ("Green Amber", "Red Amber", "Red")
REPORTS = [str(path) for path in report_paths()]


def upload(folder: Path, url: str) -> None:
    """Every file of ``folder`` under the prefix ``url``, as another tool would put them."""
    location = locate(url, Path())
    assert isinstance(location, S3Location)
    from barnet_tui.domain.storage.remote import open_store

    for path in sorted(folder.iterdir()):
        obstore.put(open_store(location), location.key(path.name), path.read_bytes())


def uploaded(tmp_path: Path, s3: S3Server) -> tuple[Path, str]:
    """Another tool's dataset, in a folder and under a fresh prefix of the store."""
    folder = write_other_tool_dataset(tmp_path / "export")
    url = s3.url()
    upload(folder, url)
    return folder, url


def opened(url: str) -> Dataset:
    """The dataset as the explorer loads it, its counts built first if it has none."""
    location = locate(url, Path())
    assert isinstance(location, S3Location)
    return load_dataset(location, check_values=False, build=True)


def expected_summary(folder: Path) -> pl.DataFrame:
    rows, _ = load_table(folder, "indicators")
    summary, _ = load_table(folder, "service_summary")
    return summary_from_rows(rows, summary, PERIOD)


class Requests:
    """Every request barnet-tui's own code makes of the store (Polars' scans aside)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.made: list[tuple[str, str, Any]] = []
        for name in ("get", "get_range", "head", "put", "list", "list_with_delimiter"):
            monkeypatch.setattr(obstore, name, self._counted(name, getattr(obstore, name)))

    def _counted(self, name: str, call: Any) -> Any:
        def counted(store: Any, path: Any = None, *args: Any, **kwargs: Any) -> Any:
            self.made.append((name, str(path), kwargs.get("options")))
            return call(store, path, *args, **kwargs)

        return counted


def test_a_store_only_dataset_gets_them_in_the_store_and_later_opens_check_footers(
    s3: S3Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, url = uploaded(tmp_path, s3)
    expected = expected_summary(folder)
    first = opened(url)
    assert first.counts is not None
    assert first.summary(PERIOD, BELOW).equals(expected)
    assert "period_counts.parquet" in objects(url)  # written where the writer may write
    root = cache_root()
    assert root is None or not list(root.glob("*/*"))  # its lock, there while it built
    counted = Requests(monkeypatch)
    again = opened(url)
    assert again.counts is not None
    assert again.summary(PERIOD, BELOW).equals(expected)
    footers = [made for made in counted.made if made[1].endswith(".parquet")]
    assert [made[0] for made in counted.made if made[0] in ("put", "head")] == []
    # The indicators' footer and the counts' (the listing says there is no other table).
    assert sorted(path.rsplit("/", 1)[-1] for _call, path, _options in footers) == [
        "indicators.parquet",
        "period_counts.parquet",
    ]
    for _call, _path, options in footers:  # each the end of an object, never a whole one
        assert options == {"range": {"suffix": 65536}}, footers


def test_an_ingested_store_dataset_is_read_with_its_own_tables(
    s3: S3Server, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ingest wrote them with the indicators' fingerprint: a reader uses them as they are,
    and writes nothing."""
    url = s3.url()
    assert main(["ingest", *REPORTS, "--out", url]) == 0
    capsys.readouterr()
    before = objects(url)
    counted = Requests(monkeypatch)
    dataset = opened(url)
    assert dataset.counts is not None and dataset.by_ref is not None
    assert [made for made in counted.made if made[0] == "put"] == []
    assert objects(url) == before
    root = cache_root()
    assert root is None or not root.exists()
    assert dataset.summary(PERIOD, BELOW).equals(
        load_dataset(DATA).summary(PERIOD, BELOW)  # the same reports as the shipped data
    )


def test_a_reader_that_may_not_write_the_store_keeps_them_in_its_cache(
    s3: S3Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, url = uploaded(tmp_path, s3)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", READER[0])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", READER[1])
    dataset = opened(url)
    assert dataset.counts is not None
    assert dataset.summary(PERIOD, BELOW).equals(expected_summary(folder))
    assert "period_counts.parquet" not in objects(url)
    root = cache_root()
    assert root is not None
    kept = list(root.glob("*/period_counts.parquet"))
    assert len(kept) == 1
    stamp = pl.read_parquet_metadata(kept[0])[STAMP]
    assert stamp == fingerprint(folder / "indicators.parquet")
    assert [path.name for path in kept[0].parent.iterdir()] == ["period_counts.parquet"]
