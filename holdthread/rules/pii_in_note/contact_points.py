"""The organisation's own contact points: addresses and numbers that are published to be used.

A reply that says "call our billing line on 0800 ..." or "forward it to reportphish@bank" gives
the customer a way to reach a company, which is the point of the reply; it discloses no one's
personal data. Three things make an address or a number a contact point:

- **a role mailbox**: the part before the "@" is made only of words that name a function
  (``support``, ``noreply``, ``reportphish``, ``customer.care``), never a person's name;
- **a service number**: toll-free, shared-cost, universal-access or premium-rate, as the national
  numbering plan of the number's country says (read with ``phonenumbers``, Google's
  libphonenumber); a number without a country code is read in the first of the policy's
  ``phone_regions`` where it is a valid number;
- **the policy's list** (``allow_domains``, ``allow_values``), or a number the writer offers as
  the organisation's own: "call us on ...", "our support team at ..." (with no "you", "your",
  "customer" and the like between the words and the number, since "our team called you on ..."
  gives the customer's number).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

import phonenumbers
from phonenumbers import PhoneNumberType

from holdthread.rules.pii_in_note.phones import digits_key
from holdthread.text.wordlists import load_words

_WORDS = load_words(__package__ or "")
ROLE_WORDS = frozenset(_WORDS["role_words"])
_LONGEST_ROLE_WORD = max(len(word) for word in ROLE_WORDS)
_PERSON_WORDS = frozenset(_WORDS["person_words"])
_ORG_NOUNS = "|".join(sorted(map(re.escape, _WORDS["org_contact_nouns"]), key=lambda w: (-len(w), w)))
#: "call us", "reach out to us", "give us a call", "our <up to four words> team/line/desk".
_OURS = re.compile(
    r"\b(?:call|contact|reach|ring|phone|text|dial|message|write\s+to|reach\s+out\s+to|get\s+in\s+touch\s+with|give)"
    rf"\s+us\b|\bour\s+(?:[\w&'’-]+\s+){{0,4}}?(?:{_ORG_NOUNS})\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w'’]+")
#: Numbers that a company publishes for anyone to call: not one person's line.
SERVICE_TYPES = frozenset(
    {
        PhoneNumberType.TOLL_FREE,
        PhoneNumberType.SHARED_COST,
        PhoneNumberType.UAN,
        PhoneNumberType.PREMIUM_RATE,
    }
)


def is_role_mailbox(local: str) -> bool:
    """Whether an address's local part is made only of function words ("reportphish", "no-reply")."""
    letters = re.sub(r"[\d._+-]+", " ", local.lower().split("+", 1)[0]).split()
    return bool(letters) and all(_made_of_role_words(part) for part in letters)


@cache
def _made_of_role_words(word: str) -> bool:
    """Whether ``word`` splits into role words ("reportphish" = "report" + "phish")."""
    ends = [True] + [False] * len(word)
    for end in range(1, len(word) + 1):
        ends[end] = any(
            ends[start] and word[start:end] in ROLE_WORDS for start in range(max(0, end - _LONGEST_ROLE_WORD), end)
        )
    return ends[-1]


def is_service_number(value: str, regions: Iterable[str]) -> bool:
    """Whether a number is a service line (toll-free, shared-cost, universal access, premium).

    A number with a country code is read in its country; one without is read in the first of
    ``regions`` where it is a valid number (so "0151 496 0000" is a Liverpool line, read in
    Britain before any other country's plan can read it as a service number).
    """
    for region in [None] if value.lstrip().startswith("+") else regions:
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.number_type(number) in SERVICE_TYPES
    return False


def offered_as_ours(text: str, start: int) -> bool:
    """Whether the words before a number, in its sentence, offer it as the organisation's own."""
    window = re.split(r"[.!?\n]\s", text[max(0, start - 80) : start])[-1]
    cue = next(reversed(list(_OURS.finditer(window))), None)  # the last cue is the nearest
    if cue is None:
        return False
    after = {word.lower() for word in _WORD.findall(window[cue.end() :])}
    inside = {word.lower() for word in _WORD.findall(cue.group(0))}
    # Inside "our customer care team" the words that also name a service do not count.
    possessive = any(word.endswith(("'s", "’s")) for word in inside)
    return not (after & _PERSON_WORDS or inside & (_PERSON_WORDS - ROLE_WORDS) or possessive)


class ContactPoints:
    """The organisation's own addresses and numbers, from the policy and the rule's principles."""

    def __init__(
        self, domains: Iterable[str], values: Iterable[str], role_addresses: bool, regions: Iterable[str]
    ) -> None:
        self.domains = {d.lower().lstrip("@") for d in domains}
        values = list(values)
        self.values = {v.strip().lower() for v in values}
        self.numbers = {digits_key(v) for v in values if sum(c.isdigit() for c in v) >= 7}
        self.role_addresses = role_addresses
        self.regions = list(regions)

    def is_address(self, address: str) -> bool:
        """Whether an email address is one of the organisation's (listed, on its domain, or a role)."""
        local, domain = address.lower().rsplit("@", 1)
        if address.lower() in self.values or any(domain == d or domain.endswith("." + d) for d in self.domains):
            return True
        return self.role_addresses and is_role_mailbox(local)

    def is_number(self, text: str, start: int, value: str) -> bool:
        """Whether the number ``value`` at ``start`` is the organisation's line."""
        if value.lower() in self.values or digits_key(value) in self.numbers:
            return True
        return offered_as_ours(text, start) or is_service_number(value, self.regions)
