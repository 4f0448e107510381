"""Words that are not the writer's own: direct quotes, blockquotes, code and log blocks.

A customer's "it doesn't work" quoted in a note is evidence, not the agent's vagueness; a
placeholder inside backticks is explained, not left unfilled. Rules skip what these spans cover.
"""

from __future__ import annotations

import re

from holdthread.text.spans import Span

#: A quote in double or curly quotes, backticks, or single quotes outside a word ("it's" is none).
#: Each branch starts with its quote character (the single quote's "not after a letter" is checked
#: just after it), so the regex engine skips straight to quote characters.
QUOTED = re.compile(r"\"[^\"\n]{1,400}\"|“[^”\n]{1,400}”|'(?<![A-Za-z]')[^'\n]{3,300}'(?![A-Za-z])|`[^`\n]{1,400}`")
#: A Markdown or e-mail blockquote line ("> the export failed").
BLOCKQUOTE = re.compile(r"^[ \t]*>[^\n]*", re.MULTILINE)
#: A fenced code block (an unclosed fence runs to the end of the note).
CODE_BLOCK = re.compile(r"```.*?(?:```|\Z)", re.DOTALL)
#: A quoted string as a detail: three or more characters; a single quote counts only outside a word.
QUOTED_DETAIL = re.compile(r"[\"“`][^\"”`\n]{3,}[\"”`]|'(?<![A-Za-z]')[^'\n]{3,}'(?![A-Za-z])")


def quoted_spans(text: str) -> list[Span]:
    """Direct quotes, blockquote lines and code: words that are not the agent's own."""
    spans = [m.span() for m in QUOTED.finditer(text)]
    spans += [m.span() for m in BLOCKQUOTE.finditer(text)]
    spans += [m.span() for m in CODE_BLOCK.finditer(text)]
    return spans


def code_blocks(text: str) -> list[Span]:
    """Fenced code blocks (```), where a pasted log, command or test case usually sits."""
    return [m.span() for m in CODE_BLOCK.finditer(text)]
