"""The digest schedule, run by `tracker worker`: it decides what is due and queues it.

APScheduler 3.x with the in-memory job store and two static jobs added at
start-up: nothing is pickled and nothing can be silently dropped from a job
table.  Never start this inside the web app: several workers would mean
several schedulers.

What is due comes from our own DigestPeriod rows, keyed by ISO week, not
from APScheduler's memory: at start-up, and at every scheduled time, the
round for the latest scheduled time that has passed is (re)run.  Queuing is
idempotent (UNIQUE(person_id, kind, period)), so a restart across the send
time sends that week's digests once, and several missed weeks coalesce into
one round whose content reaches back to each person's last digest.

The round and the day's retention are queued as jobs (services/jobs.py),
keyed by week and day: with two workers, both schedules queue the same row
and one worker runs it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine
from sqlmodel import Session, select

from tracker.config import WEEKDAYS, Settings
from tracker.mail import Sender
from tracker.models import DigestPeriod
from tracker.services import job_kinds  # noqa: F401  (registers parse and retention)
from tracker.services.digests import RoundSummary, iso_week, now_utc, queue_round
from tracker.services.jobs import enqueue, handler
from tracker.services.outbox import DrainSummary, drain
from tracker.services.refresh import BackgroundWorker

log = logging.getLogger("tracker.scheduler")

MISFIRE_GRACE_SECONDS = 6 * 3600
DRAIN_EVERY_SECONDS = 60


def digest_trigger(settings: Settings) -> CronTrigger:
    """Return the weekly cron trigger at the configured local weekday and time."""
    hour, minute = (int(x) for x in settings.digest_time.split(":"))
    return CronTrigger(
        day_of_week=settings.digest_weekday,
        hour=hour,
        minute=minute,
        timezone=ZoneInfo(settings.timezone),
    )


def last_scheduled_time(settings: Settings, now: datetime) -> datetime:
    """Return the latest scheduled round time at or before `now` (aware, local zone)."""
    zone = ZoneInfo(settings.timezone)
    local_now = now.astimezone(zone)
    hour, minute = (int(x) for x in settings.digest_time.split(":"))
    weekday = WEEKDAYS.index(settings.digest_weekday)
    day = local_now.date() - timedelta(days=(local_now.weekday() - weekday) % 7)
    for _ in range(3):
        # Wall-clock time on that date; a time inside a spring-forward gap is
        # read with the earlier offset and normalised through UTC.
        candidate = datetime.combine(day, time(hour, minute), tzinfo=zone)
        candidate = candidate.astimezone(UTC).astimezone(zone)
        if candidate <= local_now:
            return candidate
        day -= timedelta(days=7)
    raise AssertionError("unreachable: a week always holds one scheduled time")


def due_period(settings: Settings, now: datetime) -> tuple[str, datetime]:
    """Return (ISO week key, round time) of the round that should have run by `now`."""
    fire = last_scheduled_time(settings, now)
    return iso_week(fire.date()), fire


def round_is_done(session: Session, period: str) -> bool:
    """Tell whether any digest row exists for this ISO week."""
    row = session.exec(select(DigestPeriod.id).where(DigestPeriod.period == period)).first()
    return row is not None


def run_due_round(*, engine: Engine, settings: Settings, now: datetime) -> RoundSummary:
    """Queue the round that is due at `now`; rerunning it adds nothing."""
    _, fire = due_period(settings, now)
    with Session(engine, expire_on_commit=False) as session:
        summary = queue_round(session=session, settings=settings, as_of=fire, now=now)
    log.info("%s", summary.summary())
    return summary


def queue_due_work(engine: Engine, settings: Settings, now: datetime | None = None) -> str:
    """Queue the digest round due at `now` and that day's retention; return the week.

    Both are rows of the job table keyed by week and by day: queuing them
    again (a restart, a second worker's scheduler) adds nothing, so each runs
    once, on whichever worker claims it.
    """
    now = now or now_utc()
    period, _ = due_period(settings, now)
    day = now.astimezone(ZoneInfo(settings.timezone)).date().isoformat()
    with Session(engine) as session:
        enqueue(session, "retention", day)
        enqueue(session, "digest-round", period)
        session.commit()
    return period


def _retention_job(engine: Engine, settings: Settings) -> None:
    """Queue today's retention (once a day, whichever worker's schedule is first)."""
    day = now_utc().astimezone(ZoneInfo(settings.timezone)).date().isoformat()
    with Session(engine) as session:
        enqueue(session, "retention", day)
        session.commit()


@handler("digest-round")
def _digest_round(engine: Engine, settings: Settings, key: str) -> None:
    """The job: queue the round that is due (key: its ISO week), then send what is queued."""
    summary = run_due_round(engine=engine, settings=settings, now=now_utc())
    log.info("digest round %s queued as %s", key, summary.period)
    drain(engine=engine, settings=settings, sender=None)


def _round_job(engine: Engine, settings: Settings) -> None:
    queue_due_work(engine, settings)


def _drain_job(engine: Engine, settings: Settings, sender: Sender | None) -> DrainSummary:
    summary = drain(engine=engine, settings=settings, sender=sender)
    if summary.sent or summary.failed or summary.retrying or summary.unknown:
        log.info("%s", summary.summary())
    return summary


def _on_problem(event: JobExecutionEvent) -> None:
    if event.code == EVENT_JOB_MISSED:
        log.error("ALERT job %s missed its time %s", event.job_id, event.scheduled_run_time)
    else:
        # The type only: an exception message could quote what someone said.
        log.error("ALERT job %s failed: %s", event.job_id, type(event.exception).__name__)


def build_scheduler(
    settings: Settings,
    engine: Engine,
    *,
    sender: Sender | None = None,
    scheduler: BaseScheduler | None = None,
) -> BaseScheduler:
    """Build the scheduler with its three static jobs (not started)."""
    zone = ZoneInfo(settings.timezone)
    scheduler = scheduler or BlockingScheduler(timezone=zone)
    scheduler.configure(
        timezone=zone,
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": MISFIRE_GRACE_SECONDS,
        },
    )
    hour = int(settings.digest_time.split(":")[0])
    if 1 <= hour <= 2:
        log.warning(
            "digest time %s falls in the hours the clocks change; prefer 03:00 or later",
            settings.digest_time,
        )
    scheduler.add_job(
        _round_job,
        digest_trigger(settings),
        args=(engine, settings),
        id="digest-round",
        name="queue the weekly digests",
        replace_existing=True,
    )
    scheduler.add_job(
        _drain_job,
        IntervalTrigger(seconds=DRAIN_EVERY_SECONDS, timezone=zone),
        args=(engine, settings, sender),
        id="outbox-drain",
        name="send what the outbox holds",
        replace_existing=True,
    )
    scheduler.add_job(
        _retention_job,
        CronTrigger(hour=3, minute=30, timezone=zone),
        args=(engine, settings),
        id="retention",
        name="queue the day's retention",
        replace_existing=True,
    )
    scheduler.add_listener(_on_problem, EVENT_JOB_ERROR | EVENT_JOB_MISSED)
    return scheduler


def run_scheduler(settings: Settings, engine: Engine, **kw: Any) -> None:
    """Queue a missed round, then run the schedule in the foreground, with a
    thread that does the queued jobs and refreshes (what `tracker worker` is)."""
    scheduler = build_scheduler(settings, engine, **kw)
    try:
        _round_job(engine, settings)
    except Exception:
        # The schedule still starts; the next drain or round tries again.
        log.exception("catch-up round failed at start-up")
    worker = BackgroundWorker(engine, settings).start()
    try:
        scheduler.start()
    finally:
        worker.stop()
