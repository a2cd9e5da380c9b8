"""The one definition of the characters data text may not carry to a terminal."""

from __future__ import annotations

import sys
import unicodedata

import polars as pl

from barnet_tui.domain.literal_text import literal, literal_column, without_controls

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
EVERY_CHARACTER = "".join(
    chr(code)
    for code in [*range(0x10000), 0x1F600, 0xE0001, sys.maxunicode]
    if not 0xD800 <= code <= 0xDFFF
)
"""The Basic Multilingual Plane (where every control and bidi character is) and a few beyond
it; surrogates aside, which are not text Polars can hold."""


def test_literal_replaces_every_control_and_bidi_character_and_nothing_else() -> None:
    shown = literal(EVERY_CHARACTER)
    assert len(shown) == len(EVERY_CHARACTER)
    replaced = {
        original
        for original, after in zip(EVERY_CHARACTER, shown, strict=True)
        if original != after
    }
    expected = {char for char in EVERY_CHARACTER if unicodedata.category(char) == "Cc"}
    assert replaced == expected | set(BIDI)
    assert len(replaced) == 65 + 9  # C0 (tab and newline too), DEL, C1; embeddings to isolates
    assert set(shown) - set(EVERY_CHARACTER) == set() and "\ufffd" in shown


def test_the_polars_form_agrees_with_literal_on_every_character() -> None:
    column = pl.DataFrame({"text": [EVERY_CHARACTER, None]})
    shown = column.select(literal_column(pl.col("text")))["text"].to_list()
    assert shown == [literal(EVERY_CHARACTER), None]
    removed = column.select(literal_column(pl.col("text"), ""))["text"][0]
    assert removed == literal(EVERY_CHARACTER, "")


def test_stored_text_loses_them_and_keeps_its_words_apart() -> None:
    assert without_controls("Deaths\x1b]0;pwned\x07 regis\x7ftered\u202e") == (
        "Deaths]0;pwned registered",
        4,
    )
    assert without_controls("page\x0cbreak\x85here") == ("page break here", 2)
    assert without_controls("plain £ – text") == ("plain £ – text", 0)
