"""What a list's output can be asked for: its format and its width.

Apart from the formats themselves (``formats.py`` needs Polars) so that the command line
can offer them without importing more than it parses with.
"""

from __future__ import annotations

OUTPUT_FORMATS = ("table", "csv", "csv-excel", "json", "markdown")
"""``csv`` is UTF-8 for scripts, its text as it is; ``csv-excel`` is for a spreadsheet: a
byte-order mark, which Excel needs to read UTF-8 rather than guess a code page, and a text
cell a spreadsheet would run as a formula made inert."""
PIPED_WIDTH = 80
"""A table's width in a pipe or a file, where no terminal says how wide it may be."""
WIDTHS = (60, 1000)
"""The widths ``--width`` accepts: narrower, no table has room for its columns."""
