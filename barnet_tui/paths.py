"""Where the dataset shipped with barnet-tui lives."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped_data_dir() -> Path:
    """The dataset that comes with the package.

    A wheel carries it inside the package (``barnet_tui/_data``); a source checkout or an
    editable install reads the repository's ``data/`` directly.
    """
    packaged = _PACKAGE / "_data"
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / "data"
