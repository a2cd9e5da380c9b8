"""What changed: each service's indicators now against its report before."""

from __future__ import annotations

from typing import Any, ClassVar

import polars as pl
from rich.text import Text

from barnet_tui.domain.changes import DROPPED, counts_sentence, cue, detail
from barnet_tui.tui.render import cell, plain
from barnet_tui.tui.screens.findings import FindingColumn, FindingsScreen


def _change(row: dict[str, Any]) -> Text:
    """ "▼ newly below target": ▼ worse (in red), ▲ better (green), + new, − dropped; the
    sign and the words read without colour."""
    style = "bold red" if row["worse"] else ("green" if cue(row) == "▲" else "")
    return Text.assemble(" ", (cue(row), style), f" {row['change']}")


class ChangesScreen(FindingsScreen):
    """The summary's period against each service's report before it."""

    CRUMB = "Changes"
    ATTENTION = "worse changes"
    COLUMNS: ClassVar[tuple[FindingColumn, ...]] = (
        FindingColumn("service", "Service", 14, lambda row: cell(row["service"])),
        FindingColumn("change", "Change", 21, _change),
        FindingColumn("ref", "Ref", 10, lambda row: cell(row["ref"])),
        FindingColumn("indicator", "Indicator", 0, lambda row: cell(row["indicator"])),
        FindingColumn("steps", "What moved", 16, lambda row: cell(detail(row))),
    )

    def load(self) -> pl.DataFrame:
        found, self.pairs = self.session.changes_for(self.period)
        self.covered = self.session.coverage_for(self.period)
        return found

    def attention(self) -> pl.Expr:
        return pl.col("worse")

    def headline(self) -> Text:
        text = Text()
        text.append(self.period, style="bold")
        text.append(" against each service's report before · ", style="dim")
        text.append(counts_sentence(self.findings, self.covered))
        return text

    def empty(self) -> str:
        if self.covered.is_empty():
            return (
                f"No changes: no service in {self.period} has a report before it to compare with."
            )
        compared = int(self.covered["compared"].sum())
        return f"No changes: the {compared} indicators compared did not move."

    def describe(self, row: dict[str, Any]) -> Text:
        text = Text.assemble((f"{row['ref']} ", "bold"), plain(row["indicator"]))
        text.append(f"\n{row['change']}, {row['from_period']} → {row['to_period']}: ", "dim")
        text.append_text(plain(detail(row)))
        return text

    def legend(self) -> Text:
        spans = sorted(
            {f"{a} → {b}" for a, b in self.pairs.select("from_period", "to_period").rows()}
        )
        compared = (
            f"{self.pairs.height} services compared ({', '.join(spans)})"
            if spans
            else ("No service has a report before this period to compare with")
        )
        return Text(f"▼ worse · ▲ better · + new · − dropped · {compared}", style="dim")

    def place(self, row: dict[str, Any]) -> tuple[str, str, str]:
        period = row["from_period"] if row["change"] == DROPPED else row["to_period"]
        return row["service"], period, row["ref"]
