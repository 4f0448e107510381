"""Already tried: "have you tried X?" after the customer said they did X.

The ask names an action ("have you tried clearing the cache?", "did you edit the sources file",
"try reinstalling and let us know"); the customer's comment says they tried or did something
(holdthread/text/attempts.py: "I already cleared the cache", "reinstalled, no luck"). It is the
same action when the customer's sentence shares the asked action's verb (a known fix counts
however it is said: "rebooted" is "restart") and the two name no different things (restarting
"the router" is not restarting "my phone").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from holdthread.linter.models import Comment, Evidence
from holdthread.text import ParsedNote
from holdthread.text.content import content_words, stem, with_fixes_named_one_way
from holdthread.text.lexicon import lexicon, words

#: Words of an ask or an attempt that say nothing about which action it is.
_NOT_THE_ACTION = frozenset(
    {"try", "tried", "trying", "already", "still", "also", "again", "just", "yet", "ever", "able", "sure", "definitely"}
)


def _verbs() -> frozenset[str]:
    fixes = {str(fix[0]).lower().replace(" ", "-") for fix in lexicon()["fixes"]}
    return frozenset(stem(v.lower()) for v in words("action_verbs")) | frozenset(fixes)


_VERBS = _verbs()


#: The person a chat line is addressed to ("kisuke: it won't drag"): not what was acted on.
_ADDRESSED = re.compile(r"^\s*[\w^|-]{1,30}[:,]\s")


def _action(text: str) -> tuple[set[str], set[str]]:
    """The verbs and the other content words (what was acted on) of a stretch of text."""
    found = content_words(with_fixes_named_one_way(_ADDRESSED.sub("", text)), _NOT_THE_ACTION)
    verbs = {w for w in found if w in _VERBS}
    return verbs, found - verbs


def same_action(asked: str, attempt: str) -> bool:
    """Whether an attempt the customer reported is the action an ask names."""
    asked_verbs, asked_things = _action(asked)
    done_verbs, done_things = _action(attempt)
    if not asked_verbs & done_verbs:
        return False
    return not asked_things or not done_things or bool(asked_things & done_things)


def tried_before(asked: str, comments: Sequence[tuple[Comment, ParsedNote]]) -> Evidence | None:
    """The customer's sentence saying they already did what ``asked`` names, if any."""
    for comment, note in comments:
        for start, end in note.attempts:
            if same_action(asked, note.text[start:end]):
                return Evidence(comment_id=comment.id, start=start, end=end, text=note.text[start:end])
    return None
