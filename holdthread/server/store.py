"""The findings store: every check and webhook result, in any SQLAlchemy database.

SQLite (a file) by default; PostgreSQL or MySQL for teams that run one, by URL. Rows hold who,
what verdict, what score and which rules fired, never the note's text: note bodies and the quoted
text of findings are stored only when the policy says ``store: {include_bodies: true}``.

Delivery ids live in their own table with a primary key, so a webhook delivered twice (to two
workers at once, even) is claimed by exactly one of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError, OperationalError

from holdthread.linter.models import Report

metadata = MetaData()

checks = Table(
    "holdthread_checks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("received_at", DateTime(timezone=True), nullable=False, index=True),
    Column("source", String(40), nullable=False),
    Column("delivery_id", String(255)),
    Column("ticket_id", String(255), nullable=False, index=True),
    Column("agent", String(255), nullable=False, default=""),
    Column("team", String(255), nullable=False, default=""),
    Column("ticket_created_at", String(40), nullable=False, default=""),
    Column("verdict", String(8), nullable=False),
    Column("score", Integer, nullable=False),
    Column("timed_out", Boolean, nullable=False, default=False),
    Column("counts", JSON, nullable=False),
    Column("annotations", JSON, nullable=False),
    Column("body", Text),
    Column("policy", String(64), nullable=False, default=""),
)

deliveries = Table(
    "holdthread_deliveries",
    metadata,
    Column("delivery_id", String(255), primary_key=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

#: Annotation fields kept when bodies are not stored: where and what, never the quoted text.
LOCATION_FIELDS = ("rule", "severity", "comment_id", "start", "end", "line", "column")


@dataclass(frozen=True)
class CheckRecord:
    """One result to record; ``body`` is None unless the policy asks for bodies."""

    source: str
    ticket_id: str
    report: Report
    timed_out: bool
    agent: str = ""
    team: str = ""
    ticket_created_at: str = ""
    delivery_id: str | None = None
    body: str | None = None
    policy: str = ""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets several workers read while one writes; a busy timeout makes them wait, not fail."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def rows_since(engine: Engine, table: Table, since: datetime | None = None) -> Iterator[dict[str, Any]]:
    """Rows of a store table with ``received_at`` and ``id`` columns, oldest first, optionally since a moment."""
    query = select(table).order_by(table.c.received_at, table.c.id)
    if since is not None:
        query = query.where(table.c.received_at >= since)
    with engine.connect() as connection:
        for row in connection.execute(query):
            yield dict(row._mapping)


class FindingsStore:
    """Writes check results and claims delivery ids; reads rows back for ``holdthread scores``."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)

    def create(self) -> None:
        """Create the tables if missing (several workers may race here; the loser retries)."""
        try:
            metadata.create_all(self.engine)
        except OperationalError:
            metadata.create_all(self.engine)

    def claim(self, delivery_id: str) -> bool:
        """True the first time a delivery id is seen, False for a repeated delivery."""
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(deliveries).values(delivery_id=delivery_id, received_at=datetime.now(UTC)))
        except IntegrityError:
            return False
        return True

    def unclaim(self, delivery_id: str) -> None:
        """Forget a claim whose processing failed, so the helpdesk's retry is processed."""
        with self.engine.begin() as connection:
            connection.execute(delete(deliveries).where(deliveries.c.delivery_id == delivery_id))

    def record(self, item: CheckRecord, *, include_bodies: bool) -> None:
        annotations = [
            a.model_dump(mode="json") if include_bodies else a.model_dump(mode="json", include=set(LOCATION_FIELDS))
            for a in item.report.annotations
        ]
        with self.engine.begin() as connection:
            connection.execute(insert(checks).values(
                received_at=datetime.now(UTC), source=item.source, delivery_id=item.delivery_id,
                ticket_id=item.ticket_id, agent=item.agent, team=item.team,
                ticket_created_at=item.ticket_created_at, verdict=item.report.verdict, score=item.report.score,
                timed_out=item.timed_out, counts=item.report.counts(), annotations=annotations,
                body=item.body if include_bodies else None, policy=item.policy,
            ))

    def rows(self, since: datetime | None = None) -> Iterator[dict[str, Any]]:
        """Recorded checks, oldest first, optionally since a moment."""
        return rows_since(self.engine, checks, since)

    def close(self) -> None:
        self.engine.dispose()
