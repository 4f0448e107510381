"""How long the built-in rules take on crafted notes, next to an ordinary note of the same size.

The pre-submit service must answer in milliseconds whatever an agent pastes, and an audit must
not stall on one odd export record. A regex whose repeats overlap (``[\\w-]+`` before ``-``, or
``\\s*`` at every line start) turns some inputs quadratic: a 100 KB note of "INV-CW-" or of
blank lines once took minutes. Each crafted note repeats one token up to the policy's default
note limit (100,000 characters) and is linted three times with the ``strict`` preset: as an
escalation draft, as a customer comment (and a bot comment) under a reply that asks for everything
``repeated-ask`` knows, and as the customer's message under a handoff note made of the same text
(``not-in-thread`` checks every value of the note against the thread). Then a long thread: a
handoff note full of values checked against threads of growing length, to show the cost grows
with the thread, not with its square. Prints seconds per case and the ratio to an ordinary note;
run it with::

    python benchmarks/crafted_notes.py [--chars 100000] [--only TOKEN]
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import time
from typing import Any

from holdthread import Linter
from holdthread.linter.errors import InputError

#: Tokens each repeated to fill a note: shapes the rules' patterns look for, and their edges.
TOKENS = [
    "a dot ", "x at ", "five ", "version one point ", "| 1 | ", "| step |\n", "1. ", "(1 ", "#1 ", "- ",
    "Steps:\n", "Repro: ", "@a ", "CC @a ", "Dee — ", "over to you ", "please ", "so probably ",
    "some of the 14 x: a, ", "$ ", "C:\\> ", "--- a\n", "@@ -1 +1 @@\n", "+a\n", "/* ", "*/\n", "a(b);\n",
    "<a b>\n", "<?php\n", "{\n", "}\n", "x=1\n", "Foo: bar\n", "a.b\n", "x" * 70 + "\n", "\n\n", "Tomás ",
    "the customer will ask ", "Owner: ", "**Owner:** ", "in billing ops ", "Ravi, a, ", "it's ", "'a ",
    '"a ', "INV-CW-", "conf. ", "orders: \n- A-1\n", "Acct: ", "photos of ", "screenshot attached ",
    "tried to attach ", "HAR ", "console shows ```", "says:\n> ", "pops up '", "order numbers ",
    "which tablet model ", "Dr. ", "e.g. ", "when ", "then ", "and ", "opened, ", "Opened. ", "a, b and c ",
    "— ", "-> ", "> ", "a > b > ", "at a.b(c)\n", 'File "a", line 1\n', "[a] => b\n", "a = 0x1\n",
    "Subject 1-2\n", "10:03 UTC - ", "<p>", "<td>", "<li>", "&amp;", "a.a.", "a a ", "says A-",
    "order was A-", "some a-", "key_a=", "a-", "A-", "a_", "1-", "@a.", "Bearer ", "x: ", "sk_live_",
    "a@b.", "a@", "…", "Ab", "AB ", "ab,", "a;", "(a ", "[a] ", "a\t", "'s ", "#", "*", "+",
]
ASKS = ("Could you send your order number, email, phone, app version, device model, the HAR file and a "
        "screenshot of the error?\n")
WORDS = [
    "customer", "export", "fails", "with", "error", "E1042", "since", "Monday", "on", "Chrome", "131", "after",
    "they", "opened", "settings", "switched", "the", "toggle", "and", "reloaded", "page", "owner", "is", "Lee",
    "Park", "who", "will", "check", "logs",
]


def ordinary(chars: int, rng: random.Random) -> str:
    """An ordinary note of about ``chars`` characters: sentences of everyday support words."""
    words: list[str] = []
    size = 0
    while size < chars:
        sentence = [*rng.sample(WORDS, 12), "."]
        words.extend(sentence)
        size += sum(len(w) + 1 for w in sentence)
    return " ".join(words)[:chars]


def lint_all(linter: Linter, body: str) -> float:
    """Seconds to lint ``body`` as an escalation draft, as the thread under a reply, and as the
    customer's message under a handoff made of it."""
    comments: list[dict[str, Any]] = [
        {"id": "c1", "author": {"role": "customer"}, "body": body},
        {"id": "c2", "author": {"role": "bot"}, "body": body},
    ]
    customer = [{"id": "c1", "author": {"role": "customer"}, "body": body}]
    started = time.perf_counter()
    linter.check({"id": "T-1", "type": "bug"}, {"body": "Export bug\n" + body, "kind": "escalation"})
    linter.check({"id": "T-1", "type": "bug", "comments": comments},
                 {"body": ASKS + body[:20_000], "kind": "reply", "public": True})
    with contextlib.suppress(InputError):  # a note that is blank once its HTML is read is refused, unlinted
        linter.check({"id": "T-1", "comments": customer}, {"body": body[:20_000], "kind": "handoff"})
    return time.perf_counter() - started


