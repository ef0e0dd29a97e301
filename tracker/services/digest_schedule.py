"""When the digest round is due, and queuing it: shared by the scheduler and the job queue.

Pure date arithmetic on the settings (weekday, time, timezone) plus one call
that queues the round due at a moment; rerunning it adds nothing.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from tracker.config import WEEKDAYS, Settings
from tracker.services.digests import RoundSummary, iso_week, queue_round

log = logging.getLogger("tracker.scheduler")


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


def run_due_round(*, engine: Engine, settings: Settings, now: datetime) -> RoundSummary:
    """Queue the round that is due at `now`; rerunning it adds nothing."""
    _, fire = due_period(settings, now)
    with Session(engine, expire_on_commit=False) as session:
        summary = queue_round(session=session, settings=settings, as_of=fire, now=now)
    log.info("%s", summary.summary())
    return summary
