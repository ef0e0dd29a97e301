"""Health and readiness checks, Prometheus metrics and JSON log lines.

- ``GET /healthz``: the process is up (no database call).
- ``GET /readyz``: the database answers, its schema is at our newest
  migration, and Redis answers when one is configured; 503 otherwise.
- ``GET /metrics``: Prometheus text (prometheus_client).  With several worker
  processes (``tracker serve --workers N``) the counters live in
  ``PROMETHEUS_MULTIPROC_DIR`` and are summed over the workers.  Outbox
  figures are read from the database at scrape time, so they are right
  whichever process sent the mail.
- ``configure_logging``: with ``[log] format = "json"`` every line is one JSON
  object (time, level, logger, message, request id, user id, route, status,
  duration).  Lines name routes such as ``/meetings/<int:meeting_id>``, never
  query strings or form fields, so no minutes text reaches the log.

The metric objects live in ``tracker.metrics`` (no Flask), so services and
the job queue report through ``job_finished`` and ``parse_failed``; the queue
adds its readiness check and depth with ``add_readiness_check`` and
``add_queue_depth``.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Flask, current_app, g, has_request_context, request
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy import text
from werkzeug.wrappers import Response

from tracker.metrics import LATENCY, REQUESTS

log = logging.getLogger("tracker.access")
# A request id from the client (or a proxy) is kept only if it looks like one.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
bp = Blueprint("observability", __name__)

# -- logs --------------------------------------------------------------------


class JsonFormatter(logging.Formatter):
    """One JSON object per line; request fields when inside a request."""

    FIELDS = ("request_id", "user_id", "method", "route", "status", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context():
            line["request_id"] = g.get("request_id")
            try:
                line["user_id"] = getattr(g.get("user"), "id", None)
            except Exception:  # a detached, expired row: never fail a log line
                line["user_id"] = None
            line["route"] = _route()
        for name in self.FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info and record.exc_info[0] is not None:
            # The type and frames only: exception messages may quote minutes text.
            line["error"] = record.exc_info[0].__name__
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Readable lines; the request id is added inside a request."""

    def format(self, record: logging.LogRecord) -> str:
        text_line = super().format(record)
        if has_request_context() and g.get("request_id"):
            text_line = f"{text_line} [request {g.request_id}]"
        return text_line


