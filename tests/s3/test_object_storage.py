"""The dataset in an S3-compatible store: what a user gets from it is what the local folder
gives, two ingests never interleave, readers never see a torn dataset, and every failure is
one line naming the URL, exit 2, no secret."""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import obstore
import pytest

from barnet_tui.cli.main import main
from barnet_tui.config import load_config
from barnet_tui.domain import questions
from barnet_tui.domain.dataset import Dataset, GenerationGone, load_dataset
from barnet_tui.domain.storage.generations import current_tables
from barnet_tui.domain.storage.location import S3Location, locate
from barnet_tui.domain.storage.remote import open_store
from barnet_tui.ingest.writers import store as s3_output
from barnet_tui.tui.app import BarnetApp
from barnet_tui.tui.screens.error import ErrorScreen
from barnet_tui.tui.screens.indicator import IndicatorScreen
from tests.conftest import report_paths
from tests.s3.seaweed import READER, WRITER, S3Server
from tests.tui.conftest import loaded

REPORTS = [str(path) for path in report_paths()]
QUICK_CHECKS = [
    ["--below-target"],
    ["--below-target", "--period", "all", "--format", "csv"],
    ["--below-target", "--service", "fam", "--format", "json"],
    ["--actions", "--format", "markdown"],
    ["--risks", "--min-score", "12"],
    ["changes"],
    ["audit", "--format", "csv"],
]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ingest(capsys: pytest.CaptureFixture[str], out: str, reports: list[str] = REPORTS) -> str:
    code, _out, err = run(capsys, "ingest", *reports, "--out", out)
    assert code == 0, err
    return err


def quick(args: list[str], data: str) -> list[str]:
    """The arguments with ``--data`` where the command takes it."""
    return [*args, "--data", data]


def objects(url: str) -> list[str]:
    location = locate(url, Path())
    assert isinstance(location, S3Location)
    store = open_store(location)
    return sorted(
        entry["path"].removeprefix(location.prefix + "/")
        for chunk in obstore.list(store, location.prefix + "/")
        for entry in chunk
    )


def generations(url: str) -> set[str]:
    return {name.split("/")[0] for name in objects(url) if name.startswith("gen-")}


