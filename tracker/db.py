"""Engine, sessions and schema upgrades."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
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
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
    cursor.execute("PRAGMA journal_mode=WAL")
    # WAL with synchronous=NORMAL stays consistent after a crash and saves an
    # fsync per commit (a power cut may lose the last commit, never corrupt).
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted and overwritten text is zeroed on disk, not left in free space
    # (erasure and the retention of originals rely on it).
    cursor.execute("PRAGMA secure_delete=ON")
    # A 64 MB page cache (the default is 2 MB) keeps dashboard scans in memory.
    cursor.execute("PRAGMA cache_size=-64000")
    cursor.close()


# How SQLite transactions work here (WAL mode):
#
# * Reads take no lock and open no transaction: each SELECT runs on its own
#   snapshot, as under PostgreSQL's default READ COMMITTED.  A page request,
#   or an import while it parses a document, never holds the write lock.
# * The first statement that writes (INSERT, UPDATE, DELETE, SAVEPOINT, ...)
#   first runs BEGIN IMMEDIATE, so the transaction takes the write lock
#   before it writes and keeps it to COMMIT.  Because no read transaction is
#   open at that moment, SQLite's busy handler waits (up to the busy timeout)
#   for another writer instead of failing at once with "database is locked",
#   which is what upgrading a deferred read transaction does.
# * begin_write(session) takes the write lock explicitly, for a service that
#   must read and then write consistently (the new version of a meeting).
BUSY_TIMEOUT_SECONDS = 30
_TX = "tracker_sqlite_tx"  # connection.info key: None | "pending" | "open"
_READS = ("SELECT", "PRAGMA", "EXPLAIN", "VACUUM")  # VACUUM runs outside transactions


def _sqlite_begin(conn: Any) -> None:
    # Do not send BEGIN yet: the first statement decides (see above).
    conn.info[_TX] = "pending"


def _sqlite_end(conn: Any) -> None:
    conn.info[_TX] = None


def _sqlite_before_execute(
    conn: Any, cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
) -> None:
    if conn.info.get(_TX) != "pending":
        return
    head = statement.lstrip()[:10].upper()
    if head.startswith("BEGIN"):
        conn.info[_TX] = "open"
    elif not head.startswith(_READS):
        conn.info[_TX] = "open"
        cursor.execute("BEGIN IMMEDIATE")


def begin_write(session: Session) -> None:
    """Take the database's write lock now, for a read-then-write that must be consistent.

    On SQLite this runs BEGIN IMMEDIATE (waiting up to the busy timeout for
    another writer); later reads in the transaction see every commit made
    before it.  On PostgreSQL it does nothing: lock rows with
    ``with_for_update()`` there.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite" and connection.info.get(_TX) == "pending":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def scrub_storage(engine: Engine, tables: Sequence[str] = ()) -> None:
    """Leave no deleted text in the database's files (after an erasure).

    SQLite: VACUUM rewrites the file from live rows only (free pages from
    before ``secure_delete`` was on go too), then a TRUNCATE checkpoint copies
    the write-ahead log into the file and empties it.  PostgreSQL: VACUUM of
    ``tables`` marks dead row versions reusable; ``VACUUM FULL`` (a maintenance task,
    it locks tables) is what rewrites the files.
    """
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("VACUUM")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.commit()
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in tables:
            conn.exec_driver_sql(f'VACUUM "{table}"')


def _sqlite_folder(path: Path) -> None:
    """Create the SQLite file's folder, or say in one line why we cannot."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from tracker.errors import BadInput

        reason = exc.strerror or type(exc).__name__
        raise BadInput(
            f"database problem: cannot create the folder {path.parent} "
            f"for the SQLite database {path.name} ({reason})"
        ) from None


def make_engine(url: str) -> Engine:
    """Create the engine; on SQLite, let SQLAlchemy own transactions."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _sqlite_folder(Path(parsed.database))
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "commit", _sqlite_end)
        event.listen(engine, "rollback", _sqlite_end)
        event.listen(engine, "before_cursor_execute", _sqlite_before_execute)
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
        _sqlite_folder(Path(url[len("sqlite:///") :]))
    command.upgrade(alembic_config(url), "head")


def downgrade_schema(url: str, revision: str = "base") -> None:
    """Step the schema back down (tests round-trip the migrations)."""
    from alembic import command

    command.downgrade(alembic_config(url), revision)
