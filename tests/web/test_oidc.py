"""Single sign-on against a real OpenID Connect provider on loopback, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from factories import make_person
from oidc_provider import CLIENT_ID, CLIENT_SECRET, MockProvider
from tracker import create_app
from tracker.config import Settings
from tracker.models import AuditEvent, User
from tracker.services import accounts
from web.support import PASSWORD, csrf_token, make_user

ROLES = {"admin": ("g-admins",), "lead": ("g-leads",), "lxp": ("g-lxps",)}


@pytest.fixture
def provider() -> Iterator[MockProvider]:
    with MockProvider() as running:
        yield running


def _sso_app(settings: Settings, provider: MockProvider, **changes: object) -> Flask:
    app = create_app(
        replace(
            settings,
            oidc_issuer=provider.issuer,
            oidc_client_id=CLIENT_ID,
            oidc_client_secret=CLIENT_SECRET,
            oidc_roles=ROLES,
            **changes,
        )
    )
    app.config.update(TESTING=True)
    return app


@pytest.fixture
def sso_app(settings: Settings, provider: MockProvider) -> Iterator[Flask]:
    app = _sso_app(settings, provider)
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture
def sso_client(sso_app: Flask) -> FlaskClient:
    return sso_app.test_client()


@pytest.fixture
def sso_db(sso_app: Flask) -> Iterator[Session]:
    with Session(sso_app.extensions["engine"], expire_on_commit=False) as session:
        yield session


def sso_sign_in(client: FlaskClient, provider: MockProvider, person: dict, path: str = ""):
    """Press the button, let the provider send us back, and return the callback's answer."""
    provider.person = person
    start = client.get("/login/sso" + path)
    assert start.status_code == 302, start.get_data(as_text=True)[:300]
    assert start.headers["Location"].startswith(provider.issuer + "/authorize?")
    back = requests.get(start.headers["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302, back.text
    callback = urlsplit(back.headers["Location"])
    assert callback.path == "/login/sso/callback"
    return client.get(f"{callback.path}?{callback.query}")


def person(email: str, oid: str, *groups: str) -> dict:
    return {"sub": f"pairwise-{oid}", "oid": oid, "email": email, "groups": list(groups)}


def test_a_group_gives_the_role_on_first_sign_in(
    sso_client: FlaskClient, sso_db: Session, provider: MockProvider
) -> None:
    """Does someone in the admins group get an admin sign-in, with no code asked?"""
    response = sso_sign_in(sso_client, provider, person("Ada@Trust.nhs.uk", "oid-ada", "g-admins"))
    assert response.status_code == 303
    user = sso_db.exec(select(User).where(User.email == "ada@trust.nhs.uk")).one()
    sso_db.commit()  # end the read (SQLite: let the app write)
    assert user.role == "admin"
    assert user.oidc_subject == f"{provider.issuer}|oid-ada"
    assert sso_client.get("/meetings/").status_code == 200  # signed in, no code step
    # The account has no password that could be guessed.
    assert accounts.authenticate(session=sso_db, email=user.email, password="!sso") is None


def test_the_role_follows_the_groups(
    sso_client: FlaskClient, sso_db: Session, provider: MockProvider
) -> None:
    sso_sign_in(sso_client, provider, person("lee@trust.nhs.uk", "oid-lee", "g-leads"))
    assert sso_db.exec(select(User).where(User.email == "lee@trust.nhs.uk")).one().role == "lead"
    sso_db.commit()
    sso_client.post("/logout", data={"csrf_token": csrf_token(sso_client, "/meetings/")})
    response = sso_sign_in(
        sso_client, provider, person("lee@trust.nhs.uk", "oid-lee", "g-leads", "g-admins")
    )
    assert response.status_code == 303
    sso_db.expire_all()
    users = sso_db.exec(select(User).where(User.email == "lee@trust.nhs.uk")).all()
    assert [u.role for u in users] == ["admin"]  # the same sign-in, now admin


def test_an_invited_sign_in_is_tied_on_first_use(
    sso_client: FlaskClient, sso_db: Session, provider: MockProvider
) -> None:
    """Does a sign-in an admin made (no group) keep its role and get tied to the person?"""
    invited = make_user(sso_db, "chair", email="chair@trust.nhs.uk")
    response = sso_sign_in(sso_client, provider, person("chair@trust.nhs.uk", "oid-chair"))
    assert response.status_code == 303
    sso_db.refresh(invited)
    sso_db.commit()
    assert invited.role == "chair"
    assert invited.oidc_subject == f"{provider.issuer}|oid-chair"
    # Later the email at the provider changes: the subject still finds them.
    sso_client.post("/logout", data={"csrf_token": csrf_token(sso_client, "/meetings/")})
    again = sso_sign_in(sso_client, provider, person("c.hair@trust.nhs.uk", "oid-chair"))
    assert again.status_code == 303
    assert sso_client.get("/meetings/").status_code == 200


def test_an_lxp_is_tied_to_their_roster_person(
    sso_client: FlaskClient, sso_db: Session, provider: MockProvider
) -> None:
    roster = make_person(sso_db, "Jade Morgan", role="lxp", email="jade@example.org")
    sso_db.commit()
    response = sso_sign_in(sso_client, provider, person("jade@example.org", "oid-jade", "g-lxps"))
    assert response.status_code == 303
    user = sso_db.exec(select(User).where(User.email == "jade@example.org")).one()
    sso_db.commit()
    assert (user.role, user.person_id) == ("lxp", roster.id)
    # An LXP not on the roster is not let in.
    refused = sso_sign_in(sso_client, provider, person("new@example.org", "oid-new", "g-lxps"))
    assert refused.status_code == 403
    assert "not on the roster" in refused.get_data(as_text=True)


def test_someone_with_no_group_and_no_invitation_is_told_to_ask(
    sso_client: FlaskClient, sso_db: Session, provider: MockProvider
) -> None:
    response = sso_sign_in(sso_client, provider, person("stranger@trust.nhs.uk", "oid-x"))
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Ask your programme admin to add" in page and "stranger@trust.nhs.uk" in page
    assert sso_db.exec(select(User).where(User.email == "stranger@trust.nhs.uk")).first() is None
    refusals = sso_db.exec(select(AuditEvent).where(AuditEvent.action == "sso.refused")).all()
    sso_db.commit()
    assert [e.actor for e in refusals] == ["stranger@trust.nhs.uk"]
    assert sso_client.get("/meetings/").status_code == 302  # not signed in


def test_a_switched_off_sign_in_is_refused(
    sso_client: FlaskClient, sso_db: Session, provider: MockProvider
) -> None:
    user = make_user(sso_db, "chair", email="gone@trust.nhs.uk")
    user.active = False
    sso_db.add(user)
    sso_db.commit()
    response = sso_sign_in(sso_client, provider, person("gone@trust.nhs.uk", "oid-gone"))
    assert response.status_code == 403
    assert "switched off" in response.get_data(as_text=True)


def test_a_token_signed_with_another_key_is_refused(
    sso_client: FlaskClient, sso_db: Session, provider: MockProvider
) -> None:
    provider.sign_with_stranger_key = True
    response = sso_sign_in(sso_client, provider, person("eve@trust.nhs.uk", "oid-eve", "g-admins"))
    assert response.status_code == 400
    assert provider.tokens_issued == 1  # the token was fetched, then refused
    assert sso_db.exec(select(User)).all() == []
    sso_db.commit()
    assert sso_client.get("/meetings/").status_code == 302


def test_a_callback_without_our_state_is_refused(
    sso_client: FlaskClient, provider: MockProvider
) -> None:
    """Is a code injected from elsewhere (no sign-in started here) refused?"""
    provider.person = person("eve@trust.nhs.uk", "oid-eve", "g-admins")
    response = sso_client.get("/login/sso/callback?code=stolen&state=made-up")
    assert response.status_code == 400
    assert provider.tokens_issued == 0
    cancelled = sso_client.get("/login/sso/callback?error=access_denied&error_description=x")
    assert cancelled.status_code == 400


def test_passwords_can_be_switched_off(
    settings: Settings, provider: MockProvider, db: Session
) -> None:
    app = _sso_app(settings, provider, password_sign_in=False)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    assert "Sign in with Microsoft" in page
    assert 'type="password"' not in page
    user = make_user(db, "chair", email="pw@trust.nhs.uk")
    refused = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert refused.status_code in (400, 401)
    assert client.get("/meetings/").status_code == 302
    app.extensions["engine"].dispose()


def test_no_single_sign_on_unless_configured(client: FlaskClient) -> None:
    assert client.get("/login/sso").status_code == 404
    assert "Sign in with" not in client.get("/login").get_data(as_text=True)


def test_a_provider_that_does_not_answer_gives_a_clear_page(settings: Settings) -> None:
    app = create_app(replace(settings, oidc_issuer="http://127.0.0.1:9", oidc_client_id=CLIENT_ID))
    response = app.test_client().get("/login/sso")
    assert response.status_code == 503
    assert "not answering" in response.get_data(as_text=True)
    app.extensions["engine"].dispose()


def test_sign_in_returns_to_the_page_asked_for(
    sso_client: FlaskClient, provider: MockProvider
) -> None:
    """Is ?next= kept across the trip to the provider, and only for our own paths?"""
    response = sso_sign_in(
        sso_client, provider, person("nia@trust.nhs.uk", "oid-nia", "g-leads"), "?next=/links/"
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/links/")
    sso_client.post("/logout", data={"csrf_token": csrf_token(sso_client, "/links/")})
    away = sso_sign_in(
        sso_client,
        provider,
        person("nia@trust.nhs.uk", "oid-nia", "g-leads"),
        "?next=https://evil.example/",
    )
    assert away.status_code == 303 and "evil" not in away.headers["Location"]
