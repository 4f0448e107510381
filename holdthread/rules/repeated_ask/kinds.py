"""What an agent may ask a customer for, how an ask names it, and how a customer gives it.

Each :class:`InfoKind` has two patterns: ``asked`` (what an asking sentence mentions: "order
number", "screenshot") and ``given`` (where a customer gives it: "order #A-7781", "I've attached a
screenshot"). References are given per noun ("Load 88120" answers "your load number"), so their
pattern is built per noun. Platform names (browsers, operating systems, devices) come from the
shared lexicon.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from holdthread.text.lexicon import group
from holdthread.text.wordlists import load_words

_WORDS = load_words(__package__ or "")


@dataclass(frozen=True)
class InfoKind:
    """One kind of information an agent may ask for, and how a customer gives it."""

    name: str
    label: str
    #: What an ask for it mentions ("order number", "screenshot").
    asked: re.Pattern[str]
    #: Where a customer gives it ("order #A-7781", "I've attached a screenshot").
    given: re.Pattern[str]


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.VERBOSE)


#: A value such as "#A-7781", "GPA.3312-4481" or "SK 8812 3371" (a prefix and digit groups).
_ID = (
    r"[#:]?\s*(?:is\s+|was\s+|=\s*)?\#?(?:[A-Z]{1,4}\s)?"
    r"[A-Z0-9][A-Z0-9_.-]{0,40}\d[A-Z0-9_-]{0,40}(?:\s\d[\d-]{2,20}){0,3}"
)
#: An invoice number by its prefix: "INV-2231", "INV_2231", "INV-CW-2291".
_INVOICE_ID = r"\bINV[-_]?(?:[A-Z]{1,6}[-_])?\d+"
#: Things customers quote by number: asking for "your load number" repeats "Load 88120".
REFERENCE_NOUNS = tuple(_WORDS["reference_nouns"])
_NOUN = "|".join(sorted((re.escape(n).replace(r"\ ", r"\s+") for n in REFERENCE_NOUNS), key=len, reverse=True))
_LABEL = r"(?:numbers?|no\.?|ids?|codes?|references?|refs?)\b|\#"
#: Nouns before "id" / "number" that another kind covers, or that name no reference at all.
_OTHER_KINDS = "|".join(re.escape(w) for w in _WORDS["other_kind_nouns"])
INFO_KINDS: tuple[InfoKind, ...] = (
    InfoKind(
        "reference",
        "reference number",
        _p(
            rf"\b(?P<noun>{_NOUN})\s*(?:{_LABEL})|\border\s+details\b|\bwhich\s+(?P<noun2>order|booking|load|shipment)\b"
            rf"|\b(?!(?:{_OTHER_KINDS})\b)(?P<noun3>[a-z][a-z-]{{2,30}})\s+(?:id|number|no\.?|code)\b"
        ),
        _p(r"(?!x)x"),
    ),  # given references are matched per noun, see _reference_given
    InfoKind(
        "invoice",
        "invoice number",
        _p(r"\binvoice\s*(?:numbers?|no\.?|\#|ids?)\b|\bwhich\s+invoices?\b|\bthe\s+invoices?\b"),
        _p(rf"{_INVOICE_ID}|\binvoice\s*(?:number|no\.?|\#|id)?\s*{_ID}"),
    ),
    InfoKind(
        "transaction",
        "transaction id",
        _p(
            r"\btransaction\s*(?:ids?|numbers?|references?|refs?)\b|\bpayment\s+(?:ids?|references?|refs?)\b|\breceipt\s+numbers?\b"
        ),
        _p(
            rf"\b(?:transaction|txn|payment|receipt)\s*(?:id|number|no\.?|reference|ref)?\s*{_ID}|\b(?:txn|ch|pi|py)_[A-Za-z0-9]{{6,}}"
            rf"|\b(?:transaction|txn|payment|receipt)\s*(?:id|number|no\.?|reference|ref)\b[^.\n]{{0,40}}?\b(?:is|was)\s+{_ID}"
        ),
    ),
    InfoKind(
        "email",
        "account email",
        _p(r"\b(?:e-?mail(?:\s+address)?)\b"),
        _p(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}"),
    ),
    InfoKind(
        "phone",
        "phone number",
        _p(r"\b(?:phone|mobile|cell)(?:\s+number)?\b|\bnumber\s+we\s+can\s+call\b"),
        _p(r"(?<![\w-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}[\s.-]\d{3,4}[\s.-]?\d{0,4}(?![\w-])"),
    ),
    InfoKind(
        "account",
        "account or workspace id",
        _p(
            r"\b(?:account|workspace|org(?:anization|anisation)?|tenant|company|customer|store|site)\s*(?:id|number|no\.?|name|url|subdomain|domain)\b|\bwhich\s+(?:workspace|account)\b"
        ),
        _p(
            rf"\b(?:account|acct\.?|a/c|workspace|org(?:anization|anisation)?|tenant|customer|store|site|company|client|merchant|partner)\s*(?:id|number|no\.?|name|url|subdomain)?\s*{_ID}|\b(?:acct|ws|org|tenant)_[A-Za-z0-9]{{4,}}|\b[a-z0-9-]{{1,63}}\.(?:myshopify|zendesk|freshdesk|slack)\.com\b|\bworkspace\s+(?:is\s+|called\s+|named\s+)?[\"'“]?[a-z0-9-]{{3,63}}"
        ),
    ),
    InfoKind(
        "screenshot",
        "screenshot or photo",
        _p(
            r"\bscreen\s?shots?\b|\bscreen\s?(?:recording|capture|cast)s?\b|\bscreen\s?grabs?\b|\bpictures?\s+of\s+(?:the|your)\s+screen\b"
            r"|\b(?:photos?|pictures?|pics?|images?)\s+(?:of|showing)\b"
        ),
        _p(
            r"\b(?:attach(?:ed|ing)?|here(?:'s|’s|\s+is|\s+are)|see|sent|sending|included?|uploaded|added|find)\b[^.\n]{0,40}\b(?:screen\s?(?:shot|recording|capture|cast|grab)|photo|picture|pic|image)s?\b|\b(?:screen\s?(?:shot|recording|capture|grab)|photo|picture|pic|image)s?\b[^.\n]{0,40}?\b(?:is\s+|are\s+)?(?:attached|below|above|included)|\.(?:png|jpe?g|gif|heic|mp4|mov)\b"
        ),
    ),
    InfoKind(
        "error",
        "exact error message",
        _p(
            r"\berror\s*(?:message|text|code|number|details?)\b|\b(?:what|which|the)\s+error\b(?!\s+page)|\berror\s+(?:you|they)\s+(?:get|see|saw|got)\b|\bwhat\s+(?:does\s+)?(?:the\s+)?(?:message|error)\s+says?\b|\bexact\s+(?:message|wording)\b"
        ),
        _p(
            r"\berror\s*(?:message|code|text)?\s*(?:says|said|reads|read|is|was|shows|showed|:)\s*[\"'“]?\S|"
            r"\b\w*(?:Error|Exception|Failure)\b:|[\"']error[\"']\s*:\s*[\"'{]|\b(?:fail|fails|failed|failing|crash(?:es|ed)?|returns?|returned)\b[^\n]{0,40}\bwith\s*:|\bcode\s+[A-Z]{1,6}-?\d{2,}\b|\b[A-Z]{1,4}(?:-[A-Z]{2,6})?-\d{2,}\b|"
            r"\b(?:says|said|shows|showed|reads|getting|get|got)\s+(?:error\s+)?[A-Z][A-Z0-9_]{0,40}-?[A-Z0-9_-]{0,40}\d|"
            r"\b(?:says|said|shows|showed|reads|get|got|getting|see|seeing|pops?\s+up|popped\s+up|appears?|appeared|"
            r"shows?\s+up|showed\s+up|comes?\s+up|came\s+up|displays?|displayed|throws?|threw)\s+(?:with\s+)?"
            r"[\"'“][^\"'”\n]{3,}[\"'”]|"
            r"\b(?:says|said|shows|showed|reads|displays|gives\s+me|I\s+get)\s*:?[ \t]*\n[ \t]*>[ \t]*\S|"
            r"\b(?:error|decline|reason)\s+code\s*:?\s*\d{2,}\b|\b(?:E\d{3,}|0x[0-9A-Fa-f]{4,}|ERR_[A-Z_]+|HTTP\s*[45]\d\d|[45]\d\d\s+(?:error|internal|bad|not\s+found|forbidden|unauthori[sz]ed))\b"
        ),
    ),
    InfoKind(
        "version",
        "browser or app version",
        _p(
            r"\bbrowser\b|\bapp\s+version\b|\bversion\s+of\s+(?:the\s+)?(?:app|browser|extension|plugin|client)\b|\bwhich\s+version\b|\bwhat\s+version\b|\bversion\s+(?:number\s+)?(?:you(?:'re|\s+are)\s+(?:on|using|running))\b"
        ),
        _p(
            rf"\b{group('browsers')}\b(?:\s+(?:v(?:ersion)?\s*)?\d+)?|"
            r"\b(?:app|build|release|client|extension|plugin)\s+v?\d+(?:\.\d+)+|\bon\s+v?\d+\.\d+\.\d+\b|"
            r"\b[a-z][\w-]{0,40}\s+v?\d+\.\d+\.\d+\b|\b(?:app\s+)?version\s*:?\s*v?\d+(?:\.\d+)+|\bv\d+\.\d+(?:\.\d+)?\b"
        ),
    ),
    InfoKind(
        "device",
        "device and OS",
        _p(
            r"\bdevices?\b|\boperating\s+system\b|\bwhich\s+version\s+of\s+the\s+os\b|\bversion\s+of\s+(?:android|ios|ipados|windows|macos)\b|"
            r"\b(?:android|ios|ipados|windows|macos)\s+version\b|\bOS\b|\b(?:phone|tablet|laptop|computer)\s+model\b|\bwhich\s+(?:phone|tablet|laptop|computer)\b|\b(?:ios|android)\s+or\s+(?:ios|android)\b|\b(?:windows|mac)\s+or\s+(?:windows|mac)\b|\bwhat\s+(?:phone|computer|laptop)\b"
        ),
        _p(
            r"\b(?:windows\s*(?:10|11|7|xp)|mac\s*os|steam\s*deck"
            rf"|{group('operating_systems', 'os_releases', 'devices.models', 'devices.kinds')})\b"
        ),
    ),
    InfoKind(
        "steps",
        "steps to reproduce",
        _p(
            r"\bsteps\b|\bwalk\s+(?:me|us)\s+through\b|\bwhat\s+(?:exactly\s+)?you\s+(?:did|clicked|were\s+doing)\b|\bhow\s+(?:to|can\s+we|do\s+we|did\s+you)\s+(?:reproduce|repro|get\s+(?:that|this|the))\b"
        ),
        _p(r"(?!x)x"),
    ),  # given steps are found structurally, see _steps_given
    InfoKind(
        "logs",
        "logs or HAR file",
        _p(
            r"\bHAR\b|\blogs?\b|\blog\s+files?\b|\bconsole\s+(?:output|log|errors?)\b|\bnetwork\s+(?:log|trace|capture)\b|\bdiagnostics?\b"
        ),
        _p(
            r"\b(?:attach(?:ed|ing)?|here(?:'s|’s|\s+is|\s+are)|see|sent|sending|included?|uploaded|added|exported)\b[^.\n]{0,40}\b(?:HAR|logs?|log\s+files?|console\s+(?:output|log)|network\s+log|diagnostics)\b|\.(?:har|log|txt|zip)\b|\b(?:HAR|logs?|log\s+file|console\s+log)(?:\s+files?)?\s+(?:is\s+|are\s+)?(?:attached|below|above|included)|"
            r"\b(?:console|log|logs|terminal)\s+(?:shows|says|output|prints|printed)\b[^`]{0,80}```"
        ),
    ),
)


_ABBREVIATIONS = {
    "confirmation": ("conf", "confirmation"),
    "reservation": ("res", "resv", "reservation"),
    "reference": ("ref", "reference"),
    "order": ("ord", "order"),
    "booking": ("bkg", "booking"),
    "tracking": ("trk", "tracking"),
    "application": ("app", "application"),
}


@functools.cache
def reference_given(noun: str) -> re.Pattern[str]:
    """Where a customer gives a numbered reference of this kind: "Load 88120", "order #MC-77120",
    "conf. 88-4412-KX", "the transaction ID on my statement is ...", or ids listed under "these
    orders never shipped:"."""
    forms = _ABBREVIATIONS.get(noun, (noun,))
    words = "(?:" + "|".join(r"\s+".join(re.escape(w) for w in form.split()) for form in forms) + r")\.?"
    extra = f"|{_INVOICE_ID}" if noun == "invoice" else ""
    label = r"(?:number|no\.?|\#|id|code|reference|ref|conf(?:irmation)?\.?)"
    return re.compile(
        rf"\b{words}\s*{label}?\s*{_ID}|\b{words}\s+was\s+\#?[A-Z0-9-]{{0,40}}\d{extra}"
        rf"|\b{words}\s*{label}\b[^.\n]{{0,40}}?\b(?:is|was)\s+{_ID}"
        rf"|\b{words}s?\b[^:\n]{{0,60}}:[ \t]*\n(?:[ \t]*\n)?[ \t]*(?:[-*•]|\d{{1,2}}[.)])[ \t]*{_ID}",
        re.IGNORECASE,
    )
