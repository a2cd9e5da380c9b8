"""Loading a dataset directory: Parquet, falling back to CSV, validated against the contract.

Every table a reader uses comes from the one generation the manifest named when it began
(``generations``): a refresh while it reads changes nothing it sees.
"""

from __future__ import annotations

import os
import stat
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import polars as pl

from barnet_tui.domain.changes import changed_per_service, changes_and_coverage, comparisons_to
from barnet_tui.domain.contract import (
    DERIVED_TABLES,
    PERIOD_PATTERN,
    REPORT_TABLES,
    REQUIRED_TABLES,
    empty_frame,
    schema,
)
from barnet_tui.domain.derived import KEYS as COUNT_KEYS
from barnet_tui.domain.disagreements import no_disagreements, read_disagreements
from barnet_tui.domain.periods import sort_periods
from barnet_tui.domain.speed_tables import indicators_fingerprint, speed_table
from barnet_tui.domain.storage.files import os_reason
from barnet_tui.domain.storage.generations import Generation, GenerationError, open_generation
from barnet_tui.domain.storage.location import Location, RemoteFolder, S3Location, TableFile
from barnet_tui.domain.storage.remote import (
    StorageError,
    generation_gone,
    open_remote_generation,
    read_csv,
    read_parquet,
    read_problem,
    scan_parquet,
)
from barnet_tui.domain.summary import count_rows, summary_of_counts, with_period_changes
from barnet_tui.domain.validate import ROW, Problem, conform, validate

EMPTY = "has no rows: the dataset is empty (ingest reports into it first)"


class DatasetError(Exception):
    """The dataset cannot be used; ``str()`` is the one line a user is shown."""

    def __init__(self, directory: Location, problems: list[Problem]) -> None:
        self.directory = directory
        self.problems = problems
        super().__init__(f"dataset {directory}: " + "; ".join(str(problem) for problem in problems))


def _folder(directory: Location) -> Path | RemoteFolder:
    """Where a dataset without generations keeps its tables: beside its manifest."""
    if isinstance(directory, S3Location):
        return RemoteFolder(directory, None, frozenset())
    return directory


class GenerationGone(DatasetError):
    """The generation being read was replaced and removed (a store has no locks: it stays
    only for the grace period): load the dataset again."""


def _read_failure(generation: Generation, file: str, error: Exception) -> DatasetError:
    """A table that failed to read: a generation since replaced and removed, or a broken
    file."""
    problem = Problem(file, read_problem(generation.dataset, file, error))
    if generation_gone(generation):
        return GenerationGone(generation.dataset, [problem])
    return DatasetError(generation.dataset, [problem])


