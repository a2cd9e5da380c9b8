"""The session's two heavy fixtures, built in a process of their own while other tests run.

The report PDFs (reportlab, tests/pdfs.py) and the word-processor PDFs (LibreOffice,
tests/docx_pdfs.py) take a minute or more to make on a clean clone. When a session collects a
test that needs them and pytest's cache does not hold them yet, tests/conftest.py starts
``python -m tests.prebuild CACHE`` as the session starts; each fixture then waits only for
what is left of its own set, and the wait overlaps the tests that run before it. Each set is
kept under a hash of what it is made from and appears whole, by one rename, or not at all,
so a fixture (or a later session) never reads half a set. Should the process fail, the
fixture builds the set itself and fails with the reason.

    python -m tests.prebuild CACHE_DIR [report-pdfs] [word-pdfs]   # the sets (default both)
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REPORT_PDFS, WORD_PDFS = "report-pdfs", "word-pdfs"
"""The folders of pytest's cache (``cache.mkdir``) each set is kept in."""


def reports() -> list[Path]:
    """The source reports the sets are made from."""
    return sorted((REPO / "reports").glob("*.txt"))


def report_pdfs_root(out_dir: Path) -> Path:
    """Where the report PDFs are kept: under a hash of tests/pdfs.py and the reports."""
    digest = hashlib.sha256()
    for path in [REPO / "tests" / "pdfs.py", *reports()]:
        digest.update(path.read_bytes())
    return out_dir / digest.hexdigest()[:16]


def word_pdfs_root(out_dir: Path) -> Path:
    """Where the word-processor PDFs are kept (tests/docx_pdfs.py's make_all)."""
    from tests.docx_pdfs import fingerprint

    return out_dir / fingerprint(reports())


def report_pdfs(out_dir: Path) -> dict[str, dict[str, Path]]:
    """{layout: {stem: PDF}} for every layout of tests/pdfs.py, made once for a fingerprint
    and kept under ``out_dir/<fingerprint>``."""
    from tests import pdfs

    root = report_pdfs_root(out_dir)
    if not root.is_dir():
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="typeset-", dir=out_dir) as work:
            pdfs.typeset_all(reports(), Path(work) / "made")
            try:
                (Path(work) / "made").rename(root)
            except OSError:  # another build finished first: its set is as good
                if not root.is_dir():
                    raise
    return {
        layout.name: {
            report.stem: root / layout.name / f"{report.stem}.pdf" for report in reports()
        }
        for layout in pdfs.LAYOUTS
    }


def word_pdfs(out_dir: Path) -> dict[str, dict[str, Path]]:
    """{layout: {stem: PDF}} for every layout of tests/docx_pdfs.py (see its make_all)."""
    from tests.docx_pdfs import make_all

    return make_all(reports(), out_dir)


def start(cache_dir: Path, sets: list[str], log: Path) -> subprocess.Popen[bytes]:
    """Start building ``sets`` (``REPORT_PDFS``, ``WORD_PDFS``) under ``cache_dir`` in a process (and process group) of its
    own, its output in ``log``."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.prebuild", str(cache_dir), *sets],
            cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=output, stderr=output,
            start_new_session=True,
        )  # fmt: skip


def wait_for(builder: subprocess.Popen[bytes] | None, root: Path) -> None:
    """Wait till the set's folder ``root`` is there (it appears whole) or ``builder`` has
    ended."""
    while builder is not None and builder.poll() is None and not root.is_dir():
        time.sleep(0.2)


def stop(builder: subprocess.Popen[bytes]) -> None:
    """End the builder and the LibreOffice it started (the session is over)."""
    if builder.poll() is None:
        os.killpg(builder.pid, signal.SIGTERM)
        try:
            builder.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(builder.pid, signal.SIGKILL)
            builder.wait()


def _main(cache_dir: Path, sets: list[str]) -> int:
    # SIGTERM (the session ended first) unwinds, so the half-made sets' folders are removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    failed: list[BaseException] = []

    def build(make: Callable[[Path], object], name: str) -> None:
        try:
            make(cache_dir / name)
        except Exception as error:  # the fixture builds again and says why
            failed.append(error)

    # LibreOffice converts in processes of its own while reportlab typesets here.
    word = threading.Thread(target=build, args=(word_pdfs, WORD_PDFS), daemon=True)
    if WORD_PDFS in sets:
        word.start()
    if REPORT_PDFS in sets:
        build(report_pdfs, REPORT_PDFS)
    while word.is_alive():
        word.join(0.2)
    for error in failed:
        print(f"tests.prebuild: {error}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(_main(Path(sys.argv[1]), sys.argv[2:] or [REPORT_PDFS, WORD_PDFS]))
