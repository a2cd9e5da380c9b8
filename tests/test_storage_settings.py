"""Where a dataset is and how its store is reached: URLs are never folders, settings come from
the environment, then [storage], then the AWS profile, and no secret is ever shown."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from barnet_tui.cli.serve import explorer_command
from barnet_tui.config import ConfigError, load_config
from barnet_tui.domain.storage.location import LocationError, S3Location, locate, s3_settings
from tests.conftest import DATA, REPO

SECRET = "wJalrXUtnFEMI-K7MDENG-secret"


def settings(environ: dict[str, str], storage: dict[str, object] | None = None) -> object:
    return s3_settings(storage or {}, environ)


def test_an_s3_url_is_a_bucket_and_a_prefix(tmp_path: Path) -> None:
    location = locate("s3://council-data/barnet/performance/", tmp_path, {}, {})
    assert isinstance(location, S3Location)
    assert (location.bucket, location.prefix) == ("council-data", "barnet/performance")
    assert str(location) == "s3://council-data/barnet/performance"
    assert location.url("manifest.json") == "s3://council-data/barnet/performance/manifest.json"
    assert locate("data", tmp_path, {}, {}) == tmp_path / "data"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("gs://bucket/data", "gs:// is not supported"),
        ("az://container/data", "az:// is not supported"),
        ("http://example.org/data", "http:// is not supported"),
        ("S3:/barnet/data", "not an S3 URL"),
        ("s3://Bad_Bucket/data", "not a bucket name"),
        ("s3://barnet/a//b", "plain names"),
        ("s3://barnet/a/../b", "plain names"),
        ("s3://barnet/a\x1b[2Jb", "plain names"),
    ],
)
def test_other_urls_are_refused_in_one_line(text: str, says: str, tmp_path: Path) -> None:
    with pytest.raises(LocationError, match=says.replace("/", ".")) as refused:
        locate(text, tmp_path, {}, {})
    assert "\n" not in str(refused.value) and "\x1b" not in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_credentials_in_a_url_are_refused_and_never_shown(tmp_path: Path) -> None:
    for text in (f"s3://AKIA:{SECRET}@barnet/data", f"http://user:{SECRET}@example.org/x"):
        with pytest.raises(LocationError) as refused:
            locate(text, tmp_path, {}, {})
        assert SECRET not in str(refused.value)


def test_the_environment_wins_then_storage_then_the_profile(tmp_path: Path) -> None:
    (tmp_path / "config").write_text(
        "[profile council]\nregion = eu-west-2\nendpoint_url = https://profile.example\n",
        encoding="utf-8",
    )
    (tmp_path / "credentials").write_text(
        f"[council]\naws_access_key_id = PROFILEKEY\naws_secret_access_key = {SECRET}\n",
        encoding="utf-8",
    )
    files = {
        "AWS_CONFIG_FILE": str(tmp_path / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
    }
    chosen = s3_settings({"profile": "council"}, files)
    assert (chosen.endpoint_url, chosen.region, chosen.access_key_id) == (
        "https://profile.example", "eu-west-2", "PROFILEKEY",
    )  # fmt: skip
    chosen = s3_settings(
        {"profile": "council", "endpoint_url": "https://table.example", "access_key_id": "TABLEKEY",
         "secret_access_key": "s"},
        files,
    )  # fmt: skip
    assert (chosen.endpoint_url, chosen.access_key_id) == ("https://table.example", "TABLEKEY")
    environment = {
        **files, "AWS_ENDPOINT_URL": "http://127.0.0.1:9000", "AWS_REGION": "eu-north-1",
        "AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "e", "AWS_PROFILE": "council",
    }  # fmt: skip
    chosen = s3_settings({"endpoint_url": "https://table.example"}, environment)
    assert (chosen.endpoint_url, chosen.region, chosen.access_key_id) == (
        "http://127.0.0.1:9000", "eu-north-1", "ENVKEY",
    )  # fmt: skip
    assert chosen.polars_options()["aws_allow_http"] == "true"


def test_a_secret_is_never_in_a_repr_or_a_message(tmp_path: Path) -> None:
    chosen = s3_settings({}, {"AWS_ACCESS_KEY_ID": "KEY", "AWS_SECRET_ACCESS_KEY": SECRET})
    location = S3Location("barnet", "data", chosen)
    assert SECRET not in repr(chosen) and SECRET not in repr(location)
    assert SECRET not in str(location)
    with pytest.raises(LocationError) as incomplete:
        s3_settings({"access_key_id": "KEY"}, {})
    assert "no secret_access_key" in str(incomplete.value)


@pytest.mark.parametrize(
    ("storage", "environ", "says"),
    [
        ({"profile": "nobody"}, {}, "AWS profile 'nobody' is in neither"),
        ({}, {"AWS_ENDPOINT_URL": "ftp://example.org"}, "not an http:// or https:// URL"),
        ({}, {"AWS_ENDPOINT_URL": "http://host\x1b]0;x\x07"}, "not an http:// or https:// URL"),
        ({"timeout": 0}, {}, "storage.timeout must be from 0.5 to 3600 seconds, not 0"),
    ],
)
def test_bad_settings_are_one_line(
    storage: dict[str, object], environ: dict[str, str], says: str, tmp_path: Path
) -> None:
    files = {
        "AWS_CONFIG_FILE": str(tmp_path / "c"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "k"),
    }
    with pytest.raises(LocationError, match=says) as refused:
        s3_settings(storage, {**files, **environ})
    assert "\n" not in str(refused.value) and "\x1b" not in str(refused.value)


def test_a_profile_with_a_role_is_refused_with_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "config").write_text(
        "[profile admin]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\n",
        encoding="utf-8",
    )
    with pytest.raises(LocationError, match="export-credentials"):
        s3_settings({"profile": "admin"}, {"AWS_CONFIG_FILE": str(tmp_path / "config")})


def test_data_dir_may_be_a_url_and_storage_is_checked_like_every_table(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[data]\ndir = "s3://barnet/data"\n[storage]\nendpoint_url = "http://127.0.0.1:1"\n',
        encoding="utf-8",
    )
    loaded = load_config(config, cwd=tmp_path)
    assert isinstance(loaded.data_dir, S3Location)
    assert loaded.data_dir.settings.endpoint_url == "http://127.0.0.1:1"
    config.write_text("[storage]\ntimeout = true\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"storage.timeout must be seconds, a number"):
        load_config(config, cwd=tmp_path)
    config.write_text('[data]\ndir = "gs://barnet/data"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"data.dir: gs://barnet/data: gs:// is not supported"):
        load_config(config, cwd=tmp_path)


def test_serve_hands_the_url_to_each_browser_tab_unchanged() -> None:
    command = explorer_command("s3://barnet/data", None)
    assert command.endswith("--data s3://barnet/data")


def test_the_quick_check_on_a_folder_never_loads_the_s3_client() -> None:
    script = (
        "import sys\nfrom barnet_tui.cli.main import main\n"
        f"code = main(['--below-target', '--data', {str(DATA)!r}])\n"
        "assert 'obstore' not in sys.modules, 'obstore imported'\nsys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
