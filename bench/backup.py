"""Time `tracker backup` and `tracker restore` on a synthetic year of data.

    .venv/bin/python bench/backup.py [--lxps 2000] [--pg URL] [--out bench/results/backup.md]

Seeds the digest bench's year (bench/digests.py: 4 workstreams, weekly
catch-ups, 2,000 LXPs) into a fresh SQLite file, then times a backup, a
restore into a fresh SQLite file and (when --pg answers) into an empty
PostgreSQL schema, and checks that each restore gives the same export.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))

from digests import seed
from tracker.db import make_engine, upgrade_schema
from tracker.services.backup import backup_to_file, restore_from_file
from tracker.services.export import build_export


def export_of(url: str) -> str:
    engine = make_engine(url)
    with Session(engine) as session:
        data = build_export(session=session)
    engine.dispose()
    return json.dumps(data, sort_keys=True, default=str)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lxps", type=int, default=2000)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "backup.md"))
    args = parser.parse_args()
    import random

    folder = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    source = f"sqlite:///{folder / 'source.sqlite'}"
    upgrade_schema(source)
    engine = make_engine(source)
    with Session(engine, expire_on_commit=False) as session:
        counts = seed(session, args.lxps, random.Random(2021))
    engine.dispose()
    expected = export_of(source)

    file = folder / "bench.backup"
    t = time.perf_counter()
    summary = backup_to_file(source, file)
    backup_s = time.perf_counter() - t
    results = [("backup (SQLite)", backup_s, summary.total)]

    target = f"sqlite:///{folder / 'restored.sqlite'}"
    t = time.perf_counter()
    restore_from_file(target, file)
    results.append(("restore into SQLite", time.perf_counter() - t, summary.total))
    same = {"SQLite": export_of(target) == expected}

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    try:
        admin = create_engine(args.pg, connect_args={"connect_timeout": 3})
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # no PostgreSQL here: report SQLite only
        print(f"PostgreSQL skipped: {type(exc).__name__}")
        admin = None
    if admin is not None:
        pg = f"{args.pg}?options=-csearch_path%3D{schema}"
        try:
            t = time.perf_counter()
            restore_from_file(pg, file)
            results.append(("restore into PostgreSQL", time.perf_counter() - t, summary.total))
            same["PostgreSQL"] = export_of(pg) == expected
            t = time.perf_counter()
            pg_file = folder / "pg.backup"
            backup_to_file(pg, pg_file)
            results.append(("backup (PostgreSQL)", time.perf_counter() - t, summary.total))
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()

    size_mb = file.stat().st_size / 1e6
    lines = [
        "# Backup bench: backup and restore a synthetic year",
        "",
        f"`bench/backup.py`, {args.lxps} LXPs: {counts['meetings']} meetings, "
        f"{counts['contributions']} LXP points; {summary.total:,} rows in "
        f"{len(summary.rows)} tables; backup file {size_mb:.1f} MB (gzip JSON lines). "
        "On the shared, loaded 2-core machine.",
        "",
        "| step | seconds | rows/s |",
        "| --- | --- | --- |",
    ]
    for label, seconds, rows in results:
        lines.append(f"| {label} | {seconds:.1f} | {rows / seconds:,.0f} |")
    lines += [
        "",
        "Same `tracker export` after restore: "
        + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in same.items()),
    ]
    Path(args.out).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
