"""Background work as rows of the ``job`` table: queued once, claimed by one worker.

Why a table in our own database and not RQ, procrastinate or huey (measured
and compared in README "Operations"): a job is queued in the same
transaction as the change that needs it, so a change is never stored
without its job and a rolled-back change leaves no job behind; it works the
same on SQLite (``make run``, no other service) and PostgreSQL; and it adds
no service to run or back up.  RQ and huey enqueue outside our transaction
(a crash between commit and enqueue loses the job) and need a second code
path for SQLite anyway; procrastinate is PostgreSQL-only and brings its own
schema beside Alembic's.

How it stays at most once:

- ``(kind, key)`` is unique: "the digest round of week W" or "retention on
  day D" is one row however many times it is queued (``enqueue`` ignores a
  repeat), so one schedule decides what is due and nothing runs twice;
- a worker claims a row with ``SELECT ... FOR UPDATE SKIP LOCKED`` on
  PostgreSQL, or inside ``BEGIN IMMEDIATE`` on SQLite, sets it ``running``
  with a lease and commits before running it: another worker skips it;
- a failure puts it back with a backoff (``BACKOFF``); after
  ``MAX_ATTEMPTS`` it stays ``failed`` for a person to look at; a worker
  that dies mid-job leaves a lease that expires, and the row is claimed
  again (``LEASE``).

Handlers take (engine, settings, key) and own their transactions; they are
registered by services/job_kinds.py (parse, retention) and scheduler.py
(digest-round).  A process claims only the kinds it has a handler for.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, delete, func, or_, select

from tracker.config import Settings
from tracker.db import begin_write
from tracker.models import Job, utcnow

log = logging.getLogger("tracker.jobs")

#: Waits after the 1st, 2nd, ... failure before the next try.
BACKOFF = (timedelta(seconds=10), timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30))
MAX_ATTEMPTS = len(BACKOFF) + 1
#: A running job whose worker went quiet this long is claimed again.
LEASE = timedelta(minutes=15)
#: An upload no worker has started reading after this long is read by the web app.
NO_WORKER_AFTER = timedelta(seconds=20)

Handler = Callable[[Engine, Settings, str], None]
HANDLERS: dict[str, Handler] = {}

#: Set when work is queued in this process: its background worker wakes at once.
WAKE = threading.Event()


def wake() -> None:
    """Wake this process's background worker now (new work was queued)."""
    WAKE.set()


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that does jobs of this kind."""

    def register(func: Handler) -> Handler:
        HANDLERS[kind] = func
        return func

    return register


def worker_name() -> str:
    """This process, as shown on the rows it claims and in its logs."""
    return f"{socket.gethostname()}:{os.getpid()}"


def enqueue(
    session: Session, kind: str, key: str = "", *, run_after: datetime | None = None
) -> None:
    """Queue a job in the caller's transaction (the caller commits); a repeat is ignored."""
    values = {
        "kind": kind,
        "key": key,
        "status": "queued",
        "attempts": 0,
        "run_after": run_after or utcnow(),
        "created_at": utcnow(),
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.exec(  # type: ignore[call-overload]
        insert(Job).values(**values).on_conflict_do_nothing(index_elements=["kind", "key"])
    )
    wake()


@dataclass(frozen=True)
class Claimed:
    id: int
    kind: str
    key: str
    attempts: int


def claim(
    session: Session,
    *,
    worker: str,
    now: datetime | None = None,
    kind: str | None = None,
    key: str | None = None,
) -> Claimed | None:
    """Take the next due job (of this kind and key, when given; else of a kind this
    process can do) for this worker and commit the claim; None when none is due."""
    now = now or utcnow()
    begin_write(session)  # SQLite: BEGIN IMMEDIATE, one claimer at a time
    only = []
    if kind is not None:
        only.append(col(Job.kind) == kind)
    else:
        only.append(col(Job.kind).in_(sorted(HANDLERS)))
    if key is not None:
        only.append(col(Job.key) == key)
    due = (
        select(Job)
        .where(
            *only,
            col(Job.run_after) <= now,
            or_(
                col(Job.status) == "queued",
                (col(Job.status) == "running") & (col(Job.lease_until) < now),
            ),
        )
        .order_by(col(Job.run_after), col(Job.id))
        .limit(1)
        .with_for_update(skip_locked=True)  # PostgreSQL: racing workers take different rows
    )
    job = session.exec(due).first()
    if job is None:
        session.rollback()
        return None
    job.status, job.worker, job.lease_until = "running", worker, now + LEASE
    job.attempts += 1
    session.add(job)
    session.commit()
    return Claimed(job.id or 0, job.kind, job.key, job.attempts)


def _finish(engine: Engine, claimed: Claimed, error: str | None) -> None:
    now = utcnow()
    with Session(engine) as session:
        job = session.get(Job, claimed.id)
        if job is None:
            return
        job.lease_until = None
        if error is None:
            job.status, job.finished_at, job.last_error = "done", now, None
        elif claimed.attempts >= MAX_ATTEMPTS:
            job.status, job.finished_at, job.last_error = "failed", now, error
        else:
            job.status, job.last_error = "queued", error
            job.run_after = now + BACKOFF[claimed.attempts - 1]
        session.add(job)
        session.commit()
    # Imported here: prometheus_client must not load before `tracker serve --workers N`
    # has set its shared metrics folder (this module is imported by every command).
    from tracker.metrics import job_finished

    job_finished(claimed.kind, ok=error is None)


def run_one(
    engine: Engine,
    settings: Settings,
    *,
    worker: str | None = None,
    kind: str | None = None,
    key: str | None = None,
) -> Claimed | None:
    """Claim and do one due job; return it, or None when nothing is due. Never raises."""
    worker = worker or worker_name()
    with Session(engine, expire_on_commit=False) as session:
        claimed = claim(session, worker=worker, kind=kind, key=key)
    if claimed is None:
        return None
    func = HANDLERS.get(claimed.kind)
    error: str | None = None
    try:
        if func is None:
            raise LookupError(f"no handler for {claimed.kind}")
        func(engine, settings, claimed.key)
    except Exception as exc:
        # The type only: a message could quote what someone said.
        error = type(exc).__name__
        log.error(
            "job %s %s failed (try %d): %s", claimed.kind, claimed.key, claimed.attempts, error
        )
    else:
        log.info("job %s %s done by %s", claimed.kind, claimed.key, worker)
    _finish(engine, claimed, error)
    return claimed


def run_due(engine: Engine, settings: Settings, *, worker: str | None = None) -> int:
    """Do every job that is due now; return how many were run."""
    done = 0
    while run_one(engine, settings, worker=worker) is not None:
        done += 1
    return done


def run_if_waiting(
    engine: Engine, settings: Settings, kind: str, key: str, *, waited: timedelta
) -> bool:
    """Do this one job here and now if no worker has taken it within ``waited``.

    The web app's fallback when no worker runs (a host started with
    ``--no-refresh`` and no ``tracker worker``): the claim still makes sure
    it is done once.  Return whether it was done here.
    """
    with Session(engine) as session:
        job = session.exec(select(Job).where(Job.kind == kind, Job.key == key)).first()
        stale = job is not None and job.status == "queued" and job.created_at < utcnow() - waited
        session.rollback()
    if not stale:
        return False
    log.warning("no worker took job %s within %s: done by the web app", kind, waited)
    return run_one(engine, settings, kind=kind, key=key) is not None


def reachable(engine: Engine) -> Callable[[], str]:
    """A /readyz check: the queue (a table) can be read."""

    def check() -> str:
        with Session(engine) as session:
            counts(session)
        return "ok"

    return check


def counts(session: Session) -> dict[str, int]:
    """Jobs by status (queued, running, done, failed)."""
    rows = session.exec(select(Job.status, func.count()).group_by(Job.status)).all()
    found = dict.fromkeys(("queued", "running", "done", "failed"), 0)
    found.update({str(status): int(n) for status, n in rows})
    return found


def forget_done(session: Session, *, keep_days: int = 30, now: datetime | None = None) -> int:
    """Delete jobs finished more than ``keep_days`` ago (no commit); return how many."""
    cutoff = (now or utcnow()) - timedelta(days=keep_days)
    result = session.exec(  # type: ignore[call-overload]
        delete(Job).where(col(Job.status) == "done", col(Job.finished_at) < cutoff)
    )
    return int(result.rowcount or 0)


def failed(session: Session) -> list[Job]:
    """Jobs that gave up after MAX_ATTEMPTS tries, oldest first."""
    return list(session.exec(select(Job).where(Job.status == "failed").order_by(col(Job.id))).all())


def retry_failed(session: Session) -> int:
    """Queue every failed job again, from its first try (commits); return how many."""
    begin_write(session)
    rows = failed(session)
    for job in rows:
        job.status, job.attempts, job.run_after = "queued", 0, utcnow()
        job.finished_at = job.lease_until = None
        session.add(job)
    session.commit()
    return len(rows)
