"""The kinds of background job and what each does (registered on import).

The queue itself (tracker/services/jobs.py) knows no kind of job, so it
imports no other service; the entry points that run jobs (the app, `tracker
worker`, `tracker import`) import this module to register them.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine
from sqlmodel import Session

from tracker.config import Settings
from tracker.services.digest_schedule import run_due_round
from tracker.services.digests import now_utc
from tracker.services.erasure import purge_originals
from tracker.services.jobs import forget_done, handler
from tracker.services.outbox import drain
from tracker.services.review import read_staged, sweep

log = logging.getLogger("tracker.jobs")


@handler("digest-round")
def _digest_round(engine: Engine, settings: Settings, key: str) -> None:
    """Queue the digest round that is due (key: its ISO week), then send what is queued."""

    summary = run_due_round(engine=engine, settings=settings, now=now_utc())
    log.info("digest round %s queued as %s", key, summary.period)
    drain(engine=engine, settings=settings, sender=None)


@handler("retention")
def _retention(engine: Engine, settings: Settings, key: str) -> None:
    """Keep only what we may keep (key: the day): originals, stale staged uploads, old jobs."""

    now = now_utc()
    with Session(engine, expire_on_commit=False) as session:
        purge_originals(session=session, keep_days=settings.keep_original_days, now=now)
    with Session(engine) as session:
        swept = sweep(session)
        forgotten = forget_done(session, now=now)
        session.commit()
    log.info("retention %s: %d staged uploads and %d old jobs removed", key, swept, forgotten)


@handler("parse")
def _parse(engine: Engine, settings: Settings, key: str) -> None:
    """Read an upload staged for review (key: its token)."""

    with Session(engine, expire_on_commit=False) as session:
        status = read_staged(session=session, settings=settings, token=key)
    log.info("upload read: %s", status)
