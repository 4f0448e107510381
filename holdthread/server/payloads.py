"""Helpdesk request bodies (app calls and webhooks) turned into holdthread check requests.

Each helpdesk payload is first validated against a small pydantic model of the fields we read,
so a bad body is answered with a JSON pointer into what the helpdesk sent, not into our generic
shape. Then it is mapped onto :class:`~holdthread.linter.models.CheckRequest`: the note being
saved (or just saved, for webhooks) becomes the draft, the earlier thread becomes the ticket's
comments. Internal notes are linted as ``escalation``s and public messages as ``reply``s, which is
what the built-in rules target. The thread's attachments are read too (name, type and size, under
each helpdesk's field names), so a rule knows the customer already sent the screenshot or log.

These converters read live payloads (one ticket, one new note). Export files are read by the
source plugins in :mod:`holdthread.plugins`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from holdthread.linter.history import draft_kind
from holdthread.linter.models import Attachment, Author, CheckRequest, Comment, Draft, Person, Role, Ticket
from holdthread.linter.text import plain_text
from holdthread.plugins.freshdesk import STATUSES as FRESHDESK_STATUS
from holdthread.plugins.freshdesk import conversation_role
from holdthread.plugins.intercom import ROLES as INTERCOM_ROLES
from holdthread.server.bodies import HTTPProblem, Pointed, validation_pointers

Id = int | str
_M = TypeVar("_M", bound=BaseModel)
#: A message's attachments, in any helpdesk's field names (Zendesk ``file_name``, Freshdesk and
#: Intercom ``name``, Intercom ``filesize``; URLs are ignored, nothing downloads a file). ``null``
#: is no attachments, as in the export sources; anything else that is not a list of objects is a
#: 400 pointing at it, never a silently lost file.
Files = Annotated[list[Attachment], BeforeValidator(lambda value: [] if value is None else value)]


@dataclass(frozen=True)
class Converted:
    """A check request to lint, or why this payload is acknowledged without a lint."""

    request: CheckRequest | None
    #: The helpdesk's delivery id, for deduplicating repeated webhook deliveries.
    delivery_id: str | None = None
    ignored: str | None = None


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


def _validate(model: type[_M], data: Any, what: str) -> _M:
    if not isinstance(data, dict):
        raise HTTPProblem(400, f"expected a JSON object ({what}), got {type(data).__name__}",
                          [Pointed("", "expected an object")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = validation_pointers(exc)
        first = problems[0]
        raise HTTPProblem(400, f"invalid {what}: {first.pointer or '/'}: {first.message}", problems) from None


def _text(value: Id | None) -> str | None:
    return None if value is None else str(value)


def _kind_for(text: str, public: bool, new_assignee: Person | None = None) -> Any:
    return draft_kind(plain_text(text), public=public, reassigned=new_assignee is not None)


# --- generic ---------------------------------------------------------------------------------


def from_generic(data: Any) -> Converted:
    """``POST /v1/check``: holdthread's own ``{"ticket", "draft"}`` shape."""
    return Converted(_validate(CheckRequest, data, "check request"))


# --- Zendesk app (ticket.save) ---------------------------------------------------------------


class _ZdUser(_Body):
    id: Id | None = None
    name: str | None = None
    email: str | None = None
    role: str | None = None


class _ZdAssignee(_Body):
    user: _ZdUser | None = None
    group: _ZdUser | None = None


class _ZdComment(_Body):
    id: Id
    author: _ZdUser = Field(default_factory=_ZdUser)
    value: str = ""
    created_at: datetime | None = Field(default=None, alias="createdAt")
    attachments: Files = []


class _ZdTicket(_Body):
    id: Id
    subject: str | None = None
    status: str | None = None
    priority: str | None = None
    type: str | None = None
    tags: list[str] = []
    requester: _ZdUser | None = None
    assignee: _ZdAssignee = Field(default_factory=_ZdAssignee)
    comments: list[_ZdComment] = []


