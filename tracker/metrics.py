"""Prometheus metric objects, free of Flask so that services can count events.

With several worker processes, ``PROMETHEUS_MULTIPROC_DIR`` must be set before
this module is first imported (``tracker serve --workers N`` does it).
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

REQUESTS = Counter(
    "tracker_http_requests",
    "HTTP requests answered, by route, method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "tracker_http_request_duration_seconds",
    "Time to answer an HTTP request, by route.",
    ["route", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
JOBS = Counter(
    "tracker_jobs",
    "Background jobs finished, by job and result (ok or failed).",
    ["job", "result"],
)
PARSE_FAILURES = Counter(
    "tracker_parse_failures",
    "Minutes files refused or failed to parse, by error code.",
    ["code"],
)


def job_finished(job: str, *, ok: bool) -> None:
    """Count one background job run (the queue calls this)."""
    JOBS.labels(job=job, result="ok" if ok else "failed").inc()


def parse_failed(code: str) -> None:
    """Count one refused or failed minutes file, by its error code."""
    PARSE_FAILURES.labels(code=code or "unknown").inc()
