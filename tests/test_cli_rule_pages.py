"""`holdthread rules ID` for a rule the policy defines: its options as the policy writes them."""

from __future__ import annotations

from pathlib import Path

from core_helpers import REFUND_POLICY, holdthread


def test_a_policy_rule_page_names_keys_as_written_and_says_which_are_required(tmp_path: Path) -> None:
    policy = tmp_path / "holdthread.yaml"
    policy.write_text(REFUND_POLICY, encoding="utf-8")
    page = holdthread("rules", "refund-needs-approver", "--policy", policy).stdout
    rows = {
        line.split("|")[1].strip(): line.split("|")[2].strip() for line in page.splitlines() if line.startswith("| `")
    }
    assert rows["`if`"] == "required" and rows["`then`"] == "required" and rows["`message`"] == "required"
    assert rows["`ignore_case`"] == "`true`" and rows["`suggestion`"] == "`null`"
    assert "`if_`" not in rows
    assert "PydanticUndefined" not in page
