"""An admin invites a sign-in by email; the person chooses a password through the link."""

from __future__ import annotations

import email
import re
from email.policy import default
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from factories import make_person
from tracker.models import AuditEvent, User
from tracker.services import accounts
from web.support import csrf_token

NEW_PASSWORD = "a sentence I can remember"


def _invite(client: FlaskClient, **form: str):
    token = csrf_token(client, "/admin/invite")
    return client.post("/admin/invite", data={"csrf_token": token, **form})


def _mailed_link(app: Flask, to: str) -> str:
    outbox = Path(app.config["TRACKER"].resolved_outbox_dir)
    for path in outbox.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=default)
        if message["To"] == to:
            text = message.get_body(("plain",)).get_content()
            return re.search(r"http://\S+/invite/\S+", text).group(0)
    raise AssertionError(f"no invitation to {to} in {outbox}")


def test_an_invited_chair_chooses_a_password_and_signs_in(
    app: Flask, client: FlaskClient, db: Session, login
) -> None:
    login("admin")
    response = _invite(client, email="New.Chair@Trust.nhs.uk", role="chair")
    assert response.status_code == 303
    assert "Invitation sent to new.chair@trust.nhs.uk" in client.get("/admin/users").get_data(
        as_text=True
    )
    user = db.exec(select(User).where(User.email == "new.chair@trust.nhs.uk")).one()
    db.commit()
    assert user.role == "chair"
    # Until they choose one, no password opens the sign-in.
    assert accounts.authenticate(session=db, email=user.email, password="!invited") is None
    link = _mailed_link(app, "new.chair@trust.nhs.uk")
    path = "/" + link.split("/", 3)[3]

    guest = app.test_client()
    page = guest.get(path)
    assert page.status_code == 200 and "new.chair@trust.nhs.uk" in page.get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    mismatch = guest.post(
        path, data={"csrf_token": token, "password": NEW_PASSWORD, "confirm": "x"}
    )
    assert mismatch.status_code == 400 and "not the same" in mismatch.get_data(as_text=True)
    short = guest.post(path, data={"csrf_token": token, "password": "short", "confirm": "short"})
    assert short.status_code == 400 and "at least 8" in short.get_data(as_text=True)
    done = guest.post(
        path, data={"csrf_token": token, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert done.status_code == 303 and done.headers["Location"].endswith("/login")
    signed_in = guest.post(
        "/login",
        data={
            "email": "new.chair@trust.nhs.uk",
            "password": NEW_PASSWORD,
            "csrf_token": csrf_token(guest),
        },
    )
    assert signed_in.status_code == 303
    # The link works once.
    again = app.test_client().get(path)
    assert again.status_code == 400 and "already been used" in again.get_data(as_text=True)
    actions = [e.action for e in db.exec(select(AuditEvent).order_by(AuditEvent.id))]
    assert "user.invite" in actions and "user.invite_accepted" in actions


def test_an_lxp_invitation_needs_their_roster_person(
    client: FlaskClient, db: Session, login
) -> None:
    login("admin")
    jade = make_person(db, "Jade Morgan", role="lxp", email="jade@example.org")
    db.commit()
    refused = _invite(client, email="jade@example.org", role="lxp")
    assert refused.status_code == 400
    assert "roster person" in refused.get_data(as_text=True)
    assert (
        _invite(client, email="jade@example.org", role="lxp", person_id=str(jade.id)).status_code
        == 303
    )
    user = db.exec(select(User).where(User.email == "jade@example.org")).one()
    db.commit()
    assert (user.role, user.person_id) == ("lxp", jade.id)
    twice = _invite(client, email="jade@example.org", role="lxp", person_id=str(jade.id))
    assert twice.status_code == 400 and "already a sign-in" in twice.get_data(as_text=True)


def test_a_made_up_or_altered_link_is_refused(
    app: Flask, client: FlaskClient, db: Session, login
) -> None:
    login("admin")
    assert _invite(client, email="x@trust.nhs.uk", role="chair").status_code == 303
    link = _mailed_link(app, "x@trust.nhs.uk")
    path = "/" + link.split("/", 3)[3]
    guest = app.test_client()
    assert guest.get(path[:-3] + "abc").status_code == 400
    assert guest.get("/invite/not-a-token").status_code == 400


def test_a_waiting_invitation_can_be_sent_again(
    app: Flask, client: FlaskClient, db: Session, login
) -> None:
    login("admin")
    assert _invite(client, email="slow@trust.nhs.uk", role="lead").status_code == 303
    outbox = Path(app.config["TRACKER"].resolved_outbox_dir)
    assert len(list(outbox.glob("*.eml"))) == 1
    user = db.exec(select(User).where(User.email == "slow@trust.nhs.uk")).one()
    db.commit()
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Send the invitation again" in page
    token = csrf_token(client, "/admin/users")
    again = client.post(f"/admin/invite/{user.id}/resend", data={"csrf_token": token})
    assert again.status_code == 303
    assert len(list(outbox.glob("*.eml"))) == 2
    assert "Invitation sent again to slow@trust.nhs.uk" in client.get("/admin/users").get_data(
        as_text=True
    )
    # Someone who has a password is not "invited": nothing is sent.
    admin_user = db.exec(select(User).where(User.role == "admin")).first()
    db.commit()
    client.post(f"/admin/invite/{admin_user.id}/resend", data={"csrf_token": token})
    assert len(list(outbox.glob("*.eml"))) == 2
