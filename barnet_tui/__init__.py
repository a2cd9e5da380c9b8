"""barnet-tui: a terminal explorer of the London Borough of Barnet's performance reports.

Nothing heavy is imported here: the quick check must start fast.
"""

__version__ = "0.1.0"
