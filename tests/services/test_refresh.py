"""Outcomes keep themselves current, and say what a person has confirmed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from factories import make_body, make_person
from parsers.model import ParsedContribution, ParsedDecision, ParsedItem, ParsedMinutes
from parsers.model import ParsedSpeaker as Speaker
from tracker.config import Settings
from tracker.models import Link, Outcome, PointCheck, RefreshJob
from tracker.services import refresh
from tracker.services.export import build_export
from tracker.services.ingest import import_document
from tracker.services.linking import (
    confirm_link,
    reject_link,
    run_matching,
    set_not_taken_forward,
    withdraw_not_taken_forward,
)
from tracker.services.meetings import store_minutes
from tracker.services.people import import_bodies, import_people


def _outcomes(session: Session) -> dict[int, tuple[str, bool, int | None, str]]:
    session.expire_all()
    got = {
        o.contribution_id: (o.status, o.credited, o.days_to_first_trace, o.basis)
        for o in session.exec(select(Outcome)).all()
    }
    session.commit()
    return got


def _links(session: Session) -> set[tuple[int, str, int, str]]:
    session.expire_all()
    return {
        (k.contribution_id, k.target_type, k.target_id, k.status)
        for k in session.exec(select(Link)).all()
    }


def _pending(session: Session) -> int:
    """Pending jobs, ending the read (on SQLite every transaction holds the write lock)."""
    count = refresh.pending_count(session)
    session.commit()
    return count


def _dated(folder: Path) -> list[Path]:
    """The corpus's minutes in meeting order (the truth gives each file's date)."""
    import json

    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    dates = {Path(m["file"]).name: m["date"] for m in truth["meetings"]}
    return sorted((folder / "minutes").glob("*.docx"), key=lambda p: (dates[p.name], p.name))


def test_meeting_by_meeting_equals_a_full_rebuild(
    engine: Engine, session: Session, shared_dir: Path
) -> None:
    """Importing a programme one meeting at a time, never matching by hand,
    gives exactly the links and outcomes a hand-run `tracker match` gives."""
    corpus = shared_dir / "corpus" / "dev"
    settings = Settings()
    import_people(session=session, text=(corpus / "roster.csv").read_text(encoding="utf-8"))
    import_bodies(session=session, text=(corpus / "bodies.csv").read_text(encoding="utf-8"))
    for path in _dated(corpus):
        import_document(session=session, data=path.read_bytes(), filename=path.name)
        assert _pending(session) == 1
        refresh.run_pending(engine, settings)
        assert _pending(session) == 0
    incremental, links = _outcomes(session), _links(session)
    statuses = {status for status, *_ in incremental.values()}
    assert {"acted", "lost"} <= statuses, "the corpus should exercise several outcomes"
    run_matching(session=session, settings=settings)
    assert _outcomes(session) == incremental
    assert _links(session) == links


CATCH_UP = ParsedMinutes(
    title="PD LXP catch-up",
    date=date(2021, 3, 9),
    items=(ParsedItem("1", "Peer support"),),
    contributions=(
        ParsedContribution(
            "Evening peer support groups for people who work during the day",
            Speaker("Jade Morgan"),
            item=0,
        ),
    ),
)
CRG = ParsedMinutes(
    title="PD CRG minutes",
    date=date(2021, 3, 18),
    items=(ParsedItem("2", "Peer support offer"),),
    decisions=(
        ParsedDecision("Agreed: pilot evening peer support groups for people who work", item=0),
    ),
)


@pytest.fixture
def programme(session: Session) -> Session:
    make_body(session, "PD LXP catch-up", kind="catch-up", workstream="PD")
    make_body(session, "PD CRG", kind="governance", workstream="PD")
    make_person(session, "Jade Morgan", role="lxp", aliases=["JM"])
    session.commit()
    return session


def test_storing_minutes_queues_a_refresh_in_the_same_transaction(
    engine: Engine, programme: Session
) -> None:
    """Is a refresh queued with the minutes, and done by run_pending, outcomes current after?"""
    session = programme
    store_minutes(session=session, parsed=CATCH_UP, data=b"c", filename="c.docx")
    assert session.exec(select(RefreshJob.kind, RefreshJob.key)).all() == [("workstream", "PD")]
    session.commit()
    assert refresh.run_pending(engine, Settings()) == 1
    assert [s for s, *_ in _outcomes(session).values()] == ["awaiting"]
    session.commit()
    store_minutes(session=session, parsed=CRG, data=b"crg", filename="crg.docx")
    assert refresh.ensure_current(engine, Settings()) == 0
    [(status, _, days, basis)] = _outcomes(session).values()
    assert (status, days, basis) == ("acted", 9, "suggested")
    session.commit()
    # Nothing pending: a second run does nothing.
    assert refresh.run_pending(engine, Settings()) == 0
    # Each change gets its own job, even with one pending: that one may be
    # running on a snapshot taken before this change.
    later = CRG.__class__(**{**CRG.__dict__, "date": date(2021, 4, 1)})
    store_minutes(session=session, parsed=later, data=b"crg2", filename="crg2.docx")
    store_minutes(session=session, parsed=CATCH_UP, data=b"c2", filename="c2.docx")
    assert _pending(session) == 2


def test_basis_follows_what_a_person_decided(engine: Engine, programme: Session) -> None:
    """Confirming a link confirms its outcome; rejecting every trace makes it lost,
    suggested until the chair checks; not-taken-forward is confirmed; withdrawing it
    hands the outcome back to the links."""
    session = programme
    store_minutes(session=session, parsed=CATCH_UP, data=b"c", filename="c.docx")
    store_minutes(session=session, parsed=CRG, data=b"crg", filename="crg.docx")
    refresh.run_pending(engine, Settings())
    links = list(session.exec(select(Link)).all())
    decision = next(k for k in links if k.target_type == "decision")
    point = decision.contribution_id
    confirm_link(session=session, link_id=decision.id or 0, actor="chair@example.org")
    assert _outcomes(session)[point] == ("acted", False, 9, "confirmed")
    # Rematching keeps a person's decision and the basis it gives.
    run_matching(session=session, settings=Settings())
    assert _outcomes(session)[point][3] == "confirmed"

    for link in session.exec(select(Link)).all():
        reject_link(session=session, link_id=link.id or 0, reason="Different service")
    assert _outcomes(session)[point] == ("lost", False, None, "suggested")
    crg_id = session.exec(select(Link.target_id).where(Link.target_type == "decision")).first()
    assert crg_id is not None

    set_not_taken_forward(session=session, contribution_id=point, reason="No funding this year")
    assert _outcomes(session)[point][::3] == ("not-taken-forward", "confirmed")
    withdraw_not_taken_forward(session=session, contribution_id=point)
    assert _outcomes(session)[point][::3] == ("lost", "suggested")


def test_lost_is_confirmed_once_the_chair_checked_every_later_meeting(
    engine: Engine, programme: Session
) -> None:
    """A lost point checked ("none of these") against each later meeting is a confirmed loss."""
    session = programme
    store_minutes(session=session, parsed=CATCH_UP, data=b"c", filename="c.docx")
    other = ParsedMinutes(
        title="PD CRG minutes",
        date=date(2021, 3, 18),
        decisions=(ParsedDecision("Agreed: the budget for 2021/22"),),
    )
    result = store_minutes(session=session, parsed=other, data=b"crg", filename="crg.docx")
    refresh.run_pending(engine, Settings())
    [(point, (status, _, _, basis))] = _outcomes(session).items()
    session.commit()
    assert (status, basis) == ("lost", "suggested")
    session.add(
        PointCheck(
            contribution_id=point, meeting_id=result.meeting_id, result="none", checked_by="c"
        )
    )
    session.flush()
    refresh.recompute_points(session, [point])
    session.commit()
    assert _outcomes(session)[point][::3] == ("lost", "confirmed")


def test_every_exported_outcome_has_a_basis(engine: Engine, programme: Session) -> None:
    """Does the export carry `basis` on every outcome row?"""
    session = programme
    store_minutes(session=session, parsed=CATCH_UP, data=b"c", filename="c.docx")
    store_minutes(session=session, parsed=CRG, data=b"crg", filename="crg.docx")
    refresh.run_pending(engine, Settings())
    rows = build_export(session=session)["outcomes"]
    assert rows and all(r["basis"] in ("confirmed", "suggested") for r in rows)


def test_a_failing_refresh_is_kept_and_retried(engine: Engine, programme: Session) -> None:
    """When a refresh fails, is the job kept (with the error's kind) for the next run?"""
    session = programme
    store_minutes(session=session, parsed=CATCH_UP, data=b"c", filename="c.docx")
    broken = Settings(match_method="no-such-method")  # the matcher refuses it
    assert refresh.run_pending(engine, broken) == 0
    session.expire_all()
    [job] = session.exec(select(RefreshJob)).all()
    assert job.attempts == 1 and job.last_error == "ValueError"
    session.commit()
    assert refresh.ensure_current(engine, Settings()) == 0
    assert [s for s, *_ in _outcomes(session).values()] == ["awaiting"]


def test_erasure_refreshes_and_keeps_the_counts(engine: Engine, programme: Session) -> None:
    """Erasing an LXP queues a refresh; their points keep their links and outcomes
    (their words are gone, the counts stay), in a refresh and a full rebuild alike."""
    from tracker.models import Person
    from tracker.services.people import erase_person

    session = programme
    store_minutes(session=session, parsed=CATCH_UP, data=b"c", filename="c.docx")
    store_minutes(session=session, parsed=CRG, data=b"crg", filename="crg.docx")
    refresh.run_pending(engine, Settings())
    outcomes, links = _outcomes(session), _links(session)
    assert [s for s, *_ in outcomes.values()] == ["acted"]
    jade = session.exec(select(Person).where(Person.name == "Jade Morgan")).one()
    erase_person(session=session, person_id=jade.id or 0)
    assert _pending(session) == 1
    refresh.run_pending(engine, Settings())
    assert _outcomes(session) == outcomes and _links(session) == links
    run_matching(session=session, settings=Settings())
    assert _outcomes(session) == outcomes and _links(session) == links


def test_the_background_worker_catches_up_within_seconds(
    engine: Engine, programme: Session
) -> None:
    """Does the worker thread run a job queued by another session, without being asked?"""
    import time

    worker = refresh.BackgroundWorker(engine, Settings(), poll=0.2).start()
    try:
        store_minutes(session=programme, parsed=CATCH_UP, data=b"c", filename="c.docx")
        store_minutes(session=programme, parsed=CRG, data=b"crg", filename="crg.docx")
        deadline = time.monotonic() + 10
        while _pending(programme) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _pending(programme) == 0
        assert [s for s, *_ in _outcomes(programme).values()] == ["acted"]
    finally:
        worker.stop()


def test_upgrading_a_database_with_outcomes_queues_a_full_refresh(tmp_path: Path) -> None:
    """After the migration that adds `basis`, is a full refresh queued (and run) so
    existing outcomes get their basis?"""
    from sqlalchemy import text

    from tracker.db import make_engine, upgrade_schema

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    from alembic import command

    from tracker.db import alembic_config

    command.upgrade(alembic_config(url), "0005")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO body (id, name, kind, workstream, patterns) "
                "VALUES (1, 'PD catch-up', 'catch-up', 'PD', '[]')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO meeting (id, body_id, title, date, source_filename, sha256, text,"
                " warnings, version, is_current, imported_at, imported_by) VALUES (1, 1, 't',"
                " '2021-03-09', 'f', 'x', '', '[]', 1, 1, '2021-03-09 10:00:00', 'cli')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO contribution (id, meeting_id, position, text, consent, is_story)"
                " VALUES (1, 1, 0, 'Evening groups', 'quote-named', 0)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO outcome (contribution_id, status, credited, computed_at)"
                " VALUES (1, 'awaiting', 0, '2021-03-10 10:00:00')"
            )
        )
    upgrade_schema(url)
    with Session(engine) as session:
        assert [(j.kind, j.attempts) for j in session.exec(select(RefreshJob)).all()] == [
            ("all", 0)
        ]
    assert refresh.run_pending(engine, Settings(database_url=url)) == 1
    with Session(engine) as session:
        assert refresh.pending_count(session) == 0
        assert session.get(Outcome, 1).basis == "suggested"  # type: ignore[union-attr]
    engine.dispose()
