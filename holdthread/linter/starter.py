"""The commented starter policy that ``holdthread policy init`` writes."""

STARTER_POLICY = """\
# holdthread policy: which handoff checks run, how strictly, on which notes.
# Validate with `holdthread policy validate holdthread.yaml`; see the effective policy with
# `holdthread policy show`; list rules with `holdthread rules`, read one with `holdthread rules ID`.

# Start from a built-in preset (recommended or strict) or from other policy files.
extends: recommended

# Exit non-zero (and block in CI) at or above this severity: error, warning or info.
fail_on: error

# Who owns what: a team named in a note counts as an owner when it maps to a handle or person.
owners:
  payments: "@payments-oncall"
  # billing: "Priya Natarajan"

# Team words: extra vague phrases to flag, and terms that are fine in your notes.
vocabulary:
  vague: []
  accept: []

# How a ticket's kind is known, for rules that only apply to technical defects.
ticket_kind:
  field: type            # or: tags
  defect: [bug, problem, incident, defect]
  content_fallback: true # decide from the text when the field says neither

# Per rule: a severity (error, warning, info, off) or a mapping with severity, targets, options.
rules:
  missing-owner: error
  vague-language:
    severity: warning
    # targets narrow which comments a rule reads:
    # targets: {kinds: [escalation, handoff], visibility: internal}

# The QA score: each rule that fires costs its weight; critical rules zero the score.
scoring:
  pass_mark: 80
  # weights: {missing-owner: 40}
  # critical: [missing-owner]
  # Ticket-level findings (owner-bounce, customer-repeated) cost the ticket only, or also every
  # agent who wrote on it: ticket or involved. See docs/qa.md.
  # ticket_findings: ticket

# Where a ticket opens in your helpdesk; scores.csv and report.html link to it.
# ticket_url: https://acme.zendesk.com/agent/tickets/{id}

# `holdthread feedback` names rules whose findings agents mark "Not right?" more often than this.
# feedback: {max_false_alarm_rate: 0.1, min_findings: 20}
"""
