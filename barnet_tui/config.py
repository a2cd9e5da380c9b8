"""Configuration: built-in defaults, then files, then flags, merged into one typed Config.

Files are read lowest precedence first, each overriding the keys it sets:

1. ``/etc/barnet-tui/config.toml``
2. ``$XDG_CONFIG_HOME/barnet-tui/config.toml`` (``~/.config/...`` when XDG_CONFIG_HOME is unset)
3. ``./config.toml``: said on stderr, and never choosing where credentials go (its
   ``[storage]`` endpoint, region, profile and keys are ignored: a config.toml may sit in a
   folder of downloads)
4. ``$BARNET_TUI_CONFIG``, or ``--config FILE`` in its place

Command-line flags override them all. Every problem is one line naming the file (and, for
TOML syntax, the line and column); the CLI exits 2 on it.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from barnet_tui.domain.literal_text import literal
from barnet_tui.domain.storage.files import CONFIG_LIMIT, FileRefused, regular_file_or_error
from barnet_tui.domain.storage.location import (
    CREDENTIAL_ROUTES,
    STORAGE_KEYS,
    Location,
    LocationError,
    is_url,
    locate,
    storage_number_problem,
)
from barnet_tui.paths import shipped_data_dir

SYSTEM_CONFIG = Path("/etc/barnet-tui/config.toml")
LOCAL_CONFIG = Path("config.toml")
ENV_CONFIG = "BARNET_TUI_CONFIG"
ENV_TOKEN = "BARNET_TUI_TOKEN"
"""The secret ``barnet-tui serve`` asks browsers for, when --token is not given (a flag
shows in ``ps``; the environment does not)."""

RATINGS = ("Green", "Green Amber", "Red Amber", "Red")
_RATING_LETTERS = {"G": "Green", "GA": "Green Amber", "RA": "Red Amber", "R": "Red"}
BADGE_KEYS = ("green", "green_amber", "red_amber", "red", "monitor", "not_rated", "unknown")

# Colours work in both outputs: ANSI names follow the terminal's own palette (16-colour
# terminals, light and dark themes); #rrggbb is exact where the terminal supports it.
ANSI_COLOURS = (
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
    "bright_black", "bright_red", "bright_green", "bright_yellow",
    "bright_blue", "bright_magenta", "bright_cyan", "bright_white",
)  # fmt: skip
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_PERIOD = re.compile(r"^\d{4}/\d{2} Q[1-4]$")

DEFAULT_BADGES: dict[str, str] = {
    "green": "green",
    "green_amber": "yellow",
    "red_amber": "bright_red",
    "red": "red",
    "monitor": "blue",
    "not_rated": "bright_black",
    "unknown": "magenta",
}

# The shape of a config file: section -> key -> (type, description of what is expected).
_SCHEMA: dict[str, dict[str, tuple[type | tuple[type, ...], str]]] = {
    "data": {"dir": (str, "a directory path or an s3:// URL")},
    "view": {
        "period": (str, "'latest' or a period like '2016/17 Q4'"),
        "below_target": (list, 'a list of ratings, e.g. ["Green Amber", "Red Amber", "Red"]'),
    },
    "badges": {key: (str, "a colour name like 'red' or '#rrggbb'") for key in BADGE_KEYS},
    "storage": dict(STORAGE_KEYS),
    "keys": {},  # binding id -> keys; the explorer checks the ids (see tui.keymap)
}
_KEYS_HELP = "keys like 'j' or 'ctrl+d,down'"


class ConfigError(Exception):
    """A configuration problem; ``str()`` is the one line a user is shown."""


SHOWN_CHARACTERS = 80
"""How much of a value a config error echoes: a 900,000-character value is named by its
start and its length, never printed whole as one line of the error."""


def clipped(text: str) -> str:
    """``text`` to echo in an error: whole when short, else its start and its length."""
    if len(text) <= SHOWN_CHARACTERS:
        return text
    return f"{text[: SHOWN_CHARACTERS - 20]}… ({len(text):,} characters)"


_LONG_RUN = re.compile(rf"\S{{{2 * SHOWN_CHARACTERS},}}")


def _runs_clipped(message: str) -> str:
    """An error message from elsewhere (a store URL's) with each very long word clipped:
    a legitimate path or URL fits, a 900,000-character bucket name does not."""
    return _LONG_RUN.sub(lambda run: clipped(run[0]), message)


def _shown(value: str) -> str:
    """A value quoted in an error, as ``repr`` quotes it, clipped."""
    return repr(value) if len(value) <= SHOWN_CHARACTERS else repr(clipped(value))


class Config(NamedTuple):
    data_dir: Location
    """A folder, or an ``s3://`` prefix with the settings that reach it."""
    period: str
    below_target: tuple[str, ...]
    badges: dict[str, str]
    files: tuple[Path, ...] = ()
    """The files that were read, lowest precedence first."""
    notices: tuple[str, ...] = ()
    """Config files that could not be looked at and were skipped, for the user to see."""
    keys: tuple[tuple[str, str, str], ...] = ()
    """The ``[keys]`` table: (binding id, keys, where it was set), later files last."""
    storage: Mapping[str, Any] = {}
    """The ``[storage]`` keys the files set (``storage.location`` adds the environment's)."""
    data_from: Path | None = None
    """The config file in the working directory whose ``data.dir`` chose the dataset, if one
    did: a folder of downloaded files may hold a config.toml, so where the data came from is
    said wherever it is shown."""

    def origin(self) -> str:
        """Where the dataset came from, when a working-directory config chose it; else "".
        Inert: the path may be anything a downloaded config says."""
        if self.data_from is None:
            return ""
        return literal(f"dataset {self.data_dir}, chosen by {self.data_from}")

    def headed(self, heading: str) -> str:
        """A listing's heading, with where its dataset came from when that needs saying."""
        return f"{heading} · {self.origin()}" if self.data_from else heading


def data_location(text: str, base: Path, storage: Mapping[str, Any], where: str) -> Location:
    """``--data``, ``--out`` or ``data.dir``: a folder relative to ``base``, or a store URL
    reached with ``storage`` and the environment; ConfigError naming ``where``."""
    try:
        return locate(text, base, storage)
    except LocationError as error:
        # A flag's folder is named in the line ("--data loop: ..."); a file's key is enough
        # ("config.toml: data.dir: ..."), and a URL names itself in the error.
        named = where if is_url(text) or ":" in where else f"{where} {literal(clipped(text))}"
        raise ConfigError(f"{named}: {_runs_clipped(str(error))}") from None


def _closest(word: str, choices: list[str]) -> str:
    import difflib

    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    if match:
        return f"; did you mean {match[0]!r}?"
    return f"; valid: {', '.join(choices)}"


def _type_name(value: object) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}.get(
        type(value), f"a {type(value).__name__}"
    )


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # only when there is a file to read: the quick check starts faster

    try:
        data = regular_file_or_error(path, CONFIG_LIMIT, "config")
    except FileRefused as refused:
        if refused.missing:
            raise ConfigError(f"{path}: no such config file") from None
        raise ConfigError(f"{path}: {refused}") from None
    try:
        text = data.decode("utf-8-sig")  # Notepad saves UTF-8 with a BOM
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: cannot read config ({error})") from None
    try:
        return tomllib.loads(text)
    except RecursionError:  # arrays or tables nested thousands deep
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        where = re.search(r"\(at line (\d+), column (\d+)\)$", message)
        if where:
            detail = message[: where.start()].strip()
            raise ConfigError(f"{path}:{where[1]}:{where[2]}: invalid TOML: {detail}") from None
        raise ConfigError(f"{path}: invalid TOML: {message}") from None


