"""Digests never tell an LXP a guess as a fact, and show the LXP group's points."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session

from digests.digest_support import Programme, SmtpServer, html_part, text_part
from digests.test_digest_round import run_round
from factories import make_contribution, make_decision, make_link, make_person
from tracker.config import Settings
from tracker.models import Attendee
from tracker.services.linking import confirm_link, recompute_outcomes


def _dee_with_a_suggested_trace(session: Session, programme: Programme) -> tuple[int, int]:
    """Dee's only point is traced by a link nobody checked."""
    dee = make_person(session, "Dee Example", email="dee@example.org")
    point = make_contribution(
        session, programme.m_catch, "Publish the crisis plan in easy read.", speaker=dee
    )
    decision = make_decision(
        session, programme.m_crg, "Agreed: the crisis plan will be published in easy read."
    )
    link = make_link(session, point, decision, status="suggested")
    recompute_outcomes(session=session)
    session.commit()
    return point.id or 0, link.id or 0


def test_unconfirmed_traces_are_never_stated_as_done(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer, programme: Programme
) -> None:
    """Does a digest whose only trace is unchecked say 'seem to', never 'took these up'?"""
    _dee_with_a_suggested_trace(session, programme)
    run_round(session, engine, settings)
    [msg] = smtp.recorder.to("dee@example.org")
    for body in (text_part(msg), html_part(msg) or ""):
        assert "May have been taken up" in body
        assert (
            "The minutes of PD Clinical Reference Group, 18 March 2021 seem to take this up; "
            "the chair has been asked to check." in body
        )
        for fact in ("Acted on", "took these points up", "The chair confirmed", "Discussed"):
            assert fact not in body


def test_confirming_the_link_makes_it_a_fact(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer, programme: Programme
) -> None:
    """Once the chair confirms the link, does the digest say so as a fact?"""
    _, link_id = _dee_with_a_suggested_trace(session, programme)
    confirm_link(session=session, link_id=link_id, actor="chair@example.org")
    run_round(session, engine, settings)
    [msg] = smtp.recorder.to("dee@example.org")
    text = text_part(msg)
    assert "Acted on" in text and "May have been taken up" not in text
    assert (
        "The chair confirmed that the minutes of PD Clinical Reference Group, 18 March 2021 "
        "took this up." in text
    )


def test_group_points_reach_those_who_attended(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer, programme: Programme
) -> None:
    """Does Cara, who attended the catch-up, read the LXP group's lost point; and not Ben?"""
    make_contribution(
        session, programme.m_catch, "LXPs asked for a carers' evening session.", group="lxp"
    )
    session.add(
        Attendee(
            meeting_id=programme.m_catch.id or 0,
            person_id=programme.cara.id,
            as_written="Cara Example",
            status="present",
        )
    )
    recompute_outcomes(session=session)
    session.commit()
    run_round(session, engine, settings, date(2021, 3, 22))
    [msg] = smtp.recorder.to("cara@example.org")
    text = text_part(msg)
    assert "What the LXP group raised at meetings you attended" in text
    assert "LXPs asked for a carers' evening session." in text
    assert "Not found yet." in text
    assert "we have not found it" in text.lower() and "the chair has been asked to check" in text
    ben = text_part(smtp.recorder.to("ben@example.org")[0])
    assert "carers' evening session" not in ben