class Dataset:
    """One dataset directory, read lazily and remembered where the explorer asks again.

    Indicators may be millions of rows (many councils over many years) while a screen shows
    a few hundred: each question scans only the rows and columns it needs (a period, a ref),
    and the last few answers are kept, so going back and forth reads nothing again.
    """

    _KEPT = 8
    """Answers kept per kind of question (periods' rows, refs' rows)."""

    def __init__(
        self,
        directory: Location,
        indicators: pl.LazyFrame,
        service_summary: pl.DataFrame,
        warnings: tuple[Problem, ...] = (),
        report_tables: dict[str, TableScan] | None = None,
        disagreements: pl.DataFrame | None = None,
        generation: Generation | None = None,
        counts: pl.LazyFrame | None = None,
        by_ref: pl.LazyFrame | None = None,
        indicators_file: str = "indicators.parquet",
        deferred: bool = False,
    ) -> None:
        self.directory = directory
        self.generation = generation or Generation(directory, _folder(directory), None, None)
        """Where its tables are; kept, it keeps a refresh from removing them."""
        self.indicators = indicators
        """Scanned lazily: collect only what a question needs."""
        self.service_summary = service_summary
        self.warnings = warnings
        """Values kept but outside the contract's vocabularies."""
        self._by_period: OrderedDict[str, pl.DataFrame] = OrderedDict()
        self._by_ref: OrderedDict[str, pl.DataFrame] = OrderedDict()
        self._by_service: OrderedDict[str, pl.DataFrame] = OrderedDict()
        self._periods: list[str] | None = None
        self._counts: dict[str, int] | None = None
        self._report_tables = report_tables or {}
        self._by_table_period: OrderedDict[str, pl.DataFrame] = OrderedDict()
        self.disagreements = disagreements if disagreements is not None else no_disagreements()
        """Where the reports' own figures contradict each other (the manifest's record)."""
        self.counts = counts
        """The ``period_counts`` table, when ingest wrote it with these indicators: the
        summary reads one period of it rather than the period's rows."""
        self._counts_by_period: OrderedDict[str, pl.DataFrame] = OrderedDict()
        self.by_ref = by_ref
        """The ``indicators_by_ref`` table, when ingest wrote it with these indicators: an
        indicator's history reads the row group of its ref rather than every row."""
        self._indicators_file = indicators_file
        """The file the indicators were read from, named in what a check of them finds."""
        self.deferred = deferred
        """Whether the indicators' values are checked in the rows each view reads, rather
        than all at load."""

    @property
    def has_speed_tables(self) -> bool:
        """Whether ingest wrote the tables for speed with these indicators."""
        return self.counts is not None

    def report_columns(self, table: str, columns: tuple[str, ...]) -> pl.DataFrame:
        """A few columns of every row of ``table`` (what the command palette searches)."""
        scan = self._report_tables.get(table)
        if scan is None:
            return empty_frame(table).select(columns)
        return scan.columns(columns)

    def report_rows(self, table: str, period: str) -> pl.DataFrame:
        """One period's key actions, finance lines or risks (``table``); none for a dataset
        ingested before it had them."""
        key = f"{table}\0{period}"
        if key in self._by_table_period:
            self._by_table_period.move_to_end(key)
            return self._by_table_period[key]
        scan = self._report_tables.get(table)
        if scan is None:
            return empty_frame(table)
        rows, _problems = scan.collect(lambda frame: frame.filter(pl.col("period") == period))
        self._by_table_period[key] = rows
        if len(self._by_table_period) > self._KEPT:
            self._by_table_period.popitem(last=False)
        return rows

    def collect(
        self,
        query: pl.LazyFrame | Callable[[], pl.LazyFrame],
        *,
        streaming: bool = False,
        table: str = "indicators",
    ) -> pl.DataFrame:
        """A query over ``indicators`` (or a function building one, when building it reads
        too), run; ``streaming`` for a summary of every row, which need not hold them.
        DatasetError when the files have gone or broken since loading: the explorer reads
        them while it is open."""
        try:
            lazy = query() if callable(query) else query
            return lazy.collect(engine="streaming" if streaming else "auto")
        except (pl.exceptions.PolarsError, OSError) as error:
            raise _read_failure(self.generation, f"{table}.parquet", error) from None

    @property
    def periods(self) -> list[str]:
        """The periods with indicator rows, oldest first."""
        if self._periods is None:
            self._periods = sort_periods(list(self.rows_per_period()))
        return self._periods

    def rows_per_period(self) -> dict[str, int]:
        if self._counts is None:
            if self.counts is not None:
                query = self.counts.group_by("period").agg(pl.col("reported").sum())
                counts = self.collect(query, streaming=True, table="period_counts")
                _check_periods(self.directory, "period_counts.parquet", counts["period"])
            else:
                query = self.indicators.group_by("period").len()
                counts = self.collect(query, streaming=True)
                if self.deferred:
                    _check_periods(self.directory, self._indicators_file, counts["period"])
            self._counts = {period: rows for period, rows in counts.iter_rows() if period}
        return self._counts

    def period_counts(self, period: str) -> pl.DataFrame:
        """One period's rows of ``period_counts``: read from the table ingest wrote, else
        counted from the period's rows (and its changes from the rows compared)."""
        if period in self._counts_by_period:
            self._counts_by_period.move_to_end(period)
            return self._counts_by_period[period]
        if self.counts is not None:
            counts = self.checked("period_counts", self.counts, pl.col("period") == period)
        else:
            counts = self._counted(period)
        self._counts_by_period[period] = counts
        if len(self._counts_by_period) > self._KEPT:
            self._counts_by_period.popitem(last=False)
        return counts

    def _counted(self, period: str) -> pl.DataFrame:
        """``period_counts`` of one period from the rows: for a dataset without the table."""
        counts = count_rows(self.period_rows(period), ["period", "service", "source"])
        pairs = self.collect(lambda: comparisons_to(self.indicators, period, self.periods).lazy())
        try:
            found, covered = changes_and_coverage(self.indicators, pairs)
        except (pl.exceptions.PolarsError, OSError) as error:
            raise _read_failure(self.generation, "indicators.parquet", error) from None
        changed = pairs.select("service", previous_period="from_period").join(
            changed_per_service(found, pairs, covered), on="service", how="left"
        )
        table = schema("period_counts")
        return counts.join(changed, on="service", how="left").select(table.names()).cast(table)

    def summary(self, period: str, ratings: tuple[str, ...]) -> pl.DataFrame:
        """The corporate summary of ``period`` with each service's changes since its report
        before (``changed``), from ``period_counts``: no indicator row is read."""
        counts = self.period_counts(period)
        published = self.checked(
            "service_summary", self.service_summary.lazy(), pl.col("period") == period
        )
        summary = summary_of_counts(counts, published, period, ratings)
        return with_period_changes(summary, counts)

    def period_rows(self, period: str) -> pl.DataFrame:
        """Every indicator row of one period (what a service list shows)."""
        return self._remembered(self._by_period, period, pl.col("period") == period, period)

    def service_rows(self, period: str, service: str) -> pl.DataFrame:
        """One service's indicator rows of ``period``, in file order: what its list shows,
        read alone (the period's row groups, and of them only the service's rows), so that
        opening a service costs the same whatever the number of councils in the period."""
        if period in self._by_period:
            return self._by_period[period].filter(pl.col("service") == service)
        key = f"{period}\0{service}"
        rows = (pl.col("period") == period) & (pl.col("service") == service)
        return self._remembered(self._by_service, key, rows, period, service)

    def ref_rows(self, ref: str) -> pl.DataFrame:
        """Every row of one ref, in any period (an indicator's history), in file order."""
        if self.by_ref is None:
            return self._remembered(self._by_ref, ref, pl.col("ref") == ref)
        if ref not in self._by_ref:
            rows = pl.col("ref") == ref
            self._by_ref[ref] = self.checked("indicators_by_ref", self.by_ref, rows)
            if len(self._by_ref) > self._KEPT:
                self._by_ref.popitem(last=False)
        self._by_ref.move_to_end(ref)
        return self._by_ref[ref]

    def _remembered(
        self,
        kept: OrderedDict[str, pl.DataFrame],
        key: str,
        rows: pl.Expr,
        period: str | None = None,
        service: str | None = None,
    ) -> pl.DataFrame:
        """The ``rows`` of the indicators (all of ``period``'s, or of its ``service``, if
        given), or their answer from ``kept``; the least recently used answer goes first."""
        if key in kept:
            kept.move_to_end(key)
            return kept[key]
        kept[key] = self._checked(rows, period, service)
        if len(kept) > self._KEPT:
            kept.popitem(last=False)
        return kept[key]

    def _checked(self, rows: pl.Expr, period: str | None, service: str | None) -> pl.DataFrame:
        """The ``rows`` of the indicators, their values checked if not at load, and a
        whole period's (``period``), or its ``service``'s, against its ``period_counts``."""
        frame = self.checked("indicators", self.indicators, rows)
        if self.deferred and period is not None and frame.height and self.counts is not None:
            recounted = count_rows(frame, COUNT_KEYS).sort(COUNT_KEYS)
            written = self.period_counts(period).drop("previous_period", "changed")
            if service is not None:
                written = written.filter(pl.col("service") == service)
            if not written.sort(COUNT_KEYS).equals(recounted):
                message = f"does not match indicators.parquet in {period} (ingest again)"
                raise DatasetError(self.directory, [Problem("period_counts.parquet", message)])
        return frame

    def checked(self, table: str, scan: pl.LazyFrame, rows: pl.Expr) -> pl.DataFrame:
        """The ``rows`` of ``table`` (read through ``scan``); when its values were not all
        checked at load (``deferred``), those rows are checked now against the contract:
        DatasetError for what makes them unusable, ``warnings`` gains the rest."""
        frame = self.collect(scan.filter(rows), table=table)
        if not self.deferred or not frame.height:
            return frame
        file = f"{table}.parquet"
        problems = validate(table, frame, file)
        if problems:  # again, numbered, so that each problem names its rows in the file
            numbered = self.collect(scan.with_row_index(ROW).filter(rows), table=table)
            problems = validate(table, numbered, file)
        fatal = [problem for problem in problems if problem.fatal]
        if fatal:
            raise DatasetError(self.directory, fatal)
        self.warnings += tuple(problem for problem in problems if problem not in self.warnings)
        return frame


