"""Text from exports and agents, made safe to print on a terminal, and the console that prints it.

A reviewer's name in a QA export or an agent's reason could hold escape sequences that recolour
or rewrite the terminal; every such character is shown as its escape instead.
"""

from __future__ import annotations

import sys
import unicodedata

from rich.console import Console


def printable(text: str) -> str:
    """``text`` with control and format characters (ESC, CR, bidi overrides...) written as escapes."""
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) in {"Cc", "Cf"} else ch for ch in text
    )


def console() -> Console:
    """A console for reports: no markup read from data, and 120 columns when output is not a terminal
    (rich's default of 80 would cut rule ids in a table written to a file or a CI log)."""
    return Console(highlight=False, soft_wrap=True, markup=False, width=None if sys.stdout.isatty() else 120)
