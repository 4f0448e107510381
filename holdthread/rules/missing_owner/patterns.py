"""Where an owner stands in a note: the patterns of names, handles and the phrases around them.

"Owner: Lee", "assigning this to Lee", "Lee will take it", "payments on-call (Lee) is looking",
"Kofi, please take this", "Dee — yours": each pattern captures the candidate (``who``, or
``addressed`` when the note speaks to the person); :mod:`.people` then decides whether the
candidate is a person or a handle rather than a team, a role or the customer. The verbs after
"X will" come from ``words.yaml``, whose two lists (an owner's actions, what happens to a thing)
are checked to share no word.
"""

from __future__ import annotations

import re

from holdthread.text.lexicon import alternation
from holdthread.text.mentions import HANDLE as _HANDLE
from holdthread.text.wordlists import load_words

_WORDS = load_words(__package__ or "")
#: A capitalised name of up to three words, any script ("João", "Zoë Müller").
#: A name of up to three capitalised words. Each word is bounded (no name is 40 letters long), so
#: a hostile "INV-CW-INV-CW-..." cannot make every capital start a scan to the end of the note.
_NAME = r"(?:[A-ZÀ-ÖØ-Þ](?:[^\W\d_]|['’-]){1,40}(?:[ \t]+[A-ZÀ-ÖØ-Þ](?:[^\W\d_]|['’-]){1,40}){0,2})"
_DOTTED = r"(?:[a-z][a-z-]{1,20}\.[a-z][a-z-]{1,20})"
_TARGET = rf"(?P<the>(?i:the|our|their)\s+)?(?P<who>{_HANDLE}|{_DOTTED}|{_NAME})"
ASSIGN = re.compile(
    r"(?i:\b(?:re)?assign(?:ing|ed)?|\bhand(?:ing|ed)?|\bpass(?:ing|ed)?|\btransferr?(?:ing|ed)?|\brout(?:ing|ed|e)"
    r"|\bescalat(?:ing|ed|e)|\bsend(?:ing)?|\bsent|\bgiv(?:ing|e)|\bmov(?:ing|ed))"
    r"(?i:\s+(?:it|this(?:\s+(?:ticket|case|one|conversation|chat))?|the\s+(?:ticket|case|conversation|chat)|over|off"
    r"|along|back|up))*\s+(?i:to)\s+" + _TARGET
)
#: "Owner: Lee", "**Owner:** Sana Iqbal"; not "the account owner Ana" (a role on the customer's side).
OWNER_LABEL = re.compile(
    r"(?i:\b(?:(?<!account\s)(?<!business\s)(?<!store\s)(?<!workspace\s)(?<!site\s)(?<!property\s)(?<!practice\s)owner"
    r"|ownership|owned\s+by|assignee|assigned\s+to|dri|point\s+of\s+contact|poc|next\s+owner|new\s+owner"
    r"|handoff\s+to|handover\s+to)\b)\s*(?:\*\*|__)?\s*[:=\-–—]?\s*(?:\*\*|__)?\s*" + _TARGET
)
_OWNER_VERBS = "(?:" + "|".join([alternation(_WORDS["owner_verbs"]), *_WORDS["owner_verb_patterns"]]) + ")"
#: After "X will" / "X to", words that describe what happens to a thing, not what a person does.
_NOT_OWNER_VERBS = f"(?:{alternation(_WORDS['not_owner_verbs'])})\\b"
_FUTURE = (
    rf"(?:(?:will|['’]ll|is\s+going\s+to|are\s+going\s+to|to)\s+(?:(?:\w+\s+)?{_OWNER_VERBS}\b|(?!{_NOT_OWNER_VERBS})[a-z][a-z-]{{1,40}}\b)|is\s+taking|takes\s+over|"
    r"has\s+taken|is\s+looking|is\s+on\s+it|has\s+(?:it|this)\b|owns|is\s+handling|is\s+investigating|is\s+picking|"
    r"picks\s+(?:it\s+|this\s+|that\s+)?up|takes\s+(?:it|this|that)\b|handles\s+(?:it|this|that)\b|"
    r"is\s+owning|is\s+driving|is\s+checking|can\s+take|agreed\s+to|volunteered\s+to|is\s+the\s+owner|is\s+owner|"
    r"is\s+the\s+dri|is\s+working|"
    # "Ivan Petrov is writing it": a person busy with the next step (not "Export is failing the...")
    r"is\s+(?!(?:failing|returning|showing|loading|crashing|hanging|throwing|rejecting|dropping|timing|running|"
    r"breaking|erroring|stalling|spinning|affecting|blocking|causing|charging|sending|using)\b)[a-z]{3,}ing\s+"
    r"(?:it|this|that|the\s+\w+|on\s+it)\b)"
)
PERSON_WILL = re.compile(
    rf"(?<![\w@.])(?P<who>{_HANDLE}|{_NAME})(?:\s+\((?P<aside>[^)\n]{{1,40}})\)|,\s+(?P<apposition>[^,\n]{{1,50}}),)?\s+"
    rf"(?:(?:from|on|in)\s+(?:the\s+)?[\w-]{{1,40}}(?:\s+[\w-]{{1,40}})?(?:\s+team)?\s+|on[-\s]?call\s+)?{_FUTURE}"
)
ONCALL_LOOKING = re.compile(
    rf"(?P<who>\b[\w-]{{1,40}})\s+on[-\s]?call\s+(?:\([^)\n]{{1,40}}\)\s+)?{_FUTURE}", re.IGNORECASE
)
#: "Kofi, please take this" and "Please Kofi take this tomorrow": a named person asked to take it.
TAKE_IT = re.compile(
    rf"(?:^|(?<=[.!?]\s)|(?<=\n))[ \t]*(?:(?P<who>{_HANDLE}|{_NAME})[,:]?\s+(?i:please|pls|can\s+you|could\s+you)"
    rf"|(?i:please|pls)[,]?\s+(?P<addressed>{_HANDLE}|{_NAME})[,]?)\s+(?i:take|own|pick\s+up|look|check|handle)",
    re.MULTILINE,
)
#: "Dee — yours.", "Tariq — all yours", "Siobhan, over to you", "over to you, @dee": handed to a person.
YOURS = re.compile(
    rf"(?<![\w@.])(?P<who>{_HANDLE}|{_NAME})\s*(?:[,:—–-]|--)\s*(?i:(?:it['’]s\s+)?(?:all\s+)?yours\b|over\s+to\s+you\b)"
    rf"|(?i:\bover\s+to\s+you|\ball\s+yours)\s*[,:—–-]?\s*(?P<addressed>{_HANDLE}|{_NAME})"
)
#: A mention that only informs: "CC @lee", "FYI @ines", "looping in @dee for visibility".
_FOR_VISIBILITY = re.compile(
    r"\b(?:cc|fyi|copying|cc['’]?ing|looping\s+in|for\s+visibility\s*:?)\s*:?\s*(?:@[\w.-]+[,\s]+)*$", re.IGNORECASE
)
_FOR_VISIBILITY_AFTER = re.compile(
    r"\s*(?:\(\s*)?(?:for\s+(?:visibility|awareness|your\s+information|info)|fyi)\b", re.IGNORECASE
)


