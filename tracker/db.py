"""Engine, sessions and schema upgrades."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

ROOT = Path(__file__).resolve().parents[1]
MIGRATIONS = ROOT / "migrations"


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    # pysqlite's own BEGIN handling breaks SAVEPOINTs; SQLAlchemy emits BEGIN.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    # WAL with synchronous=NORMAL stays consistent after a crash and saves an
    # fsync per commit (a power cut may lose the last commit, never corrupt).
    cursor.execute("PRAGMA synchronous=NORMAL")
    # A 64 MB page cache (the default is 2 MB) keeps dashboard scans in memory.
    cursor.execute("PRAGMA cache_size=-64000")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # BEGIN IMMEDIATE takes the write lock up front, so a read-then-write
    # transaction waits for a busy database instead of failing at once.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """Create the engine; on SQLite, let SQLAlchemy own transactions."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 5})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """Yield a session that rolls back on error and always closes."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(url: str) -> Any:
    """Return an Alembic Config pointing at our migrations and this database."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade_schema(url: str) -> None:
    """Create or upgrade the schema to the newest migration."""
    from alembic import command

    make_url(url)  # raises ArgumentError on nonsense, before Alembic logs anything
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), "head")


def downgrade_schema(url: str, revision: str = "base") -> None:
    """Step the schema back down (tests round-trip the migrations)."""
    from alembic import command

    command.downgrade(alembic_config(url), revision)
