"""repeated-ask: a reply asks the customer for something they already gave in the thread."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from pydantic import Field, field_validator

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.models import Comment, Evidence
from holdthread.linter.policy import Settings
from holdthread.linter.rule import Finding, Options, Rule, RuleContext, Targets, known_choices
from holdthread.rules._shared import (
    SpanIndex,
    list_actions,
    ordered_actions,
    prose_actions,
    quoted_spans,
    regex_sentences,
    sentence_spans,
)

_INLINE_STEPS = re.compile(r"(?:^|\s)\d{1,2}[.)]\s+\w")


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
    r"[#:]?\s*(?:is\s+|was\s+|=\s*)?\#?(?:[A-Z]{1,4}\s)?[A-Z0-9][A-Z0-9_.-]{0,40}\d[A-Z0-9_-]{0,40}(?:\s\d[\d-]{2,20}){0,3}"
)
#: An invoice number by its prefix: "INV-2231", "INV_2231", "INV-CW-2291".
_INVOICE_ID = r"\bINV[-_]?(?:[A-Z]{1,6}[-_])?\d+"
#: Things customers quote by number: asking for "your load number" repeats "Load 88120".
REFERENCE_NOUNS = (
    "order", "confirmation", "booking", "reservation", "tracking", "reference", "shipment", "load", "pro",
    "case", "claim", "policy", "member", "membership", "player", "subscription", "contract", "return", "rma",
    "parcel", "package", "delivery", "purchase", "quote", "estimate", "job", "work order", "appointment",
    "serial", "license", "licence", "device", "loan", "application", "employee", "patient", "guest", "itinerary",
    "pnr", "voucher", "gift card", "coupon", "promo", "ticket",
)
_NOUN = "|".join(sorted((re.escape(n).replace(r"\ ", r"\s+") for n in REFERENCE_NOUNS), key=len, reverse=True))
_LABEL = r"(?:numbers?|no\.?|ids?|codes?|references?|refs?)\b|\#"
#: Nouns before "id" / "number" that another kind covers, or that name no reference at all.
_OTHER_KINDS = (
    "error|phone|mobile|cell|account|workspace|org|organization|organisation|tenant|company|customer|store|site|"
    "invoice|transaction|payment|receipt|txn|email|e-mail|zip|postal|post|security|verification|tax|vat|version|"
    "build|the|your|my|this|that|same|which|what|a|an|any|right|correct|exact|full|whole|new|other|another|"
    "tracking-page|page|line|step|steps|phone-number"
)
INFO_KINDS: tuple[InfoKind, ...] = (
    InfoKind("reference", "reference number",
             _p(rf"\b(?P<noun>{_NOUN})\s*(?:{_LABEL})|\border\s+details\b|\bwhich\s+(?P<noun2>order|booking|load|shipment)\b"
                rf"|\b(?!(?:{_OTHER_KINDS})\b)(?P<noun3>[a-z][a-z-]{{2,30}})\s+(?:id|number|no\.?|code)\b"),
             _p(r"(?!x)x")),  # given references are matched per noun, see _reference_given
    InfoKind("invoice", "invoice number",
             _p(r"\binvoice\s*(?:numbers?|no\.?|\#|ids?)\b|\bwhich\s+invoices?\b|\bthe\s+invoices?\b"),
             _p(rf"{_INVOICE_ID}|\binvoice\s*(?:number|no\.?|\#|id)?\s*{_ID}")),
    InfoKind("transaction", "transaction id",
             _p(r"\btransaction\s*(?:ids?|numbers?|references?|refs?)\b|\bpayment\s+(?:ids?|references?|refs?)\b|\breceipt\s+numbers?\b"),
             _p(rf"\b(?:transaction|txn|payment|receipt)\s*(?:id|number|no\.?|reference|ref)?\s*{_ID}|\b(?:txn|ch|pi|py)_[A-Za-z0-9]{{6,}}"
                rf"|\b(?:transaction|txn|payment|receipt)\s*(?:id|number|no\.?|reference|ref)\b[^.\n]{{0,40}}?\b(?:is|was)\s+{_ID}")),
    InfoKind("email", "account email",
             _p(r"\b(?:e-?mail(?:\s+address)?)\b"),
             _p(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}")),
    InfoKind("phone", "phone number",
             _p(r"\b(?:phone|mobile|cell)(?:\s+number)?\b|\bnumber\s+we\s+can\s+call\b"),
             _p(r"(?<![\w-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}[\s.-]\d{3,4}[\s.-]?\d{0,4}(?![\w-])")),
    InfoKind("account", "account or workspace id",
             _p(r"\b(?:account|workspace|org(?:anization|anisation)?|tenant|company|customer|store|site)\s*(?:id|number|no\.?|name|url|subdomain|domain)\b|\bwhich\s+(?:workspace|account)\b"),
             _p(rf"\b(?:account|acct\.?|a/c|workspace|org(?:anization|anisation)?|tenant|customer|store|site|company|client|merchant|partner)\s*(?:id|number|no\.?|name|url|subdomain)?\s*{_ID}|\b(?:acct|ws|org|tenant)_[A-Za-z0-9]{{4,}}|\b[a-z0-9-]{1,63}\.(?:myshopify|zendesk|freshdesk|slack)\.com\b|\bworkspace\s+(?:is\s+|called\s+|named\s+)?[\"'“]?[a-z0-9-]{{3,63}}")),
    InfoKind("screenshot", "screenshot or photo",
             _p(r"\bscreen\s?shots?\b|\bscreen\s?(?:recording|capture|cast)s?\b|\bscreen\s?grabs?\b|\bpictures?\s+of\s+(?:the|your)\s+screen\b"
                r"|\b(?:photos?|pictures?|pics?|images?)\s+(?:of|showing)\b"),
             _p(r"\b(?:attach(?:ed|ing)?|here(?:'s|’s|\s+is|\s+are)|see|sent|sending|included?|uploaded|added|find)\b[^.\n]{0,40}\b(?:screen\s?(?:shot|recording|capture|cast|grab)|photo|picture|pic|image)s?\b|\b(?:screen\s?(?:shot|recording|capture|grab)|photo|picture|pic|image)s?\b[^.\n]{0,40}?\b(?:is\s+|are\s+)?(?:attached|below|above|included)|\.(?:png|jpe?g|gif|heic|mp4|mov)\b")),
    InfoKind("error", "exact error message",
             _p(r"\berror\s*(?:message|text|code|number|details?)\b|\b(?:what|which|the)\s+error\b(?!\s+page)|\berror\s+(?:you|they)\s+(?:get|see|saw|got)\b|\bwhat\s+(?:does\s+)?(?:the\s+)?(?:message|error)\s+says?\b|\bexact\s+(?:message|wording)\b"),
             _p(r"\berror\s*(?:message|code|text)?\s*(?:says|said|reads|read|is|was|shows|showed|:)\s*[\"'“]?\S|"
                r"\b\w*(?:Error|Exception|Failure)\b:|[\"']error[\"']\s*:\s*[\"'{]|\b(?:fail|fails|failed|failing|crash(?:es|ed)?|returns?|returned)\b[^\n]{0,40}\bwith\s*:|\bcode\s+[A-Z]{1,6}-?\d{2,}\b|\b[A-Z]{1,4}(?:-[A-Z]{2,6})?-\d{2,}\b|"
                r"\b(?:says|said|shows|showed|reads|getting|get|got)\s+(?:error\s+)?[A-Z][A-Z0-9_]{0,40}-?[A-Z0-9_-]{0,40}\d|"
                r"\b(?:says|said|shows|showed|reads|get|got|getting|see|seeing|pops?\s+up|popped\s+up|appears?|appeared|"
                r"shows?\s+up|showed\s+up|comes?\s+up|came\s+up|displays?|displayed|throws?|threw)\s+(?:with\s+)?"
                r"[\"'“][^\"'”\n]{3,}[\"'”]|"
                r"\b(?:says|said|shows|showed|reads|displays|gives\s+me|I\s+get)\s*:?[ \t]*\n[ \t]*>[ \t]*\S|"
                r"\b(?:error|decline|reason)\s+code\s*:?\s*\d{2,}\b|\b(?:E\d{3,}|0x[0-9A-Fa-f]{4,}|ERR_[A-Z_]+|HTTP\s*[45]\d\d|[45]\d\d\s+(?:error|internal|bad|not\s+found|forbidden|unauthori[sz]ed))\b")),
    InfoKind("version", "browser or app version",
             _p(r"\bbrowser\b|\bapp\s+version\b|\bversion\s+of\s+(?:the\s+)?(?:app|browser|extension|plugin|client)\b|\bwhich\s+version\b|\bwhat\s+version\b|\bversion\s+(?:number\s+)?(?:you(?:'re|\s+are)\s+(?:on|using|running))\b"),
             _p(r"\b(?:chrome|chromium|firefox|safari|edge|brave|opera|vivaldi)\b(?:\s+(?:v(?:ersion)?\s*)?\d+)?|"
                r"\b(?:app|build|release|client|extension|plugin)\s+v?\d+(?:\.\d+)+|\bon\s+v?\d+\.\d+\.\d+\b|"
                r"\b[a-z][\w-]{0,40}\s+v?\d+\.\d+\.\d+\b|\b(?:app\s+)?version\s*:?\s*v?\d+(?:\.\d+)+|\bv\d+\.\d+(?:\.\d+)?\b")),
    InfoKind("device", "device and OS",
             _p(r"\bdevices?\b|\boperating\s+system\b|\bwhich\s+version\s+of\s+the\s+os\b|\bversion\s+of\s+(?:android|ios|ipados|windows|macos)\b|"
                r"\b(?:android|ios|ipados|windows|macos)\s+version\b|\bOS\b|\b(?:phone|tablet|laptop|computer)\s+model\b|\bwhich\s+(?:phone|tablet|laptop|computer)\b|\b(?:ios|android)\s+or\s+(?:ios|android)\b|\b(?:windows|mac)\s+or\s+(?:windows|mac)\b|\bwhat\s+(?:phone|computer|laptop)\b"),
             _p(r"\b(?:iphone|ipad|pixel|galaxy|oneplus|android|ios|ipados|windows\s*(?:10|11|7|xp)?|macos|mac\s*os|macbook|imac|linux|ubuntu|chromebook|chromeos|sonoma|ventura|sequoia|steam\s*deck|steamos|playstation|ps[45]|xbox|nintendo\s+switch|kindle|fire\s+tv|roku|apple\s+tv|smart\s+tv|surface|thinkpad|laptop|desktop|tablet)\b")),
    InfoKind("steps", "steps to reproduce",
             _p(r"\bsteps\b|\bwalk\s+(?:me|us)\s+through\b|\bwhat\s+(?:exactly\s+)?you\s+(?:did|clicked|were\s+doing)\b|\bhow\s+(?:to|can\s+we|do\s+we|did\s+you)\s+(?:reproduce|repro|get\s+(?:that|this|the))\b"),
             _p(r"(?!x)x")),  # given steps are found structurally, see _steps_given
    InfoKind("logs", "logs or HAR file",
             _p(r"\bHAR\b|\blogs?\b|\blog\s+files?\b|\bconsole\s+(?:output|log|errors?)\b|\bnetwork\s+(?:log|trace|capture)\b|\bdiagnostics?\b"),
             _p(r"\b(?:attach(?:ed|ing)?|here(?:'s|’s|\s+is|\s+are)|see|sent|sending|included?|uploaded|added|exported)\b[^.\n]{0,40}\b(?:HAR|logs?|log\s+files?|console\s+(?:output|log)|network\s+log|diagnostics)\b|\.(?:har|log|txt|zip)\b|\b(?:HAR|logs?|log\s+file|console\s+log)(?:\s+files?)?\s+(?:is\s+|are\s+)?(?:attached|below|above|included)|"
                r"\b(?:console|log|logs|terminal)\s+(?:shows|says|output|prints|printed)\b[^`]{0,80}```")),
)

_REQUEST_CUE = re.compile(
    r"\b(?:could|can|would|will)\s+you\b|\bplease\b|\bpls\b|\bkindly\b|\bsend\s+(?:me|us|over)\b|\bshare\b|\bprovide\b|"
    r"\blet\s+(?:me|us)\s+know\b|\b(?:i|we)(?:'d|\s+would)?\s+(?:need|require)\b|\bneed\s+(?:your|the)\b|\breply\s+with\b|"
    r"\bwhat(?:'s|\s+is|\s+was|\s+are)\s+(?:your|the)\b|\bwhich\b|\bdo\s+you\s+have\b|\bmay\s+(?:i|we)\s+(?:have|get|ask)\b|"
    r"\bconfirm\b|\bcan\s+(?:i|we)\s+(?:get|have)\b|\bwould\s+you\s+mind\b|\bmind\s+sending\b|\btell\s+(?:me|us)\b|\bin\s+order\s+to\s+(?:help|investigate)\b",
    re.IGNORECASE,
)
#: "so I can find its order number": a purpose, not the thing asked for.
_PURPOSE = re.compile(
    r"\bso\s+(?:that\s+)?(?:i|we)\s+can\b|\bin\s+order\s+to\b|\bto\s+(?:find|look\s+up|locate|pull\s+up|match)\b",
    re.IGNORECASE,
)
_ID_TOKEN = re.compile(r"\b[A-Z0-9][\w-]{0,40}\d[\w-]{0,40}\b", re.IGNORECASE)
_EMAIL_VALUE = re.compile(r"@\S+\.\w+")
#: "also / another / a second / a different ...": asking for one more, not for the same again.
_ANOTHER = re.compile(r"\b(?:also|another|second|different|other|additional|new|updated|fresh|more)\b", re.IGNORECASE)
_VALUE_AFTER = re.compile(r"^\s*(?:number\s+|no\.?\s+|id\s+)?[#:]?\s*[A-Z0-9]{0,40}\d[\w-]{0,40}", re.IGNORECASE)
_THANKS = re.compile(r"\b(?:thanks|thank\s+you|got|received|have|noted|saw)\b[^.?!\n]{0,40}$", re.IGNORECASE)


class RepeatedAskOptions(Options):
    kinds: list[str] = Field(
        default=[k.name for k in INFO_KINDS],
        description="Which kinds of information to watch: " + ", ".join(k.name for k in INFO_KINDS) + ".",
    )

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, value: list[str]) -> list[str]:
        return known_choices(value, [k.name for k in INFO_KINDS], "kinds")


class RepeatedAsk(Rule[RepeatedAskOptions]):
    id = "repeated-ask"
    summary = "A reply asks the customer for information they already gave earlier in the thread."
    default_severity = "warning"
    needs = frozenset({"tokens", "sentences"})
    targets = Targets(kinds=["reply"], visibility="public")
    Options = RepeatedAskOptions
    doc = """
        ## What it does
        Reads an agent's public reply and, for each sentence that asks the customer for
        something (an order, invoice or transaction number, the account email, a phone number,
        an account or workspace id, a screenshot or photo, the exact error message, the browser or app
        version, the device or OS, steps, logs or a HAR file), checks whether the customer
        already gave it earlier in the thread, before or after a handoff: in their own messages,
        as an attachment (an image is a screenshot, a `.har` or `.log` file is logs), or in a
        bot's or web form's intake record of their answers. The annotation's evidence points at
        the comment and span where the customer gave it (an attachment has no span: the
        evidence names the file).

        Asking for something new does not fire, and neither does quoting the given value back
        while asking for something else ("Thanks for order #A-7781; could you send a
        screenshot?") or for another one of the same kind. A file the customer only tried,
        failed or promised to send ("the upload failed", "I'll send it tomorrow") was not given,
        and a browser named without a number ("I'm on Chrome") does not answer "which version?".

        ## Why it matters
        Being asked again for what they already sent is the most common reason customers say
        they had to "explain everything again". It happens most right after a handoff, when the
        new owner did not read the thread.

        ## Example
        Customer, earlier: "My order 55-1209 never arrived."
        ```text
        Hi Dana, could you send me your order number so I can look into it?
        ```

        ## Use instead
        ```text
        Hi Dana, I found order 55-1209: the carrier shows it stuck in Leeds since Nov 18.
        ```

        ## How to fix
        Read the thread (the evidence shows where the customer gave it) and use what they sent.
    """

    def __init__(self, options: RepeatedAskOptions, settings: Settings) -> None:
        super().__init__(options, settings)
        self.kinds = [k for k in INFO_KINDS if k.name in options.kinds]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        customer_comments = [c for c in context.thread if _customer_gave(c, context)]
        if not customer_comments:
            return
        text = context.text
        quotes = SpanIndex(quoted_spans(text))
        reported: set[str] = set()
        listing = False  # inside the list under "To help us, please send:"
        for start, end in sentence_spans(context):
            sentence = text[start:end]
            listing = listing and _LIST_ITEM_LINE.match(sentence) is not None
            asking = listing or _is_ask(sentence)
            if asking and sentence.rstrip().endswith(":"):
                listing = True
            if not asking:
                continue
            for kind, span, noun in self._asked_kinds(sentence):
                absolute = (start + span[0], start + span[1])
                key = f"{kind.name}:{noun}"
                if key in reported or quotes.covers(*absolute):
                    continue
                evidence = self._given(kind, noun, customer_comments, context, sentence)
                if evidence is None or _quoted_back(evidence, kind, text):
                    continue
                reported.add(key)
                label = f"{noun} number" if kind.name == "reference" else kind.label
                yield Finding(
                    absolute[0], absolute[1],
                    f"Asks again for the {label}: the customer already gave it in comment {evidence.comment_id}.",
                    f"Use what the customer sent (\"{_short(evidence.text)}\") instead of asking again.",
                    [evidence],
                )

    def _asked_kinds(self, sentence: str) -> Iterator[tuple[InfoKind, tuple[int, int], str]]:
        cue = _REQUEST_CUE.search(sentence)
        cue_start = cue.start() if cue else 0
        purpose = _PURPOSE.search(sentence, cue_start)
        limit = purpose.start() if purpose else len(sentence)
        for kind in self.kinds:
            for match in kind.asked.finditer(sentence, 0, limit):
                after = sentence[match.end():]
                if _VALUE_AFTER.match(after) and kind.name in {"reference", "invoice", "transaction", "account"}:
                    continue  # "order #A-7781" quotes the value back; it does not ask for it
                before = sentence[:match.start()]
                if match.start() < cue_start and _THANKS.search(before + " "):
                    continue  # "Thanks for the screenshot, could you ..." acknowledges it
                nearby = sentence[max(0, match.start() - 60):match.end() + 60]
                if kind.name == "email" and _EMAIL_VALUE.search(nearby):
                    continue  # "is dana@acme.example still the right address?" quotes it back
                if _ANOTHER.search(sentence, max(cue_start, match.start() - 40), match.start()):
                    continue  # "could you also send a screenshot of ...": a new one, not the same again
                groups = match.groupdict()
                noun = (groups.get("noun") or groups.get("noun2") or groups.get("noun3") or "order").lower()
                yield kind, match.span(), " ".join(noun.split())
                break

    def _given(
        self, kind: InfoKind, noun: str, comments: list[Comment], context: RuleContext, asked: str
    ) -> Evidence | None:
        precise = _Precision.of(asked)  # what the ask insists on, read once for every comment
        for comment in comments:
            body = context.thread_text(comment)
            attached = _attached(kind, comment, har=precise.har)
            if attached is not None:
                return attached
            answer = self._answer_to_question(kind, comment, context)
            if answer is not None:
                return answer
            if kind.name == "reference":
                found = _reference_given(noun).search(body)
                if found is not None:
                    return Evidence(comment_id=comment.id, start=found.start(), end=found.end(), text=found.group(0))
                continue
            if kind.name == "steps":
                span = _steps_given(body)
                if span is not None:
                    return Evidence(comment_id=comment.id, start=span[0], end=span[1], text=body[span[0]:span[1]])
                continue
            spoken = _SPOKEN.get(kind.name)
            said_aloud = spoken.search(body) if spoken is not None else None
            if said_aloud is not None:
                return Evidence(comment_id=comment.id, start=said_aloud.start(), end=said_aloud.end(),
                                text=said_aloud.group(0))
            for match in kind.given.finditer(body):
                if not _really_given(kind, body, match, precise):
                    continue
                end = _value_end(body, match.end()) if kind.name == "error" else match.end()
                return Evidence(comment_id=comment.id, start=match.start(), end=end, text=body[match.start():end])
        return None


    def _answer_to_question(self, kind: InfoKind, comment: Comment, context: RuleContext) -> Evidence | None:
        """A short customer reply right after a bot or agent asked for ``kind`` ("55-3310")."""
        thread = list(context.thread)
        index = next((i for i, c in enumerate(thread) if c is comment), 0)
        if index == 0 or thread[index - 1].author.role == "customer":
            return None
        question = context.thread_text(thread[index - 1])
        if not any(k is kind for k, _, _ in self._asked_kinds(question)) or not _is_ask(question):
            return None
        body = context.thread_text(comment)
        token = _ID_TOKEN.search(body) if len(body) < 200 else None
        if token is None:
            return None
        return Evidence(comment_id=comment.id, start=token.start(), end=token.end(), text=token.group(0))


#: Short forms customers write for a reference's noun ("Reservation conf. 88-4412-KX").
_ABBREVIATIONS = {
    "confirmation": ("conf", "confirmation"), "reservation": ("res", "resv", "reservation"),
    "reference": ("ref", "reference"), "order": ("ord", "order"), "booking": ("bkg", "booking"),
    "tracking": ("trk", "tracking"), "application": ("app", "application"),
}


@functools.cache
def _reference_given(noun: str) -> re.Pattern[str]:
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


_CLOSING = {"'": "'", '"': '"', "“": "”", "‘": "’", "`": "`", "(": ")"}


def _value_end(body: str, end: int) -> int:
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


def _customer_gave(comment: Comment, context: RuleContext) -> bool:
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


def _attached(kind: InfoKind, comment: Comment, *, har: bool = False) -> Evidence | None:
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
    before = body[max(0, match.start() - 40):match.start()]
    return bool(_NOT_SENT_BEFORE.search(before) or _NOT_SENT_AFTER.search(body[match.end():match.end() + 80]))


_VERSION_WORD = re.compile(r"\bversion\b", re.IGNORECASE)
#: Values read out by voice-to-text: "carlos dot mendes at mail dot example", "five five five zero
#: one two three", "version six point four point two". They are given, only spelled in words.
_DIGIT_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
_SPOKEN = {
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
_BRAND = re.compile(
    r"\b(?:iphone|ipad|pixel|galaxy|oneplus|xiaomi|huawei|motorola|surface|thinkpad|macbook|imac|chromebook|kindle|"
    r"lenovo|dell|hp|asus|acer|samsung|sony|lg|nokia)\b",
    re.IGNORECASE,
)


class _Precision(NamedTuple):
    """What an asking sentence insists on: a HAR file (not any log), a model, a version number."""

    har: bool
    model: bool
    version: bool

    @classmethod
    def of(cls, asked: str) -> _Precision:
        return cls(bool(_HAR.search(asked)), bool(_MODEL_WORD.search(asked)), bool(_VERSION_WORD.search(asked)))


def _really_given(kind: InfoKind, body: str, match: re.Match[str], precise: _Precision) -> bool:
    """Whether a match of ``kind.given`` gave what was asked: not a file the customer only tried,
    failed or promised to send, and a version number when the ask says "version" ("I'm on
    Chrome" names the browser, not its version)."""
    if kind.name in _SENT_AS_FILES and _not_sent(body, match):
        return False
    given = body[match.start():match.end() + 12]  # with what follows: "SteamOS 3.6", "Android 14"
    if kind.name == "logs" and precise.har and not _HAR.search(given):
        return False  # a console log is not the HAR file asked for
    if kind.name == "device" and precise.model and not (re.search(r"\d", given) or _BRAND.search(given)):
        return False  # "the tablet" does not answer "which tablet model?"
    return not (kind.name == "version" and precise.version and not re.search(r"\d", given))
_VALUE = re.compile(
    r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}|[A-Z0-9][\w.-]{0,40}\d[\w-]{0,40}", re.IGNORECASE
)
_VALUE_KINDS = frozenset({"reference", "invoice", "transaction", "email", "phone", "account"})


def _quoted_back(evidence: Evidence, kind: InfoKind, draft: str) -> bool:
    """The reply already quotes the value the customer gave ("I can see the invite sent to
    tess@...; which email would you like to sign in with?"): it asks for another one."""
    if kind.name not in _VALUE_KINDS:
        return False
    values = [v for v in _VALUE.findall(evidence.text) if len(v) >= 4]
    return any(value.lower() in draft.lower() for value in values)


#: One item of a list ("1. Your practice ID", "- a screenshot of the error").
_LIST_ITEM_LINE = re.compile(r"[ \t]*(?:[-*•]|\d{1,2}[.)])[ \t]+\S")


def _is_ask(sentence: str) -> bool:
    return "?" in sentence or _REQUEST_CUE.search(sentence) is not None


_BULLET = re.compile(r"^[ \t]*(?:[-*•]|\d{1,2}[.)])[ \t]+\S[^\n]*", re.MULTILINE)


def _steps_given(body: str) -> tuple[int, int] | None:
    """Where a customer gave steps: ordered actions, or a list of three or more events."""
    listed = list_actions(body)
    bullets = list(_BULLET.finditer(body))
    if len(listed) >= 2 or (len(bullets) >= 3 and listed):
        spans = [m.span() for m in bullets] or listed
        return spans[0][0], spans[-1][1]
    sentences = regex_sentences(body)
    if ordered_actions(body, sentences, enough=2) >= 2:
        for start, end in sentences:
            if prose_actions(body[start:end], start) >= 1 or _INLINE_STEPS.search(body, start, end):
                return start, end
    return None


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@hookimpl
def holdthread_rules() -> list[type[Rule]]:
    return [RepeatedAsk]
