"""Shared fixtures: real SQLite and real PostgreSQL, migrated by our own code.

Storage tests take the ``engine`` (or ``db_url``) fixture, which runs each
test once on SQLite and once on PostgreSQL.  PostgreSQL comes from
TRACKER_TEST_POSTGRES_URL (default: the local server at 127.0.0.1:5432,
database ``test``); each test run works in a schema of its own, so parallel
runs do not meet.  Where no server answers, the PostgreSQL half is skipped
with the reason; CI sets TRACKER_REQUIRE_POSTGRES=1 so that a missing server
fails instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session, SQLModel

from tracker.db import make_engine, upgrade_schema

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TRACKER_SHARED_DIR", ROOT.parent / "shared"))
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--playwright",
        action="store_true",
        default=False,
        help="(kept for compatibility; browser tests run whenever Chromium is installed)",
    )


def _postgres_base() -> str | None:
    """Return a reachable PostgreSQL URL, or None (with the reason cached)."""
    url = os.environ.get("TRACKER_TEST_POSTGRES_URL", DEFAULT_PG)
    try:
        probe = create_engine(url, connect_args={"connect_timeout": 3})
        with probe.connect() as conn:
            conn.execute(text("select 1"))
        probe.dispose()
        return url
    except Exception as exc:
        _postgres_base.reason = f"PostgreSQL not reachable at {url}: {type(exc).__name__}"  # type: ignore[attr-defined]
        return None


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str]:
    """A migrated PostgreSQL schema private to this test run."""
    base = _postgres_base()
    if base is None:
        reason = getattr(_postgres_base, "reason", "PostgreSQL not reachable")
        if os.environ.get("TRACKER_REQUIRE_POSTGRES"):
            pytest.fail(reason)
        pytest.skip(reason)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options=-csearch_path%3D{schema}"
    upgrade_schema(url)
    yield url
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated SQLite file database for this test run."""
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    upgrade_schema(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each storage test runs on SQLite and on PostgreSQL, starting empty."""
    url = request.getfixturevalue(
        f"{request.param}_url" if request.param == "sqlite" else "postgres_schema_url"
    )
    engine = make_engine(url)
    _empty(engine)
    engine.dispose()
    yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


def _empty(engine: Engine) -> None:
    """Delete every row, children first."""
    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def shared_dir() -> Path:
    """The ../shared folder (corpora, contract); skip when absent."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} not present")
    return SHARED


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Redis for tests: TRACKER_TEST_REDIS_URL, the local one at 127.0.0.1:6379,
    or else a private redis-server started here on a free port."""
    import shutil
    import socket
    import subprocess
    import time

    import redis

    def answers(url: str) -> bool:
        try:
            client = redis.Redis.from_url(url, socket_connect_timeout=1)
            client.ping()
            client.close()
            return True
        except Exception:
            return False

    url = os.environ.get("TRACKER_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    if answers(url):
        yield url
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip(f"no Redis at {url} and no redis-server to start")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(50):
        if answers(url):
            break
        time.sleep(0.1)
    else:
        server.kill()
        pytest.fail("redis-server did not start")
    yield url
    server.terminate()
    server.wait(timeout=10)
