"""What a store's manifest names and how a store answers are hostile: a generation that is
not one is named as such, a listed file outside the dataset is refused before any GET, and
an object-store failure is one line in words (never an XML body or a client's own error
text), whatever the store or the network did."""

from __future__ import annotations

import json
from pathlib import Path

import obstore
import pytest

from barnet_tui.domain.storage.location import S3Location, locate
from barnet_tui.domain.storage.remote import open_store
from tests.s3.misbehaving import CUT, HANG, misbehaving
from tests.s3.seaweed import S3Server
from tests.s3.test_object_storage import REPORTS, ingest, run, with_config


def _store(url: str) -> tuple[S3Location, obstore.store.S3Store]:
    location = locate(url, Path())
    assert isinstance(location, S3Location)
    return location, open_store(location)


def _manifest(url: str) -> dict[str, object]:
    location, store = _store(url)
    data = bytes(obstore.get(store, location.key("manifest.json")).bytes())
    manifest: dict[str, object] = json.loads(data)
    return manifest


def _put_manifest(url: str, manifest: dict[str, object]) -> None:
    location, store = _store(url)
    obstore.put(store, location.key("manifest.json"), json.dumps(manifest).encode())


def _one_line(capsys: pytest.CaptureFixture[str], url: str) -> str:
    code, out, err = run(capsys, "--below-target", "--data", url)
    assert (code, out) == (2, ""), err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert "<?xml" not in err and "object-store" not in err and "S3 error" not in err, err
    return err


@pytest.mark.parametrize(
    "named",
    ["../good/GEN", "..", "s3://other-bucket/GEN", 12345, "gen-\x1b]0;PWNED\x07\u202e"],
)
def test_a_generation_that_is_not_one_is_named(
    s3: S3Server, capsys: pytest.CaptureFixture[str], named: object
) -> None:
    url = s3.url()
    ingest(capsys, url, REPORTS[:1])
    manifest = _manifest(url)
    if isinstance(named, str):
        named = named.replace("GEN", str(manifest["generation"]))
    _put_manifest(url, {**manifest, "generation": named})
    err = _one_line(capsys, url)
    assert (
        f"manifest.json names {json.dumps(named)} as its generation, which is not a "
        "generation folder" in err
    ), err
    assert "\x1b" not in err and "\u202e" not in err


def test_a_listed_file_outside_the_dataset_is_refused_before_any_get(
    s3: S3Server, capsys: pytest.CaptureFixture[str]
) -> None:
    url = s3.url()
    ingest(capsys, url, REPORTS[:1])
    manifest = _manifest(url)
    files = manifest["files"]
    assert isinstance(files, list)
    _put_manifest(url, {**manifest, "files": ["../../other/secret.parquet", *files]})
    err = _one_line(capsys, url)
    assert (
        'manifest.json lists "../../other/secret.parquet" among its files, which is not a '
        "file of the dataset" in err
    ), err


def test_a_listed_file_the_store_does_not_have_is_named(
    s3: S3Server, capsys: pytest.CaptureFixture[str]
) -> None:
    """The manifest copied to a prefix without its generation's objects."""
    url, empty = s3.url(), s3.url()
    ingest(capsys, url, REPORTS[:1])
    _put_manifest(empty, _manifest(url))
    err = _one_line(capsys, empty)
    assert f"{empty}: indicators.parquet: is listed in manifest.json but not on the store" in err, (
        err
    )


@pytest.mark.parametrize(
    ("mode", "on", "says"),
    [
        (
            HANG,
            ".parquet",
            "indicators.parquet: cannot be read: no answer from {endpoint} within "
            "1s (storage.timeout)",
        ),
        (
            CUT,
            ".parquet",
            "indicators.parquet: cannot be read: the store cut the body of "
            "indicators.parquet short",
        ),
        (HANG, "manifest.json", "no answer from {endpoint} within 1s (storage.timeout)"),
        (CUT, "manifest.json", "the store cut the body of manifest.json short"),
    ],
)
def test_an_object_the_store_never_sends_or_cuts_short_is_one_line(
    s3: S3Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    mode: str,
    on: str,
    says: str,
) -> None:
    url = s3.url()
    ingest(capsys, url, REPORTS[:1])
    with_config(tmp_path, monkeypatch, "timeout = 1\nconnect_timeout = 1\nretries = 0")
    with misbehaving(s3.endpoint, mode, on) as endpoint:
        monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
        err = _one_line(capsys, url)
    assert err == f"barnet-tui: error: dataset {url}: {says.format(endpoint=endpoint)}\n"
