"""The console that prints QA reports, and text from exports made safe to print on it.

A reviewer's name in a QA export or an agent's reason could hold escape sequences that recolour
or rewrite the terminal; :func:`printable` (the same escaping ``check`` uses) shows each such
character as its escape instead.
"""

from __future__ import annotations

import sys

from rich.console import Console

from holdthread.linter.formats import printable

__all__ = ["console", "printable"]


def console() -> Console:
    """A console for reports: no markup read from data, and 120 columns when output is not a terminal
    (rich's default of 80 would cut rule ids in a table written to a file or a CI log)."""
    return Console(highlight=False, soft_wrap=True, markup=False, width=None if sys.stdout.isatty() else 120)