def _check_shape(path: Path, data: dict[str, Any]) -> None:
    for section, values in data.items():
        if section not in _SCHEMA:
            raise ConfigError(
                f"{path}: unknown section [{clipped(section)}]" + _closest(section, list(_SCHEMA))
            )
        if not isinstance(values, dict):
            raise ConfigError(f"{path}: [{section}] must be a table of keys")
        for key, value in values.items():
            if section == "keys":
                if not isinstance(value, str) or not value.strip():
                    raise ConfigError(
                        f"{path}: keys.{literal(clipped(key))} must be {_KEYS_HELP}, not "
                        + ("an empty string" if isinstance(value, str) else _type_name(value))
                    )
                continue
            if key not in _SCHEMA[section]:
                raise ConfigError(
                    f"{path}: unknown key {_shown(key)} in [{section}]"
                    + _closest(key, list(_SCHEMA[section]))
                )
            expected, description = _SCHEMA[section][key]
            if not isinstance(value, expected) or isinstance(value, bool) is not (expected is bool):
                raise ConfigError(
                    f"{path}: {section}.{key} must be {description}, not {_type_name(value)}"
                )
            problem = storage_number_problem(key, value) if section == "storage" else None
            if problem:
                raise ConfigError(f"{path}: {problem}")


def parse_period(value: str, where: str) -> str:
    text = " ".join(value.split())
    if text.casefold() == "latest":
        return "latest"
    if not _PERIOD.match(text):
        raise ConfigError(f"{where}: {_shown(value)} is not 'latest' or a period like '2016/17 Q4'")
    return text


def parse_ratings(values: list[Any], where: str) -> tuple[str, ...]:
    """Rating names or letters ("GA") in the contract's words; order as RATINGS."""
    chosen = set()
    for value in values:
        text = str(value).strip()
        rating = _RATING_LETTERS.get(text.upper()) or next(
            (name for name in RATINGS if name.casefold() == text.casefold()), None
        )
        if rating is None:
            raise ConfigError(
                f"{where}: {_shown(text)} is not a rating"
                + _closest(text, [*RATINGS, *_RATING_LETTERS])
            )
        chosen.add(rating)
    return tuple(rating for rating in RATINGS if rating in chosen)


