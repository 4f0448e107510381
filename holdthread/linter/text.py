"""Plain text out of helpdesk bodies, and positions within it.

Helpdesks store bodies as HTML (Zendesk ``html_body``, Freshdesk ``body``, Intercom parts). Rules
read plain text, and annotation offsets point into that plain text, so a body with HTML is
converted once, keeping block structure (paragraphs, list items) as line breaks.
"""

from __future__ import annotations

import bisect
import re
from html.parser import HTMLParser

_HTML_TAG = re.compile(
    r"<(?:p|div|br|span|a|b|i|u|strong|em|ul|ol|li|table|tr|td|th|h[1-6]|blockquote|pre|code|img|hr)\b[^>]{0,500}>",
    re.IGNORECASE,
)
_BLOCK_TAGS = frozenset({
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "table", "ul", "ol",
})


def looks_like_html(body: str) -> bool:
    return _HTML_TAG.search(body) is not None


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._list_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("blockquote",):
            self.parts.append("\n> ")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th"):
            self.parts.append("\t")  # cells stay apart: "INV-CW-2291" and "2026-02-01", not one token
        elif tag in _BLOCK_TAGS and tag not in ("br", "li"):
            self.parts.append("\n")  # (the next item's "- " or the list's end breaks the line after an item)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(body: str) -> str:
    """Readable plain text from an HTML body: tags dropped, entities decoded, blocks on lines."""
    parser = _TextExtractor()
    parser.feed(body)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\r\f\v]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    # The parser already decoded entities (convert_charrefs); decoding again would turn a
    # customer's literal "&lt;" (written as "&amp;lt;") into "<".
    return text.strip("\n")


def plain_text(body: str) -> str:
    """The text rules read: HTML converted, anything else as given (CRLF normalised)."""
    body = body.replace("\r\n", "\n")
    return html_to_text(body) if looks_like_html(body) else body


class LineIndex:
    """Turns character offsets into 1-based line and column numbers."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1
