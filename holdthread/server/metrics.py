"""Prometheus metrics: requests, latency, verdicts, findings per rule, shed load, time-outs.

With several uvicorn workers each process counts its own requests; ``holdthread serve`` sets
``PROMETHEUS_MULTIPROC_DIR`` so that ``/metrics``, whichever worker answers, adds them all up
(prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from holdthread.linter.models import Report

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

REQUESTS = Counter("holdthread_requests_total", "HTTP requests answered, by endpoint and status code",
                   ["endpoint", "status"])
LATENCY = Histogram("holdthread_request_seconds", "Time to answer a request, by endpoint", ["endpoint"],
                    buckets=(0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0))
VERDICTS = Counter("holdthread_verdicts_total", "Check verdicts, by source", ["source", "verdict"])
FINDINGS = Counter("holdthread_findings_total", "Findings, by rule and severity", ["rule", "severity"])
TIMEOUTS = Counter("holdthread_timeouts_total", "Checks answered 'pass' because the time budget ran out", ["source"])
SHED = Counter("holdthread_shed_total", "Requests refused with 503 because too many checks were in flight")
DUPLICATES = Counter("holdthread_duplicate_deliveries_total", "Webhook deliveries seen before and skipped", ["source"])
RELOADS = Counter("holdthread_policy_reloads_total", "Policy reloads, by result (ok or failed)", ["result"])

CONTENT_TYPE = CONTENT_TYPE_LATEST


def observe_report(source: str, report: Report) -> None:
    VERDICTS.labels(source, report.verdict).inc()
    for annotation in report.annotations:
        FINDINGS.labels(annotation.rule, annotation.severity).inc()


def exposition() -> bytes:
    """The text exposition of every worker's metrics (or this process's, without multiprocess mode)."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY)
