"""A real two-host set-up: two `tracker serve` processes and one `tracker worker`
on one PostgreSQL and one Redis.

Host A runs gunicorn with two workers, host B waitress (both stateless: no
background work, `--no-refresh`); the worker reads uploads, refreshes
outcomes and runs the schedule.  Each process has its own instance folder
(as three machines would), and they share only what the README says must be
shared: the database, Redis and the secret key.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlmodel import Session, func, select

from tracker.db import make_engine, session_scope
from tracker.models import AuditEvent, Job, Meeting, RefreshJob, StagedUpload

PASSWORD = "two hosts password"
SERVE = (sys.executable, "-m", "tracker")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _add_users(url: str) -> None:
    from argon2 import PasswordHasher

    from tracker.services import accounts

    accounts.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            for email in ("target@example.org", "other@example.org"):
                accounts.create_user(
                    session=session, email=email, password=PASSWORD, role="chair", actor="test"
                )
            from factories import make_body, make_person

            make_body(session, "PD Clinical Reference Group", kind="governance")
            make_person(session, "Jade Morgan", role="lxp")
            make_person(session, "Helen Price", role="staff")
            session.commit()
    finally:
        engine.dispose()
        accounts.use_hasher(PasswordHasher())


class Host:
    """One `tracker serve` (or `tracker worker`) process with its own instance folder
    and log file."""

    def __init__(self, name: str, folder: Path, url: str, env: dict[str, str], workers: int):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.folder = folder / name
        self.folder.mkdir()
        self.log = self.folder / "stderr.log"
        command = ["serve", "--port", str(self.port), "--workers", str(workers), "--no-refresh"]
        if workers == 0:
            command = ["worker"]
        self.command = command[0]
        with self.log.open("wb") as err:
            self.process = subprocess.Popen(
                [*SERVE, "--db", url, *command],
                env={**env, "TRACKER_INSTANCE_DIR": str(self.folder / "instance")},
                cwd=self.folder,
                stdout=subprocess.DEVNULL,
                stderr=err,
            )

    def wait_up(self) -> None:
        if self.command == "worker":
            time.sleep(0.5)
            if self.process.poll() is not None:
                pytest.fail(f"worker exited: {self.log.read_text()[-2000:]}")
            return
        for _ in range(300):
            if self.process.poll() is not None:
                pytest.fail(f"host exited: {self.log.read_text()[-2000:]}")
            try:
                requests.get(self.base + "/healthz", timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        pytest.fail("the host did not start in 30 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def metrics(self) -> str:
        return requests.get(self.base + "/metrics", timeout=5).text


@pytest.fixture
def hosts(
    postgres_schema_url: str, redis_url: str, tmp_path: Path
) -> Iterator[tuple[Host, Host, Host]]:
    url = postgres_schema_url
    engine = make_engine(url)
    from conftest import _empty

    _empty(engine)
    engine.dispose()
    _add_users(url)
    env = {
        **os.environ,
        "TRACKER_SECRET_KEY": uuid.uuid4().hex,
        "TRACKER_REDIS_URL": redis_url,
        # A prefix of our own: earlier runs' counts in the same Redis do not count.
        "TRACKER_REDIS_PREFIX": f"tracker-test-{uuid.uuid4().hex[:12]}",
        "TRACKER_LOG_FORMAT": "json",
        "TRACKER_REQUIRE_MFA": "false",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    a = Host("a", tmp_path, url, env, workers=2)
    b = Host("b", tmp_path, url, env, workers=1)
    worker = Host("worker", tmp_path, url, env, workers=0)
    try:
        a.wait_up()
        b.wait_up()
        worker.wait_up()
        yield a, b, worker
    finally:
        a.stop()
        b.stop()
        worker.stop()


def _token(client: requests.Session, base: str) -> str:
    html = client.get(base + "/login", timeout=5).text
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def _post_login(client: requests.Session, base: str, email: str, password: str) -> int:
    response = client.post(
        base + "/login",
        data={"email": email, "password": password, "csrf_token": _token(client, base)},
        allow_redirects=False,
        timeout=10,
    )
    return response.status_code


def _count(metrics_text: str, route: str, method: str, status: str) -> float:
    total = 0.0
    for line in metrics_text.splitlines():
        if line.startswith("tracker_http_requests_total{"):
            labels = dict(re.findall(r'(\w+)="([^"]*)"', line))
            if (labels["route"], labels["method"], labels["status"]) == (route, method, status):
                total += float(line.rsplit(" ", 1)[1])
    return total


@pytest.mark.postgres
def test_two_hosts_share_limits_sessions_and_report_health(
    hosts: tuple[Host, Host, Host],
) -> None:
    """Are wrong passwords counted across hosts, does a sign-in made on one host
    work on the other, do /healthz, /readyz and /metrics answer, and are the
    logs JSON lines?"""
    a, b, _ = hosts
    for host in (a, b):
        assert requests.get(host.base + "/healthz", timeout=5).json() == {"status": "ok"}
        ready = requests.get(host.base + "/readyz", timeout=5)
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"] == {
            "database": "ok",
            "schema": "ok",
            "redis": "ok",
            "queue": "ok",
        }

    # A sign-in made on host A is honoured by host B (one shared secret key).
    # Done first: the wrong passwords below also limit this test's address.
    roaming = requests.Session()
    assert _post_login(roaming, a.base, "other@example.org", PASSWORD) == 303
    page = roaming.get(b.base + "/meetings/", allow_redirects=False, timeout=5)
    assert page.status_code == 200, page.headers.get("Location")

    # Wrong passwords, spread over both hosts (and host A's two workers): the
    # limit is 5 a minute per account, so the sixth is refused wherever it lands.
    on_a, on_b = requests.Session(), requests.Session()
    statuses = []
    for n in range(8):
        client, host = (on_a, a) if n % 2 == 0 else (on_b, b)
        statuses.append(_post_login(client, host.base, "target@example.org", "wrong password"))
    assert statuses[:5] == [401] * 5, statuses
    assert statuses[5:] == [429] * 3, statuses
    # Even the right password waits now, on either host.
    assert _post_login(on_a, a.base, "target@example.org", PASSWORD) == 429

    # Each host's /metrics counts its own share; together they saw every try.
    wrong = _count(a.metrics(), "/login", "POST", "401") + _count(
        b.metrics(), "/login", "POST", "401"
    )
    limited = _count(a.metrics(), "/login", "POST", "429") + _count(
        b.metrics(), "/login", "POST", "429"
    )
    assert (wrong, limited) == (5, 4)
    assert "tracker_outbox_messages" in a.metrics()

    a.stop()
    b.stop()
    for host in (a, b):
        lines = host.log.read_text(encoding="utf-8").splitlines()
        assert lines
        records = [json.loads(line) for line in lines]  # every line is one JSON object
        access = [r for r in records if r["logger"] == "tracker.access"]
        assert access, f"no access lines from {host.base}"
        for record in access:
            assert {"time", "level", "request_id", "user_id", "route", "status", "duration_ms"} <= (
                record.keys()
            )
        assert PASSWORD not in host.log.read_text(encoding="utf-8")


def _csrf(client: requests.Session, url: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(url, timeout=10).text)
    assert match, url
    return match.group(1)


def _wait(what: str, ready: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


def _json_lines(host: Host) -> list[dict[str, Any]]:
    return [json.loads(line) for line in host.log.read_text(encoding="utf-8").splitlines()]


@pytest.mark.postgres
def test_upload_on_one_host_review_and_save_on_the_other_and_the_worker_refreshes(
    hosts: tuple[Host, Host, Host], postgres_schema_url: str
) -> None:
    """A chair uploads on host A; the worker reads the file; the chair checks and
    saves it on host B; the worker, not a web host, refreshes the outcomes."""
    from tracker.services.template_docx import build_template

    a, b, worker = hosts
    chair = requests.Session()
    assert _post_login(chair, a.base, "other@example.org", PASSWORD) == 303
    upload = chair.post(
        a.base + "/meetings/upload",
        data={"csrf_token": _csrf(chair, a.base + "/meetings/upload"), "body": ""},
        files={"files": ("minutes.docx", build_template(), "application/octet-stream")},
        allow_redirects=False,
        timeout=30,
    )
    assert upload.status_code == 303, upload.text[-500:]
    review_path = upload.headers["Location"].removeprefix(a.base)
    assert review_path.startswith("/meetings/review/")
    token = review_path.rsplit("/", 1)[1]

    # Host B shows it too (from the database): "reading" until the worker has read it.
    def read() -> bool:
        page = chair.get(b.base + review_path, timeout=10)
        assert page.status_code == 200
        return "Check the minutes before saving" in page.text

    _wait("the worker to read the upload", read)
    saved = chair.post(
        b.base + review_path,
        data={
            "csrf_token": _csrf(chair, b.base + review_path),
            "body": "PD Clinical Reference Group",
            "do": "save",
        },
        allow_redirects=False,
        timeout=30,
    )
    assert saved.status_code == 303, re.findall(r"(?s)class=\"error[^>]*>(.{0,300})", saved.text)
    assert "/meetings/" in saved.headers["Location"]

    engine = make_engine(postgres_schema_url)
    try:

        def refreshed() -> bool:
            with Session(engine) as session:
                waiting = session.exec(select(func.count()).select_from(RefreshJob)).one()
                matched = session.exec(
                    select(func.count())
                    .select_from(AuditEvent)
                    .where(AuditEvent.action == "links.match", AuditEvent.actor == "refresh")
                ).one()
            return waiting == 0 and matched >= 1

        _wait("the worker to refresh the outcomes", refreshed)
        with Session(engine) as session:
            assert session.exec(select(func.count()).select_from(Meeting)).one() == 1
            assert session.exec(select(StagedUpload)).all() == []  # saved: gone from staging
            parse = session.exec(select(Job).where(Job.kind == "parse", Job.key == token)).one()
            # Read once, by the worker process (host:pid), not by a web host.
            assert (parse.status, parse.attempts) == ("done", 1)
            assert parse.worker is not None
            assert parse.worker.endswith(f":{worker.process.pid}")
    finally:
        engine.dispose()

    for host in (a, b):
        ready = requests.get(host.base + "/readyz", timeout=5).json()
        assert ready["checks"]["queue"] == "ok"
        metrics = host.metrics()
        assert 'tracker_queue_depth{queue="refresh"} 0.0' in metrics
        assert 'tracker_queue_depth{queue="jobs-failed"} 0.0' in metrics

    for process in (a, b, worker):
        process.stop()
    messages = [r["message"] for r in _json_lines(worker)]
    assert any(m.startswith("refresh done: ") for m in messages), messages
    assert any(m.startswith(f"job parse {token} done by ") for m in messages), messages
    for host in (a, b):
        assert not [r for r in _json_lines(host) if r["message"].startswith("refresh done")]
