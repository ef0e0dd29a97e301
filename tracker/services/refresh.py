"""Keep outcomes current: the one owner of refreshing links and outcomes.

Every change that can move an outcome calls one function here, inside the
transaction that makes the change:

- minutes stored (web or command line, a new version too): ``after_meeting_stored``
  queues a rematch (keyed by the meeting's workstream, for the record);
- a person erased: ``after_person_erased`` queues one for each workstream they spoke in;
- a link confirmed or rejected, not-taken-forward recorded or withdrawn, a
  chair's check: ``recompute_points`` reclassifies those points at once (a
  few rows; no matching).

Queued jobs are rows of ``refreshjob``, written in the same transaction as
the change, so a change is never stored without its refresh. ``run_pending``
does them all in one go: the matcher scores every current record (it weighs
words by their rarity across all of them, so one new meeting moves every
score a little, and anything less would drift from a full rebuild), only
the difference with the stored links is written, and only outcomes that
changed are rewritten. Refreshing meeting by meeting therefore gives exactly
the outcomes of a full rebuild (``tracker match``), which stays as the
same code run by hand.

Who runs the jobs: the command line at once (an import returns with outcomes
current); the web app in a background thread (``BackgroundWorker``), never
inside a request; every digest round first (``ensure_current``). The job
queue sits behind two calls, ``enqueue`` and ``run_pending``.

At most one refresh runs at a time, across every process on the database
(several ``tracker worker`` processes, or a web host's thread beside them):
``run_pending`` first takes ``refresh_lock``, a PostgreSQL advisory lock, or
on SQLite (one host) an exclusive lock on a file beside the database.  A
process that finds it taken skips this turn; the holder's run, or the next
turn, covers the jobs.  The same thread or worker also does the rows of the
``job`` table (services/jobs.py): parsing uploads, digest rounds, retention.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from sqlalchemy import Engine, text
from sqlmodel import Session, func, select

from tracker.config import Settings
from tracker.models import (
    RECORD_MODELS,
    Body,
    Contribution,
    Link,
    Meeting,
    RefreshJob,
)
from tracker.services import jobs
from tracker.services.agenda_requests import update_agenda_requests

MODELS = RECORD_MODELS

log = logging.getLogger("tracker.refresh")

#: How often the background worker looks for jobs queued by other processes.
POLL_SECONDS = 1.0
#: A job that failed this many times is left for `tracker match` (and logged).
MAX_ATTEMPTS = 5

_wake = jobs.WAKE  # one event: a refresh or a job queued in this process
#: The matcher's window in force in this process (see ``configure``).
_window_days = Settings().match_window_days


def configure(settings: Settings) -> None:
    """Use these settings' matcher window when reclassifying points (app and CLI start)."""
    global _window_days
    _window_days = settings.match_window_days


#: The PostgreSQL advisory lock: one per schema (one tracker database each).
_PG_LOCK = "hashtext('tracker.refresh.' || current_schema())"


@contextlib.contextmanager
def refresh_lock(engine: Engine, *, wait: bool = False) -> Iterator[bool]:
    """Hold the one refresh lock of this database while inside.

    Yields False when another holds it, or with ``wait`` waits for it.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            if wait:
                conn.execute(text(f"SELECT pg_advisory_lock({_PG_LOCK})"))
                got = True
            else:
                got = bool(conn.execute(text(f"SELECT pg_try_advisory_lock({_PG_LOCK})")).scalar())
            conn.commit()
            try:
                yield got
            finally:
                if got:
                    conn.execute(text(f"SELECT pg_advisory_unlock({_PG_LOCK})"))
                    conn.commit()
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield True  # one process only: nothing to share the refresh with
        return
    import fcntl

    with Path(database + ".refresh-lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def enqueue(session: Session, kind: str, key: str = "") -> None:
    """Queue a refresh job in the caller's transaction (the caller commits)."""
    if kind not in ("workstream", "all"):
        raise ValueError(f"unknown refresh job {kind!r}")
    # Always a new row, never "one is pending already": that one may be running
    # on a snapshot taken before this change. One run does every pending job.
    session.add(RefreshJob(kind=kind, key=key))
    _wake.set()


def after_meeting_stored(session: Session, meeting_id: int) -> None:
    """Queue the refresh a newly stored meeting (or version) needs."""
    meeting = session.get(Meeting, meeting_id)
    body = session.get(Body, meeting.body_id) if meeting is not None else None
    if body is not None:
        enqueue(session, "workstream", body.workstream)