#: What a customer writes in a long thread: values of every kind not-in-thread compares.
THREAD_LINES = [
    "Order 48213 was charged $49.99 twice on Nov 3 at 10pm.", "I'm on iOS 17.1 on an iPhone 13 Pro.",
    "Error EXP-4410 shows after 30 seconds, 3 of our 40 users see it.",
    "Call me on (555) 010-4477 or dana@example.org.", "We are on the Pro plan since 2024-02-01, invoice INV-2291.",
    "It worked with Chrome 131 yesterday.",
]
#: A handoff that restates some values right and gets others wrong.
NOTE_LINES = [
    "Customer: order 48231 charged $49.99 twice on 2026-11-03 at 22:00.", "iOS 17.2 on an iPhone 13 Pro.",
    "Error EXP-4411 after 30 s for 3 of 40 users.", "Reach them at dana@example.org.", "Pro plan, invoice INV-2291.",
]


def long_thread(linter: Linter, thread_chars: int, note_chars: int) -> float:
    """Seconds to lint a handoff of ``note_chars`` against a thread of ``thread_chars`` (messages of
    about 1,000 characters, every one full of values)."""
    message = " ".join(THREAD_LINES * 4)
    comments = [{"id": f"c{i}", "author": {"role": "customer" if i % 2 == 0 else "agent"}, "body": message}
                for i in range(max(1, thread_chars // len(message)))]
    note = (" ".join(NOTE_LINES) + " ") * (note_chars // len(" ".join(NOTE_LINES)) + 1)
    started = time.perf_counter()
    linter.check({"id": "T-long", "comments": comments}, {"body": note[:note_chars], "kind": "handoff"})
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, default=100_000, help="size of each note (default: the note limit)")
    parser.add_argument("--only", help="run only the cases whose token contains this text")
    args = parser.parse_args()
    linter = Linter({"extends": "strict", "limits": {"max_note_chars": args.chars + 1_000}})
    baseline = lint_all(linter, ordinary(args.chars, random.Random(7)))
    print(f"ordinary note, {args.chars:,} chars: {baseline:.3f} s (linted three times: draft, thread under a "
          "reply, customer message under a handoff)")
    print(f"{'token':<26} {'seconds':>8} {'x ordinary':>10}")
    worst = 0.0
    for token in TOKENS:
        if args.only and args.only not in token:
            continue
        body = (token * (args.chars // len(token) + 1))[: args.chars]
        seconds = lint_all(linter, body)
        worst = max(worst, seconds / baseline)
        print(f"{token!r:<26} {seconds:>8.3f} {seconds / baseline:>10.1f}")
    print(f"worst case: {worst:.1f} x the ordinary note")
    print("long thread: a handoff full of values against a thread full of values (not-in-thread)")
    print(f"{'thread chars':>14} {'note chars':>11} {'seconds':>8}")
    for thread_chars, note_chars in ((10_000, 2_000), (100_000, 2_000), (100_000, 20_000), (1_000_000, 20_000)):
        print(f"{thread_chars:>14,} {note_chars:>11,} {long_thread(linter, thread_chars, note_chars):>8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
