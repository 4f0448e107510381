"""owner-bounce: a ticket passed through too many owners or teams."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import Field

from holdthread.linter.history import utc
from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.models import Event, Evidence
from holdthread.linter.rule import Finding, Options, Rule, RuleContext, Targets

_LABELS = {"assignee_change": "owner", "group_change": "group"}
#: Values helpdesks use for "nobody": not an owner or group.
_NOBODY = frozenset({"", "none", "null", "unassigned", "nobody", "0", "-", "n/a"})


class OwnerBounceOptions(Options):
    min_distinct: int = Field(
        default=3,
        ge=2,
        description="Fire when the ticket had at least this many distinct owners, or this many distinct groups.",
    )
    count_owners: bool = Field(default=True, description="Count assignee (owner) changes.")
    count_groups: bool = Field(default=True, description="Count group (team, queue) changes.")


def distinct_holders(events: Sequence[Event], event_type: str, current: str | None) -> list[str]:
    """Every owner (or group) the ticket had, in order of first appearance, unassigned left out.

    Names are compared without case or surrounding spaces ("lee park" is "Lee Park").
    """
    holders: dict[str, str] = {}
    for event in events:
        if event.type != event_type:
            continue
        for value in (event.from_, event.to):
            key = (value or "").strip().casefold()
            if key not in _NOBODY and key not in holders:
                holders[key] = (value or "").strip()
    if current and not holders and current.strip().casefold() not in _NOBODY:
        holders[current.strip().casefold()] = current.strip()
    return list(holders.values())


def describe(event: Event) -> str:
    """An event as one line of evidence: when, what moved, from where to where, by whom."""
    when = utc(event.at).strftime("%Y-%m-%d %H:%M UTC") if event.at is not None else "time unknown"
    label = _LABELS.get(event.type, event.type)
    by = f" (by {event.actor})" if event.actor else ""
    return f"{when}: {label} {event.from_ or 'unassigned'} → {event.to or 'unassigned'}{by}"


class OwnerBounce(Rule[OwnerBounceOptions]):
    id = "owner-bounce"
    summary = "The ticket passed through too many owners or teams (3 or more by default): it is bouncing."
    default_severity = "warning"
    needs = frozenset()
    scope = "ticket"
    targets = Targets(authors=["agent", "customer", "system", "bot"])
    Options = OwnerBounceOptions
    doc = """
        ## What it does
        Reads the ticket's history of owner and group changes (`assignee_change` and
        `group_change` events: Zendesk audit `Change` events on `assignee_id` / `group_id`,
        Intercom assignments, Freshdesk activities, CSV group and assignee columns) and fires
        when the ticket has had at least `min_distinct` distinct owners, or at least
        `min_distinct` distinct groups. Unassigned is not an owner. The evidence lists every
        change, with its time and who made it.

        ## Why it matters
        Each transfer costs the customer a wait and a re-read of the thread, and each new owner
        starts with less context than the last. Tickets that bounce between queues are where
        the thread gets lost: QA leads use this rule to find the queues and routing rules that
        bounce tickets, not to blame the last agent.

        ## Example
        ```text
        10:02 group Tier 1 → Tier 2
        11:40 group Tier 2 → Billing
        14:15 owner Priya → Marco
        ```

        ## Use instead
        ```text
        10:02 group Tier 1 → Billing (routed by the "invoice" trigger, one owner: Marco)
        ```

        ## How to fix
        Route on the first touch: fix the trigger or the intake form that sends these tickets
        to the wrong queue, and hand over once, with a note that names the next owner. Raise
        `min_distinct` for teams where a three-step path (Tier 1 → Tier 2 → engineering) is
        the designed route.
    """

    def check(self, context: RuleContext) -> Iterator[Finding]:
        ticket = context.ticket
        options = self.options
        counted: list[tuple[str, list[str]]] = []
        if options.count_groups:
            counted.append(("groups", distinct_holders(ticket.events, "group_change", ticket.group)))
        if options.count_owners:
            current = ticket.assignee.name or ticket.assignee.id if ticket.assignee else None
            counted.append(("owners", distinct_holders(ticket.events, "assignee_change", current)))
        bounced = [(what, holders) for what, holders in counted if len(holders) >= options.min_distinct]
        if not bounced:
            return
        summary = "; ".join(f"{len(holders)} {what} ({' → '.join(holders)})" for what, holders in bounced)
        relevant = {"groups": "group_change", "owners": "assignee_change"}
        types = {relevant[what] for what, _ in bounced}
        evidence = [
            Evidence(comment_id=None, start=0, end=0, text=describe(e)) for e in ticket.events if e.type in types
        ]
        yield Finding(
            0,
            len(context.text),
            f"The ticket bounced: it passed through {summary}.",
            "Find why it was routed this way (trigger, intake form, skills) and hand over once, to a named owner.",
            evidence,
        )


@hookimpl
def holdthread_rules() -> list[type[Rule]]:
    return [OwnerBounce]
