"""Fixtures for the ingest tests: the five reports typeset as PDFs, once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import report_paths


@pytest.fixture(scope="session")
def report_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """{layout: {report stem: PDF}} for every layout of tests/pdfs.py."""
    pdfs = pytest.importorskip("tests.pdfs", reason="reportlab is a test dependency")
    if not pdfs.register_fonts():
        pytest.skip(f"the layouts' fonts ({', '.join(pdfs.FONTS.values())}) are not installed")
    made = pdfs.typeset_all(report_paths(), tmp_path_factory.mktemp("pdfs"))
    return {layout: {path.stem: path for path in paths} for layout, paths in made.items()}
