"""missing-expected-actual: a bug escalation that does not say what was expected and what happened."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.policy import Settings
from holdthread.linter.rule import Finding, Options, Rule, RuleContext, Targets
from holdthread.rules.missing_repro_steps.defect import DefectClassifier
from holdthread.text.fastmatch import AnyOf
from holdthread.text.wordlists import load_words


class MissingExpectedActualOptions(Options):
    require_expected: bool = Field(
        default=True,
        description=("Report a bug escalation that does not say what was expected."),
    )
    require_actual: bool = Field(
        default=True,
        description=("Report a bug escalation that does not say what happened instead."),
    )


class MissingExpectedActual(Rule):
    id = "missing-expected-actual"
    summary = "A bug escalation does not say what was expected and what happened instead."
    default_severity = "warning"
    needs = frozenset()
    targets = Targets(kinds=["escalation"])
    Options = MissingExpectedActualOptions
    options: MissingExpectedActualOptions
    doc = """
        ## What it does
        Reads escalations of a bug or technical defect (the same decision as
        missing-repro-steps: the ticket's type or tags per the policy's `ticket_kind`, else the
        words of the note and thread) and reports when the note does not say

        - what was **expected**: "expected", "should show", "is supposed to", "instead of",
          "used to", "worked before the 4.12 update", "per the docs", "Expected: ...";
        - what **actually** happened: "Actual: ...", "but it shows", "returns 500", "fails",
          "hangs", "nothing happens", "shows the wrong total".

        Most bug notes say what went wrong; the half that goes missing is nearly always what the
        customer expected, so engineering cannot tell a bug from a misunderstanding.

        ## Why it matters
        "The total is wrong" is not actionable until someone knows what total was right. Without
        the expected result, engineering guesses, or asks support, who asks the customer.

        ## Example
        ```text
        Invoice PDF shows a different tax line for acme.example, Chrome 131, since the 4.12 update.
        ```

        ## Use instead
        ```text
        Expected: the invoice PDF shows VAT 20% (£24.00) as on screen.
        Actual: the PDF shows VAT 0% and total £120.00. Since the 4.12 update, acme.example.
        ```

        ## How to fix
        Add one line for what should have happened and one for what happened instead.
    """

    def __init__(self, options: MissingExpectedActualOptions, settings: Settings) -> None:
        super().__init__(options, settings)
        data = load_words(__package__ or "")
        self.expected = AnyOf(data["expected"])
        self.actual = AnyOf(data["actual"])
        self.defects = DefectClassifier(settings.ticket_kind)

    def check(self, context: RuleContext) -> Iterator[Finding]:
        text = context.text
        missing = []
        if self.options.require_expected and not self.expected.found(text):
            missing.append("what was expected")
        if self.options.require_actual and not self.actual.found(text):
            missing.append("what happened instead")
        if not missing or not self.defects.is_defect(context):
            return
        start, end = context.note.first_line
        what = " and ".join(missing)
        yield Finding(
            start,
            end,
            f"Bug escalation does not say {what}.",
            'Add "Expected: <what should have happened>" and "Actual: <what happened instead>", '
            'e.g. "Expected: PDF shows VAT 20%. Actual: PDF shows VAT 0%".',
        )


@hookimpl
def holdthread_rules() -> list[type[Rule]]:
    return [MissingExpectedActual]
