"""A manifest on a store gets a folder's limits: too deep or too big is one line and exit 2,
an open explorer whose manifest turns hostile stays up, and an unchanged manifest is read
once, however often the dataset is loaded."""

from __future__ import annotations

from pathlib import Path

import obstore
import pytest

from barnet_tui.config import load_config
from barnet_tui.domain.dataset import load_dataset
from barnet_tui.domain.storage import generations, remote
from barnet_tui.domain.storage.location import S3Location, locate
from barnet_tui.domain.storage.remote import open_store
from barnet_tui.tui.app import BarnetApp
from tests.s3.seaweed import S3Server
from tests.s3.test_object_storage import REPORTS, ingest, run
from tests.tui.conftest import loaded

DEEP = b"[" * 1_000_000 + b"]" * 1_000_000


def _put_manifest(url: str, data: bytes) -> None:
    location = locate(url, Path())
    assert isinstance(location, S3Location)
    obstore.put(open_store(location), location.key("manifest.json"), data)


@pytest.mark.parametrize("command", ["--below-target", "changes", "audit", "ingest"])
def test_a_manifest_nested_a_million_deep_is_one_line_and_exit_2(
    s3: S3Server, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    url = s3.url()
    _put_manifest(url, b'{"format": 2, "generation": ' + DEEP + b"}")
    if command == "ingest":
        code, out, err = run(capsys, "ingest", REPORTS[0], "--out", url)
        err = err.splitlines()[-1] + "\n"  # after the report's own warnings
    else:
        code, out, err = run(capsys, command, "--data", url)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and url in err, err
    assert "manifest.json cannot be read (not JSON: nested too deeply)" in err


def test_a_manifest_over_the_limit_is_refused_by_its_size(
    s3: S3Server, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The limit a folder's manifest has (100 MB), here made small so the test stays small."""
    monkeypatch.setattr(remote, "MANIFEST_LIMIT", 1_000)
    url = s3.url()
    _put_manifest(url, b'{"format": 2, "padding": "' + b"x" * 5_000 + b'"}')
    code, out, err = run(capsys, "--below-target", "--data", url)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "manifest.json cannot be read (is larger than any" in err


def test_an_unchanged_manifest_is_read_once(
    s3: S3Server, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = s3.url()
    ingest(capsys, url, REPORTS[:1])
    parsed: list[int] = []

    def counted(data: bytes) -> dict[str, object]:
        parsed.append(len(data))
        return generations.manifest_from(data)

    monkeypatch.setattr(remote, "manifest_from", counted)
    location = locate(url, Path())
    for _ in range(3):
        assert load_dataset(location).generation.name is not None
    assert len(parsed) == 1
    ingest(capsys, url, REPORTS[:2])
    newer = load_dataset(location).generation.name
    assert len(parsed) == 2  # changed by the ingest (which found it unchanged): read again
    assert newer == load_dataset(location).generation.name and len(parsed) == 2


async def test_an_open_explorer_whose_manifest_turns_deep_stays_up(
    s3: S3Server, capsys: pytest.CaptureFixture[str]
) -> None:
    url = s3.url()
    ingest(capsys, url, REPORTS[:1])
    app = BarnetApp(load_config()._replace(data_dir=locate(url, Path())))
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        shown = app.dataset.generation.name if app.dataset else None
        _put_manifest(url, b'{"format": 2, "generation": ' + DEEP + b"}")
        app.look_for_newer()
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.dataset_lost()  # as if its generation were gone: a reload reads the manifest
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and app.dataset is not None
        assert app.dataset.generation.name == shown  # the data on screen is kept
        notes = [note.message for note in app._notifications]
        assert any("nested too deeply" in note for note in notes), notes
