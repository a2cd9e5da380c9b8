"""A config.toml that happens to be in the working directory is said, never trusted with
credentials; the numbers of ``[storage]`` are checked for range when a file is read."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from barnet_tui.config import ConfigError, load_config
from barnet_tui.domain.storage.location import S3Location
from tests.conftest import REPO, REPORTS

KEY_ID = "AKIAUSERSOWNKEY00001"


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A port that anyone the command sends a request to would reach (it never answers)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.setblocking(False)
    yield server
    server.close()


def _connections(server: socket.socket) -> int:
    """How many connections reached ``server`` (all queued by now: the command has ended)."""
    count = 0
    while True:
        try:
            connection, _address = server.accept()
        except BlockingIOError:
            return count
        connection.close()
        count += 1


def _run(args: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "AWS_ACCESS_KEY_ID": KEY_ID,
        "AWS_SECRET_ACCESS_KEY": "users-own-secret",
        "PYTHONPATH": str(REPO),
    }
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_PROFILE", "BARNET_TUI_CONFIG"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "barnet_tui", *args],
        capture_output=True, text=True, cwd=cwd, env=env, check=False, timeout=120,
    )  # fmt: skip


def _own_and_downloaded(tmp_path: Path, port: int) -> tuple[Path, Path]:
    """The user's own config (a store that refuses connections at once) and a downloads
    folder whose config.toml points the store at ``port``."""
    home = tmp_path / "home"
    own = home / ".config" / "barnet-tui" / "config.toml"
    own.parent.mkdir(parents=True)
    own.write_text(
        '[storage]\nendpoint_url = "http://127.0.0.1:1"\nretries = 0\n', encoding="utf-8"
    )
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    (downloads / "config.toml").write_text(
        '[data]\ndir = "s3://barnet/data"\n'
        f'[storage]\nendpoint_url = "http://127.0.0.1:{port}"\nregion = "eu-west-2"\n'
        "timeout = 1\nconnect_timeout = 1\n",
        encoding="utf-8",
    )
    return home, downloads


@pytest.mark.parametrize(
    "args",
    [["--below-target"], ["changes"], ["ingest", "report.txt", "--out", "s3://barnet/data"]],
    ids=" ".join,
)
def test_a_working_directory_config_never_sends_credentials_elsewhere(
    tmp_path: Path, listener: socket.socket, args: list[str]
) -> None:
    home, downloads = _own_and_downloaded(tmp_path, listener.getsockname()[1])
    shutil.copy(REPORTS / "service-performance-eoy-2016-17.txt", downloads / "report.txt")
    done = _run(args, downloads, home)
    assert _connections(listener) == 0  # nothing, signed or not, went to its endpoint
    assert done.returncode == 2
    notices = [line for line in done.stderr.splitlines() if "working directory" in line]
    assert len(notices) == 1, done.stderr
    assert "endpoint_url, region ignored" in notices[0]
    assert "Traceback" not in done.stderr and KEY_ID not in done.stderr
    assert "cannot connect to http://127.0.0.1:1" in done.stderr  # the user's own store


def test_the_same_file_named_with_config_is_trusted(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    config = folder / "config.toml"
    config.write_text(
        '[data]\ndir = "s3://barnet/data"\n[storage]\nendpoint_url = "http://127.0.0.1:9"\n',
        encoding="utf-8",
    )
    downloaded = load_config(cwd=folder)
    assert isinstance(downloaded.data_dir, S3Location)
    assert downloaded.data_dir.settings.endpoint_url is None
    assert any("[storage] endpoint_url ignored" in notice for notice in downloaded.notices)
    named = load_config(config, cwd=folder)
    assert isinstance(named.data_dir, S3Location)
    assert named.data_dir.settings.endpoint_url == "http://127.0.0.1:9"


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("timeout = inf", "storage.timeout must be from 0.5 to 3600 seconds, not inf"),
        ("timeout = nan", "storage.timeout must be from 0.5 to 3600 seconds, not nan"),
        ("timeout = 1e-7", "storage.timeout must be from 0.5 to 3600 seconds, not 1e-07"),
        ("connect_timeout = -inf", "storage.connect_timeout must be from 0.5 to 600 seconds"),
        ("retries = 100000000", "storage.retries must be from 0 to 10, not 100000000"),
        ("grace_minutes = 1e300", "storage.grace_minutes must be from 0 to 10080 minutes"),
    ],
)
def test_storage_numbers_out_of_range_are_named_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, says: str
) -> None:
    """Checked when the file is read, whether or not the dataset is in a store."""
    config = tmp_path / "mine.toml"
    config.write_text(f"[storage]\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_config(config, cwd=tmp_path)
    assert str(refused.value).startswith(f"{config}: {says}")
    from barnet_tui.cli.main import main

    assert main(["--below-target", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err


def test_a_region_that_could_change_the_host_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "mine.toml"
    config.write_text(
        '[data]\ndir = "s3://barnet/data"\n[storage]\nregion = "x.evil.example/?"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="is not a region name"):
        load_config(config, cwd=tmp_path)
