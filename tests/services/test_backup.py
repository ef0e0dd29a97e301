"""`tracker backup` then `tracker restore` into an empty database gives the same
`tracker export`, on SQLite and PostgreSQL (and from one to the other)."""

from __future__ import annotations

import gzip
import io
import json
import os
import stat
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, text
from sqlmodel import Session, select

from conftest import _postgres_base
from tracker.cli import cli
from tracker.db import make_engine
from tracker.demo import BODIES, ROSTER, pd_catch_up_march, pd_crg_march
from tracker.models import Meeting, Person
from tracker.observability import schema_heads
from tracker.services import accounts
from tracker.services.backup import write_backup


def run(db_url: str, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", db_url, *args], input=input, catch_exceptions=False)


def export(db_url: str) -> dict:
    result = run(db_url, "export")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def loaded(db_url: str, tmp_path: Path) -> str:
    """The demo roster, bodies and two real minutes files, matched, plus a sign-in."""
    (tmp_path / "roster.csv").write_text(ROSTER)
    (tmp_path / "bodies.csv").write_text(BODIES)
    assert run(db_url, "init").exit_code == 0
    assert run(db_url, "people", "import", str(tmp_path / "roster.csv")).exit_code == 0
    assert run(db_url, "bodies", "import", str(tmp_path / "bodies.csv")).exit_code == 0
    pd_catch_up_march(tmp_path / "catch-up.docx")
    pd_crg_march(tmp_path / "crg.docx")
    assert run(db_url, "import", str(tmp_path / "catch-up.docx")).exit_code == 0
    assert run(db_url, "import", str(tmp_path / "crg.docx")).exit_code == 0
    assert run(db_url, "match").exit_code == 0
    added = run(db_url, "users", "add", "jo@example.org", "--role", "chair", input="a long pass\n")
    assert added.exit_code == 0, added.output
    return db_url


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """Make a brand-new empty database (no schema) of the kind asked for."""
    schemas: list[str] = []
    base = _postgres_base()

    def make(kind: str) -> str:
        if kind == "sqlite":
            return f"sqlite:///{tmp_path / f'restored-{uuid.uuid4().hex[:6]}.sqlite'}"
        if base is None:
            if os.environ.get("TRACKER_REQUIRE_POSTGRES"):
                pytest.fail("PostgreSQL not reachable")
            pytest.skip("PostgreSQL not reachable")
        schema = f"r_{uuid.uuid4().hex[:12]}"
        admin = create_engine(base)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        schemas.append(schema)
        sep = "&" if "?" in base else "?"
        return f"{base}{sep}options=-csearch_path%3D{schema}"

    yield make
    if schemas and base is not None:
        admin = create_engine(base)
        with admin.begin() as conn:
            for schema in schemas:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _kind(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


@pytest.mark.parametrize("target", ["same", "other"])
def test_backup_then_restore_gives_the_same_export(
    loaded: str, tmp_path: Path, empty_database: Callable[[str], str], target: str
) -> None:
    """Is everything back after a restore into an empty database of the same kind,
    or of the other kind (SQLite to PostgreSQL and back)?"""
    before = export(loaded)
    assert before["meetings"] and before["links"]
    file = tmp_path / "tracker.backup"
    made = run(loaded, "backup", str(file))
    assert made.exit_code == 0, made.output
    assert "backed up" in made.output
    assert stat.S_IMODE(file.stat().st_mode) == 0o600  # it holds personal data

    kind = _kind(loaded)
    if target == "other":
        kind = "postgresql" if kind == "sqlite" else "sqlite"
    restored_url = empty_database(kind)
    done = run(restored_url, "restore", str(file))
    assert done.exit_code == 0, done.output
    assert "restored" in done.output
    assert export(restored_url) == before

    # Everything else came back too: the original Word files and the sign-in.
    engine = make_engine(restored_url)
    source = make_engine(loaded)
    with Session(engine) as new, Session(source) as old:
        originals = [m.original for m in new.exec(select(Meeting).order_by(Meeting.id))]
        assert originals == [m.original for m in old.exec(select(Meeting).order_by(Meeting.id))]
        # New rows get fresh ids after the restored ones (sequences were moved on).
        highest = max(p.id for p in new.exec(select(Person)))
        person = Person(name="New Person", role="staff", aliases=[])
        new.add(person)
        new.commit()
        assert person.id is not None and person.id > highest
    source.dispose()
    with Session(engine) as new:
        user = accounts.authenticate(session=new, email="jo@example.org", password="a long pass")
        assert user is not None and user.role == "chair"
    engine.dispose()


def test_restore_refuses_a_database_that_holds_data(loaded: str, tmp_path: Path) -> None:
    file = tmp_path / "tracker.backup"
    assert run(loaded, "backup", str(file)).exit_code == 0
    before = export(loaded)
    result = run(loaded, "restore", str(file))
    assert result.exit_code == 1
    assert "not empty" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert export(loaded) == before


def test_backup_refuses_to_overwrite(loaded: str, tmp_path: Path) -> None:
    file = tmp_path / "tracker.backup"
    file.write_text("keep me")
    result = run(loaded, "backup", str(file))
    assert result.exit_code == 1 and "already exists" in result.output
    assert file.read_text() == "keep me"


def _rewrite(source: Path, target: Path, change: Callable[[list[str]], list[str]]) -> None:
    lines = gzip.decompress(source.read_bytes()).decode("utf-8").splitlines()
    target.write_bytes(gzip.compress(("\n".join(change(lines)) + "\n").encode("utf-8")))


def _future(lines: list[str]) -> list[str]:
    header = json.loads(lines[0])
    header["schema"] = "9999_from_the_future"
    return [json.dumps(header), *lines[1:]]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda data, path: path.write_bytes(data[: len(data) // 2]), "incomplete"),
        (lambda data, path: path.write_bytes(b"name,email\nJo,jo@example.org\n"), "not a tracker"),
        (
            lambda data, path: path.write_bytes(
                gzip.compress(b"\n".join(gzip.decompress(data).splitlines()[:-1]) + b"\n")
            ),
            "no end marker",
        ),
    ],
    ids=["cut-short", "not-a-backup", "no-end-marker"],
)
def test_restore_refuses_a_damaged_file_and_writes_nothing(
    loaded: str,
    tmp_path: Path,
    empty_database: Callable[[str], str],
    damage: Callable[[bytes, Path], None],
    message: str,
) -> None:
    good = tmp_path / "good.backup"
    assert run(loaded, "backup", str(good)).exit_code == 0
    bad = tmp_path / "bad.backup"
    damage(good.read_bytes(), bad)
    target = empty_database(_kind(loaded))
    result = run(target, "restore", str(bad))
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    engine = make_engine(target)
    with engine.connect() as conn:
        tables = conn.dialect.get_table_names(conn)
    engine.dispose()
    assert tables == []  # not even the schema was created


def test_restore_refuses_a_backup_from_a_newer_tracker(
    loaded: str, tmp_path: Path, empty_database: Callable[[str], str]
) -> None:
    good = tmp_path / "good.backup"
    assert run(loaded, "backup", str(good)).exit_code == 0
    future = tmp_path / "future.backup"
    _rewrite(good, future, _future)
    result = run(empty_database(_kind(loaded)), "restore", str(future))
    assert result.exit_code == 1
    assert "newer than this tracker knows" in result.output
    assert len(result.output.strip().splitlines()) == 1


OLDER = "0010_matcher"  # the revision before the queue's tables
# Added by 0011_queue and 0012_programmes (which also adds programme_id columns).
NEWER_TABLES = {"cachedvector", "job", "stagedupload", "programme", "userprogramme"}
NEWER_COLUMNS = {"body": "programme_id", "person": "programme_id", "apitoken": "programme_id"}


def _as_older_schema(lines: list[str]) -> list[str]:
    """The same backup as a tracker one revision older wrote it (without the newest tables).

    Those tables are empty in the test data, so nothing is lost by going back
    one revision and upgrading again.
    """
    out, skipping, drop = [], False, None
    for raw in lines:
        line = json.loads(raw)
        if isinstance(line, list) and drop is not None:
            assert line.pop(drop) is None, "the test data has nothing in the newest columns"
        if isinstance(line, dict) and "format" in line:
            line["schema"] = OLDER
            line["tables"] = [t for t in line["tables"] if t not in NEWER_TABLES]
        elif isinstance(line, dict) and "end" in line:
            for table in NEWER_TABLES:
                line["rows"].pop(table)
        elif isinstance(line, dict) and "table" in line:
            skipping, drop = line["table"] in NEWER_TABLES, None
            names = [c for c, _ in line["columns"]]
            if NEWER_COLUMNS.get(line["table"]) in names:
                drop = names.index(NEWER_COLUMNS[line["table"]])
                line["columns"].pop(drop)
            if skipping:
                continue
        elif skipping:
            raise AssertionError("the test data has nothing in the newest tables")
        out.append(json.dumps(line))
    return out


@pytest.mark.parametrize("target_state", ["no schema", "schema at head"])
def test_an_older_backup_is_restored_and_upgraded(
    loaded: str, tmp_path: Path, empty_database: Callable[[str], str], target_state: str
) -> None:
    """Does a backup from an older schema load at its own revision, then upgrade,
    whether the empty database has no schema yet or was already `tracker init`-ed?"""
    before = export(loaded)
    good = tmp_path / "good.backup"
    assert run(loaded, "backup", str(good)).exit_code == 0
    old = tmp_path / "old.backup"
    _rewrite(good, old, _as_older_schema)
    target = empty_database(_kind(loaded))
    if target_state == "schema at head":
        assert run(target, "init").exit_code == 0
    result = run(target, "restore", str(old))
    assert result.exit_code == 0, result.output
    (head,) = schema_heads(target)
    assert f"schema {OLDER}; now {head})" in result.output
    assert export(target) == before


class _WritesMeanwhile(io.BytesIO):
    """An output file that, at the backup's first write, commits a new person
    through another connection (as a user of the web app would)."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.done = False

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if not self.done:
            self.done = True
            engine = make_engine(self.url)
            with Session(engine) as session:
                session.add(Person(name="Added During Backup", role="staff", aliases=[]))
                session.commit()  # must not wait for the backup to finish
            engine.dispose()
        return super().write(data)


def test_a_backup_is_one_snapshot_and_does_not_block_writers(loaded: str) -> None:
    engine = make_engine(loaded)
    with Session(engine) as session:
        people_before = len(session.exec(select(Person)).all())
    out = _WritesMeanwhile(loaded)
    summary = write_backup(loaded, out)
    assert out.done
    assert summary.rows["person"] == people_before  # the backup saw the state at its start
    with Session(engine) as session:
        assert len(session.exec(select(Person)).all()) == people_before + 1  # the write landed
    engine.dispose()
    names = gzip.decompress(out.getvalue()).decode("utf-8")
    assert "Added During Backup" not in names
