"""File paths in a note, each read as one value.

A path ("/var/log/syslog.1", "~/.config/app/42", "C:\\Users\\dana\\AppData", "src/utils/date.js")
names a file; the numbers in it are part of the name, never a phone, card or id. Three shapes
are read: a path from the root, the home folder or the current folder (it starts with "/", "~/",
"./" or "../"); a Windows path (a drive letter and a backslash, or a "\\\\server" share); and a
relative path of several folders or ending in a file name ("src/index.js", "a/b/c"). A single
slash between words ("and/or", "TCP/IP") and a date ("04/28") are no paths, and every path holds a
letter.
"""

from __future__ import annotations

import re

from holdthread.text.spans import Span

_PART = r"[\w.@%+=,~-]"
#: From the root, the home folder or the current folder.
_ROOTED = rf"(?<![\w/.:~@-])(?:~|\.\.?)?/{_PART}+(?:/{_PART}*){{0,200}}"
#: A drive letter or a network share, then backslash-separated parts.
_WINDOWS = r"(?<![\w\\])(?:[A-Za-z]:|\\\\[\w.$-]+)\\[^\s<>:\"|?*]{0,1000}"
#: Relative: two or more slashes, or one slash before a file name with an extension.
_RELATIVE = (
    rf"(?<![\w/.:~@-]){_PART}+(?:/{_PART}+){{2,200}}/?"
    rf"|(?<![\w/.:~@-]){_PART}+/{_PART}*\.[A-Za-z][A-Za-z0-9]{{0,7}}\b"
)
_PATH = re.compile(f"{_ROOTED}|{_WINDOWS}|{_RELATIVE}")
_TRAILING = ".,;:!?)]}'\""


def find_paths(text: str) -> list[Span]:
    """Spans of the file paths in ``text`` (trailing punctuation left out)."""
    if "/" not in text and "\\" not in text:
        return []
    found: list[Span] = []
    for match in _PATH.finditer(text):
        value = match.group(0).rstrip(_TRAILING)
        if len(value) > 1 and any(char.isalpha() for char in value):
            found.append((match.start(), match.start() + len(value)))
    return found
