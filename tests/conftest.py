"""Shared test fixtures: where the repository, its shipped data and the source reports are."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
REPORTS = REPO.parent / "shared" / "reports"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _no_user_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tests never read the developer's own configuration or colour preferences."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("BARNET_TUI_CONFIG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


def report_paths() -> list[Path]:
    return sorted(REPORTS.glob("*.txt"))


needs_reports = pytest.mark.skipif(
    not report_paths(), reason="the source reports (../shared/reports) are not here"
)
