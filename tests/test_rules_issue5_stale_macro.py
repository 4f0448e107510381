"""stale-macro and the macro reader: macro libraries in git, and replies sent from them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from holdthread import Linter
from holdthread.cli import cli
from holdthread.plugins.inputs import read_path

RULE = "stale-macro"
RECENT = (datetime.now(UTC) - timedelta(days=30)).date().isoformat()
OLD = (datetime.now(UTC) - timedelta(days=500)).date().isoformat()
REFUND_MACRO = (
    "Hi {{ticket.requester.first_name}},\n\nWe have issued your refund. It will reach your original payment "
    "method within 5-10 business days, depending on your bank.\n\nBest regards,\n{{current_user.first_name}}"
)


def policy(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "holdthread.yaml"
    path.write_text("extends: recommended\nrules:\n  stale-macro:\n" + body, encoding="utf-8")
    return path


def cli_run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout


# --- the macro reader ---------------------------------------------------------------------------


def test_a_yaml_macro_is_read_with_its_metadata(tmp_path: Path) -> None:
    path = tmp_path / "refund.yaml"
    path.write_text(
        f"title: Refund issued\nupdated: {OLD}\ntags: [billing]\nbody: |\n  Hi there,\n  refund sent.\n",
        encoding="utf-8",
    )
    [record] = list(read_path(path))
    assert record.request is not None and record.request.draft is not None
    ticket, draft = record.request.ticket, record.request.draft
    assert (ticket.type, ticket.subject, ticket.tags) == ("macro", "Refund issued", ["macro", "billing"])
    assert [e.type for e in ticket.events] == ["macro.updated"]
    assert draft.body.strip() == "Hi there,\nrefund sent."
    assert (draft.kind, draft.public) == ("reply", True)
    assert draft.body.count("\n", 0, draft.body.index("Hi")) == 4  # annotation lines match the file


def test_markdown_with_front_matter_and_zendesk_json_are_macros(tmp_path: Path) -> None:
    md = tmp_path / "reset.md"
    md.write_text(
        f"---\ntitle: Password reset\nupdated: {RECENT}\n---\nHi {{{{first_name}}}}, use the reset link.\n",
        encoding="utf-8",
    )
    zd = tmp_path / "macros.json"
    zd.write_text(
        json.dumps(
            {
                "macros": [
                    {
                        "title": "Shipping delay",
                        "updated_at": f"{OLD}T10:00:00Z",
                        "actions": [{"field": "comment_value", "value": "Sorry for the delay."}],
                    },
                    {
                        "title": "Thanks",
                        "actions": [{"field": "comment_value_html", "value": ["channel:all", "Thanks!"]}],
                    },
                ]
            }
        ),
        encoding="utf-8",
    )
    [from_md] = list(read_path(md))
    assert from_md.request is not None and from_md.request.ticket.subject == "Password reset"
    assert [r.request.draft.body for r in read_path(zd) if r.request and r.request.draft] == [
        "Sorry for the delay.",
        "Thanks!",
    ]


@pytest.mark.parametrize(
    ("name", "text", "error"),
    [
        ("a.yaml", "title: x\nupdated: 2024-01-01\n", "not a macro"),
        ("b.yaml", "title: x\nupdated: last spring\nbody: hi\n", "is not a date"),
        ("c.yaml", "title: [unclosed\n", "invalid YAML"),
        ("d.md", "---\ntitle: x\nno end\n", "never ends"),
    ],
)
def test_bad_macro_files_are_rejected_with_the_reason(tmp_path: Path, name: str, text: str, error: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    [record] = list(read_path(path))
    assert record.request is None and record.error is not None and error in record.error


# --- the rule on macro files ---------------------------------------------------------------------


def test_check_reports_an_old_macro_and_deprecated_terms_at_file_lines(tmp_path: Path) -> None:
    macro = tmp_path / "refund.yaml"
    macro.write_text(
        f"title: Refund issued\nupdated: {OLD}\nbody: |\n"
        "  Hi {{ticket.requester.first_name}}, refund sent via AcmePay Classic.\n"
        "  See https://help.acme.example/old-refunds.\n",
        encoding="utf-8",
    )
    rules = policy(
        tmp_path,
        "    deprecated:\n      - {text: AcmePay Classic, use: AcmePay, reason: renamed in 2025}\n"
        "      - {text: 'https://help.acme.example/old-refunds', use: 'https://help.acme.example/refunds'}\n",
    )
    code, out = cli_run("check", "--policy", str(rules), "--select", RULE, "--format", "json", str(macro))
    annotations = json.loads(out)["annotations"]
    assert code == 0  # warnings only
    assert [(a["line"], a["text"]) for a in annotations] == [
        (4, "Hi {{ticket.requester.first_name}}, refund sent via AcmePay Classic."),
        (4, "AcmePay Classic"),
        (5, "https://help.acme.example/old-refunds"),
    ]
    assert "days ago" in annotations[0]["message"]
    assert "renamed in 2025" in annotations[1]["message"] and "AcmePay" in annotations[1]["suggestion"]


def test_placeholders_belong_in_macro_files_and_recent_macros_pass(tmp_path: Path) -> None:
    macro = tmp_path / "reset.md"
    macro.write_text(
        f"---\ntitle: Reset\nupdated: {RECENT}\n---\nHi {{{{first_name}}}}, here is the link.\n", encoding="utf-8"
    )
    code, out = cli_run("check", "--select", RULE, "--format", "json", str(macro))
    assert (code, json.loads(out)["annotations"]) == (0, [])


def test_a_macro_without_a_date_is_reported_only_when_required(tmp_path: Path) -> None:
    macro = tmp_path / "thanks.yaml"
    macro.write_text("title: Thanks\nbody: Thanks for reaching out.\n", encoding="utf-8")
    assert json.loads(cli_run("check", "--select", RULE, "--format", "json", str(macro))[1])["annotations"] == []
    rules = policy(tmp_path, "    require_updated: true\n")
    out = cli_run("check", "--policy", str(rules), "--select", RULE, "--format", "json", str(macro))[1]
    assert "no `updated` date" in json.loads(out)["annotations"][0]["message"]


# --- the rule on sent replies --------------------------------------------------------------------


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter("recommended", select=[RULE])


def reply(linter: Linter, body: str) -> list[str]:
    return [a.text for a in linter.check({"id": "T-7400"}, {"body": body, "kind": "reply", "public": True}).annotations]


@pytest.mark.parametrize(
    ("body", "placeholder"),
    [
        ("Hi {{ticket.requester.first_name}}, your order has shipped.", "{{ticket.requester.first_name}}"),
        ("Hello [Customer name], we refunded the charge.", "[Customer name]"),
        ("Dear %FIRST_NAME%, thanks.", "%FIRST_NAME%"),
        ("Hi, {% if vip %}priority{% endif %} support here.", "{% if vip %}"),
    ],
)
def test_an_unfilled_placeholder_in_a_sent_reply_is_reported(linter: Linter, body: str, placeholder: str) -> None:
    assert placeholder in reply(linter, body)


@pytest.mark.parametrize(
    "body",
    [
        "Hi Dana, your refund of EUR 49.00 was issued today.",
        "Hi Sam, find it under Settings > [Beta] Features.",
        "See [our refund policy](https://help.acme.example/refunds).",
        'The body should look like {"amount": 4900}.',
        "In your own templates write `{{first_name}}` and the editor fills it in.",
    ],
)
def test_filled_replies_brackets_and_code_pass(linter: Linter, body: str) -> None:
    assert reply(linter, body) == []


def test_a_bare_macro_paste_is_reported_and_a_personalised_one_passes(tmp_path: Path) -> None:
    rules = policy(tmp_path, f"    macros:\n      - {json.dumps(REFUND_MACRO)}\n")
    linter = Linter(rules, select=[RULE])
    pasted = REFUND_MACRO.replace("{{ticket.requester.first_name}}", "Dana").replace(
        "{{current_user.first_name}}", "Sam"
    )
    messages = [
        a.message for a in linter.check({"id": "T-1"}, {"body": pasted, "kind": "reply", "public": True}).annotations
    ]
    assert len(messages) == 1 and messages[0].startswith("Pastes a macro verbatim")
    personal = pasted.replace("We have issued", "I checked order 55-1209: the courier lost it, so we have issued")
    personal += "\nI also added a 10% credit to your March invoice for the trouble."
    assert not linter.check({"id": "T-1"}, {"body": personal, "kind": "reply", "public": True}).annotations


def test_macro_dir_loads_the_library_and_must_exist(tmp_path: Path) -> None:
    library = tmp_path / "macros"
    library.mkdir()
    (library / "refund.yaml").write_text(
        f"title: Refund\nupdated: {RECENT}\nbody: {json.dumps(REFUND_MACRO)}\n", encoding="utf-8"
    )
    rules = policy(tmp_path, f"    macro_dir: {json.dumps(str(library))}\n")
    pasted = REFUND_MACRO.replace("{{ticket.requester.first_name}}", "Dana").replace(
        "{{current_user.first_name}}", "Sam"
    )
    assert (
        Linter(rules, select=[RULE]).check({"id": "T-1"}, {"body": pasted, "kind": "reply", "public": True}).annotations
    )
    missing = policy(tmp_path, "    macro_dir: no/such/dir\n")
    code, _ = cli_run("check", "--policy", str(missing), str(library / "refund.yaml"))
    assert code == 2


def test_a_relative_macro_dir_is_read_from_the_policy_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The service and pre-commit run from elsewhere than the policy: the path must not follow the cwd."""
    team = tmp_path / "team"
    (team / "macros").mkdir(parents=True)
    (team / "macros" / "refund.yaml").write_text(
        f"title: Refund\nupdated: {RECENT}\nbody: {json.dumps(REFUND_MACRO)}\n", encoding="utf-8"
    )
    rules = policy(team, "    macro_dir: macros\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    pasted = REFUND_MACRO.replace("{{ticket.requester.first_name}}", "Dana").replace(
        "{{current_user.first_name}}", "Sam"
    )
    linter = Linter(rules, select=[RULE])
    assert linter.check({"id": "T-1"}, {"body": pasted, "kind": "reply", "public": True}).annotations
    assert linter.policy.rules[RULE].options.macro_dir == str((team / "macros").resolve())
