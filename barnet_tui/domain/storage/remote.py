"""Reading a dataset from an S3-compatible store: the manifest once per load, then every
table from the generation it names, scanned lazily by Polars (only the row groups a query
needs are fetched, by ranged GETs).

The client is obstore (the Python face of the Rust ``object_store`` crate, the one Polars
reads the cloud with): one configuration means the same thing to both, and it makes the
conditional PUTs the writer's pointer switch depends on. It is imported on first use, so
a quick check on a local folder never loads it.

There are no locks on a store. A generation the manifest stops naming stays for the grace
period (``ingest/writers/store.py``); a reader that outlives it finds its files gone, and the
reading code turns that into ``GenerationGone`` so the reader loads the dataset again.
"""

from __future__ import annotations

import json
import re
import threading
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import polars as pl

from barnet_tui.domain.contract import MANIFEST_NAME
from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.storage.generations import (
    MANIFEST_LIMIT,
    TOO_BIG,
    Generation,
    ManifestUnreadable,
    generation_name,
    manifest_from,
    not_a_generation,
    rewrite,
    unreadable,
)
from barnet_tui.domain.storage.location import (
    RemoteFile,
    RemoteFolder,
    S3Location,
    S3Settings,
    TableFile,
)

if TYPE_CHECKING:
    from obstore.store import S3Store


class StorageError(Exception):
    """The store cannot be reached or used; ``str()`` is one line naming the URL (never a
    credential)."""


def open_store(location: S3Location) -> S3Store:
    """The client for ``location``'s bucket, with its settings' short limits."""
    return _store(location.bucket, location.settings)


@lru_cache(maxsize=8)
def _store(bucket: str, settings: S3Settings) -> S3Store:
    from obstore.store import S3Store

    backoff = timedelta(seconds=min(0.2, settings.timeout))
    config: dict[str, Any] = {"region": settings.region}
    if settings.endpoint_url:
        config["endpoint"] = settings.endpoint_url
    if settings.access_key_id and settings.secret_access_key:
        config["access_key_id"] = settings.access_key_id
        config["secret_access_key"] = settings.secret_access_key
        if settings.session_token:
            config["session_token"] = settings.session_token
    return S3Store(
        bucket,
        config=cast(Any, config),
        client_options={
            "allow_http": bool(settings.endpoint_url and settings.endpoint_url.startswith("http:")),
            "timeout": f"{settings.timeout}s",
            "connect_timeout": f"{settings.connect_timeout}s",
        },
        retry_config={
            "max_retries": settings.retries,
            "backoff": {"init_backoff": backoff, "max_backoff": backoff * 4, "base": 2.0},
            "retry_timeout": timedelta(seconds=settings.timeout * (settings.retries + 1)),
        },
    )


def storage_error(
    location: S3Location, error: Exception, doing: str = "read", key: str | None = None
) -> StorageError:
    """One line for a failed request (of ``key``, when one object was asked for): what went
    wrong, in words a user can act on."""
    return StorageError(literal(f"{location}: {_reason(location, error, doing, key)}"))


_CUT_SHORT = (
    "Content-Range header not present",  # resumed with a range the server ignored
    "error decoding response body",
    "end of file before message length reached",
    "connection closed before message completed",
    "IncompleteMessage",
    "IncompleteBody",
    "UnexpectedEof",
    "unexpected end of file",
    "unexpected EOF",
)
"""What object_store and its HTTP client say when a body stops before its length."""
_STATUS = re.compile(r"status code: (\d{3})|\b(\d{3}) [A-Z][a-z]+")
_ELAPSED = re.compile(r" in (\d+(?:\.\d+)?)(ms|s) - ")
"""How long object_store says a failed request took: one that lasted the whole timeout
got no answer, whatever words the client chose ("error sending request")."""


def _waited_out(text: str, settings: S3Settings) -> bool:
    elapsed = _ELAPSED.search(text)
    if elapsed is None:
        return False
    seconds = float(elapsed[1]) / (1000 if elapsed[2] == "ms" else 1)
    return seconds >= settings.timeout * 0.95


