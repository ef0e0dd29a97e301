"""The schedule: Europe/London across the clock changes, restarts, missed rounds.

The clock is the only thing controlled: CronTrigger.get_next_fire_time is
asked about given instants, and our own "what is due" takes ``now``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine
from sqlmodel import Session, select

from digests.digest_support import Programme, SmtpServer
from tracker.config import Settings
from tracker.models import DigestPeriod
from tracker.scheduler import (
    MISFIRE_GRACE_SECONDS,
    build_scheduler,
    digest_trigger,
    due_period,
    round_is_done,
    run_due_round,
)
from tracker.services.outbox import drain

LONDON = ZoneInfo("Europe/London")
BASE = Settings(digest_weekday="mon", digest_time="08:00", timezone="Europe/London")


def fires(settings: Settings, start: datetime, count: int) -> list[datetime]:
    trigger = digest_trigger(settings)
    out: list[datetime] = []
    previous = None
    now = start
    for _ in range(count):
        nxt = trigger.get_next_fire_time(previous, now)
        assert nxt is not None
        out.append(nxt)
        previous, now = nxt, nxt
    return out


@pytest.mark.parametrize(
    ("start", "utc_hours"),
    [
        # Clocks go forward on Sunday 28 March 2021, back on Sunday 31 October 2021.
        (datetime(2021, 3, 15, tzinfo=LONDON), [8, 8, 7, 7]),
        (datetime(2021, 10, 18, tzinfo=LONDON), [7, 7, 8, 8]),
    ],
)
def test_weekly_trigger_fires_once_a_week_at_local_time_across_clock_changes(
    start: datetime, utc_hours: list[int]
) -> None:
    """Does the Monday 08:00 round fire exactly once a week, at 08:00 London time?"""
    got = fires(BASE, start, 4)
    assert [f.astimezone(LONDON).strftime("%a %H:%M") for f in got] == ["Mon 08:00"] * 4
    assert [f.astimezone(UTC).hour for f in got] == utc_hours
    assert [(b - a).days for a, b in pairwise(got)] == [7, 7, 7]
    assert len({f.isocalendar()[:2] for f in got}) == 4


def test_sunday_round_on_the_clock_change_days_fires_once() -> None:
    """A Sunday 09:00 round on both clock-change Sundays: once each, at 09:00 local?"""
    sunday = Settings(digest_weekday="sun", digest_time="09:00", timezone="Europe/London")
    for start, change in (
        (datetime(2021, 3, 21, 12, tzinfo=LONDON), date(2021, 3, 28)),
        (datetime(2021, 10, 24, 12, tzinfo=LONDON), date(2021, 10, 31)),
    ):
        got = fires(sunday, start, 2)
        assert [f.astimezone(LONDON).date() for f in got] == [change, change + timedelta(7)]
        assert {f.astimezone(LONDON).hour for f in got} == {9}


@pytest.mark.parametrize(
    ("now_local", "period", "fire_local"),
    [
        (datetime(2021, 3, 28, 23, 0), "2021-W12", datetime(2021, 3, 22, 8, 0)),
        (datetime(2021, 3, 29, 7, 59), "2021-W12", datetime(2021, 3, 22, 8, 0)),
        (datetime(2021, 3, 29, 8, 0), "2021-W13", datetime(2021, 3, 29, 8, 0)),
        (datetime(2021, 11, 1, 7, 59), "2021-W43", datetime(2021, 10, 25, 8, 0)),
        (datetime(2021, 11, 1, 8, 1), "2021-W44", datetime(2021, 11, 1, 8, 0)),
        (datetime(2021, 1, 3, 12, 0), "2020-W53", datetime(2020, 12, 28, 8, 0)),
    ],
)
def test_due_period_follows_local_time_and_iso_weeks(
    now_local: datetime, period: str, fire_local: datetime
) -> None:
    """Is 'what is due' right either side of the clock changes and of the year's end?"""
    now = now_local.replace(tzinfo=LONDON)
    got_period, fire = due_period(BASE, now.astimezone(UTC))
    assert got_period == period
    assert fire == fire_local.replace(tzinfo=LONDON)


def test_round_in_a_spring_forward_gap_is_still_once() -> None:
    """A configured time inside the skipped hour still names one round that week."""
    gap = Settings(digest_weekday="sun", digest_time="01:30", timezone="Europe/London")
    period, fire = due_period(gap, datetime(2021, 3, 28, 12, tzinfo=UTC))
    assert period == "2021-W12" and fire.astimezone(UTC) == datetime(2021, 3, 28, 1, 30, tzinfo=UTC)


def test_restart_across_send_time_sends_once_and_missed_weeks_run_once(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer, programme: Programme
) -> None:
    """Down at Monday 08:00, up at 09:10: sent once; three missed weeks: one round."""
    assert not round_is_done(session, "2021-W12")
    session.commit()  # end the read: SQLite transactions hold the write lock
    # The process was down at 08:00; it starts at 09:10 and again at 09:40.
    for minutes in (70, 100):
        now = datetime(2021, 3, 22, 8, tzinfo=LONDON) + timedelta(minutes=minutes)
        run_due_round(engine=engine, settings=settings, now=now)
        drain(engine=engine, settings=settings, clock=lambda now=now: now)
    assert round_is_done(session, "2021-W12")
    session.commit()
    assert len(smtp.recorder.delivered) == 2  # Ann and Ben, once each
    # Nothing runs for three weeks; on the fourth Tuesday one round catches up.
    now = datetime(2021, 4, 20, 10, tzinfo=LONDON)
    summary = run_due_round(engine=engine, settings=settings, now=now)
    assert summary.period == "2021-W16"
    periods = session.exec(select(DigestPeriod.period).distinct()).all()
    session.commit()
    assert sorted(periods) == ["2021-W12", "2021-W16"]


def test_scheduler_uses_memory_store_static_jobs_and_long_grace() -> None:
    """Are the three jobs static, in memory, coalesced, single-instance, with hours of grace?"""
    scheduler = build_scheduler(
        BASE,
        engine=None,
        scheduler=BackgroundScheduler(),  # type: ignore[arg-type]
    )
    scheduler.start(paused=True)
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {"digest-round", "outbox-drain", "retention"}
        for job in jobs.values():
            assert job.coalesce is True and job.max_instances == 1
            assert job.misfire_grace_time == MISFIRE_GRACE_SECONDS >= 3600
        assert type(scheduler._jobstores["default"]).__name__ == "MemoryJobStore"
        nxt = jobs["digest-round"].next_run_time.astimezone(LONDON)
        assert (nxt.strftime("%a %H:%M"), str(nxt.tzinfo)) == ("Mon 08:00", "Europe/London")
    finally:
        scheduler.shutdown(wait=False)
