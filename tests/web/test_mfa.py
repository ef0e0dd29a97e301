"""Two-step sign-in for leads and admins (ASVS 5.0 V6.3.3): a TOTP code after the password."""

from __future__ import annotations

import re
from dataclasses import replace

import pyotp
import pytest
from sqlmodel import select

from tracker import create_app
from tracker.models import AuditEvent, User
from web.support import PASSWORD, csrf_token, make_user, post, sign_in, totp_code


def _password(client, user, path="/login"):
    return post(client, path, {"email": user.email, "password": PASSWORD})


def _code(client, code, path="/login/code"):
    return post(client, path, {"code": code}, token_from=path)


def _user(db, role, **kw):
    """A new sign-in, detached so reading it later never holds a database lock."""
    user = make_user(db, role, **kw)
    db.expunge(user)
    return user


def _actions(db, action):
    """(actor, detail) of each audit row with this action."""
    db.expire_all()
    rows = db.exec(select(AuditEvent).where(AuditEvent.action == action)).all()
    found = [(e.actor, dict(e.detail)) for e in rows]
    db.rollback()  # end the read, so the app can write (SQLite takes the lock at BEGIN)
    return found


def _stored(db, user_id):
    """(key, last used step) as the database has them now."""
    db.expire_all()
    row = db.get(User, user_id)
    values = (row.totp_secret, row.totp_last_step)
    db.rollback()
    return values


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.mark.parametrize("role", ["lead", "admin"])
def test_password_alone_does_not_sign_in(client, db, role):
    """After the right password, is a lead or admin still signed out until the code?"""
    user = _user(db, role)
    response = _password(client, user)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/login/code")
    for path in ("/dashboard/", "/links/", "/meetings/", "/admin/", "/"):
        page = client.get(path)
        assert page.status_code == 302, path
        assert page.headers["Location"].endswith("/login/code"), path
    form = client.get("/login/code").get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in form
    assert 'inputmode="numeric"' in form
    assert '<label for="code">' in form
    assert user.email not in form  # no signed-in header yet


def test_right_code_signs_in_and_is_audited(client, db):
    """Does the current code finish the sign-in, to the page asked for, audited?"""
    user = _user(db, "lead")
    response = _password(client, user, "/login?next=/links/")
    assert response.headers["Location"].endswith("/login/code")
    response = _code(client, totp_code(user.totp_secret))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/links/")
    assert client.get("/dashboard/").status_code == 200
    assert len(_actions(db, "login.mfa_ok")) == 1


def test_wrong_code_is_refused_and_audited(client, db):
    """Is a wrong code refused with a plain message, audited, and still signed out?"""
    user = _user(db, "admin")
    _password(client, user)
    right = pyotp.TOTP(user.totp_secret).now()
    for bad in (_wrong(right), "abcdef", "", "1234567"):
        response = _code(client, bad)
        assert response.status_code == 401, bad
        assert "did not work" in response.get_data(as_text=True)
    assert client.get("/admin/").headers["Location"].endswith("/login/code")
    failed = _actions(db, "login.mfa_failed")
    assert len(failed) == 4
    assert failed[0][0] == user.email
    assert failed[0][1]["reason"] == "wrong"
    assert not _actions(db, "login.mfa_ok")


def test_replayed_code_is_refused(app, client, db):
    """Is a code that already signed someone in refused the second time?"""
    user = _user(db, "lead")
    user_id = user.id
    code = totp_code(user.totp_secret)
    _password(client, user)
    assert _code(client, code).status_code == 303
    other = app.test_client()
    _password(other, user)
    response = _code(other, code)
    assert response.status_code == 401
    assert other.get("/dashboard/").status_code == 302
    assert _actions(db, "login.mfa_failed")[0][1]["reason"] == "replayed"
    secret, last_step = _stored(db, user_id)
    assert last_step is not None
    # An older code of the same key (one step earlier) is refused too.
    older = pyotp.TOTP(secret).generate_otp(last_step - 1)
    assert _code(other, older).status_code == 401


