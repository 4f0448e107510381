"""missing-repro-steps: a bug escalation without steps to reproduce."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.policy import Settings
from holdthread.linter.rule import Finding, Need, Options, Rule, RuleContext, Targets
from holdthread.rules.missing_repro_steps.defect import DefectClassifier
from holdthread.text.actions import IsAction, lexicon_is_action, pos_is_action
from holdthread.text.lexicon import group

_COULD_NOT_REPRODUCE = re.compile(
    r"\b(?:could\s*n[o']?t|couldn['’]t|can\s*n[o']?t|can['’]t|cannot|unable\s+to|wasn['’]t\s+able\s+to|was\s+not\s+able\s+to|"
    r"weren['’]t\s+able\s+to|did\s*n['’o]?t|didn['’]t|failed\s+to|not\s+able\s+to)\s+(?:\w+\s+){0,2}(?:reproduce|repro|replicate|recreate|trigger)|"
    r"\b(?:no|not)\s+(?:luck\s+)?(?:reproducing|repro(?:ducible)?|replicating)\b|\bnot\s+reproducible\b|\bunable\s+to\s+repro\b|\bno\s+repro\b|"
    r"\bworks?\s+(?:fine|for\s+me|as\s+expected|normally)\s+(?:on|in|with|for)\s+(?:my|our|a|the)\s+(?:end|side|test|account|machine|staging)",
    re.IGNORECASE,
)
_TRIED = re.compile(
    rf"\b(?:tried|tested|checked|attempted|used|using|on\s+(?:{group('browsers', 'operating_systems')}|mac)|"
    r"with\s+(?:a\s+)?(?:fresh|new|test|clean|different)|incognito|staging|sandbox|test\s+account|my\s+account|our\s+account)\b",
    re.IGNORECASE,
)


class MissingReproStepsOptions(Options):
    min_actions: int = Field(
        default=2, ge=1, description="Ordered actions a note needs to count as steps to reproduce."
    )
    action_detection: Literal["lexicon", "pos"] = Field(
        default="lexicon",
        description="How an action is recognised: `lexicon` (a list of action verbs; tokens only) or `pos` (any "
        "base-form or past verb, from the trained tagger: slower and less accurate, see the README's measurements).",
    )
    accept_test_case: bool = Field(
        default=True,
        description="Accept a test case instead of steps: code, markup or configuration to run "
        "(at least `test_case_lines` lines of it; log lines and stack traces do not count).",
    )
    test_case_lines: int = Field(
        default=4, ge=1, description="Lines of code, markup or configuration that make a test case."
    )
    accept_not_reproduced: bool = Field(
        default=True,
        description="Accept an explicit statement of what was tried and that it did not reproduce instead of steps.",
    )


class MissingReproSteps(Rule[MissingReproStepsOptions]):
    id = "missing-repro-steps"
    summary = "A bug escalation has no steps to reproduce, no test case and no statement of what was tried."
    default_severity = "warning"
    needs = frozenset({"tokens", "sentences"})
    targets = Targets(kinds=["escalation"])
    Options = MissingReproStepsOptions
    doc = """
        ## What it does
        Fires on escalations of a bug or technical defect when the note has fewer than two
        ordered actions, as a numbered or bulleted list of actions ("1. Open Settings",
        "- Click Export") or as a prose sequence ("opened settings, switched the toggle, then
        reloaded"), and no explicit statement of what was tried and that it could not be
        reproduced ("tried on Chrome 131 with a fresh account, could not reproduce").

        Steps are found in the shapes people write them: `1.`, `1)`, `#1` or `(1` lists, bullets,
        "Step 1:" labels, prose sentences hard-wrapped by a mail client, navigation paths
        ("Settings > Billing > Export") and shell transcripts (`$ make`, `C:\\> httpd -k start`).
        A test case counts instead of steps: code, markup or configuration to run (at least
        `test_case_lines` lines of it), as bug trackers accept "steps to reproduce, or a testcase".

        A list that is not steps (affected accounts, order ids, log lines, a timeline of
        timestamps, even under a "Steps:" heading) does not count, nor do
        a pasted patch, a code comment, output labels ("configure: error"), names in a series
        ("Cut, Copy, Paste") or what a program printed (stack traces, log lines, dumps).

        Billing, account and how-to escalations are skipped: the ticket's kind comes from the
        policy's `ticket_kind` settings (its `type` or tags), and when those say neither, from
        the words of the note and the thread.

        ## Why it matters
        Engineering's first question on any bug is "how do I see it?". Without steps the
        ticket comes back to support, then to the customer, and days pass.

        ## Example
        ```text
        Customer says the CSV export hangs. Escalating to @data-oncall.
        ```

        ## Use instead
        ```text
        Export hangs for acme.example (Chrome 131). Steps:
        1. Log in as an admin
        2. Go to Reports > Invoices, pick "Last month"
        3. Click Export CSV: the spinner never ends (no network error)
        ```

        ## How to fix
        Write the steps as a list, paste the test case that shows it, or say what you tried and
        that it did not reproduce.
    """

    def __init__(self, options: MissingReproStepsOptions, settings: Settings) -> None:
        super().__init__(options, settings)
        self.defects = DefectClassifier(settings.ticket_kind)

    def requires(self) -> frozenset[Need]:
        return self.needs | {"pos"} if self.options.action_detection == "pos" else self.needs

    def is_defect(self, context: RuleContext) -> bool:
        """Whether the ticket is about a technical defect (shared with missing-expected-actual)."""
        return self.defects.is_defect(context)

    def has_steps(self, context: RuleContext) -> bool:
        note = context.note
        is_action: IsAction = lexicon_is_action
        if self.options.action_detection == "pos" and context.doc is not None:
            is_action = pos_is_action(context.doc)
        needed = self.options.min_actions
        if note.ordered_actions(is_action, enough=needed) >= needed:
            return True
        if self.options.accept_test_case and note.test_case_lines >= self.options.test_case_lines:
            return True
        if not self.options.accept_not_reproduced:
            return False
        return bool(_COULD_NOT_REPRODUCE.search(note.text) and _TRIED.search(note.text))

    def check(self, context: RuleContext) -> Iterator[Finding]:
        if not self.is_defect(context) or self.has_steps(context):
            return
        start, end = context.note.first_line
        yield Finding(
            start,
            end,
            "Bug escalation without steps to reproduce: fewer than two ordered actions, no test case, "
            "and no note of what was tried.",
            'Add numbered steps ("1. Log in as admin 2. Open Reports 3. Click Export") and what happened, '
            "paste the test case that shows it, or say what you tried and that it did not reproduce.",
        )


@hookimpl
def holdthread_rules() -> list[type[Rule]]:
    return [MissingReproSteps]