def configure_logging(log_format: str, level: int = logging.INFO) -> None:
    """Send every logger's lines to stderr, as text or as JSON objects."""
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(TextFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # Alembic narrates every readiness check at INFO; keep its warnings only.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # waitress and gunicorn log through their own loggers; route them to ours.
    for name in ("waitress", "gunicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True


# -- per-request hooks ---------------------------------------------------------


def _route() -> str:
    rule = request.url_rule
    return rule.rule if rule is not None else "(no route)"


def _start_request() -> None:
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
    g.request_t0 = time.perf_counter()


def _finish_request(response: Response) -> Response:
    t0 = g.get("request_t0")
    if t0 is None:
        return response
    seconds = time.perf_counter() - t0
    route = _route()
    REQUESTS.labels(route=route, method=request.method, status=str(response.status_code)).inc()
    LATENCY.labels(route=route, method=request.method).observe(seconds)
    response.headers["X-Request-ID"] = g.request_id
    if request.endpoint not in ("static", "observability.healthz", "observability.metrics"):
        log.info(
            "%s %s %s",
            request.method,
            route,
            response.status_code,
            extra={
                "method": request.method,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
            },
        )
    return response


# -- endpoints -----------------------------------------------------------------


def _json(body: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(body, indent=1) + "\n", status=status, mimetype="application/json")


@bp.get("/healthz")
def healthz() -> Response:
    """The process is up and answering."""
    return _json({"status": "ok"})


def _check_database() -> Iterator[tuple[str, str]]:
    from alembic.runtime.migration import MigrationContext

    from tracker.web import get_session

    # The request's own session: on SQLite a second connection would wait for
    # the write lock this request may already hold (a signed-in visitor).
    session = get_session()
    try:
        conn = session.connection()
        conn.execute(text("SELECT 1"))
        current = set(MigrationContext.configure(conn).get_current_heads())
    except Exception as exc:  # any driver error means "not reachable"
        session.rollback()
        yield "database", f"not reachable ({type(exc).__name__})"
        yield "schema", "unknown"
        return
    yield "database", "ok"
    heads = current_app.extensions["schema_heads"]
    if current == heads:
        yield "schema", "ok"
    elif not current:
        yield "schema", "empty: run `tracker init`"
    else:
        yield (
            "schema",
            (
                f"at {', '.join(sorted(current))}, code expects {', '.join(sorted(heads))}: "
                "run `tracker init`"
            ),
        )


def _check_redis() -> Iterator[tuple[str, str]]:
    url = current_app.config["TRACKER"].redis_url
    if not url:
        return
    import redis

    try:
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        client.ping()
        client.close()
        yield "redis", "ok"
    except Exception as exc:  # any client error means "not reachable"
        yield "redis", f"not reachable ({type(exc).__name__})"


# Other parts add their own: the job queue registers "queue" (reachable?) and
# its depth. A check returns "ok" or a short reason; a depth, a whole number.
READINESS_CHECKS: dict[str, Callable[[], str]] = {}
QUEUE_DEPTHS: dict[str, Callable[[Any], int]] = {}


def add_readiness_check(name: str, check: Callable[[], str]) -> None:
    """Make /readyz also ask ``check()``; anything but "ok" means not ready."""
    READINESS_CHECKS[name] = check


def add_queue_depth(queue: str, depth: Callable[[Any], int]) -> None:
    """Report ``depth(session)`` as tracker_queue_depth{queue=...} at each scrape."""
    QUEUE_DEPTHS[queue] = depth


def _check_added() -> Iterator[tuple[str, str]]:
    for name, check in READINESS_CHECKS.items():
        try:
            yield name, check()
        except Exception as exc:  # a failing check means "not ready", never a 500
            yield name, f"not reachable ({type(exc).__name__})"


@bp.get("/readyz")
def readyz() -> Response:
    """Ready for traffic: database reachable, schema current, Redis (and queue) reachable."""
    checks = dict(_check_database())
    checks.update(_check_redis())
    checks.update(_check_added())
    ready = all(value == "ok" for value in checks.values())
    return _json(
        {"status": "ready" if ready else "not ready", "checks": checks}, 200 if ready else 503
    )


class OutboxCollector:
    """Digest outbox figures, read from the database at each scrape."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def describe(self) -> list[GaugeMetricFamily]:
        return []  # registering must not query the database; collect() does

    def collect(self) -> Iterator[GaugeMetricFamily]:
        messages = GaugeMetricFamily(
            "tracker_outbox_messages",
            "Digest outbox rows by status (sent, failed, pending, sending, unknown, empty).",
            labels=["status"],
        )
        depth = GaugeMetricFamily(
            "tracker_queue_depth",
            "Work waiting to be done, by queue.",
            labels=["queue"],
        )
        counts: dict[str, int] = {}
        try:
            rows = self.session.connection().execute(
                text("SELECT status, COUNT(*) FROM digestperiod GROUP BY status")
            )
            counts = {str(status): int(n) for status, n in rows}
        except Exception:  # a scrape must not fail because the database is down
            self.session.rollback()
            logging.getLogger("tracker.metrics").warning("outbox figures unavailable")
            return
        for status in ("pending", "sending", "sent", "failed", "unknown", "empty"):
            counts.setdefault(status, 0)
        for status, n in sorted(counts.items()):
            messages.add_metric([status], n)
        depth.add_metric(["outbox"], counts["pending"] + counts["sending"] + counts["unknown"])
        for queue, count in sorted(QUEUE_DEPTHS.items()):
            try:
                depth.add_metric([queue], count(self.session))
            except Exception:  # one queue's figure must not spoil the scrape
                self.session.rollback()
                logging.getLogger("tracker.metrics").warning("queue %s depth unavailable", queue)
        yield messages
        yield depth


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus text exposition of this process (or of every worker)."""
    token = current_app.config["TRACKER"].metrics_token
    if token:
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return Response("a bearer token is needed\n", status=401, mimetype="text/plain")
    from prometheus_client import REGISTRY

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        counters = CollectorRegistry()
        multiprocess.MultiProcessCollector(counters)
    else:
        counters = REGISTRY
    database = CollectorRegistry()
    from tracker.web import get_session

    database.register(OutboxCollector(get_session()))
    body = generate_latest(counters) + generate_latest(database)
    return Response(body, mimetype=CONTENT_TYPE_LATEST)


def schema_heads(url: str) -> set[str]:
    """Return the newest migration ids our code knows."""
    from alembic.script import ScriptDirectory

    from tracker.db import alembic_config

    return set(ScriptDirectory.from_config(alembic_config(url)).get_heads())


def init_observability(app: Flask) -> None:
    """Add request ids, metrics, access log lines and the three endpoints."""
    from tracker.web import csrf

    app.extensions["schema_heads"] = schema_heads(app.config["TRACKER"].resolved_database_url)
    app.before_request(_start_request)
    app.after_request(_finish_request)
    app.register_blueprint(bp)
    csrf.exempt(bp)
