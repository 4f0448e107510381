"""``holdthread calibrate AUDIT_DIR HUMAN_CSV``: how far holdthread agrees with the team's graders."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from holdthread.linter.errors import HoldthreadError
from holdthread.qa.audit_results import read_audit
from holdthread.qa.calibration import Calibration, CompareBy, calibrate, labelled
from holdthread.qa.human import read_reviews
from holdthread.qa.printable import console as report_console
from holdthread.qa.printable import printable
from holdthread.qa.suggest import Suggestion, policy_diff, suggest

SHOWN = 10


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _kappa(value: float | None) -> str:
    return "undefined (one verdict only)" if value is None else f"{value:.3f}"


def _print(calibration: Calibration, data: dict[str, Any], out: Path) -> None:
    console = report_console()
    confusion = calibration.confusion
    console.print(
        f"Compared {data['comparisons']} review(s) of {data['tickets']} ticket(s) per {calibration.by}, "
        f"pass mark {calibration.pass_mark}: agreement {_percent(confusion.agreement)}, "
        f"Cohen's kappa {_kappa(confusion.kappa)}."
    )
    table = Table(title="Human verdict (rows) against holdthread's (columns)", title_justify="left")
    table.add_column("")
    table.add_column("holdthread pass", justify="right")
    table.add_column("holdthread fail", justify="right")
    table.add_row("human pass", str(confusion.both_pass), str(confusion.only_human_passed))
    table.add_row("human fail", str(confusion.only_holdthread_passed), str(confusion.both_fail))
    console.print(table)
    reviewers = Table(title="Per reviewer", title_justify="left")
    for name in ("Reviewer", "Reviews", "Agreement", "Kappa"):
        reviewers.add_column(name, justify="left" if name == "Reviewer" else "right")
    for reviewer, group in calibration.reviewers().items():
        kappa = "–" if group.kappa is None else f"{group.kappa:.3f}"
        reviewers.add_row(printable(reviewer), str(group.total), _percent(group.agreement), kappa)
    console.print(reviewers)
    rules = Table(title="Rules: how often each fired on tickets humans failed and passed", title_justify="left")
    rules.add_column("Rule", no_wrap=True)
    rules.add_column("On failed", justify="right")
    rules.add_column("On passed", justify="right")
    for rule, counts in data["rules"].items():
        rules.add_row(
            rule,
            f"{counts['fired_on_failed']} of {counts['failed']} ({_percent(counts['rate_on_failed'])})",
            f"{counts['fired_on_passed']} of {counts['passed']} ({_percent(counts['rate_on_passed'])})",
        )
    console.print(rules)
    missing, unreadable = calibration.not_in_audit, calibration.unreadable
    if missing:
        console.print(f"{len(missing)} review(s) could not be compared:")
        for review, why in missing[:SHOWN]:
            who = f" ({printable(review.agent)})" if review.agent else ""
            console.print(f"  line {review.line}: ticket {printable(review.ticket_id)}{who}: {why}")
    if unreadable:
        console.print(f"{len(unreadable)} row(s) of the QA export could not be read:")
        for line, why in unreadable[:SHOWN]:
            console.print(f"  line {line}: {why}")
    if calibration.not_reviewed:
        console.print(f"{len(calibration.not_reviewed)} audited ticket(s) have no human review.")
    if len(missing) > SHOWN or len(unreadable) > SHOWN or calibration.not_reviewed:
        console.print(f"Every one is listed in {out}.")
    console.print(f"Wrote {out}")


def _print_suggestion(suggestion: Suggestion | None, source: str | None) -> None:
    if suggestion is None:
        click.echo("\nNo change to the pass mark or the weights agrees better with these reviews.")
        return
    before, after = suggestion.before, suggestion.after
    click.echo(
        f"\nSuggested policy change (not applied): agreement {_percent(before.agreement)} -> "
        f"{_percent(after.agreement)}, kappa {_kappa(before.kappa)} -> {_kappa(after.kappa)} on these reviews. "
        "It is fitted to them: check it on the next sample before you apply it.\n"
    )
    click.echo(policy_diff(source, suggestion), nl=False)


@click.command("calibrate")
@click.argument("audit_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("human_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--by",
    "by",
    type=click.Choice(["ticket", "agent"]),
    default=None,
    help="Compare per ticket, or per agent (default: per agent when the export names agents).",
)
@click.option(
    "--human-pass-mark",
    type=click.FloatRange(0, 100),
    default=None,
    help="Score (%) at or above which a human review passes, for exports with scores but no pass/fail "
    "(default: the audit's pass mark).",
)
@click.option(
    "--suggest",
    "want_suggestion",
    is_flag=True,
    help="Search for pass-mark and weight changes that agree better; print them as a policy diff.",
)
@click.option("--format", "format_name", type=click.Choice(["text", "json"]), default="text", show_default=True)
def calibrate_command(
    audit_dir: Path,
    human_csv: Path,
    by: CompareBy | None,
    human_pass_mark: float | None,
    want_suggestion: bool,
    format_name: str,
) -> None:
    """Compare an audit (AUDIT_DIR, the --out of `holdthread audit`) with human QA reviews (HUMAN_CSV).

    HUMAN_CSV needs a ticket id and a verdict (passed) or a score; agent and reviewer columns are
    used when present. Zendesk QA and MaestroQA exports are read as they come (docs/qa.md lists
    the columns). Writes AUDIT_DIR/calibration.json.
    """
    try:
        results = read_audit(audit_dir)
        mark = results.scoring.pass_mark if human_pass_mark is None else human_pass_mark
        calibration = calibrate(results, read_reviews(human_csv, mark), human_pass_mark=mark, by=by)
    except HoldthreadError as exc:
        click.echo(f"holdthread: error: {exc}", err=True)
        sys.exit(2)
    data = calibration.as_json()
    suggestion = suggest(labelled(calibration.comparisons), results.scoring) if want_suggestion else None
    source = results.policy_sources[-1] if results.policy_sources else None
    if want_suggestion:
        data["suggestion"] = suggestion.as_json() if suggestion else None
        if suggestion is not None:
            data["suggestion"]["policy_diff"] = policy_diff(source, suggestion)
    out = audit_dir / "calibration.json"
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if format_name == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    _print(calibration, data, out)
    if want_suggestion:
        _print_suggestion(suggestion, source)
