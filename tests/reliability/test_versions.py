"""Corrected minutes: one current version, linear carry-over, re-saved files (cases 32-35)."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from factories import make_body, make_link, make_meeting
from parsers.model import ParsedContribution, ParsedItem, ParsedMinutes, ParsedSpeaker
from tracker.models import Body, Contribution, Link, Meeting
from tracker.services.meetings import ImportResult, store_minutes

DAY = date(2021, 5, 20)


def minutes(texts: list[str], title: str = "PD CRG minutes") -> ParsedMinutes:
    return ParsedMinutes(
        title=title,
        date=DAY,
        items=(ParsedItem("1", "Updates"),),
        contributions=tuple(
            ParsedContribution(t, ParsedSpeaker("LXPs", group="lxp"), item=0) for t in texts
        ),
        text="\n".join(texts),
    )


@pytest.fixture
def crg(session: Session) -> Session:
    make_body(session, "PD CRG", kind="governance", workstream="PD")
    session.commit()
    return session


def _current(session: Session) -> list[tuple[int, bool]]:
    session.expire_all()
    rows = session.exec(select(Meeting).where(Meeting.date == DAY)).all()
    return sorted((m.version, m.is_current) for m in rows)


def test_the_database_refuses_a_second_current_version(crg: Session) -> None:
    """Does the partial unique index stop two current versions of one meeting?"""
    body = crg.exec(select(Body)).one()
    make_meeting(crg, body, DAY, sha256="a" * 64)
    crg.commit()
    with pytest.raises(IntegrityError):
        make_meeting(crg, body, DAY, sha256="b" * 64)
    crg.rollback()
    # A superseded version beside the current one is allowed.
    make_meeting(crg, body, DAY, sha256="c" * 64, is_current=False, version=0)
    crg.commit()


def test_two_corrected_versions_stored_at_once_leave_exactly_one_current(
    crg: Session, engine: Engine
) -> None:
    """Two v2 uploads at the same moment: is exactly one version current (case 35)?"""
    store_minutes(session=crg, parsed=minutes(["First version"]), data=b"v1", filename="v1.docx")
    start = threading.Barrier(3)
    results: list[ImportResult | BaseException] = []

    def save(n: int) -> None:
        with Session(engine, expire_on_commit=False) as session:
            start.wait()
            try:
                results.append(
                    store_minutes(
                        session=session,
                        parsed=minutes([f"Corrected version {n}"]),
                        data=f"v2-{n}".encode(),
                        filename=f"v2-{n}.docx",
                    )
                )
            except BaseException as exc:
                results.append(exc)

    threads = [threading.Thread(target=save, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    start.wait()
    for t in threads:
        t.join()
    assert all(isinstance(r, ImportResult) and r.created for r in results), results
    assert sorted(r.version for r in results) == [2, 3]  # type: ignore[union-attr]
    assert _current(crg) == [(1, False), (2, False), (3, True)]


def test_the_same_new_file_saved_twice_at_once_is_stored_once(crg: Session, engine: Engine) -> None:
    """Two chairs save the same new file at once: one meeting, one 'already uploaded' (case 32)."""
    start = threading.Barrier(3)
    results: list[ImportResult | BaseException] = []

    def save() -> None:
        with Session(engine, expire_on_commit=False) as session:
            start.wait()
            try:
                results.append(
                    store_minutes(
                        session=session, parsed=minutes(["Same"]), data=b"same", filename="s.docx"
                    )
                )
            except BaseException as exc:
                results.append(exc)

    threads = [threading.Thread(target=save) for _ in range(2)]
    for t in threads:
        t.start()
    start.wait()
    for t in threads:
        t.join()
    assert sorted(r.created for r in results) == [False, True], results  # type: ignore[union-attr]
    skipped = next(r for r in results if not r.created)  # type: ignore[union-attr]
    assert "unchanged" in skipped.summary()  # type: ignore[union-attr]
    assert _current(crg) == [(1, True)]


def test_a_resaved_identical_file_is_not_a_new_version(crg: Session) -> None:
    """Re-saved in Word (new bytes, same text): is it reported as identical and not stored?"""
    first = store_minutes(
        session=crg, parsed=minutes(["Alpha", "Beta"]), data=b"one", filename="a.docx"
    )
    again = store_minutes(
        session=crg, parsed=minutes(["Alpha", "Beta"]), data=b"two", filename="a (1).docx"
    )
    assert not again.created and again.identical_to == 1
    assert again.meeting_id == first.meeting_id
    assert again.summary() == (
        f"a (1).docx: unchanged (its text is identical to meeting {first.meeting_id} "
        "version 1; nothing stored)"
    )
    assert _current(crg) == [(1, True)]


def test_confirmed_links_follow_a_large_corrected_meeting_in_linear_time(crg: Session) -> None:
    """3,000 records, every one corrected and linked: carried over in seconds, none lost (34)."""
    n = 3000
    texts = [f"Point {i}: the group discussed peer support option number {i}" for i in range(n)]
    store_minutes(session=crg, parsed=minutes(texts), data=b"big v1", filename="big.docx")
    later_body = make_body(crg, "PD board", kind="governance", workstream="PD")
    later = make_meeting(crg, later_body, date(2021, 6, 1), sha256="d" * 64)
    old = crg.exec(select(Contribution).order_by(Contribution.position)).all()
    target = old[0]
    make_link(crg, old[1], target, status="confirmed")
    crg.add_all(
        Link(
            contribution_id=c.id or 0,
            target_type="contribution",
            target_id=target.id or 0,
            status="confirmed",
        )
        for c in old[2:]
    )
    crg.commit()
    assert later.id
    corrected = [t + " (corrected)" for t in texts]
    began = time.perf_counter()
    result = store_minutes(
        session=crg, parsed=minutes(corrected), data=b"big v2", filename="big v2.docx"
    )
    took = time.perf_counter() - began
    assert result.version == 2
    new_ids = {
        c.position: c.id
        for c in crg.exec(
            select(Contribution).where(Contribution.meeting_id == result.meeting_id)
        ).all()
    }
    links = crg.exec(select(Link)).all()
    assert len(links) == n - 1
    assert not any(k.needs_reconfirmation for k in links)
    # Each link moved to the corrected record at the same place, and so did its target.
    assert {k.contribution_id for k in links} == {new_ids[p] for p in range(1, n)}
    assert {k.target_id for k in links} == {new_ids[0]}
    # Quadratic matching took 12.6 s for 3,000 records; linear takes about 4 s
    # on a loaded 2-core machine (and 9 s for 12,000).
    assert took < 10.0, f"storing the corrected version took {took:.1f} s"
