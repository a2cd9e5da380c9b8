"""``barnet-tui --below-target``: what a user or a script gets, in each format."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from barnet_tui.cli.main import main
from barnet_tui.config import load_config
from barnet_tui.domain.contract import INDICATORS
from barnet_tui.domain.questions import BelowTargetQuery, below_target_list
from barnet_tui.domain.storage.generations import current_tables
from barnet_tui.output.below_target import write_table
from tests.cli.conftest import in_a_terminal
from tests.conftest import (
    DATA,
    HOSTILE,
    REPO,
    controls_in,
    dataset_copy,
    hostile_dataset,
    set_for_ref,
)

GOLDEN = Path(__file__).resolve().parent / "golden"
YEAR_END = ["--below-target", "--period", "2016/17 Q4", "--data", str(DATA)]


@pytest.fixture(autouse=True)
def _fixed_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "markdown"])
def test_each_format_matches_its_golden_file(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, err = run(capsys, *YEAR_END, "--format", fmt)
    assert (code, err) == (0, "")
    golden = GOLDEN / f"below-target-2016-17-q4.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def test_year_end_lists_all_73_every_service_and_nothing_green(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(capsys, *YEAR_END, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 73
    assert len({row["service"] for row in rows}) == 13
    assert {row["rag"] for row in rows} <= {"Green Amber", "Red Amber", "Red", ""}
    assert list(rows[0]) == [column.name for column in INDICATORS]


def test_json_carries_every_contract_column(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, *YEAR_END, "--format", "json", "--service", "registrar")
    records = json.loads(out)
    assert [record["ref"] for record in records] == ["R/3", "R/4", "R/1", "R/7", "R/8", "R/9"]
    assert set(records[0]) == {column.name for column in INDICATORS}
    assert records[0]["result"] == 64.0 and records[0]["below_target"] is True


def test_table_when_piped_is_plain_text_grouped_by_service(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(capsys, *YEAR_END)
    assert "\x1b" not in out
    assert "\nAdults and Communities\n R    AC/C12 " in out
    assert (
        "73 indicators below target, counted from the rows the dataset holds: 22 R · 4 RA · 23 "
        "GA · 24 listed without a rating\nThe report's own counts for 2016/17 Q4"
    ) in out.replace("\n  ", " ")
    assert max(len(line) for line in out.splitlines()) <= 100


def test_colour_only_on_a_terminal_and_never_with_no_color_or_a_dumb_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = load_config()._replace(data_dir=DATA)
    query = BelowTargetQuery("2016/17 Q4", "hb", None)
    selection = below_target_list(query, config.data_dir, config.below_target, print)
    coloured, plain = io.StringIO(), io.StringIO()
    write_table(selection, coloured, True, config)
    write_table(selection, plain, False, config)
    assert "\x1b[1;30;41m R  \x1b[0m" in coloured.getvalue()  # red badge, letters inside
    assert "\x1b" not in plain.getvalue()
    # NO_COLOR wins even on a terminal: checked in a real pseudo-terminal.
    # TERM=dumb (an Emacs shell, some CI logs) understands no escape codes either.
    cases: tuple[tuple[dict[str, str], bool], ...] = (
        ({}, True),
        ({"NO_COLOR": "1"}, False),
        ({"TERM": "dumb"}, False),
    )
    for setting, expect_escape in cases:
        env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
        env["TERM"] = "xterm-256color"
        env.update(setting)
        shown = repr(in_a_terminal(["--below-target", "--data", str(DATA)], env))
        assert ("\\x1b[" in shown) is expect_escape
        assert "Below target" in shown


def test_fail_if_any_exits_1_only_when_something_is_below(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(capsys, *YEAR_END, "--fail-if-any")[0] == 1
    code, out, _ = run(capsys, *YEAR_END, "--fail-if-any", "--service", "csg", "--rag", "R")
    assert code == 0
    assert (
        "Nothing below target is rated R among the 1 rated indicator of Customer and Support "
        "Group (CSG), 2016/17 Q4."
    ) in out.replace("\n  ", " ")


def test_period_all_and_current(capsys: pytest.CaptureFixture[str]) -> None:
    _, everything, _ = run(capsys, "--below-target", "--period", "all", "--format", "csv")
    _, current, _ = run(capsys, "--below-target", "--format", "csv")
    assert (
        len(list(csv.DictReader(io.StringIO(everything)))) == 73 + 9 + 13 + 5
    )  # 2016/17 Q4, 2017/18 Q4, 2016/17 Q1, 2015/16 Q4
    current_rows = list(csv.DictReader(io.StringIO(current)))
    assert {row["period"] for row in current_rows} == {
        "2015/16 Q4",
        "2016/17 Q1",
        "2016/17 Q4",
        "2017/18 Q4",
    }
    assert "CES/S1" not in {row["ref"] for row in current_rows}  # Green by 2017/18


def test_rag_filter_keeps_only_those_ratings(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, *YEAR_END, "--rag", "RA,-", "--format", "csv")
    assert {row["rag"] for row in csv.DictReader(io.StringIO(out))} == {"Red Amber", ""}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--service", "zz"], "unknown service 'zz'; choose from: "),
        (
            ["--service", "r"],
            "ambiguous service 'r'; choose from: Regional Enterprise (Re), Registrar Service",
        ),
        (["--period", "2020/21 Q1"], "no data for period '2020/21 Q1'; choose from: "),
        (["--rag", "Amber"], "unknown rating 'Amber'; choose from: "),
        (["--format", "xml"], "argument --format: invalid choice: 'xml'"),
        (["--indicator", "FS/S11"], "--indicator is for the explorer, not the quick check"),
        (["--data", "/no/such/dir"], "dataset /no/such/dir: no such directory"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        raise SystemExit(main(["--below-target", *args]))
    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert err.count("\n") == 1, err
    assert message in err


def test_quick_check_options_need_below_target(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--fail-if-any"])
    assert exited.value.code == 2
    assert "--fail-if-any goes with --below-target" in capsys.readouterr().err


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("barnet-tui 0.")
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out
    assert "examples:" in help_text and "--below-target --fail-if-any" in help_text


def test_the_quick_check_never_imports_textual_or_rich() -> None:
    script = (
        "import sys, io, contextlib\n"
        "from barnet_tui.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--below-target', '--format', 'table'])\n"
        "    main(['--below-target', '--format', 'json'])\n"
        "    main(['changes'])\n"
        "    main(['audit', '--format', 'csv'])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(loaded)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    ).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize(
    ("argv", "its_module"),
    [
        (["--below-target"], "barnet_tui.cli.quickcheck"),
        (["--actions"], "barnet_tui.cli.lists"),
        (["changes"], "barnet_tui.cli.changes"),
        (["audit"], "barnet_tui.cli.audit"),
    ],
)
def test_each_subcommand_imports_only_its_own_module(argv: list[str], its_module: str) -> None:
    """The command line imports a subcommand's module only when it is the one asked for."""
    subcommands = {
        "barnet_tui.cli.quickcheck",
        "barnet_tui.cli.lists",
        "barnet_tui.cli.changes",
        "barnet_tui.cli.audit",
        "barnet_tui.cli.serve",
        "barnet_tui.cli.ingest",
        "barnet_tui.cli.explorer",
        "barnet_tui.ingest",
        "textual_serve",
        "aiohttp",
    }
    script = (
        "import sys, io, contextlib\n"
        "from barnet_tui.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main({argv!r})\n"
        f"print(sorted(m for m in sys.modules if m in {sorted(subcommands)!r}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    ).stdout
    assert out.strip() == repr([its_module])


def test_data_text_is_printed_literally(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = dataset_copy(
        tmp_path, set_for_ref("indicator", "R/3", "[bold]Deaths[/bold] \x1b[31mred\x1b[0m | pipe")
    )
    _, table, _ = run(capsys, *YEAR_END[:-1], str(data), "--service", "registrar")
    assert "[bold]Deaths[/bold] \ufffd[31mred\ufffd[0m" in table
    _, markdown, _ = run(
        capsys, *YEAR_END[:-1], str(data), "--service", "registrar", "--format", "markdown"
    )
    assert "\\[bold\\]Deaths\\[/bold\\] \ufffd\\[31mred\ufffd\\[0m \\| pipe" in markdown


def test_unknown_ratings_are_kept_shown_as_unknown_and_warned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = dataset_copy(tmp_path, set_for_ref("rag", "R/3", "Amber"))
    code, out, err = run(
        capsys,
        "--below-target",
        "--period",
        "2016/17 Q4",
        "--data",
        str(data),
        "--service",
        "registrar",
    )
    assert code == 0
    assert "warning: indicators.parquet: column 'rag', row " in err
    assert "unknown value 'Amber' (shown as unknown)" in err
    # R/3 is still listed (the report says it is below target), with a "?" badge.
    assert " ?    R/3 " in out


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "markdown"])
def test_hostile_data_text_never_reaches_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    data = hostile_dataset(tmp_path)
    for period in ("current", "all", "2016/17 Q4"):
        code, out, err = run(
            capsys, "--below-target", "--period", period, "--data", str(data), "--format", fmt
        )
        assert code == 0
        shown = "R/3 \ufffd\\]0;pwned" if fmt == "markdown" else "R/3 \ufffd]0;pwned"
        assert shown in out  # listed, and shown as inert text (in Markdown, never a link)
        assert controls_in(out) == []
        # Each indicator's latest row is read from the table built for it (``current``).
        table = "current_indicators" if period == "current" else "indicators"
        assert f"warning: {table}.parquet: column 'dot'" in err
        assert controls_in(err) == []


