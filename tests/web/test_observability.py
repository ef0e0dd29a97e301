"""Health, readiness, Prometheus metrics and JSON log lines, on both databases."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from factories import make_person
from tracker import create_app
from tracker.config import Settings
from tracker.errors import BadInput
from tracker.models import DigestPeriod
from tracker.observability import JsonFormatter
from tracker.services.ingest import read_minutes
from web.support import PASSWORD, csrf_token, make_user

CLOSED_PORT = 9  # discard: nothing listens on it here


def metric(client: FlaskClient, name: str, **labels: str) -> float:
    """Read one sample from /metrics (0 when the series does not exist yet)."""
    body = client.get("/metrics").get_data(as_text=True)
    for line in body.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_healthz_answers_without_the_database(tmp_path: Path) -> None:
    """Does /healthz say the process is up even when no database answers?"""
    settings = Settings(
        database_url=f"postgresql://nobody@127.0.0.1:{CLOSED_PORT}/none",
        instance_dir=str(tmp_path),
        secret_key="k",
    )
    response = create_app(settings).test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_is_ready_on_a_migrated_database(client: FlaskClient) -> None:
    """Is a migrated, reachable database ready (no Redis configured)?"""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ready",
        "checks": {"database": "ok", "schema": "ok", "queue": "ok"},
    }


def test_readyz_and_metrics_answer_a_signed_in_visitor(client: FlaskClient, login) -> None:
    """Do the checks share the request's session (SQLite: no wait for our own lock)?"""
    login("chair")
    assert client.get("/readyz").status_code == 200
    assert client.get("/metrics").status_code == 200
    assert metric(client, "tracker_queue_depth", queue="outbox") == 0


def test_readyz_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    """Does a database without our schema give 503 and say to run tracker init?"""
    settings = Settings(instance_dir=str(tmp_path), secret_key="k")
    response = create_app(settings).test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "not ready"
    assert body["checks"]["database"] == "ok"
    assert "tracker init" in body["checks"]["schema"]


def test_readyz_refuses_an_unreachable_database(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"postgresql://nobody@127.0.0.1:{CLOSED_PORT}/none",
        instance_dir=str(tmp_path),
        secret_key="k",
    )
    response = create_app(settings).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"].startswith("not reachable")


def test_readyz_checks_redis_when_configured(settings: Settings, redis_url: str) -> None:
    """Is Redis checked when set, and a dead Redis reported as not ready?"""
    from dataclasses import replace

    redis_down = replace(settings, redis_url=f"redis://127.0.0.1:{CLOSED_PORT}/0")
    response = create_app(redis_down).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["redis"].startswith("not reachable")
    response = create_app(replace(settings, redis_url=redis_url)).test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"]["redis"] == "ok"


def test_metrics_count_requests_by_route_and_status(client: FlaskClient) -> None:
    """Does each request add one to its route's counter and latency histogram?"""
    before = metric(
        client, "tracker_http_requests_total", route="/login", method="GET", status="200"
    )
    seen_before = metric(
        client, "tracker_http_request_duration_seconds_count", route="/login", method="GET"
    )
    client.get("/login")
    client.get("/login")
    client.get("/no-such-page")
    after = metric(
        client, "tracker_http_requests_total", route="/login", method="GET", status="200"
    )
    assert after == before + 2
    assert (
        metric(client, "tracker_http_request_duration_seconds_count", route="/login", method="GET")
        == seen_before + 2
    )
    # Unknown paths share one label, so a scanner cannot blow up the series.
    assert metric(client, "tracker_http_requests_total", route="(no route)", status="404") >= 1
    assert "/no-such-page" not in client.get("/metrics").get_data(as_text=True)


def test_metrics_count_parse_failures_by_code(
    client: FlaskClient, db: Session, settings: Settings
) -> None:
    before = metric(client, "tracker_parse_failures_total", code="not-docx")
    with pytest.raises(BadInput):
        read_minutes(session=db, settings=settings, data=b"just some text", filename="notes.txt")
    assert metric(client, "tracker_parse_failures_total", code="not-docx") == before + 1


def test_metrics_show_the_outbox_from_the_database(client: FlaskClient, db: Session) -> None:
    """Are digests sent and failed, and the waiting queue, read from the outbox rows?"""
    person = make_person(db, role="lxp")
    db.commit()
    for n, status in enumerate(("sent", "sent", "failed", "pending")):
        db.add(
            DigestPeriod(
                person_id=person.id,
                period=f"2021-W{10 + n}",
                covers_to=datetime(2021, 3, 1, tzinfo=UTC),
                status=status,
                message_id=f"<m{n}@test>",
            )
        )
    db.commit()
    assert metric(client, "tracker_outbox_messages", status="sent") == 2
    assert metric(client, "tracker_outbox_messages", status="failed") == 1
    assert metric(client, "tracker_queue_depth", queue="outbox") == 1


def test_metrics_token_is_asked_for_when_set(settings: Settings) -> None:
    from dataclasses import replace

    client = create_app(replace(settings, metrics_token="s3cret-token")).test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    response = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
    assert response.status_code == 200
    assert "tracker_http_requests_total" in response.get_data(as_text=True)


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """Capture the app's log lines through the JSON formatter."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield buffer
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_json_logs_carry_request_fields_and_no_form_text(
    app: Flask, client: FlaskClient, db: Session, json_lines: io.StringIO
) -> None:
    """Is every line one JSON object with request id, user, route, status and time,
    and are passwords, form fields and query strings kept out?"""
    user = make_user(db, "chair")
    token = csrf_token(client)
    client.post(
        "/login?next=/meetings/%3Fq%3Dprivate-query-words",
        data={"email": user.email, "password": "private-wrong-words", "csrf_token": token},
    )
    client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    response = client.get("/meetings/", headers={"X-Request-ID": "probe-request-0001"})
    lines = [json.loads(line) for line in json_lines.getvalue().splitlines()]
    assert lines, "no log lines"
    for line in lines:
        assert {"time", "level", "logger", "message"} <= line.keys()
    access = [line for line in lines if line["logger"] == "tracker.access"]
    failed = next(line for line in access if line["route"] == "/login" and line["status"] == 401)
    assert failed["user_id"] is None and failed["method"] == "POST"
    assert failed["duration_ms"] >= 0 and len(failed["request_id"]) == 32
    last = access[-1]
    assert last["request_id"] == "probe-request-0001" == response.headers["X-Request-ID"]
    assert last["user_id"] == user.id
    assert last["route"] == "/meetings/" and last["status"] == response.status_code
    text = json_lines.getvalue()
    assert "private-wrong-words" not in text and "private-query-words" not in text
    assert PASSWORD not in text


def test_a_made_up_request_id_is_replaced(client: FlaskClient) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "<script>x</script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_other_parts_can_add_a_readiness_check_and_a_queue_depth(client: FlaskClient) -> None:
    """Can the job queue make /readyz ask about it, and report its depth?"""
    from tracker import observability

    state = {"queue": "ok"}

    def queue_check() -> str:
        if state["queue"] == "boom":
            raise ConnectionError("down")
        return state["queue"]

    observability.add_readiness_check("queue", queue_check)
    observability.add_queue_depth("jobs", lambda session: 7)
    try:
        assert client.get("/readyz").get_json()["checks"]["queue"] == "ok"
        assert metric(client, "tracker_queue_depth", queue="jobs") == 7
        state["queue"] = "boom"
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.get_json()["checks"]["queue"] == "not reachable (ConnectionError)"
    finally:
        observability.READINESS_CHECKS.pop("queue")
        observability.QUEUE_DEPTHS.pop("jobs")
