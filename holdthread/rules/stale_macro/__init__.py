"""stale-macro: macros past their date, deprecated wording, unfilled placeholders, verbatim pastes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.policy import Settings
from holdthread.linter.rule import Finding, Options, Rule, RuleContext, Targets
from holdthread.plugins.macros import MACRO_TYPE, UPDATED_EVENT, macro_bodies
from holdthread.rules.stale_macro.paste import PLACEHOLDER, MacroIndex
from holdthread.text.lexicon import alternation


class Deprecated(BaseModel):
    """A phrase, product name or link the team no longer uses."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        min_length=2,
        description=("The phrase, product name or link (a link matches any URL that starts with it)."),
    )
    use: str | None = Field(default=None, description="What to write instead.")
    reason: str | None = Field(default=None, description="Why it is deprecated, shown in the message.")

    @property
    def is_link(self) -> bool:
        return self.text.startswith(("http://", "https://", "www."))


class StaleMacroOptions(Options):
    path_options = ("macro_dir",)

    deprecated: list[Deprecated] = Field(
        default=[],
        description=("Phrases, product names and links no longer to be used: `{text, use, reason}`."),
    )
    max_age_days: int | None = Field(
        default=365,
        ge=1,
        description=("A macro file whose `updated` date is older than this is reported (null: never)."),
    )
    require_updated: bool = Field(default=False, description="Report a macro file with no `updated` date.")
    placeholders: bool = Field(
        default=True,
        description=(
            "Report unfilled placeholders (`{{ticket.requester}}`, `[Customer name]`) in sent replies and notes."
        ),
    )
    macros: list[str] = Field(
        default=[],
        description=("Macro texts; a note that pastes one verbatim with nothing of the case added is reported."),
    )
    macro_dir: str | None = Field(
        default=None,
        description=(
            "A directory of macro files (YAML, JSON, Markdown, text) used like `macros`; a relative path is read "
            "from the folder of the policy file that sets it."
        ),
    )
    min_added_words: int = Field(
        default=8,
        ge=1,
        description=("Words of its own (beyond greeting and sign-off) a note must add to a pasted macro."),
    )

    @field_validator("macro_dir")
    @classmethod
    def _directory_exists(cls, value: str | None) -> str | None:
        if value is not None and not Path(value).is_dir():
            raise PydanticCustomError("not_a_directory", f"macro_dir {value!r} is not a directory")
        return value


