"""The Dask worker plugin: each worker process builds the audit's Linter once, when it joins.

Kept apart from :mod:`holdthread.audit.engines` so that ``distributed`` is imported only when
the Dask engine is used (it is an optional extra).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from holdthread.audit.work import init_worker


class LinterPlugin(WorkerPlugin):
    """Builds the Linter for the audit's policy in every worker, before tasks arrive."""

    def __init__(self, policy_data: Mapping[str, Any]) -> None:
        self.policy_data = dict(policy_data)

    def setup(self, worker: Any) -> None:
        init_worker(self.policy_data)
