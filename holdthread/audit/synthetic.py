"""Realistic generic-JSONL ticket exports, generated from templates with a seeded random source.

Benchmarks (``benchmarks/audit.py``) and the audit tests need exports of any size that look like
a real helpdesk's history: customers describing problems, agents replying, and handoffs where a
ticket changes group or assignee with an internal note around the change. Writing them here, once,
keeps the benchmark and the tests reading the same shapes. The text varies from templates so
rules fire on some tickets and not on others, as they would on real data.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

PRODUCTS = (
    "CSV export",
    "invoice PDF",
    "SSO login",
    "mobile app sync",
    "webhook delivery",
    "bulk import",
    "billing portal",
)
ERRORS = (
    "a 500 error",
    "a blank page",
    "error code E-4012",
    "a timeout after 30 seconds",
    "duplicated rows",
    "an expired-link message",
)
GROUPS = ("Tier 1", "Tier 2", "Billing", "Engineering", "Onboarding")
AGENTS = (
    "Priya Natarajan",
    "Marco Bellini",
    "Aiko Tanaka",
    "Sam O'Connor",
    "Lena Fischer",
    "Tomás Ortega",
    "Grace Okafor",
    "Jonas Berg",
)
CUSTOMERS = ("Dana Whitfield", "Rahul Mehta", "Sofia Lindqvist", "Kwame Mensah", "Claire Dubois", "Yuki Sato")
TYPES = ("problem", "question", "incident", "task")

OPENERS = (
    "Hi, since this morning the {product} shows {error} for our whole team. Order number {order}. "
    "Steps: open Reports, choose last month, click Export. Expected a file, got {error}.",
    "Hello support, the {product} has been failing with {error} since yesterday. Our account is {account}.",
    "Our {product} stopped working, we just see {error}. This blocks month-end for {count} users.",
)
CUSTOMER_FOLLOWUPS = (
    "Any update? The {product} still shows {error}.",
    "As I said before, order {order} is affected and we still get {error} when we use the {product}.",
    "Thanks, I tried clearing the cache as suggested but the {product} still fails.",
    "Attaching a screenshot. It happens in Chrome and Firefox.",
)
AGENT_REPLIES = (
    "Thanks {customer}, I can reproduce {error} on the {product} and I'm checking the logs now.",
    "Could you send me your order number so I can look this up?",
    "I have passed this to our {group} team, who own the {product}; they will reply here by {day}.",
    "Sorry for the trouble. Please try again in a private window and tell me if {error} appears.",
)
HANDOFF_NOTES = (
    "Escalating to {group}: {product} returns {error} for account {account} since {day}. "
    "Repro: Reports > last month > Export. Expected CSV, got {error}. Owner: {agent}, next update {day}.",
    "Handing over to {agent} in {group}. Customer on account {account}; {product} fails with {error}. "
    "Already tried cache clear and private window. Next step: check the export worker logs.",
    "customer says {product} doesn't work, pls check asap",
    "Moving to {group}, seems like some issue with the {product}, not sure what's going on.",
)
HTML_WRAP = "<p>{text}</p><p>Kind regards,<br>{name}</p>"


def _fill(rng: random.Random, template: str, **known: str) -> str:
    values = {
        "product": rng.choice(PRODUCTS),
        "error": rng.choice(ERRORS),
        "group": rng.choice(GROUPS),
        "agent": rng.choice(AGENTS),
        "customer": rng.choice(CUSTOMERS),
        "order": f"#{rng.randint(100000, 999999)}",
        "account": f"ACME-{rng.randint(1000, 9999)}",
        "count": str(rng.randint(3, 400)),
        "day": rng.choice(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")),
    }
    values.update(known)
    return template.format(**values)


def ticket(rng: random.Random, number: int, *, comments: int = 8, start: datetime | None = None) -> dict[str, Any]:
    """One ticket in the generic shape, with about ``comments`` comments and one or two handoffs."""
    created = (start or datetime(2026, 6, 1, tzinfo=UTC)) + timedelta(minutes=rng.randint(0, 60 * 24 * 120))
    customer = rng.choice(CUSTOMERS)
    group = rng.choice(GROUPS)
    agent = rng.choice(AGENTS)
    known = {"product": rng.choice(PRODUCTS), "error": rng.choice(ERRORS)}
    thread: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    at = created

    def add(role: str, name: str, body: str, *, public: bool, kind: str | None = None) -> None:
        nonlocal at
        at += timedelta(minutes=rng.randint(5, 600))
        comment: dict[str, Any] = {
            "id": f"{number}-{len(thread) + 1}",
            "author": {"role": role, "name": name},
            "public": public,
            "created_at": at.isoformat(),
            "body": body,
        }
        if kind:
            comment["kind"] = kind
        thread.append(comment)

    add("customer", customer, _fill(rng, rng.choice(OPENERS), **known), public=True)
    handoffs = rng.choice((1, 1, 2))
    handoff_at = sorted(rng.sample(range(2, max(3, comments - 1)), k=min(handoffs, max(1, comments - 3))))
    while len(thread) < comments:
        position = len(thread)
        if handoff_at and position == handoff_at[0]:
            handoff_at.pop(0)
            new_group = rng.choice([g for g in GROUPS if g != group])
            new_agent = rng.choice([a for a in AGENTS if a != agent])
            kind = rng.choice(("escalation", "handoff", None))
            add(
                "agent",
                agent,
                _fill(rng, rng.choice(HANDOFF_NOTES), group=new_group, agent=new_agent, **known),
                public=False,
                kind=kind,
            )
            events.append(
                {"type": "group_change", "at": at.isoformat(), "from": group, "to": new_group, "actor": agent}
            )
            events.append(
                {"type": "assignee_change", "at": at.isoformat(), "from": agent, "to": new_agent, "actor": agent}
            )
            group, agent = new_group, new_agent
        elif position % 2 == 1:
            body = _fill(rng, rng.choice(AGENT_REPLIES), customer=customer, group=group, **known)
            if rng.random() < 0.2:
                body = HTML_WRAP.format(text=body, name=agent)
            add("agent", agent, body, public=True)
        else:
            add("customer", customer, _fill(rng, rng.choice(CUSTOMER_FOLLOWUPS), **known), public=True)
    return {
        "id": f"T-{number}",
        "subject": f"{known['product']} shows {known['error']}",
        "type": rng.choice(TYPES),
        "status": rng.choice(("open", "pending", "solved")),
        "tags": rng.sample(["export", "sso", "vip", "billing", "mobile"], k=2),
        "group": group,
        "created_at": created.isoformat(),
        "requester": {"name": customer},
        "assignee": {"name": agent},
        "comments": thread,
        "events": events,
    }


def tickets(count: int, *, seed: int = 7, comments: int = 8, first: int = 1) -> Iterator[dict[str, Any]]:
    """``count`` tickets, the same for the same seed."""
    rng = random.Random(seed)
    for number in range(first, first + count):
        yield ticket(rng, number, comments=comments)


def write_jsonl(path: Path, count: int, *, seed: int = 7, comments: int = 8) -> Path:
    """Write a generic JSONL export of ``count`` tickets (streamed: memory stays flat)."""
    with path.open("w", encoding="utf-8") as out:
        for item in tickets(count, seed=seed, comments=comments):
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path
