"""A real two-host set-up: two `tracker serve` processes on one PostgreSQL and one Redis.

Host A runs gunicorn with two workers, host B waitress; each has its own
instance folder (as two machines would), and they share only what the README
says must be shared: the database, Redis and the secret key.
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
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tracker.db import make_engine, session_scope

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
    finally:
        engine.dispose()
        accounts.use_hasher(PasswordHasher())


class Host:
    """One `tracker serve` process with its own instance folder and log file."""

    def __init__(self, name: str, folder: Path, url: str, env: dict[str, str], workers: int):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.folder = folder / name
        self.folder.mkdir()
        self.log = self.folder / "stderr.log"
        with self.log.open("wb") as err:
            self.process = subprocess.Popen(
                [*SERVE, "--db", url, "serve", "--port", str(self.port), "--workers", str(workers)],
                env={**env, "TRACKER_INSTANCE_DIR": str(self.folder / "instance")},
                cwd=self.folder,
                stdout=subprocess.DEVNULL,
                stderr=err,
            )

    def wait_up(self) -> None:
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
def hosts(postgres_schema_url: str, redis_url: str, tmp_path: Path) -> Iterator[tuple[Host, Host]]:
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
    try:
        a.wait_up()
        b.wait_up()
        yield a, b
    finally:
        a.stop()
        b.stop()


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
def test_two_hosts_share_limits_sessions_and_report_health(hosts: tuple[Host, Host]) -> None:
    """Are wrong passwords counted across hosts, does a sign-in made on one host
    work on the other, do /healthz, /readyz and /metrics answer, and are the
    logs JSON lines?"""
    a, b = hosts
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