def parse_colour(value: str, where: str) -> str:
    text = value.strip().lower().replace(" ", "_")
    if text in ANSI_COLOURS or _HEX.match(text):
        return text
    raise ConfigError(
        f"{where}: {_shown(value)} is not a colour (expected a name like 'red' or 'bright_red', "
        f"or '#rrggbb')" + _closest(text, list(ANSI_COLOURS))
    )


def _found(path: Path, notices: list[str]) -> bool:
    """Whether a config file the user did not name is there to read; one that cannot even be
    looked at (another user's HOME under sudo or cron, an untraversable folder) is skipped."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return False
    except OSError as error:
        reason = (error.strerror or type(error).__name__).lower()
        notices.append(f"cannot read {literal(str(path))} ({reason}); skipped")
        return False
    if not stat.S_ISREG(mode):  # a FIFO would block the open; a folder cannot be read
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        notices.append(f"cannot read {literal(str(path))} ({kind}); skipped")
        return False
    try:
        with path.open("rb"):
            return True
    except OSError as error:
        reason = (error.strerror or type(error).__name__).lower()
        notices.append(f"cannot read {literal(str(path))} ({reason}); skipped")
        return False


class ConfigFiles(NamedTuple):
    files: list[Path]
    """The config files that apply, lowest precedence first."""
    notices: list[str]
    """The ones that had to be skipped, for the user to see."""
    local: Path | None
    """The working directory's config.toml, when it is among them."""


def config_files(explicit: Path | None, cwd: Path | None = None) -> ConfigFiles:
    """The config files that apply, and what the user should be told about them."""
    notices: list[str] = []
    candidates = [SYSTEM_CONFIG]
    xdg = os.environ.get("XDG_CONFIG_HOME")
    if not xdg:
        try:
            xdg = str(Path.home() / ".config")
        except RuntimeError:  # no HOME and no passwd entry (a bare container, some cron jobs)
            notices.append("no home directory to look for a user config in; skipped")
    if xdg:
        candidates.append(Path(xdg) / "barnet-tui" / "config.toml")
    local = None
    try:
        local = (cwd or Path.cwd()) / LOCAL_CONFIG
        candidates.append(local)
    except FileNotFoundError:
        notices.append(f"the working directory no longer exists; ./{LOCAL_CONFIG} skipped")
    files = [path for path in candidates if _found(path, notices)]
    env = os.environ.get(ENV_CONFIG)
    chosen = explicit or (Path(env) if env else None)
    if chosen is not None:
        files.append(chosen)  # must exist: reading it reports a missing file
    return ConfigFiles(
        files, notices, local if local in files[: len(files) - bool(chosen)] else None
    )


def _without_credential_routes(settings: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A working-directory config's ``[storage]`` without what chooses where credentials go
    (a config.toml left in a downloads folder once sent a user's signed requests elsewhere),
    and the keys it set that were left out (an empty one, "not set here", is no matter)."""
    ignored = [key for key in CREDENTIAL_ROUTES if settings.get(key)]
    kept = {key: value for key, value in settings.items() if key not in CREDENTIAL_ROUTES}
    return kept, ignored


def load_config(explicit: Path | None = None, cwd: Path | None = None) -> Config:
    """Defaults overridden by every config file that applies; ConfigError on any problem."""
    data_dir: Location = shipped_data_dir()
    data_text: tuple[str, Path, Path] | None = None
    storage: dict[str, Any] = {}
    period = "latest"
    below: tuple[str, ...] = ("Green Amber", "Red Amber", "Red")
    badges = dict(DEFAULT_BADGES)
    keys: list[tuple[str, str, str]] = []
    files, notices, local = config_files(explicit, cwd)
    data_from = None
    local_index = files.index(local) if local is not None else -1
    ignored: list[str] = []
    for index, path in enumerate(files):
        data = _read_toml(path)
        _check_shape(path, data)
        if "dir" in data.get("data", {}):
            data_text = (data["data"]["dir"], path.parent, path)
            data_from = path if index == local_index else None
        settings = data.get("storage", {})
        if index == local_index:
            settings, ignored = _without_credential_routes(settings)
        storage.update(settings)
        view = data.get("view", {})
        if "period" in view:
            period = parse_period(view["period"], f"{path}: view.period")
        if "below_target" in view:
            below = parse_ratings(view["below_target"], f"{path}: view.below_target")
        for key, value in data.get("badges", {}).items():
            badges[key] = parse_colour(value, f"{path}: badges.{key}")
        keys += [(key, value, f"{path}: keys.{key}") for key, value in data.get("keys", {}).items()]
    if data_text is not None:
        text, base, path = data_text
        data_dir = data_location(text, base, storage, f"{path}: data.dir")
    if local is not None:
        read = ", ".join(literal(str(path)) for path in files)
        unused = (
            f"; its [storage] {', '.join(ignored)} ignored: where credentials go is chosen only "
            "by your own config, the environment or --config"
            if ignored
            else ""
        )
        notices.append(f"read config {read} (one from the working directory{unused})")
    return Config(
        data_dir,
        period,
        below,
        badges,
        tuple(files),
        tuple(notices),
        tuple(keys),
        storage,
        data_from,
    )
