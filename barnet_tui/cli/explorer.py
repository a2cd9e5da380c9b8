"""The explorer, started from the command line. The only part of the CLI that imports
Textual, and only once it is sure there is a screen to draw on."""

from __future__ import annotations

import os
import sys

from barnet_tui.config import Config

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
"""What textual-serve sets TEXTUAL_DRIVER to in the processes it starts: the explorer then
runs without a terminal of its own, drawing into the browser."""


def refusal() -> str | None:
    """Why the explorer cannot start here, or None. Under cron or in a pipe a full-screen app
    would wait forever for keys nobody types."""
    served = os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER  # under barnet-tui serve
    if served or (sys.stdin.isatty() and sys.stdout.isatty()):
        return None
    return (
        "the explorer needs a terminal (stdin and stdout are not one); "
        "in scripts and cron use --below-target"
    )


def run(
    config: Config,
    *,
    period: str | None,
    service: str | None,
    indicator: str | None,
    below_target_only: bool,
) -> int:
    """Run the explorer until the user quits; its exit status."""
    from barnet_tui.tui.app import run_app

    return run_app(
        config,
        period=period,
        service=service,
        indicator=indicator,
        below_target_only=below_target_only,
    )
