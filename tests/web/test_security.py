"""ASVS baseline: cookies, headers, CSRF, rate limits, object access, escaping."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlmodel import select

from tracker import create_app
from tracker.models import AuditEvent
from web.support import PASSWORD, arrange_programme, csrf_token, make_user, post


def _signed_in_routes(app: Flask) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" in (rule.methods or ()) and not rule.arguments:
            paths.append(rule.rule)
    return sorted(paths)


def test_session_cookie_flags_over_https(settings):
    """Over https, is the session cookie __Host-, Secure, HttpOnly and SameSite=Lax?"""
    from dataclasses import replace

    app = create_app(replace(settings, base_url="https://tracker.example.org"))
    client = app.test_client()
    with app.app_context():
        from sqlmodel import Session

        with Session(app.extensions["engine"], expire_on_commit=False) as db:
            user = make_user(db, "chair")
    page = client.get("/login", base_url="https://localhost").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
        base_url="https://localhost",
        headers={"Referer": "https://localhost/login"},
    )
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    for part in ("Secure", "HttpOnly", "Path=/", "SameSite=Lax"):
        assert part in cookie
    assert "Domain=" not in cookie
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    app.extensions["engine"].dispose()


def test_session_cookie_over_http_still_works(client, login):
    """Over plain http (tests, local dev), is the cookie HttpOnly and Lax, and usable?"""
    login("chair")
    assert client.get("/meetings/").status_code == 200


@pytest.mark.parametrize("role", [None, "chair", "lxp", "lead", "admin"])
def test_headers_on_every_page(app, client, login, role):
    """Does every page, signed in or not, carry CSP, nosniff and no-store?"""
    if role:
        login(role)
    for path in _signed_in_routes(app):
        response = client.get(path)
        csp = response.headers.get("Content-Security-Policy", "")
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in csp, path
        assert "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["X-Frame-Options"] == "DENY", path
        assert response.status_code < 500, path
        if not path.startswith("/static"):
            assert response.headers["Cache-Control"] == "no-store", path


def test_post_without_csrf_token_is_refused(client, login):
    """Does a form POST without its CSRF token get a plain 400?"""
    login("chair")
    response = client.post("/logout")
    assert response.status_code == 400
    assert "form" in response.get_data(as_text=True).lower()
    assert client.get("/meetings/").status_code == 200  # still signed in


def test_sign_in_without_csrf_token_is_refused(client, db):
    """Is even the sign-in form protected against cross-site posts?"""
    user = make_user(db, "chair")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400


def test_failed_logins_are_throttled_per_account(client, db):
    """After five failed tries on one account in a minute, is the sixth a 429, logged?"""
    user = make_user(db, "chair")
    token = csrf_token(client)
    statuses = [
        client.post(
            "/login", data={"email": user.email, "password": "wrong one", "csrf_token": token}
        ).status_code
        for _ in range(6)
    ]
    assert statuses[:5] == [401] * 5
    assert statuses[5] == 429
    # Even the right password waits until the minute is over.
    right = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert right.status_code == 429
    db.expire_all()
    actions = [e.action for e in db.exec(select(AuditEvent)).all()]
    assert "login.throttled" in actions
    assert actions.count("login.failed") == 5


def test_failed_logins_are_throttled_per_address(client, db):
    """Do many accounts tried from one address also hit the limit?"""
    token = csrf_token(client)
    statuses = [
        client.post(
            "/login",
            data={"email": f"nobody{n}@example.org", "password": "x" * 9, "csrf_token": token},
        ).status_code
        for n in range(6)
    ]
    assert statuses[-1] == 429


def test_lxp_cannot_open_another_lxps_contribution(client, login, db):
    """Does LXP A asking for LXP B's contribution by id get 404, and not see the text?"""
    data = arrange_programme(db)
    login("lxp", person=data["amara"])
    response = client.get(f"/me/contributions/{data['other'].id}")
    assert response.status_code == 404
    assert "private point" not in response.get_data(as_text=True)
    own = client.get(f"/me/contributions/{data['point'].id}")
    assert own.status_code == 200
    listing = client.get("/me/").get_data(as_text=True)
    assert "Evening peer support" in listing
    assert "private point" not in listing


def test_lxp_cannot_change_consent_on_another_lxps_point(client, login, db):
    """Is a consent change on someone else's point refused with 404 and no change?"""
    data = arrange_programme(db)
    login("lxp", person=data["amara"])
    response = post(
        client,
        f"/me/contributions/{data['other'].id}/consent",
        {"consent": "count-only"},
        token_from="/me/",
    )
    assert response.status_code == 404
    db.refresh(data["other"])
    assert data["other"].consent == "quote-named"


def test_script_in_a_statement_is_escaped(client, login, db):
    """Is a <script> in recorded text shown as text, never run?"""
    data = arrange_programme(db)
    data["point"].text = '<script>alert("x")</script> <a href="http://evil">link</a>'
    db.add(data["point"])
    db.commit()
    login("lxp", person=data["amara"])
    page = client.get("/me/").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    assert '<a href="http://evil">' not in page
    post(client, "/logout", token_from="/me/")
    login("chair")
    queue = client.get("/links/").get_data(as_text=True)
    assert "<script>alert" not in queue
    assert "&lt;script&gt;" in queue


def test_unexpected_error_shows_a_plain_page(app, client, login):
    """Does a crash show a plain 500 page with no traceback?"""

    @app.get("/boom-for-test")
    def boom() -> str:
        raise RuntimeError("secret minutes text")

    response = client.get("/boom-for-test")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Traceback" not in body
    assert "secret minutes text" not in body
    assert "Something went wrong" in body


def test_upload_over_the_limit_is_413(client, login):
    """Is an upload over the size limit refused with 413 and a plain message?"""
    login("chair")
    token = csrf_token(client, "/meetings/upload")
    big = b"PK\x03\x04" + b"0" * (11 * 1_000_000)
    import io

    response = client.post(
        "/meetings/upload",
        data={"csrf_token": token, "files": (io.BytesIO(big), "big.docx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "MB limit" in response.get_data(as_text=True)


def test_next_parameter_cannot_leave_the_site(client, db):
    """Does sign-in refuse to send people to another site after signing in?"""
    user = make_user(db, "chair")
    token = csrf_token(client)
    response = client.post(
        "/login?next=//evil.example.org/x",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 303
    assert "evil" not in response.headers["Location"]
