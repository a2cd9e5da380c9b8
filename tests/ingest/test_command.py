"""``barnet-tui ingest`` on bad input: one clear line, exit 2, nothing half-written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from barnet_tui.cli.main import main
from barnet_tui.ingest.writers import folder as output
from tests.conftest import snapshot

EXCERPT = Path(__file__).resolve().parent / "excerpts" / "eoy-quarterly.txt"


def ingest(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["ingest", *args, "--no-corrections"])
    return code, capsys.readouterr().err


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = ingest(capsys, str(tmp_path / "nope.txt"), "--out", str(tmp_path / "out"))
    assert code == 2
    assert one_line_error(err).endswith("nope.txt: no such file")


def test_a_directory_instead_of_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = ingest(capsys, str(tmp_path), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "is a directory, not a report file" in one_line_error(err)


def test_text_that_is_not_a_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Shopping list\n\nmilk\teggs\n", encoding="utf-8")
    code, err = ingest(capsys, str(notes), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "notes.txt: not a performance report (no indicator table found)" in one_line_error(err)


def test_non_utf8_names_the_byte_offset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes(EXCERPT.read_bytes()[:100] + "£".encode("latin-1") + b"\n")
    code, err = ingest(capsys, str(latin), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "latin.txt: not UTF-8 text (byte 0xa3 at offset 100)" in one_line_error(err)
    assert not (tmp_path / "out").exists()


def test_an_existing_dataset_is_refreshed_and_what_ingest_did_not_write_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert ingest(capsys, str(EXCERPT), "--out", str(out))[0] == 0
    (out / "notes.txt").write_text("mine\n")
    code, err = ingest(capsys, str(EXCERPT), "--out", str(out))
    assert code == 0
    assert f"warning: kept 1 file ingest did not write in {out}: notes.txt" in err
    assert (out / "notes.txt").read_text() == "mine\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]
    assert not list(out.glob(f"{output.STAGING_PREFIX}*"))


def test_a_directory_that_is_not_a_dataset_is_never_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    precious = tmp_path / "home"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work")
    code, err = ingest(capsys, str(EXCERPT), "--out", str(precious))
    assert code == 2
    assert "is not a barnet-tui dataset (no manifest.json); refusing to write into it" in err
    assert (precious / "thesis.tex").read_text() == "years of work"


def test_a_failed_write_leaves_the_old_dataset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert ingest(capsys, str(EXCERPT), "--out", str(out))[0] == 0
    before = snapshot(out)

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    other = tmp_path / "other.txt"  # other rows: a generation of its own
    other.write_text(EXCERPT.read_text().replace("13.8% (R)", "13.9% (R)"))
    # The disk fills while the tables are written, or as the manifest switches to them.
    for broken in ("write_table", "_replace"):
        with monkeypatch.context() as patch:
            patch.setattr(output, broken, disk_full)
            code, err = ingest(capsys, str(other), "--out", str(out))
        assert code == 2
        assert "cannot write the dataset (No space left on device)" in one_line_error(err)
        assert snapshot(out) == before  # no staging, no new generation
    assert sorted(path.name for path in tmp_path.iterdir()) == ["other.txt", "out"]


def test_warnings_and_a_summary_go_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["ingest", str(EXCERPT), "--out", str(tmp_path / "out"), "--no-corrections"])
    captured = capsys.readouterr()
    assert code == 0
    assert captured.out == ""
    assert (
        "warning: eoy-quarterly.txt:29: stray text 'F' before ref 'PH/C21' ignored" in captured.err
    )
    assert "ingested 1 reports into" in captured.err
    assert "9 indicators" in captured.err


def test_the_installed_command_exits_2_without_a_traceback(tmp_path: Path) -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "barnet_tui",
            "ingest",
            str(tmp_path / "x.txt"),
            "--out",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stderr.count("\n") == 1
    assert "Traceback" not in completed.stderr


def test_missing_arguments_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["ingest"])
    assert exited.value.code == 2
    assert one_line_error(capsys.readouterr().err) == (
        "barnet-tui ingest: error: the following arguments are required: REPORT, --out "
        "(see barnet-tui ingest --help)"
    )