def _check_periods(directory: Location, file: str, periods: pl.Series) -> None:
    """DatasetError for the first of ``periods`` (of ``file``) that is not a period."""
    for period in periods.drop_nulls():
        if not PERIOD_PATTERN.match(period):
            message = f"{period!r} is not a period like '2016/17 Q4'"
            raise DatasetError(directory, [Problem(file, message, "period")])


def _read(directory: Path | RemoteFolder, table: str) -> tuple[pl.DataFrame | None, list[Problem]]:
    parquet, csv = directory / f"{table}.parquet", directory / f"{table}.csv"
    if parquet.is_file():
        try:
            return read_parquet(parquet), []
        except Exception as error:  # Polars raises several types for a damaged file
            where = directory.location if isinstance(directory, RemoteFolder) else directory
            return None, [Problem(parquet.name, read_problem(where, parquet.name, error))]
    if csv.is_file():
        return _read_csv(csv, table)
    if table in REQUIRED_TABLES:
        return None, [Problem(f"{table}.parquet", "is missing (and there is no CSV)")]
    return empty_frame(table), []


def _read_csv(path: TableFile, table: str) -> tuple[pl.DataFrame | None, list[Problem]]:
    """A CSV read as text, then cast column by column so each bad cell can be named."""
    try:
        raw = read_csv(path, infer_schema=False)
    except Exception as error:
        return None, [Problem(path.name, f"cannot be read ({_first_line(error)})")]
    problems = []
    casts = {}
    for name, dtype in schema(table).items():
        if name not in raw.columns or dtype == pl.String:
            continue
        text = raw[name]
        if dtype == pl.Boolean:
            lowered = text.str.to_lowercase()
            bad = lowered.is_not_null() & ~lowered.is_in(["true", "false"])
            casts[name] = lowered == "true"
        else:
            cast = text.cast(dtype, strict=False)
            bad = text.is_not_null() & cast.is_null()
            casts[name] = cast
        if bad.any():
            rows = tuple(index + 1 for index in bad.arg_true().to_list())
            example = text.filter(bad)[0]
            message = f"{example!r} is not {dtype}"
            problems.append(Problem(path.name, message, name, rows[:3], row_count=len(rows)))
    frame = raw.with_columns(**casts)
    return frame, problems


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _check_directory(directory: Path) -> None:
    try:
        found = stat.S_ISDIR(directory.stat().st_mode)
    except FileNotFoundError:
        found = False
    except (OSError, ValueError) as error:  # no permission, a name too long, a loop
        problem = Problem("", f"cannot be read ({os_reason(error)})")
        raise DatasetError(directory, [problem]) from None
    if not found:
        missing = not os.path.lexists(directory)
        said = "no such directory" if missing else "is not a directory"
        raise DatasetError(directory, [Problem("", said)])


