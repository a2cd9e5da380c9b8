"""Rich renderables for data: badges, RAG bars, directions of travel, literal text.

Every piece of data text goes through ``plain()`` so it is shown as typed, never parsed as
markup: a comment containing ``[bold]`` or ``[@click=app.quit]`` stays text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import polars as pl
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.ratings import badge_letters, dot_label

_BADGE_KEYS = {
    "Green": "green",
    "Green Amber": "green_amber",
    "Red Amber": "red_amber",
    "Red": "red",
    "Monitor": "monitor",
}
# Each rating's share of a RAG bar has its own shading too, so the bar reads without colour.
_BAR_PARTS = (("green", "█"), ("green_amber", "▓"), ("red_amber", "▒"), ("red", "░"))


def plain(text: object, style: str = "", justify: str | None = None) -> Text:
    """Data text as a Text that is never markup."""
    return Text(literal(text), style=style, justify=justify)  # type: ignore[arg-type]


def cell(text: object, style: str = "") -> Text:
    """A left-aligned table cell: a space before it, an ellipsis where it is cut."""
    return Text(" " + literal(text), style=style, no_wrap=True, overflow="ellipsis")


def badge_colour(rag: str | None, colours: Mapping[str, str]) -> str:
    if rag is None:
        return colours["not_rated"]
    return colours[_BADGE_KEYS.get(rag, "unknown")]


def badge(rag: str | None, colours: Mapping[str, str], width: int = 4) -> Text:
    """A rating's letters on its colour: " R  ", " GA ", " -  "."""
    letters = badge_letters(rag).center(width)
    return Text(letters, style=f"bold black on {badge_colour(rag, colours)}")


def rag_bar(counts: Mapping[str, int | None], width: int, colours: Mapping[str, str]) -> Text:
    """A stacked bar of Green / Green Amber / Red Amber / Red, its shares rounded fairly."""
    # A count below zero (a summary written by another tool) has no share to draw.
    values = [(key, char, max(counts.get(key) or 0, 0)) for key, char in _BAR_PARTS]
    total = sum(value for _key, _char, value in values)
    bar = Text()
    if total == 0 or width <= 0:
        return Text("·" * max(width, 0), style="dim")
    exact = [value * width / total for _key, _char, value in values]
    cells = [int(share) for share in exact]
    # Largest remainder: the cells left over go to the shares rounded down the most.
    for index in sorted(range(len(exact)), key=lambda i: exact[i] - cells[i], reverse=True):
        if sum(cells) >= width:
            break
        cells[index] += 1
    for (key, char, _value), length in zip(values, cells, strict=True):
        bar.append(char * length, style=colours[key])
    return bar


def dot(direction: str | None) -> Text:
    """A direction of travel; a word outside the contract is shown as printed (literally)."""
    style = {"Improving": "green", "Worsening": "red"}.get(direction or "", "")
    return plain(dot_label(direction), style=style)


def number(value: int | float | None, suffix: str = "", justify: str = "right") -> Text:
    if value is None:  # the suffix too: "–" beside a figure must not read as its minus sign
        return Text(f"–{suffix}", style="dim", justify=justify)  # type: ignore[arg-type]
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    return Text(f"{shown}{suffix}", justify=justify)  # type: ignore[arg-type]


def segments(text: Text, console: Console) -> Iterable[Segment]:
    """A Text as segments, its own style included (``Text.render`` leaves that out)."""
    rendered = text.render(console)
    if not text.style:
        return rendered
    return Segment.apply_style(rendered, console.get_style(text.style))


def line_strip(parts: Iterable[Segment], width: int, style: Style) -> Strip:
    """One screen line of exactly ``width`` cells on ``style``, for the line-API widgets."""
    strip = Strip(list(parts)).apply_style(style)
    return strip.extend_cell_length(width, style).crop(0, width)


def row_words(frame: pl.DataFrame, columns: Sequence[str]) -> Callable[[], list[str]]:
    """Each row's ``columns`` (those the frame has) as one string, for a list's ``/`` to
    search without drawing every row."""
    present = [column for column in columns if column in frame.columns]

    def words() -> list[str]:
        if not present:
            return [""] * frame.height
        joined = pl.concat_str(
            [pl.col(column).cast(pl.String) for column in present], separator=" ", ignore_nulls=True
        )
        return frame.select(joined.fill_null("")).to_series().to_list()

    return words
