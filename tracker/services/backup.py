"""Backup and restore: every table, as one consistent snapshot, in a portable file.

The file is gzip-compressed JSON lines:

1. a header: format, version, the schema revision (Alembic), the source
   database kind, when it was made, and the tables in the order they load;
2. per table, a line naming its columns and how each is encoded (bytes as
   base64, dates and times as ISO 8601, JSON as JSON), then one line per row;
3. an end marker with the row count of every table.

The tables are read from the database itself (not from our models), so
tables added by later migrations are carried without changes here.

**Consistent.** PostgreSQL reads everything in one REPEATABLE READ
transaction (one snapshot; writers carry on). SQLite reads in one deferred
transaction, which in WAL mode is a snapshot too, without blocking writers.

**Restore** goes only into an empty database (no rows in any table). The whole
file is checked first (header, every line, the end marker and counts), so a
damaged or truncated file writes nothing. The empty schema is moved to the
backup's revision, the rows are loaded in one transaction, and then the schema
is upgraded to this version's newest revision (migrations carry the data
forward). A backup from a newer tracker is refused. Because the file is
portable, a SQLite backup restores into PostgreSQL (and back).
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine, MetaData, Table, create_engine, event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.types import JSON, Date, DateTime, LargeBinary

from tracker import clock
from tracker.db import alembic_config, make_engine
from tracker.errors import BadInput
from tracker.models import DEFAULT_PROGRAMME

FORMAT = "tracker-backup"
VERSION = 1
BATCH = 500
SKIP_TABLES = {"alembic_version"}
#: Rows the migrations themselves make; an empty database may hold them, and a
#: restore replaces them with the backup's own.
SEEDED = {"programme": DEFAULT_PROGRAMME}


@dataclass
class BackupSummary:
    """What a backup or restore covered."""

    schema: str
    rows: dict[str, int] = field(default_factory=dict)
    upgraded_to: str = ""

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _kind(column: Any) -> str:
    kind = column.type
    if isinstance(kind, LargeBinary):
        return "bytes"
    if isinstance(kind, DateTime):
        return "datetime"
    if isinstance(kind, Date):
        return "date"
    if isinstance(kind, JSON):
        return "json"
    return "plain"


def _encode(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "bytes":
        return base64.b64encode(bytes(value)).decode("ascii")
    if kind in ("datetime", "date"):
        return value.isoformat()
    return value


def _decode(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "bytes":
        return base64.b64decode(value)
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "date":
        return date.fromisoformat(value)
    return value


def _revision(conn: Any) -> str:
    from alembic.runtime.migration import MigrationContext

    heads = MigrationContext.configure(conn).get_current_heads()
    if len(heads) != 1:
        raise BadInput(
            "the database has no tracker schema (or several heads); run `tracker init` first"
        )
    return str(heads[0])


def _snapshot_engine(url: str) -> Engine:
    """An engine whose transactions read one snapshot without blocking writers."""
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url, isolation_level="REPEATABLE READ")
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy, not pysqlite, says BEGIN

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")  # deferred: a WAL read snapshot, no write lock

    return engine


def _tables(conn: Any) -> list[Table]:
    metadata = MetaData()
    metadata.reflect(bind=conn)
    return [t for t in metadata.sorted_tables if t.name not in SKIP_TABLES]


def _order(table: Table) -> list[Any]:
    return list(table.primary_key.columns) or list(table.columns)


def write_backup(url: str, out: IO[bytes]) -> BackupSummary:
    """Write every row of the database at ``url`` to ``out`` (a binary stream)."""
    engine = _snapshot_engine(url)
    try:
        with engine.connect() as conn, conn.begin():
            schema = _revision(conn)
            tables = _tables(conn)
            summary = BackupSummary(schema=schema)
            with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6) as gz:

                def put(line: Any) -> None:
                    gz.write(json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n")

                put(
                    {
                        "format": FORMAT,
                        "version": VERSION,
                        "schema": schema,
                        "source": engine.dialect.name,
                        "created_at": clock.now().isoformat(timespec="seconds"),
                        "tables": [t.name for t in tables],
                    }
                )
                for table in tables:
                    columns = [(c.name, _kind(c)) for c in table.columns]
                    put({"table": table.name, "columns": columns})
                    count = 0
                    query = select(table).order_by(*_order(table))
                    result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
                        query
                    )
                    for row in result:
                        put([_encode(row[i], kind) for i, (_, kind) in enumerate(columns)])
                        count += 1
                    summary.rows[table.name] = count
                put({"end": True, "rows": summary.rows})
        return summary
    finally:
        engine.dispose()


def backup_to_file(url: str, path: str | Path) -> BackupSummary:
    """Write a backup to a new file (readable by its owner only); never overwrite."""
    target = Path(path)
    if target.exists():
        raise BadInput(f"{target}: already exists; choose a new file name")
    partial = target.with_name(target.name + ".partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:
        raise BadInput(f"{target}: cannot write it ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            summary = write_backup(url, fh)
            fh.flush()
            os.fsync(fh.fileno())
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return summary


# -- restore ------------------------------------------------------------------


def _lines(path: Path) -> Iterator[Any]:
    """Yield the parsed lines of a backup file; damage becomes one BadInput."""
    try:
        with gzip.open(path, "rb") as gz:
            for raw in gz:
                yield json.loads(raw)
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file") from None
    except (gzip.BadGzipFile, zlib.error, json.JSONDecodeError, UnicodeDecodeError):
        raise BadInput(f"{path}: not a tracker backup, or damaged") from None
    except EOFError:
        raise BadInput(
            f"{path}: the file is incomplete (cut short); nothing was restored"
        ) from None
    except OSError as exc:
        raise BadInput(f"{path}: cannot read it ({exc.strerror or exc})") from None


def _read(path: Path) -> Iterator[tuple[str, Any]]:
    """Walk a backup, checking its shape: yield ("header", h), ("table", t), ("row", r)."""
    lines = _lines(path)
    header = next(lines, None)
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BadInput(f"{path}: not a tracker backup")
    if header.get("version") != VERSION:
        raise BadInput(
            f"{path}: backup format {header.get('version')} is not one this tracker reads "
            f"({VERSION}); use a newer tracker"
        )
    yield "header", header
    counts: dict[str, int] = {}
    current: str | None = None
    width = 0
    for line in lines:
        if isinstance(line, list):
            if current is None or len(line) != width:
                raise BadInput(f"{path}: damaged (a row does not fit its table)")
            counts[current] += 1
            yield "row", line
        elif isinstance(line, dict) and "table" in line:
            current, width = str(line["table"]), len(line["columns"])
            counts[current] = 0
            yield "table", line
        elif isinstance(line, dict) and line.get("end"):
            if line.get("rows") != counts or list(counts) != header.get("tables"):
                raise BadInput(f"{path}: damaged (row counts do not match the end marker)")
            yield "end", line
            if next(lines, None) is not None:
                raise BadInput(f"{path}: damaged (data after the end marker)")
            return
        else:
            raise BadInput(f"{path}: damaged (an unexpected line)")
    raise BadInput(f"{path}: the file is incomplete (no end marker); nothing was restored")


def _check_revision_known(url: str, revision: str) -> None:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    script = ScriptDirectory.from_config(alembic_config(url))
    try:
        found = script.get_revision(revision)
    except CommandError:
        found = None
    if found is None:
        raise BadInput(
            f"this backup has schema {revision}, newer than this tracker knows "
            f"(newest {', '.join(script.get_heads())}); install the tracker version "
            "that made it, or a later one, then restore"
        )


def _check_empty(engine: Engine, url: str) -> str | None:
    """Return the target's schema revision (None if it has none); refuse if it holds rows."""
    from alembic.runtime.migration import MigrationContext

    safe = make_url(url).render_as_string(hide_password=True)
    with engine.connect() as conn:
        heads = MigrationContext.configure(conn).get_current_heads()
        for table in _tables(conn):
            count = conn.execute(select(func.count()).select_from(table)).scalar_one()
            if count and table.name in SEEDED:
                # The row the schema itself makes (migration 0012's default programme).
                names = conn.execute(select(table.c.name)).scalars().all()
                if names == [SEEDED[table.name]]:
                    continue
            if count:
                raise BadInput(
                    f"the database {safe} is not empty ({count} rows in {table.name}); "
                    "restore only into an empty database"
                )
    if len(heads) > 1:
        raise BadInput(f"the database {safe} has several schema heads; use an empty database")
    return str(heads[0]) if heads else None