def test_csv_printed_to_a_terminal_cannot_retitle_it(tmp_path: Path) -> None:
    """The report in issue 9: ``--format csv`` on a terminal wrote OSC 0 (retitle) raw."""
    data = hostile_dataset(tmp_path)
    printed = subprocess.run(
        [sys.executable, "-m", "barnet_tui", "--below-target", "--format", "csv", "--data", data],
        capture_output=True,
        cwd=REPO,
        check=True,
    )
    for stream in (printed.stdout, printed.stderr):
        assert b"\x1b" not in stream and b"\x07" not in stream and b"\x7f" not in stream
        assert controls_in(stream.decode("utf-8")) == []
    rows = list(csv.DictReader(io.StringIO(printed.stdout.decode("utf-8"))))
    names = [row["indicator"] for row in rows if "pwned" in row["indicator"]]
    assert names == [
        "Deaths registered \ufffd]0;pwned\ufffd \ufffd[2J \ufffd \ufffd \ufffd \ufffd \ufffd"
    ]


def test_errors_quoting_hostile_text_are_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = hostile_dataset(tmp_path)
    # "registrar" now names two services; the error lists both, the hostile one inert.
    code, _, err = run(capsys, "--below-target", "--data", str(data), "--service", "registrar")
    assert code == 2
    assert "ambiguous service 'registrar'; choose from: Registrar Service" in err
    assert "pwned" in err and controls_in(err) == []
    code, _, err = run(capsys, "--below-target", "--data", str(tmp_path / f"no {HOSTILE}"))
    assert code == 2 and "no such directory" in err and controls_in(err) == []
    with pytest.raises(SystemExit):
        main(["--below-target", HOSTILE])
    err = capsys.readouterr().err
    assert "unrecognized arguments" in err and controls_in(err) == []


