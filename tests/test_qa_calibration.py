"""`holdthread calibrate`: agreement and Cohen's kappa against human graders, and its inputs."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from holdthread.audit.synthetic import write_jsonl
from holdthread.cli import cli
from holdthread.linter.models import Annotation, Report
from holdthread.linter.policy import Scoring
from holdthread.linter.qa import FindingRow, ScoreRow, write_findings_csv, write_scores_csv
from holdthread.qa.agreement import Confusion
from holdthread.qa.human import column_key, read_reviews
from holdthread.qa.suggest import policy_diff, suggest


def calibrate(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["calibrate", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def finding(rule: str, severity: str) -> Annotation:
    return Annotation(
        rule=rule, severity=severity, message="m", comment_id="c1", start=0, end=0, line=1, column=1, text=""
    )


def write_audit(
    folder: Path,
    tickets: list[tuple[str, list[Annotation]]],
    *,
    sources: list[str] | None = None,
    scoring: Scoring | None = None,
) -> Path:
    """An audit folder as `holdthread audit` writes it, for tickets with the given findings (one author each)."""
    from holdthread.linter.scoring import passed, score_for, verdict_for

    scoring = scoring or Scoring()
    folder.mkdir(parents=True, exist_ok=True)
    reports = [
        Report(ticket_id=t, verdict=verdict_for(found), score=score_for(found, scoring), annotations=found)
        for t, found in tickets
    ]
    (folder / "findings.jsonl").write_text("".join(r.model_dump_json() + "\n" for r in reports), encoding="utf-8")
    with (folder / "scores.csv").open("w", encoding="utf-8", newline="") as stream:
        write_scores_csv(
            [
                ScoreRow(
                    r.ticket_id,
                    "",
                    "Alex",
                    "Tier 1",
                    "",
                    r.score,
                    passed(r.score, scoring),
                    r.verdict,
                    len(r.annotations),
                )
                for r in reports
            ],
            stream,
        )
    with (folder / "findings.csv").open("w", encoding="utf-8", newline="") as stream:
        write_findings_csv(
            [
                FindingRow(r.ticket_id, "c1", "Alex", a.rule, a.severity, a.message)
                for r in reports
                for a in r.annotations
            ],
            stream,
        )
    summary = {"policy": {"sources": sources or ["<preset recommended>"], "scoring": scoring.model_dump(mode="json")}}
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return folder


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def three_hundred(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 audited tickets with known verdicts, a 301st no one reviewed, and a human export of them.

    holdthread passes T-1..T-180 (T-1..T-60 lose 10 points to vague-language, the rest nothing)
    and fails T-181..T-300 (missing-owner costs 25, below the pass mark of 80). The humans
    disagree on 40: they fail T-1..T-25 and pass T-181..T-195. Ana reviewed T-1..T-150, Ben the rest.
    """
    folder = tmp_path_factory.mktemp("calibration")
    tickets: list[tuple[str, list[Annotation]]] = []
    for n in range(1, 302):
        found = [finding("vague-language", "warning")] if n <= 60 else []
        if n > 180:
            found = [finding("missing-owner", "error")]
        tickets.append((f"T-{n}", found))
    write_audit(folder / "audit", tickets)
    rows: list[list[Any]] = []
    for n in range(1, 301):
        holdthread_passes = n <= 180
        human_passes = holdthread_passes != (n <= 25 or 181 <= n <= 195)
        rows.append([f"T-{n}", "true" if human_passes else "false", "ana" if n <= 150 else "ben"])
    rows.append(["T-999", "true", "ben"])  # a ticket the audit never saw
    rows.append(["T-7", "maybe", "ben"])  # no verdict: unreadable, listed
    write_csv(folder / "human.csv", ["ticket_id", "passed", "reviewer"], rows)
    return folder


