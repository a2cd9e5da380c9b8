"""Ingest never deletes what it did not write: a dataset is known by its own manifest."""

from __future__ import annotations

import fcntl
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import pytest

from barnet_tui.cli.main import main
from barnet_tui.domain.dataset import load_dataset
from barnet_tui.domain.storage.generations import current_tables
from barnet_tui.ingest.writers import folder as output
from tests.conftest import REPORTS, snapshot

EXCERPT = Path(__file__).resolve().parent / "excerpts" / "eoy-quarterly.txt"
YEAR_END = REPORTS / "service-performance-eoy-2016-17.txt"


def ingest(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["ingest", *args, "--no-corrections"])
    return code, capsys.readouterr().err


def test_the_manifest_says_it_is_a_dataset_and_lists_its_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert ingest(capsys, str(EXCERPT), "--out", str(out))[0] == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["format"] == "barnet-tui-dataset/2"
    # Every file there but the ingest lock, which stays (see test_one_ingest_at_a_time).
    assert sorted(manifest["files"]) == sorted(snapshot(out))
    assert manifest["generation"] == current_tables(out).name


def test_a_folder_with_someone_elses_manifest_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = tmp_path / "webapp"
    (app / "src").mkdir(parents=True)
    (app / "src" / "index.js").write_text("console.log('hi')\n")
    (app / "manifest.json").write_text('{"name": "my web app", "start_url": "/"}\n')
    before = snapshot(app)
    code, err = ingest(capsys, str(EXCERPT), "--out", str(app))
    assert code == 2
    assert err == (
        f"barnet-tui ingest: error: --out {app}: exists and is not a barnet-tui dataset (its "
        "manifest.json was not written by barnet-tui); refusing to write into it\n"
    )
    assert snapshot(app) == before


def test_a_manifest_naming_other_files_cannot_make_ingest_delete_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert ingest(capsys, str(EXCERPT), "--out", str(out))[0] == 0
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["files"] += ["notes.txt", "../precious.txt", "/etc/hostname"]
    (out / "manifest.json").write_text(json.dumps(manifest))
    (out / "notes.txt").write_text("mine")
    (tmp_path / "precious.txt").write_text("mine too")
    assert ingest(capsys, str(EXCERPT), "--out", str(out))[0] == 0
    assert (out / "notes.txt").read_text() == "mine"
    assert (tmp_path / "precious.txt").read_text() == "mine too"


def test_a_dataset_written_before_the_format_marker_is_refreshed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert ingest(capsys, str(EXCERPT), "--out", str(out))[0] == 0
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["format"], manifest["files"]  # as barnet-tui 0.1.0 wrote it
    manifest["tables"]["actions"] = {"rows": 0, "files": ["actions.parquet", "actions.csv"]}
    (out / "manifest.json").write_text(json.dumps(manifest))
    (out / "actions.csv").write_text("an old table\n")
    code, err = ingest(capsys, str(EXCERPT), "--out", str(out))
    assert (code, "warning: kept" in err) == (0, False)
    # Listed by the old manifest: ingest's own, so replaced without a word.
    assert not (out / "actions.csv").exists()
    assert (current_tables(out) / "actions.csv").read_text().startswith("period,service,ref")


def test_a_symlinked_out_updates_its_target_and_stays_a_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "shared" / "barnet-data"
    link = tmp_path / "data"
    link.symlink_to(target, target_is_directory=True)
    assert ingest(capsys, str(EXCERPT), "--out", str(link))[0] == 0
    assert link.is_symlink()
    assert (current_tables(target) / "indicators.parquet").is_file()
    assert ingest(capsys, str(EXCERPT), "--out", str(link))[0] == 0
    assert link.is_symlink() and (target / "manifest.json").is_file()


