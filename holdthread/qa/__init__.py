"""QA scores a QA lead can trust: who is charged for what, agreement with human graders, feedback.

- :mod:`.attribution` charges each finding to the author of the comment it is on (and their team
  at the time); ticket-level findings to the ticket, as the policy's rubric says.
- :mod:`.human` reads a human QA export (a plain CSV, Zendesk QA, MaestroQA) into reviews.
- :mod:`.audit_results` reads what ``holdthread audit`` wrote, as the calibration needs it.
- :mod:`.agreement` is the arithmetic: agreement, Cohen's kappa, the confusion matrix.
- :mod:`.calibration` compares the two and writes ``calibration.json``.
- :mod:`.suggest` searches for scoring changes that agree better with the humans.
- :mod:`.feedback` turns agents' "Not right?" marks into per-rule false-alarm rates.
"""
