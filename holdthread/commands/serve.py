"""``holdthread serve`` (the pre-submit service) and ``holdthread scores`` (QA scores from it).

Secrets are never options: the service reads them from ``HOLDTHREAD_<NAME>`` or
``HOLDTHREAD_<NAME>_FILE`` (docs/service.md has the table), so they stay out of ``ps`` output and
shell history.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click

from holdthread.linter.errors import HoldthreadError
from holdthread.linter.policy import load_policy
from holdthread.linter.qa import ScoreRow, ticket_link, write_scores_csv
from holdthread.linter.registry import default_registry
from holdthread.linter.scoring import passed
from holdthread.server.credentials import SECRET_NAMES, CredentialError, load_secrets
from holdthread.server.settings import DEFAULT_STORE, ServerSettings

EXIT_ERROR = 2
_DURATION = re.compile(r"^(\d+)([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def _fail(message: str) -> None:
    click.echo(f"holdthread: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


@click.command()
@click.option("--policy", "policy", help="Policy file or preset name (default: holdthread.yaml upwards, "
                                         "else 'recommended').")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8787, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes; each loads the policy and spaCy pipeline once.")
@click.option("--store", default=DEFAULT_STORE, show_default=True,
              help="SQLAlchemy URL of the findings store (e.g. postgresql+psycopg://host/db).")
@click.option("--max-body-bytes", default=256 * 1024, show_default=True, type=click.IntRange(1024),
              help="Largest request body accepted (413 beyond it).")
@click.option("--max-inflight", default=16, show_default=True, type=click.IntRange(1),
              help="Checks one worker queues or runs at once (503 with Retry-After beyond it).")
@click.option("--watch-interval", default=2.0, show_default=True, type=click.FloatRange(0),
              help="Seconds between checks for a changed policy file; 0 reloads on SIGHUP only.")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
def serve(policy: str | None, host: str, port: int, workers: int, store: str, max_body_bytes: int,
          max_inflight: int, watch_interval: float, log_level: str) -> None:
    """Run the pre-submit service that helpdesks call before a note is saved.

    Endpoints: POST /v1/check, /v1/zendesk/check, /v1/freshdesk/check, /v1/zendesk/webhook,
    /v1/intercom/webhook, /v1/django-helpdesk/webhook, /v1/feedback; GET /healthz, /readyz, /metrics.
    SIGHUP (or a change to the policy file) reloads the policy; an invalid one is logged and
    the old one kept. Secrets come from HOLDTHREAD_<NAME> or HOLDTHREAD_<NAME>_FILE only.
    """
    from holdthread.server.store import FindingsStore
    from holdthread.server.supervisor import run

    try:
        loaded = load_policy(policy, default_registry())
    except HoldthreadError as exc:
        _fail(f"the policy cannot be served:\n{exc}")
    try:
        configured = load_secrets()
    except CredentialError as exc:
        _fail(str(exc))
    if not configured:
        names = ", ".join(f"HOLDTHREAD_{n}" for n in SECRET_NAMES)
        click.echo(f"holdthread: warning: no secrets set ({names}); every endpoint will answer 401", err=True)
    try:
        FindingsStore(store).create()
    except Exception as exc:
        _fail(f"cannot open the findings store {store.split('@')[-1]}: {type(exc).__name__}: {exc}")
    settings = ServerSettings(policy=policy, store=store, max_body_bytes=max_body_bytes,
                              max_inflight=max_inflight, watch_interval=watch_interval)
    click.echo(f"holdthread: serving {' <- '.join(reversed(loaded.sources))} on http://{host}:{port} "
               f"with {workers} worker(s)", err=True)
    run(settings, host=host, port=port, workers=workers, log_level=log_level)


def parse_since(value: str, now: datetime | None = None) -> datetime:
    """``7d``, ``12h``, ``30m``, ``2w`` ago, or an ISO date or time (UTC when no zone is given)."""
    now = now or datetime.now(UTC)
    match = _DURATION.match(value.strip())
    if match:
        return now - timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r}: use a duration like 7d, 12h, 30m or an ISO date like 2026-11-01") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def latest_per_ticket(rows: Iterator[dict[str, Any]]) -> list[dict[str, Any]]:
    """The newest complete check of each ticket by each agent (timed-out checks carry no score).

    A check lints one agent's draft, so its score is that agent's, as in an audit's scores.csv.
    """
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        if not row["timed_out"]:
            latest[row["ticket_id"], row["agent"]] = row
    return sorted(latest.values(), key=lambda r: (r["received_at"], r["id"]))


@click.command()
@click.option("--store", required=True, help="SQLAlchemy URL of the findings store the service writes.")
@click.option("--since", default="7d", show_default=True, help="Only checks received since: 7d, 24h, or an ISO date.")
@click.option("--out", "out", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              default=Path("scores.csv"), show_default=True, help="Where to write the CSV; - prints it.")
@click.option("--policy", "policy", help="Policy whose rubric (pass mark, rules) the scores follow.")
def scores(store: str, since: str, out: Path, policy: str | None) -> None:
    """Write scores.csv from live traffic: one row per ticket and agent, as `holdthread audit` writes it."""
    from holdthread.server.store import FindingsStore

    cutoff = parse_since(since)
    registry = default_registry()
    try:
        loaded = load_policy(policy, registry)
    except HoldthreadError as exc:
        _fail(str(exc))
    try:
        rows = latest_per_ticket(FindingsStore(store).rows(cutoff))
    except Exception as exc:
        _fail(f"cannot read the findings store {store.split('@')[-1]}: {type(exc).__name__}: {exc}")
    template = loaded.data.get("ticket_url")
    score_rows = [
        ScoreRow(
            ticket_id=row["ticket_id"], ticket_url=ticket_link(template, row["ticket_id"]), agent=row["agent"],
            team=row["team"], created_at=row["ticket_created_at"], score=row["score"],
            passed=passed(row["score"], loaded.scoring), verdict=row["verdict"],
            findings=sum(int(v) for v in (row["counts"] or {}).values()),
        )
        for row in rows
    ]
    if str(out) == "-":
        write_scores_csv(score_rows, sys.stdout)
        return
    with out.open("w", encoding="utf-8", newline="") as stream:
        written = write_scores_csv(score_rows, stream)
    click.echo(f"Wrote {written} ticket scores since {cutoff.isoformat(timespec='minutes')} to {out}.", err=True)
