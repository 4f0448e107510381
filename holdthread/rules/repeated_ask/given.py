"""Where the customer already gave what a reply asks for, at the precision the ask needs.

Values come from the customer's parsed comment (holdthread/text): an email address, a phone
number (a range such as "50-450 ms" is none, and nothing inside a link is another value), a link,
an operating system or a device. A device is not an OS ("laptop" does not answer "which OS?"); an
OS named without its release does not answer "which version of Ubuntu?"; a browser named without
a number does not answer "which version?"; a device named by its kind ("the tablet") or its maker
does not answer "which model?", though its maker answers "nvidia or ati?". Steps are found
structurally in the parsed comment (list items that are actions, ordered actions in prose).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from holdthread.linter.models import Evidence
from holdthread.rules.repeated_ask.files import SENT_AS_FILES, not_sent
from holdthread.rules.repeated_ask.kinds import InfoKind
from holdthread.text import ParsedNote, Span
from holdthread.text.lexicon import words
from holdthread.text.steps import prose_actions

_INLINE_STEPS = re.compile(r"(?:^|\s)\d{1,2}[.)]\s+\w")
_CLOSING = {"'": "'", '"': '"', "“": "”", "‘": "’", "`": "`", "(": ")"}


def value_end(body: str, end: int) -> int:
    """Extend an error's evidence to the whole quoted message, or to the end of its line."""
    opening = body[end - 1] if end and body[end - 1] in _CLOSING else None
    if opening is not None:
        close = body.find(_CLOSING[opening], end)
        if close != -1 and close - end < 300:
            return close + 1
    line_end = body.find("\n", end)
    line_end = len(body) if line_end == -1 else line_end
    return min(line_end, end + 200)


#: An ask that insists on the version or release ("which version of Ubuntu?", "exactly", the
#: command that prints the release).
_VERSION_WORD = re.compile(r"\b(?:version|release|exactly|lsb_release)\b", re.IGNORECASE)
#: Values read out by voice-to-text: "carlos dot mendes at mail dot example", "five five five zero
#: one two three", "version six point four point two". They are given, only spelled in words.
_DIGIT_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
SPOKEN = {
    # Repeats are bounded (an address has few labels, a number few digits): a pattern that may
    # run on for the whole note would make a hostile "a dot a dot ..." take quadratic time.
    "email": re.compile(r"\b[a-z0-9_-]{1,40}\s+at\s+[a-z0-9-]{1,63}(?:\s+dot\s+[a-z]{2,24}){1,4}\b", re.IGNORECASE),
    "phone": re.compile(rf"\b(?:{_DIGIT_WORD}[\s,-]+){{6,15}}{_DIGIT_WORD}\b", re.IGNORECASE),
    "version": re.compile(
        rf"\bversion\s+(?:{_DIGIT_WORD}|ten|\d+)(?:\s+point\s+(?:{_DIGIT_WORD}|ten|\d+)){{1,4}}\b", re.IGNORECASE
    ),
}
_HAR = re.compile(r"\bHAR\b|\.har\b", re.IGNORECASE)
#: An ask for one model, not a kind of device: "which model", "graphics card", "wifi chip".
_MODEL_WORD = re.compile(r"\b(?:model|make|cards?|chip(?:set)?s?|gpu|adapter|controller)\b", re.IGNORECASE)
#: "is your card nvidia or ati?": a choice between makers, which a maker answers.
_MAKERS = "|".join(re.escape(w) for w in [*words("devices.components"), "nv"])
_MAKER_CHOICE = re.compile(rf"\b(?:{_MAKERS})\s+or\s+(?:{_MAKERS})\b", re.IGNORECASE)


class Precision(NamedTuple):
    """What an ask insists on: a HAR file (not any log), a model, a version or release."""

    har: bool
    model: bool
    version: bool

    @classmethod
    def of(cls, asked: str) -> Precision:
        model = bool(_MODEL_WORD.search(asked)) and not _MAKER_CHOICE.search(asked)
        return cls(bool(_HAR.search(asked)), model, bool(_VERSION_WORD.search(asked)))


#: An OS the customer wants to install, download or move to is not the one they are on.
_WANTED = re.compile(
    r"\b(?:install|installing|download|downloading|try|trying|switch(?:ing)?\s+to|mov(?:e|ing)\s+to|get|getting|burn"
    r"|burning|put|putting|want|wanted|need|planning|plan)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
#: Kinds read from the customer's parsed comment rather than from a pattern of the kind.
NOTED_KINDS = frozenset({"email", "phone", "url", "os", "device"})


def noted(kind: InfoKind, note: ParsedNote, precise: Precision) -> Span | None:
    """Where the customer's parsed comment gives ``kind``, at the precision the ask needs."""
    if kind.name in ("email", "phone", "url"):
        return next((v.span for v in note.values if v.kind == kind.name), None)
    for platform in note.platforms:
        if platform.kind != kind.name:
            continue
        if kind.name == "os" and _WANTED.search(note.text, max(0, platform.start - 40), platform.start):
            continue  # "can I install Ubuntu on a pendrive?": what they want, not what they run
        if kind.name == "os" and precise.version and not platform.versioned:
            continue  # "Ubuntu" does not answer "which release?"
        if kind.name == "device" and precise.model and not platform.versioned:
            continue  # "the tablet", "iPhone" or "an AMD card" does not answer "which model?"
        return platform.start, platform.end
    return None


def really_given(kind: InfoKind, body: str, match: re.Match[str], precise: Precision) -> bool:
    """Whether a match of ``kind.given`` gave what was asked: not a file the customer only tried,
    failed or promised to send, not a console log for a HAR file, and a version number when the
    ask says "version" ("I'm on Chrome" names the browser, not its version)."""
    if kind.name in SENT_AS_FILES and not_sent(body, match):
        return False
    given = body[match.start() : match.end() + 12]  # with what follows: "SteamOS 3.6", "Android 14"
    if kind.name == "logs" and precise.har and not _HAR.search(given):
        return False  # a console log is not the HAR file asked for
    return not (kind.name == "version" and precise.version and not re.search(r"\d", given))


_VALUE = re.compile(
    r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}|[A-Z0-9][\w.-]{0,40}\d[\w-]{0,40}", re.IGNORECASE
)
_VALUE_KINDS = frozenset({"reference", "invoice", "transaction", "email", "phone", "account"})


def quoted_back(evidence: Evidence, kind: InfoKind, draft: str) -> bool:
    """The reply already quotes the value the customer gave ("I can see the invite sent to
    tess@...; which email would you like to sign in with?"): it asks for another one."""
    if kind.name not in _VALUE_KINDS:
        return False
    values = [v for v in _VALUE.findall(evidence.text) if len(v) >= 4]
    return any(value.lower() in draft.lower() for value in values)


#: One item of a list ("1. Your practice ID", "- a screenshot of the error").
_BULLET = re.compile(r"^[ \t]*(?:[-*•]|\d{1,2}[.)])[ \t]+\S[^\n]*", re.MULTILINE)


def steps_given(note: ParsedNote) -> tuple[int, int] | None:
    """Where a customer gave steps: ordered actions, or a list of three or more events."""
    body = note.text
    listed = note.list_actions
    bullets = list(_BULLET.finditer(body))
    if len(listed) >= 2 or (len(bullets) >= 3 and listed):
        spans = [m.span() for m in bullets] or listed
        return spans[0][0], spans[-1][1]
    if note.ordered_actions(enough=2) >= 2:
        for start, end in note.sentences:
            if prose_actions(body[start:end], start) >= 1 or _INLINE_STEPS.search(body, start, end):
                return start, end
    return None
