"""Attribution: findings are charged to the author of the comment they are on, and their team then."""

from __future__ import annotations

import csv
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from holdthread.cli import cli
from holdthread.linter.engine import Linter, as_request
from holdthread.linter.models import Person, Ticket
from holdthread.linter.policy import load_policy
from holdthread.linter.qa import FINDING_COLUMNS, SCORE_COLUMNS, ticket_link
from holdthread.linter.registry import default_registry
from holdthread.qa.attribution import Rubric, attribute, team_at

CSV_COLUMNS = (
    "ticket_id",
    "comment_id",
    "type",
    "group",
    "assignee",
    "author_name",
    "author_role",
    "public",
    "kind",
    "created_at",
    "body",
)
VAGUE = "customer says export doesn't work, pls check asap"
REPRODUCED = (
    "Reproduced: Reports > {month} > Export CSV returns 504 after 30 s for acme-eu. The export worker log "
    "shows a timeout on query q-7781. I own this; next update to the customer by 15:00 UTC today."
)
REPLY = (
    "Hi Dana, thanks for the details. I can reproduce the 504 on the {month} export for acme-eu and I am working "
    "on it now. I will write again by 15:00 UTC today."
)


def handoff_rows(ticket_id: str, month: str, day: int) -> list[tuple[str, ...]]:
    """Alex (Tier 1) escalates vaguely; the ticket moves to Engineering, where Bea writes good notes."""
    at = f"2026-05-{day:02d}T"
    first = ("Tier 1", "Alex Rivera")
    then = ("Engineering", "Bea Novak")
    return [
        (
            ticket_id,
            f"{ticket_id}-1",
            "incident",
            *first,
            "Dana Cole",
            "customer",
            "true",
            "",
            f"{at}09:00:00Z",
            f"The {month} sales export fails with Error 504 every time since this morning. "
            "Account acme-eu, Chrome 131.",
        ),
        (
            ticket_id,
            f"{ticket_id}-2",
            "incident",
            *first,
            "Alex Rivera",
            "agent",
            "false",
            "escalation",
            f"{at}09:30:00Z",
            VAGUE,
        ),
        (
            ticket_id,
            f"{ticket_id}-3",
            "incident",
            *then,
            "Bea Novak",
            "agent",
            "false",
            "note",
            f"{at}10:30:00Z",
            REPRODUCED.format(month=month),
        ),
        (
            ticket_id,
            f"{ticket_id}-4",
            "incident",
            *then,
            "Bea Novak",
            "agent",
            "true",
            "",
            f"{at}10:40:00Z",
            REPLY.format(month=month),
        ),
    ]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("attribution")
    export = folder / "tickets.csv"
    with export.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(CSV_COLUMNS)
        writer.writerows([*handoff_rows("4812", "March", 4), *handoff_rows("4813", "April", 5)])
    policy = folder / "holdthread.yaml"
    policy.write_text(
        "extends: recommended\nticket_url: https://acme.zendesk.com/agent/tickets/{id}\n", encoding="utf-8"
    )
    out = folder / "out"
    result = CliRunner().invoke(
        cli,
        ["audit", str(export), "--out", str(out), "--jobs", "1", "--no-cache", "--policy", str(policy)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    return out


def test_the_author_of_the_vague_escalation_is_charged_and_the_final_assignee_keeps_100(audited: Path) -> None:
    rows = read_csv(audited / "scores.csv")
    assert list(rows[0]) == list(SCORE_COLUMNS)
    scores = {(r["ticket_id"], r["agent"]): r for r in rows}
    assert set(scores) == {
        ("4812", "Alex Rivera"),
        ("4812", "Bea Novak"),
        ("4813", "Alex Rivera"),
        ("4813", "Bea Novak"),
    }
    for ticket_id in ("4812", "4813"):
        alex, bea = scores[ticket_id, "Alex Rivera"], scores[ticket_id, "Bea Novak"]
        assert (bea["score"], bea["result"], bea["verdict"], bea["findings"]) == ("100", "pass", "pass", "0")
        assert int(alex["score"]) == 35 and alex["result"] == "fail" and alex["verdict"] == "block"
        assert (alex["team"], bea["team"]) == ("Tier 1", "Engineering")  # each one's team when they wrote
        assert alex["ticket_url"] == f"https://acme.zendesk.com/agent/tickets/{ticket_id}"
    summary = json.loads((audited / "summary.json").read_text(encoding="utf-8"))
    assert summary["agents"]["Bea Novak"] == {"tickets": 2, "mean_score": 100.0, "pass_rate": 1.0, "findings": 0}
    assert summary["agents"]["Alex Rivera"]["mean_score"] == 35.0
    assert summary["teams"]["Engineering"]["mean_score"] == 100.0 and summary["teams"]["Tier 1"]["mean_score"] == 35.0
    assert "(no agent)" not in summary["agents"]


def test_findings_csv_names_the_author_of_each_finding(audited: Path) -> None:
    rows = read_csv(audited / "findings.csv")
    assert list(rows[0]) == list(FINDING_COLUMNS)
    assert rows and {r["agent"] for r in rows} == {"Alex Rivera"}
    assert {r["comment_id"] for r in rows} == {"4812-2", "4813-2"}
    assert {"missing-owner", "vague-language"} <= {r["rule"] for r in rows}


def test_report_links_each_ticket_to_the_helpdesk(audited: Path) -> None:
    html = (audited / "report.html").read_text(encoding="utf-8")
    assert 'href="https://acme.zendesk.com/agent/tickets/4812"' in html
    assert "Bea Novak (Engineering) 100" in html


def test_generic_jsonl_exports_have_agents_and_teams(tmp_path: Path) -> None:
    # Authors known only by id, no assignee and no ticket group: the comments and events say who and where.
    ticket: dict[str, Any] = {
        "id": "T-9",
        "type": "incident",
        "comments": [
            {
                "id": "1",
                "author": {"id": "cust-1", "role": "customer"},
                "created_at": "2026-05-04T09:00:00Z",
                "body": "The March export fails with Error 504.",
            },
            {
                "id": "2",
                "author": {"id": "agent-17", "role": "agent"},
                "public": False,
                "kind": "escalation",
                "created_at": "2026-05-04T09:30:00Z",
                "body": VAGUE,
            },
            {
                "id": "3",
                "author": {"id": "agent-42", "email": "bea@example.com", "role": "agent"},
                "public": False,
                "kind": "note",
                "created_at": "2026-05-04T10:30:00Z",
                "body": REPRODUCED.format(month="March"),
            },
        ],
        "events": [
            {
                "type": "group_change",
                "at": "2026-05-04T09:30:00Z",
                "from": "Tier 1",
                "to": "Engineering",
                "actor": "agent-17",
            }
        ],
    }
    export = tmp_path / "tickets.jsonl"
    export.write_text(json.dumps(ticket) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["audit", str(export), "--out", str(tmp_path / "out"), "--jobs", "1", "--no-cache"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    rows = {r["agent"]: r for r in read_csv(tmp_path / "out" / "scores.csv")}
    assert set(rows) == {"agent-17", "bea@example.com"}
    # agent-17 made the group change with their note, so they wrote it from the team they left.
    assert (rows["agent-17"]["team"], rows["bea@example.com"]["team"]) == ("Tier 1", "Engineering")
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert set(summary["agents"]) == {"agent-17", "bea@example.com"}
    assert set(summary["teams"]) == {"Tier 1", "Engineering"}


def test_team_at_follows_group_changes_and_who_made_them() -> None:
    ticket = Ticket.model_validate(
        {
            "id": "T",
            "group": "Billing",
            "events": [
                {
                    "type": "group_change",
                    "at": "2026-05-04T10:00:00Z",
                    "from": "Tier 1",
                    "to": "Engineering",
                    "actor": "Alex",
                },
                {"type": "assignee_change", "at": "2026-05-04T11:00:00Z", "from": "Bea", "to": "Cy"},
                {"type": "group_change", "at": "2026-05-04T12:30:00+02:00", "from": "Engineering", "to": "Billing"},
            ],
        }
    )
    at = ticket.events[0].at
    assert at is not None
    assert team_at(ticket, at.replace(hour=9)) == "Tier 1"
    assert team_at(ticket, at, Person(name="Alex")) == "Tier 1"  # Alex moved it with this note: written from Tier 1
    assert team_at(ticket, at, Person(name="Bea")) == "Engineering"  # anyone else wrote once it had moved
    assert team_at(ticket, at.replace(minute=15)) == "Engineering"
    assert team_at(ticket, at.replace(minute=45)) == "Billing"  # 12:30+02:00 is 10:30Z
    assert team_at(ticket, at.replace(hour=9, minute=59)) == "Tier 1"
    assert team_at(ticket, None) == "Billing"
    assert team_at(Ticket(id="U"), at) == ""


@pytest.mark.parametrize("mode, charged", [("ticket", False), ("involved", True)])
def test_ticket_level_findings_are_charged_as_the_rubric_says(mode: str, charged: bool) -> None:
    # Four owners in a row: owner-bounce, a ticket-level rule, fires on the ticket.
    policy = load_policy({"extends": "recommended", "scoring": {"ticket_findings": mode}}, default_registry())
    linter = Linter(policy)
    owners = ["Ann", "Ben", "Cat", "Dev"]
    request = as_request(
        {
            "id": "T-B",
            "type": "question",
            "comments": [
                {
                    "id": "1",
                    "author": {"name": "Ann", "role": "agent"},
                    "public": True,
                    "created_at": "2026-05-04T09:00:00Z",
                    "body": "Hi Dana, your refund of 49.00 EUR for order 1182 was sent today; it shows in 3 days.",
                }
            ],
            "events": [
                {"type": "assignee_change", "at": f"2026-05-04T1{i}:00:00Z", "from": a, "to": b}
                for i, (a, b) in enumerate(itertools.pairwise(owners))
            ],
        }
    )
    report = linter.check(request.ticket)
    assert "owner-bounce" in {a.rule for a in report.annotations}
    result = attribute(report, request, linter.linted_comment_ids(request), Rubric.from_policy(policy))
    (row,) = result.authors
    assert row.agent == "Ann" and (row.score < 100) is charged
    bounce = next(f for f in result.findings if f.rule == "owner-bounce")
    assert (bounce.comment_id, bounce.agent) == ("", "")
    assert result.ticket.score == report.score < 100


def test_draft_findings_are_charged_to_the_draft_author() -> None:
    linter = Linter()
    request = as_request({"id": "T-D", "group": "Tier 1"}, {"body": VAGUE, "author": {"name": "Rahul Mehta"}})
    report = linter.check(request.ticket, request.draft)
    result = attribute(report, request, [], Rubric.from_policy(linter.policy))
    assert [(r.agent, r.team, r.score) for r in result.authors] == [("Rahul Mehta", "Tier 1", report.score)]
    assert {f.agent for f in result.findings} == {"Rahul Mehta"}


def test_ticket_links_quote_the_id() -> None:
    assert ticket_link("https://acme.example/t/{id}", "a b/1") == "https://acme.example/t/a%20b%2F1"
    assert ticket_link(None, "1") == ""


@pytest.mark.parametrize(
    "template, message",
    [
        ("https://acme.zendesk.com/agent/tickets/", "use {id}"),
        ("https://acme.zendesk.com/{org}/tickets/{id}", "use {id}"),
        ("acme.zendesk.com/agent/tickets/{id}", "must start with https://"),
        ("https://acme.zendesk.com/agent/tickets/{id", "not a valid template"),
    ],
)
def test_a_ticket_url_without_a_usable_id_placeholder_is_a_policy_error(template: str, message: str) -> None:
    from holdthread.linter.errors import PolicyError

    with pytest.raises(PolicyError, match="ticket_url") as caught:
        load_policy({"ticket_url": template}, default_registry())
    assert message in str(caught.value)
