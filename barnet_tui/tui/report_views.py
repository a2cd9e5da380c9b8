"""How the service screen's tabs show their tables: indicators, key actions, finance, risks.

One ``ReportView`` per table: its columns, what the list may be narrowed and sorted by
(``rules``: what ``b`` keeps, what ``f`` steps through, the words ``|`` searches, each
column's sort), each row's cells and its detail. The widget that shows them
(``widgets.report_list``) knows nothing of any one table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal, NamedTuple

import polars as pl
from rich.text import Text

from barnet_tui.domain.attention import (
    BELOW_TARGET,
    HIGH_RISK,
    HIGH_RISK_WORDS,
    NOT_ON_TRACK,
    OVERSPENT,
    high_risk,
    not_on_track,
    overspent,
    severity,
    variance,
)
from barnet_tui.domain.ratings import BADGE_LETTERS, NOT_RATED
from barnet_tui.domain.report_tables import IMPACT_WORDS
from barnet_tui.tui.list_model import ListRules
from barnet_tui.tui.render import badge, cell, dot, number, plain

Row = dict[str, Any]
Cells = Callable[[Row, Mapping[str, str]], tuple[Text, ...]]
Columns = tuple[tuple[str, str, int], ...]
Widths = Callable[[Columns, int, pl.DataFrame], list[int]]


class ListIds(NamedTuple):
    """The ids of a list's parts, where the app's stylesheet or the tests name them."""

    note: str | None = None
    status: str | None = None
    table: str | None = None
    detail: str | None = None
    search: str | None = None


def rest_to_words(columns: Columns, width: int, _rows: pl.DataFrame) -> list[int]:
    """Fixed columns; the words column (width 0) takes the rest of the list's ``width``,
    less its scrollbar."""
    widths = [width for _key, _label, width in columns]
    flexible = widths.index(0)
    widths[flexible] = max(width - 2 - sum(widths), 12)
    return widths


def _all(value: str | None) -> str:
    return value or "all"


class ReportView(NamedTuple):
    table: str
    noun: str
    """What a row is, plural ("key actions")."""
    columns: Columns
    """(key, label, width); width 0 takes the room left."""
    rules: ListRules
    cells: Cells
    attention_label: str
    """What ``b`` keeps, in the status line's words ("not on track")."""
    cycle_label: str
    """What ``f`` steps through ("rating")."""
    detail: Callable[[Row], Text]
    id_column: str
    widths: Widths = rest_to_words
    cycle_words: Callable[[str | None], str] = _all
    """The ``f`` value as the status line says it."""
    nothing: str = "No {noun}: the report gives none for {service} in this period."
    """What an empty list says when the report gives no rows at all."""
    placeholder: str = ""
    """The ``|`` box's prompt ("Filter key actions by words" when empty)."""
    ids: ListIds = ListIds()
    report_checks: bool = True
    """A report table's list: the report's own figures that disagree are said above the
    rows and under the row concerned, each row cites its source, and the detail sits
    beside the heat map (risks)."""
    blank_when_empty: tuple[str, ...] = ()
    """Columns whose cell is blank exactly where the row's field of that name is null or
    empty: where every row's is, the column gives its room to the widest (found from the
    rows, without drawing them all)."""
    opens: Literal["record", "indicator"] = "record"
    """Enter opens the row whole on a screen of its own, or the indicator with its
    history."""


def _field(text: Text, label: str, value: object) -> None:
    if value is None or value == "":
        return
    text.append(f"\n{label}: ", style="bold")
    text.append_text(plain(value))


DESCENDING_FIRST = frozenset({"score", "target", "variance", "pct", "budget", "forecast"})
"""Columns whose first sort is biggest first: scores and money."""


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
    rules=ListRules(
        sorts={
            "rag": [severity(), pl.col("ref")],
            "ref": [pl.col("ref")],
            "action": [pl.col("action").str.to_lowercase()],
            "due": [pl.col("due")],
        },
        default_sort="rag",
        attention=not_on_track(),
        cycle_column="rag",
        cycle_values=(None, "Red", "Red Amber", "Green Amber", "Green", NOT_RATED),
        search=("ref", "action", "priority", "comment", "rag_raw"),
    ),
    cells=_action_cells,
    attention_label=NOT_ON_TRACK,
    cycle_label="rating",
    detail=_action_detail,
    id_column="ref",
    blank_when_empty=("due",),
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
    rules=ListRules(
        sorts={
            "kind": [pl.col("kind").str.reverse(), pl.col("source_line")],
            "line": [pl.col("line").str.to_lowercase()],
            "budget": [pl.coalesce("revised_budget", "original_budget")],
            "forecast": [pl.col("forecast_or_actual")],
            "variance": [variance()],
            "pct": [pl.coalesce("variance_pct", "slippage_pct")],
        },
        default_sort="kind",
        descending_first=DESCENDING_FIRST,
        attention=overspent(),
        cycle_column="kind",
        cycle_values=(None, "revenue", "capital"),
        search=("line", "comment", "kind"),
    ),
    cells=_finance_cells,
    attention_label=OVERSPENT,
    cycle_label="kind",
    detail=_finance_detail,
    id_column="line",
)


