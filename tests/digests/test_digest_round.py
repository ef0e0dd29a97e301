"""A digest round, end to end: queue rows, send through a real SMTP server on loopback."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, select

from digests.digest_support import (
    Programme,
    SmtpServer,
    at,
    confirmed,
    html_part,
    meeting,
    text_part,
)
from factories import make_contribution, make_decision
from tracker.config import Settings
from tracker.models import DigestPeriod, Person, User
from tracker.services.digests import as_of_for_date, preview_digest, queue_round
from tracker.services.outbox import drain

MONDAY = date(2021, 3, 22)  # ISO week 2021-W12


def run_round(session: Session, engine: Engine, settings: Settings, day: date = MONDAY) -> None:
    queue_round(session=session, settings=settings, as_of=as_of_for_date(settings, day))
    drain(engine=engine, settings=settings)


def rows(session: Session, person: Person) -> list[DigestPeriod]:
    session.expire_all()
    return list(
        session.exec(
            select(DigestPeriod)
            .where(DigestPeriod.person_id == person.id)
            .order_by(DigestPeriod.period)
        ).all()
    )


def test_round_sends_one_message_per_lxp_with_news_and_none_to_others(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer, programme: Programme
) -> None:
    """Does a round deliver exactly one message to each LXP with news, none to the rest?"""
    run_round(session, engine, settings)
    got = smtp.recorder
    assert sorted(str(m["To"]).split("<")[-1].rstrip(">") for m in got.delivered) == [
        "ann@example.org",
        "ben@example.org",
    ]
    assert not got.to("cara@example.org") and not got.to("sam@example.org")
    [ann_row] = rows(session, programme.ann)
    assert (ann_row.status, ann_row.period) == ("sent", "2021-W12")
    assert [r.status for r in rows(session, programme.cara)] == ["empty"]
    assert str(got.to("ann@example.org")[0]["Message-ID"]) == ann_row.message_id

    # The same round again, and next week's round with nothing new: nothing more.
    run_round(session, engine, settings)
    run_round(session, engine, settings, date(2021, 3, 29))
    assert len(got.delivered) == 2
    assert [r.status for r in rows(session, programme.ann)] == ["sent", "empty"]


def test_digest_says_what_became_of_each_point_in_plain_words(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer, programme: Programme
) -> None:
    """Does Ann read her point, the decision that took it up, the credit and her led item?"""
    run_round(session, engine, settings)
    [msg] = smtp.recorder.to("ann@example.org")
    text = text_part(msg)
    assert "Run peer support groups in the evening, after work." in text
    assert "A decision at PD Clinical Reference Group on 18 March 2021" in text
    assert "Agreed: pilot evening peer support groups" in text
    assert "The minutes say it came from you or from LXPs." in text
    assert "Agenda items you led" in text and "Peer support evaluation" in text
    assert "https://tracker.example/me" in text
    assert "https://tracker.example/digests/preferences/" in text
    assert "everything on record for you so far" in text
    [ben_msg] = smtp.recorder.to("ben@example.org")
    ben_text = text_part(ben_msg)
    # Nobody checked the CRG for Ben's point: it is not called lost as a fact.
    assert "Not found yet" in ben_text and "The programme lead has been told." not in ben_text
    assert (
        "We have not found it in the minutes of PD Clinical Reference Group, 18 March 2021 yet; "
        "the chair has been asked to check." in ben_text
    )
    # quote-anonymous: Ben still sees his own words.
    assert "Crisis line waits are too long at night." in ben_text


def test_consent_count_only_and_other_peoples_stories(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer, programme: Programme
) -> None:
    """Is a count-only point only counted, and are others' words and stories never shown?"""
    # Ann withdraws quotation of her main point too, before the round.
    programme.ann_point.consent = "count-only"
    session.add(programme.ann_point)
    session.commit()
    run_round(session, engine, settings)
    [msg] = smtp.recorder.to("ann@example.org")
    body = text_part(msg) + (html_part(msg) or "")
    assert "Run peer support groups" not in body
    assert "My private worry" not in body
    assert "2 points that you asked us not to quote: 1 acted on, 1 no trace yet" in text_part(msg)
    for other in ("Crisis line", "hospital in 2019", "Ben"):
        assert other not in body


def test_later_discussion_by_someone_else_is_not_quoted(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer, programme: Programme
) -> None:
    """When a later contribution took a point up, is its (someone else's) text left out?"""
    other = make_contribution(
        session,
        programme.m_crg,
        "My son waited nine hours in A&E last year, it was awful.",
        speaker=programme.cara,
        is_story=True,
    )
    confirmed(session, programme.ben_point, other, "contribution")
    session.commit()
    run_round(session, engine, settings)
    [msg] = smtp.recorder.to("ben@example.org")
    body = text_part(msg) + (html_part(msg) or "")
    assert "A discussion at PD Clinical Reference Group on 18 March 2021" in body
    assert "nine hours" not in body and "Cara" not in body


def test_preferences_frequency_feedback_kinds_and_plain_text(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer, programme: Programme
) -> None:
    """Are 'never', 'no critical feedback' and 'plain text only' honoured?"""
    programme.cara.digest_frequency = "never"
    programme.ben.digest_critical = False  # Ben's points are all lost: nothing left
    programme.ann.digest_plain_text = True
    session.add_all([programme.cara, programme.ben, programme.ann])
    session.commit()
    run_round(session, engine, settings)
    assert rows(session, programme.cara) == []
    assert [r.status for r in rows(session, programme.ben)] == ["empty"]
    [msg] = smtp.recorder.to("ann@example.org")
    assert not msg.is_multipart() and msg.get_content_type() == "text/plain"


