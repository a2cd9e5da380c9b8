"""Where a dataset lives: a local folder, or an S3-compatible object store (``s3://``).

A location is parsed once, from ``--data``, ``--out`` or ``data.dir``, and a URL is never
taken for a local path: ``s3://bucket/prefix`` is a store, any other ``scheme://`` is refused
in one line (``ingest --out s3://barnet/data`` once made a local folder named ``s3:``).

The store's settings come from where the AWS tools keep them, so one set of credentials
serves the ``aws`` command, Polars and barnet-tui alike. For each setting the first source
that has it wins: the environment (``AWS_ENDPOINT_URL``, ``AWS_REGION``,
``AWS_ACCESS_KEY_ID``...), then the ``[storage]`` table of config.toml, then the profile
(``AWS_PROFILE`` or ``storage.profile``) in ``~/.aws/credentials`` and ``~/.aws/config``.
Credentials are taken whole from one source (a key id never pairs with another source's
secret). Secrets are never in a ``repr`` or a message. Stdlib only (and the one border
where text is made inert): the object-store client is imported where a store is first
used (``domain/storage/remote.py``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from barnet_tui.domain.literal_text import SHOWN_INSTEAD, literal
from barnet_tui.domain.storage.files import FileRefused, resolved

SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):/")
"""A URL, or what is meant as one (``s3:/x`` is a mistyped URL, never a folder ``s3:``)."""
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\\?#]")

DEFAULT_TIMEOUT = 30.0
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_RETRIES = 2
DEFAULT_GRACE_MINUTES = 60.0
"""How long a generation stays after the manifest stops naming it (docs/dataset.md)."""

STORAGE_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "endpoint_url": ((str,), "a URL like 'https://s3.example.org'"),
    "region": ((str,), "a region name like 'eu-west-2'"),
    "profile": ((str,), "a profile name in ~/.aws/config"),
    "access_key_id": ((str,), "an access key id"),
    "secret_access_key": ((str,), "a secret access key"),
    "session_token": ((str,), "a session token"),
    "timeout": ((int, float), "seconds, a number"),
    "connect_timeout": ((int, float), "seconds, a number"),
    "retries": ((int,), "a whole number"),
    "grace_minutes": ((int, float), "minutes, a number"),
}
"""The ``[storage]`` table of config.toml: key -> (types, what is expected)."""

STORAGE_RANGES: dict[str, tuple[float, float, str]] = {
    "timeout": (0.5, 3600.0, "seconds"),
    "connect_timeout": (0.5, 600.0, "seconds"),
    "retries": (0, 10, ""),
    "grace_minutes": (0.0, 10080.0, "minutes"),
}
"""The numbers of ``[storage]``: (least, most, unit). A timeout under half a second fails
every request, one over an hour looks like a hang; ten retries of a dead endpoint are
already minutes of waiting; a replaced generation kept over a week is litter (README)."""
CREDENTIAL_ROUTES = ("endpoint_url", "region", "profile", "access_key_id", "secret_access_key",
                     "session_token")  # fmt: skip
"""The ``[storage]`` keys that choose where the user's credentials are sent, or which: never
taken from a config.toml that only happens to be in the working directory."""
_REGION = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
"""A region name: nothing that could end the host name it goes into
(``s3.REGION.amazonaws.com``)."""


def storage_number_problem(key: str, value: object) -> str | None:
    """Why ``value`` cannot be ``storage.KEY``, a number of ``STORAGE_RANGES``; else None."""
    import math

    if key not in STORAGE_RANGES or not isinstance(value, int | float) or isinstance(value, bool):
        return None  # not a number of [storage]: its type is checked where the file is read
    least, most, unit = STORAGE_RANGES[key]
    if not math.isfinite(value) or not least <= value <= most:
        shown = f"{least:g} to {most:g}" + (f" {unit}" if unit else "")
        return f"storage.{key} must be from {shown}, not {value}"
    return None


_ENVIRONMENT = {
    "endpoint_url": ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"),
    "region": ("AWS_REGION", "AWS_DEFAULT_REGION"),
    "profile": ("AWS_PROFILE",),
}
_NUMBERS = {
    "timeout": DEFAULT_TIMEOUT,
    "connect_timeout": DEFAULT_CONNECT_TIMEOUT,
    "retries": DEFAULT_RETRIES,
    "grace_minutes": DEFAULT_GRACE_MINUTES,
}


class LocationError(Exception):
    """A location or storage setting that cannot be used; ``str()`` is the one line shown
    (it may name the URL, never a credential)."""


@dataclass(frozen=True)
class S3Settings:
    """How to reach the store. ``repr`` and ``str`` never show the secrets."""

    endpoint_url: str | None = None
    region: str = "us-east-1"
    access_key_id: str | None = field(default=None, repr=False)
    secret_access_key: str | None = field(default=None, repr=False)
    session_token: str | None = field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    grace_minutes: float = DEFAULT_GRACE_MINUTES

    def polars_options(self) -> dict[str, Any]:
        """``storage_options`` for Polars' cloud scanning: the same store, the same limits."""
        options: dict[str, Any] = {
            "aws_region": self.region,
            "timeout": f"{self.timeout}s",
            "connect_timeout": f"{self.connect_timeout}s",
            "max_retries": self.retries,
        }
        if self.endpoint_url:
            options["aws_endpoint_url"] = self.endpoint_url
            options["aws_allow_http"] = str(self.endpoint_url.startswith("http://")).lower()
        if self.access_key_id and self.secret_access_key:
            options["aws_access_key_id"] = self.access_key_id
            options["aws_secret_access_key"] = self.secret_access_key
            if self.session_token:
                options["aws_session_token"] = self.session_token
        return options


