"""Erasure of one person in every stored copy, and the retention of originals (case 56)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from docx_builder import build_docx
from factories import make_body, make_contribution, make_meeting, make_outcome, make_person
from tracker.config import Settings, load_settings
from tracker.errors import ConfigError, NotFound
from tracker.models import AuditEvent, Contribution, DigestPeriod, Meeting, User
from tracker.services.erasure import (
    ERASED_NAME,
    ERASED_TEXT,
    Redactor,
    erase_person,
    purge_originals,
)
from tracker.services.export import build_export

STORY = "When I was in crisis at A&E nobody listened to me for nine hours"


def test_the_redactor_finds_words_across_line_breaks_html_and_quotes() -> None:
    """Does redaction catch re-wrapped text, HTML-escaped text and quoted runs, whole words only?"""
    redact = Redactor([STORY], ["Jade Morgan", "JM", "Jade"])
    assert redact(f"Jade Morgan: {STORY.replace(' nobody', chr(10) + 'nobody')}.") == (
        f"{ERASED_NAME}: {ERASED_TEXT}."
    )
    assert redact("<p>When I was in crisis at A&amp;E nobody listened to me</p>", is_html=True) == (
        f"<p>{ERASED_TEXT}</p>"
    )
    # Another record quoting six or more of her words in a row.
    assert redact("She said nobody listened to me for nine hours, sadly") == (
        f"She said {ERASED_TEXT}, sadly"
    )
    # Whole words only: "Jaded" and "JMX" are other words.
    assert redact("Jaded staff and JMX. JM agreed") == f"Jaded staff and JMX. {ERASED_NAME} agreed"
    assert redact("The group discussed listening") == "The group discussed listening"


@pytest.fixture
def programme(session: Session) -> dict[str, object]:
    catch_up = make_body(session, "PD catch-up", kind="catch-up")
    crg = make_body(session, "PD CRG", kind="governance")
    jade = make_person(session, "Jade Morgan", aliases=["JM"], email="jade@example.org")
    kofi = make_person(session, "Kofi Mensah", email="kofi@example.org")
    docx = build_docx([f"Jade Morgan: {STORY}"])
    other_docx = build_docx(["Kofi Mensah: evening groups please"])
    m1 = make_meeting(
        session,
        catch_up,
        date(2021, 3, 9),
        text=f"Present: Jade Morgan, Kofi Mensah\nJade Morgan: {STORY}\nKofi: evening groups",
        original=docx,
    )
    m2 = make_meeting(session, crg, date(2021, 3, 18), text="Kofi: evenings", original=other_docx)
    story = make_contribution(session, m1, STORY, speaker=jade)
    kept = make_contribution(session, m1, "Evening groups please", speaker=kofi)
    make_outcome(session, story, "lost")
    make_outcome(session, kept, "heard")
    session.add(User(email="jade@example.org", password_hash="x", role="lxp", person_id=jade.id))
    session.add(
        AuditEvent(actor="jade@example.org", action="login.ok", detail={"who": "Jade Morgan"})
    )
    session.add(
        DigestPeriod(
            person_id=kofi.id or 0,
            kind="lead-summary",
            period="2021-W12",
            covers_to=datetime(2021, 3, 22, tzinfo=UTC),
            message_id="<k@x>",
            subject="Lost points",
            body_text=f"Jade Morgan said: {STORY}",
            body_html=f"<p>Jade Morgan said: {STORY.replace('&', '&amp;')}</p>",
        )
    )
    session.commit()
    return {"jade": jade, "kofi": kofi, "m1": m1, "m2": m2, "story": story, "kept": kept}


def test_erasure_reaches_every_copy_in_the_database(
    session: Session, programme: dict[str, object]
) -> None:
    """Are the name and words gone from meeting text, originals, digests, users and audit?"""
    jade = programme["jade"]
    before = build_export(session=session)
    report = erase_person(session=session, person_id=jade.id)  # type: ignore[attr-defined]
    assert report.originals_removed == 1 and report.rows >= 4
    session.expire_all()
    m1 = session.get(Meeting, programme["m1"].id)  # type: ignore[attr-defined]
    m2 = session.get(Meeting, programme["m2"].id)  # type: ignore[attr-defined]
    assert m1.original is None and m2.original is not None  # type: ignore[union-attr]
    assert "Jade" not in m1.text and "nobody listened" not in m1.text  # type: ignore[union-attr]
    assert "Kofi Mensah" in m1.text  # type: ignore[union-attr]
    digest = session.exec(select(DigestPeriod)).one()
    for text in (digest.body_text, digest.body_html):
        assert "Jade" not in text and "nobody listened" not in text
    users = session.exec(select(User)).all()
    assert [u.active for u in users] == [False] and "jade" not in users[0].email
    for event in session.exec(select(AuditEvent)).all():
        assert "jade" not in (event.actor + str(event.detail)).lower()
    kept = session.get(Contribution, programme["kept"].id)  # type: ignore[attr-defined]
    assert kept.text == "Evening groups please"  # type: ignore[union-attr]
    after = build_export(session=session)
    assert [o["status"] for o in after["outcomes"]] == [o["status"] for o in before["outcomes"]]
    assert sum(len(m["contributions"]) for m in after["meetings"]) == 2
    # Erasing again is harmless; an unknown id is one clear error.
    erase_person(session=session, person_id=jade.id)  # type: ignore[attr-defined]
    with pytest.raises(NotFound):
        erase_person(session=session, person_id=999_999)


def test_originals_are_removed_after_the_retention_period(session: Session) -> None:
    """Are stored .docx files older than keep_original_days removed, and newer ones kept?"""
    body = make_body(session, "PD CRG", kind="governance")
    now = datetime(2026, 12, 5, tzinfo=UTC)
    old = make_meeting(
        session, body, date(2021, 1, 1), original=b"old", imported_at=now - timedelta(days=31)
    )
    new = make_meeting(
        session, body, date(2021, 2, 1), original=b"new", imported_at=now - timedelta(days=29)
    )
    session.commit()
    assert purge_originals(session=session, keep_days=30, now=now) == 1
    assert purge_originals(session=session, keep_days=30, now=now) == 0
    session.expire_all()
    assert session.get(Meeting, old.id).original is None  # type: ignore[union-attr]
    assert session.get(Meeting, new.id).original == b"new"  # type: ignore[union-attr]
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "originals.purge")).one()
    assert event.detail["count"] == 1


def test_retention_setting_has_a_documented_default_and_refuses_nonsense() -> None:
    """Is keep_original_days 30 by default, 0 allowed, and -1 refused with the key named?"""
    assert Settings().keep_original_days == 30
    assert load_settings("", {"TRACKER_KEEP_ORIGINAL_DAYS": "0"}, {}).keep_original_days == 0
    with pytest.raises(ConfigError, match="keep_original_days"):
        load_settings("[uploads]\nkeep_original_days = -1\n", {}, {})


def test_erasure_cleans_the_outbox_pending_uploads_and_logs(
    session: Session, programme: dict[str, object], tmp_path: Path
) -> None:
    """Are .eml files and pending uploads that mention the person removed, and logs redacted?"""
    instance = tmp_path / "instance"
    outbox = instance / "outbox"
    outbox.mkdir(parents=True)
    from email.message import EmailMessage

    mail = EmailMessage()
    mail["Subject"] = "Digest"
    mail.set_content(f"Jade Morgan said: {STORY}", cte="base64")
    (outbox / "a.eml").write_bytes(bytes(mail))
    (outbox / "b.eml").write_bytes(b"Subject: other\n\nKofi only\n")
    from tracker.models import StagedUpload

    for token, text in (("t" * 20, "Jade Morgan: hello"), ("u" * 20, "Kofi: hello")):
        session.add(
            StagedUpload(
                token=token, user_id=1, filename="m.docx", data=b"x", state={"minutes": text}
            )
        )
    session.commit()
    (instance / "tracker.log").write_text("ok line\nmail to jade@example.org failed\n")
    settings = Settings(instance_dir=str(instance))
    report = erase_person(
        session=session,
        person_id=programme["jade"].id,  # type: ignore[attr-defined]
        settings=settings,
    )
    assert sorted(p.name for p in outbox.iterdir()) == ["b.eml"]
    # The staged upload quoting her is gone from the database; the other stays.
    assert [row.token for row in session.exec(select(StagedUpload)).all()] == ["u" * 20]
    assert (instance / "tracker.log").read_text() == f"ok line\nmail to {ERASED_NAME} failed\n"
    assert report.files_removed == 2 and report.files_rewritten == 1
