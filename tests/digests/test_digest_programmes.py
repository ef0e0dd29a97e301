"""Lead summaries keep programmes apart: a lead hears only of their programmes' points."""

from __future__ import annotations

from sqlalchemy import Engine, update
from sqlmodel import Session

from digests.digest_support import Programme, SmtpServer, text_part
from digests.test_digest_round import run_round
from tracker.config import Settings
from tracker.models import Body
from tracker.services.accounts import create_user
from tracker.services.scope import add_programme


def test_lead_summary_holds_only_the_lead_programmes(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer, programme: Programme
) -> None:
    default = add_programme(session=session, name="Default programme")
    add_programme(session=session, name="Other programme")
    session.exec(update(Body).values(programme_id=default.id))  # type: ignore[call-overload]
    session.commit()
    for email, name in (
        ("mine@example.org", "Default programme"),
        ("other@example.org", "Other programme"),
    ):
        create_user(
            session=session,
            email=email,
            password="a long enough password",
            role="lead",
            programmes=(name,),
        )
    run_round(session, engine, settings)
    [msg] = smtp.recorder.to("mine@example.org")
    assert "Crisis line waits are too long at night." in text_part(msg)
    assert smtp.recorder.to("other@example.org") == []
