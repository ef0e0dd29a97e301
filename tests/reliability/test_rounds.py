"""Case 45: four schedulers queue the same week's round at once: one digest per person."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from digests.digest_support import make_settings, seed_programme
from tracker.models import DigestPeriod
from tracker.services.digests import as_of_for_date, queue_round


def test_four_rounds_at_once_queue_each_digest_once(
    session: Session, engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """Four processes' rounds racing for week 2021-W12: no error, no duplicate row."""
    seed_programme(session)
    settings = make_settings(tmp_path, db_url)
    as_of = as_of_for_date(settings, date(2021, 3, 22))
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def round_() -> None:
        with Session(engine, expire_on_commit=False) as own:
            start.wait()
            try:
                queue_round(session=own, settings=settings, as_of=as_of)
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=round_) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    session.expire_all()
    rows = session.exec(select(DigestPeriod)).all()
    per_person = Counter((r.person_id, r.kind, r.period) for r in rows)
    assert per_person and set(per_person.values()) == {1}
    # A fifth, later round adds nothing.
    assert queue_round(session=session, settings=settings, as_of=as_of).queued == 0
