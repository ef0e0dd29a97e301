"""Web fixtures: an app per test on SQLite and PostgreSQL, a client, and login(role).

``login("chair")`` creates a user with that role (an LXP user is tied to a
roster person) and signs the test client in through the real sign-in form;
leads and admins also get an authenticator key and pass the code step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from tracker import create_app
from tracker.config import Settings
from tracker.models import User
from tracker.services import accounts
from web.support import make_user, sign_in

ROLES = ("chair", "lxp", "lead", "admin")


@pytest.fixture(autouse=True, scope="session")
def _cheap_hashes() -> Iterator[None]:
    # argon2id with small costs: the same code path, a hundred times faster.
    accounts.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    yield
    accounts.use_hasher(PasswordHasher())


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=db_url,
        instance_dir=str(tmp_path / "instance"),
        secret_key="test-secret-key",
        max_parse_seconds=20,
    )


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    app = create_app(settings)
    app.config.update(TESTING=True)
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session on the app's database, for arranging rows and checking results."""
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        yield session


@pytest.fixture
def login(client: FlaskClient, db: Session) -> Callable[..., User]:
    """Sign the client in as a new user of the given role; return the user."""

    def do(role: str, *, person: Any = None, email: str | None = None) -> User:
        user = make_user(db, role, email=email, person=person)
        response = sign_in(client, user)
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        return user

    return do
