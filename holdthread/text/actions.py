"""Is this word an action a person did? The test every step-reading rule shares.

An action starts a step ("Click Export", "I opened Settings", "Reinstalled"). The default test is
the lexicon's ``action_verbs`` (tokens only, no trained pipeline); the part-of-speech test asks
the trained tagger instead. Third-person forms count when a person is the sentence's subject
("The rider opens the map"), since elsewhere "tags" or "waits" is a noun or what a program does.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.tokens import Doc

from holdthread.text.lexicon import words

#: Decides whether the word at a character offset is an action verb.
IsAction = Callable[[str, int], bool]

ACTION_VERBS = frozenset(v.lower() for v in words("action_verbs"))
_AUXILIARIES = frozenset(words("auxiliaries"))
_VERB_TAGS = frozenset({"VB", "VBD", "VBN"})
#: Words ending in -ed that start a clause without being something a person did.
_NOT_ACTIONS_ED = frozenset(words("past_forms_not_actions"))
_SUBJECT_NOUNS = (
    r"i|we|they|he|she|you|(?:the\s+)?(?:customer|user|player|admin|agent|merchant|patient|driver|employee|"
    r"member|guest|client|caller|tester|rep|requester|cx|cust|rider|courier|teacher|student|parent|owner|manager|"
    r"staff|cashier|nurse|doctor|clinician|receptionist|buyer|seller|host|passenger|travell?er|shopper|subscriber|"
    r"viewer|learner|applicant|tenant|resident|visitor|operator|technician|dispatcher|donor|volunteer|coach|"
    r"candidate|reviewer|approver|person)s?"
)
#: Who does a step: "I", "the customer", "she" (with "then", "also", ... after it).
SUBJECT = rf"(?:(?:{_SUBJECT_NOUNS})\s+(?:then\s+|also\s+|first\s+|just\s+)?)"
#: A sentence whose subject is a person: "The rider opens ...", "She clicks ...".
_PERSON_SUBJECT = re.compile(rf"(?:(?:then|and|first|next|now)\s+)?(?=\S){SUBJECT}", re.IGNORECASE)


def lexicon_is_action(word: str, offset: int) -> bool:
    """The default: the word is in the action-verb list (tokens only, no trained pipeline).

    "re-import" counts as "import", and at the start of a clause a past-tense "-ed" word that
    is not an adjective or an auxiliary ("Reproduced", "Paired it", "Polled the API") counts
    too, so the list need not name every verb support work uses.
    """
    lowered = word.lower()
    if lowered.startswith("re-"):
        lowered = lowered[3:]
    if lowered in ACTION_VERBS:
        return True
    return lowered.endswith("ed") and len(lowered) > 4 and lowered not in _NOT_ACTIONS_ED


def third_person_is_action(word: str, offset: int) -> bool:
    """The lexicon, plus third-person forms ("opens", "scans")."""
    return lexicon_is_action(word, offset) or _third_person(word.lower()) in ACTION_VERBS


def actor_test(text: str, is_action: IsAction) -> IsAction:
    """The lexicon test to use on ``text``: with third-person forms when a person is its subject."""
    if is_action is lexicon_is_action and _PERSON_SUBJECT.match(text):
        return third_person_is_action
    return is_action


def _third_person(word: str) -> str:
    """The base form of a third-person verb ("scans" -> "scan", "pushes" -> "push")."""
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def pos_is_action(doc: Doc) -> IsAction:
    """Part-of-speech variant: any base-form or past verb (needs the trained tagger)."""
    tags = {token.idx: token.tag_ for token in doc}

    def is_action(word: str, offset: int) -> bool:
        return tags.get(offset) in _VERB_TAGS and word.lower() not in _AUXILIARIES

    return is_action
