"""What changed: each indicator of a period against its own latest earlier figure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text

from barnet_tui.domain.attention import worse
from barnet_tui.domain.changes import (
    DROPPED,
    compared_with,
    counts_sentence,
    cue,
    detail,
    not_comparable,
    source,
)
from barnet_tui.tui.render import cell, plain
from barnet_tui.tui.screens.findings import FindingColumn, FindingsScreen
from barnet_tui.tui.widgets.key_hints import key_for

if TYPE_CHECKING:
    import polars as pl


def _change(row: dict[str, Any]) -> Text:
    """ "▼ newly below target": ▼ worse (in red), ▲ better (green), + new, − dropped; the
    sign and the words read without colour."""
    style = "bold red" if row["worse"] else ("green" if cue(row) == "▲" else "")
    return Text.assemble(" ", (cue(row), style), f" {row['change']}")


class ChangesScreen(FindingsScreen):
    """Each indicator of the summary's period against its own latest earlier figure."""

    CRUMB = "Changes"
    ATTENTION = "worse changes"
    COLUMNS: ClassVar[tuple[FindingColumn, ...]] = (
        FindingColumn("service", "Service", 14, lambda row: cell(row["service"])),
        FindingColumn("change", "Change", 22, _change),
        FindingColumn("ref", "Ref", 10, lambda row: cell(row["ref"])),
        FindingColumn("indicator", "Indicator", 0, lambda row: cell(row["indicator"])),
        FindingColumn("steps", "What moved", 16, lambda row: cell(detail(row))),
    )

    def load(self) -> pl.DataFrame:
        found, self.pairs = self.session.changes_for(self.period)
        self.covered = self.session.coverage_for(self.period)
        return found

    def attention(self) -> pl.Expr:
        return worse()

    def headline(self) -> Text:
        text = Text()
        text.append(self.period, style="bold")
        text.append(" · each indicator against its latest earlier figure · ", style="dim")
        text.append(counts_sentence(self.findings, self.covered))
        return text

    def _judged(self) -> str:
        """What the comparison rested on: how many indicators, compared with what, and
        what could not be compared."""
        if self.covered.is_empty():
            return f"no service reports in {self.period}"
        compared = int(self.covered["compared"].sum())
        printed = int(self.covered["printed"].sum())
        apart = not_comparable(
            *(int(self.covered[name].sum()) for name in ("nothing_to_compare", "new", "dropped"))
        )
        noun = "indicator" if compared == 1 else "indicators"
        judged = f"{compared} {noun} compared{compared_with(compared, printed)}"
        return judged + (f"; {apart}" if apart else "")

    def empty(self) -> str:
        if self.covered.is_empty() or not int(self.covered["compared"].sum()):
            return f"Nothing could be compared in {self.period}: {self._judged()}."
        return f"No changes in {self.period}: {self._judged()}."

    def attention_empty(self) -> str:
        """``b`` with nothing worse: "no worse changes" only when something was compared."""
        if self.covered.is_empty() or not int(self.covered["compared"].sum()):
            return f"Nothing could be compared in {self.period}: {self._judged()}."
        return (
            f"No worse changes in {self.period} among {self._judged()} "
            f"({key_for(self, 'filter.attention')} shows all {self.findings.height})."
        )

    def describe(self, row: dict[str, Any]) -> Text:
        text = Text.assemble((f"{row['ref']} ", "bold"), plain(row["indicator"]))
        text.append(f"\n{row['change']}, {source(row)}: ", "dim")
        text.append_text(plain(detail(row)))
        return text

    def legend(self) -> Text:
        return Text(
            "▼ worse · ▲ better · + new · − dropped · the dataset's comparison of each "
            "indicator the reports detail; the summary's Imp/Wor are the reports' own counts "
            "of their direction of travel",
            style="dim",
        )

    def place(self, row: dict[str, Any]) -> tuple[str, str, str]:
        period = row["from_period"] if row["change"] == DROPPED else row["to_period"]
        return row["service"], period, row["ref"]