def _generation(source: Location | Generation) -> Generation:
    """The generation to read of the dataset in the folder ``source``, held; or ``source``
    itself, a generation already held."""
    if isinstance(source, Generation):
        return source
    if isinstance(source, S3Location):
        try:
            return open_remote_generation(source)
        except StorageError as error:
            raise DatasetError(
                source, [Problem("", str(error).removeprefix(f"{source}: "))]
            ) from None
    _check_directory(source)
    try:
        return open_generation(source)
    except GenerationError as error:
        raise DatasetError(source, [Problem("", str(error))]) from None


def _load(directory: Path | RemoteFolder, table: str) -> tuple[pl.DataFrame | None, list[Problem]]:
    frame, problems = _read(directory, table)
    if frame is not None:
        parquet = directory / f"{table}.parquet"
        file = parquet.name if parquet.is_file() else f"{table}.csv"
        problems += validate(table, frame, file)
    return frame, problems


def load_table(source: Location | Generation, table: str) -> tuple[pl.DataFrame, list[Problem]]:
    """One table, conformed, and its vocabulary warnings; DatasetError if it is unusable.

    The quick check loads only the tables it needs through this (from a scan's
    ``generation``, to read the same generation).
    """
    generation = _generation(source)
    frame, problems = _load(generation.tables, table)
    fatal = [problem for problem in problems if problem.fatal]
    if fatal or frame is None:
        raise DatasetError(generation.dataset, fatal)
    return conform(table, frame), problems


