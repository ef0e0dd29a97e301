"""Signed preference/unsubscribe links: rejected when bad, GET changes nothing, POST acts."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from digests.digest_support import make_settings
from factories import make_person
from tracker import create_app
from tracker.config import Settings
from tracker.models import AuditEvent, Person
from tracker.signing import (
    MAX_AGE_SECONDS,
    PREFERENCES,
    UNSUBSCRIBE,
    BadToken,
    make_token,
    read_token,
)

SECRET = "digest-test-secret"


def test_token_round_trip_carries_only_person_and_version() -> None:
    """Does a good token give back the person id and token version, and nothing else?"""
    token = make_token(SECRET, UNSUBSCRIBE, person_id=7, token_version=3)
    claims = read_token(SECRET, UNSUBSCRIBE, token)
    assert (claims.person_id, claims.token_version) == (7, 3)
    assert "peer" not in token.lower()


@pytest.mark.parametrize(
    "case", ["expired", "tampered", "wrong-salt", "wrong-secret", "garbage", "future"]
)
def test_bad_tokens_are_rejected(case: str) -> None:
    """Are expired, tampered, wrong-purpose and foreign tokens all refused?"""
    now = time.time()
    token = make_token(SECRET, PREFERENCES, person_id=7, token_version=1, clock=lambda: now)
    purpose, secret, clock = PREFERENCES, SECRET, lambda: now
    if case == "expired":
        clock = lambda: now + MAX_AGE_SECONDS + 1  # noqa: E731
    elif case == "tampered":
        token = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    elif case == "wrong-salt":
        purpose = UNSUBSCRIBE
    elif case == "wrong-secret":
        secret = "another-secret"
    elif case == "garbage":
        token = "not-a-token"
    elif case == "future":
        clock = lambda: now - 3600  # noqa: E731
    with pytest.raises(BadToken):
        read_token(secret, purpose, token, clock=clock)


@pytest.fixture
def web_settings(tmp_path: Path, db_url: str) -> Settings:
    return make_settings(tmp_path, db_url)


@pytest.fixture
def app(web_settings: Settings) -> Iterator[Flask]:
    from tracker.web import digest_links

    app = create_app(web_settings)
    if "digest_links" not in app.blueprints:
        app.register_blueprint(digest_links.bp)
    app.config.update(TESTING=True)
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def ann(session: Session) -> Person:
    person = make_person(session, "Ann Example", email="ann@example.org")
    session.commit()
    return person


def token_for(person: Person, purpose: str, **kw: int) -> str:
    return make_token(
        SECRET,
        purpose,
        person_id=person.id or 0,
        token_version=kw.get("version", person.digest_token_version),
    )


def reload(session: Session, person: Person) -> Person:
    session.expire_all()
    fresh = session.get(Person, person.id)
    session.commit()
    assert fresh is not None
    return fresh


def test_get_unsubscribe_confirms_and_changes_nothing(
    client: FlaskClient, session: Session, ann: Person
) -> None:
    """Does a GET (say, a mail scanner) only show a confirm page?"""
    response = client.get(f"/digests/unsubscribe/{token_for(ann, UNSUBSCRIBE)}")
    assert response.status_code == 200 and b"Stop these emails?" in response.data
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert reload(session, ann).digest_frequency == "weekly"
    client.get(f"/digests/preferences/{token_for(ann, PREFERENCES)}")
    assert reload(session, ann).digest_frequency == "weekly"


def test_one_click_post_unsubscribes_without_csrf(
    client: FlaskClient, session: Session, ann: Person
) -> None:
    """Does an RFC 8058 one-click POST stop digests, and is it audited?"""
    response = client.post(
        f"/digests/unsubscribe/{token_for(ann, UNSUBSCRIBE)}",
        data={"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    assert reload(session, ann).digest_frequency == "never"
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "digest.unsubscribe"))
    assert [e.detail["one_click"] for e in events.all()] == [True]
    session.commit()


def test_bad_links_change_nothing(client: FlaskClient, session: Session, ann: Person) -> None:
    """Are a wrong-purpose, tampered or revoked unsubscribe link refused with no change?"""
    wrong_purpose = token_for(ann, PREFERENCES)
    tampered = token_for(ann, UNSUBSCRIBE)[:-2] + "xx"
    revoked = token_for(ann, UNSUBSCRIBE)
    ann.digest_token_version += 1
    session.add(ann)
    session.commit()
    for token in (wrong_purpose, tampered, revoked):
        for method in (client.get, client.post):
            response = method(f"/digests/unsubscribe/{token}")
            assert response.status_code == 400
            assert b"Nothing has been changed." in response.data
    assert reload(session, ann).digest_frequency == "weekly"


def test_preferences_post_needs_csrf_and_then_saves(
    client: FlaskClient, app: Flask, session: Session, ann: Person
) -> None:
    """Is the preferences form CSRF-protected, and does a proper POST save the choices?"""
    url = f"/digests/preferences/{token_for(ann, PREFERENCES)}"
    assert client.post(url, data={"frequency": "monthly"}).status_code == 400
    assert reload(session, ann).digest_frequency == "weekly"
    page = client.get(url).get_data(as_text=True)
    csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post(url, data={"csrf_token": csrf, "frequency": "monthly", "critical": "on"})
    assert response.status_code == 200
    fresh = reload(session, ann)
    assert (fresh.digest_frequency, fresh.digest_positive, fresh.digest_critical) == (
        "monthly",
        False,
        True,
    )