class _ZdDraft(_Body):
    text: str
    type: str = "internalNote"


class ZendeskAppBody(_Body):
    """What ``integrations/zendesk`` sends on ``ticket.save``."""

    ticket: _ZdTicket
    comment: _ZdDraft
    current_user: _ZdUser = Field(default_factory=_ZdUser, alias="currentUser")
    #: Set by the app only when the agent changed the assignee in this save.
    new_assignee: _ZdUser | None = Field(default=None, alias="newAssignee")


def _zendesk_role(role: str | None) -> Role:
    return "customer" if role in ("end-user", "end_user", "enduser") else "agent"


def _person(user: _ZdUser | None) -> Person | None:
    if user is None or (user.id is None and not user.name):
        return None
    return Person(id=_text(user.id), name=user.name, email=user.email)


def from_zendesk_app(data: Any) -> Converted:
    body = _validate(ZendeskAppBody, data, "Zendesk app payload")
    zt = body.ticket
    comments = [
        Comment(id=str(c.id), body=c.value, created_at=c.created_at, public=True, attachments=c.attachments,
                author=Author(id=_text(c.author.id), name=c.author.name, role=_zendesk_role(c.author.role)))
        for c in zt.comments
    ]
    assignee = _person(zt.assignee.user)
    ticket = Ticket(id=str(zt.id), subject=zt.subject or "", status=zt.status, priority=zt.priority, type=zt.type,
                    tags=zt.tags, group=zt.assignee.group.name if zt.assignee.group else None,
                    requester=_person(zt.requester), assignee=assignee, comments=comments)
    public = body.comment.type == "publicReply"
    user = body.current_user
    # The ticket's current assignee is not a next-step owner named by this note: only an
    # assignee the agent changed in this very save counts as a new one.
    new_owner = _person(body.new_assignee)
    draft = Draft(body=body.comment.text, public=public, kind=_kind_for(body.comment.text, public, new_owner),
                  assignee=new_owner,
                  author=Author(id=_text(user.id), name=user.name, role=_zendesk_role(user.role)))
    return Converted(CheckRequest(ticket=ticket, draft=draft))


# --- Freshdesk app (ticket.sendReply) --------------------------------------------------------
# ``ticket``, ``conversations`` and ``agent`` carry the field names of Freshdesk's ticket,
# conversation and agent objects (API v2 reference); ``reply`` is what integrations/freshdesk
# reads from the sendReply event. Roles follow the export source (``conversation_role``).

FRESHDESK_PRIORITY = {1: "low", 2: "medium", 3: "high", 4: "urgent"}


class _FdTicket(_Body):
    id: Id
    subject: str | None = None
    description_text: str | None = None
    description: str | None = None
    status: int | None = None
    priority: int | None = None
    type: str | None = None
    tags: list[str] = []
    requester_id: Id | None = None
    responder_id: Id | None = None
    group_id: Id | None = None
    created_at: datetime | None = None
    attachments: Files = []


class _FdConversation(_Body):
    id: Id
    body_text: str | None = None
    body: str | None = None
    private: bool = False
    incoming: bool = False
    user_id: Id | None = None
    created_at: datetime | None = None
    attachments: Files = []


class _FdReply(_Body):
    body_text: str
    private: bool = False


class _FdContact(_Body):
    name: str | None = None
    email: str | None = None


class _FdAgent(_Body):
    id: Id | None = None
    contact: _FdContact = Field(default_factory=_FdContact)


class FreshdeskAppBody(_Body):
    """What ``integrations/freshdesk`` sends on ``ticket.sendReply``."""

    ticket: _FdTicket
    conversations: list[_FdConversation] = []
    reply: _FdReply
    agent: _FdAgent = Field(default_factory=_FdAgent)