def load_dataset(directory: Location, check_values: bool = True, build: bool = False) -> Dataset:
    """The dataset in ``directory``; DatasetError lists every problem that makes it unusable.

    Every value is checked, streamed through Polars: millions of rows are never held at once.
    With ``check_values`` false, only the indicators' schema is checked here and their
    values in the rows each view reads (``Dataset.deferred``), and the tables for speed are
    used where they are fresh (``speed_tables``; with ``build``, the counts are built first
    if they are not): the explorer's first screen then reads no indicator row. Without
    them, the summary reads only the rows of the period it shows and the one before.
    """
    generation = _generation(directory)
    problems: list[Problem] = []
    scans: dict[str, TableScan] = {}
    tables: dict[str, TableFile | None] = dict.fromkeys(["indicators", "targets", *REPORT_TABLES])
    deferred = not check_values
    fingerprint = indicators_fingerprint(generation.tables)  # one ranged GET in a store
    for table in ("period_counts", "indicators_by_ref")[: 1 + deferred]:
        found = speed_table(generation.tables, table, build, fingerprint)
        if found is not None:
            tables[table] = found
    for table, found in tables.items():
        scan, table_problems = _scan(generation, table, found)
        problems += table_problems
        if scan is not None:
            if not (deferred and table in ("indicators", *DERIVED_TABLES)):
                problems += validate(table, scan.rows, scan.file)
            scans[table] = scan
    if deferred:  # its values checked in each period's rows, as the summary reads them
        summary, summary_problems = _read(generation.tables, "service_summary")
        if summary is not None:
            file = "service_summary.parquet"
            summary_problems += validate("service_summary", summary.clear(), file)
            if not summary_problems:  # what "latest" picks from, so none may be malformed
                _check_periods(directory, file, summary["period"].unique())
    else:
        summary, summary_problems = _load(generation.tables, "service_summary")
    problems += summary_problems
    fatal = [problem for problem in problems if problem.fatal]
    if fatal or summary is None:
        raise DatasetError(directory, fatal)
    scans["indicators"].require_rows()
    return Dataset(
        directory=directory,
        indicators=scans["indicators"].rows,
        service_summary=conform("service_summary", summary),
        warnings=tuple(problem for problem in problems if not problem.fatal),
        report_tables={table: scans[table] for table in REPORT_TABLES},
        disagreements=read_disagreements(generation.manifest),
        generation=generation,
        counts=scans["period_counts"].rows if "period_counts" in scans else None,
        by_ref=scans["indicators_by_ref"].rows if "indicators_by_ref" in scans else None,
        indicators_file=scans["indicators"].file,
        deferred=deferred,
    )