def test_fortnightly_and_monthly(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer, programme: Programme
) -> None:
    """Does a fortnightly LXP hear every other week, a monthly one once a month?"""
    programme.ann.digest_frequency = "fortnightly"
    programme.cara.digest_frequency = "monthly"
    session.add_all([programme.ann, programme.cara])
    session.commit()
    for day in (date(2021, 3, 22), date(2021, 3, 29), date(2021, 4, 5), date(2021, 4, 12)):
        run_round(session, engine, settings, day)
    assert [r.period for r in rows(session, programme.ann)] == ["2021-W12", "2021-W14"]
    assert [r.period for r in rows(session, programme.cara)] == ["2021-W12", "2021-W14"]


def test_next_digest_covers_only_what_is_new_including_late_uploads(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer, programme: Programme
) -> None:
    """Does week 13 tell Ann only her new point, plus minutes uploaded late?"""
    run_round(session, engine, settings)
    catch_2 = meeting(session, programme.catch_up, date(2021, 3, 25), at(2021, 3, 25))
    make_contribution(session, catch_2, "Offer sessions online as well.", speaker=programme.ann)
    # Minutes of a meeting dated before last week's round, uploaded after it.
    late = meeting(session, programme.catch_up, date(2021, 3, 16), at(2099, 1, 1))
    make_contribution(session, late, "Pay LXPs on time.", speaker=programme.ann)
    session.commit()
    run_round(session, engine, settings, date(2021, 3, 29))
    first, second = smtp.recorder.to("ann@example.org")
    text = text_part(second)
    assert "Offer sessions online as well." in text and "Pay LXPs on time." in text
    assert "Run peer support groups" not in text
    assert "since your last update on 22 March 2021" in text
    assert "Waiting for a meeting" in text  # no governance meeting since 25 March
    assert "Pay LXPs on time." not in text_part(first)


def test_outcome_change_is_news(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer, programme: Programme
) -> None:
    """When a lost point is taken up later, does the next digest say so?"""
    run_round(session, engine, settings)
    crg_2 = meeting(session, programme.crg, date(2021, 4, 15), at(2021, 4, 15))
    action = make_decision(session, crg_2, "Agreed to review night-time crisis line staffing.")
    confirmed(session, programme.ben_point, action, "decision")
    session.commit()
    run_round(session, engine, settings, date(2021, 4, 19))
    texts = [text_part(m) for m in smtp.recorder.to("ben@example.org")]
    assert len(texts) == 2
    assert "Acted on" in texts[1] and "night-time crisis line staffing" in texts[1]
    assert "The minutes do not say it came from you." in texts[1]


def test_html_escaped_headers_set_and_no_injection(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer, programme: Programme
) -> None:
    """Is markup escaped in HTML only, List-Unsubscribe set, and CR/LF in a name harmless?"""
    programme.ann_point.text = 'Use <script>alert(1)</script> & <a href="x">links</a>'
    programme.ann.name = "Ann\r\nBcc: victim@example.org\r\nSubject: hacked"
    session.add_all([programme.ann_point, programme.ann])
    session.commit()
    run_round(session, engine, settings)
    [msg] = smtp.recorder.to("ann@example.org")
    html = html_part(msg) or ""
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&amp; &lt;a href=&#34;x&#34;&gt;" in html
    assert '<script>alert(1)</script> & <a href="x">links</a>' in text_part(msg)
    assert msg.get_content_type() == "multipart/alternative"
    assert msg["List-Unsubscribe"].startswith("<https://tracker.example/digests/unsubscribe/")
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert msg["Bcc"] is None and len(msg.get_all("Subject")) == 1
    assert msg["Subject"].startswith("You said, we did")
    assert all(rcpts == ["ann@example.org"] for _, rcpts in smtp.recorder.envelopes[:1])
    assert all("victim" not in r for _, rs in smtp.recorder.envelopes for r in rs)


def test_lead_gets_weekly_summary_of_lost_and_uncredited(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer, programme: Programme
) -> None:
    """Does a programme lead get newly lost and uncredited points, grouped by workstream?"""
    session.add(User(email="lead@example.org", password_hash="x", role="lead"))
    session.commit()
    run_round(session, engine, settings)
    [msg] = smtp.recorder.to("lead@example.org")
    text = text_part(msg)
    assert "PD\n==" in text and "Lost: a later decision meeting sat" in text
    assert "Crisis line waits are too long at night." in text
    assert "an LXP (anonymous by request)" in text  # quote-anonymous: no name for the lead
    assert "(a personal story, not quoted here)" in text and "hospital" not in text
    assert "(not quoted, by request)" in text
    assert msg["List-Unsubscribe"] is None
    run_round(session, engine, settings, date(2021, 3, 29))
    assert len(smtp.recorder.to("lead@example.org")) == 1  # nothing newly lost


def test_preview_sends_and_records_nothing(
    session: Session, settings: Settings, smtp: SmtpServer, programme: Programme
) -> None:
    """Does preview show the digest without writing a row or sending mail?"""
    _, parts = preview_digest(
        session=session,
        settings=settings,
        email="ann@example.org",
        as_of=as_of_for_date(settings, MONDAY),
    )
    assert parts is not None and "Run peer support groups" in parts.text
    assert session.exec(select(DigestPeriod)).all() == []
    assert smtp.recorder.delivered == []
