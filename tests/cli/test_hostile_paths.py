"""Paths that cannot be followed and files that are not files: one line and exit 2 from every
command, never a traceback, never exit 1 (which --fail-if-any keeps for "found something"),
never a read that lasts until memory runs out."""

from __future__ import annotations

import io
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from barnet_tui.cli.main import main
from barnet_tui.ingest.writers import folder as output
from tests.conftest import DATA, REPORTS

FAMILY = REPORTS / "family-services-q4-2015-16.txt"
READERS = [
    ["--below-target"],
    [],  # the explorer: the path is refused before it asks for a terminal
    ["changes"],
    ["audit"],
    ["serve", "--port", "1"],  # refused before it listens
]
DATASET_READERS = [command for command in READERS if command]
"""The explorer reads its dataset once it has a terminal (and shows the same line)."""


def one_line(capsys: pytest.CaptureFixture[str], args: list[str]) -> str:
    """stderr of ``barnet-tui ARGS``, which must exit 2 with one line."""
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.fixture
def loop(tmp_path: Path) -> Path:
    link = tmp_path / "loop"
    link.symlink_to(link)
    return link


@pytest.mark.parametrize("command", READERS, ids=lambda args: args[0] if args else "explorer")
def test_data_at_a_symlink_loop(
    command: list[str], loop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = one_line(capsys, [*command, "--data", str(loop)])
    assert err.endswith(f"error: --data {loop}: a symbolic link loop\n")


@pytest.mark.parametrize("below", ["", "sub"])
def test_ingest_out_at_a_symlink_loop(
    below: str, loop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = loop / below if below else loop
    err = one_line(capsys, ["ingest", str(FAMILY), "--out", str(out)])
    assert err == f"barnet-tui ingest: error: --out {out}: a symbolic link loop\n"


@pytest.fixture
def open_tmp() -> Iterator[Path]:
    """A folder anyone can reach (pytest's own are private to their owner, so a user
    dropped to ``nobody`` would be stopped above the folder under test)."""
    folder = Path(tempfile.mkdtemp(prefix="barnet-tui-test-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    shutil.rmtree(folder)


def as_unprivileged(run: Callable[[], tuple[int, str]]) -> tuple[int, str]:
    """``run()`` as a user whom permission bits stop. Tests often run as root, which no
    permission bit stops: then a forked child drops to ``nobody`` and runs it there (every
    module it needs already imported: nobody may not read the interpreter's own files)."""
    if os.geteuid() != 0:
        return run()
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            sys.stderr = io.StringIO()
            code, err = run()
            result = json.dumps([code, err])
        except BaseException as error:  # any failure is the test's to see
            result = json.dumps([-1, repr(error)])
        os.write(writing, result.encode())
        os._exit(0)
    os.close(writing)
    with os.fdopen(reading, "rb") as pipe:
        ready, _, _ = select.select([pipe], [], [], 60)  # a child stuck never hangs the suite
        if not ready:
            os.kill(child, signal.SIGKILL)
        result = json.loads(pipe.read() or b'[-1, "no answer in 60 seconds"]')
    os.waitpid(child, 0)
    return result[0], result[1]


def ingest_unprivileged(out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``barnet-tui ingest FAMILY --out OUT`` as a user permission bits stop: exit status
    and stderr."""
    # Imported before privileges are dropped: nobody cannot read the interpreter's files.
    import barnet_tui.cli.ingest
    import barnet_tui.ingest.pipeline

    assert callable(barnet_tui.cli.ingest.run) and callable(barnet_tui.ingest.pipeline.ingest)

    def run() -> tuple[int, str]:
        code = main(["ingest", str(FAMILY), "--out", str(out), "--no-corrections"])
        err = sys.stderr.getvalue() if isinstance(sys.stderr, io.StringIO) else ""
        return code, err or capsys.readouterr().err

    return as_unprivileged(run)


@pytest.mark.parametrize("mode", [0o000, 0o333], ids=["no-access", "not-listable"])
def test_ingest_out_in_a_folder_the_user_cannot_read(
    mode: int, open_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = open_tmp / "locked"
    (locked / "inner").mkdir(parents=True)
    locked.chmod(mode)
    out = locked / "inner" / "out" if mode == 0 else locked  # its folder; or it, unlistable
    try:
        code, err = ingest_unprivileged(out, capsys)
    finally:
        locked.chmod(0o755)
    assert code == 2, err
    assert err.count("\n") == 1, err
    assert err.startswith(f"barnet-tui ingest: error: --out {out}: ")
    assert err.endswith(": cannot be read (permission denied)\n"), err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[data]\ndir = "a\\u0000b"\n', "data.dir: the path contains a NUL byte"),
        ("[data]\ndir = " + "[" * 100_000 + "]" * 100_000 + "\n", "invalid TOML: nested too deep"),
        ('[data]\ndir = "' + "x" * 5000 + '"\n', "file name too long"),
    ],
    ids=["nul", "deep", "long"],
)
def test_config_values_no_filesystem_takes(
    content: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(content, encoding="utf-8")
    for command in DATASET_READERS if message == "file name too long" else READERS:
        assert message in one_line(capsys, [*command, "--config", str(config)])


def installed(*args: str) -> tuple[int, str]:
    """``barnet-tui ARGS`` in its own process, as a user runs it: exit status and stderr. A
    read that never ends (a FIFO nobody writes) fails the test instead of hanging it."""
    command = [sys.executable, "-m", "barnet_tui", *args]
    run = subprocess.run(
        command, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    return run.returncode, run.stderr


def test_config_that_is_not_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert installed("--below-target", "--config", str(fifo)) == (
        2,
        f"barnet-tui: error: {fifo}: is a FIFO (named pipe), not a config file\n",
    )
    refused = {
        "/dev/zero": "/dev/zero: is a character device, not a config file",
        str(tmp_path): f"{tmp_path}: is a directory, not a config file",
    }
    for path, message in refused.items():
        for command in READERS:
            assert one_line(capsys, [*command, "--config", path]).endswith(f"{message}\n")


def test_a_config_larger_than_any_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "config.toml"
    big.write_text("# padding\n" * 110_000, encoding="utf-8")  # 1.1 MB of comments
    err = one_line(capsys, ["--below-target", "--config", str(big)])
    assert err.endswith(f"{big}: is larger than any config (1 MB at most); not read\n")


def test_ingest_of_what_is_not_a_report_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    assert installed("ingest", str(fifo), "--out", str(tmp_path / "out")) == (
        2,
        f"barnet-tui ingest: error: {fifo}: is a FIFO (named pipe), not a report file\n",
    )
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as file:
        file.truncate(201_000_000)  # sparse: no disk used
    refused = {
        "/dev/zero": "/dev/zero: is a character device, not a report file",
        str(huge): f"{huge}: is larger than any report (200 MB at most); not read",
    }
    out = tmp_path / "out"
    for path, message in refused.items():
        err = one_line(capsys, ["ingest", path, "--out", str(out)])
        assert err == f"barnet-tui ingest: error: {message}\n"
    assert not out.exists()


def test_corrections_that_are_not_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = one_line(
        capsys, ["ingest", str(FAMILY), "--out", str(tmp_path), "--corrections", "/dev/zero"]
    )
    assert err.endswith("/dev/zero: is a character device, not a corrections file\n")


# The manifest ------------------------------------------------------------------------------


def _dataset(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns(".*"))
    return data


@pytest.mark.parametrize(
    ("manifest", "why"),
    [
        (b'{"format": "barnet-tui-dataset/2", "generation": ', "not JSON: Expecting value"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "not UTF-8 text, byte offset 0"),
        (b'["gen-0123456789ab"]', "it holds a JSON list, not an object"),
        (b"[" * 100_000, "not JSON: nested too deeply"),
    ],
    ids=["cut-short", "binary", "list", "deep"],
)
def test_a_manifest_that_cannot_be_read_says_so_and_what_to_run(
    manifest: bytes, why: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _dataset(tmp_path)
    (data / "manifest.json").write_bytes(manifest)
    for command in DATASET_READERS:
        err = one_line(capsys, [*command, "--data", str(data)])
        assert f"dataset {data}: manifest.json cannot be read ({why}" in err
        assert err.endswith(
            f"; write the dataset again with: barnet-tui ingest REPORT... --out {data}\n"
        )
        assert "indicators.parquet" not in err


def test_a_manifest_naming_a_generation_not_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _dataset(tmp_path)
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    manifest["generation"] = "gen-000000000000"
    (data / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    err = one_line(capsys, ["--below-target", "--data", str(data)])
    assert "manifest.json names gen-000000000000/, which is not there" in err
    assert f"barnet-tui ingest REPORT... --out {data}\n" in err


def test_ingest_rewrites_its_own_dataset_whose_manifest_cannot_be_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the message says to run works: ingest knows the folder by its journal."""
    out = tmp_path / "out"
    assert main(["ingest", str(FAMILY), "--out", str(out), "--no-corrections"]) == 0
    (out / "manifest.json").write_bytes(b"\x00\x01 garbage")
    capsys.readouterr()
    assert main(["ingest", str(FAMILY), "--out", str(out), "--no-corrections"]) == 0
    assert "manifest.json cannot be read (not JSON: Expecting value" in capsys.readouterr().err
    assert main(["--below-target", "--data", str(out), "--format", "csv"]) == 0
    # Without ingest's journal it may be anyone's manifest.json: refused, untouched.
    (out / output.LOCK_NAME).unlink()
    (out / "manifest.json").write_bytes(b"\x00\x01 garbage")
    assert main(["ingest", str(FAMILY), "--out", str(out), "--no-corrections"]) == 2
    assert (out / "manifest.json").read_bytes() == b"\x00\x01 garbage"


# What a tired user types ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["--below-target"], ["--actions"], ["--risks"], []],
    ids=["below-target", "actions", "risks", "explorer"],
)
def test_an_empty_period_is_a_mistake_not_the_default(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    err = one_line(capsys, [*args, "--period", "", "--data", str(DATA)])
    assert "''" in err


def test_a_file_given_as_the_dataset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    afile = tmp_path / "notes.txt"
    afile.write_text("x\n")
    for command in DATASET_READERS:
        err = one_line(capsys, [*command, "--data", str(afile)])
        assert err.endswith(f"dataset {afile}: is not a directory\n")


def _file_size_limit(limit: int) -> Callable[[], None]:
    def limited() -> None:
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past it fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limited


@pytest.mark.parametrize("limit", [4_000, 24_000])
def test_a_disk_that_fills_up_leaves_the_dataset_as_it_was(
    limit: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A full disk, as a limit on file size: Polars' own error (the Parquet writer) or an
    OSError (the CSV), either way one line, and the dataset before it still whole."""
    out = tmp_path / "out"
    assert main(["ingest", str(FAMILY), "--out", str(out), "--no-corrections"]) == 0
    before = sorted(path.name for path in out.iterdir())
    year_end = REPORTS / "service-performance-eoy-2016-17.txt"
    done = subprocess.run(
        [sys.executable, "-m", "barnet_tui", "ingest", str(year_end), "--out", str(out),
         "--no-corrections"],
        capture_output=True, text=True, timeout=120, check=False,
        preexec_fn=_file_size_limit(limit),
    )  # fmt: skip
    assert (done.returncode, done.stderr.count("\n")) == (2, 1), done.stderr
    assert done.stderr.startswith(f"barnet-tui ingest: error: --out {out}: cannot write the")
    assert done.stderr.endswith("; the dataset there is as it was\n")
    assert sorted(path.name for path in out.iterdir()) == before
    capsys.readouterr()
    assert main(["--below-target", "--data", str(out), "--format", "csv"]) == 0


def test_a_read_only_dataset_is_one_line_and_left_whole(
    open_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = open_tmp / "out"
    assert main(["ingest", str(FAMILY), "--out", str(out), "--no-corrections"]) == 0
    capsys.readouterr()
    before = sorted(path.name for path in out.iterdir())
    out.chmod(0o555)
    try:
        code, err = ingest_unprivileged(out, capsys)
    finally:
        out.chmod(0o755)
    assert (code, err) == (
        2,
        f"barnet-tui ingest: error: --out {out}: cannot write there (permission denied)\n",
    )
    assert sorted(path.name for path in out.iterdir()) == before


def test_an_unforeseen_os_error_is_still_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whatever the filesystem says where no check foresaw it: one line, exit 2 (not 1)."""
    from barnet_tui.cli import quickcheck

    def refused(*args: object, **options: object) -> None:
        raise PermissionError(13, "Permission denied", "/srv/barnet/data/gen-x/indicators.parquet")

    monkeypatch.setattr(quickcheck, "below_target_list", refused)
    err = one_line(capsys, ["--below-target", "--fail-if-any", "--data", str(DATA)])
    assert err == (
        "barnet-tui: error: /srv/barnet/data/gen-x/indicators.parquet: permission denied\n"
    )