def _clear_seeded(engine: Engine) -> None:
    """Remove the rows the schema made, so the backup's own rows take their place."""
    with engine.begin() as conn:
        for table in _tables(conn):
            if table.name in SEEDED:
                conn.execute(table.delete())


def _move_schema(url: str, current: str | None, revision: str) -> None:
    from alembic import command

    config = alembic_config(url)
    if current is None:
        command.upgrade(config, revision)
        return
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(config)
    # Going up if the backup's revision descends from the current one, else down.
    ancestors = {r.revision for r in script.iterate_revisions(revision, "base")}
    if current in ancestors:
        command.upgrade(config, revision)
    else:
        command.downgrade(config, revision)


def _reset_sequences(conn: Any, tables: list[Table]) -> None:
    """After explicit ids, make PostgreSQL hand out the next free ones."""
    if conn.dialect.name != "postgresql":
        return
    quote = conn.dialect.identifier_preparer.quote
    for table in tables:
        for column in table.primary_key.columns:
            sequence = conn.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"),
                {"t": quote(table.name), "c": column.name},
            ).scalar()
            if sequence:
                conn.execute(
                    text(
                        f"SELECT setval(:s, COALESCE((SELECT MAX({quote(column.name)}) "
                        f"FROM {quote(table.name)}), 1), "
                        f"(SELECT MAX({quote(column.name)}) FROM {quote(table.name)}) IS NOT NULL)"
                    ),
                    {"s": sequence},
                )


