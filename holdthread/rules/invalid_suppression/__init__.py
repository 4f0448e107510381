"""invalid-suppression: a `holdthread: ignore[...]` marker that is wrong or silences nothing.

The engine reports it (linter/suppressions.py), after every other rule has run, because whether a
marker is used depends on their findings. This class gives the finding an id, documentation and a
place in the policy, so a team can set its severity, narrow its targets or turn it off.
"""

from __future__ import annotations

from collections.abc import Iterator

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.rule import Finding, Rule, RuleContext
from holdthread.linter.suppressions import META_RULE


class InvalidSuppression(Rule):
    id = META_RULE
    summary = "A `holdthread: ignore[rule-id] reason` marker has no reason, names an unknown rule, or silences nothing."
    default_severity = "warning"
    needs = frozenset()
    doc = """
        ## What it does
        Checks every suppression marker in a note, `holdthread: ignore[rule-id] reason`, and
        reports one that:

        - has no reason (a marker without one silences nothing);
        - names no rule, or a rule that does not exist (a typo: `vague-langauge`);
        - names a rule that does not check this note (off in the policy, or aimed at other notes);
        - silences nothing, because the rule it names no longer finds a problem in the note.

        A marker silences the rules it names in the whole note it is written in. Several rules
        are separated by commas: `holdthread: ignore[vague-language, missing-owner] reason`.

        ## Why it matters
        A suppression is a decision someone made about one note; the reason is what lets a QA
        lead review it. Markers without reasons hide findings nobody can judge, and markers that
        silence nothing pile up in macros and get copied into notes where they would hide a real
        problem later.

        ## Example
        ```text
        Export fails for some users, see the HAR file.
        holdthread: ignore[vague-language]
        ```

        ## Use instead
        ```text
        Export fails for some users, see the HAR file.
        holdthread: ignore[vague-language] the customer cannot tell us which users yet; asked in the reply
        ```

        ## How to fix
        Add the reason after the brackets, correct the rule id, or remove a marker that silences
        nothing. To silence findings across many notes (an old macro library, the first audit of
        a helpdesk), record them in a baseline instead: `holdthread check --write-baseline FILE`.
    """

    def check(self, context: RuleContext) -> Iterator[Finding]:
        """Nothing here: the engine reports for this rule once the others have run."""
        return iter(())


@hookimpl
def holdthread_rules() -> list[type[Rule]]:
    return [InvalidSuppression]
