"""Code in a note: pasted patches, code comment blocks, and test cases.

Bug trackers accept a test case instead of written steps ("Load this HTML", "With the following
snippet ..."): Mozilla's bug-writing guidelines ask for "steps to reproduce, or a testcase". A
test case is source that someone wrote to be run, so it is told apart from what a program printed
(log lines, stack frames, error output), which shows the failure but not how to get there. Lines
are read one by one, with patterns anchored at the start of a line, so the cost stays linear in
the length of the note. Patches and comment blocks matter to list reading: their "+", "-" and
"*" lines look like bullets and are not.
"""

from __future__ import annotations

import re

from holdthread.text.spans import Span

#: A line of source, markup or configuration: a declaration, an assignment, a call, a tag, an
#: Apache-style directive ("AllowOverride All"), or a line that opens or ends a statement.
_STATEMENT = re.compile(
    r"""^[ \t]*(?:
        (?:var|let|const|function|public|private|protected|class|import|include|require|def|return|new)\b[^\n]*
      | [\w$.\[\]'"-]{1,80}[ \t]*=[ \t]*[^\n=]+
      | [\w$.>-]{1,80}\([^\n]*\)[ \t]*;?[ \t]*
      | </?[A-Za-z][\w:-]{0,40}(?:[ \t][^\n>]*)?/?>[^\n]*
      | <\?[^\n]*
      | [A-Z][a-z]+[A-Z]\w{0,40}[ \t]+\S[^\n]*
      | [{}][ \t]*;?[ \t]*
      | [^\n]*[;{][ \t]*
    )$""",
    re.VERBOSE | re.MULTILINE,
)
#: What a program printed (stack frames, timestamps, log levels, exception names, dumped
#: arrays and registers), and the lines of a patch, which show a fix rather than the failure.
_OUTPUT = re.compile(
    r"[ \t]*(?:at[ \t]+[\w.$<>]+\(|\[?\d{4}-\d\d-\d\d|\[\w{3}[ \t]\w{3}|Caused[ \t]by|!ENTRY|!MESSAGE|!STACK|"
    r"(?:java|javax|org|com)\.\w|\w{0,60}(?:Exception|Error)\b|(?:ERROR|WARN|WARNING|INFO|DEBUG|TRACE)\b|"
    r"\[[\w ]{1,40}\][ \t]*=>|\w{1,40}[ \t]*=[ \t]*0x[0-9A-Fa-f]|[-+])"
)
#: A Python traceback frame; the line after it echoes the source line that ran, which is output.
_FRAME = re.compile(r'[ \t]*File "[^"\n]*", line \d+')

#: A unified diff (a pasted patch): its "+" and "-" lines are changes, not bullets.
_DIFF = re.compile(r"^(?:@@ -\d|(?:---|\+\+\+) \S).*?(?=\n[ \t]*\n(?![-+ ])|\Z)", re.MULTILINE | re.DOTALL)
#: A code comment block ("/** ... * @param l ... */"): its "*" lines are not bullets.
_COMMENT_BLOCK = re.compile(r"/\*.*?(?:\*/|\Z)", re.DOTALL)


def count_test_case_lines(text: str) -> int:
    """How many lines of the text are source, markup or configuration rather than output."""
    return sum(
        1
        for line in _STATEMENT.finditer(text)
        if not _OUTPUT.match(line.group(0)) and not _FRAME.match(_previous_line(text, line.start()))
    )


def _previous_line(text: str, start: int) -> str:
    if start == 0:
        return ""
    return text[text.rfind("\n", 0, start - 1) + 1 : start - 1]


def patch_and_comment_regions(text: str) -> list[Span]:
    """Pasted patches and code comment blocks, whose line markers look like list bullets."""
    if "/*" not in text and "@@" not in text and "+++" not in text:
        return []
    return [m.span() for m in _DIFF.finditer(text)] + [m.span() for m in _COMMENT_BLOCK.finditer(text)]
