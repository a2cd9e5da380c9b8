"""The ingest command watches its ingest: a child ended by a signal (a native abort, as a
Rust allocation failure is, or the kernel's OOM killer) is one line and exit 2, never a
backtrace, and the dataset is as it was."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from barnet_tui.cli import supervised
from barnet_tui.cli.main import main
from tests.conftest import snapshot
from tests.ingest.test_command import EXCERPT

ROWS = 30_000
"""Rows of the report being read when its ingest is killed: enough to take many seconds to
read, so the child is still reading when the signal comes (it comes at once)."""


def _long_report(path: Path) -> None:
    rows = "".join(
        f"FS/S{i}\tIndicator {i}\tBigger is Better\t10\t{i % 20}\tR\tWorsening\tComment {i}\n"
        for i in range(ROWS)
    )
    header = "Ref\tIndicator\tPolarity\tTarget\tResult\tRAG\tDirection of travel\tComment\n"
    path.write_text(f"# Family Services – Q4 2016/17\n\n{header}{rows}", encoding="utf-8")


def _child_of(parent: int) -> int | None:
    """A process whose parent is ``parent``, if one is running."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            return int(entry.name)
    return None


def _reading_a_long_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, dict[str, bytes], subprocess.Popen[str], int]:
    """A dataset ingested, its files, and the command ingesting a long report into it, with
    the child doing the reading."""
    out = tmp_path / "out"
    assert main(["ingest", str(EXCERPT), "--out", str(out), "--no-corrections"]) == 0
    capsys.readouterr()
    before = snapshot(out)
    report = tmp_path / "long.txt"
    _long_report(report)
    arguments = ["ingest", str(report), "--out", str(out), "--no-corrections"]
    command = subprocess.Popen(
        [sys.executable, "-m", "barnet_tui", *arguments],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    child = _child_of(command.pid)
    while child is None and command.poll() is None:
        time.sleep(0.01)  # not a timing assertion: waiting for the child to exist
        child = _child_of(command.pid)
    assert child is not None, command.communicate()
    return out, before, command, child


@pytest.mark.parametrize(
    ("signal_number", "says"),
    [
        (
            signal.SIGABRT,
            "the ingest stopped (SIGABRT) reading the reports; the dataset is as it was",
        ),
        (
            signal.SIGKILL,
            "out of memory reading the reports (is a memory limit set, as by "
            "ulimit -v?); the dataset is as it was",
        ),
    ],
)
def test_an_ingest_killed_by_a_signal_is_one_line_and_the_dataset_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], signal_number: int, says: str
) -> None:
    out, before, command, child = _reading_a_long_report(tmp_path, capsys)
    os.kill(child, signal_number)
    stdout, stderr = command.communicate()
    assert (command.returncode, stdout) == (2, "")
    assert stderr == f"barnet-tui ingest: error: {says}\n"
    assert snapshot(out) == before


def test_an_ingest_fits_a_modest_address_space_limit(tmp_path: Path) -> None:
    """Under ``ulimit -v`` it is address space that runs out, not memory used: glibc's arena
    per allocating thread (64 MB apiece) once took 1 GB of it for a report read in 95 MB.
    The command's child keeps to two arenas, so a small report fits 700 MB."""
    limit = 700 << 20

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    env = {name: value for name, value in os.environ.items() if name != "MALLOC_ARENA_MAX"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "barnet_tui",
            "ingest",
            str(EXCERPT),
            "--out",
            str(tmp_path / "out"),
            "--no-corrections",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        preexec_fn=limited,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "manifest.json").is_file()


def _gone(pid: int) -> bool:
    """Whether process ``pid`` has ended (a zombie no one has reaped yet counts as ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def test_a_kill_9_of_the_command_ends_its_ingest_and_keeps_the_dataset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``kill -9`` of ``barnet-tui ingest`` leaves no ingest running on, to switch the
    manifest later over whatever is there then."""
    out, before, command, child = _reading_a_long_report(tmp_path, capsys)
    command.kill()
    command.communicate()
    try:
        deadline = time.monotonic() + 30  # generous: the child is killed by the kernel at once
        while not _gone(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _gone(child), "the ingest ran on after its command was killed"
    finally:
        if not _gone(child):
            os.kill(child, signal.SIGKILL)
    assert snapshot(out) == before


def _report_with_a_long_comment(path: Path, length: int) -> None:
    """Five rows, the second's comment one word of ``length`` characters: each warning that
    quotes it would be a line that long."""
    header = "Ref\tIndicator\tPolarity\tTarget\tResult\tRAG\tDirection of travel\tComment\n"
    rows = "".join(
        f"FS/S{i}\tIndicator {i}\tBigger is Better\t10\t{i}\tR\tWorsening\t"
        f"{'x' * length if i == 1 else f'and more {i}'}\n"
        for i in range(5)
    )
    path.write_text(f"# Family Services – Q4 2016/17\n\n{header}{rows}", encoding="utf-8")


def test_a_warning_quotes_a_few_words_of_a_megabyte_cell_and_the_summary_is_said(
    tmp_path: Path,
) -> None:
    report = tmp_path / "long-comment.txt"
    _report_with_a_long_comment(report, 1_000_000)
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "barnet_tui", "ingest", str(report), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr[:2000]
    lines = done.stderr.splitlines()
    assert max(len(line) for line in lines) < 1000
    assert "FS/S1: comment of 1,000,000 characters" in done.stderr
    assert lines[-1].startswith("ingested 1 reports into ")


def test_the_ingest_s_messages_are_relayed_in_whole_lines_with_the_summary_last(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past what the command keeps of its child's messages, it leaves out whole lines from
    the middle, and says so: never half a line, never the summary."""
    monkeypatch.setattr(supervised, "KEPT", 300)
    monkeypatch.setattr(supervised, "TAIL_KEPT", 250)
    report = tmp_path / "long-comment.txt"
    _report_with_a_long_comment(report, 20_000)
    out = tmp_path / "out"
    assert supervised.run_supervised(["ingest", str(report), "--out", str(out)]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert all(line.startswith(("warning: ", "ingested ")) for line in lines), lines
    assert any(" bytes of the ingest's messages left out" in line for line in lines)
    assert lines[-1].startswith("ingested 1 reports into ")
