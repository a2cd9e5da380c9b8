"""How the service screen's Key actions, Finance and Risks tabs show their tables.

One ``ReportView`` per table: its columns and how to sort by each, what ``b`` keeps (the rows
that need attention), what ``f`` steps through, and the words a filter searches. The widget
that shows them (``widgets.report_list``) knows nothing of any one table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import polars as pl
from rich.text import Text

from barnet_tui.domain.ratings import SEVERITY
from barnet_tui.domain.report_tables import IMPACT_WORDS
from barnet_tui.tui.render import badge, cell, number, plain

Row = dict[str, Any]
Cells = Callable[[Row, Mapping[str, str]], tuple[Text, ...]]


class ReportView(NamedTuple):
    table: str
    noun: str
    """What a row is, plural ("key actions")."""
    columns: tuple[tuple[str, str, int], ...]
    """(key, label, width); width 0 takes the room left."""
    sorts: dict[str, list[pl.Expr]]
    default_sort: str
    cells: Cells
    attention: tuple[str, pl.Expr]
    """What ``b`` keeps, and its label in the filter line."""
    cycle: tuple[str, str, tuple[str | None, ...]]
    """What ``f`` steps through: its label, the column, the values (None: all)."""
    search: tuple[str, ...]
    """Columns the ``|`` filter searches."""
    detail: Callable[[Row], Text]
    id_column: str


def _severity() -> pl.Expr:
    return pl.col("rag").replace_strict(SEVERITY, default=len(SEVERITY), return_dtype=pl.Int64)


def _field(text: Text, label: str, value: object) -> None:
    if value is None or value == "":
        return
    text.append(f"\n{label}: ", style="bold")
    text.append_text(plain(value))


# Key actions --------------------------------------------------------------------------------


def _action_cells(row: Row, colours: Mapping[str, str]) -> tuple[Text, ...]:
    return (
        badge(row["rag"], colours),
        cell(row["ref"] or "–"),
        cell(row["action"]),
        cell(row["due"] or ""),
    )


def _action_detail(row: Row) -> Text:
    text = plain(f"{row['ref'] or 'Key action'} ", style="bold")
    text.append_text(plain(row["action"]))
    _field(text, "Priority", row["priority"])
    _field(text, "Status as printed", row["rag_raw"] or "not rated")
    _field(text, "Overall (annual) status", row["overall_rag_raw"])
    _field(text, "Due", row["due"])
    _field(text, "Comment", row["comment"] or "none in the report")
    return text


ACTIONS_VIEW = ReportView(
    table="actions",
    noun="key actions",
    columns=(("rag", "", 4), ("ref", "Ref", 7), ("action", "Action", 0), ("due", "Due", 8)),
    sorts={
        "rag": [_severity(), pl.col("ref")],
        "ref": [pl.col("ref")],
        "action": [pl.col("action").str.to_lowercase()],
        "due": [pl.col("due")],
    },
    default_sort="rag",
    cells=_action_cells,
    attention=("not on track", pl.col("rag").is_null() | (pl.col("rag") != "Green")),
    cycle=("rating", "rag", (None, "Red", "Red Amber", "Green Amber", "Green", "-")),
    search=("ref", "action", "priority", "comment", "rag_raw"),
    detail=_action_detail,
    id_column="ref",
)


# Finance ------------------------------------------------------------------------------------


def money(value: float | None) -> Text:
    """£000 as the reports print them: brackets for negatives."""
    if value is None:
        return Text("–", style="dim", justify="right")
    shown = f"{abs(value):,.0f}"
    return Text(f"({shown})" if value < 0 else shown, justify="right")


def variance_cue(value: float | None) -> Text:
    """A variance with its sign, its colour and a word: never colour alone."""
    if value is None:
        return Text("–", style="dim", justify="right")
    if value > 0:
        return Text(f"+{value:,.0f} over", style="bold red", justify="right")
    if value < 0:
        return Text(f"−{abs(value):,.0f} under", style="green", justify="right")
    return Text("0 on budget", justify="right")


def _variance(row: Row) -> float | None:
    after = row.get("variance_after_reserves")
    return after if after is not None else row.get("variance")


def _finance_cells(row: Row, colours: Mapping[str, str]) -> tuple[Text, ...]:
    pct = row["variance_pct"] if row["variance_pct"] is not None else row["slippage_pct"]
    return (
        cell("Cap" if row["kind"] == "capital" else "Rev"),
        cell(row["line"], style="bold" if row["line"].lower().startswith("total") else ""),
        money(
            row["revised_budget"] if row["revised_budget"] is not None else row["original_budget"]
        ),
        money(row["forecast_or_actual"]),
        variance_cue(_variance(row)),
        number(pct, "%"),
    )


def _finance_detail(row: Row) -> Text:
    text = plain(f"{row['kind'].capitalize()}: {row['line']}", style="bold")
    text.append("  (£000 as printed)", style="dim")
    for label, name in (
        ("Original budget", "original_budget"),
        ("Revised budget", "revised_budget"),
        ("Additions / deletions", "additions"),
        ("Slippage / accelerated spend", "slippage"),
        ("Proposed budget", "proposed_budget"),
        ("Forecast / outturn", "forecast_or_actual"),
        ("Variance", "variance"),
        ("Reserve movements", "reserve_movements"),
        ("Variance after reserves", "variance_after_reserves"),
    ):
        if row[name] is not None:
            text.append(f"\n{label}: ", style="bold")
            text.append_text(money(row[name]))
            if name == "variance_after_reserves":
                text.append("  (the list's Variance)", style="dim")
    for label, name in (("Variance %", "variance_pct"), ("Slippage %", "slippage_pct")):
        if row[name] is not None:
            _field(text, label, f"{row[name]:g}%")
    _field(text, "Comment", row["comment"] or "none in the report")
    return text


FINANCE_VIEW = ReportView(
    table="finance",
    noun="budget lines",
    columns=(
        ("kind", "", 4),
        ("line", "Line", 0),
        ("budget", "Budget", 9),
        ("forecast", "Forecast", 10),
        ("variance", "Variance", 14),
        ("pct", "%", 7),
    ),
    sorts={
        "kind": [pl.col("kind").str.reverse(), pl.col("source_line")],
        "line": [pl.col("line").str.to_lowercase()],
        "budget": [pl.coalesce("revised_budget", "original_budget")],
        "forecast": [pl.col("forecast_or_actual")],
        "variance": [pl.coalesce("variance_after_reserves", "variance")],
        "pct": [pl.coalesce("variance_pct", "slippage_pct")],
    },
    default_sort="kind",
    cells=_finance_cells,
    attention=("overspent", pl.coalesce("variance_after_reserves", "variance") > 0),
    cycle=("kind", "kind", (None, "revenue", "capital")),
    search=("line", "comment", "kind"),
    detail=_finance_detail,
    id_column="line",
)


# Risks --------------------------------------------------------------------------------------

HIGH_RISK = 15
"""``b`` on the Risks tab: scores the reports call high level ("15 or above")."""


def _risk_cells(row: Row, colours: Mapping[str, str]) -> tuple[Text, ...]:
    score = row["score"]
    shown = number(score)
    if score is not None and score >= HIGH_RISK:
        shown.stylize("bold red")
    return (
        shown,
        number(row["target_score"]),
        cell(row["risk_id"]),
        cell(row["category"] or ""),
        cell(row["description"] or ""),
    )


def _assessment(impact: int | None, probability: int | None, score: int | None) -> str:
    parts = [
        f"impact {'?' if impact is None else impact}",
        f"probability {'?' if probability is None else probability}",
        f"score {'?' if score is None else score}",
    ]
    return ", ".join(parts)


def _risk_detail(row: Row) -> Text:
    text = plain(f"{row['risk_id']} ", style="bold")
    text.append_text(plain(row["category"] or ""))
    _field(text, "Risk", row["description"])
    current = _assessment(row["impact"], row["probability"], row["score"])
    if row.get("impact_derived"):
        placed = row["placed_impact"]
        current = current.replace(
            "impact ?",
            f"impact {placed} {IMPACT_WORDS[placed - 1]} (derived: score ÷ probability; "
            "the register prints none)",
            1,
        )
    _field(text, "Current", f"{current} ({row['rating'] or 'no rating printed'})")
    if row["target_score"] is not None or row["target_impact"] is not None:
        target = _assessment(row["target_impact"], row["target_probability"], row["target_score"])
        _field(text, "Target", f"{target} ({row['target_rating'] or 'no rating printed'})")
    _field(text, "Response", row["status"])
    _field(text, "Reviewed", row["review"])
    _field(text, "Controls", row["controls"])
    return text


RISKS_VIEW = ReportView(
    table="risks",
    noun="risks",
    columns=(
        ("score", "Score", 7),
        ("target", "Target", 7),
        ("risk_id", "Risk", 11),
        ("category", "Category", 13),
        ("description", "Description", 0),
    ),
    sorts={
        "score": [pl.col("score"), pl.col("risk_id")],
        "target": [pl.col("target_score")],
        "risk_id": [pl.col("risk_id")],
        "category": [pl.col("category")],
        "description": [pl.col("description").str.to_lowercase()],
    },
    default_sort="score",
    cells=_risk_cells,
    attention=(f"score {HIGH_RISK}+", pl.col("score") >= HIGH_RISK),
    cycle=("rating", "rating", (None, "High", "Medium High", "Medium Low", "Low")),
    search=("risk_id", "category", "description", "controls"),
    detail=_risk_detail,
    id_column="risk_id",
)

VIEWS = {view.table: view for view in (ACTIONS_VIEW, FINANCE_VIEW, RISKS_VIEW)}
DESCENDING_FIRST = frozenset({"score", "target", "variance", "pct", "budget", "forecast"})
