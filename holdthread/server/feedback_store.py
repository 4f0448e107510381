"""The findings store's feedback tables: every finding shown to an agent, and what agents said.

``holdthread_findings`` has one row per finding in a service answer: its stable id, rule,
severity, the kind of note it was on, the agent and the policy digest. ``holdthread_feedback``
has one row per "Not right?", "useful" or "Save anyway" an agent sent, with the same facts
copied from the finding, so the report needs no join. No note text is stored in either: the
finding's quoted text never, the agent's reason only when the policy's ``store.include_bodies``
is true (a reason can quote the note).

The tables live in :data:`holdthread.server.store.metadata`, so ``FindingsStore.create()``
creates them with the others.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Engine, Integer, String, Table, Text, insert, inspect, select

from holdthread.server.store import metadata, rows_since

findings = Table(
    "holdthread_findings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("finding_id", String(40), nullable=False, index=True),
    Column("received_at", DateTime(timezone=True), nullable=False, index=True),
    Column("source", String(40), nullable=False),
    Column("ticket_id", String(255), nullable=False),
    Column("rule", String(255), nullable=False),
    Column("severity", String(8), nullable=False),
    Column("kind", String(16), nullable=False, default=""),
    Column("agent", String(255), nullable=False, default=""),
    Column("policy", String(64), nullable=False, default=""),
)

feedback = Table(
    "holdthread_feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("received_at", DateTime(timezone=True), nullable=False, index=True),
    Column("finding_id", String(40), nullable=False, index=True),
    Column("verdict", String(16), nullable=False),
    Column("rule", String(255), nullable=False),
    Column("kind", String(16), nullable=False, default=""),
    Column("agent", String(255), nullable=False, default=""),
    Column("policy", String(64), nullable=False, default=""),
    Column("ticket_id", String(255), nullable=False),
    Column("reason", Text),
)


@dataclass(frozen=True)
class ShownFinding:
    """A finding as an answer showed it, without its text; ``agent`` wrote the note it is on."""

    finding_id: str
    ticket_id: str
    rule: str
    severity: str
    kind: str
    agent: str


class FeedbackStore:
    """Records shown findings and agents' feedback on them; reads both back for the report."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record_findings(self, shown: Sequence[ShownFinding], *, source: str, policy: str) -> None:
        if not shown:
            return
        now = datetime.now(UTC)
        rows = [
            {
                "finding_id": f.finding_id,
                "received_at": now,
                "source": source,
                "ticket_id": f.ticket_id,
                "rule": f.rule,
                "severity": f.severity,
                "kind": f.kind,
                "agent": f.agent,
                "policy": policy,
            }
            for f in shown
        ]
        with self.engine.begin() as connection:
            connection.execute(insert(findings), rows)

    def find(self, finding_id: str) -> dict[str, Any] | None:
        """The latest showing of a finding, or None for an id no answer ever carried."""
        query = (
            select(findings)
            .where(findings.c.finding_id == finding_id)
            .order_by(findings.c.received_at.desc(), findings.c.id.desc())
            .limit(1)
        )
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return dict(row._mapping) if row is not None else None

    def record_feedback(self, finding: dict[str, Any], verdict: str, reason: str | None) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                insert(feedback).values(
                    received_at=datetime.now(UTC),
                    finding_id=finding["finding_id"],
                    verdict=verdict,
                    rule=finding["rule"],
                    kind=finding["kind"],
                    agent=finding["agent"],
                    policy=finding["policy"],
                    ticket_id=finding["ticket_id"],
                    reason=reason,
                )
            )

    def _rows(self, table: Table, since: datetime | None) -> Iterator[dict[str, Any]]:
        if not inspect(self.engine).has_table(table.name):
            return iter(())  # a store the service has not written feedback tables to yet: nothing recorded
        return rows_since(self.engine, table, since)

    def findings_since(self, since: datetime | None = None) -> Iterator[dict[str, Any]]:
        return self._rows(findings, since)

    def feedback_since(self, since: datetime | None = None) -> Iterator[dict[str, Any]]:
        return self._rows(feedback, since)