def test_an_empty_dataset_says_it_is_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not "Nothing is below target": a script must not read all-clear from no data."""
    empty = dataset_copy(tmp_path, lambda frame: frame.clear())
    code, out, err = run(capsys, "--below-target", "--data", str(empty), "--fail-if-any")
    assert (code, out) == (2, "")
    assert err == (
        f"barnet-tui: error: dataset {empty}: indicators.parquet: has no rows: the dataset "
        "is empty (ingest reports into it first)\n"
    )


def test_the_explorer_without_a_terminal_says_so_and_exits_2() -> None:
    """Under cron or in a pipe: one line pointing at the quick check, never a hang."""
    completed = subprocess.run(
        [sys.executable, "-m", "barnet_tui"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (completed.returncode, completed.stdout) == (2, "")
    assert completed.stderr == (
        "barnet-tui: error: the explorer needs a terminal (stdin and stdout are not one); "
        "in scripts and cron use --below-target\n"
    )


@pytest.mark.parametrize(
    ("table", "flags"),
    [
        ("indicators", ["--period", "2016/17 Q4"]),
        ("current_indicators", []),  # what the default check reads (each one's latest)
    ],
)
def test_a_parquet_file_damaged_inside_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str, flags: list[str]
) -> None:
    """Its footer (the schema) reads; its data pages do not, and only a query finds out."""
    data = dataset_copy(tmp_path)
    parquet = current_tables(data) / f"{table}.parquet"
    damaged = bytearray(parquet.read_bytes())
    damaged[200:6000] = b"Z" * 5800
    parquet.write_bytes(bytes(damaged))
    code, out, err = run(capsys, "--below-target", *flags, "--data", str(data))
    assert (code, out) == (2, "")
    assert err.startswith(f"barnet-tui: error: dataset {data}: {table}.parquet: cannot be read (")
    assert err.count("\n") == 1


def test_a_working_directory_that_no_longer_exists(tmp_path: Path) -> None:
    """A shell left in a deleted folder: the quick check still runs (its config notice aside),
    and a relative path is one line, never a traceback."""
    gone = tmp_path / "gone"
    script = (
        "import os, sys\n"
        "sys.path = [entry for entry in sys.path if entry]  # as the installed command has it\n"
        "from barnet_tui.cli.main import main\n"
        f"os.makedirs({str(gone)!r}); os.chdir({str(gone)!r}); os.rmdir({str(gone)!r})\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )

    def run_there(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", script, *args], capture_output=True, text=True, check=False
        )

    shipped = run_there("--below-target", "--format", "csv", "--data", str(DATA))
    assert shipped.returncode == 0
    assert shipped.stderr == (
        "barnet-tui: notice: the working directory no longer exists; ./config.toml skipped\n"
    )
    relative = run_there("--below-target", "--data", "data")
    assert relative.returncode == 2
    assert relative.stderr.splitlines()[-1] == (
        "barnet-tui: error: the working directory no longer exists, so relative paths cannot "
        "be found; cd to a folder that does"
    )
    assert "Traceback" not in relative.stderr


def test_extract_to_a_terminal_shows_a_reports_control_characters_inert(tmp_path: Path) -> None:
    """``extract`` prints a report's own text; to a terminal, none of its bytes may act."""
    report = tmp_path / "evil\x1b[2J.txt"
    report.write_text("Title \x1b]0;owned\x07\tcell\x9b31m\n\fpage two\n", encoding="utf-8")
    shown = in_a_terminal(["extract", str(report)], dict(os.environ))
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
    assert "Title \ufffd]0;owned\ufffd\tcell\ufffd31m" in shown