def restore_from_file(url: str, path: str | Path) -> BackupSummary:
    """Restore a backup into the empty database at ``url``; then upgrade it to head."""
    from alembic import command

    path = Path(path)
    header: dict[str, Any] = {}
    for what, value in _read(path):  # the whole file, before anything is written
        if what == "header":
            header = value
    revision = str(header["schema"])
    _check_revision_known(url, revision)
    engine = make_engine(url)
    try:
        current = _check_empty(engine, url)
        if current != revision:
            _move_schema(url, current, revision)
        _clear_seeded(engine)
        summary = _load(engine, path, revision)
    finally:
        engine.dispose()
    command.upgrade(alembic_config(url), "head")
    check = make_engine(url)
    try:
        with check.connect() as conn:
            summary.upgraded_to = _revision(conn)
    finally:
        check.dispose()
    return summary


def _load(engine: Engine, path: Path, revision: str) -> BackupSummary:
    summary = BackupSummary(schema=revision)
    with engine.begin() as conn:
        metadata = MetaData()
        metadata.reflect(bind=conn)
        loaded: list[Table] = []
        table: Table | None = None
        columns: list[tuple[str, str]] = []
        deferred: list[str] = []  # columns pointing at their own table, set afterwards
        batch: list[dict[str, Any]] = []
        fixups: list[dict[str, Any]] = []

        def flush() -> None:
            if table is not None and batch:
                conn.execute(table.insert(), batch)
                batch.clear()

        def finish() -> None:
            flush()
            if table is not None and deferred and fixups:
                key = next(iter(table.primary_key.columns))
                for values in fixups:
                    conn.execute(
                        table.update()
                        .where(key == values[key.name])
                        .values({c: values[c] for c in deferred})
                    )
            fixups.clear()

        for what, value in _read(path):
            if what == "table":
                finish()
                name = value["table"]
                if name not in metadata.tables:
                    raise BadInput(f"{path}: table {name} does not exist at schema {revision}")
                table = metadata.tables[name]
                columns = [(str(c), str(k)) for c, k in value["columns"]]
                missing = [c for c, _ in columns if c not in table.columns]
                if missing:
                    raise BadInput(
                        f"{path}: table {name} has no column {missing[0]} at schema {revision}"
                    )
                deferred = [
                    c
                    for c, _ in columns
                    if any(fk.column.table is table for fk in table.columns[c].foreign_keys)
                ]
                loaded.append(table)
                summary.rows[name] = 0
            elif what == "row" and table is not None:
                values = {c: _decode(v, k) for (c, k), v in zip(columns, value, strict=True)}
                if deferred and any(values[c] is not None for c in deferred):
                    key = next(iter(table.primary_key.columns)).name
                    fixups.append({key: values[key], **{c: values[c] for c in deferred}})
                    values.update(dict.fromkeys(deferred))
                batch.append(values)
                summary.rows[table.name] += 1
                if len(batch) >= BATCH:
                    flush()
        finish()
        _reset_sequences(conn, loaded)
    return summary