def test_kappa_and_agreement_match_a_hand_computation_on_300_tickets(three_hundred: Path) -> None:
    code, stdout, stderr = calibrate(str(three_hundred / "audit"), str(three_hundred / "human.csv"))
    assert code == 0, stderr
    data = json.loads((three_hundred / "audit" / "calibration.json").read_text(encoding="utf-8"))
    # By hand: both pass 155, both fail 105, human pass / holdthread fail 15, human fail / holdthread pass 25.
    assert data["confusion"] == {
        "human_pass": {"holdthread_pass": 155, "holdthread_fail": 15},
        "human_fail": {"holdthread_pass": 25, "holdthread_fail": 105},
    }
    assert (data["tickets"], data["comparisons"], data["compared_by"]) == (300, 300, "ticket")
    # p_o = 260/300 = 130/150; p_e = (170 * 180 + 130 * 120) / 300^2 = 77/150; kappa = (130 - 77)/(150 - 77) = 53/73
    assert data["agreement"] == round(260 / 300, 4) == 0.8667
    assert data["kappa"] == round(53 / 73, 4) == 0.726
    # Ana saw only tickets holdthread passed and failed 25 of 150: agreement 125/150, no better than chance.
    assert data["reviewers"]["ana"]["agreement"] == round(125 / 150, 4) and data["reviewers"]["ana"]["kappa"] == 0
    # Ben: p_o = 135/150 = 0.9, p_e = 0.3 * 0.2 + 0.7 * 0.8 = 0.62, kappa = 0.28 / 0.38 = 14/19.
    assert data["reviewers"]["ben"]["kappa"] == round(14 / 19, 4)
    assert data["rules"]["missing-owner"] == {
        "fired_on_failed": 105,
        "failed": 130,
        "rate_on_failed": 0.8077,
        "fired_on_passed": 15,
        "passed": 170,
        "rate_on_passed": 0.0882,
    }
    assert (data["rules"]["vague-language"]["fired_on_failed"], data["rules"]["vague-language"]["fired_on_passed"]) == (
        25,
        35,
    )
    assert len(data["disagreements"]) == 40
    assert data["missing"]["not_in_audit"] == [
        {"ticket_id": "T-999", "agent": "", "line": 302, "why": "the audit did not lint this ticket"}
    ]
    assert data["missing"]["not_reviewed"] == ["T-301"]
    assert data["unreadable"][0]["line"] == 303 and "not a verdict" in data["unreadable"][0]["why"]
    assert "agreement 86.7%, Cohen's kappa 0.726" in stdout
    assert "line 302: ticket T-999: the audit did not lint this ticket" in stdout
    assert "1 audited ticket(s) have no human review." in stdout


def test_confusion_arithmetic_edges() -> None:
    assert Confusion.of([]).agreement is None and Confusion.of([]).kappa is None
    everyone_passes = Confusion.of([(True, True)] * 5)
    assert everyone_passes.agreement == 1.0 and everyone_passes.kappa is None  # chance agreement is 1
    opposite = Confusion.of([(True, False), (False, True)])
    assert opposite.agreement == 0 and opposite.kappa == -1.0


