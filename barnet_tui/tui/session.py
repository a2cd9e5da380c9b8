"""What every screen reads: the dataset, the config and the period on screen.

Screens are given the session when they are made and never reach for the app: they read
here and post Messages (``tui.messages``) for the app to route, so a screen can be mounted
alone, in a test, with a session of its own.
"""

from __future__ import annotations

import polars as pl

from barnet_tui.config import Config
from barnet_tui.domain.audit import audit
from barnet_tui.domain.dataset import Dataset
from barnet_tui.domain.questions import changes_to, summary_with_reports


class Session:
    """The loaded dataset and what is derived from it, computed once a period."""

    def __init__(self, config: Config, dataset: Dataset | None = None) -> None:
        self.config = config
        self._dataset = dataset
        self.period = ""
        """The summary's period: what the changes, the audit and an export are about."""
        self._summaries: dict[str, pl.DataFrame] = {}
        self._changes: dict[str, tuple[pl.DataFrame, pl.DataFrame]] = {}
        self._coverage: dict[str, pl.DataFrame] = {}

    @property
    def loaded(self) -> bool:
        return self._dataset is not None

    @property
    def dataset(self) -> Dataset:
        if self._dataset is None:
            raise RuntimeError("the dataset is not loaded yet")
        return self._dataset

    @dataset.setter
    def dataset(self, dataset: Dataset) -> None:
        """A (newer) dataset: what was derived from the one before is dropped."""
        self._dataset = dataset
        self._summaries.clear()
        self._changes.clear()
        self._coverage.clear()

    def summary_for(self, period: str) -> pl.DataFrame:
        """The corporate summary of a period, computed once: several screens show it. Read
        from ``period_counts`` (``Dataset.summary``): no indicator row is read for it."""
        if period not in self._summaries:
            ratings = self.config.below_target
            self._summaries[period] = summary_with_reports(self.dataset, period, ratings)
        return self._summaries[period]

    def changes_for(self, period: str) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Each service's changes in ``period`` (each indicator against its latest earlier
        figure) and the service's reports compared; computed once a period."""
        if period not in self._changes:
            found, pairs, covered = changes_to(self.dataset, period)
            self._changes[period] = (found, pairs)
            self._coverage[period] = covered
        return self._changes[period]

    def coverage_for(self, period: str) -> pl.DataFrame:
        """Per service compared in ``period``: what was compared and what could not be."""
        self.changes_for(period)
        return self._coverage[period]

    def audit_for(self, period: str) -> pl.DataFrame:
        """The RAG rule applied to every indicator row of ``period``."""
        return audit(self.dataset.period_rows(period))