def with_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, storage: str) -> None:
    """A user config with this ``[storage]`` table (and none of the project's), where a
    user keeps it: not in the working directory, whose config is said on stderr."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    user = tmp_path / "xdg" / "barnet-tui" / "config.toml"
    user.parent.mkdir(parents=True, exist_ok=True)
    user.write_text(f"[storage]\n{storage}\n", encoding="utf-8")


# What a user gets -----------------------------------------------------------------------


def test_the_store_gives_byte_for_byte_what_the_folder_gives(
    s3: S3Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, folder = s3.url(), str(tmp_path / "data")
    said_there = ingest(capsys, url)
    said_here = ingest(capsys, folder)
    assert said_there.replace(url, folder) == said_here
    for args in QUICK_CHECKS:
        there = run(capsys, *quick(args, url))
        here = run(capsys, *quick(args, folder))
        assert there == here, args
        assert there[1]  # something was printed, so equality means something


def test_ingest_writes_the_generation_and_then_the_manifest(
    s3: S3Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, folder = s3.url(), tmp_path / "data"
    ingest(capsys, url)
    ingest(capsys, str(folder))
    local = sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())
    assert objects(url) == [name for name in local if not name.startswith(".")]


async def test_the_explorer_shows_the_same_screens_from_the_store(
    s3: S3Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, folder = s3.url(), tmp_path / "data"
    ingest(capsys, url)
    ingest(capsys, str(folder))
    screens = []
    for data in (locate(url, Path()), folder):
        app = BarnetApp(load_config()._replace(data_dir=data), service="Family Services")
        async with app.run_test(size=(100, 30)) as pilot:
            await loaded(pilot)
            shown = [app.export_screenshot()]
            await pilot.press("escape")
            await pilot.pause()
            shown.append(app.export_screenshot())
            screens.append(shown)
    assert screens[0] == screens[1]
    assert "Family&#160;Services" in screens[0][0]  # the service screen, then the summary


def test_a_url_is_never_taken_for_a_folder(
    s3: S3Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    for url in ("gs://barnet/data", "http://example.org/data", "s3:/barnet/data", "az://x/y"):
        code, out, err = run(capsys, "ingest", *REPORTS, "--out", url)
        assert (code, out, err.count("\n")) == (2, "", 1), err
        code, out, err = run(capsys, "--below-target", "--data", url)
        assert (code, out, err.count("\n")) == (2, "", 1), err
    assert list(tmp_path.iterdir()) == []  # no folder named "gs:" or "s3:"


# Two ingests, and readers while they switch ---------------------------------------------


@pytest.mark.parametrize("first_ingest", [False, True], ids=["into-empty", "over-a-dataset"])
def test_of_two_ingests_at_once_the_second_to_switch_fails_in_one_line(
    s3: S3Server,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    first_ingest: bool,
) -> None:
    url = s3.url()
    if first_ingest:
        ingest(capsys, url, REPORTS[:2])
    switch = s3_output._switch
    calls = []

    def other_ingest_switches_first(*args: object) -> None:
        calls.append(args)
        if len(calls) == 1:  # ours is about to switch: another ingest finishes first
            assert main(["ingest", *REPORTS[2:], "--out", url]) == 0
        switch(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(s3_output, "_switch", other_ingest_switches_first)
    capsys.readouterr()
    code, _out, err = run(capsys, "ingest", *REPORTS, "--out", url)
    assert code == 2
    errors = [line for line in err.splitlines() if "error" in line]
    assert errors == [
        f"barnet-tui ingest: error: --out {url}: another ingest switched the dataset while "
        "this one was writing; nothing switched (ingest again to publish these reports)"
    ]
    monkeypatch.setattr(s3_output, "_switch", switch)
    # The dataset is the other ingest's, whole.
    _code, csv, _err = run(
        capsys, "--below-target", "--period", "all", "--format", "csv", "--data", url
    )
    ingest(capsys, url + "-alone", REPORTS[2:])
    _code, expected, _err = run(
        capsys, "--below-target", "--period", "all", "--format", "csv", "--data", url + "-alone"
    )
    assert csv == expected


def test_a_reader_keeps_the_generation_it_began_with_while_ingests_switch(
    s3: S3Server, capsys: pytest.CaptureFixture[str]
) -> None:
    url = s3.url()
    ingest(capsys, url, REPORTS[:2])
    location = locate(url, Path())
    before = load_dataset(location)
    rows_before = before.collect(before.indicators).height
    ingest(capsys, url)  # the switch, while ``before`` is open
    after = load_dataset(location)
    assert after.generation.name != before.generation.name
    assert before.collect(before.indicators).height == rows_before  # still the old one, whole
    assert after.collect(after.indicators).height > rows_before
    for dataset in (before, after):
        counts = dataset.generation.manifest["tables"]  # type: ignore[index]
        assert dataset.collect(dataset.indicators).height == counts["indicators"]["rows"]
        assert dataset.service_summary.height == counts["service_summary"]["rows"]


def whole(dataset: Dataset) -> bool:
    """Whether every table read is the one its manifest counted: one generation, whole."""
    counts = dataset.generation.manifest["tables"]  # type: ignore[index]
    return all(
        scan.height == counts[table]["rows"]
        for table, scan in (
            ("indicators", dataset.collect(dataset.indicators)),
            ("service_summary", dataset.service_summary),
            ("risks", dataset.report_columns("risks", ("period",))),
        )
    )


def test_readers_while_ingests_switch_again_and_again_never_see_a_torn_dataset(
    s3: S3Server, capsys: pytest.CaptureFixture[str]
) -> None:
    url = s3.url()
    ingest(capsys, url, REPORTS[:1])
    location = locate(url, Path())
    done = threading.Event()
    failed: list[str] = []

    def ingests() -> None:
        try:
            for count in (2, 5, 3, 1, 4):
                ingest(capsys, url, REPORTS[:count])
        except BaseException as error:  # the reader loop below reports it
            failed.append(repr(error))
        finally:
            done.set()

    writer = threading.Thread(target=ingests)
    writer.start()
    seen: set[str | None] = set()
    while not done.is_set() or not seen:
        dataset = load_dataset(location)
        assert whole(dataset), dataset.generation.name
        seen.add(dataset.generation.name)
    writer.join()
    assert not failed
    assert len(seen) > 1  # the readers did read while the switches happened


def test_old_generations_go_only_after_the_grace_period_and_a_reader_then_reloads(
    s3: S3Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = s3.url()
    ingest(capsys, url, REPORTS[:1])
    first = generations(url)
    reader = load_dataset(locate(url, Path()))
    ingest(capsys, url, REPORTS[:2])
    ingest(capsys, url, REPORTS[:3])
    assert first < generations(url) and len(generations(url)) == 3  # within the grace period
    assert reader.period_rows(reader.periods[-1]).height  # so a reader still reads it
    with_config(tmp_path, monkeypatch, "grace_minutes = 0")
    ingest(capsys, url, REPORTS[:4])
    left = generations(url)
    assert not first & left and len(left) == 2  # the first two went; the one just retired stays
    with pytest.raises(GenerationGone):
        reader.ref_rows("FS/S11")
    again = load_dataset(locate(url, Path()))  # what the explorer does on GenerationGone
    assert again.ref_rows("FS/S11").height


# Failures: one line naming the URL, exit 2, no secret -------------------------------------


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


def failures(s3: S3Server, silent_port: int) -> dict[str, tuple[dict[str, str], str, str]]:
    """name -> (environment, URL, what the line says)."""
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    refused = closed.getsockname()[1]
    closed.close()
    return {
        "wrong endpoint": (
            {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{refused}"},
            "s3://barnet/data",
            "cannot connect",
        ),
        "missing bucket": ({}, "s3://no-such-bucket/data", "no such bucket"),
        "bad credentials": (
            {"AWS_SECRET_ACCESS_KEY": "not-the-secret-Xy7"},
            "s3://barnet/data",
            "access denied",
        ),
        "timeout": (
            {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{silent_port}"},
            "s3://barnet/data",
            "no answer",
        ),
    }


@pytest.mark.parametrize("case", ["wrong endpoint", "missing bucket", "bad credentials", "timeout"])
@pytest.mark.parametrize("command", ["--below-target", "changes", "audit", "serve", "ingest"])
def test_a_store_that_cannot_be_used_is_one_line_and_exit_2(
    s3: S3Server,
    silent_port: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: str,
    command: str,
) -> None:
    environment, url, says = failures(s3, silent_port)[case]
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with_config(tmp_path, monkeypatch, "timeout = 1\nconnect_timeout = 1\nretries = 0")
    if command != "ingest":
        port = ["--port", str(silent_port)] if command == "serve" else []  # never reached
        code, out, err = run(capsys, command, *port, "--data", url)
    else:
        code, out, err = run(capsys, "ingest", *REPORTS, "--out", url)
        err = err.splitlines()[-1] + "\n"  # after the reports' own warnings
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and url in err and says in err, err
    for secret in (WRITER[1], "not-the-secret-Xy7"):
        assert secret not in err


def test_an_identity_that_may_only_read_is_denied_the_ingest_and_reads(
    s3: S3Server, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = s3.url()
    ingest(capsys, url, REPORTS[:1])
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", READER[0])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", READER[1])
    code, _out, err = run(capsys, "ingest", *REPORTS[:1], "--out", url)
    assert code == 2 and f"--out {url}: access denied (write)" in err.splitlines()[-1]
    assert READER[1] not in err
    code, out, _err = run(capsys, "--below-target", "--data", url)
    assert code == 0 and out


def test_credentials_come_from_a_profile_or_the_storage_table(
    s3: S3Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = s3.url()
    ingest(capsys, url, REPORTS[:1])
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    credentials = tmp_path / "credentials"
    credentials.write_text(
        f"[council]\naws_access_key_id = {READER[0]}\naws_secret_access_key = {READER[1]}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    with_config(tmp_path, monkeypatch, f'profile = "council"\nendpoint_url = "{s3.endpoint}"')
    code, out, err = run(capsys, "--risks", "--data", url)
    assert code == 0 and out, err
    with_config(tmp_path, monkeypatch, f'profile = "nobody"\nendpoint_url = "{s3.endpoint}"')
    code, out, err = run(capsys, "--risks", "--data", url)
    assert (code, out, err.count("\n")) == (2, "", 1) and "'nobody'" in err


async def test_the_explorer_offers_a_newer_generation_and_reloads_one_it_lost(
    s3: S3Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = s3.url()
    ingest(capsys, url, REPORTS[:4])
    app = BarnetApp(load_config()._replace(data_dir=locate(url, Path())))
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert app.dataset is not None
        first = app.dataset.generation.name
        ingest(capsys, url)
        app.look_for_newer()
        await app.workers.wait_for_complete()
        await pilot.pause()
        notes = [note.message for note in app._notifications]
        assert any("A newer dataset was written" in note for note in notes), notes
        with_config(tmp_path, monkeypatch, "grace_minutes = 0")
        ingest(capsys, url, REPORTS[:3])  # the generation on screen is past its grace: removed
        assert first not in generations(url)
        app.jump_to_indicator("FS/S11")  # reads rows the explorer has not read yet
        await loaded(pilot)
        notes = [note.message for note in app._notifications]
        assert any("replaced and removed from the store" in note for note in notes), notes
        assert app.dataset is not None and app.dataset.generation.name in generations(url)
        assert not isinstance(app.screen, ErrorScreen)
        app.jump_to_indicator("FS/S11")
        await loaded(pilot)
        assert isinstance(app.screen, IndicatorScreen)


def test_a_prefix_of_tables_made_by_hand_is_read_like_such_a_folder(
    s3: S3Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No generation, no list of files, CSV only: the prefix is listed and the CSVs read."""
    folder = tmp_path / "data"
    ingest(capsys, str(folder))
    url = s3.url()
    location = locate(url, Path())
    assert isinstance(location, S3Location)
    tables = current_tables(folder)
    for path in sorted(tables.glob("*.csv")):
        obstore.put(open_store(location), location.key(path.name), path.read_bytes())
        (folder / path.name).write_bytes(path.read_bytes())
    obstore.put(open_store(location), location.key("manifest.json"), b"{}\n")
    shutil.rmtree(tables)
    (folder / "manifest.json").write_text("{}\n", encoding="utf-8")
    for args in QUICK_CHECKS[:3]:
        assert run(capsys, *quick(args, url)) == run(capsys, *quick(args, str(folder))), args


def test_a_quick_check_whose_generation_goes_while_it_reads_reads_the_current_one(
    s3: S3Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = s3.url()
    ingest(capsys, url, REPORTS[:2])
    with_config(tmp_path, monkeypatch, "grace_minutes = 0")
    resolve_scope = questions.resolve_scope
    calls: list[tuple[Any, ...]] = []

    def generation_removed_meanwhile(*args: Any, **kwargs: Any) -> questions.Scope:
        calls.append(args)
        if len(calls) == 1:  # the quick check holds its generation: two ingests remove it
            assert main(["ingest", *REPORTS[:3], "--out", url]) == 0
            assert main(["ingest", *REPORTS, "--out", url]) == 0
        return resolve_scope(*args, **kwargs)

    monkeypatch.setattr(questions, "resolve_scope", generation_removed_meanwhile)
    capsys.readouterr()
    code, out, err = run(capsys, "--below-target", "--format", "csv", "--data", url)
    assert len(calls) == 2 and code == 0, err
    monkeypatch.setattr(questions, "resolve_scope", resolve_scope)
    assert (code, out) == run(capsys, "--below-target", "--format", "csv", "--data", url)[:2]
