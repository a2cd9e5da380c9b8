"""The explorer app: loads the dataset in a worker, then drills summary -> service -> indicator."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from typing import Any, ClassVar

import polars as pl
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.widgets import Static
from textual.worker import WorkerFailed

from barnet_tui.config import Config
from barnet_tui.domain import speed_tables
from barnet_tui.domain.choices import ChoiceError
from barnet_tui.domain.contract import MANIFEST_NAME
from barnet_tui.domain.dataset import Dataset, DatasetError, load_dataset
from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.queries import LATEST
from barnet_tui.domain.questions import indicator_row, indicator_rows, period_asked, service_asked
from barnet_tui.domain.storage.generations import generation_name, read_manifest
from barnet_tui.domain.storage.location import S3Location
from barnet_tui.domain.storage.remote import StorageError, manifest_tag, read_remote_manifest
from barnet_tui.tui import messages
from barnet_tui.tui.commands import jumps_for
from barnet_tui.tui.keymap import KeymapError, read_keymap
from barnet_tui.tui.reads import reads_dataset
from barnet_tui.tui.screens.audit import AuditScreen
from barnet_tui.tui.screens.base import BarnetScreen
from barnet_tui.tui.screens.changes import ChangesScreen
from barnet_tui.tui.screens.error import ErrorScreen
from barnet_tui.tui.screens.findings import FindingsScreen
from barnet_tui.tui.screens.indicator import IndicatorScreen
from barnet_tui.tui.screens.keys import KeysScreen
from barnet_tui.tui.screens.record import RecordScreen
from barnet_tui.tui.screens.service import ServiceScreen
from barnet_tui.tui.screens.summary import SummaryScreen
from barnet_tui.tui.session import Session


class DatasetLoaded(Message):
    def __init__(self, dataset: Dataset, reload: bool = False) -> None:
        super().__init__()
        self.dataset = dataset
        self.reload = reload
        """A newer generation, replacing the one on screen."""


class DatasetFailed(Message):
    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


class BarnetApp(App[int]):
    """Barnet's performance data: how is the council doing, which services are slipping."""

    CSS_PATH = "app.tcss"
    TITLE = "barnet-tui"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "keys", "Keys", id="app.keys"),
        Binding("r", "reload", "Reload newer data", show=False, id="app.reload"),
    ]
    WATCH_SECONDS: ClassVar[float] = 2.0
    """How often the explorer looks for a newer generation of its dataset (one ``stat``)."""

    def __init__(
        self,
        config: Config,
        *,
        period: str | None = None,
        service: str | None = None,
        indicator: str | None = None,
        below_target_only: bool = False,
    ) -> None:
        super().__init__()
        self.config = config
        self.set_keymap(read_keymap(config.keys))
        self.start_period = period or config.period
        self.start_service = service
        self.start_indicator = indicator
        self.below_target_only = below_target_only
        self.session = Session(config)
        self._indicator: IndicatorScreen | None = None
        self._service: ServiceScreen | None = None
        self._manifest_seen: object = None
        """The manifest's (inode, mtime), or its ETag in a store, when last looked at."""
        self._lost = False
        self._warned = 0
        """How many of the dataset's warnings have been shown."""
        self.speed_builder: subprocess.Popen[bytes] | None = None
        """The process building the dataset's tables for speed, once started."""
        """The generation on screen was removed (``dataset_lost``), a reload is under way."""
        self.newer: str | None = None
        """A newer generation than the one on screen, once one is written (``r`` loads it)."""
        self.failure: str | None = None
        """Why the explorer stopped on an error nothing else caught, in one line."""

    @property
    def dataset(self) -> Dataset | None:
        """The dataset on screen; None until it is loaded."""
        return self.session.dataset if self.session.loaded else None

    @property
    def period(self) -> str:
        return self.session.period

    @period.setter
    def period(self, period: str) -> None:
        self.session.period = period

    def compose(self) -> ComposeResult:
        yield Static("Loading the dataset…", id="loading")

    def action_command_palette(self) -> None:
        """Textual's command palette, with the jumps through this session's dataset."""
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            providers = [*App.COMMANDS, jumps_for(self.session)]
            self.push_screen(CommandPalette(providers, id="--command-palette"))

    def _handle_exception(self, error: Exception) -> None:
        """An error nothing else caught ends the explorer, as in any Textual app, but with
        one line from ``run_app`` and exit 2 instead of a traceback and exit 0."""
        if self.failure is None:
            self.failure = failure_line(error)
        super()._handle_exception(error)
        self._exit_renderables.clear()  # Textual's traceback: run_app says the one line

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast, from any screen: its message may quote data or what was typed, and
        none of that may act on the terminal."""
        super().notify(
            literal(message),
            title=literal(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def on_mount(self) -> None:
        for notice in self.config.notices:
            self.notify(notice, title="Configuration", severity="warning")
        if self.config.data_from is not None:
            self.title = f"{self.TITLE} · {self.config.origin()}"
            self.notify(self.config.origin(), title="Dataset", severity="warning")
        self.load_dataset()
        self.set_interval(self.WATCH_SECONDS, self.look_for_newer)

    @work(thread=True, exclusive=True)
    def load_dataset(self, reload: bool = False) -> None:
        """Load the dataset; its indicator values are checked in the rows each view reads
        (on millions of rows, checking every value takes longer than the summary)."""
        try:
            dataset = load_dataset(self.config.data_dir, check_values=False)
            self.post_message(DatasetLoaded(dataset, reload))
        except DatasetError as error:
            if reload:  # the data on screen is still whole: keep it
                self.call_from_thread(self.notify, str(error), severity="error", markup=False)
            else:
                self.post_message(DatasetFailed(str(error)))

    def build_speed_tables(self, dataset: Dataset) -> None:
        """Its tables for speed, built for the next open by a process of its own: this one
        has painted from the rows, and a build takes longer than a glance."""
        if self.speed_builder is None:
            self.speed_builder = speed_tables.start_building(dataset.generation.tables)

    def on_dataset_failed(self, message: DatasetFailed) -> None:
        self.push_screen(ErrorScreen(message.message))

    # A refresh while the explorer is open ------------------------------------------------

    def look_for_newer(self) -> None:
        """Offer, once, to show a generation written since the one on screen: an ingest on
        a shared server while colleagues have the explorer open."""
        dataset = self.dataset
        if dataset is None:
            return
        location = self.config.data_dir
        if isinstance(location, S3Location):
            self._look_in_store(location)
            return
        try:
            stat = (location / MANIFEST_NAME).stat()
        except OSError:
            return
        seen = (stat.st_ino, stat.st_mtime_ns)
        if seen == self._manifest_seen:
            return
        self._manifest_seen = seen
        self._offer_newer(read_manifest(location))

    @work(thread=True, exclusive=True, group="newer")
    def _look_in_store(self, location: S3Location) -> None:
        """The same look at a store: one HEAD for the manifest's ETag, off the UI thread."""
        tag = manifest_tag(location)
        if tag is None or tag == self._manifest_seen:
            return
        try:
            manifest, _tag = read_remote_manifest(location)
        except StorageError:
            return
        self._manifest_seen = tag
        self.call_from_thread(self._offer_newer, manifest)

    def dataset_lost(self) -> None:
        """The generation on screen was removed from its store (the explorer stayed open
        longer than the grace period): load the current one, each screen keeping its place."""
        self._lost = True
        self.load_dataset(reload=True)

    def _offer_newer(self, manifest: dict[str, Any] | None) -> None:
        name = generation_name(manifest)
        dataset = self.dataset
        if dataset is None or name is None or name in (dataset.generation.name, self.newer):
            return
        self.newer = name
        self.notify(
            f"A newer dataset was written{_written(manifest)}. "
            "Press r to show it; you stay where you are.",
            title="Dataset refreshed",
            timeout=30,
        )

    def action_reload(self) -> None:
        if self.newer is None:
            self.notify("The data on screen is the latest.", markup=False)
            return
        self.load_dataset(reload=True)

    def show_new_warnings(self) -> None:
        """Each warning about the dataset's values not shown yet: found at load, or in the
        rows a view has just read (values are checked as views read them)."""
        dataset = self.dataset
        if dataset is None:
            return
        for warning in dataset.warnings[self._warned :]:  # kept, and shown with a "?" badge
            self.notify(str(warning), title="Dataset warning", severity="warning", markup=False)
        self._warned = len(dataset.warnings)

    def _reloaded(self, dataset: Dataset) -> None:
        """The newer generation, on every open screen, each keeping its place."""
        self.session.dataset = dataset
        self._warned = 0
        if self.newer == dataset.generation.name:
            self.newer = None
        for screen in self.screen_stack:
            if isinstance(screen, BarnetScreen):
                screen.reload_data()
        self.clear_notifications()  # the offer, answered
        if self._lost:
            self._lost = False
            self.notify(
                "The dataset on screen was replaced and removed from the store; "
                "showing the current one.",
                markup=False,
            )
        else:
            self.notify("Showing the newer dataset.", markup=False)

    def on_dataset_loaded(self, message: DatasetLoaded) -> None:
        if not message.dataset.has_speed_tables:  # read from its rows meanwhile
            self.build_speed_tables(message.dataset)
        if message.reload and self.dataset is not None:
            self._reloaded(message.dataset)
            return
        self.session.dataset = dataset = message.dataset
        self._warned = 0
        self.show_new_warnings()
        try:
            self.period = period_asked(dataset, self.start_period)
            service = service_asked(dataset, self.start_service) if self.start_service else None
        except ChoiceError as error:
            self.push_screen(ErrorScreen(str(error)))
            return
        self.push_screen(SummaryScreen(self.session, self.period))
        if self.start_indicator:
            self.jump_to_indicator(self.start_indicator, fail=True)
        elif service:
            self.open_service(service, self.period)

    def indicator_screen(self, service: str, rows: pl.DataFrame, index: int) -> IndicatorScreen:
        """The indicator screen, built once and reused: building a screen's widgets and
        styles is most of the time it takes to open one."""
        if self._indicator is None:
            self._indicator = IndicatorScreen(self.session, service, rows, index)
            self.install_screen(self._indicator, name="indicator")
        else:
            self._indicator.reopen(service, rows, index)
        return self._indicator

    # Navigation ---------------------------------------------------------------------------

    def summary(self) -> SummaryScreen:
        """Back to the corporate summary, leaving it as the only level open.

        Started with a flag that named nothing (``--service nowhere``), the explorer shows
        only an error; a jump from the palette then opens the summary afresh.
        """
        while not isinstance(self.screen, SummaryScreen) and len(self.screen_stack) > 1:
            self.pop_screen()
        if not isinstance(self.screen, SummaryScreen):
            if not self.period:
                self.period = period_asked(self.session.dataset, LATEST)
            self.push_screen(SummaryScreen(self.session, self.period))
        assert isinstance(self.screen, SummaryScreen)
        return self.screen

    @reads_dataset
    def open_service(
        self,
        service: str,
        period: str,
        open_row: tuple[str, int] | None = None,
        tab: str = "indicators",
    ) -> None:
        """Open a service's list, fresh: its filters and sort start from their defaults.

        The service screen is built once and reused, like the indicator screen; reopened,
        it shows ``tab`` at once (switching tabs twice in a turn left two focus requests
        that each showed their own tab, for ever)."""
        self.session.dataset.service_rows(period, service)  # read here, where a failure is caught
        if self._service is None:
            self._service = ServiceScreen(
                self.session,
                service,
                period,
                below_only=self.below_target_only,
                open_row=open_row,
                tab=tab,
            )
            self.install_screen(self._service, name="service")
            self.push_screen(self._service)  # opens ``open_row`` once mounted
            return
        self._service.reopen(service, period, self.below_target_only, tab)
        self.push_screen(self._service)
        if open_row is not None:
            self._service.open_place(*open_row)

    @reads_dataset
    def jump_to_service(self, service: str) -> None:
        summary = self.summary()
        self.open_service(service, summary.period)

    @reads_dataset
    def jump_to_period(self, period: str) -> None:
        self.summary().set_period(period)

    @reads_dataset
    def jump_to_indicator(
        self, ref: str, fail: bool = False, where: tuple[str, str] | None = None
    ) -> None:
        """Open an indicator in the summary's period, else in the latest period that has it;
        with ``where`` (service, period), there (what a palette hit names)."""
        rows = indicator_rows(self.session.dataset, ref)
        if rows.height == 0:
            message = f"no indicator with ref {ref!r} in the dataset"
            if fail:
                self.push_screen(ErrorScreen(message))
            else:
                self.notify(message, severity="error", markup=False)
            return
        summary = self.summary()
        row = indicator_row(rows, summary.period, where)
        if row["period"] != summary.period:
            summary.set_period(row["period"])
        self.open_service(
            row["service"], row["period"], open_row=(row["source"], row["source_line"])
        )

    @reads_dataset
    def jump_to_report_row(
        self, table: str, service: str, period: str, place: tuple[str, int]
    ) -> None:
        """Open a key action or a risk on its service's tab, in its period."""
        summary = self.summary()
        if summary.period != period:
            summary.set_period(period)
        self.open_service(service, period, tab=table)
        screen = self._service
        if screen is not None:
            self.call_after_refresh(screen.open_report_place, table, *place)

    @reads_dataset
    def open_indicator(self, service: str, period: str, ref: str) -> None:
        """An indicator of a finding (a change, an audited row), ``n`` / ``N`` stepping
        through its service's list of that period."""
        rows = self.session.dataset.service_rows(period, service)
        refs = rows["ref"].to_list()
        if ref not in refs:
            self.notify(f"{ref} is not in {service}'s {period} list.", markup=False)
            return
        self.session.dataset.ref_rows(ref)  # its history, read where a failure is caught
        self.push_screen(self.indicator_screen(service, rows, refs.index(ref)))

    def open_findings(self, kind: type[FindingsScreen]) -> None:
        """The changes or the audit for the period on screen (the summary's)."""
        if isinstance(self.screen, kind):
            return
        self.push_screen(kind(self.session, self.period or self.summary().period))

    def action_changes(self) -> None:
        self.open_findings(ChangesScreen)

    def action_audit(self) -> None:
        self.open_findings(AuditScreen)

    # Messages from screens, widgets and the palette: each routed to what does it -------

    def on_open_service(self, message: messages.OpenService) -> None:
        self.open_service(message.service, message.period, message.open_row, message.tab)

    def on_open_indicator(self, message: messages.OpenIndicator) -> None:
        self.open_indicator(message.service, message.period, message.ref)

    @reads_dataset
    def on_show_indicators(self, message: messages.ShowIndicators) -> None:
        """The indicator at ``index`` of a list on screen."""
        rows, index = message.rows, message.index
        self.session.dataset.ref_rows(rows["ref"][index])  # read where a failure is caught
        self.push_screen(self.indicator_screen(message.service, rows, index), message.returned)

    def on_show_record(self, message: messages.ShowRecord) -> None:
        self.push_screen(RecordScreen(message.crumbs, message.text))

    def on_show_changes(self) -> None:
        self.action_changes()

    def on_show_audit(self) -> None:
        self.action_audit()

    def on_jump_to_service(self, message: messages.JumpToService) -> None:
        self.jump_to_service(message.service)

    def on_jump_to_period(self, message: messages.JumpToPeriod) -> None:
        self.jump_to_period(message.period)

    def on_jump_to_indicator(self, message: messages.JumpToIndicator) -> None:
        self.jump_to_indicator(message.ref, where=message.where)

    def on_jump_to_report_row(self, message: messages.JumpToReportRow) -> None:
        self.jump_to_report_row(message.table, message.service, message.period, message.place)

    def action_keys(self) -> None:
        if isinstance(self.screen, KeysScreen):
            return
        title = type(self.screen).__name__.removesuffix("Screen").lower() or "app"
        if isinstance(self.screen, ServiceScreen):
            title += f" · {ServiceScreen.TABS[self.screen.active_tab()]} tab"
        self.push_screen(KeysScreen(self.screen, title))