def after_person_erased(session: Session, person_id: int) -> None:
    """Queue the workstreams where an erased person spoke (credit may move)."""
    rows = session.exec(
        select(Body.workstream)
        .join(Meeting, Meeting.body_id == Body.id)
        .join(Contribution, Contribution.meeting_id == Meeting.id)
        .where(Contribution.speaker_person_id == person_id)
        .distinct()
    ).all()
    for workstream in rows:
        enqueue(session, "workstream", workstream)


def recompute_points(
    session: Session, contribution_ids: Iterable[int], settings: Settings | None = None
) -> None:
    """Reclassify a few points after a person's decision (no commit, no matching)."""
    from tracker.services.linking import load_records, recompute_outcomes

    ids = sorted(set(contribution_ids))
    if not ids:
        return
    # Only the points' own meetings and the meetings their links reach.
    meetings = set(
        session.exec(select(Contribution.meeting_id).where(Contribution.id.in_(ids))).all()  # type: ignore[union-attr]
    )
    for kind, model in MODELS.items():
        targets = select(Link.target_id).where(
            Link.contribution_id.in_(ids),  # type: ignore[attr-defined]
            Link.target_type == kind,
        )
        meetings.update(
            session.exec(select(model.meeting_id).where(model.id.in_(targets))).all()  # type: ignore[attr-defined]
        )
    window = settings.match_window_days if settings is not None else _window_days
    records = load_records(session, meeting_ids=meetings)
    recompute_outcomes(session=session, records=records, window_days=window, only=ids)
    update_agenda_requests(session)


def pending_count(session: Session) -> int:
    """How many refresh jobs wait (failed ones included)."""
    return int(session.exec(select(func.count()).select_from(RefreshJob)).one())


def run_pending(engine: Engine, settings: Settings, *, wait: bool = False) -> int:
    """Do every queued job; return how many were done. Never raises.

    When another process is refreshing, skip this turn, or with ``wait``
    wait for it and then do what is left (the command line, a digest round).
    """
    configure(settings)
    with refresh_lock(engine, wait=wait) as mine:
        if not mine:
            return 0  # another process is refreshing: its run or our next turn covers these
        return _run_pending(engine, settings)


def _run_pending(engine: Engine, settings: Settings) -> int:
    from tracker.services.linking import run_matching

    done = 0
    with Session(engine, expire_on_commit=False) as session:
        jobs = list(
            session.exec(
                select(RefreshJob).where(RefreshJob.attempts < MAX_ATTEMPTS).order_by(RefreshJob.id)  # type: ignore[arg-type]
            ).all()
        )
        if not jobs:
            session.rollback()
            return 0
        ids = [job.id for job in jobs]
        try:
            # One rematch covers every queued change (see the module notes).
            run_matching(session=session, settings=settings, actor="refresh")
            done = len(jobs)
            log.info("refresh done: %d queued changes", done)
        except Exception as exc:
            session.rollback()
            log.error("refresh failed: %s (jobs %s)", type(exc).__name__, ids)
            for job_id in ids:
                job = session.get(RefreshJob, job_id)
                if job is not None:
                    job.attempts += 1
                    job.last_error = type(exc).__name__
                    session.add(job)
            session.commit()
    return done


def ensure_current(engine: Engine, settings: Settings) -> int:
    """Run pending jobs (waiting for another refresh); return how many are still pending."""
    run_pending(engine, settings, wait=True)
    with Session(engine) as session:
        return pending_count(session)


class BackgroundWorker:
    """A daemon thread that runs queued refreshes, then due jobs (``jobs``).

    Woken at once by ``enqueue`` in this process; polls every
    ``POLL_SECONDS`` for jobs queued by other processes (the command line).
    """

    def __init__(
        self, engine: Engine, settings: Settings, poll: float = POLL_SECONDS, *, jobs: bool = True
    ) -> None:
        self.engine, self.settings, self.poll, self.jobs = engine, settings, poll, jobs
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> BackgroundWorker:
        """Start the thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="refresh", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to finish and wait for it."""
        self._stop.set()
        _wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            _wake.wait(self.poll)
            _wake.clear()
            if self._stop.is_set():
                break
            try:
                while run_pending(self.engine, self.settings):
                    pass
            except Exception as exc:
                log.error("refresh worker: %s", type(exc).__name__)
            if self.jobs:
                try:
                    jobs.run_due(self.engine, self.settings)
                except Exception as exc:
                    log.error("job worker: %s", type(exc).__name__)
