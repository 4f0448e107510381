"""The rule contract: what a rule declares and what it receives.

A rule is a class with a few declarations (id, summary, doc, default severity, what it needs from
spaCy, which comments it reads, an options model) and one method, ``check``, which yields
:class:`Finding` objects. The engine turns findings into :class:`Annotation` objects (adding the
rule id, severity, line and column), so a rule only says *where* and *why*.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import InitVar, dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal

from pydantic import BaseModel, ConfigDict
from pydantic_core import PydanticCustomError
from typing_extensions import TypeVar

from holdthread.linter.models import Author, Comment, Evidence, Kind, Person, Role, Severity, Ticket

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from holdthread.linter.policy import Settings
    from holdthread.text import ParsedNote

#: What a rule can ask of spaCy. ``tokens`` and ``sentences`` are cheap (a blank pipeline plus a
#: rule-based sentencizer); ``pos``, ``lemmas`` and ``entities`` need a trained pipeline.
Need = Literal["tokens", "sentences", "pos", "lemmas", "entities"]


class Options(BaseModel):
    """Base class of every rule's options model: unknown option names are policy errors."""

    model_config = ConfigDict(extra="forbid")

    #: Options that name a file or folder. A relative path is read from the folder of the policy
    #: file that sets it, not from wherever the command or the service happens to run.
    path_options: ClassVar[tuple[str, ...]] = ()


def known_choices(values: list[str], allowed: Collection[str], what: str) -> list[str]:
    """``values`` unchanged if each is one of ``allowed``; else the error an options validator
    raises, so a policy typo ("categoris: [hedge]" values) is reported, never silently ignored."""
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise PydanticCustomError("unknown_choice", f"unknown {what} {unknown}; choose from {', '.join(allowed)}")
    return values


class Targets(BaseModel):
    """Which comments a rule reads. Every field narrows the selection; ``None`` means "any"."""

    model_config = ConfigDict(extra="forbid")

    kinds: list[Kind] | None = None
    visibility: Literal["any", "public", "internal"] = "any"
    authors: list[Role] = ["agent"]
    ticket_types: list[str] | None = None
    tags: list[str] | None = None
    exclude_tags: list[str] = []
    groups: list[str] | None = None

    def selects(self, target: Target, ticket: Ticket) -> bool:
        """Whether a comment (or draft) of this ticket is one this rule should read."""
        if self.kinds is not None and target.kind not in self.kinds:
            return False
        if self.visibility == "public" and not target.public:
            return False
        if self.visibility == "internal" and target.public:
            return False
        if target.author.role not in self.authors:
            return False
        if self.ticket_types is not None and (ticket.type or "").lower() not in {t.lower() for t in self.ticket_types}:
            return False
        tags = {t.lower() for t in ticket.tags}
        if self.tags is not None and not tags & {t.lower() for t in self.tags}:
            return False
        if tags & {t.lower() for t in self.exclude_tags}:
            return False
        return self.groups is None or (ticket.group or "").lower() in {g.lower() for g in self.groups}


@dataclass(frozen=True)
class Target:
    """The text being linted: a draft (``comment_id`` is None) or one comment of the thread."""

    comment_id: str | None
    text: str
    kind: Kind
    public: bool
    author: Author
    #: The new owner set together with this note (a draft's ``assignee``), if any.
    new_assignee: Person | None = None


@dataclass(frozen=True)
class Finding:
    """What a rule reports: a span of the target text, why, and how to fix it."""

    start: int
    end: int
    message: str
    suggestion: str | None = None
    evidence: Sequence[Evidence] = ()


@dataclass
class RuleContext:
    """Everything a rule may read while checking one target.

    ``note`` is the target parsed once (:class:`holdthread.text.ParsedNote`): sentences, quotes,
    values, steps. Every rule reading the target gets the same one, so a feature one rule computed
    is free for the next. ``thread_note(comment)`` does the same for earlier comments, once per
    ticket.
    """

    target: Target
    #: Comments before the target, oldest first (the whole thread for a draft).
    thread: Sequence[Comment]
    ticket: Ticket
    options: Any
    settings: Settings
    #: The spaCy Doc of ``target.text``, built with the least pipeline the active rules need.
    doc: Doc | None = None
    #: Plain text of every comment of the thread, by comment id (HTML already converted).
    texts: dict[str, str] = field(default_factory=dict)
    #: Parsed earlier comments by id, shared by every target of the ticket (filled as rules ask).
    thread_notes: dict[str, ParsedNote] = field(default_factory=dict)
    #: The engine's parse of the target, shared by the rules reading it (parsed here if not given).
    parsed: InitVar[ParsedNote | None] = None
    note: ParsedNote = field(init=False)

    def __post_init__(self, parsed: ParsedNote | None) -> None:
        if parsed is None:
            from holdthread.text import ParsedNote  # the text model imports the pipeline, which imports this module

            parsed = ParsedNote(self.target.text, self.doc)
        self.note = parsed

    @property
    def text(self) -> str:
        return self.target.text

    def thread_text(self, comment: Comment) -> str:
        """The plain text of an earlier comment (HTML converted, as the engine lints it)."""
        return self.texts.get(comment.id, comment.body)

    def thread_note(self, comment: Comment) -> ParsedNote:
        """An earlier comment parsed (once per ticket, whichever rule asks first)."""
        note = self.thread_notes.get(comment.id)
        if note is None:
            from holdthread.text import ParsedNote

            note = self.thread_notes[comment.id] = ParsedNote(self.thread_text(comment))
        return note


#: The options model of a rule: a subclass declares ``class MyRule(Rule[MyOptions])``.
OptionsT = TypeVar("OptionsT", bound=Options, default=Options, covariant=True)
RuleOptions = Options  # the base class, under a name the Rule body does not shadow


class Rule(Generic[OptionsT]):
    """Base class of every rule, built-in or from a plugin.

    Subclasses set the class attributes and implement :meth:`check`. One instance is made per
    linter with the options the policy validated, so ``__init__`` is the place to compile
    patterns once rather than per note.
    """

    id: ClassVar[str]
    #: The plugin that registered the rule (set by the registry).
    plugin: ClassVar[str] = ""
    summary: ClassVar[str]
    #: Markdown, in ruff's shape: What it does / Why it matters / Example / Use instead / Options.
    doc: ClassVar[str]
    default_severity: ClassVar[Severity] = "warning"
    needs: ClassVar[frozenset[Need]] = frozenset({"tokens"})
    #: ``note`` rules read one target at a time; ``ticket`` rules read the whole ticket once.
    scope: ClassVar[Literal["note", "ticket"]] = "note"
    targets: ClassVar[Targets] = Targets()
    Options: ClassVar[type[RuleOptions]] = RuleOptions

    def __init__(self, options: OptionsT, settings: Settings) -> None:
        self.options = options
        self.settings = settings

    def requires(self) -> frozenset[Need]:
        """What this configured instance needs from spaCy; options may widen ``needs``."""
        return self.needs

    def check(self, context: RuleContext) -> Iterable[Finding]:
        raise NotImplementedError
