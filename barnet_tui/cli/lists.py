"""``barnet-tui --actions`` and ``--risks``: the quick check's other two lists.

Key actions not on track (any rating but Green, or none) and risks scored at least
``--min-score``, printed in the quick check's formats with its exit codes. Like it, this never
imports Textual or Rich. The domain answers (``questions.report_list``);
``output.report_lists`` prints.
"""

from __future__ import annotations

import sys

from barnet_tui.cli.common import warn
from barnet_tui.config import Config
from barnet_tui.domain.judging import exit_status
from barnet_tui.domain.questions import ListQuery, report_list
from barnet_tui.output.report_lists import write


def run(
    query: ListQuery, fmt: str, fail_if_any: bool, config: Config, width: int | None = None
) -> int:
    """Print the list; with ``fail_if_any``, exit status 1 when it has anything in it, 3
    when nothing could be judged (no key action or risk in scope, or none scored)."""
    listing = report_list(query, config.data_dir, warn)
    write(query, listing, fmt, sys.stdout, config, width)
    return exit_status(listing.judged, fail_if_any)