def only_informed(text: str, start: int, end: int) -> bool:
    """Whether the mention at ``start``..``end`` only keeps someone informed ("CC @lee", "FYI @ines")."""
    before = _FOR_VISIBILITY.search(text, max(0, start - 30), start)
    return before is not None or _FOR_VISIBILITY_AFTER.match(text, end) is not None


#: "customer will ask <Name> to ...", "they'll get <Name> to ...": someone the customer will ask.
ASKED_BY_CUSTOMER = re.compile(
    r"\b(?:customer|client|requester|they|she|he|the\s+user)\b[^.!?\n]{0,30}\b(?:ask|asks|asked|get|gets|tell|tells|"
    r"remind|reminds|have|has)\s+$",
    re.IGNORECASE,
)
#: Words without which a pattern cannot match, checked on the lower-cased note first (cheap).
HINTS: dict[re.Pattern[str], tuple[str, ...]] = {
    OWNER_LABEL: ("owner", "owned", "assign", "dri", "point of contact", "poc", "handoff", "handover"),
    YOURS: ("yours", "over to you"),
    TAKE_IT: ("take", "own", "pick", "look", "check", "handle"),
    ONCALL_LOOKING: ("call",),
}
#: Where a finding points when there is no owner: the words that hand the ticket on.
HANDOFF_WORDS = re.compile(
    r"\b(?:escalat\w*|hand\w*\s+(?:off|over)|assign\w*|sending|passing|transferr?\w*)\b[^.\n]{0,60}", re.IGNORECASE
)
#: A team word right after a capitalised name makes it a team ("Digital team", "Growth squad").
TEAM_AFTER = re.compile(
    r"[ \t]*(?:team|squad|queue|group|desk|department|dept|crew|shift|org|pod|guild)\b", re.IGNORECASE
)
CUSTOMER_ASIDE = re.compile(r"\b(?:customer|client|their|requester|end[- ]user|merchant)\b", re.IGNORECASE)
#: "..., he wrote the credits job": the owner just named is a person, whatever the name looks like.
PERSONAL_PRONOUN = re.compile(r"[^.!?\n]*?\b(?:he|she|his|her|him)\b", re.IGNORECASE)
