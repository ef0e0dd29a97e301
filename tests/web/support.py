"""Helpers shared by the web tests (users, CSRF tokens, form posts)."""

from __future__ import annotations

import re
import time
from typing import Any

import pyotp
from flask.testing import FlaskClient
from sqlmodel import Session

from factories import make_person
from tracker.models import User
from tracker.services import accounts

PASSWORD = "correct horse battery"
MFA_ROLES = ("lead", "admin")
_used_steps: dict[str, int] = {}  # secret -> last time step a helper code was made for


def totp_code(secret: str) -> str:
    """A valid code for this key that no earlier call returned (the app refuses replays).

    The app accepts the previous, current and next 30-second step, so up to three
    sign-ins of one account within a step still each get a fresh code.
    """
    totp = pyotp.TOTP(secret)
    now = int(time.time() // totp.interval)
    for step in (now - 1, now, now + 1):
        if step > _used_steps.get(secret, now - 2):
            _used_steps[secret] = step
            return totp.generate_otp(step)
    raise AssertionError("more than three sign-ins of one account in 30 seconds")


def sign_in(client: FlaskClient, user: User, *, password: str = PASSWORD, path: str = "/login"):
    """Sign in through the real forms: the password, then the code when asked for it."""
    response = client.post(
        path, data={"email": user.email, "password": password, "csrf_token": csrf_token(client)}
    )
    if response.status_code == 303 and response.headers["Location"].endswith("/login/code"):
        assert user.totp_secret, f"{user.email} was asked for a code but has no key"
        token = csrf_token(client, "/login/code")
        response = client.post(
            "/login/code", data={"code": totp_code(user.totp_secret), "csrf_token": token}
        )
    return response


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """Fetch a page and return the CSRF token from its first form."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def make_user(
    db: Session, role: str, *, email: str | None = None, person: Any = None, enrolled: bool = True
) -> User:
    """Create a sign-in with PASSWORD; an LXP gets a roster person.

    A lead or admin also gets an authenticator key (``enrolled=False``: none yet,
    so their first sign-in goes to the set-up page).
    """
    if role == "lxp" and person is None:
        person = make_person(db, role="lxp")
        db.commit()
    email = email or f"{role}-{id(person) if person else ''}{role}@example.org"
    user = accounts.create_user(
        session=db,
        email=email,
        password=PASSWORD,
        role=role,
        person_name=person.name if person is not None else None,
        actor="test",
    )
    if role in MFA_ROLES and enrolled:
        accounts.set_totp_secret(session=db, user=user, actor="test")
    return user


def post(client: FlaskClient, path: str, data: dict | None = None, **kw: Any) -> Any:
    """POST a form with a fresh CSRF token taken from the page `token_from`."""
    token_from = kw.pop("token_from", "/login")
    payload = {"csrf_token": csrf_token(client, token_from), **(data or {})}
    return client.post(path, data=payload, **kw)


def arrange_programme(db: Session) -> dict[str, Any]:
    """An LXP catch-up point, a later CRG decision, and a suggested link between them."""
    from datetime import date

    from factories import (
        make_body,
        make_contribution,
        make_decision,
        make_link,
        make_meeting,
        make_outcome,
    )

    amara = make_person(db, "Amara Okafor", role="lxp")
    tom = make_person(db, "Tom Nowicki", role="lxp")
    chair = make_person(db, "Helen Price", role="staff")
    catch_up = make_body(db, "PD LXP catch-up", kind="catch-up")
    crg = make_body(db, "PD Clinical Reference Group", kind="governance")
    m1 = make_meeting(db, catch_up, date(2021, 3, 9))
    m2 = make_meeting(db, crg, date(2021, 3, 18))
    point = make_contribution(
        db, m1, "Evening peer support groups would help people who work.", speaker=amara
    )
    other = make_contribution(db, m1, "Tom's private point about his care.", speaker=tom)
    decision = make_decision(db, m2, "Agreed to pilot evening peer support groups.")
    link = make_link(db, point, decision)
    link.why = ["evening", "peer", "support"]
    db.add(link)
    make_outcome(db, point, "heard")
    make_outcome(db, other, "lost")
    db.commit()
    return {
        "amara": amara,
        "tom": tom,
        "chair_person": chair,
        "point": point,
        "other": other,
        "decision": decision,
        "link": link,
        "catch_up": catch_up,
        "crg": crg,
        "m1": m1,
        "m2": m2,
    }