def test_unenrolled_lead_must_enrol_first(client, db):
    """Does a lead with no key go to set-up, see the key, and only then get in?"""
    user = _user(db, "lead", enrolled=False)
    response = _password(client, user)
    assert response.headers["Location"].endswith("/login/enrol")
    for path in ("/dashboard/", "/links/", "/login/code", "/"):
        page = client.get(path)
        assert page.status_code in (302, 303), path
        assert page.headers["Location"].endswith("/login/enrol"), path
    html = client.get("/login/enrol").get_data(as_text=True)
    key = re.search(r'id="totp-key">([A-Z2-7 ]+)<', html).group(1)
    assert all(len(group) == 4 for group in key.split(" "))
    assert "otpauth://totp/" in html
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    secret = key.replace(" ", "")
    # The key is the same on every view of the page during this sign-in.
    assert key in client.get("/login/enrol").get_data(as_text=True)
    assert _code(client, _wrong(pyotp.TOTP(secret).now()), "/login/enrol").status_code == 401
    assert _stored(db, user.id)[0] is None
    response = _code(client, pyotp.TOTP(secret).now(), "/login/enrol")
    assert response.status_code == 303
    home = client.get("/dashboard/")
    assert home.status_code == 200
    assert "authenticator app is set up" in home.get_data(as_text=True)
    assert _stored(db, user.id)[0] == secret
    assert _actions(db, "login.mfa_enrolled")
    # Next time, the code page (and the key is not shown again).
    post(client, "/logout", token_from="/dashboard/")
    assert _password(client, user).headers["Location"].endswith("/login/code")
    assert client.get("/login/enrol").headers["Location"].endswith("/login/code")


@pytest.mark.parametrize("role", ["chair", "lxp"])
def test_chair_and_lxp_are_not_asked(client, db, role):
    """Do chairs and LXPs sign in with the password alone?"""
    user = _user(db, role)
    response = _password(client, user)
    assert response.status_code == 303
    assert "/login/" not in response.headers["Location"]
    assert client.get("/").status_code == 302
    assert "/login" not in client.get("/").headers["Location"]


def test_code_form_without_password_goes_to_sign_in(client):
    """Does the code page send a visitor who gave no password to the sign-in form?"""
    response = client.get("/login/code")
    assert response.headers["Location"].endswith("/login")
    response = client.get("/login/enrol")
    assert response.headers["Location"].endswith("/login")


def test_too_many_codes_get_429(client, db):
    """After five wrong codes in a minute, is the sixth a 429, audited?"""
    user = _user(db, "lead")
    _password(client, user)
    wrong = _wrong(pyotp.TOTP(user.totp_secret).now())
    token = csrf_token(client, "/login/code")
    statuses = [
        client.post("/login/code", data={"code": wrong, "csrf_token": token}).status_code
        for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    right = client.post(
        "/login/code", data={"code": totp_code(user.totp_secret), "csrf_token": token}
    )
    assert right.status_code == 429
    assert _actions(db, "login.mfa_throttled")[0][0] == user.email


def test_lead_session_without_the_code_is_not_enough(app, client, db):
    """Is a lead session made while two-step sign-in was off refused once it is on?"""
    user = _user(db, "lead")
    off = create_app(replace(app.config["TRACKER"], require_mfa=False))
    off.config.update(TESTING=True)
    off_client = off.test_client()
    assert sign_in(off_client, user).status_code == 303
    cookie = off_client.get_cookie("tracker_session")
    client.set_cookie("tracker_session", cookie.value)
    assert client.get("/dashboard/").status_code == 302
    off.extensions["engine"].dispose()


def test_require_mfa_false_skips_the_code(settings, db):
    """With [web] require_mfa = false, does a lead sign in with the password alone?"""
    app = create_app(replace(settings, require_mfa=False))
    app.config.update(TESTING=True)
    client = app.test_client()
    user = _user(db, "lead", enrolled=False)
    response = _password(client, user)
    assert response.status_code == 303
    assert "/login/" not in response.headers["Location"]
    assert client.get("/dashboard/").status_code == 200
    app.extensions["engine"].dispose()
