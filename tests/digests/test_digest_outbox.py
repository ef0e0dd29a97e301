"""The outbox sender against a real SMTP server on loopback: faults, crashes, races.

Only the clock is controlled (``drain(clock=...)``); the database, the SMTP
server and the network are real.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from digests.digest_support import SmtpServer, at, free_port, make_settings
from factories import make_person
from tracker.config import Settings
from tracker.db import make_engine
from tracker.models import AuditEvent, DigestPeriod
from tracker.services.digests import make_message_id, now_utc
from tracker.services.outbox import BACKOFF_SECONDS, UNKNOWN_HOLD, claim_one, drain

ROOT = Path(__file__).resolve().parents[2]
T0 = at(2021, 3, 22, 8)


def queue(session: Session, settings: Settings, n: int) -> list[DigestPeriod]:
    rows = []
    for i in range(n):
        person = make_person(session, f"Lxp {i}", email=f"lxp{i}@example.org")
        rows.append(
            DigestPeriod(
                person_id=person.id or 0,
                period="2021-W12",
                covers_to=T0,
                message_id=make_message_id(settings, "lxp-digest", "2021-W12", person.id or 0),
                subject=f"Update {i}",
                body_text=f"Hello Lxp {i}\n",
                body_html=f"<p>Hello Lxp {i}</p>",
                created_at=T0,
            )
        )
    session.add_all(rows)
    session.commit()
    return rows


def clock(when: datetime) -> Callable[[], datetime]:
    return lambda: when


def reload(session: Session, row: DigestPeriod) -> DigestPeriod:
    session.expire_all()
    fresh = session.get(DigestPeriod, row.id)
    assert fresh is not None
    # End the read: on SQLite every transaction is BEGIN IMMEDIATE (a write lock).
    session.commit()
    return fresh


@pytest.mark.parametrize("fault", ["451", "452"])
def test_temporary_4xx_is_retried_with_backoff_and_delivered_once(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer, fault: str
) -> None:
    """Is a 451 at RCPT (or 452 at DATA) retried after about a minute, and delivered once?"""
    [row] = queue(session, settings, 1)
    smtp.recorder.plan("lxp0@example.org", fault)
    assert drain(engine=engine, settings=settings, clock=clock(T0)).retrying == 1
    row = reload(session, row)
    assert row.status == "pending" and row.attempts == 1 and fault in (row.last_error or "")
    wait = row.next_attempt_at - T0  # type: ignore[operator]
    assert timedelta(seconds=48) <= wait <= timedelta(seconds=72)
    assert (
        drain(engine=engine, settings=settings, clock=clock(T0 + timedelta(seconds=30))).sent == 0
    )
    assert drain(engine=engine, settings=settings, clock=clock(T0 + timedelta(minutes=2))).sent == 1
    assert smtp.recorder.count_by_message_id() == {row.message_id: 1}
    assert reload(session, row).status == "sent"


def test_permanent_550_is_recorded_alerted_and_never_retried(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer
) -> None:
    """Is a 550 marked failed with the server's words, audited, and left alone?"""
    [row, other] = queue(session, settings, 2)
    smtp.recorder.plan("lxp0@example.org", "550")
    summary = drain(engine=engine, settings=settings, clock=clock(T0))
    assert (summary.failed, summary.sent) == (1, 1)
    row = reload(session, row)
    assert row.status == "failed" and "550" in (row.last_error or "") and row.attempts == 1
    drain(engine=engine, settings=settings, clock=clock(T0 + timedelta(days=30)))
    assert reload(session, row).attempts == 1
    alerts = session.exec(select(AuditEvent).where(AuditEvent.action == "digest.failed")).all()
    session.commit()
    assert [a.object_id for a in alerts] == [str(row.id)]
    assert smtp.recorder.count_by_message_id() == {other.message_id: 1}


def test_gives_up_after_the_backoff_ladder(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer
) -> None:
    """After 1 min, 5 min, 30 min, 2 h and 12 h of 4xx, does the row fail for good?"""
    [row] = queue(session, settings, 1)
    smtp.recorder.plan("lxp0@example.org", *["451"] * 6)
    now = T0
    waits = []
    for _ in range(6):
        drain(engine=engine, settings=settings, clock=clock(now))
        fresh = reload(session, row)
        if fresh.next_attempt_at and fresh.status == "pending":
            waits.append((fresh.next_attempt_at - now).total_seconds())
            now = fresh.next_attempt_at
    assert len(waits) == len(BACKOFF_SECONDS)
    for wait, base in zip(waits, BACKOFF_SECONDS, strict=True):
        assert 0.8 * base <= wait <= 1.2 * base
    fresh = reload(session, row)
    assert fresh.status == "failed" and fresh.attempts == 6
    assert "gave up after 6 tries" in (fresh.last_error or "")
    assert smtp.recorder.delivered == []


def test_drop_after_data_is_unknown_then_resent_once_with_same_message_id(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer
) -> None:
    """Policy: a drop after DATA -> 'unknown', one resend after an hour, same Message-ID."""
    [row] = queue(session, settings, 1)
    smtp.recorder.plan("lxp0@example.org", "drop")
    assert drain(engine=engine, settings=settings, clock=clock(T0)).unknown == 1
    fresh = reload(session, row)
    assert fresh.status == "unknown" and fresh.next_attempt_at == T0 + UNKNOWN_HOLD
    drain(engine=engine, settings=settings, clock=clock(T0 + timedelta(minutes=30)))
    assert reload(session, row).status == "unknown"
    drain(engine=engine, settings=settings, clock=clock(T0 + timedelta(minutes=61)))
    assert reload(session, row).status == "sent"
    # The server took the first copy too: two copies, one Message-ID, no third.
    assert smtp.recorder.count_by_message_id() == {row.message_id: 2}
    drain(engine=engine, settings=settings, clock=clock(T0 + timedelta(days=2)))
    assert smtp.recorder.count_by_message_id() == {row.message_id: 2}


