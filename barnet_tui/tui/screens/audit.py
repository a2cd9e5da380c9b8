"""The RAG rule audited for one period: each row's published rating beside the rule's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text

from barnet_tui.domain.attention import disagrees
from barnet_tui.domain.audit import agreement, mark, pair
from barnet_tui.tui.render import cell, plain
from barnet_tui.tui.screens.findings import FindingColumn, FindingsScreen
from barnet_tui.tui.widgets.key_hints import key_for

if TYPE_CHECKING:
    import polars as pl


def _mark(row: dict[str, Any]) -> Text:
    """✓ agrees, ✗ disagrees (in red), · nothing to agree with."""
    return Text(f" {mark(row)}", style="bold red" if row["agrees"] is False else "")


class AuditScreen(FindingsScreen):
    """The rule's rating and working for every indicator row of the summary's period."""

    CRUMB = "RAG rule audit"
    ATTENTION = "disagreements"
    COLUMNS: ClassVar[tuple[FindingColumn, ...]] = (
        FindingColumn("agrees", "✓", 3, _mark),
        FindingColumn("computed", "Report·Rule", 13, lambda row: cell(pair(row))),
        FindingColumn("service", "Service", 14, lambda row: cell(row["service"])),
        FindingColumn("ref", "Ref", 10, lambda row: cell(row["ref"])),
        FindingColumn("working", "Working", 0, lambda row: cell(row["working"])),
    )

    def load(self) -> pl.DataFrame:
        return self.session.audit_for(self.period)

    def attention(self) -> pl.Expr:
        return disagrees()

    def headline(self) -> Text:
        text = Text()
        text.append(self.period, style="bold")
        text.append(" · ", style="dim")
        text.append(agreement(self.findings).sentence())
        return text

    def empty(self) -> str:
        return f"No indicator rows in {self.period} to audit."

    def attention_empty(self) -> str:
        """``b`` with no disagreement says how many ratings the rule checked: none checked
        is not an agreement."""
        checked = agreement(self.findings).checked
        key = key_for(self, "filter.attention")
        if not checked:
            return (
                f"Nothing to disagree with in {self.period}: of its {self.findings.height} "
                f"rows, none has a published rating with the figures the rule needs "
                f"({key} shows all)."
            )
        return (
            f"No disagreements in {self.period}: the rule agrees with all {checked} published "
            f"ratings it can check ({key} shows all {self.findings.height} rows)."
        )

    def describe(self, row: dict[str, Any]) -> Text:
        text = Text.assemble((f"{row['ref']} ", "bold"), plain(row["indicator"]))
        said = f"report: {row['published'] or 'no rating'} · rule: {row['computed'] or 'no rating'}"
        text.append(f"\n{said}\n", style="dim")
        return text.append_text(plain(row["working"]))

    def legend(self) -> Text:
        return Text(
            "✓ agrees · ✗ disagrees · the key: Green met; GA 80%+, RA 65-80%, R under 65% of "
            "the targeted improvement achieved; a near, improving Red is lifted",
            style="dim",
        )
