"""Errors that stop an ingest: each carries the one line a user is shown."""

from __future__ import annotations


class IngestError(Exception):
    """Ingest cannot go on; the message names the file and what is wrong."""


class ReportError(IngestError):
    """A report file cannot be read or is not a performance report."""