def _fd_thread(ft: _FdTicket, conversations: list[_FdConversation]) -> list[Comment]:
    """The ticket's description and conversations as comments, read as the export source reads them.

    Freshdesk gives a plain-text and an HTML version of each (``description_text`` /
    ``description``, ``body_text`` / ``body``): the text one when present, else the HTML. The
    ticket's own attachments came with the description, so a ticket opened with only a
    screenshot still has a (bodiless) first comment that holds it.
    """
    comments: list[Comment] = []
    description = ft.description_text or ft.description
    if description or ft.attachments:
        comments.append(Comment(id=f"{ft.id}-description", body=description or "", created_at=ft.created_at,
                                attachments=ft.attachments, author=Author(id=_text(ft.requester_id), role="customer")))
    comments += [
        Comment(id=str(c.id), body=c.body_text if c.body_text is not None else c.body or "", public=not c.private,
                created_at=c.created_at, attachments=c.attachments,
                author=Author(id=_text(c.user_id), role=conversation_role(
                    private=c.private, incoming=c.incoming, user_id=c.user_id, requester_id=ft.requester_id)))
        for c in conversations
    ]
    return comments


def from_freshdesk_app(data: Any) -> Converted:
    body = _validate(FreshdeskAppBody, data, "Freshdesk app payload")
    ft = body.ticket
    assignee = Person(id=_text(ft.responder_id)) if ft.responder_id is not None else None
    ticket = Ticket(id=str(ft.id), subject=ft.subject or "", type=ft.type, tags=ft.tags,
                    status=FRESHDESK_STATUS.get(ft.status or 0, _text(ft.status)),
                    priority=FRESHDESK_PRIORITY.get(ft.priority or 0, _text(ft.priority)),
                    group=_text(ft.group_id), created_at=ft.created_at, assignee=assignee,
                    requester=Person(id=_text(ft.requester_id)) if ft.requester_id is not None else None,
                    comments=_fd_thread(ft, body.conversations))
    public = not body.reply.private
    author = Author(id=_text(body.agent.id), name=body.agent.contact.name, email=body.agent.contact.email, role="agent")
    draft = Draft(body=body.reply.body_text, public=public, kind=_kind_for(body.reply.body_text, public), author=author)
    return Converted(CheckRequest(ticket=ticket, draft=draft))


# --- Zendesk webhook (event: ticket.comment_added) -------------------------------------------

ZENDESK_COMMENT_ADDED = "zen:event-type:ticket.comment_added"


class _ZwAuthor(_Body):
    id: Id | None = None
    name: str | None = None
    is_staff: bool = False


class _ZwComment(_Body):
    id: Id
    body: str
    is_public: bool = True
    author: _ZwAuthor = Field(default_factory=_ZwAuthor)


class _ZwEvent(_Body):
    comment: _ZwComment | None = None


class _ZwDetail(_Body):
    id: Id
    subject: str | None = None
    status: str | None = None
    priority: str | None = None
    type: str | None = None
    tags: list[str] | None = None
    assignee_id: Id | None = None
    group_id: Id | None = None
    requester_id: Id | None = None
    created_at: datetime | None = None


class ZendeskWebhookBody(_Body):
    """A Zendesk event webhook body (``zen:event-type:ticket.*``)."""

    type: str
    id: str | None = None
    detail: _ZwDetail | None = None
    event: _ZwEvent = Field(default_factory=_ZwEvent)


def from_zendesk_webhook(data: Any, invocation_id: str | None) -> Converted:
    body = _validate(ZendeskWebhookBody, data, "Zendesk webhook event")
    delivery = invocation_id or body.id
    if body.type != ZENDESK_COMMENT_ADDED:
        return Converted(None, delivery, ignored=f"event type {body.type} is not linted (only {ZENDESK_COMMENT_ADDED})")
    comment = body.event.comment
    if comment is None or body.detail is None:
        problems = [Pointed("/event/comment" if comment is None else "/detail", "required for ticket.comment_added")]
        raise HTTPProblem(400, "invalid Zendesk webhook event: a comment_added event needs detail and "
                               "event.comment", problems)
    if not comment.author.is_staff:
        return Converted(None, delivery, ignored="the comment is from an end user; holdthread lints agents' notes")
    detail = body.detail
    assignee = Person(id=_text(detail.assignee_id)) if detail.assignee_id is not None else None
    ticket = Ticket(id=str(detail.id), subject=detail.subject or "", status=detail.status, priority=detail.priority,
                    type=detail.type, tags=detail.tags or [], group=_text(detail.group_id), assignee=assignee,
                    created_at=detail.created_at,
                    requester=Person(id=_text(detail.requester_id)) if detail.requester_id is not None else None)
    author = Author(id=_text(comment.author.id), name=comment.author.name, role="agent")
    draft = Draft(body=comment.body, public=comment.is_public, kind=_kind_for(comment.body, comment.is_public),
                  author=author)
    return Converted(CheckRequest(ticket=ticket, draft=draft), delivery)


