"""Warnings: what the parser could not place or could not reconcile, with where it was."""

from __future__ import annotations

from dataclasses import dataclass

from barnet_tui.domain.literal_text import literal

MESSAGE_LIMIT = 300
"""Characters of a warning's message kept: it quotes a few words of a cell to point at it,
never the cell (a 3 MB comment once made a 3 MB line of stderr and of the manifest)."""
_TAIL = 100
"""Of those, the characters kept from the message's end: what it says of the cell quoted."""


@dataclass(frozen=True, order=True)
class IngestWarning:
    """One thing a person should look at; ingest still completes."""

    source: str
    line: int
    message: str

    def __post_init__(self) -> None:
        if len(self.message) > MESSAGE_LIMIT:
            head = MESSAGE_LIMIT - _TAIL - 1
            object.__setattr__(self, "message", f"{self.message[:head]}…{self.message[-_TAIL:]}")

    def __str__(self) -> str:
        """The line a user is shown: a file name or quoted text never acts on the terminal."""
        return literal(f"{self.source}:{self.line}: {self.message}")

    def as_dict(self) -> dict[str, str | int]:
        return {"source": self.source, "line": self.line, "message": self.message}
