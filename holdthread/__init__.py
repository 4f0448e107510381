"""holdthread: a handoff-quality linter for customer-support teams.

Public API::

    from holdthread import Linter
    report = Linter().check_text("customer says export doesn't work, pls check ASAP")
    report.verdict, report.score, report.annotations
"""

from __future__ import annotations

__version__ = "0.1.0"

from holdthread.linter.engine import Linter
from holdthread.linter.hookspecs import hookimpl, hookspec
from holdthread.linter.models import Annotation, CheckRequest, Comment, Draft, Evidence, Report, Ticket
from holdthread.linter.rule import Finding, Options, Rule, RuleContext, Targets

__all__ = [
    "Annotation", "CheckRequest", "Comment", "Draft", "Evidence", "Finding", "Linter", "Options",
    "Report", "Rule", "RuleContext", "Targets", "Ticket", "__version__", "hookimpl", "hookspec",
]
