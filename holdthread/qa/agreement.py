"""How far two raters agree on pass/fail: the confusion matrix, agreement and Cohen's kappa.

Agreement alone flatters a checker on a team where nearly every ticket passes: saying "pass"
every time agrees 95% with graders who pass 95%. Cohen's kappa corrects for the agreement two
raters would reach by chance with their own pass rates::

    p_o   = (both pass + both fail) / n
    p_e   = (human passes / n) * (holdthread passes / n) + (human fails / n) * (holdthread fails / n)
    kappa = (p_o - p_e) / (1 - p_e)

1 is perfect agreement, 0 no better than chance, below 0 worse than chance. When both raters
gave one and the same verdict to everything, ``p_e`` is 1 and kappa is undefined (``None``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Confusion:
    """Counts of (human verdict, holdthread verdict) pairs."""

    both_pass: int = 0
    both_fail: int = 0
    #: The human passed it, holdthread failed it: holdthread was stricter.
    only_human_passed: int = 0
    #: The human failed it, holdthread passed it: holdthread missed what the human saw.
    only_holdthread_passed: int = 0

    @classmethod
    def of(cls, pairs: Iterable[tuple[bool, bool]]) -> Confusion:
        """From ``(human passed, holdthread passed)`` pairs."""
        counts = {(True, True): 0, (False, False): 0, (True, False): 0, (False, True): 0}
        for pair in pairs:
            counts[pair] += 1
        return cls(counts[True, True], counts[False, False], counts[True, False], counts[False, True])

    @property
    def total(self) -> int:
        return self.both_pass + self.both_fail + self.only_human_passed + self.only_holdthread_passed

    @property
    def agreement(self) -> float | None:
        """The fraction of comparisons where both gave the same verdict."""
        return (self.both_pass + self.both_fail) / self.total if self.total else None

    @property
    def kappa(self) -> float | None:
        """Cohen's kappa (see the module docstring); ``None`` when undefined."""
        n = self.total
        if not n:
            return None
        human_pass = (self.both_pass + self.only_human_passed) / n
        holdthread_pass = (self.both_pass + self.only_holdthread_passed) / n
        chance = human_pass * holdthread_pass + (1 - human_pass) * (1 - holdthread_pass)
        if chance >= 1:
            return None
        observed = (self.both_pass + self.both_fail) / n
        return (observed - chance) / (1 - chance)

    def as_json(self) -> dict[str, Any]:
        return {
            "comparisons": self.total,
            "agreement": _rounded(self.agreement),
            "kappa": _rounded(self.kappa),
            "confusion": {
                "human_pass": {"holdthread_pass": self.both_pass, "holdthread_fail": self.only_human_passed},
                "human_fail": {"holdthread_pass": self.only_holdthread_passed, "holdthread_fail": self.both_fail},
            },
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
