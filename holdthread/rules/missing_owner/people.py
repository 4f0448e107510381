"""Is a name found where an owner stands a person (or a handle), rather than a team, a role or the customer?

"Engineering", "EMEA", "Integrations" or "Billing Operations" are teams or areas; "the account owner
Ana", "Tenant Lena Fischer" and anyone named like the requester are on the customer's side; @here
and distribution lists such as ``@field-ops-all`` reach everyone, so no one.
"""

from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS

from holdthread.linter.rule import RuleContext
from holdthread.text.wordlists import load_words

_WORDS = load_words(__package__ or "")
NOT_OWNERS = frozenset(w.lower() for w in _WORDS["not_owners"])
_BROADCAST = frozenset(w.lower() for w in _WORDS["broadcast_mentions"])
_NAMES_IN_S = frozenset(w.lower() for w in _WORDS["names_ending_in_s"])
_CUSTOMER_ROLES = frozenset(_WORDS["customer_roles"])
#: Words that, after "X on-call", say X is no one in particular.
NOT_ONCALL_OWNERS = frozenset(_WORDS["not_oncall_owners"])
_TEAM_SUFFIXES = ("ing", "ion", "ions", "ity", "ics", "ment", "ments", "ance", "ence", "ware", "ops", "ness")


def is_person(who: str, context: RuleContext, *, after_the: bool = False, referred_to: bool = False) -> bool:
    """Whether a name found where an owner stands is a person or handle, not a team alone.

    ``after_the``: the name came after "the", "our" or "their" ("to the Accounts team");
    ``referred_to``: the note goes on to call it "he" or "she", so it is a person whatever it
    looks like.
    """
    cleaned = who.strip().rstrip(".,;:")
    lowered = cleaned.lower()
    if lowered.startswith("@"):
        handle = lowered[1:]
        # @here, @channel, and distribution lists such as @field-ops-all reach everyone, so no one
        return handle not in _BROADCAST and not handle.endswith(("-all", "_all", "-everyone"))
    if after_the:
        return False  # "to the Accounts team", "to our billing queue"
    words = lowered.split()
    if not words or lowered in NOT_OWNERS or words[0] in STOP_WORDS or words[-1] in NOT_OWNERS:
        return False
    if len(words) == 1 and (words[0] in NOT_OWNERS or (cleaned.isupper() and len(cleaned) > 1)):
        return False  # "Engineering", "EMEA", "QA": a department or region alone
    if "." in lowered and " " not in lowered:
        return True  # a dotted login such as lee.park
    last = words[-1]
    plural_word = last.endswith("s") and len(words) == 1 and last not in _NAMES_IN_S and last.isascii()
    tail = last.rsplit("-", 1)[-1]  # "Mei-Ling": the suffix test reads "ling", too short for "Billing"
    team_word = tail.endswith(_TEAM_SUFFIXES) and not (tail.endswith("ing") and len(tail) <= 5)
    if team_word or (plural_word and not referred_to):
        # Integrations, Identity, Billing Operations: a team or area, not a person. A name in
        # another script ("Tomás") or one the note calls "he" / "she" is a person.
        return False
    if words[0] in _CUSTOMER_ROLES:
        return False  # "Tenant Lena Fischer will send the photos": the customer's side
    customers = {p.lower() for p in _customer_names(context)}
    return not (lowered in customers or words[0] in customers or any(c in lowered for c in customers if " " in c))


def _customer_names(context: RuleContext) -> set[str]:
    names = set()
    for person in [context.ticket.requester, *(c.author for c in context.thread if c.author.role == "customer")]:
        if person is not None and person.name:
            names.add(person.name)
            names.add(person.name.split()[0])
    return names