class StaleMacro(Rule):
    id = "stale-macro"
    summary = (
        "A macro is past its review date or uses deprecated wording; a sent reply has unfilled placeholders "
        "or is a bare macro paste."
    )
    default_severity = "warning"
    needs = frozenset()
    targets = Targets(authors=["agent", "bot"])
    Options = StaleMacroOptions
    options: StaleMacroOptions
    doc = """
        ## What it does
        For macro and template libraries kept in git (`holdthread check macros/*.yaml` reads
        each file as macros: YAML, Zendesk-style JSON, or Markdown with front matter; the
        metadata, such as `updated`, travels with the body), and for the replies and notes
        agents send from them, reports:

        - **deprecated wording**: phrases, product names and links the policy lists under
          `deprecated` (a link matches any URL that starts with it), in macros and sent text;
        - **out-of-date macros**: a macro file whose `updated` date (also `updated_at`,
          `last_reviewed`) is older than `max_age_days`;
        - **unfilled placeholders** in a sent reply or note: `{{ticket.requester.name}}`,
          `{% if %}`, `%FIRST_NAME%`, `[Customer name]`. Placeholders are fine inside a macro
          file, where they belong;
        - **verbatim pastes**: a sent reply or note that is one of the policy's macros (from
          `macros` or `macro_dir`) with fewer than `min_added_words` words of the case added
          (greetings and sign-offs do not count).

        ## Why it matters
        Macros rot: a renamed product, a retired help-centre link or an old refund window
        goes out to every customer who gets the macro. A literal `{{ticket.requester}}` tells the
        customer nobody read the reply; a bare macro answers the category, not the customer.

        ## Example
        ```yaml
        # macros/refund.yaml
        title: Refund issued
        updated: 2023-02-01
        body: |
          Hi {{ticket.requester.first_name}}, your refund is on its way via AcmePay Classic.
          See https://help.acme.example/old-refunds for details.
        ```

        ## Use instead
        ```yaml
        title: Refund issued
        updated: 2026-10-14
        body: |
          Hi {{ticket.requester.first_name}}, your refund of {{refund.amount}} is on its way to
          your original payment method. See https://help.acme.example/refunds for timings.
        ```

        ## How to fix
        Update the macro (and its `updated` date); replace deprecated terms with what the
        message suggests; fill every placeholder before sending; add the customer's own
        details to a pasted macro.

        On a macro repository, run it from pre-commit (the `holdthread-macros` hook) or CI:
        `holdthread check --select stale-macro,pii-in-note macros/*.yaml macros/*.md`.
    """

    def __init__(self, options: StaleMacroOptions, settings: Settings) -> None:
        super().__init__(options, settings)
        self.deprecated = options.deprecated
        parts = []
        for term in options.deprecated:
            if term.is_link:
                parts.append(re.escape(term.text) + r"[^\s)>\]\"']*")
            else:
                parts.append(rf"(?<![\w-])(?:{alternation([term.text])})(?![\w-])")
        self.deprecated_pattern = re.compile("|".join(parts), re.IGNORECASE) if parts else None
        bodies = list(options.macros)
        if options.macro_dir is not None:
            bodies += macro_bodies(Path(options.macro_dir))
        self.pastes = MacroIndex(bodies)

    def check(self, context: RuleContext) -> Iterator[Finding]:
        text = context.text
        is_macro = (context.ticket.type or "").lower() == MACRO_TYPE
        yield from self._deprecated(text)
        if is_macro:
            yield from self._age(context)
            return
        if self.options.placeholders:
            for match in PLACEHOLDER.finditer(text):
                if context.note.quote_index.covers(*match.span()):
                    continue  # `{{first_name}}` in code or quotes is explained, not left unfilled
                yield Finding(
                    match.start(),
                    match.end(),
                    f"Unfilled placeholder {match.group(0)} in a sent message: the customer sees it literally.",
                    "Replace it with the real value, or remove it (check the macro's placeholder name).",
                )
        if self.pastes:
            yield from self._verbatim(context)

    def _deprecated(self, text: str) -> Iterator[Finding]:
        if self.deprecated_pattern is None:
            return
        for match in self.deprecated_pattern.finditer(text):
            found = match.group(0).rstrip(".,;:!?")  # a link at the end of a sentence
            term = self._term(found)
            why = f" ({term.reason})" if term is not None and term.reason else ""
            use = f'Write "{term.use}" instead.' if term is not None and term.use else "Replace or remove it."
            kind = "link" if term is not None and term.is_link else "term"
            yield Finding(match.start(), match.start() + len(found), f'Deprecated {kind} "{found}"{why}.', use)

    def _term(self, found: str) -> Deprecated | None:
        lowered = " ".join(found.lower().split())
        for term in self.deprecated:
            wanted = " ".join(term.text.lower().split())
            if (term.is_link and lowered.startswith(wanted)) or lowered.replace("’", "'") == wanted.replace("’", "'"):
                return term
        return None

    def _verbatim(self, context: RuleContext) -> Iterator[Finding]:
        added = self.pastes.added_words(context.text)
        if added is not None and added < self.options.min_added_words:
            start, end = context.note.first_line
            yield Finding(
                start,
                end,
                f"Pastes a macro verbatim with {added} word(s) of the case added: "
                "it answers the category, not this customer.",
                "Add what is specific to this case: their order or account, what you checked, "
                "what happens next for them.",
            )

    def _age(self, context: RuleContext) -> Iterator[Finding]:
        updated = next((e.at for e in context.ticket.events if e.type == UPDATED_EVENT and e.at is not None), None)
        start, end = context.note.first_line
        if updated is None:
            if self.options.require_updated:
                yield Finding(
                    start,
                    end,
                    "Macro has no `updated` date, so nobody can tell when it was last reviewed.",
                    "Add `updated: YYYY-MM-DD` to the macro's metadata after reviewing it.",
                )
            return
        if self.options.max_age_days is None:
            return
        at = updated if updated.tzinfo else updated.replace(tzinfo=UTC)
        age = (datetime.now(UTC) - at).days
        if age > self.options.max_age_days:
            yield Finding(
                start,
                end,
                f"Macro last updated {at.date().isoformat()} ({age} days ago), "
                f"over the policy's {self.options.max_age_days} days.",
                "Review the macro (links, product names, policies it quotes), then set `updated` to today's date.",
            )


@hookimpl
def holdthread_rules() -> list[type[Rule]]:
    return [StaleMacro]
