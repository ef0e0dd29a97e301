"""The kinds of background job the services do: reading uploads and retention.

Importing this module registers them with the queue (services/jobs.py); the
app (``create_app``) and ``tracker worker`` do.  The digest round is
registered by scheduler.py, which owns "what is due".
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine
from sqlmodel import Session

from tracker import clock
from tracker.config import Settings
from tracker.services.erasure import purge_originals
from tracker.services.jobs import forget_done, handler
from tracker.services.review import read_staged, sweep

log = logging.getLogger("tracker.jobs")


@handler("parse")
def parse(engine: Engine, settings: Settings, key: str) -> None:
    """Read an upload staged for review (key: its token)."""
    with Session(engine, expire_on_commit=False) as session:
        status = read_staged(session=session, settings=settings, token=key)
    log.info("upload read: %s", status)


@handler("retention")
def retention(engine: Engine, settings: Settings, key: str) -> None:
    """Keep only what we may keep (key: the day): originals, stale staged uploads, old jobs."""
    now = clock.now()
    with Session(engine, expire_on_commit=False) as session:
        purge_originals(session=session, keep_days=settings.keep_original_days, now=now)
    with Session(engine) as session:
        swept = sweep(session)
        forgotten = forget_done(session, now=now)
        session.commit()
    log.info("retention %s: %d staged uploads and %d old jobs removed", key, swept, forgotten)
