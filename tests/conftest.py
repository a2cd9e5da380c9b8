"""Shared test fixtures: where the repository, its shipped data and the source reports are."""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, settings

from barnet_tui import config
from barnet_tui.domain import speed_tables
from barnet_tui.domain.storage.generations import current_tables
from barnet_tui.domain.storage.location import RemoteFolder
from barnet_tui.ingest.writers.folder import LOCK_NAME
from tests import prebuild

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
REPORTS = REPO / "reports"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Property-based tests: "ci" is deterministic and bounded (the same examples every run, so CI
# never flakes); HYPOTHESIS_PROFILE=long searches widely with fresh examples each run.
_SLOW_INPUTS = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile(
    "ci", derandomize=True, deadline=None, max_examples=150, database=None,
    suppress_health_check=_SLOW_INPUTS,
)  # fmt: skip
settings.register_profile(
    "long", deadline=None, max_examples=2000, suppress_health_check=_SLOW_INPUTS
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

HOSTILE = "\x1b]0;pwned\x07 \x1b[2J \x9b \x85 \x7f \u202e \u2066"
"""Text that acts on a terminal printed raw: OSC 0 retitles it, CSI 2J clears it, then a C1
CSI, NEL, DEL, a right-to-left override and a left-to-right isolate."""
HOSTILE_REF = f"R/3 {HOSTILE}"
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--reverse",
        action="store_true",
        help="run the tests in reverse order: a test that passes only after another is found",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``--reverse``: the last test first (each test must pass whatever ran before it)."""
    if config.getoption("--reverse"):
        items.reverse()


@pytest.fixture(autouse=True)
def _no_user_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tests never read the developer's own configuration or colour preferences, the
    machine's (/etc), nor the repository's config.toml (a working-directory config is said on
    stderr)."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setattr(config, "SYSTEM_CONFIG", home / "etc" / "barnet-tui" / "config.toml")
    monkeypatch.chdir(home)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("BARNET_TUI_CONFIG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(autouse=True)
def _speed_builders_end_with_the_test(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An explorer on a dataset without fresh tables for speed starts a process that builds
    them and, by design, outlives it. A test's ends with the test: left running, it takes
    the CPU from the tests after it (on two cores, a later explorer test took ten times as
    long as alone) and writes into a folder the test has finished with."""
    started: list[subprocess.Popen[bytes]] = []
    start_building = speed_tables.start_building

    def start_and_keep(tables: Path | RemoteFolder) -> subprocess.Popen[bytes]:
        process = start_building(tables)
        started.append(process)
        return process

    monkeypatch.setattr(speed_tables, "start_building", start_and_keep)
    yield
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


def report_paths() -> list[Path]:
    """The five source reports the repository carries (``reports/``)."""
    paths = sorted(REPORTS.glob("*.txt"))
    assert len(paths) == 5, f"expected the five source reports in {REPORTS}"
    return paths


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (but ingest's lock, which says who holds
    it)."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != LOCK_NAME
    }


def dataset_copy(
    tmp_path: Path, change: Callable[[pl.DataFrame], pl.DataFrame] | None = None
) -> Path:
    """A copy of the shipped dataset, its indicators passed through ``change``."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns(".*"))
    if change is not None:
        indicators = current_tables(data) / "indicators.parquet"
        frame = change(pl.read_parquet(indicators))
        frame.write_parquet(indicators)
    return data


def set_for_ref(column: str, ref: str, value: str) -> Callable[[pl.DataFrame], pl.DataFrame]:
    """A change for dataset_copy: ``column`` of the rows with ``ref`` set to ``value``."""

    def change(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(
            pl.when(pl.col("ref") == ref)
            .then(pl.lit(value))
            .otherwise(pl.col(column))
            .alias(column)
        )

    return change


def hostile_dataset(tmp_path: Path) -> Path:
    """The shipped dataset with R/3's ref, name, service, comment, result and direction of
    travel carrying ``HOSTILE`` (its ref becomes ``HOSTILE_REF``)."""
    changes = [
        set_for_ref(column, "R/3", f"{value} {HOSTILE}")
        for column, value in (
            ("indicator", "Deaths registered"),
            ("service", "Registrar Service"),
            ("comment", "Registrations were late"),
            ("result_raw", "64%"),
            ("dot", "Worsening"),
            ("ref", "R/3"),  # last: the others find the rows by this ref
        )
    ]

    def change(frame: pl.DataFrame) -> pl.DataFrame:
        for one in changes:
            frame = one(frame)
        return frame

    return dataset_copy(tmp_path, change)


def controls_in(text: str) -> list[str]:
    """The control and bidi characters in ``text`` (newlines that end its lines aside), by
    Unicode's own account rather than the code's."""
    return [
        char
        for char in text
        if (unicodedata.category(char) == "Cc" and char != "\n") or char in _BIDI
    ]


_BUILT_IN_BACKGROUND = ("report_pdfs", "word_pdfs")
"""Session fixtures whose sets tests/prebuild.py makes in a process of its own."""
_builder: subprocess.Popen[bytes] | None = None


def _built_sets(config: pytest.Config) -> Path:
    """The folder of pytest's cache the PDF sets are kept in (tests/prebuild.py)."""
    cache = getattr(config, "cache", None)  # none under -p no:cacheprovider
    return (
        cache.mkdir(prebuild.WORD_PDFS).parent
        if cache is not None
        else REPO / ".pytest_cache" / "d"
    )


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start building the PDF sets the collected tests need, unless the cache holds them:
    the fixtures then wait only for what is left, overlapping the tests before them."""
    global _builder
    wanted = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    if not wanted & {"report_pdfs", "word_pdfs"}:
        return
    sets = _built_sets(session.config)
    missing = [
        name
        for fixture, name, root in (
            ("report_pdfs", prebuild.REPORT_PDFS, prebuild.report_pdfs_root),
            ("word_pdfs", prebuild.WORD_PDFS, prebuild.word_pdfs_root),
        )
        if fixture in wanted and not root(sets / name).is_dir()
    ]
    if missing and _builder is None:
        _builder = prebuild.start(sets, missing, sets / "prebuild.log")


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The builder ends with the session (a set it did not finish is not kept)."""
    if _builder is not None:
        prebuild.stop(_builder)


@pytest.fixture(scope="session")
def report_pdfs(request: pytest.FixtureRequest) -> dict[str, dict[str, Path]]:
    """{layout: {report stem: PDF}} for every layout of tests/pdfs.py, kept in pytest's cache
    under a hash of their generator and the reports (a rerun reuses them)."""
    from tests import pdfs  # reportlab is a test dependency: missing, the tests fail

    if not pdfs.register_fonts():  # CI has them: a test that needs them fails, never skips
        pytest.fail(
            f"the layouts' fonts ({', '.join(pdfs.FONTS.values())}) are not installed: "
            "apt-get install fonts-dejavu-core fonts-dejavu-extra"
        )
    out_dir = _built_sets(request.config) / prebuild.REPORT_PDFS
    prebuild.wait_for(_builder, prebuild.report_pdfs_root(out_dir))
    return prebuild.report_pdfs(out_dir)


@pytest.fixture(scope="session")
def word_pdfs(request: pytest.FixtureRequest) -> dict[str, dict[str, Path]]:
    """{layout: {report stem: PDF}} for every layout of tests/docx_pdfs.py: DOCX files turned
    into PDFs by LibreOffice, kept in pytest's cache under a hash of their generator and the
    reports (a rerun reuses them). LibreOffice missing fails the tests that need it."""
    from tests.docx_pdfs import ConversionError

    out_dir = _built_sets(request.config) / prebuild.WORD_PDFS
    prebuild.wait_for(_builder, prebuild.word_pdfs_root(out_dir))
    try:
        return prebuild.word_pdfs(out_dir)
    except ConversionError as error:
        pytest.fail(f"the word-processor PDFs cannot be made: {error}", pytrace=False)