@dataclass(frozen=True)
class S3Location:
    """A dataset (or a file of one) in a bucket: ``str()`` is its URL, what messages name."""

    bucket: str
    prefix: str
    """Keys under it, without a trailing ``/``; empty for the bucket's top."""
    settings: S3Settings = field(default_factory=S3Settings)

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"

    def key(self, name: str) -> str:
        """The object key of ``name`` (``gen-…/indicators.parquet``) under the prefix."""
        return f"{self.prefix}/{name}" if self.prefix else name

    def url(self, name: str) -> str:
        return f"s3://{self.bucket}/{self.key(name)}"


Location = Path | S3Location
"""Where a dataset is: a folder, or a prefix of a bucket."""


def shown_url(text: str) -> str:
    """A URL as it may be shown: without the ``user:password@`` some put in one, and inert
    on a terminal."""
    return literal(re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", r"\1", text))


def is_url(text: str) -> bool:
    return SCHEME.match(text) is not None


def locate(
    text: str,
    base: Path,
    storage: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Location:
    """The location ``text`` names: an ``s3://`` URL with the settings that reach it, or a
    folder (relative to ``base``). LocationError for any other URL or a malformed one."""
    match = SCHEME.match(text)
    if match is None:
        return _folder(text, base)
    if match[1].lower() != "s3":
        raise LocationError(
            f"{shown_url(text)}: {match[1]}:// is not supported; the dataset is a local "
            "folder or an s3:// URL (any S3-compatible store)"
        )
    return S3Location(*_bucket_and_prefix(text), s3_settings(storage or {}, environ))


def _folder(text: str, base: Path) -> Path:
    """A folder the user named, relative to ``base``, ``~`` expanded and links followed;
    LocationError for a path no filesystem takes (a NUL byte, a name too long, a loop)."""
    if "\0" in text:
        raise LocationError("the path contains a NUL byte")
    if not is_utf8(text):  # Parquet's writer and reader take a path only as UTF-8
        raise LocationError(
            "the path is not UTF-8 (its other bytes are shown as "
            f"{SHOWN_INSTEAD}); rename the folder or choose another"
        )
    try:
        written = Path(text).expanduser()
    except RuntimeError:  # "~user" with no such user, or no home directory at all
        raise LocationError("no home directory to expand '~' in") from None
    try:
        return resolved(base / written)
    except FileRefused as refused:
        raise LocationError(str(refused)) from None


def is_utf8(text: str) -> bool:
    """Whether ``text`` came from UTF-8 bytes: an argument that was not holds the lone
    surrogates Python keeps its other bytes as."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _bucket_and_prefix(text: str) -> tuple[str, str]:
    rest = text[len("s3:") :]
    shown = shown_url(text)
    if not rest.startswith("//"):
        raise LocationError(f"{shown}: not an S3 URL; write s3://bucket/prefix")
    bucket, _, prefix = rest[2:].partition("/")
    if "@" in bucket:
        raise LocationError(
            f"{shown}: an s3:// URL carries no credentials; set them in the environment, "
            "a profile or [storage]"
        )
    if not _BUCKET.match(bucket):
        raise LocationError(f"{shown}: {bucket!r} is not a bucket name (3-63 of a-z 0-9 . -)")
    prefix = prefix.rstrip("/")
    if not is_utf8(prefix):
        raise LocationError(
            f"{shown}: the prefix is not UTF-8 (its other bytes are shown as {SHOWN_INSTEAD}); "
            "an object's key is UTF-8 text"
        )
    parts = prefix.split("/") if prefix else []
    if _UNSAFE.search(prefix) or any(part in ("", ".", "..") for part in parts):
        raise LocationError(f"{shown}: the prefix must be plain names separated by single '/'")
    return bucket, prefix


def s3_settings(storage: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> S3Settings:
    """The settings from the environment, ``[storage]`` and the AWS profile, in that order."""
    env = os.environ if environ is None else environ
    chosen: dict[str, Any] = {}
    for key, names in _ENVIRONMENT.items():
        value = next((env[name] for name in names if env.get(name)), None) or storage.get(key)
        if value:
            chosen[key] = value
    profile_name = chosen.pop("profile", None)
    profile = _profile(str(profile_name) if profile_name else "default", env, profile_name)
    credentials = _credentials(env, storage, profile, profile_name)
    endpoint = chosen.get("endpoint_url") or profile.get("endpoint_url")
    region = chosen.get("region") or profile.get("region") or "us-east-1"
    if endpoint and not re.match(r"^https?://[A-Za-z0-9.:\[\]-]+(/[!-~]*)?$", endpoint):
        raise LocationError(
            f"endpoint {shown_url(endpoint)!r} is not an http:// or https:// URL of a host"
        )
    if not _REGION.match(str(region)):
        raise LocationError(f"region {literal(repr(region))[:80]} is not a region name")
    numbers = {key: storage.get(key, default) for key, default in _NUMBERS.items()}
    for key, value in numbers.items():
        problem = storage_number_problem(key, value)
        if problem:
            raise LocationError(problem)
    return S3Settings(
        endpoint_url=endpoint.rstrip("/") if endpoint else None,
        region=region,
        access_key_id=credentials[0],
        secret_access_key=credentials[1],
        session_token=credentials[2],
        timeout=float(numbers["timeout"]),
        connect_timeout=float(numbers["connect_timeout"]),
        retries=int(numbers["retries"]),
        grace_minutes=float(numbers["grace_minutes"]),
    )


def _credentials(
    env: Mapping[str, str],
    storage: Mapping[str, Any],
    profile: Mapping[str, str],
    profile_name: object,
) -> tuple[str | None, str | None, str | None]:
    """Key id, secret and session token, all three from the first source with a key id."""
    sources = (
        (env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"),
         env.get("AWS_SESSION_TOKEN"), "AWS_SECRET_ACCESS_KEY is not set"),
        (storage.get("access_key_id"), storage.get("secret_access_key"),
         storage.get("session_token"), "[storage] has access_key_id but no secret_access_key"),
        (profile.get("aws_access_key_id"), profile.get("aws_secret_access_key"),
         profile.get("aws_session_token"), "the profile has a key id but no secret"),
    )  # fmt: skip
    for key_id, secret, token, missing in sources:
        if key_id:
            if not secret:
                raise LocationError(f"credentials incomplete: {missing}")
            return key_id, secret, token or None
    if profile_name and ({"role_arn", "sso_session", "sso_start_url"} & set(profile)):
        raise LocationError(
            f"AWS profile {str(profile_name)!r} gets its keys through a role or SSO, which "
            "barnet-tui does not do; export them (aws configure export-credentials)"
        )
    return None, None, None


def _profile(name: str, env: Mapping[str, str], named: object) -> dict[str, str]:
    """The profile's settings from the shared credentials and config files (the config's
    ``[profile NAME]``, the credentials' ``[NAME]``); LocationError for a profile that was
    asked for by name and is in neither."""
    home = Path(env.get("HOME") or "~").expanduser()
    files = (
        (Path(env.get("AWS_CONFIG_FILE") or home / ".aws" / "config"),
         "default" if name == "default" else f"profile {name}"),
        (Path(env.get("AWS_SHARED_CREDENTIALS_FILE") or home / ".aws" / "credentials"), name),
    )  # fmt: skip
    import configparser  # only for a store's profile: the quick check on files never needs it

    found: dict[str, str] = {}
    seen = False
    for path, section in files:
        parser = configparser.RawConfigParser()
        try:
            parser.read(path, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError) as error:
            raise LocationError(
                f"{path}: cannot read AWS settings ({type(error).__name__})"
            ) from None
        if parser.has_section(section):
            seen = True
            found.update({key: value.strip() for key, value in parser.items(section)})
    if named and not seen:
        raise LocationError(f"AWS profile {name!r} is in neither {files[0][0]} nor {files[1][0]}")
    return found


class RemoteFile(NamedTuple):
    """A table file of a generation in a store; ``is_file`` answers from the manifest's own
    list, so deciding what to read costs no request."""

    folder: RemoteFolder
    name: str

    def is_file(self) -> bool:
        return self.name in self.folder.files

    @property
    def url(self) -> str:
        return self.folder.location.url(self.folder.key(self.name))


class RemoteFolder(NamedTuple):
    """The objects of one generation (or, for a dataset with none, of the prefix itself)."""

    location: S3Location
    generation: str | None
    files: frozenset[str]

    def key(self, name: str) -> str:
        return f"{self.generation}/{name}" if self.generation else name

    def __truediv__(self, name: str) -> RemoteFile:
        return RemoteFile(self, name)

    def __str__(self) -> str:
        return self.location.url(self.generation) if self.generation else str(self.location)


TableFile = Path | RemoteFile
"""A table's file, in a folder or in a store."""