# --- Intercom webhook (conversation parts) ---------------------------------------------------

INTERCOM_LINTED_PARTS = ("note", "comment")


class _IcAuthor(_Body):
    type: str = "user"
    id: Id | None = None
    name: str | None = None
    email: str | None = None


class _IcPart(_Body):
    id: Id | None = None
    part_type: str = "comment"
    body: str | None = None
    created_at: datetime | None = None
    author: _IcAuthor = Field(default_factory=_IcAuthor)
    attachments: Files = []


class _IcParts(_Body):
    conversation_parts: list[_IcPart] = []


class _IcSource(_Body):
    id: Id | None = None
    body: str | None = None
    author: _IcAuthor = Field(default_factory=_IcAuthor)
    attachments: Files = []


class _IcTag(_Body):
    name: str


class _IcTags(_Body):
    tags: list[_IcTag] = []


class _IcConversation(_Body):
    type: str = "conversation"
    id: Id
    title: str | None = None
    state: str | None = None
    priority: str | None = None
    created_at: datetime | None = None
    admin_assignee_id: Id | None = None
    team_assignee_id: Id | None = None
    tags: _IcTags = Field(default_factory=_IcTags)
    source: _IcSource | None = None
    conversation_parts: _IcParts = Field(default_factory=_IcParts)


class _IcData(_Body):
    item: _IcConversation


class IntercomWebhookBody(_Body):
    """An Intercom ``notification_event`` about a conversation."""

    type: str = "notification_event"
    id: str | None = None
    topic: str
    data: _IcData | None = None

    @field_validator("topic")
    @classmethod
    def _topic(cls, value: str) -> str:
        return value.strip()


def _intercom_author(author: _IcAuthor) -> Author:
    return Author(id=_text(author.id), name=author.name, email=author.email,
                  role=INTERCOM_ROLES.get(author.type, "customer"))


def from_intercom_webhook(data: Any) -> Converted:
    body = _validate(IntercomWebhookBody, data, "Intercom webhook")
    if body.data is None or not body.topic.startswith("conversation."):
        return Converted(None, body.id, ignored=f"topic {body.topic} is not about a conversation's notes")
    conversation = body.data.item
    # A part with only attachments (a customer's screenshot) stays in the thread; only a part
    # with words can be the note to lint.
    parts = [p for p in conversation.conversation_parts.conversation_parts
             if p.part_type in INTERCOM_LINTED_PARTS and (p.body or p.attachments)]
    target_index = next((i for i in range(len(parts) - 1, -1, -1)
                         if parts[i].author.type == "admin" and parts[i].body), None)
    if target_index is None:
        return Converted(None, body.id, ignored="the webhook carries no note or comment written by an admin")
    thread: list[Comment] = []
    source = conversation.source
    if source is not None and (source.body or source.attachments):
        thread.append(Comment(id=str(source.id or f"{conversation.id}-source"), body=source.body or "",
                              created_at=conversation.created_at, attachments=source.attachments,
                              author=_intercom_author(source.author)))
    thread += [
        Comment(id=str(p.id or f"{conversation.id}-{i}"), body=p.body or "", public=p.part_type == "comment",
                created_at=p.created_at, attachments=p.attachments, author=_intercom_author(p.author))
        for i, p in enumerate(parts[:target_index])
    ]
    target = parts[target_index]
    assignee = Person(id=_text(conversation.admin_assignee_id)) if conversation.admin_assignee_id is not None else None
    ticket = Ticket(id=str(conversation.id), subject=conversation.title or "", status=conversation.state,
                    priority=conversation.priority, tags=[t.name for t in conversation.tags.tags],
                    group=_text(conversation.team_assignee_id), created_at=conversation.created_at,
                    assignee=assignee, comments=thread)
    public = target.part_type == "comment"
    # An assignment part is the handoff itself: its assignee is the new owner it names.
    new_owner = assignee if target.part_type == "assignment" else None
    draft = Draft(body=target.body or "", public=public, kind=_kind_for(target.body or "", public, new_owner),
                  author=_intercom_author(target.author), assignee=new_owner)
    return Converted(CheckRequest(ticket=ticket, draft=draft), body.id)


