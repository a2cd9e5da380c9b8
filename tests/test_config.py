"""Configuration: precedence of every source, and one clear line for every mistake."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from barnet_tui import config as config_module
from barnet_tui.cli.main import main
from barnet_tui.config import ConfigError, load_config
from barnet_tui.paths import shipped_data_dir
from tests.conftest import DATA, REPO


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Where each config file lives in these tests; none exists until a test writes it."""
    system = tmp_path / "etc" / "config.toml"
    xdg = tmp_path / "xdg"
    cwd = tmp_path / "work"
    for directory in (system.parent, xdg / "barnet-tui", cwd):
        directory.mkdir(parents=True)
    monkeypatch.setattr(config_module, "SYSTEM_CONFIG", system)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))
    monkeypatch.chdir(cwd)
    return {
        "system": system,
        "user": xdg / "barnet-tui" / "config.toml",
        "local": cwd / "config.toml",
        "env": tmp_path / "env.toml",
        "flag": tmp_path / "flag.toml",
    }


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_any_file(places: dict[str, Path]) -> None:
    config = load_config()
    assert config.data_dir == shipped_data_dir()
    assert config.period == "latest"
    assert config.below_target == ("Green Amber", "Red Amber", "Red")
    assert config.badges["red"] == "red"
    assert config.files == ()