class TableScan(NamedTuple):
    """One table, to be queried lazily: only the columns and rows a query needs are read."""

    directory: Location
    """The dataset's folder, which messages name."""
    table: str
    file: str
    rows: pl.LazyFrame
    generation: Generation
    """Where the table is, the others of its generation beside it; kept while the scan is,
    it cannot be removed under it."""

    def collect(
        self, query: Callable[[pl.LazyFrame], pl.LazyFrame]
    ) -> tuple[pl.DataFrame, list[Problem]]:
        """The rows ``query(rows)`` selects, checked against the contract: DatasetError for
        what makes them unusable; values outside a vocabulary returned."""
        frame = self._collect(lambda: query(self.rows))
        problems = validate(self.table, frame, self.file) if frame.height else []
        if problems:
            # Only now number the file's rows, so problems name them: a row number costs
            # the scan its skipping of row groups, so the usual path goes without.
            numbered = self._collect(lambda: query(self.rows.with_row_index(ROW)))
            problems = validate(self.table, numbered, self.file)
        fatal = [problem for problem in problems if problem.fatal]
        if fatal:
            raise DatasetError(self.directory, fatal)
        return frame, problems

    def columns(self, names: tuple[str, ...]) -> pl.DataFrame:
        """A few whole columns; their values were checked when the dataset was loaded."""
        return self._collect(lambda: self.rows.select(names))

    def require_rows(self) -> None:
        """DatasetError for a table with no rows: an empty dataset is said to be empty, never
        taken for one where nothing is below target."""
        if not self._collect(lambda: self.rows.select(pl.len())).item():
            raise DatasetError(self.directory, [Problem(self.file, EMPTY)])

    def _collect(self, build: Callable[[], pl.LazyFrame]) -> pl.DataFrame:
        """Build a query and run it; a damaged file (its data pages show only now, and some
        queries read while they are built) is a DatasetError naming it."""
        try:
            return build().collect()
        except (pl.exceptions.PolarsError, OSError) as error:
            raise _read_failure(self.generation, self.file, error) from None


def _scan(
    generation: Generation, table: str, found: TableFile | None = None
) -> tuple[TableScan | None, list[Problem]]:
    """A table to query lazily (from ``found``, a table for speed where it was found), or
    the problems with its file or schema."""
    directory, tables = generation.dataset, generation.tables
    parquet, csv = tables / f"{table}.parquet", tables / f"{table}.csv"
    parquet = found or parquet
    if found is not None or parquet.is_file():
        file, rows = parquet.name, scan_parquet(parquet)
    elif csv.is_file():
        frame, problems = _read_csv(csv, table)
        if frame is None or problems:
            return None, problems
        file, rows = csv.name, frame.lazy()
    elif table not in REQUIRED_TABLES:
        empty = empty_frame(table).lazy()
        return TableScan(directory, table, parquet.name, empty, generation), []
    else:
        return None, [Problem(parquet.name, "is missing (and there is no CSV)")]
    try:
        schema = rows.collect_schema()
    except (pl.exceptions.PolarsError, OSError) as error:  # OSError: a store's missing object
        return None, [Problem(file, read_problem(directory, file, error))]
    problems = validate(table, pl.DataFrame(schema=schema), file)
    if problems:
        return None, problems
    return TableScan(directory, table, file, conform(table, rows), generation), []


def scan_table(source: Location | Generation, table: str) -> TableScan:
    """A table to query lazily; DatasetError now for a missing table or a wrong schema.

    Values are checked in what a query collects (``TableScan.collect``), not here: on
    millions of rows the quick check reads only the rows it prints. Another table of the
    same generation is the scan's ``generation``.
    """
    generation = _generation(source)
    scan, problems = _scan(generation, table)
    if scan is None:
        raise DatasetError(generation.dataset, problems)
    return scan


def scan_derived(source: Location | Generation, table: str) -> TableScan | None:
    """A table derived for speed (``derived.DERIVED_TABLES``) to query lazily: fresh where
    it is, else built now and kept (``speed_tables``). None when there is none and it
    cannot be kept anywhere, or it is unreadable: then compute it from the rows."""
    generation = _generation(source)
    file = speed_table(generation.tables, table)
    if file is None:
        return None
    scan, _problems = _scan(generation, table, file)
    return scan