def _written(manifest: dict[str, Any] | None) -> str:
    """ " at 09:41" (local time) from the manifest's ``generated_at``; "" when it has none."""
    try:
        written = datetime.fromisoformat(str((manifest or {})["generated_at"]))
    except (KeyError, ValueError):
        return ""
    return f" at {written.astimezone():%H:%M}"


def run_app(config: Config, **start: Any) -> int:
    """Run the explorer (``start``: period, service, indicator, below_target_only); its exit
    status, 2 when it could only show an error or the ``[keys]`` table is wrong, and 2 with
    one line when it stopped on an error (never a traceback, never 0)."""
    try:
        app = BarnetApp(config, **start)
    except KeymapError as error:
        print(f"barnet-tui: error: {error}", file=sys.stderr)
        return 2
    try:
        result = app.run()
    except Exception as error:  # the terminal could not be driven, say
        app.failure = app.failure or failure_line(error)
        result = None
    if app.failure is not None:
        print(f"barnet-tui: error: the explorer stopped: {app.failure}", file=sys.stderr)
        return 2
    return result if isinstance(result, int) else 0


def failure_line(error: BaseException) -> str:
    """An unexpected error in one line, inert: its kind and the first line it says."""
    if isinstance(error, WorkerFailed):
        error = error.error
    said = str(error).strip().splitlines()
    return literal(f"{type(error).__name__}: {said[0][:200]}" if said else type(error).__name__)
