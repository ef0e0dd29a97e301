"""SQLite: reads take no lock, writes wait for the write lock (RELIABILITY.md 55)."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session, select

from tracker.db import begin_write, make_engine, upgrade_schema
from tracker.models import Body


def _url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 't.sqlite'}"
    upgrade_schema(url)
    return url


def _hold_write_lock(path: Path, seconds: float, started: threading.Event) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT INTO body (name, kind, workstream, patterns) VALUES ('held', 'working', 'w', '[]')"
    )
    started.set()
    time.sleep(seconds)
    conn.execute("COMMIT")
    conn.close()


def test_a_read_holds_no_lock_and_a_read_then_write_waits_instead_of_failing(
    tmp_path: Path,
) -> None:
    """Does a session that read keep reading while another writes, then write after it?"""
    url = _url(tmp_path)
    engine = make_engine(url)
    with Session(engine) as session:
        assert session.exec(select(Body)).all() == []
        # The session read, and its transaction is still open; a writer elsewhere
        # must not be blocked by it.
        other = sqlite3.connect(tmp_path / "t.sqlite", isolation_level=None, timeout=0.1)
        other.execute("BEGIN IMMEDIATE")
        other.execute(
            "INSERT INTO body (name, kind, workstream, patterns) "
            "VALUES ('b1', 'working', 'w', '[]')"
        )
        # ... and the session still reads (WAL: readers never wait).
        assert session.exec(select(Body)).all() == []
        started = threading.Event()
        other.execute("COMMIT")
        other.close()
        holder = threading.Thread(
            target=_hold_write_lock, args=(tmp_path / "t.sqlite", 1.0, started)
        )
        holder.start()
        started.wait()
        began = time.monotonic()
        session.add(Body(name="mine", kind="working", workstream="w"))
        session.commit()  # waits for the holder, then writes
        waited = time.monotonic() - began
        holder.join()
    assert waited >= 0.5
    with Session(engine) as session:
        names = sorted(b.name for b in session.exec(select(Body)).all())
    assert names == ["b1", "held", "mine"]
    engine.dispose()


def test_begin_write_takes_the_lock_before_reading(tmp_path: Path) -> None:
    """After begin_write, does another writer wait for us (and not the other way round)?"""
    url = _url(tmp_path)
    engine = make_engine(url)
    with Session(engine) as session:
        begin_write(session)
        session.exec(select(Body)).all()
        other = sqlite3.connect(tmp_path / "t.sqlite", isolation_level=None, timeout=0.2)
        try:
            other.execute("BEGIN IMMEDIATE")
            locked = False
        except sqlite3.OperationalError as exc:
            locked = "locked" in str(exc)
        other.close()
        session.rollback()
    assert locked
    engine.dispose()


def test_a_rolled_back_write_leaves_nothing_and_releases_the_lock(tmp_path: Path) -> None:
    """Does a rollback undo the write and free the lock for the next writer?"""
    url = _url(tmp_path)
    engine = make_engine(url)
    with Session(engine) as session:
        session.add(Body(name="gone", kind="working", workstream="w"))
        session.flush()
        session.rollback()
        with session.begin_nested():
            session.add(Body(name="kept", kind="working", workstream="w"))
        session.commit()
    other = sqlite3.connect(tmp_path / "t.sqlite", isolation_level=None, timeout=0.2)
    other.execute("BEGIN IMMEDIATE")
    other.execute("COMMIT")
    assert [r[0] for r in other.execute("SELECT name FROM body")] == ["kept"]
    other.close()
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000
    engine.dispose()
