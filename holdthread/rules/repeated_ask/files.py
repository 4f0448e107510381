"""What the thread's customer gave as files or through a form, and what they only meant to send.

Whose comments count: the thread's customer's own (another user on a public thread or in a chat
is not the customer, see holdthread/linter/requester.py) and a bot's or web form's record of the
customer's answers. An image attachment is a screenshot and a `.har` or `.log` file is logs,
whatever the message says; a file the customer only tried, failed or promised to send ("the upload
failed", "I'll send it tomorrow") was not given.
"""

from __future__ import annotations

import re

from holdthread.linter.models import Comment, Evidence, Person
from holdthread.linter.requester import is_thread_customer
from holdthread.linter.rule import RuleContext
from holdthread.rules.repeated_ask.kinds import InfoKind

#: A bot or form comment that records the customer's own answers ("Here is what I collected:").
_INTAKE = re.compile(
    r"\b(?:here(?:'s|’s|\s+is)\s+what\s+(?:i|we)\s+(?:collected|have|got)|(?:form|request|appeal|submission)\s+"
    r"(?:received|submitted)|you\s+(?:told|gave|entered|provided|submitted|said)|your\s+(?:answers|details|information)"
    r"\s*:)",
    re.IGNORECASE,
)
_FIELD_LINE = re.compile(r"^[ \t]*(?:[-*•][ \t]*)?[A-Z][\w /-]{1,30}:[ \t]+\S", re.MULTILINE)


def customer_gave(comment: Comment, customer: Person | None, context: RuleContext) -> bool:
    """The thread's customer's own messages (not another user's), and a bot's or web form's record
    of the customer's answers (an intake summary, or two or more "Field: value" lines)."""
    if comment.author.role == "customer":
        return is_thread_customer(comment, customer)
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
SENT_AS_FILES = frozenset({"screenshot", "logs"})
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


def not_sent(body: str, match: re.Match[str]) -> bool:
    """Whether the customer only tried, failed or promised to send it."""
    before = body[max(0, match.start() - 40) : match.start()]
    return bool(_NOT_SENT_BEFORE.search(before) or _NOT_SENT_AFTER.search(body[match.end() : match.end() + 80]))