def test_each_file_overrides_the_ones_before(
    places: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(places["system"], '[view]\nperiod = "2015/16 Q4"\n[badges]\nred = "magenta"\n')
    write(places["user"], '[view]\nperiod = "2016/17 Q1"\n')
    write(places["local"], '[view]\nperiod = "2016/17 Q3"\n')
    assert load_config().period == "2016/17 Q3"
    assert load_config().badges["red"] == "magenta"  # set once, low down, still applies
    monkeypatch.setenv(
        "BARNET_TUI_CONFIG", str(write(places["env"], '[view]\nperiod = "2016/17 Q4"\n'))
    )
    assert load_config().period == "2016/17 Q4"
    flag = write(places["flag"], '[view]\nperiod = "2017/18 Q4"\n')
    config = load_config(flag)
    assert config.period == "2017/18 Q4"  # --config takes the place of BARNET_TUI_CONFIG
    assert config.files == (places["system"], places["user"], places["local"], flag)


def test_a_relative_data_dir_is_relative_to_its_file(places: dict[str, Path]) -> None:
    write(places["user"], '[data]\ndir = "mydata"\n')
    assert load_config().data_dir == places["user"].parent / "mydata"


def test_ratings_by_name_or_letters(places: dict[str, Path]) -> None:
    write(places["local"], '[view]\nbelow_target = ["r", "Red Amber"]\n')
    assert load_config().below_target == ("Red Amber", "Red")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[view]\nperiod = "latest\n', "config.toml:2:17: invalid TOML: Illegal character"),
        ('[veiw]\nperiod = "latest"\n', "unknown section [veiw]; did you mean 'view'?"),
        ('[view]\nperod = "latest"\n', "unknown key 'perod' in [view]; did you mean 'period'?"),
        (
            "[view]\nperiod = 2016\n",
            "view.period must be 'latest' or a period like '2016/17 Q4', not an integer",
        ),
        (
            '[view]\nperiod = "2016-17"\n',
            "view.period: '2016-17' is not 'latest' or a period like '2016/17 Q4'",
        ),
        ('[view]\nbelow_target = ["Amber"]\n', "view.below_target: 'Amber' is not a rating"),
        ('[view]\nbelow_target = "R"\n', "view.below_target must be a list of ratings"),
        (
            '[badges]\nred = "redd"\n',
            "badges.red: 'redd' is not a colour (expected a name like 'red'",
        ),
        ('[badges]\nred = "redd"\n', "did you mean 'red'?"),
        (
            "[badges]\nred = 3\n",
            "badges.red must be a colour name like 'red' or '#rrggbb', not an integer",
        ),
        ('view = "x"\n', "[view] must be a table of keys"),
    ],
)
def test_every_config_mistake_is_one_line(
    places: dict[str, Path], text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write(places["local"], text)
    with pytest.raises(ConfigError) as caught:
        load_config()
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert main(["--below-target"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_a_missing_explicit_file_is_an_error(places: dict[str, Path]) -> None:
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(places["flag"])


def test_the_project_config_documents_every_key() -> None:
    text = (REPO / "config.toml").read_text(encoding="utf-8")
    for section, keys in config_module._SCHEMA.items():
        assert f"[{section}]" in text
        for key in keys:
            assert f"\n{key} = " in text, key
    config = load_config(REPO / "config.toml")
    assert config.data_dir == REPO / "data"


def test_a_config_path_that_cannot_be_looked_at_is_skipped_with_a_notice(
    places: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Under sudo or cron, HOME may be another user's: looking at it is a PermissionError
    (tests run as root, which no permission bit stops, so the refusal is simulated)."""
    write(places["local"], '[view]\nperiod = "2016/17 Q4"\n')
    stat = Path.stat

    def refused(path: Path, *, follow_symlinks: bool = True) -> os.stat_result:
        if path == places["user"]:
            raise PermissionError(13, "Permission denied", str(path))
        return stat(path, follow_symlinks=follow_symlinks)

    monkeypatch.setattr(Path, "stat", refused)
    assert main(["--below-target", "--format", "csv"]) == 0
    err = capsys.readouterr().err
    assert err == (
        f"barnet-tui: notice: cannot read {places['user']} (permission denied); skipped\n"
        f"barnet-tui: notice: read config {places['local']} (one from the working directory)\n"
    )
    assert load_config().period == "2016/17 Q4"  # the other files still apply


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_user_config_that_is_a_fifo_or_a_folder_is_skipped_with_a_notice(
    places: dict[str, Path], capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """A FIFO would block the open forever and a folder cannot be read: either is named."""
    places["user"].parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(places["user"])
    else:
        places["user"].mkdir()
    assert main(["--below-target", "--format", "csv"]) == 0
    what = "not a regular file" if kind == "fifo" else "a folder"
    assert capsys.readouterr().err == (
        f"barnet-tui: notice: cannot read {places['user']} ({what}); skipped\n"
    )


def test_no_home_directory_at_all_is_a_notice(
    places: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME")

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", no_home)
    assert main(["--below-target", "--format", "csv"]) == 0
    assert capsys.readouterr().err == (
        "barnet-tui: notice: no home directory to look for a user config in; skipped\n"
    )


def test_a_named_config_that_cannot_be_read_is_still_an_error(
    places: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--below-target", "--config", str(places["flag"])]) == 2
    assert capsys.readouterr().err == (
        f"barnet-tui: error: {places['flag']}: no such config file\n"
    )


def test_a_config_saved_with_a_byte_order_mark_is_read(
    places: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    places["local"].write_bytes(b"\xef\xbb\xbf" + b'[view]\nperiod = "2015/16 Q4"\n')
    assert load_config().period == "2015/16 Q4"


def test_a_working_directory_config_is_said_and_so_is_the_dataset_it_chose(
    places: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder of downloaded files may hold a config.toml that points data.dir anywhere."""
    chosen = shutil.copytree(DATA, tmp_path / "elsewhere")
    write(places["local"], f'[data]\ndir = "{chosen}"\n')
    assert main(["--below-target"]) == 0
    captured = capsys.readouterr()
    assert captured.err == (
        f"barnet-tui: notice: read config {places['local']} (one from the working directory)\n"
    )
    heading = "".join(captured.out.split("\n\n")[0].split())  # wrapped to the width
    assert heading.endswith("".join(f"· dataset {chosen}, chosen by {places['local']}".split()))
    assert main(["--actions"]) == 0
    said = "".join(f"dataset {chosen}, chosen by {places['local']}".split())
    assert said in "".join(capsys.readouterr().out.split())
    # --data chooses the dataset itself: nothing to point out in the heading.
    assert main(["--below-target", "--data", str(DATA)]) == 0
    assert "chosen by" not in capsys.readouterr().out


async def test_the_explorer_says_where_its_dataset_came_from(
    places: dict[str, Path], tmp_path: Path
) -> None:
    from barnet_tui.tui.app import BarnetApp

    chosen = shutil.copytree(DATA, tmp_path / "elsewhere")
    write(places["local"], f'[data]\ndir = "{chosen}"\n')
    app = BarnetApp(load_config())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        origin = f"dataset {chosen}, chosen by {places['local']}"
        assert app.title == f"barnet-tui · {origin}"
        assert origin in [str(note.message) for note in app._notifications]


def test_a_config_read_from_elsewhere_is_not_announced(
    places: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    write(places["user"], f'[data]\ndir = "{DATA}"\n')
    assert main(["--below-target", "--format", "csv"]) == 0
    assert capsys.readouterr().err == ""
    assert load_config().data_from is None


HUGE = "x" * 900_000


@pytest.mark.parametrize(
    "text",
    [
        f'[view]\nperiod = "{HUGE}"\n',
        f'[view]\nbelow_target = ["{HUGE}"]\n',
        f"[view]\n{HUGE} = 1\n",
        f"[{HUGE}]\na = 1\n",
        f'[badges]\nred = "{HUGE}"\n',
        f'[keys]\n{HUGE} = ""\n',
        f'[data]\ndir = "s3://{HUGE}"\n',
    ],
)
def test_a_huge_value_is_echoed_clipped(places: dict[str, Path], text: str) -> None:
    """A 900,000-character value is named by its start and its length, not printed whole."""
    write(places["local"], text)
    with pytest.raises(ConfigError) as caught:
        load_config()
    message = str(caught.value)
    assert len(message) < len(str(places["local"])) + 400, message[:400]
    assert "900,0" in message and "characters" in message