def _reason(location: S3Location, error: Exception, doing: str, key: str | None = None) -> str:
    """Why a request failed, in words: never the store's body or the client's own text."""
    text = str(error)
    settings = location.settings
    endpoint = settings.endpoint_url or "the AWS endpoint"
    if key is not None and any(words in text for words in _CUT_SHORT):
        return f"the store cut the body of {key} short"
    if "NoSuchBucket" in text:
        reason = f"no such bucket {location.bucket!r} at {endpoint}"
    elif (
        isinstance(error, PermissionError)
        or "PermissionDenied" in type(error).__name__
        or ("Unauthenticated" in type(error).__name__)
        or " 403 " in text
    ):
        reason = f"access denied ({doing}); check the credentials and the bucket's policy"
    elif (
        any(word in text for word in ("timed out", "TimedOut", "kind: Timeout"))
        or isinstance(error, TimeoutError)
        or _waited_out(text, settings)
    ):
        reason = f"no answer from {endpoint} within {settings.timeout:g}s (storage.timeout)"
    elif key is not None and "body error" in text:  # the body stopped, neither cut nor slow
        reason = f"the store cut the body of {key} short"
    elif "error sending request" in text or isinstance(error, ConnectionError):
        reason = f"cannot connect to {endpoint}"
    elif key is not None and (isinstance(error, FileNotFoundError) or "not found" in text):
        reason = f"{key} is not on the store"
    elif any(word in text for word in ("object-store", "S3 error", "<?xml", "Server returned")):
        status = _STATUS.search(text)
        said = f"answered {status[1] or status[2]}" if status else "gave no usable answer"
        reason = f"cannot {doing}: {endpoint} {said}"
    else:
        first = text.strip().splitlines()[0][:200] if text.strip() else type(error).__name__
        reason = f"cannot {doing} ({first})"
    return reason  # the caller makes it inert: the server's words are hostile


def read_problem(dataset: object, name: str, error: Exception) -> str:
    """Why table file ``name`` of ``dataset`` could not be read, in words: for a store, what
    the store or the network did (no answer, a body cut short, an object not there), never
    the client's text or the store's XML; for a folder, the reader's first line."""
    text = str(error).strip()
    if not isinstance(dataset, S3Location):
        return f"cannot be read ({text.splitlines()[0] if text else type(error).__name__})"
    reason = _reason(dataset, error, "read", name)
    if reason == f"{name} is not on the store":
        return f"is listed in {MANIFEST_NAME} but not on the store"
    return literal(f"cannot be read: {reason}")


_MANIFESTS: dict[tuple[str, str, str | None], tuple[str, dict[str, Any] | None]] = {}
"""The manifest last read from each store, by (bucket, key, endpoint), with its ETag: a
load asks the store only whether it changed (one conditional GET), so a manifest is read
once per change, not once per load."""
_REMEMBERED = 16
_MANIFESTS_LOCK = threading.Lock()


def read_remote_manifest(location: S3Location) -> tuple[dict[str, Any] | None, str | None]:
    """The manifest and its ETag; (None, None) when there is none. The one GET of a load.

    It gets a folder's limits (``domain/storage/generations.py``): over ``MANIFEST_LIMIT`` it is
    refused from its size before its body is read, and bytes that are not a manifest (not
    JSON, nested too deeply, not an object) are one line; either is a StorageError."""
    import obstore
    from obstore.exceptions import NotModifiedError

    key = location.key(MANIFEST_NAME)
    remembered = (location.bucket, key, location.settings.endpoint_url)
    with _MANIFESTS_LOCK:
        known = _MANIFESTS.get(remembered)
    try:
        options = {"if_none_match": known[0]} if known else {}
        got = obstore.get(open_store(location), key, options=cast(Any, options))
        tag = got.meta.get("e_tag")
        if got.meta["size"] > MANIFEST_LIMIT:  # the body is never read
            raise _unreadable(location, TOO_BIG)
        data = bytes(got.bytes())
    except NotModifiedError:
        assert known is not None
        return known[1], known[0]
    except FileNotFoundError as error:
        if "NoSuchBucket" in str(error):
            raise storage_error(location, error) from None
        return None, None
    except StorageError:
        raise
    except Exception as error:  # obstore's errors, and the OS's under it
        raise storage_error(location, error, key=MANIFEST_NAME) from None
    if len(data) > MANIFEST_LIMIT:  # replaced by a bigger one between the head and the body
        raise _unreadable(location, TOO_BIG)
    try:
        manifest = manifest_from(data)
    except ManifestUnreadable as why:
        raise _unreadable(location, str(why)) from None
    if isinstance(tag, str):
        with _MANIFESTS_LOCK:
            if len(_MANIFESTS) >= _REMEMBERED:
                _MANIFESTS.pop(next(iter(_MANIFESTS)))
            _MANIFESTS[remembered] = (tag, manifest)
    return manifest, tag


def _unreadable(location: S3Location, why: str) -> StorageError:
    """A manifest on a store that is not one: the line a folder's says, naming the URL."""
    return StorageError(literal(f"{location}: {unreadable(location, why)}"))


def manifest_tag(location: S3Location) -> str | None:
    """The manifest's ETag now (one HEAD), for noticing a newer generation; None when it
    cannot be had."""
    import obstore

    try:
        tag = obstore.head(open_store(location), location.key(MANIFEST_NAME)).get("e_tag")
    except Exception:  # no answer now: the explorer looks again later
        return None
    return tag if isinstance(tag, str) else None