# --- django-helpdesk webhook (follow-up added) -----------------------------------------------


class _DhFollowUp(_Body):
    id: int
    user: Id | None = None
    comment: str | None = None
    public: bool = False


class _DhTicket(_Body):
    id: int
    followup_set: list[_DhFollowUp] = []


class DjangoHelpdeskBody(_Body):
    """What django-helpdesk posts to ``HELPDESK_FOLLOWUP_WEBHOOK_URLS`` (the fields checked here)."""

    ticket: _DhTicket
    queue_slug: str | None = None
    followup_id: int | None = None


def _as_pointer(path: str | None) -> str:
    """A JSON path such as ``$.ticket.followup_set[0].id`` as ``/ticket/followup_set/0/id``."""
    return (path or "$").lstrip("$").replace("[", ".").replace("]", "").replace(".", "/")


def from_django_helpdesk(data: Any) -> Converted:
    """The staff follow-up named by ``followup_id`` is the draft; the description and earlier
    follow-ups are its thread. The ticket mapping is the django-helpdesk source plugin's, so a
    webhook and an export of the same ticket read the same."""
    from holdthread.plugins._export import RecordError
    from holdthread.plugins.django_helpdesk import DjangoHelpdeskSource

    body = _validate(DjangoHelpdeskBody, data, "django-helpdesk webhook")
    dt = body.ticket
    if body.followup_id is None:
        return Converted(None, f"django-helpdesk:{dt.id}:new", ignored="a new-ticket webhook has no follow-up to lint")
    delivery = f"django-helpdesk:{dt.id}:{body.followup_id}"
    target = next((f for f in dt.followup_set if f.id == body.followup_id), None)
    if target is None:
        raise HTTPProblem(400, f"follow-up {body.followup_id} is not in ticket.followup_set",
                          [Pointed("/followup_id", "no follow-up with this id in /ticket/followup_set")])
    if not (target.comment or "").strip():
        return Converted(None, delivery, ignored="the follow-up has no comment text")
    if target.user is None:
        return Converted(None, delivery, ignored="the follow-up came from the customer (no staff user)")
    try:
        mapped = DjangoHelpdeskSource().convert(data)
        ticket = Ticket.model_validate(mapped)
    except RecordError as exc:
        raise HTTPProblem(400, f"invalid django-helpdesk webhook: {exc.message}",
                          [Pointed(_as_pointer(exc.path), exc.message)]) from None
    except ValidationError as exc:
        problems = validation_pointers(exc)
        raise HTTPProblem(400, f"invalid django-helpdesk webhook: {problems[0].message}", problems) from None
    index = next(i for i, c in enumerate(ticket.comments) if c.id == str(target.id))
    note = ticket.comments[index]
    ticket = ticket.model_copy(update={"comments": ticket.comments[:index], "group": body.queue_slug or ticket.group})
    draft = Draft(body=note.body, public=note.public, kind=_kind_for(note.body, note.public), author=note.author)
    return Converted(CheckRequest(ticket=ticket, draft=draft), delivery)
