"""Where the customer already gave what a reply asks for: in their messages, files, or an intake form.

A file the customer only tried, failed or promised to send ("the upload failed", "I'll send it
tomorrow") was not given; a browser named without a number does not answer "which version?", and
"the tablet" does not answer "which tablet model?". Steps are found structurally in the parsed
comment (list items that are actions, ordered actions in prose).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from holdthread.linter.models import Comment, Evidence
from holdthread.linter.rule import RuleContext
from holdthread.rules.repeated_ask.kinds import InfoKind
from holdthread.text import ParsedNote
from holdthread.text.lexicon import group
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


#: A bot or form comment that records the customer's own answers ("Here is what I collected:").
_INTAKE = re.compile(
    r"\b(?:here(?:'s|’s|\s+is)\s+what\s+(?:i|we)\s+(?:collected|have|got)|(?:form|request|appeal|submission)\s+"
    r"(?:received|submitted)|you\s+(?:told|gave|entered|provided|submitted|said)|your\s+(?:answers|details|information)"
    r"\s*:)",
    re.IGNORECASE,
)
_FIELD_LINE = re.compile(r"^[ \t]*(?:[-*•][ \t]*)?[A-Z][\w /-]{1,30}:[ \t]+\S", re.MULTILINE)


def customer_gave(comment: Comment, context: RuleContext) -> bool:
    """The customer's own messages, and a bot's or web form's record of the customer's answers
    (an intake summary, or two or more "Field: value" lines), which the customer gave too."""
    if comment.author.role == "customer":
        return True
    if comment.author.role not in ("bot", "system"):
        return False
    body = context.thread_text(comment)
    return _INTAKE.search(body) is not None or len(_FIELD_LINE.findall(body)) >= 2


_IMAGE = re.compile(r"\.(?:png|jpe?g|gif|webp|heic|bmp|tiff?|mp4|mov|webm)$", re.IGNORECASE)
_LOG_FILE = re.compile(r"\.(?:har|log|txt|zip|gz|tgz)$", re.IGNORECASE)


def attached(kind: InfoKind, comment: Comment, *, har: bool = False) -> Evidence | None:
    """A screenshot or a log/HAR file the customer attached, whatever the message says.

    An attachment has no span in the text, so the evidence points at the comment (0-0) and
    names the file."""
    for attachment in comment.attachments:
        content_type = (attachment.content_type or "").lower()
        if kind.name == "screenshot":
            found = content_type.startswith(("image/", "video/")) or bool(_IMAGE.search(attachment.name))
        elif kind.name == "logs":
            is_har = attachment.name.lower().endswith(".har") or "har" in content_type
            # When the ask is for a HAR file, a console log does not answer it.
            found = is_har if har else is_har or bool(_LOG_FILE.search(attachment.name))
        else:
            return None
        if found:
            return Evidence(comment_id=comment.id, start=0, end=0, text=f"attachment {attachment.name}".strip())
    return None


#: "I tried to attach a screenshot but the upload failed", "couldn't upload the HAR": not sent.
_SENT_AS_FILES = frozenset({"screenshot", "logs"})
_NOT_SENT_BEFORE = re.compile(
    r"\b(?:tried|trying|try|attempted)\s+to\s*$|\b(?:could\s*n[o']?t|couldn['’]t|can['’]?t|cannot|unable\s+to|"
    r"failed\s+to|won['’]t|doesn['’]t\s+let\s+me|will|I['’]ll|going\s+to|later)\b[^.\n]{0,20}$",
    re.IGNORECASE,
)
_NOT_SENT_AFTER = re.compile(
    r"^[^.\n]{0,60}\b(?:failed|fails|didn['’]t\s+(?:go\s+through|upload|work|attach)|won['’]t\s+(?:upload|attach)|"
    r"(?:is|was)\s+too\s+(?:big|large)|later|tomorrow)\b",
    re.IGNORECASE,
)


def _not_sent(body: str, match: re.Match[str]) -> bool:
    """Whether the customer only tried, failed or promised to send it."""
    before = body[max(0, match.start() - 40) : match.start()]
    return bool(_NOT_SENT_BEFORE.search(before) or _NOT_SENT_AFTER.search(body[match.end() : match.end() + 80]))


_VERSION_WORD = re.compile(r"\bversion\b", re.IGNORECASE)
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
_MODEL_WORD = re.compile(r"\b(?:model|version|make)\b", re.IGNORECASE)
#: A device model or maker: what answers "which phone model?" where "the tablet" does not.
_BRAND = re.compile(rf"\b{group('devices.models', 'devices.brands')}\b", re.IGNORECASE)


class Precision(NamedTuple):
    """What an asking sentence insists on: a HAR file (not any log), a model, a version number."""

    har: bool
    model: bool
    version: bool

    @classmethod
    def of(cls, asked: str) -> Precision:
        return cls(bool(_HAR.search(asked)), bool(_MODEL_WORD.search(asked)), bool(_VERSION_WORD.search(asked)))


def really_given(kind: InfoKind, body: str, match: re.Match[str], precise: Precision) -> bool:
    """Whether a match of ``kind.given`` gave what was asked: not a file the customer only tried,
    failed or promised to send, and a version number when the ask says "version" ("I'm on
    Chrome" names the browser, not its version)."""
    if kind.name in _SENT_AS_FILES and _not_sent(body, match):
        return False
    given = body[match.start() : match.end() + 12]  # with what follows: "SteamOS 3.6", "Android 14"
    if kind.name == "logs" and precise.har and not _HAR.search(given):
        return False  # a console log is not the HAR file asked for
    if kind.name == "device" and precise.model and not (re.search(r"\d", given) or _BRAND.search(given)):
        return False  # "the tablet" does not answer "which tablet model?"
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
