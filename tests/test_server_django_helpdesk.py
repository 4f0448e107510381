"""End to end with a real helpdesk: django-helpdesk's own code posts its follow-up webhook to a
running `holdthread serve`, which lints the internal note and records it in the findings store.

django-helpdesk runs in this test process on a throwaway SQLite database; its webhook URL
(HELPDESK_FOLLOWUP_WEBHOOK_URLS) carries the shared token, as docs/service.md tells admins to do.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from server_helpers import DJANGO_TOKEN, VAGUE_ESCALATION, ServerProcess

django = pytest.importorskip("django")
pytest.importorskip("helpdesk")


def _configure_django(database: Path) -> None:
    from django.conf import settings

    if settings.configured:
        return
    urls = types.ModuleType("holdthread_test_helpdesk_urls")
    sys.modules[urls.__name__] = urls
    settings.configure(
        SECRET_KEY="holdthread-tests-only", USE_TZ=True, SITE_ID=1, ROOT_URLCONF=urls.__name__, MIDDLEWARE=[],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(database)}},
        INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
                        "django.contrib.sites", "django.contrib.messages", "django.contrib.humanize",
                        "django.contrib.admin", "rest_framework", "helpdesk"],
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        # Teams need the pinax-teams app; a helpdesk without teams is the simpler install.
        HELPDESK_TEAMS_MODE_ENABLED=False,
    )
    django.setup()
    from django.urls import include, path

    urls.urlpatterns = [path("helpdesk/", include("helpdesk.urls", namespace="helpdesk"))]  # type: ignore[attr-defined]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path_factory.mktemp("dh-serve"))
    yield process
    process.stop()


def _recorded(server: ServerProcess, ticket_id: str) -> list[dict[str, Any]]:
    path = server.store.removeprefix("sqlite:///")
    for _ in range(100):
        with sqlite3.connect(path) as db:
            db.row_factory = sqlite3.Row
            found = [dict(r) for r in db.execute("SELECT * FROM holdthread_checks WHERE ticket_id = ?", (ticket_id,))]
        if found:
            return found
        time.sleep(0.05)
    return []


def test_internal_followup_is_linted_and_recorded(service: ServerProcess, tmp_path_factory: pytest.TempPathFactory,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _configure_django(tmp_path_factory.mktemp("helpdesk") / "helpdesk.sqlite3")
    from django.contrib.auth import get_user_model
    from helpdesk.models import FollowUp, Queue, Ticket
    from helpdesk.update_ticket import update_ticket

    monkeypatch.setenv("HELPDESK_FOLLOWUP_WEBHOOK_URLS",
                       f"{service.url}/v1/django-helpdesk/webhook?token={DJANGO_TOKEN}")
    agent = get_user_model().objects.create_user("rahul", "rahul@example.com", "not-used", is_staff=True)
    queue = Queue.objects.create(title="IT Helpdesk", slug="it-helpdesk", allow_public_submission=False)
    ticket = Ticket.objects.create(
        title="VPN drops every 10 minutes", queue=queue, submitter_email="dana@example.org", assigned_to=agent,
        description="Since Monday the VPN disconnects every 10 minutes on Windows 11; reconnecting works.",
    )
    followup = update_ticket(agent, ticket, comment=VAGUE_ESCALATION, public=False)
    assert isinstance(followup, FollowUp)

    recorded = _recorded(service, str(ticket.id))
    assert len(recorded) == 1, service.log()
    row = recorded[0]
    assert row["source"] == "django-helpdesk-webhook"
    assert row["delivery_id"] == f"django-helpdesk:{ticket.id}:{followup.id}"
    assert row["team"] == "it-helpdesk"
    assert row["verdict"] in ("warn", "block")
    assert "vague-language" in json.loads(row["counts"])
    assert row["body"] is None  # bodies are kept only when the policy says so

    # A second, public follow-up is a new delivery; the first is not linted again.
    update_ticket(agent, ticket, comment="Hi Dana, Priya Shah from our network team owns this now.", public=True)
    assert len(_recorded(service, str(ticket.id))) >= 1
    time.sleep(0.3)
    deliveries = [r["delivery_id"] for r in _recorded(service, str(ticket.id))]
    assert len(deliveries) == len(set(deliveries)) == 2
