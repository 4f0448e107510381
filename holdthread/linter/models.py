"""The data holdthread reads and writes, as pydantic models.

Every source plugin (a helpdesk webhook, an export file, a plain note) produces these models, so
nothing downstream knows which helpdesk a ticket came from. The output models (``Annotation``,
``Report``) are the stable JSON contract described in ARCHITECTURE.md.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from holdthread.linter.jsondata import SURROGATE_MESSAGE, has_surrogate

Role = Literal["customer", "agent", "system", "bot"]
Kind = Literal["reply", "note", "escalation", "handoff"]
Severity = Literal["error", "warning", "info"]
Verdict = Literal["pass", "warn", "block"]

#: Severities from the most to the least serious; used to compare against ``fail_on``.
SEVERITY_ORDER: dict[str, int] = {"error": 3, "warning": 2, "info": 1}


class _Model(BaseModel):
    """Input models reject unknown keys only where a typo would silently lose data.

    Every text field refuses lone UTF-16 surrogates (``"\\ud800"`` in JSON, or a Python string
    made from one): no UTF-8 writer can encode them, so spaCy, the findings store and the output
    would fail on them later. Refused here, they are an input error at the field's JSON path.
    """

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    @field_validator("*", mode="after")
    @classmethod
    def _encodable_text(cls, value: object) -> object:
        texts = value if isinstance(value, list) else [value]
        for index, text in enumerate(texts):
            if isinstance(text, str) and has_surrogate(text):
                where = f"item {index}: " if isinstance(value, list) else ""
                raise PydanticCustomError(
                    "lone_surrogate", where + SURROGATE_MESSAGE + "; fix the integration that wrote it"
                )
        return value


class Person(_Model):
    """A requester or an assignee. Helpdesks give at least an id or a name."""

    id: str | None = None
    name: str | None = None
    email: str | None = None

    @field_validator("name", "email", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        """A name of only spaces (a helpdesk's placeholder) is no name: rules read names as words."""
        if isinstance(value, str):
            return value.strip() or None
        return value

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, value: object) -> object:
        # Helpdesks use numeric ids (Zendesk, Freshdesk); we keep every id as text.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Author(Person):
    """Who wrote a comment. ``role`` decides whose words are whose (customer vs agent)."""

    role: Role = "agent"


class Attachment(_Model):
    """A file sent with a comment. Rules read its name and type: a customer who attached a
    screenshot or a HAR file has given it, whatever the message says."""

    #: Zendesk calls it ``file_name``; Freshdesk, Intercom and the generic shape ``name``.
    name: str = Field(default="", validation_alias=AliasChoices("name", "file_name", "filename"))
    content_type: str | None = None
    size: int | None = Field(default=None, validation_alias=AliasChoices("size", "filesize"))


class Comment(_Model):
    """One message in a ticket's thread: a public reply or an internal note."""

    id: str
    author: Author
    public: bool = True
    created_at: datetime | None = None
    kind: Kind | None = None
    body: str
    attachments: list[Attachment] = Field(default_factory=list)

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @property
    def effective_kind(self) -> Kind:
        """The comment's kind; when the helpdesk gave none, internal means note, public reply."""
        if self.kind is not None:
            return self.kind
        return "reply" if self.public else "note"


class Event(_Model):
    """A change in the ticket's life, such as a group or assignee change."""

    type: str
    at: datetime | None = None
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None
    actor: str | None = None

    @field_validator("from_", "to", "actor", mode="before")
    @classmethod
    def _value_as_text(cls, value: object) -> object:
        """An id (42016) or a person or group object ({"id": 42016, "name": "Jamal Carter"}), as
        helpdesk exports give them, is read as its name (else its id)."""
        if isinstance(value, dict):
            value = value.get("name") or value.get("id", value)
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Ticket(_Model):
    """A ticket and its thread, in holdthread's generic shape."""

    id: str
    subject: str = ""
    type: str | None = None
    priority: str | None = None
    status: str | None = None
    tags: list[str] = Field(default_factory=list)
    group: str | None = None
    created_at: datetime | None = None
    requester: Person | None = None
    assignee: Person | None = None
    comments: list[Comment] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Draft(_Model):
    """The note or reply an agent is about to submit: what the pre-submit check lints."""

    author: Author = Field(default_factory=lambda: Author(role="agent"))
    public: bool = False
    kind: Kind = "escalation"
    body: str
    assignee: Person | None = None


class CheckRequest(_Model):
    """A ticket and, optionally, the draft to lint in the context of its thread."""

    ticket: Ticket
    draft: Draft | None = None


class Evidence(BaseModel):
    """Where in the earlier thread a finding's proof sits (e.g. the customer's order number)."""

    comment_id: str | None = None
    start: int
    end: int
    text: str


class Annotation(BaseModel):
    """One finding: the stable output contract (see ARCHITECTURE.md, "Output contracts")."""

    rule: str
    severity: Severity
    message: str
    comment_id: str | None = None
    start: int
    end: int
    line: int
    column: int
    text: str
    suggestion: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class Report(BaseModel):
    """The result of checking one input: a verdict, a QA score and the annotations."""

    ticket_id: str
    verdict: Verdict
    score: int = Field(ge=0, le=100)
    annotations: list[Annotation] = Field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Annotations per rule id, for QA statistics."""
        result: dict[str, int] = {}
        for annotation in self.annotations:
            result[annotation.rule] = result.get(annotation.rule, 0) + 1
        return result
