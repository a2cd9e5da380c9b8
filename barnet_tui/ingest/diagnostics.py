"""Warnings: what the parser could not place or could not reconcile, with where it was."""

from __future__ import annotations

from dataclasses import dataclass

from barnet_tui.domain.literal_text import literal


@dataclass(frozen=True, order=True)
class IngestWarning:
    """One thing a person should look at; ingest still completes."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        """The line a user is shown: a file name or quoted text never acts on the terminal."""
        return literal(f"{self.source}:{self.line}: {self.message}")

    def as_dict(self) -> dict[str, str | int]:
        return {"source": self.source, "line": self.line, "message": self.message}
