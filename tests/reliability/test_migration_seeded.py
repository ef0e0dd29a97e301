"""Migrations on seeded data (case 59), and the one-current-version migration's repair."""

from __future__ import annotations

from sqlalchemy import text

from tracker.db import downgrade_schema, make_engine, upgrade_schema

MEETING = (
    "INSERT INTO meeting (id, body_id, title, date, source_filename, sha256, text, warnings,"
    " version, is_current, imported_at, imported_by) VALUES (:id, 1, 'CRG', '2021-03-18',"
    " 'crg.docx', :sha, 'text', '[]', :version, :current, '2021-03-20 10:00:00', 'cli')"
)


def _rows(url: str) -> list[tuple[int, int, bool]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, version, is_current FROM meeting ORDER BY id"))
        found = [(r[0], r[1], bool(r[2])) for r in rows]
    engine.dispose()
    return found


def test_upgrade_repairs_two_current_versions_and_round_trips_with_data(db_url: str) -> None:
    """Two current versions from before the index: does the newest stay current, data intact?"""
    downgrade_schema(db_url, "0005")
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO body (id, name, kind, workstream, patterns)"
                " VALUES (1, 'PD CRG', 'governance', 'PD', '[]')"
            )
        )
        for n, current in ((1, False), (2, True), (3, True)):
            conn.execute(
                text(MEETING), {"id": n, "sha": str(n) * 64, "version": n, "current": current}
            )
    engine.dispose()
    upgrade_schema(db_url)
    assert _rows(db_url) == [(1, 1, False), (2, 2, False), (3, 3, True)]
    # Down and up again keeps the rows.
    downgrade_schema(db_url, "0005")
    upgrade_schema(db_url)
    assert _rows(db_url) == [(1, 1, False), (2, 2, False), (3, 3, True)]
