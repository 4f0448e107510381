"""What an ask asks for: the kinds of information its words name, read in what it asks for only.

The parsed note says where each ask is and what part of it asks (holdthread/text/asks.py: past
"send us an email at <link>", up to "so we can find your order"). Here that part is read for the
kinds of information it names, skipping what only quotes a value back ("order #A-7781"),
or asks for one more ("could you also
send another screenshot").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from holdthread.rules.repeated_ask.kinds import InfoKind
from holdthread.text.asks import Ask

_EMAIL_VALUE = re.compile(r"@\S+\.\w+")
#: "also / another / a second / a different ...": asking for one more, not for the same again.
_ANOTHER = re.compile(r"\b(?:also|another|second|different|other|additional|new|updated|fresh|more)\b", re.IGNORECASE)
_VALUE_AFTER = re.compile(r"\s*(?:number\s+|no\.?\s+|id\s+)?[#:]?\s*[A-Z0-9]{0,40}\d[\w-]{0,40}", re.IGNORECASE)
#: Kinds that an ask quotes back when a value follows the noun ("order #A-7781", "error E1042").
_QUOTABLE = frozenset({"reference", "invoice", "transaction", "account", "error"})

Asked = tuple[InfoKind, tuple[int, int], str]


def asked_kinds(text: str, ask: Ask, kinds: Sequence[InfoKind]) -> Iterator[Asked]:
    """Each kind ``ask`` asks for, with the span (in ``text``) that names it and its noun."""
    for kind in kinds:
        for start, end in ask.what:
            found = _first_ask(text, start, end, kind)
            if found is not None:
                yield kind, found[0], found[1]
                break


def _first_ask(text: str, start: int, end: int, kind: InfoKind) -> tuple[tuple[int, int], str] | None:
    for match in kind.asked.finditer(text, start, end):
        if kind.name in _QUOTABLE and _VALUE_AFTER.match(text, match.end(), end + 60):
            continue  # "order #A-7781" quotes the value back; it does not ask for it
        nearby = text[max(start, match.start() - 60) : min(end, match.end() + 60)]
        if kind.name == "email" and _EMAIL_VALUE.search(nearby):
            continue  # "is dana@acme.example still the right address?" quotes it back
        if _ANOTHER.search(text, max(start, match.start() - 40), match.start()):
            continue  # "could you also send a screenshot of ...": a new one, not the same again
        groups = match.groupdict()
        noun = (groups.get("noun") or groups.get("noun2") or groups.get("noun3") or "order").lower()
        return match.span(), " ".join(noun.split())
    return None