def open_remote_generation(location: S3Location) -> Generation:
    """The generation the manifest names now, with the list of its files (from the manifest;
    a prefix without one is listed)."""
    manifest, _tag = read_remote_manifest(location)
    if manifest is None:
        raise StorageError(
            f"{location}: no {MANIFEST_NAME} there: not a dataset; ingest reports into it first"
        )
    not_one = not_a_generation(manifest, location)
    if not_one is not None:
        raise StorageError(literal(f"{location}: {not_one}"))
    name = generation_name(manifest)
    listed = manifest.get("files")
    if isinstance(listed, list):
        _check_listed(location, listed)
        inside = f"{name}/" if name else ""
        files = frozenset(
            entry[len(inside) :]
            for entry in listed
            if isinstance(entry, str)
            and entry.startswith(inside)
            and "/" not in entry[len(inside) :]
        )
    else:
        files = _listed(location, name)
    return Generation(location, RemoteFolder(location, name, files), name, manifest)


_LISTED_NAME = re.compile(r"(gen-[0-9a-f]{12}/)?(?!\.\.?$)[A-Za-z0-9._-]{1,200}")
"""What a manifest's ``files`` may list: a file of the dataset's prefix or of one of its
generations (what ingest writes), never ``../``, a URL or a deeper key."""


def _check_listed(location: S3Location, listed: list[Any]) -> None:
    """StorageError naming the first of a manifest's ``files`` that is not a file ingest
    writes, before any of them is fetched: a hostile manifest points nowhere else."""
    for entry in listed:
        if not (isinstance(entry, str) and _LISTED_NAME.fullmatch(entry)):
            named = json.dumps(entry)[:80]  # ASCII: inert on a terminal
            raise StorageError(
                f"{location}: {MANIFEST_NAME} lists {named} among its files, which is not a "
                f"file of the dataset; {rewrite(location)}"
            )


def _listed(location: S3Location, generation: str | None) -> frozenset[str]:
    import obstore

    folder = location.key(generation) + "/" if generation else (location.key("") or "")
    try:
        found = obstore.list_with_delimiter(open_store(location), folder or None)
    except Exception as error:
        raise storage_error(location, error) from None
    return frozenset(entry["path"].rsplit("/", 1)[-1] for entry in found["objects"])


def generation_gone(generation: Generation) -> bool:
    """Whether a remote reader's generation has been replaced since it was opened (its
    files may then be removed): a reason to load again, not a broken dataset."""
    if not isinstance(generation.dataset, S3Location) or generation.name is None:
        return False
    try:
        manifest, _tag = read_remote_manifest(generation.dataset)
    except StorageError:
        return False
    return generation_name(manifest) != generation.name


def scan_parquet(file: TableFile) -> pl.LazyFrame:
    """A table's Parquet, scanned lazily wherever it is."""
    if isinstance(file, RemoteFile):
        options = file.folder.location.settings.polars_options()
        return pl.scan_parquet(
            file.url, storage_options=options, credential_provider=None, glob=False
        )
    return pl.scan_parquet(file, glob=False)


def read_parquet(file: TableFile) -> pl.DataFrame:
    if isinstance(file, RemoteFile):
        return scan_parquet(file).collect()
    return pl.read_parquet(file, glob=False)


def read_csv(file: TableFile, infer_schema: bool) -> pl.DataFrame:
    """A table's CSV (a dataset made by hand may have only these)."""
    if isinstance(file, RemoteFile):
        options = file.folder.location.settings.polars_options()
        return pl.scan_csv(
            file.url, storage_options=options, credential_provider=None, infer_schema=infer_schema
        ).collect()
    return pl.read_csv(file, infer_schema=infer_schema)


def remote_footer(file: RemoteFile) -> tuple[int, bytes] | None:
    """A Parquet object's size and footer, read from its end: one ranged GET (two for a
    footer longer than ``derived.TAIL``), never the object. None when it is not there, not
    Parquet, or cannot be read now (then its table is not taken as fresh)."""
    import obstore

    from barnet_tui.domain.derived import TAIL, footer_in

    location = file.folder.location
    store, key = open_store(location), location.key(file.folder.key(file.name))
    try:
        got = obstore.get(store, key, options={"range": {"suffix": TAIL}})
        tail, size = bytes(got.bytes()), int(got.meta["size"])
        length = footer_in(size, tail)
        if length is None:
            return None
        if length + 8 > len(tail):
            tail = bytes(obstore.get_range(store, key, start=size - 8 - length, end=size))
    except Exception:  # missing, denied, no answer: not fresh, and the rows are read
        return None
    return size, tail[-8 - length : -8]


def put_file(file: RemoteFile, local: Path) -> None:
    """Write ``local`` to ``file``'s key in one PUT (a store makes it whole or not at all);
    StorageError when it cannot be written (no permission, no answer)."""
    import obstore

    location = file.folder.location
    try:
        obstore.put(open_store(location), location.key(file.folder.key(file.name)), local)
    except Exception as error:  # obstore's errors, and the OS's under it
        raise storage_error(location, error, "write") from None
