"""Property-based: whatever a config.toml holds (any TOML document, any bytes), reading it
gives a valid configuration or one line to show, never a traceback."""

from __future__ import annotations

import math
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barnet_tui.config import _SCHEMA, Config, ConfigError, load_config
from barnet_tui.domain.literal_text import literal
from tests.conftest import REPO

# Text with everything a file can carry: controls, NUL, bidi, astral characters (not lone
# surrogates, which UTF-8 cannot encode).
TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40)
SECTIONS = st.sampled_from([*_SCHEMA, "Data", "view ", ""]) | TEXT
KEYS = st.sampled_from(sorted({key for keys in _SCHEMA.values() for key in keys})) | TEXT
SCALARS = (
    TEXT
    | st.sampled_from(["latest", "2016/17 Q4", "red", "#ff0000", "GA", "~", "~nobody-here/x"])
    | st.integers()
    | st.floats()
    | st.booleans()
)
PATHS = st.text("/.\x00~x", max_size=5000) | st.sampled_from(["~", "~nobody-here/x"]) | TEXT
"""What data.dir may be given: NUL bytes, names too long, users that are not there."""
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
)
SHAPED = st.fixed_dictionaries(
    {},
    optional={
        section: st.fixed_dictionaries(
            {}, optional={key: PATHS if key == "dir" else VALUES for key in keys}
        )
        for section, keys in _SCHEMA.items()
    },
)
"""Documents of the right shape with any values: where a value's checks are exercised."""
DOCUMENTS = SHAPED | st.dictionaries(SECTIONS, st.dictionaries(KEYS, VALUES, max_size=5) | VALUES)


def toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return (
        '"'
        + "".join(
            f"\\u{ord(char):04x}" if ord(char) < 0x20 or ord(char) == 0x7F else char
            for char in escaped
        )
        + '"'
    )


def toml_value(value: Any) -> str:
    """``value`` as TOML (tables inline), so every document generated is valid TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def toml_document(document: dict[str, Any]) -> str:
    return "".join(f"{toml_string(key)} = {toml_value(value)}\n" for key, value in document.items())


def read(data: bytes) -> tuple[Path, Config | str]:
    """The configuration a config file holding ``data`` makes, or the line the user would be
    shown (a fresh folder each time: one example never sees another's files)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.toml"
        path.write_bytes(data)
        try:
            return path, load_config(path)
        except ConfigError as error:
            return path, literal(str(error))


@given(DOCUMENTS)
def test_any_toml_document_is_a_config_or_one_line(document: dict[str, Any]) -> None:
    import tomllib

    text = toml_document(document)
    assert set(tomllib.loads(text)) == set(document)  # the generator writes valid TOML
    path, outcome = read(text.encode())
    if isinstance(outcome, str):
        assert "\n" not in outcome and outcome.startswith(str(path))
    else:
        assert outcome.period == "latest" or outcome.period[4] == "/"
        assert set(outcome.badges) == set(_SCHEMA["badges"])


@given(st.binary(max_size=2000) | st.builds(lambda text: text.encode(), TEXT))
def test_any_bytes_are_a_config_or_one_line(data: bytes) -> None:
    path, outcome = read(data)
    if isinstance(outcome, str):
        assert "\n" not in outcome and outcome.startswith(str(path))


@pytest.mark.parametrize(
    "text",
    [
        toml_document({"data": {"dir": "a\x00b"}}),
        toml_document({"view": {"below_target": [[["R"]]]}, "badges": {"red": "\x1b[2J"}}),
        "[data]\ndir = " + "[" * 50_000 + "\n",
        '[data]\ndir = "~nobody-here/x"\n',
    ],
    ids=["nul", "nested-and-escape", "unclosed-deep", "unknown-user"],
)
def test_the_command_exits_2_with_one_line(tmp_path: Path, text: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "barnet_tui", "--below-target", "--config", str(config)],
        capture_output=True, text=True, timeout=60, check=False, cwd=REPO,
    )  # fmt: skip
    assert (done.returncode, done.stderr.count("\n")) == (2, 1), done.stderr
    assert done.stderr.startswith(f"barnet-tui: error: {config}")
    assert "\x1b" not in done.stderr
