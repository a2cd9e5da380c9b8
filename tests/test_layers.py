"""The layers hold: the domain and ingest never import Textual or Rich, so the quick check,
ingest and any script over the domain start fast and run where there is no terminal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "barnet_tui"


def _modules(layer: str) -> list[str]:
    return sorted(
        ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        for path in (PACKAGE / layer).rglob("*.py")
    )


def test_every_domain_and_ingest_module_imports_without_textual_or_rich() -> None:
    modules = _modules("domain") + _modules("ingest")
    assert "barnet_tui.domain.queries" in modules and "barnet_tui.ingest.pipeline" in modules
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert completed.stdout.strip() == "[]"


def test_the_import_contracts_are_kept() -> None:
    """pyproject.toml's import-linter contracts, over the whole import graph."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    completed = subprocess.run(
        [str(lint_imports)], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert completed.returncode == 0, completed.stdout[-2000:]
    assert "Contracts: 8 kept, 0 broken." in completed.stdout
    assert "Widgets never import a screen or the app" in completed.stdout
