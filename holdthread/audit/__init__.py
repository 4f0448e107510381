"""``holdthread audit``: lint historical helpdesk exports at any scale.

The package is split by job: :mod:`.inputs` turns paths into records (detecting the source),
:mod:`.work` lints chunks of tickets (in this process, a process pool or on Dask workers, see
:mod:`.engines`), :mod:`.cache` skips unchanged tickets, :mod:`.outputs` and :mod:`.state` write
outputs in committed chunks so a killed run can resume, :mod:`.summary` keeps bounded aggregates
and :mod:`.report` renders them as an offline HTML page. :mod:`.pipeline` ties them together.
"""

from holdthread.audit.pipeline import AuditOptions, AuditResult, run_audit

__all__ = ["AuditOptions", "AuditResult", "run_audit"]
