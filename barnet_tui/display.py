"""Text from the data, made safe and sized for a terminal; no Rich, no Textual.

Shared by the quick check and the app: data text is always shown literally, never as markup
or escape sequences, and cut with an ellipsis when it does not fit.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def literal(text: object) -> str:
    """Data text with control characters (escape sequences, bells) made harmless."""
    if text is None:
        return ""
    return _CONTROL.sub("\N{REPLACEMENT CHARACTER}", str(text))


def fit(text: str, width: int) -> str:
    """``text`` padded or cut to ``width`` cells, ending in an ellipsis when cut."""
    if width <= 0:
        return ""
    if len(text) <= width:
        return text.ljust(width)
    return text[: width - 1] + "…"