def test_a_data_folder_on_another_filesystem_is_refreshed_through_its_symlink(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A real second filesystem where the machine has one (tmpfs): a rename across it fails
    (EXDEV), so every move must stay inside the target folder."""
    other = Path("/dev/shm")
    if not other.is_dir() or other.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second filesystem to write to")
    with tempfile.TemporaryDirectory(dir=other) as shared:
        link = tmp_path / "data"
        link.symlink_to(shared, target_is_directory=True)
        for _ in range(2):
            assert ingest(capsys, str(EXCERPT), "--out", str(link))[0] == 0
        assert link.is_symlink() and current_tables(Path(shared)).parent == Path(shared)
        assert load_dataset(link).indicators.collect().height == 9
        assert not [path for path in tmp_path.iterdir() if path.name != "data"]


def test_files_are_staged_in_the_target_folder_so_moves_never_cross_filesystems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "elsewhere"
    link = tmp_path / "data"
    link.symlink_to(target, target_is_directory=True)
    moves: list[tuple[Path, Path]] = []

    def recorded(move: Callable[[Path, Path], Path]) -> Callable[[Path, Path], Path]:
        def moved(self: Path, destination: Path) -> Path:
            moves.append((self, Path(destination)))
            return move(self, destination)

        return moved

    monkeypatch.setattr(Path, "replace", recorded(Path.replace))
    monkeypatch.setattr(Path, "rename", recorded(Path.rename))
    assert ingest(capsys, str(EXCERPT), "--out", str(link))[0] == 0
    # The generation folder, the manifest (the switch) and the corrections, each in one move.
    assert {destination.name for _, destination in moves} >= {
        "manifest.json",
        current_tables(target).name,
    }
    assert all(
        source.parent == target and destination.parent == target for source, destination in moves
    )


def test_a_killed_runs_staging_folder_is_removed_by_the_next_ingest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert ingest(capsys, str(EXCERPT), "--out", str(out))[0] == 0
    with (out / output.LOCK_NAME).open("a", encoding="utf-8") as journal:
        journal.write("run 0123456789abcdef\n")  # what the killed run recorded first
    leftover = out / f"{output.STAGING_PREFIX}0123456789abcdef-killed"
    leftover.mkdir()
    (leftover / "indicators.parquet").write_bytes(b"half written")
    assert ingest(capsys, str(EXCERPT), "--out", str(out))[0] == 0
    assert not leftover.exists()


def _cut_short(tmp_path: Path) -> Path:
    """The year-end report, cut off three rows into its first indicator table."""
    lines = YEAR_END.read_text(encoding="utf-8").splitlines()
    cut = tmp_path / YEAR_END.name
    cut.write_text("\n".join(lines[:48]) + "\n", encoding="utf-8")
    return cut


def test_a_report_cut_short_does_not_replace_a_good_dataset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert ingest(capsys, str(YEAR_END), "--out", str(out))[0] == 0
    before = snapshot(out)
    code, err = ingest(capsys, str(_cut_short(tmp_path)), "--out", str(out))
    assert code == 2
    assert err == (
        "barnet-tui ingest: error: service-performance-eoy-2016-17.txt:24: 3 below-target "
        "indicator rows for the 73 the report counts: the file looks cut short; nothing "
        f"written to {out} (--force writes it anyway)\n"
    )
    assert snapshot(out) == before
    code, err = ingest(capsys, str(_cut_short(tmp_path)), "--out", str(out), "--force")
    assert code == 0
    assert "warning: service-performance-eoy-2016-17.txt:24: 3 below-target" in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert any("looks cut short" in warning["message"] for warning in manifest["warnings"])


def _hold_lock(folder: Path) -> TextIO:
    """Take a folder's ingest lock as another ingest would, saying who holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = (folder / output.LOCK_NAME).open("a+", encoding="utf-8")
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    handle.truncate(0)
    handle.write("09:41 (pid 4242)\n")
    handle.flush()
    return handle


def test_one_ingest_at_a_time(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert ingest(capsys, str(EXCERPT), "--out", str(out))[0] == 0
    before = snapshot(out)
    with _hold_lock(out):
        code, err = ingest(capsys, str(EXCERPT), "--out", str(out))
    assert code == 2
    assert err == (
        f"barnet-tui ingest: error: --out {out}: another ingest is running since 09:41 "
        "(pid 4242); nothing written (--wait waits for it)\n"
    )
    assert snapshot(out) == before


def test_wait_waits_for_the_other_ingest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    handle = _hold_lock(out)
    threading.Timer(0.5, handle.close).start()  # the other ingest finishes half a second on
    started = time.monotonic()
    assert ingest(capsys, str(EXCERPT), "--out", str(out), "--wait")[0] == 0
    assert time.monotonic() - started >= 0.4
    assert (out / "manifest.json").is_file()


def test_concurrent_ingests_into_one_folder_take_turns(tmp_path: Path) -> None:
    """Four processes at once, each waiting its turn: all finish, and what is left is one
    whole dataset (before the lock, their files interleaved and one run's clean-up deleted
    another's staging folder)."""
    out = tmp_path / "out"
    command = [
        sys.executable, "-m", "barnet_tui", "ingest", str(YEAR_END), "--out", str(out),
        "--wait", "--no-corrections",
    ]  # fmt: skip
    runs = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert [run.returncode for run in runs] == [0] * 4, errors
    dataset = load_dataset(out)  # every file there, and consistent with its manifest
    assert dataset.indicators.collect().height == 73
    assert not list(out.glob(f"{output.STAGING_PREFIX}*"))