# Risks --------------------------------------------------------------------------------------


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
    rules=ListRules(
        sorts={
            "score": [pl.col("score"), pl.col("risk_id")],
            "target": [pl.col("target_score")],
            "risk_id": [pl.col("risk_id")],
            "category": [pl.col("category")],
            "description": [pl.col("description").str.to_lowercase()],
        },
        default_sort="score",
        descending_first=DESCENDING_FIRST,
        attention=high_risk(),
        cycle_column="rating",
        cycle_values=(None, "High", "Medium High", "Medium Low", "Low"),
        search=("risk_id", "category", "description", "controls"),
    ),
    cells=_risk_cells,
    attention_label=HIGH_RISK_WORDS,
    cycle_label="rating",
    detail=_risk_detail,
    id_column="risk_id",
    blank_when_empty=("category", "description"),
)

# Indicators ---------------------------------------------------------------------------------

INDICATOR_COLUMNS: Columns = (
    ("rag", "", 4),
    ("ref", "Ref", 11),
    ("indicator", "Indicator", 0),
    ("result", "Result", 11),
    ("target", "Target", 11),
    ("dot", "Direction", 13),
    ("indicator_type", "Type", 5),
)


def _indicator_cells(row: Row, colours: Mapping[str, str]) -> tuple[Text, ...]:
    return (
        badge(row["rag"], colours),
        cell(row["ref"]),
        cell(row["indicator"]),
        cell(row["result_raw"] or "–"),
        cell(row["target_raw"] or "–"),
        Text(" ").append_text(dot(row["dot"])),
        cell(row["indicator_type"] or ""),
    )


def _comment(row: Row) -> Text:
    """The whole name first (names cut in the list, "Percentage of resident…", can differ
    only in their last words), then the report's comment on it."""
    text = Text()
    text.append_text(plain(row["ref"], style="bold"))
    text.append(" ")
    text.append_text(plain(row["indicator"], style="bold"))
    text.append("\n")
    if row["comment"]:
        text.append_text(plain(row["comment"]))
    elif row["below_target"] and row["result_raw"] is None:
        text.append("Listed in the report as below target; it gives no figures.", style="dim")
    else:
        text.append("No comment in the report.", style="dim")
    return text


def _indicator_widths(columns: Columns, width: int, rows: pl.DataFrame) -> list[int]:
    """Fixed columns and the name; on a wide terminal results and targets widen too, as
    far as the service's longest ("15.0% (Spring 2016)"), the name keeping 60 cells."""
    keys = [key for key, _label, _width in columns]
    widths = [width for _key, _label, width in columns]
    available = width - 1
    spare = max(available - sum(widths) - 60, 0)
    for key in ("result", "target"):
        lengths = rows[f"{key}_raw"].drop_nulls().str.len_chars().to_list() if rows.width else []
        wanted = max(max(lengths, default=0) + 2 - widths[keys.index(key)], 0)
        widths[keys.index(key)] += min(spare // 2, wanted)
    widths[keys.index("indicator")] = max(available - sum(widths), 16)
    return widths


def _rating_words(value: str | None) -> str:
    if value is None:
        return "all"
    if value == NOT_RATED:
        return "- (not rated)"
    return f"{BADGE_LETTERS.get(value, NOT_RATED)} ({value})"


def indicators_view(below_target: pl.Expr) -> ReportView:
    """The Indicators tab: ``b`` keeps those below target (by the ratings the
    configuration counts as below), ``f`` steps through the ratings."""
    return ReportView(
        table="indicators",
        noun="indicators",
        columns=INDICATOR_COLUMNS,
        rules=ListRules(
            sorts={
                "rag": [severity(), pl.col("ref")],
                "ref": [pl.col("ref")],
                "indicator": [pl.col("indicator").str.to_lowercase()],
                "result": [pl.col("result"), pl.col("result_raw")],
                "target": [pl.col("target"), pl.col("target_raw")],
                "dot": [pl.col("dot")],
                "indicator_type": [pl.col("indicator_type")],
            },
            default_sort="rag",
            attention=below_target,
            cycle_column="rag",
            cycle_values=(None, "Red", "Red Amber", "Green Amber", "Green", "Monitor", NOT_RATED),
            search=("ref", "ref_raw", "indicator", "comment"),
        ),
        cells=_indicator_cells,
        attention_label=BELOW_TARGET,
        cycle_label="rating",
        detail=_comment,
        id_column="ref",
        widths=_indicator_widths,
        cycle_words=_rating_words,
        nothing="No indicators: the report details none for {service} in {period}.",
        placeholder="Filter by ref, name or comment",
        ids=ListIds("fewer-rows", "filters", "indicators", "comment", "search"),
        report_checks=False,
        blank_when_empty=("dot", "indicator_type"),
        opens="indicator",
    )


VIEWS = {view.table: view for view in (ACTIONS_VIEW, FINANCE_VIEW, RISKS_VIEW)}
