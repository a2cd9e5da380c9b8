"""Reading the dataset while the explorer is open, where the files may have gone.

The explorer reads its dataset as the user moves (a period's rows, an indicator's history),
so a file deleted or broken mid-session fails a key, not the start-up. Every method that
reads is wrapped here: a failure shows the same one-line error screen as at start-up (q
quits with status 2), and never a traceback. Textual ends a widget's message loop at any
exception that escapes a handler, so it must be caught where it happens.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar, cast

import polars as pl

from barnet_tui.domain.dataset import DatasetError, GenerationGone
from barnet_tui.domain.literal_text import literal

if TYPE_CHECKING:
    from textual.dom import DOMNode

Node = TypeVar("Node", bound="DOMNode")
Params = ParamSpec("Params")
Result = TypeVar("Result")

FAILURES = (DatasetError, pl.exceptions.PolarsError, OSError)


def failure_message(error: Exception, directory: object) -> str:
    """The one line a user is shown for a dataset that failed while open."""
    if isinstance(error, DatasetError):
        return str(error)
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return literal(f"dataset {directory}: cannot be read ({first})")


def reads_dataset(
    method: Callable[Concatenate[Node, Params], Result],
) -> Callable[Concatenate[Node, Params], Result | None]:
    """``method``, or the error screen (and None) when the dataset fails it."""

    @wraps(method)
    def guarded(node: Node, *args: Params.args, **kwargs: Params.kwargs) -> Result | None:
        try:
            result = method(node, *args, **kwargs)
        except FAILURES as error:
            from barnet_tui.tui.screens.error import ErrorScreen

            lost = getattr(node.app, "dataset_lost", None)
            if isinstance(error, GenerationGone) and lost is not None:
                lost()  # removed from its store after the grace period: load the current one
                return None

            directory = getattr(getattr(node.app, "dataset", None), "directory", "")
            node.app.push_screen(ErrorScreen(failure_message(error, directory)))
            return None
        warn = getattr(node.app, "show_new_warnings", None)
        if warn is not None:  # values the rows just read hold outside the contract
            warn()
        return result

    return cast("Callable[Concatenate[Node, Params], Result | None]", guarded)
