"""Errors that stop an ingest: each carries the one line a user is shown."""

from __future__ import annotations

from barnet_tui.domain.literal_text import literal


class IngestError(Exception):
    """Ingest cannot go on; the message names the file and what is wrong."""

    def __str__(self) -> str:
        """The one line a user is shown: a path or value it quotes never acts on the terminal
        (file names may carry control characters too)."""
        return literal(super().__str__())


class ReportError(IngestError):
    """A report file cannot be read or is not a performance report."""
