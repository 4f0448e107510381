"""The thread's customer's turns: what they said between replies, one statement at a time.

Chat splits one statement over several short lines, and a tweet cut in two arrives as two
messages: consecutive messages of the customer written close together (within ``burst_minutes``,
or without times, as chat logs often are) are one turn, so that the second half of a statement is
not read as a restatement of the first. Only the thread's customer's messages are turns (another
user on a public issue or in a channel who says "same here" is not the customer restating it).

A turn that answers someone's question ("which browser?", "does it happen in private mode?") or
reports on what they suggested ("try reinstalling" -> "still the same") moves the thread on, even
when it describes the problem again; a turn after an agent asked for the problem itself ("what
seems to be the issue?") retells it, and counts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from holdthread.linter.history import utc
from holdthread.linter.models import Comment, Person
from holdthread.linter.requester import is_thread_customer
from holdthread.linter.rule import RuleContext
from holdthread.text.asks import asks_for_the_problem


@dataclass
class Turn:
    """Consecutive messages of the customer, and whether they answer an agent's question."""

    comments: list[Comment] = field(default_factory=list)
    answers: bool = False
    #: Comments (of anyone else) between the previous turn and this one.
    before: list[Comment] = field(default_factory=list)


def _close(previous: Comment, comment: Comment, burst: timedelta) -> bool:
    if previous.created_at is None or comment.created_at is None:
        return True  # chat logs without times: consecutive lines are one burst
    return utc(comment.created_at) - utc(previous.created_at) <= burst


def _answers(comment: Comment, context: RuleContext) -> bool:
    """Whether replying to ``comment`` answers it: a person (an agent or another user, not a bot)
    asked a question or suggested something to try, and did not ask for the problem itself."""
    if comment.author.role in ("bot", "system"):
        return False
    note = context.thread_note(comment)
    questions = [note.text[a.start : a.end] for a in note.asks if a.question]
    if any(asks_for_the_problem(q) for q in questions):
        return False
    return bool(questions or note.instructions)


def customer_turns(
    comments: Sequence[Comment], customer: Person | None, context: RuleContext, burst_minutes: int
) -> Iterator[Turn]:
    """The customer's turns, in thread order."""
    burst = timedelta(minutes=burst_minutes)
    turn: Turn | None = None
    between: list[Comment] = []
    for comment in comments:
        if not is_thread_customer(comment, customer):
            if turn is not None:
                yield turn
                turn = None
            between.append(comment)
            continue
        if turn is not None and _close(turn.comments[-1], comment, burst):
            turn.comments.append(comment)
            continue
        if turn is not None:
            yield turn
        turn = Turn([comment], answers=bool(between) and _answers(between[-1], context), before=between)
        between = []
    if turn is not None:
        yield turn
