"""The few plain lines an agent reads in the helpdesk when a save is blocked or warned.

The helpdesk apps show ``message`` as is (a block's reason, a warning toast), so it leads with
what happens to the save, then one line per rule that fired (its most serious finding, with the
suggestion when there is one). It never quotes the note: the sidebar shows the quoted text.
"""

from __future__ import annotations

from holdthread.linter.models import SEVERITY_ORDER, Annotation, Report

MAX_LINES = 4


def _per_rule(annotations: list[Annotation]) -> list[Annotation]:
    """The most serious finding of each rule, most serious rules first."""
    best: dict[str, Annotation] = {}
    for annotation in annotations:
        current = best.get(annotation.rule)
        if current is None or SEVERITY_ORDER[annotation.severity] > SEVERITY_ORDER[current.severity]:
            best[annotation.rule] = annotation
    return sorted(best.values(), key=lambda a: (-SEVERITY_ORDER[a.severity], a.rule))


def agent_message(report: Report) -> str:
    """``Blocked: ...`` / ``Saved with warnings: ...`` / ``No handoff problems found.``"""
    shown = [a for a in _per_rule(report.annotations) if a.severity != "info"]
    if report.verdict == "pass" or not shown:
        return "No handoff problems found."
    count = len(shown)
    noun = "problem" if count == 1 else "problems"
    if report.verdict == "block":
        head = f"Blocked: fix {count} handoff {noun} before saving (score {report.score}/100)."
    else:
        head = f"Saved with {count} handoff {noun} to fix next time (score {report.score}/100)."
    lines = [head]
    for annotation in shown[:MAX_LINES]:
        line = f"- {annotation.message}"
        if annotation.suggestion:
            line += f" Try: {annotation.suggestion}"
        lines.append(line)
    if count > MAX_LINES:
        lines.append(f"- and {count - MAX_LINES} more in the holdthread sidebar.")
    return "\n".join(lines)


TIMED_OUT_MESSAGE = "holdthread could not finish checking in time, so this update was not checked."