@pytest.fixture(scope="module")
def real_audit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("real")
    export = write_jsonl(folder / "tickets.jsonl", 40, seed=5)
    result = CliRunner().invoke(
        cli, ["audit", str(export), "--out", str(folder / "out"), "--jobs", "1", "--no-cache"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    return folder / "out"


def score_rows(audit: Path) -> list[dict[str, str]]:
    with (audit / "scores.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_reads_a_maestroqa_raw_scores_export_per_agent(real_audit: Path, tmp_path: Path) -> None:
    rows = score_rows(real_audit)
    human = []
    for index, row in enumerate(rows):
        points = 18 if row["result"] == "pass" else 9  # out of 20: 90% passes, 45% fails
        if index == 0:
            points = 29 - points  # the one disagreement
        email = row["agent"].lower().replace(" ", ".") + "@example.com"
        human.append([row["ticket_id"], row["agent"], email, "grader@example.com", "Handoffs", points, 20, "graded"])
    human.append(
        [rows[0]["ticket_id"], "Nobody Here", "nobody@example.com", "grader@example.com", "Handoffs", 20, 20, "graded"]
    )
    export = write_csv(
        tmp_path / "total_scores.csv",
        [
            "gradable_id",
            "agent_name",
            "agent_email",
            "grader",
            "rubric_name",
            "rubric_score",
            "max_rubric_score",
            "grade_type",
        ],
        human,
    )
    code, _, stderr = calibrate(str(real_audit), str(export), "--format", "json")
    assert code == 0, stderr
    data = json.loads((real_audit / "calibration.json").read_text(encoding="utf-8"))
    assert data["compared_by"] == "agent"
    assert data["comparisons"] == len(rows) and data["agreement"] == round((len(rows) - 1) / len(rows), 4)
    assert list(data["reviewers"]) == ["grader@example.com"]
    (missing,) = data["missing"]["not_in_audit"]
    assert missing["agent"] == "Nobody Here" and "wrote no linted comment" in missing["why"]


def test_reads_a_zendesk_qa_export_as_csv_and_as_the_api_json(real_audit: Path, tmp_path: Path) -> None:
    rows = score_rows(real_audit)
    conversations: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        review = {
            "score": 92.5 if row["result"] == "pass" else 40,
            "reviewee": {"name": row["agent"], "id": "u1"},
            "reviewer": {"email": "qa.lead@example.com", "name": "QA Lead"},
        }
        conversations.setdefault(row["ticket_id"], []).append(review)
    api = {
        "conversations": [{"externalId": t, "reviews": r} for t, r in conversations.items()],
        "pagination": {"page": 1},
    }
    (tmp_path / "reviews.json").write_text(json.dumps(api), encoding="utf-8")
    csv_rows = [
        [t, r["reviewee"]["name"], r["reviewer"]["email"], f"{r['score']}%"]
        for t, reviews in conversations.items()
        for r in reviews
    ]
    write_csv(
        tmp_path / "reviews.csv",
        ["Conversation external ID", "Reviewee name", "Reviewer email", "Review score"],
        csv_rows,
    )
    for name in ("reviews.json", "reviews.csv"):
        code, _, stderr = calibrate(str(real_audit), str(tmp_path / name), "--format", "json")
        assert code == 0, stderr
        data = json.loads((real_audit / "calibration.json").read_text(encoding="utf-8"))
        assert (data["compared_by"], data["comparisons"], data["agreement"]) == ("agent", len(rows), 1.0), name
        assert list(data["reviewers"]) == ["qa.lead@example.com"]


def test_compares_per_ticket_on_request(real_audit: Path, tmp_path: Path) -> None:
    findings = [json.loads(line) for line in (real_audit / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    export = write_csv(
        tmp_path / "h.csv", ["ticket_id", "agent", "score"], [[f["ticket_id"], "someone", f["score"]] for f in findings]
    )
    code, _, stderr = calibrate(str(real_audit), str(export), "--by", "ticket")
    assert code == 0, stderr
    data = json.loads((real_audit / "calibration.json").read_text(encoding="utf-8"))
    assert (data["compared_by"], data["comparisons"], data["agreement"]) == ("ticket", len(findings), 1.0)


def test_column_names_are_matched_loosely() -> None:
    assert column_key("\ufeffReviewee email") == column_key("reviewee.email") == "reviewee_email"
    assert column_key("externalId") == "externalid"


def test_an_unreadable_export_or_an_old_audit_is_a_clear_error(real_audit: Path, tmp_path: Path) -> None:
    empty = write_csv(tmp_path / "empty.csv", ["ticket", "note"], [["1", "fine"]])
    code, _, stderr = calibrate(str(real_audit), str(empty))
    assert code == 2 and "no review could be read" in stderr and "neither a verdict" in stderr
    old = tmp_path / "old-audit"
    old.mkdir()
    (old / "summary.json").write_text(json.dumps({"policy": {"hash": "x"}}), encoding="utf-8")
    code, _, stderr = calibrate(str(old), str(empty))
    assert code == 2 and "run the audit again" in stderr
    broken = tmp_path / "broken-audit"
    shutil.copytree(real_audit, broken)
    with (broken / "findings.jsonl").open("a", encoding="utf-8") as stream:
        stream.write("{cut off by a full disk\n")
    lines = len((broken / "findings.jsonl").read_text(encoding="utf-8").splitlines())
    code, _, stderr = calibrate(str(broken), str(tmp_path / "empty.csv"))
    assert code == 2 and f"findings.jsonl:{lines} is not what `holdthread audit` writes" in stderr


def test_suggest_raises_the_weight_of_a_rule_humans_fail_and_prints_a_policy_diff(tmp_path: Path) -> None:
    # unsupported-claim (a warning, 10 points: still a pass) fires on 40 tickets; humans fail 36 of them.
    tickets = [(f"T-{n}", [finding("unsupported-claim", "warning")] if n <= 40 else []) for n in range(1, 101)]
    policy = tmp_path / "holdthread.yaml"
    policy.write_text(
        "# our team's policy\nextends: recommended\nscoring:\n  pass_mark: 80  # agreed with QA\n", encoding="utf-8"
    )
    audit = write_audit(tmp_path / "audit", tickets, sources=["<preset recommended>", str(policy)])
    human = [[f"T-{n}", "false" if n <= 36 else "true"] for n in range(1, 101)]
    export = write_csv(tmp_path / "human.csv", ["ticket_id", "passed"], human)
    code, stdout, stderr = calibrate(str(audit), str(export), "--suggest")
    assert code == 0, stderr
    data = json.loads((audit / "calibration.json").read_text(encoding="utf-8"))
    change = data["suggestion"]["changes"]["weights.unsupported-claim"]
    assert change["from"] == 10 and change["to"] > 20  # enough to fail a ticket at the pass mark of 80
    assert data["suggestion"]["before"]["agreement"] == 0.64 and data["suggestion"]["after"]["agreement"] == 0.96
    diff = data["suggestion"]["policy_diff"]
    assert f"--- a/{policy}" in diff and "+  weights:" in diff and f"+    unsupported-claim: {change['to']}" in diff
    assert "agreed with QA" in diff  # the file's own comments are kept around the change
    assert "Suggested policy change (not applied)" in stdout and diff in stdout
    assert policy.read_text(encoding="utf-8").count("weights") == 0  # never applied silently


def test_no_suggestion_when_nothing_agrees_better() -> None:
    items = [({"vague-language": "warning"}, True), ({"missing-owner": "error"}, False), ({}, True)]
    assert suggest(items, Scoring()) is None


def test_a_suggestion_for_a_preset_is_a_new_policy_file() -> None:
    items = [({"vague-language": "warning"}, False)] * 5 + [({}, True)] * 5
    suggestion = suggest(items, Scoring())
    assert suggestion is not None
    diff = policy_diff("<preset strict>", suggestion)
    assert diff.startswith("--- /dev/null\n+++ b/holdthread.yaml\n") and "+extends: strict\n" in diff


def test_read_reviews_turns_scores_into_verdicts_with_the_pass_mark(tmp_path: Path) -> None:
    export = write_csv(tmp_path / "h.csv", ["Ticket ID", "Score"], [["1", "79.5"], ["2", "80"], ["3", "85%"]])
    assert [r.passed for r in read_reviews(export, 80).reviews] == [False, True, True]
    assert [r.passed for r in read_reviews(export, 90).reviews] == [False, False, False]


def test_a_deeply_nested_qa_export_is_an_error_that_names_the_file(tmp_path: Path) -> None:
    from holdthread.linter.errors import HoldthreadError

    path = tmp_path / "reviews.json"
    path.write_text("[" * 100_000, encoding="utf-8")
    with pytest.raises(HoldthreadError, match=r"reviews\.json: nested more than"):
        read_reviews(path, 80)
