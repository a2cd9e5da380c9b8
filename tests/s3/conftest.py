"""A real S3-compatible server for the object-storage tests: SeaweedFS, started once per
session of these tests (``seaweed.py``) and stopped when the last of them ends, not left
running under the rest of the suite."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.s3.seaweed import NotStarted, S3Server, seaweedfs, standard_environment


@pytest.fixture(scope="package")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    try:
        with seaweedfs(tmp_path_factory.mktemp("seaweedfs")) as server:
            yield server
    except NotStarted as error:
        pytest.fail(str(error))


@pytest.fixture
def s3(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> S3Server:
    """The server, reached the standard way: the AWS variables, as the writer; no AWS files
    of the machine's."""
    environment = dict(os.environ)
    standard_environment(s3_server, environment)
    for name in os.environ:
        if name.startswith("AWS_") and name not in environment:
            monkeypatch.delenv(name)
    for name, value in environment.items():
        if name.startswith("AWS_"):
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    return s3_server