def test_second_drop_is_held_for_review(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer
) -> None:
    """If the one resend also ends unknown, is the row held (no more sends) and alerted?"""
    [row] = queue(session, settings, 1)
    smtp.recorder.plan("lxp0@example.org", "drop", "drop")
    drain(engine=engine, settings=settings, clock=clock(T0))
    drain(engine=engine, settings=settings, clock=clock(T0 + timedelta(hours=2)))
    drain(engine=engine, settings=settings, clock=clock(T0 + timedelta(days=7)))
    fresh = reload(session, row)
    assert fresh.status == "unknown" and fresh.next_attempt_at is None and fresh.attempts == 2
    assert "held for review" in (fresh.last_error or "")
    assert smtp.recorder.count_by_message_id() == {row.message_id: 2}
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "digest.unknown")).all()


def test_server_down_then_back(
    session: Session, engine: Engine, tmp_path: Path, db_url: str
) -> None:
    """With the SMTP server down, is mail kept and sent once it is back?"""
    port = free_port()
    settings = make_settings(tmp_path, db_url, f"smtp://127.0.0.1:{port}")
    [row] = queue(session, settings, 1)
    assert drain(engine=engine, settings=settings, clock=clock(T0)).retrying == 1
    assert "cannot reach" in (reload(session, row).last_error or "")
    server = SmtpServer(port)
    try:
        drain(engine=engine, settings=settings, clock=clock(T0 + timedelta(minutes=2)))
        assert server.recorder.count_by_message_id() == {row.message_id: 1}
    finally:
        server.stop()


def test_expired_lease_is_requeued(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer
) -> None:
    """Is a row claimed by a sender that died sent once its lease runs out, not before?"""
    [row] = queue(session, settings, 1)
    with Session(engine) as other:
        assert claim_one(other, now=T0) is not None  # ...and then the sender dies
    drain(engine=engine, settings=settings, clock=clock(T0 + timedelta(minutes=5)))
    assert smtp.recorder.delivered == []
    drain(engine=engine, settings=settings, clock=clock(T0 + timedelta(minutes=11)))
    assert smtp.recorder.count_by_message_id() == {row.message_id: 1}
    assert reload(session, row).attempts == 2


def test_sender_killed_mid_round_then_restarted_delivers_rest_without_duplicates(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer, db_url: str
) -> None:
    """kill -9 the sender while the server holds message 3: does a restart finish the job?"""
    rows = queue(session, settings, 5)
    smtp.recorder.plan("lxp2@example.org", "block")
    env = {
        **os.environ,
        "TRACKER_SMTP_URL": settings.smtp_url,
        "TRACKER_MAIL_FROM": settings.mail_from,
        "TRACKER_SECRET_KEY": settings.secret_key,
        "TRACKER_INSTANCE_DIR": settings.instance_dir,
        "TRACKER_CONFIG": str(Path(settings.instance_dir) / "none.toml"),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", db_url, "digests", "drain"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert smtp.recorder.blocked.wait(30), "the sender never reached message 3"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    time.sleep(0.3)  # let the server see the connection go before it would reply
    smtp.recorder.release.set()
    session.expire_all()
    statuses = [reload(session, r).status for r in rows]
    assert statuses == ["sent", "sent", "sending", "pending", "pending"]
    # Restart after the lease has run out (the clock moves; nothing else is faked).
    later = now_utc() + timedelta(minutes=11)
    drain(engine=engine, settings=settings, clock=clock(later))
    counts = smtp.recorder.count_by_message_id()
    assert counts == {r.message_id: 1 for r in rows}
    assert [reload(session, r).status for r in rows] == ["sent"] * 5


def test_two_senders_racing_deliver_each_message_once(
    session: Session, settings: Settings, smtp: SmtpServer, db_url: str
) -> None:
    """Two senders on one outbox (SKIP LOCKED on PostgreSQL): is every message sent once?"""
    rows = queue(session, settings, 24)
    results = []
    errors: list[BaseException] = []

    def run() -> None:
        engine = make_engine(db_url)
        try:
            results.append(drain(engine=engine, settings=settings))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sum(r.sent for r in results) == 24
    assert smtp.recorder.count_by_message_id() == {r.message_id: 1 for r in rows}
    if db_url.startswith("postgresql"):
        # Both really worked: SKIP LOCKED let them take different rows.
        assert all(r.sent > 0 for r in results)


@pytest.mark.parametrize("name", ["Ann\r\nBcc: x@example.org", "Ann\nSubject: hi"])
def test_header_injection_is_impossible(name: str) -> None:
    """Can CR/LF in a subject or display name add a header?"""
    from tracker.mail import RenderedEmail, build_message

    msg = build_message(
        RenderedEmail(subject=f"Hi {name}", text="x\n", html=""),
        mail_from="tracker@example.org",
        to="ann@example.org",
        to_name=name,
        message_id="<a@b>",
    )
    raw = msg.as_bytes()
    assert b"\nBcc:" not in raw and raw.count(b"\nSubject:") + raw.startswith(b"Subject:") <= 1
    with pytest.raises(ValueError):
        build_message(
            RenderedEmail("s", "x\n", ""),
            mail_from="tracker@example.org",
            to="ann@example.org\r\nBcc: x@example.org",
            message_id="<a@b>",
        )
