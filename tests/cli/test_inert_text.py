"""Text from a report reaches a terminal or a committee paper inert, whatever the command.

``extract`` into a pipe (``| less``, ``| head`` still end on a terminal) carries no escape
sequence, and ingesting what it printed gives the rows ingesting the report gives;
``--format markdown`` shows HTML, links and images as the text they are.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from markdown_it import MarkdownIt

from barnet_tui.cli.main import main
from barnet_tui.domain.storage.generations import current_tables
from barnet_tui.output.export import export_bytes
from tests.conftest import REPORTS, controls_in, dataset_copy

OSC52 = "\x1b]52;c;cm0gLXJmIH4K\x07"
"""A clipboard write: the terminal's clipboard would hold ``rm -rf ~`` to paste."""
TITLE = "\x1b]0;owned\x07"
C1 = "\u009b2J"


def _hostile_report(tmp_path: Path) -> Path:
    text = (REPORTS / "service-performance-eoy-2016-17.txt").read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.startswith("AC/C12 "))
    cells = first.split("\t")
    cells[1] = f"Delayed {OSC52}transfers{TITLE} of\rcare {C1}"
    report = tmp_path / "q4.txt"
    report.write_text(text.replace(first, "\t".join(cells)), encoding="utf-8")
    return report


def test_extract_into_a_pipe_carries_no_escape_sequence(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = _hostile_report(tmp_path)
    assert main(["extract", str(report)]) == 0
    captured = capsys.readouterr()
    assert set(controls_in(captured.out)) <= {"\t", "\f"}
    assert "\x1b" not in captured.out and "\x07" not in captured.out
    assert "Delayed ]52;c;cm0gLXJmIH4Ktransfers]0;owned of care 2J" in captured.out
    assert captured.err == "warning: removed 6 control or bidi characters from the text\n"
    extracted = tmp_path / "extracted.txt"
    extracted.write_text(captured.out, encoding="utf-8")
    assert main(["ingest", str(report), "--out", str(tmp_path / "a")]) == 0
    assert main(["ingest", str(extracted), "--out", str(tmp_path / "b")]) == 0
    capsys.readouterr()
    rows = [
        pl.read_parquet(current_tables(tmp_path / name) / "indicators.parquet").drop("source")
        for name in ("a", "b")
    ]
    assert rows[0].equals(rows[1])
    assert "Delayed ]52;c;cm0gLXJmIH4Ktransfers]0;owned of care 2J" in rows[1]["indicator"]


HTML = '<img src="http://evil.example/t.png" onerror="alert(1)"> <script>x()</script>'
LINK = "[click](javascript:alert(document.cookie))"
IMAGE = "![track](http://evil.example/pixel.png)"
AUTOLINK = "<javascript:alert(1)> &#106;avascript:x"


def _hostile(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        (pl.col("indicator") + f" {HTML} {LINK} {IMAGE} {AUTOLINK}").alias("indicator"),
        (pl.col("service") + f" {HTML} {LINK} {IMAGE} {AUTOLINK}").alias("service"),
    )


def _rendered(markdown: str) -> str:
    return str(MarkdownIt("commonmark").enable("table").render(markdown))


def _inert_html(html: str) -> None:
    assert "<img" not in html and "<script" not in html and "<a " not in html
    assert "&lt;img src=" in html and "[click](javascript:alert(document.cookie))" in html
    assert "![track](http://evil.example/pixel.png)" in html


@pytest.mark.parametrize(
    "args", [["--below-target", "--period", "all"], ["changes"], ["audit", "--period", "all"]]
)
def test_markdown_shows_html_links_and_images_as_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str]
) -> None:
    data = dataset_copy(tmp_path, _hostile)
    assert main([*args, "--data", str(data), "--format", "markdown"]) == 0
    html = _rendered(capsys.readouterr().out)
    assert "<table>" in html
    _inert_html(html)
    assert "&lt;javascript:alert(1)&gt; &amp;#106;avascript:x" in html


def test_the_explorers_markdown_export_shows_them_as_text() -> None:
    rows = [["CG/C1", f"{HTML} {LINK}", IMAGE], ["R/3", AUTOLINK, "a | b"]]
    markdown = export_bytes("md", ["ref", "indicator", "comment"], rows).decode("utf-8")
    html = _rendered(markdown)
    _inert_html(html)
    assert "&lt;javascript:alert(1)&gt; &amp;#106;avascript:x" in html
    assert html.count("<tr>") == 3 and "<td>a | b</td>" in html
